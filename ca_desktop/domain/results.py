"""What the results framework counts: the statuses and types behind its figures.

Shared by the Home dashboard and the reports so that "people reached" means one thing
everywhere.
"""

from __future__ import annotations

from ca_desktop.domain.enums import ActivityStatus, ActivityType, CufStatus, GrievanceStatus

# People are "reached" by activities that took place; planned or cancelled ones reach nobody
# yet, even when someone typed an expected attendance into them.
REACHED_STATUSES = (ActivityStatus.ONGOING.value, ActivityStatus.COMPLETED.value)
DELIVERED_CUF_STATUSES = (CufStatus.COMPLETED.value, CufStatus.HANDED_OVER.value)
# Money is committed once a project is approved; proposals and rejected ones commit nothing.
COMMITTED_CUF_STATUSES = (
    CufStatus.APPROVED.value,
    CufStatus.IN_CONSTRUCTION.value,
    CufStatus.COMPLETED.value,
    CufStatus.HANDED_OVER.value,
)
OPEN_GRIEVANCE_STATUSES = (GrievanceStatus.OPEN.value, GrievanceStatus.IN_PROGRESS.value)
RESOLVED_GRIEVANCE_STATUSES = (GrievanceStatus.RESOLVED.value,)
# Forums by level: the participation mechanisms the results framework counts.
FORUM_TYPES = {
    "settlement": ActivityType.SETTLEMENT_FORUM.value,
    "municipal": ActivityType.MUNICIPAL_FORUM.value,
    "national": ActivityType.NATIONAL_URBAN_FORUM.value,
}
