import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jumin.cases import services as case_services
from jumin.cases.models import Case, CaseEvent
from jumin.cases.selectors import case_timeline
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.core.testing import WON, race
from jumin.errands import services
from jumin.errands.models import Errand

from .conftest import PHONE, advance, request_errand

TZ = ZoneInfo("Asia/Shanghai")


def test_resident_requests_an_errand_for_themselves(hall):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=TZ), tick=False):  # Monday
        errand = request_errand(hall)
    case = errand.case
    assert case.kind == "errand" and case.status == "applied" and case.number.startswith("DB")
    assert case.resident == hall.resident and case.grid == hall.grid1
    assert case.title == "老年人优待证办理"
    assert "居民身份证原件及复印件" in case.body and "工作日下午在家" in case.body
    # The item's own time limit (10 working days) sets the deadline, not the kind's default of 5.
    assert case.due_at.astimezone(TZ) == datetime.datetime(2026, 12, 7, 17, 30, tzinfo=TZ)
    assert Case.objects.get(pk=case.pk).due_at == case.due_at
    assert len(errand.pickup_code) == 6 and errand.pickup_code.isdigit()
    assert errand.contact_phone == PHONE and errand.documents_received == []


def test_window_staff_request_for_a_resident_in_scope(hall):
    errand = request_errand(hall, actor=hall.users.window_staff, resident=hall.far_resident)
    assert errand.case.resident == hall.far_resident and errand.case.raised_by == hall.users.window_staff


@pytest.mark.parametrize(
    ("persona", "resident"),
    [
        ("grid_worker", "far_resident"),  # grid 2 is not theirs
        ("window_staff", "outsider_resident"),  # another community
        ("other_secretary", "resident"),
    ],
)
def test_staff_cannot_request_for_residents_outside_their_scope(hall, persona, resident):
    with pytest.raises(PermissionDenied, match="管辖范围"):
        request_errand(hall, actor=getattr(hall.users, persona), resident=getattr(hall, resident))
    assert not Errand.objects.exists() and not Case.objects.exists()


@pytest.mark.parametrize("persona", ["mediator", "street_leader"])
def test_roles_that_do_not_run_errands_cannot_request_for_others(hall, persona):
    with pytest.raises(PermissionDenied):
        request_errand(hall, actor=getattr(hall.users, persona), resident=hall.resident)
    assert not Case.objects.exists()


def test_an_item_that_needs_the_resident_in_person_cannot_be_requested(hall):
    with pytest.raises(DomainError, match="“低保申请”须本人到窗口办理,不能代办"):
        request_errand(hall, item=hall.in_person_item)
    assert not Errand.objects.exists() and not Case.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("phone", ["", "1381234567", "23812345678", "1381234567x"])
def test_contact_phone_must_be_11_digits(hall, phone):
    with pytest.raises(DomainError, match="11 位数字"):
        request_errand(hall, contact_phone=phone)
    assert not Case.objects.exists()


def test_items_of_another_community_or_inactive_items_are_refused(hall):
    with pytest.raises(DomainError, match="不属于本社区"):
        request_errand(hall, item=hall.item_b)
    hall.item.active = False
    hall.item.save()
    with pytest.raises(DomainError, match="不属于本社区"):
        request_errand(hall)
    assert not Case.objects.exists()


def test_full_path_is_visible_to_the_resident_with_times_and_staff_names(hall):
    staff = hall.users.window_staff
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        errand = request_errand(hall)
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        case_services.case_take(actor=staff, case=errand.case)
    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        services.errand_receive_documents(actor=staff, errand=errand, received=hall.item.required_documents)
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        errand.case = case_services.case_transition(
            actor=staff, case=errand.case, to="submitted", comment="已递交区民政局养老服务科"
        )
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        services.errand_record_result(actor=staff, errand=errand, note="优待证已办好,请凭取件码到9号窗口领取")
    with time_machine.travel(start + datetime.timedelta(days=9), tick=False):
        services.errand_pickup(actor=staff, errand=errand, code=errand.pickup_code)

    case = Case.objects.get(pk=errand.case.pk)
    assert case.status == "picked_up" and case.phase == "closed"
    assert case.closed_at == start + datetime.timedelta(days=9)
    errand.refresh_from_db()
    assert errand.picked_up_at == start + datetime.timedelta(days=9)
    assert errand.picked_up_by_name == hall.resident.name
    assert errand.documents_received == hall.item.required_documents
    assert errand.result_note.startswith("优待证已办好")

    seen = [
        (e.to_status, e.created_at, e.actor.name if e.actor else None, e.comment)
        for e in case_timeline(case, for_resident=True)
    ]
    assert [s[0] for s in seen] == ["applied", "accepted", "docs_received", "submitted", "result_back", "picked_up"]
    assert [s[1] - start for s in seen] == [
        datetime.timedelta(0),
        datetime.timedelta(hours=1),
        datetime.timedelta(days=1),
        datetime.timedelta(days=2),
        datetime.timedelta(days=8),
        datetime.timedelta(days=9),
    ]
    assert seen[0][2] == hall.resident.name
    assert all(name == staff.name for _, _, name, _ in seen[1:])
    assert "居民身份证原件及复印件" in seen[2][3]
    assert seen[5][3] == f"领取人:{hall.resident.name}"

    rating = case_services.case_rate(actor=hall.users.resident, case=case, value="satisfied", comment="不用跑腿")
    assert rating.value == "satisfied"


def test_documents_must_all_be_ticked_and_the_error_lists_the_missing_ones(hall):
    errand = advance(hall, request_errand(hall), "accepted")
    with pytest.raises(DomainError, match="还缺少材料:近期一寸免冠彩色照片2张"):
        services.errand_receive_documents(
            actor=hall.users.window_staff, errand=errand, received=["居民身份证原件及复印件", "不在清单上的材料"]
        )
    assert Case.objects.get(pk=errand.case.pk).status == "accepted"
    assert Errand.objects.get(pk=errand.pk).documents_received == []
    assert not CaseEvent.objects.filter(case=errand.case, to_status="docs_received").exists()


def test_documents_before_the_errand_is_accepted_are_refused(hall):
    errand = request_errand(hall)
    with pytest.raises(DomainError, match="请先受理"):
        services.errand_receive_documents(
            actor=hall.users.window_staff, errand=errand, received=hall.item.required_documents
        )


@pytest.mark.parametrize("persona", ["mediator", "grid_worker", "other_secretary", "resident", "street_leader"])
def test_only_the_errands_worker_records_documents_result_and_pickup(hall, persona):
    errand = advance(hall, request_errand(hall), "accepted")
    actor = getattr(hall.users, persona)
    with pytest.raises(PermissionDenied):
        services.errand_receive_documents(actor=actor, errand=errand, received=hall.item.required_documents)
    advance(hall, errand, "result_back")
    with pytest.raises(PermissionDenied):
        services.errand_pickup(actor=actor, errand=errand, code=errand.pickup_code)
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"


def test_the_secretary_may_step_in(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    services.errand_pickup(actor=hall.users.secretary, errand=errand, code=errand.pickup_code)
    assert Case.objects.get(pk=errand.case.pk).status == "picked_up"


def test_result_back_needs_a_note(hall):
    errand = advance(hall, request_errand(hall), "submitted")
    with pytest.raises(DomainError, match="请填写办理结果"):
        services.errand_record_result(actor=hall.users.window_staff, errand=errand, note="  ")
    assert Case.objects.get(pk=errand.case.pk).status == "submitted"


def _wrong_code(errand) -> str:
    return "999999" if errand.pickup_code != "999999" else "888888"


@pytest.mark.parametrize("code", ["12345", "abcdef", "", "1234567"])
def test_a_malformed_pickup_code_changes_nothing_and_costs_no_try(hall, code):
    errand = advance(hall, request_errand(hall), "result_back")
    events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError, match="取件码不正确:应为 6 位数字"):
        services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=code)
    fresh = Errand.objects.get(pk=errand.pk)
    assert fresh.picked_up_at is None and fresh.picked_up_by_name == "" and fresh.wrong_code_attempts == 0
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_a_wrong_pickup_code_is_audited_without_the_code_or_personal_data(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    wrong, events = _wrong_code(errand), CaseEvent.objects.count()
    with pytest.raises(DomainError, match="取件码不正确,今天还可再试 4 次"):
        services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=wrong)
    fresh = Errand.objects.get(pk=errand.pk)
    assert fresh.picked_up_at is None and fresh.wrong_code_attempts == 1
    assert Case.objects.get(pk=errand.case.pk).status == "result_back" and CaseEvent.objects.count() == events
    audit = AuditEvent.objects.get(action="errand.pickup_code_wrong")
    assert audit.actor == hall.users.window_staff and audit.case_id == errand.case.pk
    text = f"{audit.summary} {audit.changes}"
    assert errand.case.number in text
    for secret in (wrong, errand.pickup_code, PHONE, hall.resident.name, hall.resident.id_number):
        assert secret not in text


def test_five_wrong_codes_lock_the_errand_until_the_next_day(hall):
    staff = hall.users.window_staff
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=TZ), tick=False):
        errand = advance(hall, request_errand(hall), "result_back")
        wrong = _wrong_code(errand)
        for left in (4, 3, 2, 1):
            with pytest.raises(DomainError, match=f"还可再试 {left} 次"):
                services.errand_pickup(actor=staff, errand=errand, code=wrong)
        with pytest.raises(DomainError, match="今天已输错 5 次,为防冒领,明天才能再核验"):
            services.errand_pickup(actor=staff, errand=errand, code=wrong)
        # Locked: even the right code is not compared today, and another member of staff fares no better.
        for user in (staff, hall.users.secretary):
            with pytest.raises(DomainError, match="今天不能再核验,请明天再试"):
                services.errand_pickup(actor=user, errand=errand, code=errand.pickup_code)
        assert Errand.objects.get(pk=errand.pk).pickup_locked_today()
    assert AuditEvent.objects.filter(action="errand.pickup_code_wrong", case_id=errand.case.pk).count() == 5
    assert AuditEvent.objects.filter(action="errand.pickup_locked", case_id=errand.case.pk).count() == 2
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"
    with time_machine.travel(datetime.datetime(2026, 11, 25, 0, 5, tzinfo=TZ), tick=False):
        fresh = Errand.objects.select_related("case", "service_item").get(pk=errand.pk)
        assert not fresh.pickup_locked_today()
        services.errand_pickup(actor=staff, errand=fresh, code=errand.pickup_code)
    fresh = Errand.objects.get(pk=errand.pk)
    assert fresh.picked_up_at is not None and fresh.wrong_code_attempts == 0
    assert Case.objects.get(pk=errand.case.pk).status == "picked_up"


def test_the_right_code_after_four_wrong_ones_still_works(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    for _ in range(4):
        with pytest.raises(DomainError):
            services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=_wrong_code(errand))
    services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)
    fresh = Errand.objects.get(pk=errand.pk)
    assert fresh.picked_up_at is not None and fresh.wrong_code_attempts == 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_codes_never_get_more_than_five_tries(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    wrong, contenders = _wrong_code(errand), 8
    outcomes = race(
        [hall.users.window_staff] * contenders,
        load=lambda _: Errand.objects.select_related("case", "service_item").get(pk=errand.pk),
        act=lambda user, fresh: services.errand_pickup(actor=user, errand=fresh, code=wrong),
    )
    assert WON not in outcomes
    assert sum("取件码不正确" in o for o in outcomes) == 5, outcomes
    assert sum("今天不能再核验" in o for o in outcomes) == 3, outcomes
    assert Errand.objects.get(pk=errand.pk).wrong_code_attempts == 5
    assert AuditEvent.objects.filter(action="errand.pickup_code_wrong").count() == 5


def test_pickup_before_the_result_is_back_is_refused(hall):
    errand = advance(hall, request_errand(hall), "submitted")
    with pytest.raises(DomainError, match="不能领取"):
        services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)


def test_a_result_cannot_be_picked_up_twice(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    stale = Errand.objects.select_related("case", "service_item").get(pk=errand.pk)
    services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)
    with pytest.raises(DomainError):
        services.errand_pickup(actor=hall.users.window_staff, errand=stale, code=errand.pickup_code)
    assert CaseEvent.objects.filter(case=errand.case, to_status="picked_up").count() == 1


def test_pickup_records_who_collected_it(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    services.errand_pickup(
        actor=hall.users.window_staff, errand=errand, code=errand.pickup_code, picked_up_by_name="李秀英(配偶)"
    )
    assert Errand.objects.get(pk=errand.pk).picked_up_by_name == "李秀英(配偶)"
    audit = AuditEvent.objects.get(action="errand.pickup")
    assert errand.pickup_code not in audit.summary and PHONE not in audit.summary


def test_returned_needs_a_reason_and_cannot_be_rated(hall):
    errand = advance(hall, request_errand(hall), "accepted")
    with pytest.raises(DomainError, match="请填写"):
        case_services.case_transition(actor=hall.users.window_staff, case=errand.case, to="returned", comment="")
    case = case_services.case_transition(
        actor=hall.users.window_staff, case=errand.case, to="returned", comment="材料不全,请补充户口本复印件"
    )
    assert case.phase == "closed"
    event = case_timeline(case, for_resident=True).last()
    assert event.to_status == "returned" and event.comment == "材料不全,请补充户口本复印件"
    with pytest.raises(DomainError, match="不能评价"):
        case_services.case_rate(actor=hall.users.resident, case=case, value="satisfied")


def test_the_errand_only_steps_are_not_offered_as_generic_buttons(hall):
    spec = Case(kind="errand").spec
    offered = {t.to for s in spec.statuses for t in spec.transitions_from(s.code, by="worker")}
    assert offered == {"accepted", "submitted", "returned"}


def test_a_pickup_code_collision_is_retried(hall, monkeypatch):
    first = request_errand(hall)
    codes = iter([first.pickup_code, first.pickup_code, "424242"])
    monkeypatch.setattr(services, "new_pickup_code", lambda: next(codes))
    second = request_errand(hall, actor=hall.users.neighbour)
    assert second.pickup_code == "424242"


def test_a_collected_code_may_be_issued_again(hall, monkeypatch):
    first = advance(hall, request_errand(hall), "result_back")
    services.errand_pickup(actor=hall.users.window_staff, errand=first, code=first.pickup_code)
    monkeypatch.setattr(services, "new_pickup_code", lambda: first.pickup_code)
    assert request_errand(hall, actor=hall.users.neighbour).pickup_code == first.pickup_code


def test_a_returned_errands_code_may_be_issued_again(hall, monkeypatch):
    first = advance(hall, request_errand(hall), "accepted")
    case_services.case_transition(actor=hall.users.window_staff, case=first.case, to="returned", comment="材料不全")
    codes = iter([first.pickup_code, "777777"])
    monkeypatch.setattr(services, "new_pickup_code", lambda: next(codes))
    second = request_errand(hall, actor=hall.users.neighbour)
    assert second.pickup_code == first.pickup_code
    released = Errand.objects.get(pk=first.pk)
    assert released.pickup_code_released and released.pickup_code == first.pickup_code


def test_an_uncollected_errands_code_is_never_issued_twice(hall, monkeypatch):
    """Only returned errands give their codes up: one waiting at 结果已回 keeps its own."""
    first = advance(hall, request_errand(hall), "result_back")
    codes = iter([first.pickup_code, "777777"])
    monkeypatch.setattr(services, "new_pickup_code", lambda: next(codes))
    assert request_errand(hall, actor=hall.users.neighbour).pickup_code == "777777"
    assert not Errand.objects.get(pk=first.pk).pickup_code_released
    services.errand_pickup(actor=hall.users.window_staff, errand=first, code=first.pickup_code)


def test_the_database_refuses_two_live_errands_with_one_code(hall):
    from django.db import IntegrityError, transaction

    first, second = request_errand(hall), request_errand(hall, actor=hall.users.neighbour)
    with pytest.raises(IntegrityError), transaction.atomic():
        Errand.objects.filter(pk=second.pk).update(pickup_code=first.pickup_code)
    Errand.objects.filter(pk=first.pk).update(pickup_code_released=True)
    Errand.objects.filter(pk=second.pk).update(pickup_code=first.pickup_code)


def test_a_reopened_errand_gets_a_new_code_when_the_result_comes_back_again(hall, monkeypatch):
    errand = advance(hall, request_errand(hall), "result_back")
    old_code = errand.pickup_code
    services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=old_code)
    case = Case.objects.get(pk=errand.case.pk)
    case_services.case_rate(actor=hall.users.resident, case=case, value="unsatisfied", comment="证件信息有误")
    errand.case = case_services.case_reopen(actor=hall.users.resident, case=case, reason="证件上名字写错了")
    monkeypatch.setattr(services, "new_pickup_code", lambda: "135790")
    assert errand.case.status == "accepted" and errand.case.round == 2
    # Second round: documents are already in hand; the department re-issues the card.
    services.errand_receive_documents(
        actor=hall.users.window_staff, errand=errand, received=hall.item.required_documents
    )
    errand.case = case_services.case_transition(actor=hall.users.window_staff, case=errand.case, to="submitted")
    services.errand_record_result(actor=hall.users.window_staff, errand=errand, note="已重新办理")
    errand.refresh_from_db()
    assert errand.pickup_code == "135790" and errand.picked_up_at is None
    services.errand_pickup(actor=hall.users.window_staff, errand=errand, code="135790")
    assert Case.objects.get(pk=errand.case.pk).status == "picked_up"


def test_api_detail_shows_the_code_only_to_the_requester(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    assert errand.as_api(viewer=hall.users.resident, is_worker=False)["pickup_code"] == errand.pickup_code
    staff_view = errand.as_api(viewer=hall.users.window_staff, is_worker=True)
    assert staff_view["pickup_code"] == "******" and staff_view["contact_phone"] == PHONE
    other = errand.as_api(viewer=hall.users.mediator, is_worker=False)
    assert other["pickup_code"] is None and other["contact_phone"] == "138****5678"


@pytest.mark.django_db(transaction=True)
def test_two_staff_verifying_the_same_code_at_once_exactly_one_succeeds(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    contenders = [hall.users.window_staff, hall.users.secretary, hall.users.window_staff]
    outcomes = race(
        contenders,
        load=lambda _: Errand.objects.select_related("case", "service_item").get(pk=errand.pk),
        act=lambda user, fresh: services.errand_pickup(actor=user, errand=fresh, code=errand.pickup_code),
    )
    assert outcomes.count(WON) == 1, outcomes
    assert all("已被领取" in o or "状态已变化" in o for o in outcomes if o != "won"), outcomes
    assert CaseEvent.objects.filter(case=errand.case, to_status="picked_up").count() == 1
    assert Errand.objects.get(pk=errand.pk).picked_up_at is not None


def test_conflict_is_the_error_type_for_a_second_pickup(hall):
    errand = advance(hall, request_errand(hall), "result_back")
    Errand.objects.filter(pk=errand.pk).update(picked_up_by_name="x", picked_up_at=errand.created_at)
    with pytest.raises(Conflict, match="已被领取"):
        services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"


def test_a_reopened_errand_keeps_its_items_own_deadline_not_the_kind_default(hall):
    from jumin.core.workdays import add_working_days

    assert hall.item.time_limit_working_days != 5, "the test needs an item whose limit differs from the default"
    errand = advance(hall, request_errand(hall), "result_back")
    assert errand.case.due_at == add_working_days(errand.case.created_at, hall.item.time_limit_working_days)
    services.errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)
    case = Case.objects.get(pk=errand.case.pk)
    case_services.case_rate(actor=hall.users.resident, case=case, value="unsatisfied", comment="名字写错了")
    reopened = case_services.case_reopen(actor=hall.users.resident, case=case, reason="证件上名字写错了")
    expected = add_working_days(reopened.updated_at, hall.item.time_limit_working_days)
    assert reopened.due_at == expected


def test_an_errand_whose_result_waits_for_the_resident_is_not_overdue(hall):
    import datetime

    import time_machine

    from jumin.cases.selectors import work_queue

    errand = advance(hall, request_errand(hall), "result_back")
    later = errand.case.due_at + datetime.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        case = Case.objects.get(pk=errand.case.pk)
        assert not case.is_overdue
        assert not work_queue(hall.users.secretary, "overdue").filter(pk=case.pk).exists()
        open_errand = advance(hall, request_errand(hall, item=hall.item), "accepted")
    with time_machine.travel(later + datetime.timedelta(days=60), tick=False):
        assert Case.objects.get(pk=open_errand.case.pk).is_overdue
        assert work_queue(hall.users.secretary, "overdue").filter(pk=open_errand.case.pk).exists()


def test_a_resident_below_the_items_age_cannot_ask_for_it(hall):
    from jumin.hall.models import ServiceItem

    allowance = ServiceItem.objects.get(community=hall.a, name="高龄津贴申领")
    with pytest.raises(DomainError) as exc:
        request_errand(hall, actor=hall.users.neighbour, item=allowance)
    assert exc.value.message == "“高龄津贴申领”限 80 周岁及以上居民办理"
    assert not Errand.objects.filter(service_item=allowance).exists()
