"""The shared case pages: the staff work queue and case page, the resident's 我的事项, figures, notifications."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jumin.core.access import request_scope, require, user_can
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.models import User
from jumin.core.pagination import paginate
from jumin.core.params import id_param
from jumin.core.registry import registry
from jumin.core.uploads import serve_upload
from jumin.core.views import office_required

from . import rules
from . import selectors as case_selectors
from . import services as case_services
from .actions import resident_actions, staff_actions
from .figures import case_figures, with_other_sources
from .forms import (
    AssignForm,
    AttachmentForm,
    EscalateForm,
    FollowUpForm,
    MessageForm,
    RatingForm,
    ReopenForm,
    StaffAttachmentForm,
    TransitionForm,
    staff_forms,
)
from .inbox import InboxFeed
from .kinds import kind_choices, kind_spec
from .models import Case, EventKind, Phase
from .notify import notifications_read
from .steps import case_step


def _queue_filters(request) -> dict:
    phase = request.GET.get("phase") or None
    return {
        "kind": request.GET.get("kind") or None,
        "status": request.GET.get("status") or None,
        "phase": phase if phase in Phase.values else None,
        "grid": id_param(request.GET.get("grid")),
        "q": (request.GET.get("q") or "").strip() or None,
    }


def _filter_query(filters: dict) -> str:
    """The filters as a query string, so switching queue tabs keeps them."""
    return urlencode({k: v for k, v in filters.items() if v is not None})


@office_required
@require("cases.work")
def case_queue(request):
    queue = request.GET.get("queue") or "mine"
    if queue not in case_selectors.QUEUES:
        queue = "mine"
    filters = _queue_filters(request)
    scope = request_scope(request)
    cases = case_selectors.work_queue(request.user, queue, scope=scope, **filters)
    page = paginate(request, cases)
    grids = case_selectors.queue_grids(scope)
    context = {
        "page": page,
        "queue": queue,
        "queues": case_selectors.QUEUES,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "kinds": kind_choices(),
        "phases": Phase.choices,
        "grids": grids,
        "many_communities": len({g.community_id for g in grids}) > 1,
        "now": timezone.now(),
    }
    # A filter change swaps the rows and, out of band, the tabs and the export link, so they keep the new filters.
    template = "cases/partials/queue_update.html" if request.htmx else "cases/queue.html"
    return render(request, template, context)


@office_required
@require("cases.export")
def case_queue_export(request):
    queue = request.GET.get("queue") or "all"
    cases = case_selectors.work_queue(
        request.user,
        queue if queue in case_selectors.QUEUES else "all",
        scope=request_scope(request),
        **_queue_filters(request),
    )
    cases = cases.exclude(confidential=True)  # disputes leave only as counts (mediation:dispute-counts)
    rows = (
        (
            c.number,
            kind_spec(c.kind).label,
            c.title,
            c.resident.name if c.resident_id else "",
            c.grid.name if c.grid_id else "",
            c.status_label,
            c.assignee.name if c.assignee_id else "",
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M"),
            "是" if c.is_overdue else "否",
        )
        for c in cases.iterator(chunk_size=1000)
    )
    header = ["编号", "类型", "标题", "居民", "网格", "状态", "承办人", "提交时间", "办结时限", "是否超期"]
    return xlsx_response(workbook("事项台账", header, rows), "事项台账")


def _panel_context(request, case):
    """What a kind's panel reads: its own row, and the engine's rules for this viewer (may_escalate, may_assign)."""
    spec = case.spec
    user = request.user
    is_worker = rules.case_can_work(user, case)
    own = spec.panel_context(case, user) if spec.panel_context else {}
    return {
        **own,
        "case": case,
        "spec": spec,
        "detail": spec.load_detail(case) if spec.load_detail else None,
        "viewer": user,
        "is_worker": is_worker,
        "is_requester": rules.is_requester(user, case),
        "may_escalate": rules.case_can_escalate(user, case, can_work=is_worker),
        "may_assign": rules.case_can_assign(user, case, can_work=is_worker),
    }


def _back_link(request) -> tuple[str, str]:
    """The breadcrumb's parent: the list the case was opened from (矛盾调解, 行政代办 …), else 工作队列."""
    crumb = request.GET.get("from", "")
    for item in registry.nav:
        if item.url_name == crumb and user_can(request.user, item.capability):
            return item.label, reverse(item.url_name)
    return "工作队列", reverse("cases:case-queue")


@office_required
@require("cases.work")
def case_detail(request, case_uuid):
    case = case_selectors.case_get(request.user, case_uuid)
    context = _panel_context(request, case)
    actions = staff_actions(request.user, case)
    staff = User.objects.filter(
        community_id=case.community_id, is_active=True, role__in=rules.assignable_roles(case)
    ).order_by("role", "name")
    back_label, back_url = _back_link(request)
    context.update(
        events=case_selectors.case_timeline(case, for_resident=False),
        attachments=case.attachments.all(),
        ratings=case.ratings.all(),
        follow_ups=case.follow_ups.select_related("actor"),
        parties=case.parties.select_related("resident__household__dwelling"),
        actions=actions,
        back_label=back_label,
        back_url=back_url,
        **staff_forms(staff=staff),
    )
    return render(request, "cases/detail.html", context)


# POST-only staff or resident action on a case: a refused rule becomes a message; always back to the case.
case_action = case_step(case_selectors.case_get)


@case_action
def case_take(request, case):
    case_services.case_take(actor=request.user, case=case)
    return f"已受理 {case.number}"


@case_action
def case_move(request, case):
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise DomainError("提交的内容有误,请重试")
    data = form.cleaned_data
    if data["expected_status"] != case.status:
        raise DomainError("该事项状态已变化,请查看最新状态后再操作")
    step = case.spec.transition(case.status, data["to"])
    if step is not None and step.caution and not data["confirm"]:
        raise DomainError(f"请勾选“我已确认”后再{step.label}", field="confirm")
    case = case_services.case_transition_generic(
        actor=request.user, case=case, to=data["to"], comment=data["comment"], expected_status=data["expected_status"]
    )
    return f"已更新为“{case.status_label}”"


@case_action
def case_message(request, case):
    form = MessageForm(request.POST)
    if not form.is_valid():
        raise DomainError("请填写内容")
    case_services.case_message(
        actor=request.user, case=case, text=form.cleaned_data["text"], public=form.cleaned_data["public"]
    )
    return "已答复居民" if form.cleaned_data["public"] else "已添加内部备注"


@case_action
def case_assign(request, case):
    staff = User.objects.filter(community_id=case.community_id, is_active=True)
    form = AssignForm(request.POST, staff=staff)
    if not form.is_valid():
        raise DomainError("请选择要转给的工作人员")
    case_services.case_assign(
        actor=request.user, case=case, assignee=form.cleaned_data["assignee"], comment=form.cleaned_data["comment"]
    )
    return f"已转给 {form.cleaned_data['assignee'].name}"


@case_action
def case_escalate(request, case):
    form = EscalateForm(request.POST)
    if not form.is_valid():
        raise DomainError("请说明转交街道的原因")
    case_services.case_escalate(actor=request.user, case=case, comment=form.cleaned_data["comment"])
    return "已转交街道"


@case_action
def case_follow_up(request, case):
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise DomainError("请选择回访方式并填写回访情况")
    case_services.case_follow_up(actor=request.user, case=case, **form.cleaned_data)
    return "已记录回访"


@case_action
def case_attach(request, case):
    form = (StaffAttachmentForm if request.user.is_office else AttachmentForm)(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError("请选择要上传的文件")
    internal = form.cleaned_data.get("internal", False)
    case_services.case_attach(actor=request.user, case=case, upload=form.cleaned_data["file"], public=not internal)
    return "已上传附件(仅工作人员可见)" if internal else "已上传附件"


@case_action
def case_remind(request, case):
    case_services.case_remind(actor=request.user, case=case)
    return "已催办,工作人员会尽快处理"


@case_action
def case_rate(request, case):
    form = RatingForm(request.POST)
    if not form.is_valid():
        raise DomainError("请选择满意、基本满意或不满意")
    case_services.case_rate(actor=request.user, case=case, **form.cleaned_data)
    return "感谢您的评价"


@case_action
def case_reopen(request, case):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        raise DomainError("请说明哪里不满意")
    case_services.case_reopen(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    return "已退回重新办理,社区会尽快处理"


@login_required
def my_cases(request):
    if request.user.is_office:
        return redirect("cases:case-queue")
    page = paginate(request, InboxFeed(request.user))
    from .kinds import case_kinds

    new_links = [(k.label, k.new_url_name) for k in case_kinds() if k.new_url_name]
    return render(request, "cases/my_cases.html", {"page": page, "new_links": new_links})


def _latest_answer(case, events):
    """The community's last word to the resident (an answer, a reply, a reason for declining), shown on top —
    of this round: once the resident sends a case back, the old answer is what they were unhappy with. A closing
    step's own note (办结 "已办结") is not the answer: the answer before it stays on top."""
    spec = case.spec
    for event in reversed(events):
        if event.kind == EventKind.REOPEN:
            return None
        if not (event.comment and event.actor_id and event.actor.is_office):
            continue
        if event.kind == EventKind.REPLY:
            return event
        if event.kind == EventKind.TRANSITION:
            step = spec.transition(event.from_status, event.to_status)
            closes = event.to_status in spec.closed_statuses()
            if not closes or (step is not None and step.caution):
                return event
    return None


@login_required
def my_case(request, case_uuid):
    if request.user.is_office:
        return redirect("cases:case-detail", case_uuid=case_uuid)
    case = case_selectors.case_get(request.user, case_uuid)
    context = _panel_context(request, case)
    rating = case.ratings.filter(round=case.round).first()
    events = list(case_selectors.case_timeline(case, for_resident=True))
    context.update(
        events=events,
        answer=_latest_answer(case, events),
        attachments=case.attachments.filter(public=True),
        rating=rating,
        actions=resident_actions(request.user, case, rating=rating),
        rating_form=RatingForm(),
        reopen_form=ReopenForm(),
        attachment_form=AttachmentForm(),
    )
    return render(request, "cases/my_case.html", context)


@login_required
def attachment_download(request, attachment_uuid):
    return serve_upload(case_selectors.attachment_get(request.user, attachment_uuid))


@office_required
@require("cases.figures")
def case_figures_page(request):
    scope = request_scope(request)
    # Counts cover every case of the communities in scope, confidential ones included: figures name no one.
    cases = Case.objects.filter(community_id__in=scope.community_ids)
    kind = request.GET.get("kind") or None
    if kind:
        cases = cases.filter(kind=kind)
    figures = case_figures(cases)
    if not kind:
        figures = with_other_sources(figures, scope)
    return render(request, "cases/figures.html", {"figures": figures, "kinds": kind_choices(), "kind": kind})


@login_required
def notifications(request):
    rows = case_selectors.notifications_for(request.user)
    page = paginate(request, rows)
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    if unread_ids:
        notifications_read(request.user, unread_ids, now=timezone.now())
    base = "office_base.html" if request.user.is_office else "site_base.html"
    return render(request, "cases/notifications.html", {"page": page, "base": base})
