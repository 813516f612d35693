"""双报到服务任务: the office list (publish, filter, 台账), a task's page (who took it, 分派, completion), and the
member's own page on the phone (认领, 登记完成)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required

from .. import selectors, services
from ..exports import tasks_workbook
from ..forms import AssignForm, CompleteForm, TaskForm
from ..models import ClaimStatus

WHEN = {"upcoming": True, "past": False}
TABS = [("upcoming", "即将开始"), ("past", "已过服务日期"), ("all", "全部")]


def _tasks(request):
    scope = request_scope(request)
    org = None
    if request.GET.get("org"):
        try:
            org = selectors.org_get(request.user, request.GET["org"], scope)
        except (Http404, ValueError, DomainError):
            org = None
    when = request.GET.get("when", "upcoming")
    return org, when, selectors.tasks_for(request.user, scope, org=org, upcoming=WHEN.get(when))


def _manageable_orgs(request):
    return [
        n.org
        for n in selectors.flatten(selectors.org_tree(request.user, request_scope(request)))
        if services.task_can_create(request.user, n.org)
    ]


@office_required
@require("party.view")
def task_list(request):
    orgs = _manageable_orgs(request)
    form = TaskForm(request.POST or None, orgs=orgs, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not orgs:
            raise PermissionDenied("您没有权限发布任务")
        if form.is_valid():
            try:
                task = services.task_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已发布任务“{task.title}”,双报到党员可在手机上认领")
                return redirect("party:task-detail", task.uuid)
    org, when, tasks = _tasks(request)
    context = {"page": paginate(request, tasks), "org": org, "when": when, "tabs": TABS, "form": form if orgs else None}
    return render(request, "party/task_list.html", context)


@office_required
@require("party.view")
def task_export(request):
    _, _, tasks = _tasks(request)
    return xlsx_response(tasks_workbook(tasks), "双报到服务任务台账")


def _complete(request, claim, form):
    try:
        services.task_complete(actor=request.user, claim=claim, **form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, f"已登记{claim.member.resident.name}完成“{claim.task.title}”")
    return True


@office_required
@require("party.view")
def task_detail(request, task_uuid):
    task = selectors.task_get(request.user, task_uuid, request_scope(request))
    today = timezone.localdate()
    can_manage = services.can_manage_org(request.user, task.org)
    free = list(selectors.task_members_free(task)[:200]) if can_manage and task.date >= today and task.left else []
    action = request.POST.get("action", "")
    assign_form = AssignForm(request.POST if action == "assign" else None, members=free, prefix="assign")
    claims = list(selectors.task_claims(task))
    done_form, done_claim = None, None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有权限管理该任务")
        if action == "assign" and assign_form.is_valid():
            member = assign_form.cleaned_data["member"]
            try:
                services.task_claim(actor=request.user, task=task, member=member)
            except DomainError as exc:
                add_domain_error(assign_form, exc)
            else:
                messages.success(request, f"已将任务分派给{member.resident.name}")
                return redirect("party:task-detail", task.uuid)
        elif action == "complete":
            done_claim = next((c for c in claims if str(c.uuid) == request.POST.get("claim")), None)
            if done_claim is None:
                messages.error(request, "没有找到该领办记录,请刷新后再试")
                return redirect("party:task-detail", task.uuid)
            done_form = CompleteForm(request.POST, prefix=f"c{done_claim.pk}")
            if done_form.is_valid() and _complete(request, done_claim, done_form):
                return redirect("party:task-detail", task.uuid)
    rows = [
        (c, done_form if c == done_claim else CompleteForm(prefix=f"c{c.pk}"))
        if services.claim_can_complete(request.user, c, today=today)
        else (c, None)
        for c in claims
    ]
    context = {
        "task": task,
        "rows": rows,
        "assign_form": assign_form if free else None,
        "done_claim": done_claim,
        "done": sum(1 for c in claims if c.status == ClaimStatus.DONE),
        "hours": sum((c.hours for c in claims if c.hours), 0),
    }
    return render(request, "party/task_detail.html", context)


@login_required
def my_task(request, task_uuid):
    """A member's view of one task: 认领 while places are left, then 我已完成 with the hours."""
    task = selectors.task_get(request.user, task_uuid)
    member = selectors.my_membership(request.user)
    if member is None:
        raise Http404("没有找到该任务")
    today = timezone.localdate()
    claim = next((c for c in selectors.task_claims(task) if c.member_id == member.pk), None)
    form = CompleteForm(request.POST if request.POST.get("action") == "complete" else None, prefix="done")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "claim":
            try:
                services.task_claim(actor=request.user, task=task, member=member)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已认领“{task.title}”,请按时到{task.place or '指定地点'}服务")
            return redirect("party:my-task", task.uuid)
        if action == "complete" and claim is not None and form.is_valid() and _complete(request, claim, form):
            return redirect("party:my-task", task.uuid)
    context = {
        "task": task,
        "claim": claim,
        "form": form,
        "can_claim": claim is None
        and task.left > 0
        and services.task_can_claim(request.user, task, member, today=today),
        "can_complete": claim is not None and services.claim_can_complete(request.user, claim, today=today),
    }
    return render(request, "party/my_task.html", context)
