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


def may_mediate(user, community_id) -> bool:
    return user.is_active and user.community_id == community_id and user_can(user, MEDIATES)
