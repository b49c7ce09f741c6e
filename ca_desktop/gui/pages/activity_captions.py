"""What the Activities page says about its results: the count and the empty states."""

from __future__ import annotations

from ca_desktop.domain.i18n import tr
from ca_desktop.services.activity_queries import ActivityFilter, search_is_bounded


def count_text(filters: ActivityFilter, n: int) -> str:
    """ "12,345 activities", saying when a one-letter search looked only at the newest."""
    count = (
        tr("{n} activity").format(n=f"{n:,}") if n == 1 else tr("{n} activities").format(n=f"{n:,}")
    )
    if search_is_bounded(filters.search):
        return tr("{count} (the newest matches: type more letters to search all)").format(
            count=count
        )
    return count


def empty_texts(filters: ActivityFilter) -> tuple[str, str, str]:
    """(title, text, button) when nothing is listed: none recorded yet, or none matches."""
    if filters.is_empty:
        return (
            tr("No activities yet"),
            tr(
                "Record your first forum, training or visit: press Ctrl+N. Participants "
                "are counted by sex and youth, and the paper attendance register can be "
                "typed in."
            ),
            tr("Record an activity"),
        )
    return (
        tr("No activity matches"),
        tr("Try other words or fewer filters. Search finds the start of words too."),
        tr("Clear filters"),
    )
