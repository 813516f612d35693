"""The rules of the learning station, called as the services: who is due what, quizzes, sign-in and its codes."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.learning import selectors, services
from jumin.learning.models import Attendance, SignInCode, StudyRecord
from jumin.learning.selectors import Status


def dues(member):
    return {d.course.title: d for d in selectors.member_dues(member)}


def test_an_assignment_to_an_organisation_reaches_the_members_of_everything_below_it(st):
    # 党章学习 went to the community committee; 二十大精神 to the 第1网格党支部 (the 1号楼党小组 is below it).
    assert set(dues(st.elder)) == {"党章学习", "二十大精神"}
    assert set(dues(st.neighbour)) == {"党章学习", "二十大精神"}
    assert set(dues(st.far)) == {"党章学习"}
    assert dues(st.outsider) == {}


def test_an_assignment_to_one_member_reaches_only_them(st):
    due = timezone.localdate() + datetime.timedelta(days=5)
    course = services.course_create(actor=st.users.secretary, community=st.world.a, title="反诈知识")
    services.assignment_create(actor=st.users.secretary, course=course, member=st.far, due_on=due)
    assert dues(st.far)["反诈知识"].due_on == due
    assert "反诈知识" not in dues(st.elder)
    with pytest.raises(Conflict, match="已经布置给"):
        services.assignment_create(actor=st.users.secretary, course=course, member=st.far, due_on=due)


def test_past_due_without_completion_is_overdue_and_completion_clears_it(st):
    assert dues(st.elder)["二十大精神"].status == Status.OVERDUE
    services.study_record(actor=st.users.resident, member=st.elder, course=st.plain, minutes=20)
    assert dues(st.elder)["二十大精神"].status == Status.DONE


@pytest.mark.parametrize(("answers", "right", "score"), [([0, 0], 2, 100), ([0, 1], 1, 50), ([1, 2], 0, 0)])
def test_quiz_score_counts_right_answers(st, answers, right, score):
    assert services.quiz_score(st.quiz.questions.order_by("position"), answers) == (right, score)


@pytest.mark.parametrize("answers", [[0], [0, 0, 0], [0, 9], [0, -1], ["0", 0], [True, 0], [0.0, 0], "00", {"a": 1}])
def test_quiz_refuses_answers_of_the_wrong_shape(st, answers):
    with pytest.raises(DomainError):
        services.study_record(actor=st.users.resident, member=st.elder, course=st.quiz, minutes=10, answers=answers)
    assert not StudyRecord.objects.exists()


def test_a_quiz_course_is_completed_only_by_passing(st):
    with pytest.raises(DomainError, match="答题及格"):
        services.study_record(actor=st.users.resident, member=st.elder, course=st.quiz, minutes=10)
    failed = services.study_record(actor=st.users.resident, member=st.elder, course=st.quiz, minutes=10, answers=[1, 1])
    assert (failed.score, failed.passed, failed.completed) == (0, False, False)
    assert dues(st.elder)["党章学习"].status == Status.STUDYING
    passed = services.study_record(
        actor=st.users.resident, member=st.elder, course=st.quiz, minutes=5, answers=[0, 1], completed=False
    )
    # 50% is under the 60% pass mark; a member's "completed=False" does not stop a pass either way.
    assert (passed.score, passed.passed) == (50, False)
    passed = services.study_record(actor=st.users.resident, member=st.elder, course=st.quiz, minutes=5, answers=[0, 0])
    assert (passed.score, passed.passed, passed.completed) == (100, True, True)
    due = dues(st.elder)["党章学习"]
    assert (due.status, due.minutes, due.score) == (Status.DONE, 20, 100)


def test_a_member_records_only_their_own_study(st):
    with pytest.raises(PermissionDenied):
        services.study_record(actor=st.users.neighbour, member=st.elder, course=st.plain, minutes=10)
    with pytest.raises(DomainError):
        services.study_record(actor=st.users.outsider, member=st.outsider, course=st.plain, minutes=10)


@pytest.mark.parametrize("minutes", [0, -5, 601, 10**30, True, "30", 1.5])
def test_minutes_out_of_range_are_refused(st, minutes):
    with pytest.raises(DomainError, match="学习时长"):
        services.study_record(actor=st.users.resident, member=st.elder, course=st.plain, minutes=minutes)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "党\x00章"), ("title", "党" * 101), ("body", "x" * 20_001), ("video_url", "javascript:alert(1)")],
)
def test_course_text_is_checked(st, field, value):
    data = {"title": "新课程", field: value}
    with pytest.raises(DomainError):
        services.course_create(actor=st.users.secretary, community=st.world.a, **data)


def test_only_the_communitys_managers_write_courses(st):
    for actor in (st.users.other_secretary, st.users.grid_worker, st.tutor, st.users.resident):
        with pytest.raises(PermissionDenied):
            services.course_create(actor=actor, community=st.world.a, title="越权课程")
    with pytest.raises(DomainError, match="本社区的党组织"):
        services.assignment_create(
            actor=st.users.secretary, course=st.plain, org=st.tree.b, due_on=timezone.localdate()
        )


# ---- sessions and sign-in ------------------------------------------------------------------------------------------


def test_tutor_signs_in_by_phone_then_by_name_and_id_tail(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    services.attendee_sign_in(actor=st.tutor, session=session, method="phone", phone=st.world.resident.phone)
    tail = st.world.neighbour.id_number[-4:]
    services.attendee_sign_in(actor=st.tutor, session=session, method="id_tail", name="王建国", id_tail=tail.lower())
    assert set(Attendance.objects.values_list("member__resident__name", flat=True)) == {"张三丰", "王建国"}
    with pytest.raises(Conflict, match="已经签到"):
        services.attendee_sign_in(actor=st.tutor, session=session, method="phone", phone=st.world.resident.phone)


def test_an_id_tail_alone_or_with_a_wrong_name_signs_nobody_in(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    tail = st.world.neighbour.id_number[-4:]
    for name in ("", "张三丰"):
        with pytest.raises(DomainError):
            services.attendee_sign_in(actor=st.tutor, session=session, method="id_tail", name=name, id_tail=tail)
    assert not Attendance.objects.exists()


def test_the_code_on_the_members_phone_signs_them_in_once(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    code = services.signin_code_issue(member=st.elder).code
    assert services.signin_code_issue(member=st.elder).code == code  # the same while it lives
    attendance = services.attendee_sign_in(actor=st.tutor, session=session, method="code", code=code)
    assert attendance.member == st.elder
    other = services.session_start(actor=st.tutor, place="学习室二")
    with pytest.raises(DomainError, match="不正确或已过期"):
        services.attendee_sign_in(actor=st.tutor, session=other, method="code", code=code)
    assert services.signin_code_issue(member=st.elder).code != code or SignInCode.objects.count() == 1


def test_an_expired_code_is_refused_and_another_community_cannot_use_it(st):
    code = services.signin_code_issue(member=st.elder).code
    elsewhere = services.session_start(actor=st.other_tutor, place="黄河学习室")
    with pytest.raises(DomainError):
        services.attendee_sign_in(actor=st.other_tutor, session=elsewhere, method="code", code=code)
    session = services.session_start(actor=st.tutor, place="学习室")
    later = timezone.now() + datetime.timedelta(minutes=11)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError, match="已过期"):
        services.attendee_sign_in(actor=st.tutor, session=session, method="code", code=code)


def test_guessing_codes_stops_after_the_limit(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    for n in range(services.MAX_FAILED_CODES):
        with pytest.raises(DomainError):
            services.attendee_sign_in(actor=st.tutor, session=session, method="code", code=f"{n:06d}x"[:6])
    code = services.signin_code_issue(member=st.elder).code
    with pytest.raises(DomainError, match="次数过多"):
        services.attendee_sign_in(actor=st.tutor, session=session, method="code", code=code)


def test_tutor_records_study_for_attendees_only_and_once_per_course(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    with pytest.raises(DomainError, match="还没有"):
        services.study_record(actor=st.tutor, member=st.elder, course=st.plain, session=session, minutes=30)
    services.attendee_sign_in(actor=st.tutor, session=session, method="phone", phone=st.world.resident.phone)
    record = services.study_record(actor=st.tutor, member=st.elder, course=st.plain, session=session, minutes=30)
    assert (record.channel, record.recorded_by, record.completed) == ("station", st.tutor, True)
    with pytest.raises(Conflict):
        services.study_record(actor=st.tutor, member=st.elder, course=st.plain, session=session, minutes=30)


def test_another_communitys_tutor_and_an_ended_session_refuse(st):
    session = services.session_start(actor=st.tutor, place="学习室")
    with pytest.raises(PermissionDenied):
        services.attendee_sign_in(actor=st.other_tutor, session=session, method="phone", phone=st.world.resident.phone)
    services.session_end(actor=st.tutor, session=session)
    with pytest.raises(PermissionDenied):
        services.attendee_sign_in(actor=st.tutor, session=session, method="phone", phone=st.world.resident.phone)
    with pytest.raises(PermissionDenied):
        services.session_start(actor=st.users.resident, place="家里")


def test_progress_rolls_up_the_tree(st):
    services.study_record(actor=st.users.resident, member=st.elder, course=st.plain, minutes=20)
    nodes = {n.org.name: n for n in selectors.org_progress(st.users.secretary)}
    # 党章学习 for 3 members of 玉龙湖; 二十大精神 for the two of 第1网格 (one done, one overdue).
    assert (nodes["1号楼党小组"].assigned, nodes["1号楼党小组"].done) == (2, 1)
    assert (nodes["第1网格党支部"].assigned, nodes["第1网格党支部"].done, nodes["第1网格党支部"].overdue) == (4, 1, 1)
    assert (nodes["玉龙湖社区党委"].members, nodes["玉龙湖社区党委"].assigned) == (3, 5)
    assert "黄河社区党委" not in nodes
    rows = {r.member.resident.name: r for r in selectors.progress_rows(st.users.secretary, status="visit")}
    assert set(rows) == set()  # 张三丰 (66) finished his overdue course
    rows = {r.member.resident.name for r in selectors.progress_rows(st.users.secretary, status="overdue")}
    assert rows == {"王建国"}


def test_an_older_member_with_an_overdue_course_needs_a_visit(st):
    rows = {r.member.resident.name for r in selectors.progress_rows(st.users.secretary, status="visit")}
    assert rows == {"张三丰"}


def test_a_branch_secretary_sees_their_branch_and_below(st):
    names = {r.member.resident.name for r in selectors.progress_rows(st.users.neighbour)}
    assert names == {"张三丰", "王建国"}
    assert selectors.progress_rows(st.users.resident) == []
