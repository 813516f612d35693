"""The organisation and reception pages and API from outside: who sees what, 404 for the rest, constant queries."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jumin.core.models import ApiToken, Role
from jumin.party import services
from jumin.party.models import PartyMember, ReceptionSignup
from jumin.people.models import Relationship
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .factories import build_tree


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def tree(world):
    tree = build_tree(world)
    services.members_place_tagged(actor=world.users.secretary, community=world.a)
    return tree


@pytest.fixture
def many_members(world, tree):
    for n in range(22):
        resident = ResidentFactory(
            household=world.home, name=f"党员{n:02d}", relationship=Relationship.CHILD, age=30 + n
        )
        services.member_enrol(
            actor=world.users.secretary, org=tree.group, resident=resident, joined_on=datetime.date(2010, 1, 1)
        )
    return tree


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("street_leader", 200), ("grid_worker", 200), ("window_staff", 403), ("mediator", 403)],
)
def test_the_tree_page_by_role(login, world, tree, persona, status):
    response = login(getattr(world.users, persona)).get("/office/party/orgs/")
    assert response.status_code == status


def test_a_resident_gets_404_on_the_office_tree(login, world, tree):
    assert login(world.users.resident).get("/office/party/orgs/").status_code == 404


def test_secretary_sees_counts_rolled_up_and_other_secretary_gets_404_on_the_branch(login, world, tree):
    page = login(world.users.secretary).get("/office/party/orgs/").content.decode()
    assert "玉龙湖社区党委" in page and "黄河社区党委" not in page and "1 人" in page
    assert login(world.users.other_secretary).get(f"/office/party/orgs/{tree.grid1.uuid}/").status_code == 404
    assert login(world.users.grid_worker).get(f"/office/party/orgs/{tree.grid2.uuid}/").status_code == 404
    assert login(world.users.grid_worker).get(f"/office/party/orgs/{tree.grid1.uuid}/").status_code == 200


def test_roster_page_and_export_use_constant_queries(login, world, many_members, django_assert_max_num_queries):
    client = login(world.users.secretary)
    with django_assert_max_num_queries(25):
        response = client.get(f"/office/party/orgs/{many_members.grid1.uuid}/")
    assert response.status_code == 200 and "共 23 人" in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(f"/office/party/orgs/{many_members.grid1.uuid}/roster.xlsx?standing=full")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 24
    phones = [r[-1] for r in rows[1:]]
    assert all("****" in p for p in phones)


def test_roster_filter_narrows_the_export(login, world, many_members):
    response = login(world.users.secretary).get(f"/office/party/orgs/{many_members.grid1.uuid}/roster.xlsx?q=党员01")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["党员01"]


def test_secretary_enrols_a_resident_from_the_branch_page(login, world, tree):
    client = login(world.users.secretary)
    response = client.post(
        f"/office/party/orgs/{tree.grid1.uuid}/",
        {
            "action": "enrol",
            "find": "王建国",
            "enrol-resident": str(world.neighbour.uuid),
            "enrol-joined_on": "2015-07-01",
            "enrol-standing": "full",
        },
        follow=True,
    )
    assert "已将王建国编入第1网格党支部" in response.content.decode()
    assert PartyMember.objects.get(resident=world.neighbour).org == tree.grid1


def test_grid_worker_cannot_enrol(login, world, tree):
    response = login(world.users.grid_worker).post(
        f"/office/party/orgs/{tree.grid1.uuid}/", {"action": "enrol", "enrol-resident": str(world.neighbour.uuid)}
    )
    assert response.status_code == 403
    assert not PartyMember.objects.filter(resident=world.neighbour).exists()


def test_tree_api_gives_each_node_its_parent_and_rolled_up_members(client, world, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/party/orgs", **bearer(world.users.secretary))
    assert response.status_code == 200
    items = {i["name"]: i for i in response.json()["items"]}
    assert items["玉龙湖社区党委"]["members"] == 1 and items["玉龙湖社区党委"]["parent"] == str(tree.street.uuid)
    assert items["1号楼党小组"]["parent"] == str(tree.grid1.uuid) and items["1号楼党小组"]["level"] == "building_group"
    assert "黄河社区党委" not in items
    assert client.get(f"/api/v1/party/orgs/{tree.b.uuid}", **bearer(world.users.secretary)).status_code == 404
    detail = client.get(f"/api/v1/party/orgs/{tree.a.uuid}", **bearer(world.users.secretary)).json()
    assert [c["name"] for c in detail["children"]] == ["玉龙湖服务站党总支"]


def test_members_api_is_scoped_paginated_and_masked(client, world, many_members, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/party/members?page_size=10", **bearer(world.users.secretary))
    body = response.json()
    assert body["count"] == 23 and len(body["items"]) == 10 and body["next"] == 2
    assert all("****" in m["phone"] for m in body["items"])
    assert client.get("/api/v1/party/members", **bearer(world.users.other_secretary)).json()["count"] == 0
    assert client.get("/api/v1/party/members", **bearer(world.users.window_staff)).json()["count"] == 0
    assert (
        client.get(f"/api/v1/party/members?org={many_members.b.uuid}", **bearer(world.users.secretary)).status_code
        == 404
    )
    assert (
        client.get("/api/v1/party/members?page=99999999999999999999999", **bearer(world.users.secretary)).status_code
        == 422
    )


def test_member_sees_their_own_record_on_the_phone(login, world, tree):
    page = login(world.users.resident).get("/me/party/").content.decode()
    assert "我的党员档案" in page and "1号楼党小组" in page
    assert "我的党员档案" not in login(world.users.neighbour).get("/me/party/").content.decode()


@pytest.fixture
def day(world):
    rep = UserFactory(role=Role.PARTY_REP, community=world.a)
    return services.reception_day_create(
        actor=rep,
        date=timezone.localdate() + datetime.timedelta(days=2),
        place="红色驿站",
        slots=[(datetime.time(9), datetime.time(9, 30), 1)],
    )


def test_signup_api_answers_201_then_409_when_full(client, world, day):
    slot = day.slots.get()
    url = f"/api/v1/party/reception-days/{day.uuid}/signups"
    response = client.post(
        url, {"slot": str(slot.uuid), "topic": "电梯"}, content_type="application/json", **bearer(world.users.resident)
    )
    assert response.status_code == 201, response.content
    assert response.json()["resident"] == world.resident.name
    response = client.post(
        url, {"slot": str(slot.uuid)}, content_type="application/json", **bearer(world.users.neighbour)
    )
    assert response.status_code == 409 and "约满" in response.json()["detail"]
    assert ReceptionSignup.objects.count() == 1


def test_signup_api_refuses_hostile_input_without_writing(client, world, day):
    url = f"/api/v1/party/reception-days/{day.uuid}/signups"
    slot = str(day.slots.get().uuid)
    for body in ({"slot": "not-a-uuid"}, {"slot": slot, "topic": "长" * 20000}, {"slot": [1, 2]}):
        response = client.post(url, body, content_type="application/json", **bearer(world.users.resident))
        assert response.status_code == 422, body
    assert client.post(url, "{", content_type="application/json", **bearer(world.users.resident)).status_code == 400
    assert (
        client.post(
            f"/api/v1/party/reception-days/{day.uuid}/signups",
            {"slot": str(world.a.uuid)},
            content_type="application/json",
            **bearer(world.users.resident),
        ).status_code
        == 404
    )
    assert (
        client.post(url, {"slot": slot}, content_type="application/json", **bearer(world.users.outsider)).status_code
        == 404
    )
    assert not ReceptionSignup.objects.exists()


def test_reception_days_api_lists_the_residents_community_only(client, world, day):
    assert client.get("/api/v1/party/reception-days", **bearer(world.users.resident)).json()["count"] == 1
    assert client.get("/api/v1/party/reception-days", **bearer(world.users.outsider)).json()["count"] == 0


def test_resident_books_a_slot_on_the_phone(login, world, day):
    client = login(world.users.resident)
    assert day.date.strftime("%-d日") in client.get("/me/reception-days/").content.decode()
    response = client.post(f"/me/reception-days/{day.uuid}/", {"slot": str(day.slots.get().uuid)}, follow=True)
    assert "预约成功" in response.content.decode() and "您已预约" in response.content.decode()
    assert ReceptionSignup.objects.get().resident == world.resident
    assert login(world.users.outsider).get(f"/me/reception-days/{day.uuid}/").status_code == 404


def test_day_list_uses_constant_queries(login, world, django_assert_max_num_queries):
    rep = UserFactory(role=Role.PARTY_REP, community=world.a)
    for n in range(21):
        services.reception_day_create(
            actor=rep,
            date=timezone.localdate() + datetime.timedelta(days=n),
            place="红色驿站",
            slots=[(datetime.time(9), datetime.time(9, 30), 1)],
        )
    client = login(world.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get("/office/party/reception-days/")
    assert response.status_code == 200 and response.content.decode().count("/office/party/reception-days/") >= 20


def test_tree_page_and_its_export_use_constant_queries(login, world, tree, django_assert_max_num_queries):
    from jumin.party.models import OrgLevel
    from jumin.places.tests.factories import BuildingFactory

    for n in range(20):
        building = BuildingFactory(compound=world.compound, community=world.a, grid=world.grid2, name=f"{n + 10}号楼")
        services.org_create(
            actor=world.users.secretary,
            level=OrgLevel.BUILDING_GROUP,
            name=f"{n + 10}号楼党小组",
            parent=tree.grid2,
            buildings=[building],
        )
    client = login(world.users.secretary)
    with django_assert_max_num_queries(14):
        response = client.get("/office/party/orgs/")
    assert response.status_code == 200 and response.content.decode().count("号楼党小组") == 21
    with django_assert_max_num_queries(8):
        response = client.get("/office/party/orgs/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "党组织" and len(rows) == 1 + 5 + 20


def test_member_record_transfer_and_approval_through_the_pages(login, world, tree):
    member = PartyMember.objects.get(resident=world.resident)
    client = login(world.users.secretary)
    page = client.get(f"/office/party/members/{member.uuid}/").content.decode()
    assert "申请组织关系转接" in page and world.resident.phone in page
    response = client.post(
        f"/office/party/members/{member.uuid}/",
        {
            "action": "transfer",
            "transfer-kind": "within",
            "transfer-to_org": str(tree.grid2.uuid),
            "transfer-reason": "搬家",
        },
        follow=True,
    )
    assert "已提交转接申请" in response.content.decode()
    transfer = member.transfers.get()
    response = client.post(
        "/office/party/transfers/", {"transfer": str(transfer.uuid), "decision": "approve"}, follow=True
    )
    assert f"已批准{world.resident.name}的本街道内转接申请" in response.content.decode()
    member.refresh_from_db()
    assert member.org == tree.grid2
    # A grid worker reads the record with the phone masked and gets no transfer form; another community: 404.
    grid_page = login(world.users.grid_worker).get(f"/office/party/members/{member.uuid}/")
    assert grid_page.status_code == 404  # the member now belongs to 第2网格, outside the worker's grid
    assert login(world.users.other_secretary).get(f"/office/party/members/{member.uuid}/").status_code == 404


def test_care_visit_is_recorded_and_a_future_date_refused(login, world, tree):
    member = PartyMember.objects.get(resident=world.resident)
    client = login(world.users.secretary)
    today = timezone.localdate()
    response = client.post(
        f"/office/party/members/{member.uuid}/",
        {"action": "care", "care-kind": "birthday", "care-visited_on": today.isoformat(), "care-note": "送去生日蛋糕"},
        follow=True,
    )
    assert "已登记走访" in response.content.decode() and member.care.count() == 1
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/office/party/members/{member.uuid}/",
        {"action": "care", "care-kind": "illness", "care-visited_on": tomorrow, "care-note": "x"},
    )
    assert "不能晚于今天" in response.content.decode() and member.care.count() == 1


def test_secretary_receives_a_member_from_outside_through_the_pages(login, world, tree):
    client = login(world.users.secretary)
    page = client.get(f"/office/party/orgs/{tree.grid1.uuid}/?find=王建国").content.decode()
    assert "接收转入党员" in page
    response = client.post(
        f"/office/party/orgs/{tree.grid1.uuid}/",
        {
            "action": "transfer_in",
            "find": "王建国",
            "in-resident": str(world.neighbour.uuid),
            "in-outside_org": "济南市历下区某社区党委",
            "in-joined_on": "2012-07-01",
            "in-standing": "full",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "已登记王建国的转入申请" in body and "济南市历下区某社区党委" in body
    member = PartyMember.objects.get(resident=world.neighbour)
    assert not member.active
    record = client.get(f"/office/party/members/{member.uuid}/").content.decode()
    assert "转入待审批" in record
    transfer = member.transfers.get()
    response = client.post(
        "/office/party/transfers/", {"transfer": str(transfer.uuid), "decision": "approve"}, follow=True
    )
    assert "已批准王建国的转入申请" in response.content.decode()
    member.refresh_from_db()
    assert member.active and member.org == tree.grid1
    # Hostile input: nothing written, a Chinese message.
    response = client.post(
        f"/office/party/orgs/{tree.grid1.uuid}/",
        {
            "action": "transfer_in",
            "find": "赵红梅",
            "in-resident": str(world.far_resident.uuid),
            "in-outside_org": "=cmd|x\x07",
            "in-joined_on": "2012-07-01",
            "in-standing": "full",
        },
    )
    assert response.status_code == 200 and not PartyMember.objects.filter(resident=world.far_resident).exists()


def test_grid_worker_cannot_receive_a_transfer_in(login, world, tree):
    response = login(world.users.grid_worker).post(
        f"/office/party/orgs/{tree.grid1.uuid}/",
        {"action": "transfer_in", "in-resident": str(world.neighbour.uuid), "in-outside_org": "外市"},
    )
    assert response.status_code == 403
    assert not PartyMember.objects.filter(resident=world.neighbour).exists()


def test_secretary_appoints_and_removes_a_branch_secretary_from_the_page(login, world, tree):
    zhang = PartyMember.objects.get(resident=world.resident)  # placed in 1号楼党小组, below 第1网格党支部
    wang = services.member_enrol(
        actor=world.users.secretary, org=tree.grid1, resident=world.neighbour, joined_on=datetime.date(2010, 7, 1)
    )
    client = login(world.users.secretary)
    url = f"/office/party/orgs/{tree.grid1.uuid}/"
    appoint = {"action": "committee", "committee-role": "secretary", "committee-member": str(zhang.uuid)}
    response = client.post(url, appoint, follow=True)
    assert f"已任命{world.resident.name}为第1网格党支部书记" in response.content.decode()
    response = client.post(url, {**appoint, "committee-member": str(wang.uuid)})
    assert "已有书记" in response.content.decode()
    seat = tree.grid1.committee.get()
    assert seat.member == zhang
    # The new secretary now sees the branch on the phone-side pages; removing them takes it away again.
    assert "第1网格党支部" in {n.org.name for n in selectors_flat(world.users.resident)}
    response = client.post(url, {"action": "seat_remove", "seat": str(seat.pk)}, follow=True)
    assert f"已免去{world.resident.name}的书记职务" in response.content.decode()
    assert not tree.grid1.committee.exists() and not selectors_flat(world.users.resident)
    response = client.post(url, {**appoint, "committee-member": str(wang.uuid)}, follow=True)
    assert "已任命王建国为第1网格党支部书记" in response.content.decode()
    # A member of another branch is not offered; a grid worker may not appoint.
    far = services.member_enrol(
        actor=world.users.secretary, org=tree.grid2, resident=world.far_resident, joined_on=datetime.date(2010, 7, 1)
    )
    response = client.post(url, {**appoint, "committee-role": "committee", "committee-member": str(far.uuid)})
    assert "请选择列表中的党员" in response.content.decode()
    worker = login(world.users.grid_worker)
    assert worker.post(url, {**appoint, "committee-role": "deputy"}).status_code == 403
    assert worker.post(url, {"action": "seat_remove", "seat": str(tree.grid1.committee.get().pk)}).status_code == 403
    assert tree.grid1.committee.count() == 1


def selectors_flat(user):
    from jumin.party import selectors

    return selectors.flatten(selectors.org_tree(user))
