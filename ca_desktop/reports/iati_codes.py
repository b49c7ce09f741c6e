"""How CA Desktop's codes map onto IATI 2.03 code lists, declared once.

Sector: DAC 5-digit (vocabulary 1). Urban development and management (43030) is the
default; types whose purpose is clearly another sector say so here.
"""

from __future__ import annotations

from ca_desktop.domain.enums import ActivityStatus, ActivityType, OrganisationType

DAC_URBAN = "43030"  # Urban development and management

SECTOR_BY_TYPE: dict[str, str] = {
    ActivityType.SETTLEMENT_FORUM: DAC_URBAN,
    ActivityType.MUNICIPAL_FORUM: "15185",  # Local government administration
    ActivityType.NATIONAL_URBAN_FORUM: DAC_URBAN,
    ActivityType.PROFILING: DAC_URBAN,
    ActivityType.SAVINGS_GROUP_MEETING: "24040",  # Informal/semi-formal financial intermediaries
    ActivityType.TRAINING: "15185",
    ActivityType.EXCHANGE_VISIT: DAC_URBAN,
    ActivityType.PLANNING_WORKSHOP: DAC_URBAN,
    ActivityType.POLICY_DIALOGUE: "15110",  # Public sector policy and administrative management
    ActivityType.CUF_MEETING: DAC_URBAN,
    ActivityType.MONITORING_VISIT: DAC_URBAN,
    ActivityType.HANDOVER: DAC_URBAN,
    ActivityType.OTHER: DAC_URBAN,
}

# IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled.
STATUS: dict[str, str] = {
    ActivityStatus.PLANNED: "1",
    ActivityStatus.ONGOING: "2",
    ActivityStatus.COMPLETED: "4",
    ActivityStatus.CANCELLED: "5",
}

# IATI OrganisationType.
ORGANISATION_TYPE: dict[str, str] = {
    OrganisationType.NATIONAL_GOVERNMENT: "10",
    OrganisationType.LOCAL_GOVERNMENT: "11",
    OrganisationType.SLUM_DWELLER_FEDERATION: "24",
    OrganisationType.SAVINGS_GROUP: "24",
    OrganisationType.COMMUNITY_BASED: "24",
    OrganisationType.NGO: "22",
    OrganisationType.CA_MEMBER: "90",
    OrganisationType.ACADEMIC: "80",
    OrganisationType.PRIVATE_SECTOR: "70",
    OrganisationType.INFORMAL_WORKERS: "24",
}

REPORTING_ORG_TYPE = "40"  # Multilateral: Cities Alliance is hosted by UNOPS
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"
# ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
GENDER_MARKER = "1"  # PolicyMarker: gender equality
GENDER_PRINCIPAL, GENDER_SIGNIFICANT = "2", "1"  # PolicySignificance
RESULT_OUTPUT = "1"
MEASURE_UNIT = "1"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"

# Dimension values for the sex × age split of every count of people.
SEX_DIMENSION = {"female": "female", "male": "male", "not_recorded": "not recorded"}
AGE_DIMENSION = {True: "15-24", False: "other ages"}
