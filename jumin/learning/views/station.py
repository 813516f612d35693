"""The tutor's pages at the station (the community's computers): start a session, sign members in by phone number,
name + ID tail or the code on their phone, and record what each studied. A member shows as name, masked phone and
organisation: never an ID number or birth date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jumin.core.access import require
from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import run_and_tell
from jumin.people.idcard import mask_phone

from .. import rules, selectors, services
from ..forms import SessionForm, SignInForm, StationRecordForm
from ..models import Course, Question


@login_required
@require("learning.tutor")
def station(request):
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_start(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已开始到站学习,请为到场的党员签到")
            return redirect("learning:session", session.uuid)
    page = paginate(request, selectors.sessions_for(request.user))
    return render(
        request,
        "learning/station.html",
        {"form": form, "page": page, "can_start": rules.session_can_start(request.user)},
    )


def _attendee_rows(session):
    rows = selectors.session_attendees(session)
    for row in rows:
        resident = row["attendance"].member.resident
        row["name"], row["phone"] = resident.name, mask_phone(resident.phone)
        recorded = {r.course_id for r in row["recorded"]}
        row["left"] = [d for d in row["dues"] if not d.completed and d.course.pk not in recorded]
    return rows


@login_required
@require("learning.tutor")
def session_detail(request, session_uuid):
    session = selectors.session_get(request.user, session_uuid)
    can_run = rules.session_can_run(request.user, session)
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied("这次到站学习已结束,或您不是本社区的辅导员")
        if form.is_valid():
            try:
                attendance = services.attendee_sign_in(actor=request.user, session=session, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                resident = attendance.member.resident
                messages.success(request, f"{resident.name}({mask_phone(resident.phone)})已签到")
                return redirect("learning:session", session.uuid)
    context = {"session": session, "form": form, "can_run": can_run, "rows": _attendee_rows(session)}
    return render(request, "learning/session_detail.html", context)


@login_required
@require("learning.tutor")
@require_POST
def session_end(request, session_uuid):
    session = selectors.session_get(request.user, session_uuid)
    run_and_tell(request, lambda: services.session_end(actor=request.user, session=session), "本次到站学习已结束")
    return redirect("learning:session", session.uuid)


@login_required
@require("learning.tutor")
def attendee_record(request, session_uuid, attendance_uuid):
    """登记学习: one attendee's courses (what is due first, then the others), one small form each."""
    session = selectors.session_get(request.user, session_uuid)
    attendance = selectors.attendance_get(session, attendance_uuid)
    member = attendance.member
    dues = selectors.member_dues(member)
    due_ids = [d.course.pk for d in dues]
    others = list(
        Course.objects.filter(community_id=session.community_id, published=True)
        .exclude(pk__in=due_ids)
        .order_by("title")[:30]
    )
    courses = [d.course for d in dues] + others
    questions = {}
    for q in Question.objects.filter(course__in=courses).order_by("course_id", "position", "id"):
        questions.setdefault(q.course_id, []).append(q)
    for c in courses:
        c.question_list = questions.get(c.pk, [])
    recorded = {r.course_id: r for r in selectors.records_for(request.user).filter(session=session, member=member)}
    can_run = rules.session_can_run(request.user, session)
    chosen = request.POST.get("course", "") if request.method == "POST" else ""
    forms = {}
    for c in courses:
        bound = request.POST if chosen == str(c.uuid) else None
        forms[c.pk] = StationRecordForm(bound, course=c, prefix=f"c{c.pk}", initial={"minutes": c.minutes})
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied("这次到站学习已结束,或您不是本社区的辅导员")
        course = next((c for c in courses if str(c.uuid) == chosen), None)
        if course is None:
            messages.error(request, "请选择课程")
            return redirect("learning:attendee", session.uuid, attendance.uuid)
        form = forms[course.pk]
        if form.is_valid():
            try:
                record = services.study_record(
                    actor=request.user,
                    member=member,
                    course=course,
                    session=session,
                    minutes=form.cleaned_data["minutes"],
                    completed=form.cleaned_data.get("completed", False),
                    answers=form.answers(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                name = member.resident.name
                if record.score is not None:
                    result = "及格,已学完" if record.passed else f"未及格(及格线 {course.pass_mark} 分)"
                    messages.success(request, f"已登记{name}学习《{course.title}》,测验 {record.score} 分,{result}")
                else:
                    done = ",已学完" if record.completed else ""
                    messages.success(request, f"已登记{name}学习《{course.title}》{record.minutes} 分钟{done}")
                return redirect("learning:session", session.uuid)
    status = {d.course.pk: d for d in dues}
    rows = [
        {
            "course": c,
            "form": forms[c.pk],
            "due": status.get(c.pk),
            "recorded": recorded.get(c.pk),
            "quiz": [(q, forms[c.pk][f"q{n}"]) for n, q in enumerate(c.question_list, start=1)],
        }
        for c in courses
    ]
    context = {
        "session": session,
        "attendance": attendance,
        "name": member.resident.name,
        "phone": mask_phone(member.resident.phone),
        "rows": rows,
        "can_run": can_run,
    }
    return render(request, "learning/attendee_record.html", context)
