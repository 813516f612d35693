"""One vote per household (or person) holds under real concurrency, on SQLite and PostgreSQL: the unique
constraint decides, whatever the channel."""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from jumin.core.models import Role
from jumin.core.testing import WON, race
from jumin.deliberation import services
from jumin.deliberation.models import Ballot, Channel, ProposalSupport, Proxy, Vote
from jumin.people.models import Household, Resident
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.places.models import Dwelling

from .conftest import upload
from .factories import open_ballot


def bulk_households(world, n: int) -> list[Household]:
    """n households with one registered adult each, written in bulk (factories would take minutes)."""
    unit = world.home.dwelling.unit
    dwellings = Dwelling.objects.bulk_create(
        [Dwelling(community=world.a, unit=unit, number=f"B{i}", address=f"玉龙花园1号楼1单元B{i}室") for i in range(n)]
    )
    homes = Household.objects.bulk_create(
        [
            Household(community=world.a, grid=world.grid1, compound=world.compound, dwelling=d, head_name=f"户主{i}")
            for i, d in enumerate(dwellings)
        ]
    )
    Resident.objects.bulk_create(
        [
            Resident(
                community=world.a,
                household=h,
                grid=world.grid1,
                name=f"居民{i}",
                name_pinyin=f"jumin{i}",
                relationship="head",
                gender="M",
                birth_date=datetime.date(1970, 1, 1),
                id_number=f"X{i:017d}",
                id_hash=f"h{i}",
                id_masked="1****",
                id_tail=f"{i % 10000:04d}",
            )
            for i, h in enumerate(homes)
        ]
    )
    return homes


@pytest.mark.django_db(transaction=True)
def test_fifty_members_voting_for_one_household_at_once_store_one_vote(world):
    members = [ResidentFactory(household=world.home, relationship="child", age=30) for _ in range(8)]
    users = [world.users.resident] + [
        UserFactory(role=Role.RESIDENT, phone=m.phone, name=m.name, resident=m) for m in members
    ]
    ballot = open_ballot(world.users.secretary)
    contenders = [users[i % len(users)] for i in range(50)]
    outcomes = race(
        contenders,
        load=lambda user: (type(user).objects.get(pk=user.pk), Ballot.objects.get(pk=ballot.pk)),
        act=lambda user, copy: services.vote_cast(actor=copy[0], ballot=copy[1], choices=["yes"]),
        timeout=120,
    )
    assert outcomes.count(WON) == 1, outcomes
    assert all("已经投过票" in o for o in outcomes if o != WON)
    assert Vote.objects.filter(ballot=ballot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_online_and_paper_vote_for_one_household_at_once_store_one(world):
    ballot = open_ballot(world.users.secretary)
    staff = world.users.window_staff

    def act(who, fresh):
        if who == "paper":
            services.paper_vote_enter(actor=staff, ballot=fresh, household=world.home, choices=["no"])
        else:
            services.vote_cast(actor=world.users.resident, ballot=fresh, choices=["yes"])

    outcomes = race(["paper", "online"] * 5, load=lambda _: Ballot.objects.get(pk=ballot.pk), act=act)
    assert outcomes.count(WON) == 1, outcomes
    assert Vote.objects.filter(ballot=ballot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_hundred_paper_votes_for_different_households_entered_at_once_lose_none(world):
    homes = bulk_households(world, 500)
    ballot = open_ballot(world.users.secretary)
    staff = world.users.window_staff

    def enter(home):
        try:
            services.paper_vote_enter(
                actor=staff, ballot=Ballot.objects.get(pk=ballot.pk), household=home, choices=["yes"]
            )
            return WON
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = list(pool.map(enter, homes))
    assert outcomes.count(WON) == 500
    assert Vote.objects.filter(ballot=ballot, channel=Channel.PAPER).count() == 500


@pytest.mark.django_db(transaction=True)
def test_one_proxy_offered_more_letters_at_once_than_allowed_takes_three(world):
    homes = bulk_households(world, 8)
    ballot = open_ballot(world.users.secretary)
    letter = services.upload_store(actor=world.users.secretary, community_id=world.a.pk, upload=upload())
    grantors = [Resident.objects.get(household=h) for h in homes]
    outcomes = race(
        grantors,
        load=lambda g: Ballot.objects.get(pk=ballot.pk),
        act=lambda g, fresh: services.proxy_grant(
            actor=world.users.window_staff, ballot=fresh, grantor=g, holder=world.far_resident, letter=letter
        ),
    )
    assert outcomes.count(WON) == 3, outcomes
    assert Proxy.objects.filter(ballot=ballot, holder=world.far_resident).count() == 3


@pytest.mark.django_db(transaction=True)
def test_double_tap_on_support_counts_once(world):
    proposal = services.proposal_create(
        actor=world.users.resident, title="加装电梯", text="老楼加装电梯", category="facility"
    )
    outcomes = race(
        range(10),
        load=lambda _: type(proposal).objects.get(pk=proposal.pk),
        act=lambda _, fresh: services.proposal_support(actor=world.users.neighbour, proposal=fresh),
    )
    assert outcomes.count(WON) == 1
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == ProposalSupport.objects.filter(proposal=proposal).count()


@pytest.mark.django_db(transaction=True)
def test_co_owners_and_a_paper_ballot_for_one_dwelling_at_once_store_one(world):
    """A 第278条 ballot: both co-owners of 101 online and staff on paper, all at once: one vote for the dwelling."""
    from jumin.deliberation.models import Elector
    from jumin.places.models import DwellingOwner

    Dwelling.objects.filter(pk=world.home.dwelling_id).update(floor_area="120.00")
    for name in ("张三丰", "李秀英"):
        DwellingOwner.objects.create(community=world.a, dwelling=world.home.dwelling, name=name)
    spouse = UserFactory(role=Role.RESIDENT, phone=world.spouse.phone, name=world.spouse.name, resident=world.spouse)
    ballot = open_ballot(world.users.secretary, rule="civil_code_278")
    row = Elector.objects.get(ballot=ballot)
    staff = world.users.window_staff

    def act(who, fresh):
        if who == "paper":
            services.paper_vote_enter(actor=staff, ballot=fresh, elector=row, choices=["no"])
        else:
            services.vote_cast(actor=who, ballot=fresh, choices=["yes"])

    contenders = ["paper", world.users.resident, spouse] * 4
    outcomes = race(contenders, load=lambda _: Ballot.objects.get(pk=ballot.pk), act=act, timeout=120)
    assert outcomes.count(WON) == 1, outcomes
    assert Vote.objects.filter(ballot=ballot).count() == 1
