"""Every list runs in a constant number of queries (rows ≥ 20)."""

import pytest
from django.urls import reverse

from jumin.deliberation import services
from jumin.deliberation.models import Proposal
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory

from .conftest import bearer
from .factories import ProposalFactory, open_ballot


@pytest.fixture
def many(world):
    for i in range(25):
        ProposalFactory(proposer_resident=world.resident, title=f"议题 {i}", compound=world.compound if i % 2 else None)
    for _ in range(22):
        ResidentFactory(household=HouseholdFactory(dwelling__unit=world.home.dwelling.unit))
    ballots = [open_ballot(world.users.secretary, question=f"表决 {i}") for i in range(21)]
    for b in ballots[:5]:
        services.vote_cast(actor=world.users.resident, ballot=b, choices=["yes"])
    return ballots


def test_resident_proposal_list_is_constant(world, many, login, django_assert_max_num_queries):
    client = login(world.users.resident)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("deliberation:proposals")).status_code == 200
    assert Proposal.objects.count() >= 25


def test_office_lists_are_constant(world, many, login, django_assert_max_num_queries):
    client = login(world.users.secretary)
    for name in ["office-proposals", "office-ballots", "office-proposals-export", "office-ballots-export"]:
        client.get(reverse(f"deliberation:{name}"))
        with django_assert_max_num_queries(18):
            assert client.get(reverse(f"deliberation:{name}")).status_code == 200


def test_roll_is_constant(world, many, login, django_assert_max_num_queries):
    client = login(world.users.secretary)
    url = reverse("deliberation:office-roll", args=[many[0].uuid])
    client.get(url)
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200 and many[0].electorate_size >= 20


def test_api_lists_are_constant(world, many, client, django_assert_max_num_queries):
    auth = bearer(world.users.resident)
    for url in ["/api/v1/proposals", "/api/v1/ballots"]:
        client.get(url, **auth)
        with django_assert_max_num_queries(14):
            body = client.get(url, **auth).json()
        assert body["count"] >= 20
    staff = bearer(world.users.secretary)
    with django_assert_max_num_queries(14):
        assert client.get("/api/v1/ballots", **staff).json()["count"] == 21


def test_board_is_constant(world, many, client, django_assert_max_num_queries):
    url = reverse("deliberation:board", args=[world.a.uuid])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
