"""Predicates: one per rule. Services call them to refuse; views call them to build the actions they offer."""

from django.utils import timezone

from jumin.core.access import scope_for, user_can
from jumin.core.models import Role

from .models import OPEN_STAGES, BallotStatus, ObjectionStatus, Stage

MANAGE = "deliberation.manage"
COUNT = "deliberation.count"
VIEW = "deliberation.view"


def _resident(user):
    if getattr(user, "role", None) != Role.RESIDENT or scope_for(user).is_empty:
        return None
    return user.resident


def acting_resident(user):
    """The bound, 在册 resident behind a resident account (None for staff and unbound accounts)."""
    return _resident(user)


def in_community(user, community_id) -> bool:
    return community_id in scope_for(user).community_ids


def may_manage(user, community_id) -> bool:
    return user_can(user, MANAGE) and in_community(user, community_id)


def may_count(user, community_id) -> bool:
    return user_can(user, COUNT) and in_community(user, community_id)


def proposal_in_reach(user, proposal) -> bool:
    """A resident reads proposals of their community (compound proposals too: the board is public anyway)."""
    return in_community(user, proposal.community_id)


def proposal_can_support(user, proposal) -> bool:
    resident = _resident(user)
    if resident is None or proposal.stage != Stage.DISCUSSING or resident.community_id != proposal.community_id:
        return False
    return proposal.compound_id is None or resident.household.compound_id == proposal.compound_id


def proposal_can_comment(user, proposal) -> bool:
    return proposal.stage in OPEN_STAGES and (
        proposal_can_support(user, proposal)
        or (
            proposal.stage != Stage.DISCUSSING
            and _resident(user) is not None
            and in_community(user, proposal.community_id)
        )
        or may_manage(user, proposal.community_id)
    )


def proposal_can_coordinate(user, proposal) -> bool:
    return proposal.stage == Stage.DISCUSSING and may_manage(user, proposal.community_id)


def proposal_can_record_meeting(user, proposal) -> bool:
    return proposal.stage == Stage.COORDINATING and may_manage(user, proposal.community_id)


def proposal_can_put_to_vote(user, proposal) -> bool:
    return proposal.stage == Stage.COORDINATING and bool(proposal.plan) and may_manage(user, proposal.community_id)


def proposal_can_report_progress(user, proposal) -> bool:
    return proposal.stage == Stage.IMPLEMENTING and may_manage(user, proposal.community_id)


def proposal_can_reject(user, proposal) -> bool:
    return proposal.stage in (Stage.DISCUSSING, Stage.COORDINATING) and may_manage(user, proposal.community_id)


def proposal_can_merge(user, proposal) -> bool:
    return proposal.stage in (Stage.DISCUSSING, Stage.COORDINATING) and may_manage(user, proposal.community_id)


def proposal_can_withdraw(user, proposal) -> bool:
    return (
        proposal.stage in (Stage.DISCUSSING, Stage.COORDINATING)
        and proposal.proposer_id is not None
        and proposal.proposer_id == getattr(user, "pk", None)
    )


def ballot_phase(ballot, now=None) -> str:
    """The status a ballot has at `now`, whether or not the sync has written it yet."""
    now = now or timezone.now()
    if ballot.status in (BallotStatus.FINAL, BallotStatus.ANNULLED):
        return ballot.status
    if now < ballot.opens_at:
        return BallotStatus.SCHEDULED
    if now < ballot.closes_at:
        return BallotStatus.OPEN
    return BallotStatus.CLOSED


def ballot_is_open(ballot, now=None) -> bool:
    return ballot.status == BallotStatus.OPEN and ballot_phase(ballot, now) == BallotStatus.OPEN


def ballot_result_visible(ballot, now=None) -> bool:
    """Results are hidden from everyone, staff included, until the close."""
    return ballot_phase(ballot, now) in (BallotStatus.CLOSED, BallotStatus.FINAL, BallotStatus.ANNULLED)


def ballot_reveals_choices(ballot, now=None) -> bool:
    """Who chose what: never for a secret ballot; for an open (记名) ballot, to staff after the close."""
    return not ballot.secret and ballot_result_visible(ballot, now)


def ballot_can_take_objection(user, ballot, now=None) -> bool:
    now = now or timezone.now()
    return (
        _resident(user) is not None
        and in_community(user, ballot.community_id)
        and ballot_phase(ballot, now) == BallotStatus.CLOSED
        and ballot.publicity_ends_at is not None
        and now < ballot.publicity_ends_at
    )


def objection_can_decide(user, objection) -> bool:
    return objection.status == ObjectionStatus.PENDING and may_manage(user, objection.community_id)
