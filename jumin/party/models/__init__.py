from .opinions import Category, Channel, Opinion
from .orgs import (
    LEVEL_DEPTH,
    CommitteeMember,
    MemberStanding,
    MemberTransfer,
    OrgLevel,
    PartyMember,
    PartyOrg,
    PartyOrgBuilding,
    PartyOrgRole,
    TransferKind,
    TransferStatus,
)
from .reception import CareKind, CareVisit, ReceptionDay, ReceptionSignup, ReceptionSlot
from .tasks import ClaimSource, ClaimStatus, ServiceTask, ServiceTaskClaim

__all__ = [
    "LEVEL_DEPTH",
    "CareKind",
    "CareVisit",
    "Category",
    "Channel",
    "ClaimSource",
    "ClaimStatus",
    "CommitteeMember",
    "MemberStanding",
    "MemberTransfer",
    "Opinion",
    "OrgLevel",
    "PartyMember",
    "PartyOrg",
    "PartyOrgBuilding",
    "PartyOrgRole",
    "ReceptionDay",
    "ReceptionSignup",
    "ReceptionSlot",
    "ServiceTask",
    "ServiceTaskClaim",
    "TransferKind",
    "TransferStatus",
]
