"""双报到服务任务: members employed elsewhere take on service tasks where they live; places hold under concurrency,
completion is recorded once, the secretary sees it and the tree rolls it up."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import ApiToken
from jumin.core.testing import WON, race
from jumin.party import selectors, services
from jumin.party.models import ClaimSource, ClaimStatus, ServiceTask, ServiceTaskClaim
from jumin.people.models import Relationship
from jumin.people.tests.factories import ResidentFactory

from .factories import build_tree

JOINED = datetime.date(2005, 7, 1)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def tree(world):
    tree = build_tree(world)
    # 张三丰 (the demo resident, 1号楼) reports to the community from his workplace; 王建国 too, in 第1网格.
    tree.zhang = services.member_enrol(
        actor=world.users.secretary,
        org=tree.group,
        resident=world.resident,
        joined_on=JOINED,
        dual_report=True,
        workplace="滨化集团",
    )
    tree.wang = services.member_enrol(
        actor=world.users.secretary, org=tree.grid1, resident=world.neighbour, joined_on=JOINED, dual_report=True
    )
    tree.zhao = services.member_enrol(
        actor=world.users.secretary, org=tree.grid2, resident=world.far_resident, joined_on=JOINED
    )
    return tree


def make_task(world, org, *, capacity=2, days=0, **extra):
    return services.task_create(
        actor=world.users.secretary,
        org=org,
        title=extra.pop("title", "服务站周末值守"),
        date=timezone.localdate() + datetime.timedelta(days=days),
        capacity=capacity,
        place="玉龙湖服务站",
        **extra,
    )


def test_a_member_signs_up_and_the_secretary_gives_a_task_to_another(world, tree):
    task = make_task(world, tree.grid1)
    mine = services.task_claim(actor=world.users.resident, task=task, member=tree.zhang)
    given = services.task_claim(actor=world.users.secretary, task=task, member=tree.wang)
    assert (mine.source, given.source) == (ClaimSource.SIGNED_UP, ClaimSource.ASSIGNED)
    task.refresh_from_db()
    assert task.taken == 2 and task.left == 0
    other = ResidentFactory(household=world.home, name="李在职", relationship=Relationship.CHILD)
    third = services.member_enrol(
        actor=world.users.secretary, org=tree.grid1, resident=other, joined_on=JOINED, dual_report=True
    )
    with pytest.raises(Conflict, match="人数已满"):
        services.task_claim(actor=world.users.secretary, task=task, member=third)
    second = make_task(world, tree.grid1, title="走访空巢老人")
    services.task_claim(actor=world.users.secretary, task=second, member=tree.wang)
    with pytest.raises(Conflict, match="已领办"):
        services.task_claim(actor=world.users.secretary, task=second, member=tree.wang)
    second.refresh_from_db()
    assert second.taken == 1
    assert ServiceTaskClaim.objects.filter(task=task).count() == 2


def test_only_dual_report_members_of_the_organisation_and_below_may_take_it(world, tree):
    task = make_task(world, tree.grid1)
    with pytest.raises(DomainError, match="双报到党员"):
        services.task_claim(actor=world.users.secretary, task=task, member=tree.zhao)  # not 双报到, 第2网格
    with pytest.raises(PermissionDenied):
        services.task_claim(actor=world.users.neighbour, task=task, member=tree.zhang)  # someone else's place
    with pytest.raises(PermissionDenied):
        services.task_claim(actor=world.users.other_secretary, task=task, member=tree.zhang)
    with pytest.raises(PermissionDenied):
        make_task(world, tree.b)  # another community's committee
    with pytest.raises(DomainError, match="不早于今天"):
        make_task(world, tree.grid1, days=-1)
    assert not ServiceTaskClaim.objects.exists()


def test_completion_is_recorded_once_with_hours_and_rolled_up_the_tree(world, tree):
    task = make_task(world, tree.station)
    claim = services.task_claim(actor=world.users.resident, task=task, member=tree.zhang)
    given = services.task_claim(actor=world.users.secretary, task=task, member=tree.wang)
    for bad in ("0", "-1", "25", "abc", "1e400", "NaN"):
        with pytest.raises(DomainError, match="服务时长"):
            services.task_complete(actor=world.users.resident, claim=claim, hours=bad, result="值守")
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=world.users.neighbour, claim=claim, hours=2, result="值守")
    services.task_complete(actor=world.users.resident, claim=claim, hours="2.5", result="接待居民 6 人")
    with pytest.raises(Conflict, match="已登记完成"):
        services.task_complete(actor=world.users.secretary, claim=claim, hours=1, result="重复")
    services.task_complete(actor=world.users.secretary, claim=given, hours=Decimal("3"), result="打扫楼道")
    claim.refresh_from_db()
    assert (
        claim.status == ClaimStatus.DONE and claim.hours == Decimal("2.5") and claim.recorded_by == world.users.resident
    )
    nodes = {n.org.pk: n for n in selectors.flatten(selectors.org_tree(world.users.secretary))}
    assert (nodes[tree.group.pk].own["tasks_done"], nodes[tree.group.pk].own["task_hours"]) == (1, Decimal("2.5"))
    assert (nodes[tree.grid1.pk].total["tasks_done"], nodes[tree.grid1.pk].total["task_hours"]) == (2, Decimal("5.5"))
    assert nodes[tree.a.pk].total["tasks_done"] == 2 == ServiceTaskClaim.objects.filter(status="done").count()
    assert nodes[tree.grid2.pk].total["tasks_done"] == 0


def test_a_task_in_the_future_cannot_be_completed_yet(world, tree):
    task = make_task(world, tree.grid1, days=3)
    claim = services.task_claim(actor=world.users.resident, task=task, member=tree.zhang)
    with pytest.raises(DomainError, match="服务日期到了"):
        services.task_complete(actor=world.users.resident, claim=claim, hours=2, result="值守")


@pytest.mark.django_db(transaction=True)
def test_a_tasks_places_hold_when_many_take_it_at_once(world):
    tree = build_tree(world)
    members = []
    for n in range(6):
        resident = ResidentFactory(household=world.home, name=f"在职{n}", relationship=Relationship.CHILD)
        members.append(
            services.member_enrol(
                actor=world.users.secretary, org=tree.group, resident=resident, joined_on=JOINED, dual_report=True
            )
        )
    task = make_task(world, tree.grid1, capacity=2)
    outcomes = race(
        members,
        load=lambda member: ServiceTask.objects.select_related("org").get(pk=task.pk),
        act=lambda member, copy: services.task_claim(actor=world.users.secretary, task=copy, member=member),
    )
    assert outcomes.count(WON) == 2
    assert all(o == WON or "人数已满" in o or "database" in o.lower() for o in outcomes)
    task.refresh_from_db()
    assert task.taken == 2 == ServiceTaskClaim.objects.filter(task=task).count()


# ---- pages and API from outside ----------------------------------------------------------------------------------


def test_task_pages_by_role_and_404_outside_scope(login, world, tree):
    task = make_task(world, tree.grid2)
    assert login(world.users.secretary).get(f"/office/party/tasks/{task.uuid}/").status_code == 200
    assert login(world.users.other_secretary).get(f"/office/party/tasks/{task.uuid}/").status_code == 404
    assert login(world.users.grid_worker).get(f"/office/party/tasks/{task.uuid}/").status_code == 404  # 第1网格
    assert login(world.users.window_staff).get("/office/party/tasks/").status_code == 403
    # 张三丰 is in 1号楼党小组 under 第1网格: a task of 第2网格 is not his; of the station it is.
    assert login(world.users.resident).get(f"/me/party/tasks/{task.uuid}/").status_code == 404
    station = make_task(world, tree.station, title="社区义诊志愿")
    assert login(world.users.resident).get(f"/me/party/tasks/{station.uuid}/").status_code == 200
    assert login(world.users.outsider).get(f"/me/party/tasks/{station.uuid}/").status_code == 404


def test_member_claims_and_completes_on_the_phone_and_the_secretary_sees_it(login, world, tree):
    task = make_task(world, tree.station, title="社区义诊志愿")
    phone = login(world.users.resident)
    home = phone.get("/me/party/").content.decode()
    assert "双报到服务" in home and "社区义诊志愿" in home
    response = phone.post(f"/me/party/tasks/{task.uuid}/", {"action": "claim"}, follow=True)
    assert "已认领“社区义诊志愿”" in response.content.decode()
    response = phone.post(
        f"/me/party/tasks/{task.uuid}/",
        {"action": "complete", "done-hours": "2", "done-result": '=HYPERLINK("x")\x00'},
    )
    assert response.status_code == 200 and ServiceTaskClaim.objects.get().status == ClaimStatus.CLAIMED
    response = phone.post(
        f"/me/party/tasks/{task.uuid}/",
        {"action": "complete", "done-hours": "2", "done-result": "量血压 30 人"},
        follow=True,
    )
    assert "✔ 已完成" in response.content.decode()
    office = login(world.users.secretary)
    page = office.get(f"/office/party/tasks/{task.uuid}/").content.decode()
    assert "张三丰" in page and "量血压 30 人" in page and "本人认领" in page
    record = office.get(f"/office/party/members/{tree.zhang.uuid}/").content.decode()
    assert "双报到服务记录" in record and "社区义诊志愿" in record
    tree_page = office.get("/office/party/orgs/").content.decode()
    assert "1 次 / 2 小时" in tree_page


def test_secretary_publishes_assigns_and_records_completion_from_the_pages(login, world, tree):
    office = login(world.users.secretary)
    response = office.post(
        "/office/party/tasks/",
        {
            "org": str(tree.grid1.uuid),
            "title": "楼道清扫",
            "date": timezone.localdate().isoformat(),
            "place": "1号楼",
            "capacity": "3",
        },
        follow=True,
    )
    assert "已发布任务“楼道清扫”" in response.content.decode()
    task = ServiceTask.objects.get(title="楼道清扫")
    response = office.post(
        f"/office/party/tasks/{task.uuid}/", {"action": "assign", "assign-member": str(tree.wang.uuid)}, follow=True
    )
    assert "已将任务分派给王建国" in response.content.decode()
    claim = ServiceTaskClaim.objects.get(task=task)
    response = office.post(
        f"/office/party/tasks/{task.uuid}/",
        {
            "action": "complete",
            "claim": str(claim.uuid),
            f"c{claim.pk}-hours": "1.5",
            f"c{claim.pk}-result": "清扫完毕",
        },
        follow=True,
    )
    assert "已登记王建国完成“楼道清扫”" in response.content.decode()
    # Hostile input on publishing: a Chinese message, nothing written.
    for bad in ({"capacity": "99999999999999999999999"}, {"title": "x" * 20000}, {"title": "楼\x07道"}):
        data = {
            "org": str(tree.grid1.uuid),
            "title": "好任务",
            "date": timezone.localdate().isoformat(),
            "capacity": "2",
        }
        response = office.post("/office/party/tasks/", {**data, **bad})
        assert response.status_code == 200
    assert ServiceTask.objects.count() == 1
    # A grid worker reads but may not assign.
    assert (
        login(world.users.grid_worker)
        .post(f"/office/party/tasks/{task.uuid}/", {"action": "assign", "assign-member": str(tree.zhang.uuid)})
        .status_code
        == 403
    )


def test_task_list_and_export_use_constant_queries(login, world, tree, django_assert_max_num_queries):
    for n in range(22):
        make_task(world, tree.grid1, title=f"任务{n:02d}", days=n % 3)
    client = login(world.users.secretary)
    with django_assert_max_num_queries(20):
        response = client.get("/office/party/tasks/?when=all")
    assert response.status_code == 200 and response.content.decode().count("/office/party/tasks/") >= 20
    with django_assert_max_num_queries(12):
        response = client.get(f"/office/party/tasks/export.xlsx?when=all&org={tree.grid1.uuid}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "服务日期" and len(rows) == 1 + 22
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/party/tasks?page_size=50", **bearer(world.users.secretary)).json()
    assert body["count"] == 22 and len(body["items"]) == 22


def test_claim_api_answers_201_then_409_when_full(client, world, tree):
    task = make_task(world, tree.grid1, capacity=1)
    url = f"/api/v1/party/tasks/{task.uuid}/claims"
    response = client.post(url, {}, content_type="application/json", **bearer(world.users.resident))
    assert response.status_code == 201 and response.json()["source"] == "signed_up" and response.json()["left"] == 0
    response = client.post(
        url, {"member": str(tree.wang.uuid)}, content_type="application/json", **bearer(world.users.secretary)
    )
    assert response.status_code == 409 and "已满" in response.json()["detail"]
    for body in ("{", '{"member": "=1+1"}', '{"member": 123456789012345678901234567890}', '{"x": 1}'):
        response = client.post(url, body, content_type="application/json", **bearer(world.users.secretary))
        assert 400 <= response.status_code < 500
    assert client.post(url, {}, content_type="application/json", **bearer(world.users.outsider)).status_code == 404
    assert ServiceTaskClaim.objects.count() == 1
    listing = client.get("/api/v1/party/tasks", **bearer(world.users.resident)).json()
    assert [t["title"] for t in listing["items"]] == ["服务站周末值守"]
    assert client.get("/api/v1/party/tasks", **bearer(world.users.outsider)).json()["count"] == 0
    org = client.get("/api/v1/party/orgs?level=grid_branch", **bearer(world.users.secretary)).json()["items"][0]
    assert org["counts"]["task_hours"] == "0.0"


def test_demo_step_publishes_tasks_that_members_take_and_finish(world, tree):
    import random

    from jumin.party.demo_orgs import demo_service_tasks

    now = timezone.now()
    line = demo_service_tasks(world.a, random.Random(3), now)
    assert line.startswith("7 个双报到服务任务")
    tasks = ServiceTask.objects.filter(community=world.a)
    assert tasks.count() == 7 and tasks.filter(date__gt=timezone.localdate(now)).count() == 2
    assert all(t.taken == t.claims.count() <= t.capacity for t in tasks)
    done = ServiceTaskClaim.objects.filter(status=ClaimStatus.DONE)
    assert done.exists() and all(c.task.date <= timezone.localdate(now) for c in done)
    assert not ServiceTaskClaim.objects.exclude(member__dual_report=True).exists()


def test_date_fields_render_their_initial_value_as_iso_for_the_browser(login, world, tree):
    page = login(world.users.secretary).get("/office/party/tasks/").content.decode()
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in page
