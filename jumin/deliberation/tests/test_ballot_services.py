import datetime

import pytest
import time_machine
from django.utils import timezone

from jumin.core.errors import Conflict, NotFound, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.deliberation import services
from jumin.deliberation.models import BallotStatus, Channel, Elector, Vote
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory

from .conftest import upload
from .factories import open_ballot


def test_household_ballot_freezes_the_roll_when_it_opens(world):
    ballot = open_ballot(world.users.secretary)
    assert ballot.status == BallotStatus.OPEN
    homes = {world.home.pk, world.neighbour_home.pk, world.far_home.pk}
    assert set(Elector.objects.filter(ballot=ballot).values_list("household_id", flat=True)) == homes
    assert ballot.electorate_size == 3
    # Someone moving in after the opening gets no vote.
    ResidentFactory(household=HouseholdFactory(dwelling__unit=world.home.dwelling.unit))
    assert Elector.objects.filter(ballot=ballot).count() == 3


def test_person_ballot_counts_adults_only(world):
    ResidentFactory(household=world.home, age=12, relationship="child")
    ballot = open_ballot(world.users.secretary, electorate="person")
    assert ballot.electorate_size == 4  # 张三丰, 李秀英, 王建国, 赵红梅; the child has no vote


def test_compound_ballot_takes_only_that_compound(world):
    ballot = open_ballot(world.users.secretary, compound=world.compound)
    assert ballot.electorate_size == 2


def test_second_vote_from_same_household_is_rejected(world, spouse_user):
    ballot = open_ballot(world.users.secretary)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"])
    with pytest.raises(Conflict, match="已经投过票"):
        services.vote_cast(actor=spouse_user, ballot=ballot, choices=["no"])
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_paper_vote_blocks_online_vote_and_the_other_way(world):
    ballot = open_ballot(world.users.secretary)
    services.paper_vote_enter(actor=world.users.window_staff, ballot=ballot, household=world.home, choices=["no"])
    with pytest.raises(Conflict, match="纸质选票"):
        services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"])
    services.vote_cast(actor=world.users.neighbour, ballot=ballot, choices=["yes"])
    with pytest.raises(Conflict, match="网上投票"):
        services.paper_vote_enter(
            actor=world.users.window_staff, ballot=ballot, household=world.neighbour_home, choices=["no"]
        )


def test_outsider_gets_not_found_and_non_elector_forbidden(world, far_user):
    ballot = open_ballot(world.users.secretary, compound=world.compound)
    with pytest.raises(NotFound):
        services.vote_cast(actor=world.users.outsider, ballot=ballot, choices=["yes"])
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=far_user, ballot=ballot, choices=["yes"])


def test_vote_after_close_is_refused(world):
    now = timezone.now()
    ballot = open_ballot(world.users.secretary, hours=1, now=now)
    with pytest.raises(Conflict, match="已截止"):
        services.vote_cast(
            actor=world.users.resident, ballot=ballot, choices=["yes"], now=now + datetime.timedelta(hours=2)
        )


def test_audit_records_that_a_household_voted_never_the_choice(world):
    ballot = open_ballot(world.users.secretary, secret=True, options=["方案甲", "方案乙"])
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["2"])
    events = AuditEvent.objects.filter(action="vote.cast")
    assert events.count() == 1
    text = f"{events[0].summary} {events[0].changes}"
    assert "方案乙" not in text and "'2'" not in text and "已投票" in text


def test_proxy_vote_is_replaced_when_the_voter_votes_in_person(world):
    ballot = open_ballot(world.users.secretary)
    letter = services.upload_store(actor=world.users.resident, community_id=world.a.pk, upload=upload())
    proxy = services.proxy_grant(actor=world.users.resident, ballot=ballot, holder=world.neighbour, letter=letter)
    with pytest.raises(Conflict, match="尚未核实"):
        services.proxy_vote(actor=world.users.neighbour, proxy=proxy, choices=["no"])
    services.proxy_verify(actor=world.users.window_staff, proxy=proxy, approve=True)
    proxy.refresh_from_db()
    services.proxy_vote(actor=world.users.neighbour, proxy=proxy, choices=["no"])
    vote = Vote.objects.get(ballot=ballot, elector=proxy.elector)
    assert vote.channel == Channel.PROXY and vote.choices == ["no"]
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"])
    vote.refresh_from_db()
    assert vote.channel == Channel.ONLINE and vote.choices == ["yes"]
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_a_proxy_holds_at_most_the_setting(world, settings):
    from jumin.deliberation.models import DeliberationSettings

    DeliberationSettings.objects.create(community=world.a, max_proxies=1)
    ballot = open_ballot(world.users.secretary)
    letter = services.upload_store(actor=world.users.secretary, community_id=world.a.pk, upload=upload())
    services.proxy_grant(
        actor=world.users.window_staff, ballot=ballot, grantor=world.resident, holder=world.far_resident, letter=letter
    )
    with pytest.raises(Conflict, match="已接受 1 份"):
        services.proxy_grant(
            actor=world.users.window_staff,
            ballot=ballot,
            grantor=world.neighbour,
            holder=world.far_resident,
            letter=letter,
        )


def test_close_then_publicity_then_final_moves_the_proposal(world):
    from jumin.deliberation.models import Stage

    start = timezone.now()
    proposal = services.proposal_create(
        actor=world.users.resident, title="南门停车位划线", text="车位太乱", category="parking"
    )
    services.proposal_start_coordination(actor=world.users.secretary, proposal=proposal)
    services.proposal_set_plan(actor=world.users.secretary, proposal=proposal, plan="划 20 个车位,费用由公共收益支出")
    ballot = open_ballot(world.users.secretary, proposal=proposal, hours=2, now=start)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.VOTING
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    services.vote_cast(actor=world.users.neighbour, ballot=ballot, choices=["yes"], now=start)
    services.ballots_sync(now=start + datetime.timedelta(hours=3))
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED and ballot.publicity_ends_at is not None
    services.ballots_sync(now=start + datetime.timedelta(days=8))
    ballot.refresh_from_db()
    proposal.refresh_from_db()
    assert ballot.status == BallotStatus.FINAL
    assert proposal.stage == Stage.IMPLEMENTING


def test_upheld_objection_annuls_the_result(world):
    start = timezone.now()
    ballot = open_ballot(world.users.secretary, hours=1, now=start)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    services.ballots_sync(now=start + datetime.timedelta(hours=2))
    ballot.refresh_from_db()
    with time_machine.travel(start + datetime.timedelta(hours=3)):
        objection = services.objection_file(actor=world.users.neighbour, ballot=ballot, text="计票有误")
        services.objection_decide(actor=world.users.secretary, objection=objection, upheld=True, reply="核实属实")
    services.ballots_sync(now=start + datetime.timedelta(days=9))
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.ANNULLED
