"""The back office of the learning station: courses with their materials, quizzes and assignments; progress by
member and by organisation (rolled up the tree), overdue courses and who needs a visit; study records. Each list
exports to Excel."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from jumin.core.access import request_scope, require, user_can
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.party.models import PartyMember, PartyOrg
from jumin.party.selectors import orgs_visible_q
from jumin.people.idcard import mask_phone
from jumin.places.models import Community

from .. import rules, selectors, services
from ..exports import courses_workbook, org_progress_workbook, progress_workbook, records_workbook
from ..forms import AssignForm, CourseForm, DocumentForm, ProgressFilterForm, QuestionForm


def _home_community(request):
    """Where a new course goes: the secretary's community, or the one a street leader switched to."""
    ids = request_scope(request).community_ids
    return Community.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


def _visible_orgs(request):
    return list(
        PartyOrg.objects.filter(orgs_visible_q(request.user, request_scope(request)), community__isnull=False).order_by(
            "depth", "name", "id"
        )
    )


@office_required
@require("learning.view")
def course_list(request):
    q = request.GET.get("q", "")[:50]
    page = paginate(request, selectors.courses_for(request.user, request_scope(request), q=q))
    community = _home_community(request)
    context = {
        "page": page,
        "q": q,
        "can_manage": community is not None and rules.course_can_manage(request.user, community.pk),
    }
    return render(request, "learning/course_list.html", context)


@office_required
@require("learning.view")
def course_export(request):
    q = request.GET.get("q", "")[:50]
    return xlsx_response(
        courses_workbook(selectors.courses_for(request.user, request_scope(request), q=q)), "学习课程台账"
    )


@office_required
@require("learning.manage")
def course_new(request):
    community = _home_community(request)
    if community is None:
        messages.info(request, "请先在页面顶部选择社区")
        return redirect("learning:course-list")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建课程《{course.title}》,可以添加资料、测验题并布置学习")
            return redirect("learning:course-detail", course.uuid)
    return render(request, "learning/course_new.html", {"form": form, "community": community})


@office_required
@require("learning.view")
def course_detail(request, course_uuid):
    course = selectors.course_get(request.user, course_uuid, request_scope(request))
    can_manage = rules.course_can_manage(request.user, course.community_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    orgs = [o for o in _visible_orgs(request) if o.community_id == course.community_id] if can_manage else []
    doc_form = DocumentForm(request.POST if action == "document" else None, request.FILES or None, prefix="doc")
    question_form = QuestionForm(request.POST if action == "question" else None, prefix="question")
    assign_form = AssignForm(request.POST if action == "assign" else None, orgs=orgs, prefix="assign")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有权限管理本社区的学习课程")
        done = None
        try:
            if action == "document" and doc_form.is_valid():
                doc = services.document_add(actor=request.user, course=course, upload=doc_form.cleaned_data["file"])
                done = f"已添加资料“{doc.name}”"
            elif action == "question" and question_form.is_valid():
                services.question_add(actor=request.user, course=course, **question_form.cleaned_data)
                done = "已添加测验题"
            elif action == "assign" and assign_form.is_valid():
                data = assign_form.cleaned_data
                member = None
                if not data["org"]:
                    member = (
                        PartyMember.objects.filter(
                            community_id=course.community_id, active=True, resident__phone=data["member_phone"].strip()
                        )
                        .select_related("resident")
                        .first()
                    )
                    if member is None:
                        raise DomainError("没有找到用这个手机号登记的本社区党员", field="member_phone")
                services.assignment_create(
                    actor=request.user, course=course, org=data["org"], member=member, due_on=data["due_on"]
                )
                target = data["org"].name if data["org"] else member.resident.name
                done = f"已布置给{target},{data['due_on']:%Y年%-m月%-d日}前完成,已通知党员"
        except DomainError as exc:
            form = {"document": doc_form, "question": question_form, "assign": assign_form}.get(action, assign_form)
            add_domain_error(form, exc, {"member": "member_phone", "files": "file", "org": "org"})
        if done:
            messages.success(request, done)
            return redirect("learning:course-detail", course.uuid)
    records = selectors.records_for(request.user, request_scope(request), course=course)
    context = {
        "course": course,
        "can_manage": can_manage,
        "assignments": list(selectors.course_assignments(course)),
        "doc_form": doc_form,
        "question_form": question_form,
        "assign_form": assign_form,
        "record_count": records.count(),
        "done_count": records.filter(completed=True).values("member").distinct().count(),
    }
    return render(request, "learning/course_detail.html", context)


@office_required
@require("learning.manage")
def course_edit(request, course_uuid):
    """修改课程, and 停止发布 / 重新发布 it."""
    course = selectors.course_get(request.user, course_uuid, request_scope(request))
    if not rules.course_can_manage(request.user, course.community_id):
        raise PermissionDenied("您没有权限管理本社区的学习课程")
    action = request.POST.get("action", "save")
    if request.method == "POST" and action in ("publish", "unpublish"):
        try:
            services.course_publish(actor=request.user, course=course, published=action == "publish")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"已发布《{course.title}》,党员可以学习"
                if action == "publish"
                else f"已停止发布《{course.title}》:党员和学习站不再显示,已有学习记录保留",
            )
        return redirect("learning:course-detail", course.uuid)
    initial = {k: getattr(course, k) for k in services.EDITABLE}
    form = CourseForm(request.POST or None, initial=initial)
    stamp = request.POST.get("stamp") or course.updated_at.isoformat()
    if request.method == "POST" and form.is_valid():
        try:
            expected = datetime.datetime.fromisoformat(stamp)
        except ValueError:
            expected = None
        try:
            if expected is None:
                raise DomainError("页面已过期,请刷新后再改")
            services.course_update(actor=request.user, course=course, expected_updated_at=expected, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存《{course.title}》的修改")
            return redirect("learning:course-detail", course.uuid)
    return render(request, "learning/course_edit.html", {"course": course, "form": form, "stamp": stamp})


def _progress(request):
    filter_form = ProgressFilterForm(request.GET, orgs=_visible_orgs(request))
    filters = filter_form.filters()
    rows = selectors.progress_rows(request.user, request_scope(request), **filters)
    return filter_form, filters, rows


@office_required
@require("learning.view")
def progress(request):
    """学习情况 by member: assigned, done, overdue; older members with an overdue course need a visit."""
    filter_form, filters, rows = _progress(request)
    page = paginate(request, rows)
    can_visit = user_can(request.user, "party.view")
    for row in page.object_list:
        row.phone = mask_phone(row.member.resident.phone)
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": bool(filters["org"] or filters["status"]),
        "can_visit": can_visit,
        "visit_count": sum(r.needs_visit for r in rows),
        "overdue_count": sum(bool(r.overdue) for r in rows),
    }
    template = "learning/partials/progress_rows.html" if request.htmx else "learning/progress.html"
    return render(request, template, context)


@office_required
@require("learning.view")
def progress_export(request):
    _, _, rows = _progress(request)
    return xlsx_response(progress_workbook(rows), "党员学习情况台账")


@office_required
@require("learning.view")
def org_progress(request):
    nodes = selectors.org_progress(request.user, request_scope(request))
    return render(request, "learning/org_progress.html", {"nodes": nodes})


@office_required
@require("learning.view")
def org_progress_export(request):
    return xlsx_response(
        org_progress_workbook(selectors.org_progress(request.user, request_scope(request))), "党组织学习情况台账"
    )


def _records(request):
    channel = request.GET.get("channel", "")
    return channel, selectors.records_for(request.user, request_scope(request), channel=channel)


@office_required
@require("learning.view")
def record_list(request):
    channel, records = _records(request)
    page = paginate(request, records)
    return render(request, "learning/record_list.html", {"page": page, "channel": channel})


@office_required
@require("learning.view")
def record_export(request):
    _, records = _records(request)
    return xlsx_response(records_workbook(records), "学习记录台账")
