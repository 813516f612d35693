"""Household tags as the list, the API and the ledger show them: 老年人 from birth dates, then members' tags."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from jumin.core.models import ApiToken
from jumin.people.models import Household, Relationship
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory
from jumin.places.tests.factories import DwellingFactory, UnitFactory


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_household_list_marks_households_with_a_member_aged_60_or_more(login, world):
    client = login(world.users.secretary)
    html = client.get(reverse("people:household-list"), {"tag": "elderly"}).content.decode()
    # home: 张三丰 66 and 李秀英 63, 党员 on file; the 60+ filter finds it, and the row says why.
    assert world.home.dwelling.address in html
    assert world.neighbour_home.dwelling.address not in html
    row = html[html.index(world.home.dwelling.address) :].split("</tr>")[0]
    assert '<span class="tag">老年人</span><span class="tag">党员</span>' in row


def test_api_household_tags_match_the_list_and_members_carry_elderly(client, world):
    headers = bearer(world.users.secretary)
    items = {i["uuid"]: i for i in client.get("/api/v1/households", **headers).json()["items"]}
    assert items[str(world.home.uuid)]["tags"] == ["老年人", "党员"]
    assert items[str(world.neighbour_home.uuid)]["tags"] == ["下岗职工"]
    assert items[str(world.far_home.uuid)]["tags"] == []
    detail = client.get(f"/api/v1/households/{world.home.uuid}", **headers).json()
    assert detail["tags"] == ["老年人", "党员"]
    assert {m["name"]: m["tags"] for m in detail["members"]} == {
        world.resident.name: ["老年人", "党员"],
        world.spouse.name: ["老年人"],
    }


def test_moved_out_elderly_member_no_longer_marks_the_household(client, world):
    from jumin.core.access import scope_for
    from jumin.people import services

    actor = world.users.secretary
    household = Household.objects.get(pk=world.home.pk)
    for member in (world.spouse, world.resident):
        household.refresh_from_db()
        services.resident_move_out(
            actor=actor,
            scope=scope_for(actor),
            resident=member,
            expected_version=household.version,
            on=member.created_at.date(),
            reason="迁往外地",
        )
    items = {i["uuid"]: i for i in client.get("/api/v1/households", **bearer(actor)).json()["items"]}
    assert items[str(world.home.uuid)]["tags"] == []


def test_household_ledger_has_the_tags_column(login, world):
    response = login(world.users.secretary).get(reverse("people:household-export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("小区", "门牌", "户主", "在册人数", "网格", "标签")
    by_address = {row[1]: row for row in rows[1:]}
    assert by_address[world.home.dwelling.address][5] == "老年人、党员"
    assert by_address[world.neighbour_home.dwelling.address][5] == "下岗职工"
    assert by_address[world.far_home.dwelling.address][5] in (None, "")


def test_household_ledger_uses_constant_queries(login, world, django_assert_max_num_queries):
    unit = UnitFactory(building=world.building, name="9单元")
    for n in range(30):
        household = HouseholdFactory(dwelling=DwellingFactory(unit=unit, number=f"{900 + n}"))
        ResidentFactory(household=household, age=70, tags=[world.tags.party])
        ResidentFactory(household=household, relationship=Relationship.CHILD, age=10)
    client = login(world.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:household-export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 33
    assert sum(1 for row in rows if row[5] == "老年人、党员") == 31
