"""Lists run a constant number of queries, whatever the number of disputes."""

import pytest
from django.urls import reverse

from jumin.mediation import services
from jumin.people.tests.factories import ResidentFactory

from .conftest import bearer, register, session


@pytest.fixture
def many(world):
    """25 disputes assigned to the mediator, each with its own neighbour as the other party."""
    disputes = []
    for n in range(25):
        other = ResidentFactory(household=world.neighbour_home, name=f"邻居{n}")
        d = register(world, parties=[other, world.neighbour], title=f"纠纷{n}")
        services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
        d.case.refresh_from_db()
        disputes.append(d)
    return disputes


@pytest.mark.parametrize("persona", ["secretary", "mediator", "grid_worker", "street_leader"])
def test_dispute_list_uses_constant_queries(world, many, login, django_assert_max_num_queries, persona):
    client = login(getattr(world.users, persona))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mediation:dispute-list"))
    assert response.status_code == 200
    html = response.content.decode()
    expected = "共 25 条" if persona in ("secretary", "mediator") else "没有您可以查看的纠纷"
    assert expected in html


def test_filtered_list_and_counts_use_constant_queries(world, many, login, django_assert_max_num_queries):
    client = login(world.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("mediation:dispute-list"), {"status": "accepted", "category": "noise", "q": "纠纷"}
        )
    assert "共 25 条" in response.content.decode()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("mediation:dispute-counts")).status_code == 200


def test_sessions_api_uses_constant_queries(world, many, client, django_assert_max_num_queries):
    d = many[0]
    for _ in range(22):
        session(world, d)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/disputes/{d.case.uuid}/sessions", **bearer(world.users.mediator))
    body = response.json()
    assert body["count"] == 22 and len(body["items"]) == 20
    assert len(body["items"][0]["attendees"]) == 3


def test_case_page_with_the_panel_stays_small(world, many, login, django_assert_max_num_queries):
    d = many[0]
    for _ in range(5):
        session(world, d)
    client = login(world.users.mediator)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("cases:case-detail", args=[d.case.uuid]))
    assert response.status_code == 200
