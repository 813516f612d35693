"""The member's pages (phone first, 长辈模式): courses due, studying one with its quiz, the sign-in code for the
station, and — for a branch secretary — how their branch is doing."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.uploads import serve_upload

from .. import selectors, services
from ..forms import StudyForm


@login_required
def my_courses(request):
    """灯塔加油站: what I have to study and by when, the other courses, and the code to sign in at the station."""
    if request.user.is_office:
        return redirect("learning:course-list")
    member = selectors.my_member(request.user)
    dues = selectors.member_dues(member) if member else []
    due_ids = {d.course.pk for d in dues}
    others = [c for c in selectors.courses_for(request.user)[:50] if c.pk not in due_ids]
    context = {
        "member": member,
        "dues": dues,
        "others": others,
        "leads": bool(selectors.led_orgs(request.user)),
    }
    return render(request, "learning/my_courses.html", context)


@login_required
def course_study(request, course_uuid):
    course = selectors.course_get(request.user, course_uuid)
    member = selectors.my_member(request.user)
    form = StudyForm(request.POST or None, course=course) if member else None
    if request.method == "POST":
        if member is None:
            raise Http404("只有在册党员可以登记学习")
        if form.is_valid():
            try:
                record = services.study_record(
                    actor=request.user,
                    member=member,
                    course=course,
                    minutes=form.minutes(),
                    completed=True,
                    answers=form.answers(),
                    nonce=form.nonce(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if record.score is None:
                    messages.success(request, f"已学完《{course.title}》,记录学习 {record.minutes} 分钟")
                elif record.passed:
                    messages.success(request, f"测验得分 {record.score} 分,及格,已学完《{course.title}》")
                else:
                    messages.error(
                        request, f"测验得分 {record.score} 分,及格线 {course.pass_mark} 分,请再看看学习内容后重新作答"
                    )
                return redirect("learning:course-study", course.uuid)
    if form is not None and not form.is_bound:
        form.initial["started"] = StudyForm.start_token(course)
    dues = {d.course.pk: d for d in selectors.member_dues(member)} if member else {}
    quiz = [(q, form[f"q{n}"]) for n, q in enumerate(course.question_list, start=1)] if form else []
    context = {"course": course, "member": member, "form": form, "due": dues.get(course.pk), "quiz": quiz}
    return render(request, "learning/course_study.html", context)


@login_required
def document(request, document_uuid):
    return serve_upload(selectors.document_get(request.user, document_uuid))


@login_required
def my_code(request):
    """到站签到码: six digits and their QR, for the tutor to type or scan; renewed every ten minutes."""
    member = selectors.my_member(request.user)
    if member is None:
        raise Http404("只有在册党员有到站签到码")
    row = services.signin_code_issue(member=member)
    buffer = io.BytesIO()
    segno.make(row.code, error="m").save(buffer, kind="svg", scale=8, xmldecl=False, title="到站签到码")
    svg = mark_safe(buffer.getvalue().decode())  # segno's SVG of six digits and our fixed title only
    left = max(int((row.expires_at - timezone.now()).total_seconds() // 60), 1)
    context = {"code": row.code, "svg": svg, "expires_at": row.expires_at, "left": left, "member": member}
    response = render(request, "learning/my_code.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def branch_progress(request):
    """我负责的党组织: a grid-branch secretary sees how the members of their branch (and below) are studying."""
    orgs = selectors.led_orgs(request.user)
    if not orgs:
        raise Http404("您不是党组织书记")
    rows = selectors.progress_rows(request.user)
    page = paginate(request, rows)
    return render(request, "learning/branch_progress.html", {"orgs": orgs, "page": page})
