"""Mediation's own rules beyond the case engine's (jumin.cases.rules)."""

from jumin.cases.models import Phase
from jumin.cases.rules import case_can_work
from jumin.core.access import user_can

# 指派调解员: choosing who mediates a dispute (the secretary).
ASSIGN_MEDIATOR = "mediation.assign_mediator"
# Who may be chosen to mediate.
MEDIATES = "mediation.mediate"


def dispute_can_assign_mediator(user, case) -> bool:
    return user_can(user, ASSIGN_MEDIATOR) and case.phase != Phase.CLOSED and case_can_work(user, case)


UNVERIFIED_PARTY = "还有当事人待核实身份:核实后才能登记双方的调解协议或结案"


def dispute_has_unverified_parties(dispute) -> bool:
    """A party the applicant named but staff have not yet matched to a register entry (待核实): no agreement
    binds them, and they cannot be ticked as attending a session."""
    return dispute.named_parties.filter(resident__isnull=True).exists()


def may_mediate(user, community_id) -> bool:
    return user.is_active and user.community_id == community_id and user_can(user, MEDIATES)
