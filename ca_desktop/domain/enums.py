"""Enumerations with stable codes.

Codes are what is stored, synced and exported; they are never translated. Labels for
people live in `labels.py`, one table per language.
"""

from __future__ import annotations

from enum import StrEnum


class ProgrammeKind(StrEnum):
    COUNTRY = "country_programme"
    INNOVATION = "innovation_programme"
    JOINT_WORK = "joint_work_programme"


class PlaceKind(StrEnum):
    COUNTRY = "country"
    CITY = "city"
    SETTLEMENT = "settlement"


class OrganisationType(StrEnum):
    NATIONAL_GOVERNMENT = "national_government"
    LOCAL_GOVERNMENT = "local_government"
    SLUM_DWELLER_FEDERATION = "slum_dweller_federation"
    SAVINGS_GROUP = "savings_group"
    COMMUNITY_BASED = "community_based_organisation"
    NGO = "ngo"
    CA_MEMBER = "cities_alliance_member"
    ACADEMIC = "academic"
    PRIVATE_SECTOR = "private_sector"
    INFORMAL_WORKERS = "informal_workers_association"


class Level(StrEnum):
    COMMUNITY = "community"
    LOCAL = "local"
    NATIONAL = "national"


class ActivityType(StrEnum):
    SETTLEMENT_FORUM = "settlement_forum"
    MUNICIPAL_FORUM = "municipal_forum"
    NATIONAL_URBAN_FORUM = "national_urban_forum"
    PROFILING = "profiling_enumeration"
    SAVINGS_GROUP_MEETING = "savings_group_meeting"
    TRAINING = "training"
    EXCHANGE_VISIT = "exchange_visit"
    PLANNING_WORKSHOP = "planning_workshop"
    POLICY_DIALOGUE = "policy_dialogue"
    CUF_MEETING = "cuf_meeting"
    MONITORING_VISIT = "monitoring_visit"
    HANDOVER = "handover"
    OTHER = "other"


class Theme(StrEnum):
    ECONOMIC_GROWTH = "equitable_economic_growth"
    RESILIENCE = "resilience"
    GENDER = "gender"
    MIGRATION = "migration"


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NOT_RECORDED = "not_recorded"


class AgeBand(StrEnum):
    UNDER_15 = "under_15"
    YOUTH = "15_24"
    AGE_25_34 = "25_34"
    AGE_35_59 = "35_59"
    AGE_60_PLUS = "60_plus"
    NOT_RECORDED = "not_recorded"


class CufType(StrEnum):
    WATER = "water"
    SANITATION = "sanitation"
    DRAINAGE = "drainage"
    EDUCATION = "education"
    PUBLIC_SPACE = "public_space"
    WASTE = "waste"
    LIGHTING_ENERGY = "lighting_energy"
    ACCESS = "access"
    CLIMATE_ADAPTATION = "climate_adaptation"
    OTHER = "other"


class CufStatus(StrEnum):
    PROPOSED = "proposed"
    APPRAISED = "appraised"
    APPROVED = "approved"
    IN_CONSTRUCTION = "in_construction"
    COMPLETED = "completed"
    HANDED_OVER = "handed_over"
    REJECTED = "rejected"


class GrievanceChannel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    SMS = "sms"
    LETTER = "letter"
    SUGGESTION_BOX = "suggestion_box"
    COMMUNITY_MEETING = "community_meeting"
    EMAIL = "email"
    OTHER = "other"


class GrievanceCategory(StrEnum):
    PROJECT_DELIVERY = "project_delivery"
    CONSTRUCTION = "construction"
    SAFEGUARDS = "environmental_social_safeguards"
    GENDER_BASED_VIOLENCE = "gender_based_violence"
    FINANCIAL = "financial"
    PARTICIPATION = "participation_inclusion"
    LAND_RESETTLEMENT = "land_resettlement"
    OTHER = "other"


class GrievanceStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class Role(StrEnum):
    OFFICER = "officer"
    COORDINATOR = "coordinator"


YOUTH_AGE_BANDS = frozenset({AgeBand.YOUTH})
