import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jumin.cases import selectors as case_selectors
from jumin.cases import services as case_services
from jumin.cases.figures import case_figures
from jumin.cases.models import Case, CaseEvent, Notification, Phase
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent, Holiday
from jumin.core.testing import WON, race
from jumin.core.workdays import add_working_days

from .case_kind import SECRET_KIND, TEST_KIND

TZ = ZoneInfo("Asia/Shanghai")


def open_case(world, actor=None, kind=TEST_KIND.code, **extra):
    return case_services.case_open(
        actor=actor or world.users.resident, kind=kind, title="楼道灯坏了", body="3号楼2单元楼道灯不亮", **extra
    )


def test_resident_opens_a_case_for_their_own_household(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(world)
    assert case.status == "submitted" and case.phase == Phase.NEW
    assert case.household == world.home and case.grid == world.grid1
    assert case.number.startswith("CS")
    assert CaseEvent.objects.filter(case=case, kind="created").exists()
    assert AuditEvent.objects.filter(action="case.open.test").exists()
    assert Notification.objects.filter(user=world.users.secretary, case=case).exists()


def test_grid_worker_records_on_behalf_only_inside_their_grids(world):
    case = open_case(world, actor=world.users.grid_worker, resident=world.spouse)
    assert case.resident == world.spouse and case.raised_by == world.users.grid_worker
    with pytest.raises(PermissionDenied):
        open_case(world, actor=world.users.grid_worker, resident=world.far_resident)


def test_take_answer_close_rate(world):
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    case = case_services.case_transition(actor=worker, case=case, to="answered", comment="已联系物业更换灯泡")
    assert case.phase == Phase.ANSWERED and case.answered_at
    case = case_services.case_transition(actor=worker, case=case, to="closed")
    assert case.closed_at
    rating = case_services.case_rate(actor=world.users.resident, case=case, value="satisfied", comment="很快")
    assert rating.round == 1
    history = [(e.from_status, e.to_status) for e in case.events.filter(kind="transition")]
    assert history == [("submitted", "accepted"), ("accepted", "answered"), ("answered", "closed")]


def test_illegal_transitions_are_refused(world):
    case = open_case(world)
    worker = world.users.grid_worker
    with pytest.raises(DomainError, match="不能变更"):
        case_services.case_transition(actor=worker, case=case, to="closed")
    with pytest.raises(DomainError, match="办结后才能评价"):
        case_services.case_rate(actor=world.users.resident, case=case, value="satisfied")
    case_services.case_take(actor=worker, case=case)
    with pytest.raises(DomainError, match="不能变更"):
        case_services.case_transition(actor=worker, case=case, to="closed")
    with pytest.raises(DomainError, match="答复内容"):
        case_services.case_transition(actor=worker, case=case, to="answered", comment="  ")
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_only_the_requester_rates_and_only_once_a_round(world):
    case = _closed_case(world)
    with pytest.raises(PermissionDenied):
        case_services.case_rate(actor=world.users.neighbour, case=case, value="satisfied")
    case_services.case_rate(actor=world.users.resident, case=case, value="basic")
    with pytest.raises(DomainError, match="已评价"):
        case_services.case_rate(actor=world.users.resident, case=case, value="satisfied")


def test_unsatisfied_resident_reopens_for_another_round(world):
    case = _closed_case(world)
    with pytest.raises(DomainError, match="不满意"):
        case_services.case_reopen(actor=world.users.resident, case=case, reason="灯还是不亮")
    case_services.case_rate(actor=world.users.resident, case=case, value="unsatisfied", comment="灯还是不亮")
    case = case_services.case_reopen(actor=world.users.resident, case=case, reason="灯还是不亮")
    assert case.status == "accepted" and case.round == 2 and case.closed_at is None
    case = case_services.case_transition(actor=world.users.grid_worker, case=case, to="answered", comment="已换")
    case = case_services.case_transition(actor=world.users.grid_worker, case=case, to="closed")
    case_services.case_rate(actor=world.users.resident, case=case, value="satisfied")
    assert case.ratings.count() == 2


def test_reminder_once_a_day(world):
    case = open_case(world)
    case_services.case_remind(actor=world.users.resident, case=case)
    with pytest.raises(DomainError, match="24 小时"):
        case_services.case_remind(actor=world.users.resident, case=case)


def test_follow_up_only_after_closing(world):
    case = open_case(world)
    case_services.case_take(actor=world.users.grid_worker, case=case)
    with pytest.raises(DomainError, match="办结后"):
        case_services.case_follow_up(actor=world.users.grid_worker, case=case, method="phone", note="回访")
    case = _closed_case(world)
    case_services.case_follow_up(actor=world.users.grid_worker, case=case, method="phone", note="居民表示满意")
    assert case.follow_ups.count() == 1


def test_stale_transition_is_a_conflict(world):
    case = open_case(world)
    case_services.case_take(actor=world.users.grid_worker, case=case)
    stale = Case.objects.get(pk=case.pk)
    case_services.case_transition(actor=world.users.grid_worker, case=case, to="answered", comment="答复一")
    with pytest.raises(Conflict):
        case_services.case_transition(actor=world.users.secretary, case=stale, to="answered", comment="答复二")


def test_assign_and_escalate(world):
    case = open_case(world)
    case_services.case_assign(actor=world.users.secretary, case=case, assignee=world.users.window_staff)
    assert Case.objects.get(pk=case.pk).assignee == world.users.window_staff
    with pytest.raises(DomainError, match="不能承办"):
        case_services.case_assign(actor=world.users.secretary, case=case, assignee=world.users.mediator)
    case = Case.objects.get(pk=case.pk)
    case_services.case_escalate(actor=world.users.window_staff, case=case, comment="涉及多个社区")
    case = Case.objects.get(pk=case.pk)
    assert case.level == "street" and case.assignee is None
    assert case_selectors.can_work(world.users.street_leader, case)
    assert not case_selectors.can_work(world.users.window_staff, case)


def test_confidential_cases_are_invisible_outside_parties(world):
    case = open_case(world, kind=SECRET_KIND.code, parties=[world.neighbour])
    case_services.case_assign(actor=world.users.secretary, case=case, assignee=world.users.mediator)
    visible = lambda user: Case.objects.filter(case_selectors.case_visible_q(user), pk=case.pk).exists()  # noqa: E731
    assert visible(world.users.resident) and visible(world.users.neighbour)
    assert visible(world.users.mediator) and visible(world.users.secretary)
    assert not visible(world.users.grid_worker)
    assert not visible(world.users.window_staff)
    assert not visible(world.users.street_leader)
    assert not visible(world.users.outsider)


def test_deadlines_skip_weekends_and_holidays(db):
    friday_evening = datetime.datetime(2026, 11, 27, 18, 0, tzinfo=TZ)
    assert add_working_days(friday_evening, 1) == datetime.datetime(2026, 11, 30, 17, 30, tzinfo=TZ)
    assert add_working_days(friday_evening, 3) == datetime.datetime(2026, 12, 2, 17, 30, tzinfo=TZ)
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="测试假日")
    Holiday.objects.create(date=datetime.date(2026, 11, 29), is_workday=True, name="调休")
    assert add_working_days(friday_evening, 1) == datetime.datetime(2026, 11, 29, 17, 30, tzinfo=TZ)
    assert add_working_days(friday_evening, 2) == datetime.datetime(2026, 12, 1, 17, 30, tzinfo=TZ)


def test_overdue_list_is_right_across_a_weekend(world):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ), tick=False):
        case = open_case(world)  # Friday: due in 3 working days → Wednesday 17:30
    assert timezone_date(case.due_at) == datetime.date(2026, 12, 2)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=TZ), tick=False):  # Monday
        assert not case_selectors.work_queue(world.users.secretary, "overdue").filter(pk=case.pk).exists()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 17, 0, tzinfo=TZ), tick=False):  # Wednesday, in time
        assert not case_selectors.work_queue(world.users.secretary, "overdue").filter(pk=case.pk).exists()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 18, 0, tzinfo=TZ), tick=False):  # Wednesday evening
        assert case_selectors.work_queue(world.users.secretary, "overdue").filter(pk=case.pk).exists()


def timezone_date(value):
    return value.astimezone(TZ).date()


def test_figures_match_a_hand_count(world):
    worker = world.users.grid_worker
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)  # Monday
    with time_machine.travel(start, tick=False):
        quick = open_case(world)
        slow = open_case(world)
        never = open_case(world)
        rated = open_case(world)
        case_services.case_take(actor=worker, case=quick)
        case_services.case_take(actor=worker, case=rated)
    with time_machine.travel(start + datetime.timedelta(hours=5), tick=False):
        case_services.case_transition(actor=worker, case=quick, to="answered", comment="好了")
        case_services.case_transition(actor=worker, case=quick, to="closed")
        case_services.case_transition(actor=worker, case=rated, to="answered", comment="好了")
        case_services.case_transition(actor=worker, case=rated, to="closed")
        case_services.case_rate(actor=world.users.resident, case=quick, value="satisfied")
        case_services.case_rate(actor=world.users.resident, case=rated, value="unsatisfied")
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):  # Thursday: slow taken late
        case_services.case_take(actor=worker, case=slow)
    with time_machine.travel(start + datetime.timedelta(days=10, hours=-1), tick=False):
        fresh = open_case(world)  # raised an hour ago: its response deadline is tomorrow, so it is no miss yet
    with time_machine.travel(start + datetime.timedelta(days=10), tick=False):
        figures = case_figures(Case.objects.filter(community=world.a))
    overall = figures["overall"]
    assert overall["total"] == 5
    assert overall["due_response"] == 4  # all but fresh have had to respond by now
    assert overall["responded"] == 2  # quick and rated were taken the same day; slow too late; never not at all
    assert overall["response_rate"] == 50.0
    assert overall["resolved"] == 2 and overall["resolution_rate"] == 40.0
    assert overall["rated"] == 2 and overall["satisfaction_rate"] == 50.0
    assert overall["overdue"] == 2  # slow and never are open past their 3-working-day deadline
    assert overall["avg_close_hours"] == 5.0
    assert [row["month"] for row in figures["rows"]] == [datetime.date(2026, 11, 1)]
    assert never.phase == Phase.NEW and fresh.phase == Phase.NEW
    (community,) = figures["by_community"]
    assert community["community"] == world.a.name and community["response_rate"] == 50.0
    assert community["resolution_rate"] == 40.0 and community["avg_close_hours"] == 5.0
    assert community["overdue"] == 2 and community["satisfaction_rate"] == 50.0


def test_response_rate_is_blank_while_nothing_has_had_to_respond(world):
    open_case(world)
    overall = case_figures(Case.objects.filter(community=world.a))["overall"]
    assert overall["total"] == 1 and overall["due_response"] == 0
    assert overall["response_rate"] is None  # not 0 %: the community still has a day to take it


def _closed_case(world):
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    case = case_services.case_transition(actor=worker, case=case, to="answered", comment="已处理")
    return case_services.case_transition(actor=worker, case=case, to="closed")


@pytest.mark.django_db(transaction=True)
def test_two_staff_taking_the_same_case_at_once_exactly_one_wins(world):
    case = open_case(world)
    contenders = [world.users.grid_worker, world.users.window_staff, world.users.secretary]
    outcomes = race(
        contenders,
        load=lambda _: Case.objects.get(pk=case.pk),
        act=lambda user, fresh: case_services.case_take(actor=user, case=fresh),
    )
    assert outcomes.count(WON) == 1, outcomes
    assert all("已被其他工作人员受理" in message for message in outcomes if message != WON)
    taken = CaseEvent.objects.get(case=case, to_status="accepted")
    assert Case.objects.get(pk=case.pk).assignee_id == taken.actor_id


def test_case_api_round_trip(client, world):
    from jumin.core.models import ApiToken

    resident = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.resident)}"}
    worker = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.grid_worker)}"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.neighbour)}"}
    body = {"kind": "test", "title": "路灯不亮", "text": "小区东门路灯不亮"}
    response = client.post("/api/v1/cases", body, content_type="application/json", **resident)
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert client.get(f"/api/v1/cases/{uuid}", **other).status_code == 404
    assert [c["uuid"] for c in client.get("/api/v1/cases", **resident).json()["items"]] == [uuid]
    url = f"/api/v1/cases/{uuid}/transitions"
    ok = client.post(url, {"to": "accepted", "expected_status": "submitted"}, content_type="application/json", **worker)
    assert ok.status_code == 200 and ok.json()["status_label"] == "已受理"
    stale = client.post(
        url, {"to": "accepted", "expected_status": "submitted"}, content_type="application/json", **worker
    )
    assert stale.status_code == 409
    early = client.post(
        f"/api/v1/cases/{uuid}/rating", {"value": "satisfied"}, content_type="application/json", **resident
    )
    assert early.status_code == 400 and "办结后" in early.json()["detail"]


def test_answer_texts_the_requester_after_commit_only(world, settings, django_capture_on_commit_callbacks):
    from jumin.cases.notify import LocmemSmsBackend

    settings.SMS_BACKEND = "jumin.cases.notify.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_services.case_transition(actor=worker, case=case, to="answered", comment="已更换灯泡")
    assert LocmemSmsBackend.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert LocmemSmsBackend.outbox == [(world.users.resident.phone, "【居民之家】您的测试事项已答复:楼道灯坏了")]
    assert Notification.objects.filter(user=world.users.resident, case=case, body="已更换灯泡").exists()


def test_failed_change_sends_nothing(world, settings, django_capture_on_commit_callbacks):
    from jumin.cases.notify import LocmemSmsBackend

    settings.SMS_BACKEND = "jumin.cases.notify.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    case = open_case(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        case_services.case_transition(actor=world.users.grid_worker, case=case, to="closed")
    assert LocmemSmsBackend.outbox == []


def test_phone_app_uploads_a_photo_and_only_the_cases_audience_can_fetch_it(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jumin.cases.models import CaseAttachment
    from jumin.core.models import ApiToken

    from .test_case_pages import PNG

    resident = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.resident)}"}
    neighbour = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.neighbour)}"}
    case = open_case(world)
    url = f"/api/v1/cases/{case.uuid}/attachments"
    response = client.post(url, {"file": SimpleUploadedFile("灯.png", PNG, "image/png")}, **resident)
    assert response.status_code == 201, response.content
    (attachment,) = response.json()["attachments"]
    assert attachment["name"] == "灯.png" and attachment["content_type"] == "image/png"
    assert attachment["size"] == len(PNG)
    download = client.get(attachment["url"], **resident)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert client.get(attachment["url"], **neighbour).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.png", PNG, "image/png")}, **neighbour).status_code == 404
    fake = client.post(url, {"file": SimpleUploadedFile("x.jpg", b"<html>hi</html>", "image/jpeg")}, **resident)
    assert fake.status_code == 400 and "只能上传" in fake.json()["detail"]
    assert CaseAttachment.objects.filter(case=case).count() == 1


def test_attachments_per_case_are_capped(world, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_case_pages import PNG

    monkeypatch.setattr(case_services, "MAX_ATTACHMENTS", 2)
    case = open_case(world)
    for n in range(2):
        case_services.case_attach(actor=world.users.resident, case=case, upload=SimpleUploadedFile(f"{n}.png", PNG))
    with pytest.raises(DomainError, match="最多 2 个附件"):
        case_services.case_attach(actor=world.users.resident, case=case, upload=SimpleUploadedFile("3.png", PNG))
    assert case.attachments.count() == 2


def test_the_same_move_made_twice_is_a_conflict_not_a_bad_request(client, world):
    from jumin.core.models import ApiToken

    case = open_case(world)
    case_services.case_take(actor=world.users.grid_worker, case=case)
    worker = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.grid_worker)}"}
    url = f"/api/v1/cases/{case.uuid}/transitions"
    body = {"to": "answered", "comment": "已联系物业"}
    assert client.post(url, body, content_type="application/json", **worker).status_code == 200
    again = client.post(url, body, content_type="application/json", **worker)
    assert again.status_code == 409 and "已是“已答复”" in again.json()["detail"]
    illegal = client.post(url, {"to": "submitted"}, content_type="application/json", **worker)
    assert illegal.status_code == 400
    assert CaseEvent.objects.filter(case=case, to_status="answered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reminders_sent_at_the_same_moment_count_once(world):
    case = open_case(world)
    outcomes = race(
        [world.users.resident] * 3,
        load=lambda _: Case.objects.get(pk=case.pk),
        act=lambda user, fresh: case_services.case_remind(actor=user, case=fresh),
    )
    assert sorted(outcomes) == ["24 小时内已催办过,请耐心等待"] * 2 + [WON], outcomes
    assert CaseEvent.objects.filter(case=case, kind="reminder").count() == 1


def test_oversized_title_or_text_is_refused_with_a_message_and_nothing_written(world):
    before = Case.objects.count()
    with pytest.raises(DomainError) as too_long_title:
        case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="灯" * 101, body="路灯不亮")
    assert too_long_title.value.field == "title" and "100" in too_long_title.value.message
    with pytest.raises(DomainError) as too_long_body:
        case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="路灯", body="亮" * 5001)
    assert too_long_body.value.field == "body" and "5000" in too_long_body.value.message
    assert Case.objects.count() == before
    longest = case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="灯" * 100, body="路灯")
    assert longest.title == "灯" * 100


def test_services_take_now_so_past_work_follows_the_same_rules(world):
    then = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)  # a Monday
    case = case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="路灯", body="不亮", now=then)
    assert case.created_at == then and case.number.startswith(f"{TEST_KIND.prefix}20261102")
    assert case.due_at == add_working_days(then, TEST_KIND.due_working_days)
    taken = then + datetime.timedelta(hours=2)
    case_services.case_take(actor=world.users.grid_worker, case=case, now=taken)
    case = case_services.case_transition(
        actor=world.users.grid_worker,
        case=case,
        to="answered",
        comment="已修好",
        now=taken + datetime.timedelta(hours=1),
    )
    assert case.taken_at == taken and case.answered_at == taken + datetime.timedelta(hours=1)
    times = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("created_at", flat=True))
    assert times == [then, taken, taken + datetime.timedelta(hours=1)]
    assert AuditEvent.objects.filter(case=case, action="case.take").get().created_at == taken
