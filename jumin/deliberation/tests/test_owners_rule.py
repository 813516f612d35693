"""民法典 第278条 ballots count 专有部分 (dwellings with registered owners), not households: one per dwelling however
many co-owners, its area once; an owner registered as living there votes online, anyone else only by proxy or
paper. The roll, with the owners' names and areas, is frozen at the opening."""

import datetime

import pytest
from django.utils import timezone

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.deliberation import services
from jumin.deliberation.models import Channel, Elector, Vote
from jumin.deliberation.selectors import ballot_result
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.places.models import Dwelling, DwellingOwner
from jumin.places.tests.factories import DwellingFactory

from .conftest import bearer, upload
from .factories import open_ballot


def own(dwelling, *names):
    for i, name in enumerate(names):
        DwellingOwner.objects.create(community_id=dwelling.community_id, dwelling=dwelling, name=name, position=i)


@pytest.fixture
def owned(world):
    """玉龙湖: 101 (120 m², co-owned by 张三丰 and 李秀英, who live there), 102 (60 m², 王建国), 201 (90 m², 赵红梅),
    and 103 (30 m², owned by 钱多多, who lives elsewhere: nobody is registered in it). A dwelling without owners
    (104) is not on the roll. 300 m² and 4 owners in all."""
    areas = {world.home.dwelling: "120.00", world.neighbour_home.dwelling: "60.00", world.far_home.dwelling: "90.00"}
    for dwelling, area in areas.items():
        Dwelling.objects.filter(pk=dwelling.pk).update(floor_area=area)
    own(world.home.dwelling, "张三丰", "李秀英")
    own(world.neighbour_home.dwelling, "王建国")
    own(world.far_home.dwelling, "赵红梅")
    vacant = DwellingFactory(unit=world.home.dwelling.unit, number="103", floor_area="30.00")
    own(vacant, "钱多多")
    DwellingFactory(unit=world.home.dwelling.unit, number="104", floor_area="80.00")
    world.vacant = vacant
    return world


def spouse_login(world):
    return UserFactory(role="resident", phone=world.spouse.phone, name=world.spouse.name, resident=world.spouse)


def far_login(world):
    return UserFactory(
        role="resident", phone=world.far_resident.phone, name=world.far_resident.name, resident=world.far_resident
    )


def test_roll_has_one_elector_per_owned_dwelling_with_its_area_and_owners(owned):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278")
    electors = {e.dwelling_id: e for e in Elector.objects.filter(ballot=ballot)}
    assert set(electors) == {
        owned.home.dwelling_id,
        owned.neighbour_home.dwelling_id,
        owned.far_home.dwelling_id,
        owned.vacant.pk,
    }
    assert ballot.electorate_size == 4 and str(ballot.electorate_area) == "300.00"
    co_owned = electors[owned.home.dwelling_id]
    assert co_owned.is_dwelling and co_owned.household_id is None
    assert co_owned.owner_names == ["张三丰", "李秀英"] and co_owned.floor_area == 120


def test_compound_scope_takes_only_that_compounds_dwellings(owned):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278", compound=owned.compound2)
    assert ballot.electorate_size == 1 and str(ballot.electorate_area) == "90.00"


def test_roll_is_frozen_at_the_opening(owned):
    start = timezone.now()
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278", now=start)
    # After the opening: the area changes, 王建国 sells to a newcomer who moves in, a new owned dwelling appears.
    Dwelling.objects.filter(pk=owned.home.dwelling_id).update(floor_area="10.00")
    DwellingOwner.objects.filter(dwelling=owned.neighbour_home.dwelling).delete()
    own(owned.neighbour_home.dwelling, "周新")
    newcomer = ResidentFactory(household=owned.neighbour_home, name="周新", age=40)
    new_user = UserFactory(role="resident", phone=newcomer.phone, name=newcomer.name, resident=newcomer)
    own(DwellingFactory(unit=owned.home.dwelling.unit, number="105", floor_area="70.00"), "吴后来")
    with pytest.raises(PermissionDenied, match="产权人"):
        services.vote_cast(actor=new_user, ballot=ballot, choices=["yes"], now=start)
    services.vote_cast(actor=owned.users.neighbour, ballot=ballot, choices=["yes"], now=start)  # still on the roll
    services.vote_cast(actor=owned.users.resident, ballot=ballot, choices=["yes"], now=start)
    assert Elector.objects.filter(ballot=ballot).count() == 4
    result = ballot_result(ballot, now=ballot.closes_at + datetime.timedelta(minutes=1))
    assert result.electorate == 4 and result.electorate_area == 300 and result.area_cast == 180  # 120 + 60


def test_only_a_registered_owner_living_there_votes_online_and_co_owners_share_one_vote(owned):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278")
    services.vote_cast(actor=owned.users.resident, ballot=ballot, choices=["yes"])  # 张三丰, co-owner of 101
    with pytest.raises(Conflict, match="已经投过票"):
        services.vote_cast(actor=spouse_login(owned), ballot=ballot, choices=["no"])  # 李秀英, the other co-owner
    child = ResidentFactory(household=owned.far_home, name="赵小明", age=20)
    child_user = UserFactory(role="resident", phone=child.phone, name=child.name, resident=child)
    with pytest.raises(PermissionDenied, match="不是登记的产权人"):
        services.vote_cast(actor=child_user, ballot=ballot, choices=["yes"])  # lives in 201, owns nothing
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_the_absent_owner_votes_on_paper_from_the_roll(owned):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278")
    row = Elector.objects.get(ballot=ballot, dwelling=owned.vacant)
    services.paper_vote_enter(actor=owned.users.window_staff, ballot=ballot, elector=row, choices=["yes"])
    with pytest.raises(Conflict, match="纸质选票"):
        services.paper_vote_enter(actor=owned.users.window_staff, ballot=ballot, elector=row, choices=["no"])
    audit = AuditEvent.objects.filter(action="vote.cast").values_list("summary", flat=True)
    assert any(f"房屋 {owned.vacant.pk}" in s for s in audit)


def test_paper_vote_by_household_reaches_its_dwellings_elector(owned, client):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278")
    response = client.post(
        f"/api/v1/ballots/{ballot.uuid}/paper-votes",
        {"household": str(owned.far_home.uuid), "choice": "no"},
        content_type="application/json",
        **bearer(owned.users.window_staff),
    )
    assert response.status_code == 201, response.content
    assert Vote.objects.get(ballot=ballot).elector.dwelling_id == owned.far_home.dwelling_id
    again = client.post(
        f"/api/v1/ballots/{ballot.uuid}/votes",
        {"choice": "yes"},
        content_type="application/json",
        **bearer(far_login(owned)),
    )
    assert again.status_code == 409


def test_owner_entrusts_a_non_owner_who_votes_for_the_dwelling(owned):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278")
    child = ResidentFactory(household=owned.far_home, name="赵小明", age=20)
    child_user = UserFactory(role="resident", phone=child.phone, name=child.name, resident=child)
    letter = services.upload_store(actor=owned.users.window_staff, community_id=owned.a.pk, upload=upload())
    with pytest.raises(DomainError, match="产权人"):
        services.proxy_grant(
            actor=owned.users.window_staff, ballot=ballot, grantor=child, holder=owned.neighbour, letter=letter
        )
    proxy = services.proxy_grant(
        actor=owned.users.window_staff, ballot=ballot, grantor=owned.far_resident, holder=child, letter=letter
    )
    services.proxy_verify(actor=owned.users.window_staff, proxy=proxy, approve=True)
    vote = services.proxy_vote(actor=child_user, proxy=proxy, choices=["yes"])
    assert vote.channel == Channel.PROXY and vote.elector.dwelling_id == owned.far_home.dwelling_id


def test_hand_computed_result_counts_dwellings_and_area(owned):
    start = timezone.now()
    ordinary = open_ballot(owned.users.secretary, rule="civil_code_278", now=start)
    major = open_ballot(owned.users.secretary, rule="civil_code_278_major", now=start)
    far_user = far_login(owned)
    after = start + datetime.timedelta(days=2)
    for ballot in (ordinary, major):
        services.vote_cast(actor=owned.users.resident, ballot=ballot, choices=["yes"], now=start)  # 120 m²
        services.vote_cast(actor=far_user, ballot=ballot, choices=["no"], now=start)  # 90 m²
    # 2 of 4 owners, 210 of 300 m²: the owners' count is under 2/3.
    result = ballot_result(ordinary, now=after)
    assert not result.quorum_met and not result.passed
    for ballot in (ordinary, major):
        row = Elector.objects.get(ballot=ballot, dwelling=owned.vacant)
        services.paper_vote_enter(
            actor=owned.users.window_staff, ballot=ballot, elector=row, choices=["yes"], now=start
        )
    # 3 of 4 owners (≥ 2/3) and 240 of 300 m² (≥ 2/3) take part; yes: 2 of 3 owners, 150 of 240 m² (62.5%).
    result = ballot_result(ordinary, now=after)
    assert result.quorum_met and result.passed
    assert (result.cast, result.area_cast, result.area_yes) == (3, 240, 150)
    # A major matter needs ≥ 3/4 of each: 2/3 of the owners and 62.5% of the area fall short.
    result = ballot_result(major, now=after)
    assert result.quorum_met and not result.passed


def test_civil_code_ballot_needs_owners_and_areas_registered(world):
    with pytest.raises(DomainError, match="没有登记产权人"):
        open_ballot(world.users.secretary, rule="civil_code_278")
    own(world.home.dwelling, "张三丰")
    with pytest.raises(DomainError, match="1 套登记了产权人的房屋未登记专有部分面积"):
        open_ballot(world.users.secretary, rule="civil_code_278")
    Dwelling.objects.filter(pk=world.home.dwelling_id).update(floor_area="88.00")
    assert open_ballot(world.users.secretary, rule="civil_code_278").electorate_size == 1


def test_household_ballots_still_count_households(owned):
    ballot = open_ballot(owned.users.secretary)
    assert ballot.electorate_size == 3  # 101, 102, 201: the empty 103 has nobody registered
    assert set(Elector.objects.filter(ballot=ballot).values_list("dwelling_id", flat=True)) == {
        owned.home.dwelling_id,
        owned.neighbour_home.dwelling_id,
        owned.far_home.dwelling_id,
    }


def test_household_member_sees_the_owners_vote_and_the_roll_page_lists_owners(owned, login):
    ballot = open_ballot(owned.users.secretary, rule="civil_code_278", secret=True)
    services.vote_cast(actor=owned.users.resident, ballot=ballot, choices=["yes"])
    page = login(spouse_login(owned)).get(f"/me/ballots/{ballot.uuid}/")
    assert page.status_code == 200 and "已投票" in page.content.decode()
    roll = login(owned.users.secretary).get(f"/office/deliberation/ballots/{ballot.uuid}/roll/")
    html = roll.content.decode()
    assert roll.status_code == 200 and "张三丰、李秀英" in html and "钱多多" in html and "4 套房屋" in html


def test_ballot_form_says_why_a_278_ballot_cannot_start_and_writes_nothing(world, login):
    from django.urls import reverse

    from jumin.deliberation.models import Ballot

    closes = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = login(world.users.secretary).post(
        reverse("deliberation:office-ballot-new"),
        {
            "question": "是否同意调整物业费",
            "electorate": "household",
            "rule": "civil_code_278",
            "quorum": "0",
            "closes_at": closes,
        },
    )
    assert response.status_code == 200 and "没有登记产权人" in response.content.decode()
    assert not Ballot.objects.exists()
