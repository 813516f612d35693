"""List pages and API lists run a constant number of queries, whatever the row count."""

import pytest
from django.urls import reverse

from jumin.core.models import ApiToken
from jumin.people.models import Relationship
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory
from jumin.places.tests.factories import DwellingFactory, UnitFactory


@pytest.fixture
def many_households(world):
    unit = UnitFactory(building=world.building, name="9单元")
    for n in range(25):
        household = HouseholdFactory(dwelling=DwellingFactory(unit=unit, number=f"{900 + n}"))
        ResidentFactory(household=household, tags=[world.tags.party])
        ResidentFactory(household=household, relationship=Relationship.CHILD, age=10, tags=[world.tags.laid_off])
    return world


# session, user (with its community), count, page rows, their tags, filter-choice version, unread messages; a grid
# worker's scope adds their grids, a street leader's the street's communities. Counted on a second request: the
# first in a process also fills the filter-choice cache (3 queries), as the server does once per worker.
PAGE_QUERIES = 9


@pytest.mark.parametrize("page", ["people:household-list", "people:resident-list"])
@pytest.mark.parametrize("persona", ["secretary", "grid_worker", "street_leader"])
def test_register_lists_use_constant_queries(login, many_households, django_assert_max_num_queries, page, persona):
    client = login(getattr(many_households.users, persona))
    client.get(reverse(page))
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert "共 " in response.content.decode()


@pytest.mark.parametrize("page", ["people:household-list", "people:resident-list"])
@pytest.mark.parametrize(
    "query",
    [{"tag": "party_member", "age_band": "18-59", "q": "z"}, {"tag": "elderly"}, {"q": "0000"}, {"grid": "1"}],
)
def test_filtered_list_uses_constant_queries(login, many_households, django_assert_max_num_queries, page, query):
    client = login(many_households.users.secretary)
    client.get(reverse(page))
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse(page), query)
    assert response.status_code == 200


def test_household_list_shows_20_rows_with_links_and_tags(login, many_households):
    body = login(many_households.users.secretary).get(reverse("people:household-list")).content.decode()
    assert body.count('<td><a href="/office/households/') == 20
    assert "党员" in body and "下岗职工" in body and "老年人" in body


def test_household_list_htmx_partial_has_the_rows_and_the_pager(login, many_households):
    client = login(many_households.users.secretary)
    body = client.get(reverse("people:household-list"), {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert body.startswith("<table") or body.lstrip().startswith("<table")
    assert body.count('<td><a href="/office/households/') >= 5 and "上一页" in body
    assert "<html" not in body


def test_household_api_list_uses_constant_queries(client, many_households, django_assert_max_num_queries):
    token = ApiToken.issue(many_households.users.secretary)
    client.get("/api/v1/households", HTTP_AUTHORIZATION=f"Bearer {token}")  # marks the token used (once a minute)
    # the token with its user, the count, the page's rows, their tags
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/households", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 25
    assert len(body["items"]) == 20
    assert all(item["address"] and item["grid"] and item["compound"] for item in body["items"])


def test_export_uses_constant_queries(login, many_households, django_assert_max_num_queries):
    client = login(many_households.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:resident-export"))
    assert response.status_code == 200


def test_activation_review_uses_constant_queries(client, login, many_households, django_assert_max_num_queries):
    from jumin.people import services
    from jumin.people.models import Resident

    residents = Resident.objects.filter(community=many_households.a, user__isnull=True)[:22]
    for n, resident in enumerate(residents):
        services.activation_request(
            phone=resident.phone, id_number=resident.id_number, password=f"Pw-{n}-longer", client_ip=f"10.0.0.{n}"
        )
    staff = login(many_households.users.secretary)
    with django_assert_max_num_queries(12):
        response = staff.get(reverse("people:activation-list"))
    assert response.status_code == 200
    assert response.content.decode().count("通过<span") == 20


def test_audit_log_uses_constant_queries(login, many_households, django_assert_max_num_queries):
    from jumin.core.audit import audit_record

    for n in range(25):
        audit_record(
            actor=many_households.users.secretary, action="test", target=many_households.home, summary=f"记录{n}"
        )
    client = login(many_households.users.secretary)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dashboards:audit-list"))
    assert "记录24" in response.content.decode()


def test_street_office_home_counts_every_community_in_constant_queries(login, world, django_assert_max_num_queries):
    """The street leader's 工作台 shows a summary card per community; more communities add no queries."""
    from jumin.places.tests.factories import CommunityFactory

    for n in range(6):
        CommunityFactory(street=world.street, name=f"测试{n}社区")
    client = login(world.users.street_leader)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboards:office"))
    body = response.content.decode()
    assert (
        body.count('class="card" aria-labelledby="summary-') == 8
    )  # one per community, beside today's work and the totals
    a_card = body[body.index("玉龙湖社区</h2>") :].split("</section>")[0]
    # 玉龙湖: 3 households (4 active residents, 2 aged 60+), 2 compounds, 2 buildings, 1 station, 2 grids.
    values = [v.split("<")[0] for v in a_card.split('class="value">')[1:]]
    assert values == ["3", "4", "2", "2", "2", "1", "2"]
    assert "下岗职工 1" in a_card and "党员 1" in a_card
    b_card = body[body.index("黄河社区</h2>") :].split("</section>")[0]
    assert [v.split("<")[0] for v in b_card.split('class="value">')[1:]] == ["1", "1", "0", "1", "1", "1", "1"]
    empty_card = body[body.index("测试0社区</h2>") :].split("</section>")[0]
    assert [v.split("<")[0] for v in empty_card.split('class="value">')[1:]] == ["0"] * 7
