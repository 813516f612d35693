import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from jumin.cases.figures import case_figures
from jumin.cases.selectors import cases_for, work_queue
from jumin.cases.services import case_take, case_transition
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import ApiToken, Role
from jumin.core.workdays import END_OF_DAY, add_working_days
from jumin.partners import services
from jumin.partners.inbox import joint_task_source
from jumin.partners.models import JointTask, MeetingStatus, PartnerUnit
from jumin.people.tests.factories import UserFactory

from .factories import PartnerMemberFactory, PartnerUnitFactory


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def units(world):
    street_unit = PartnerUnitFactory(street=world.street, community=None, name="滨化集团")
    police = PartnerUnitFactory(street=world.street, community=world.a, name="东城交警中队", kind="police")
    other = PartnerUnitFactory(street=world.street, community=world.b, name="黄河小学", kind="school")
    return street_unit, police, other


@pytest.fixture
def partner(world, units):
    user = UserFactory(role=Role.PARTNER_MEMBER, name="韩联络")
    PartnerMemberFactory(unit=units[1], name=user.name, user=user)
    return user


@pytest.fixture
def meeting(world, units):
    return services.meeting_create(
        actor=world.users.secretary,
        community=world.a,
        title="第四季度党建联席会议",
        held_at=timezone.now(),
        place="党群服务中心",
        agenda="一、上学高峰交通",
        units=units[:2],
    )


def test_units_are_scoped_to_the_community_and_the_street(client, world, units, partner):
    names = lambda user: {i["name"] for i in client.get("/api/v1/partners", **bearer(user)).json()["items"]}  # noqa: E731
    assert names(world.users.secretary) == {"滨化集团", "东城交警中队"}
    assert names(world.users.other_secretary) == {"滨化集团", "黄河小学"}
    assert names(world.users.street_leader) == {"滨化集团", "东城交警中队", "黄河小学"}
    assert names(partner) == {"东城交警中队"}
    assert names(world.users.resident) == set()
    assert client.get(f"/api/v1/partners/units/{units[2].uuid}", **bearer(world.users.secretary)).status_code == 404
    detail = client.get(f"/api/v1/partners/units/{units[1].uuid}", **bearer(world.users.secretary)).json()
    assert detail["name"] == "东城交警中队" and detail["level"] == "community"


def test_unit_list_page_and_export_with_constant_queries(login, world, django_assert_max_num_queries):
    for n in range(21):
        PartnerUnitFactory(street=world.street, community=world.a, name=f"单位{n:02d}")
    client = login(world.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get("/office/partners/")
    assert response.status_code == 200 and "单位00" in response.content.decode()
    with django_assert_max_num_queries(8):
        response = client.get("/office/partners/export.xlsx?q=单位0")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 11  # header + 单位00 … 单位09
    assert login(world.users.window_staff).get("/office/partners/").status_code == 403
    assert login(world.users.resident).get("/office/partners/").status_code == 404


def test_secretary_registers_a_unit_and_a_grid_worker_cannot(login, world):
    response = login(world.users.secretary).post(
        "/office/partners/new/", {"name": "北镇七小", "kind": "school"}, follow=True
    )
    assert "已登记共建单位“北镇七小”" in response.content.decode()
    assert PartnerUnit.objects.get(name="北镇七小").community == world.a
    assert (
        login(world.users.grid_worker).post("/office/partners/new/", {"name": "x", "kind": "school"}).status_code == 403
    )
    with pytest.raises(DomainError, match="同名"):
        services.unit_create(
            actor=world.users.secretary, street=world.street, community=world.a, name="北镇七小", kind="school"
        )


def test_a_meeting_invites_only_units_of_the_street_or_community(world, units):
    with pytest.raises(DomainError, match="只能邀请"):
        services.meeting_create(
            actor=world.users.secretary,
            community=world.a,
            title="t",
            held_at=timezone.now(),
            place="p",
            agenda="a",
            units=[units[2]],
        )
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=world.users.grid_worker,
            community=world.a,
            title="t",
            held_at=timezone.now(),
            place="p",
            agenda="a",
            units=[units[1]],
        )


def test_a_resolution_that_needs_work_becomes_a_joint_task_tracked_to_done(world, units, partner, meeting):
    meeting = services.meeting_record(
        actor=world.users.secretary,
        meeting=meeting,
        minutes="讨论了上学高峰交通。",
        present={units[1].pk: "韩联络"},
        expected_version=meeting.version,
    )
    assert meeting.status == MeetingStatus.HELD
    assert {(a.unit_id, a.present) for a in meeting.attendance.all()} == {(units[0].pk, False), (units[1].pk, True)}
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    resolution = services.resolution_add(
        actor=world.users.secretary, meeting=meeting, text="设护学岗", owner_unit=units[1], deadline=deadline
    )
    plain = services.resolution_add(actor=world.users.secretary, meeting=meeting, text="双报到认领岗位")
    assert (resolution.number, plain.number) == (1, 2) and not JointTask.objects.filter(resolution=plain).exists()
    task = JointTask.objects.select_related("case").get(resolution=resolution)
    case = task.case
    assert case.kind == "joint_task" and case.status == "assigned"
    assert case.due_at == add_working_days(case.created_at, case.spec.due_days(case))
    assert timezone.localdate(case.due_at) <= deadline
    # In the staff queue, the 接诉即办 figures, and the owner unit member's 我的事项.
    assert case in work_queue(world.users.secretary, "unassigned")
    assert {r["kind"]: r["total"] for r in case_figures(cases_for(world.users.secretary))["by_kind"]}["joint_task"] == 1
    assert [e.title for e in joint_task_source.entries(partner, 10)] == ["设护学岗"]
    # The owner unit reports progress; staff finish it; the meeting page stops listing it as open.
    services.task_report(actor=partner, task=task, progress=60, note="护学岗已设")
    task.refresh_from_db()
    assert task.progress == 60
    case = case_take(actor=world.users.secretary, case=case)
    case_transition(actor=world.users.secretary, case=case, to="done", comment="已落实")
    from jumin.partners.selectors import meeting_detail, meetings_for

    assert meeting_detail(meeting)["open_tasks"] == []
    row = meetings_for(world.users.secretary).get(pk=meeting.pk)
    assert (row.task_count, row.open_tasks, row.present, row.invited) == (1, 0, 1, 2)
    assert {r["kind"]: r["resolved"] for r in case_figures(cases_for(world.users.secretary))["by_kind"]}[
        "joint_task"
    ] == 1


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        (datetime.date(2026, 3, 13), datetime.date(2026, 3, 13)),  # a Friday: that day at 17:30
        (datetime.date(2026, 3, 15), datetime.date(2026, 3, 13)),  # a Sunday: the Friday before
        (datetime.date(2026, 3, 10), datetime.date(2026, 3, 10)),  # today: today at 17:30
    ],
)
def test_a_joint_tasks_deadline_is_the_meetings_from_opening_and_again_on_reopen(world, units, deadline, due):
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 0))  # a Tuesday
    with time_machine.travel(now, tick=False):
        meeting = services.meeting_create(
            actor=world.users.secretary,
            community=world.a,
            title="联席会议",
            held_at=now,
            place="党群服务中心",
            agenda="议程",
            units=units[:2],
        )
        resolution = services.resolution_add(
            actor=world.users.secretary, meeting=meeting, text="修路灯", owner_unit=units[1], deadline=deadline
        )
    case = resolution.task.case
    case.refresh_from_db()
    assert timezone.localtime(case.due_at) == timezone.make_aware(datetime.datetime.combine(due, END_OF_DAY))
    # A reopen counts the working days again from its own day to the same date (the kind's contract); a date
    # already passed leaves the end of the reopening day.
    later = timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 0))
    with time_machine.travel(later, tick=False):
        again = add_working_days(later, case.spec.due_days(case))
    assert timezone.localdate(again) == max(due, later.date())


def test_only_the_owner_units_people_report_progress(world, units, meeting):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    resolution = services.resolution_add(
        actor=world.users.secretary, meeting=meeting, text="设护学岗", owner_unit=units[1], deadline=deadline
    )
    stranger = UserFactory(role=Role.PARTNER_MEMBER)
    PartnerMemberFactory(unit=units[0], user=stranger)
    with pytest.raises(PermissionDenied):
        services.task_report(actor=stranger, task=resolution.task, progress=10, note="x")
    with pytest.raises(DomainError, match="不早于今天"):
        services.resolution_add(
            actor=world.users.secretary,
            meeting=meeting,
            text="过期",
            owner_unit=units[1],
            deadline=datetime.date(2020, 1, 1),
        )


def test_meeting_pages_by_role_and_the_meeting_api(client, login, world, units, partner, meeting):
    assert login(world.users.secretary).get(f"/office/partners/meetings/{meeting.uuid}/").status_code == 200
    assert login(world.users.other_secretary).get(f"/office/partners/meetings/{meeting.uuid}/").status_code == 404
    assert login(world.users.mediator).get("/office/partners/meetings/").status_code == 403
    body = client.get("/api/v1/partners/meetings", **bearer(world.users.secretary)).json()
    assert body["count"] == 1 and body["items"][0]["invited"] == 2
    assert client.get("/api/v1/partners/meetings", **bearer(partner)).json()["count"] == 1
    assert client.get("/api/v1/partners/meetings", **bearer(world.users.other_secretary)).json()["count"] == 0
    assert client.get("/api/v1/partners/meetings?page=99999999999999999999", **bearer(partner)).status_code == 422


def test_secretary_records_a_resolution_from_the_meeting_page(login, world, units, meeting):
    client = login(world.users.secretary)
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        f"/office/partners/meetings/{meeting.uuid}/",
        {
            "action": "resolution",
            "resolution-text": "设护学岗",
            "resolution-owner_unit": str(units[1].uuid),
            "resolution-deadline": deadline,
        },
        follow=True,
    )
    assert "已记录决议1,已交办东城交警中队牵头办理" in response.content.decode()
    assert JointTask.objects.get().owner_unit == units[1]
    response = client.post(
        f"/office/partners/meetings/{meeting.uuid}/", {"action": "resolution", "resolution-text": "长" * 20000}
    )
    assert response.status_code == 200 and JointTask.objects.count() == 1


def test_partner_member_lands_on_their_units_page_and_reports(login, world, units, partner, meeting):
    services.resolution_add(
        actor=world.users.secretary,
        meeting=meeting,
        text="设护学岗",
        owner_unit=units[1],
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    client = login(partner)
    assert client.get("/").url.endswith("/partner/")
    page = client.get("/partner/").content.decode()
    assert "设护学岗" in page and "第四季度党建联席会议" in page
    task = JointTask.objects.get()
    response = client.post(
        "/partner/",
        {"task": str(task.case.uuid), f"t{task.pk}-progress": "50", f"t{task.pk}-note": "已排班"},
        follow=True,
    )
    assert "已报告进展" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 50 and task.reports.count() == 1
    response = client.post(
        "/partner/", {"task": str(task.case.uuid), f"t{task.pk}-progress": "999", f"t{task.pk}-note": "x"}
    )
    assert response.status_code == 200 and task.reports.count() == 1
    assert login(world.users.resident).get("/partner/").status_code == 404
