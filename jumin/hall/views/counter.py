"""The window screen (叫号): the clerk's current ticket with its item and documents, the queue, and the steps."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError
from jumin.core.params import id_param
from jumin.core.views import office_required

from .. import rules, selectors
from ..forms import FinishForm, PhoneForm
from ..models import Outcome, Ticket, TicketStatus, Window
from ..services import bookings as booking_services
from ..services import tickets as ticket_services

QUEUE_PREVIEW = 10


def _window(request, window_id) -> Window:
    window = selectors.window_for_staff(request.user, window_id)
    if window is None:
        raise Http404
    return window


@office_required
def counter_index(request):
    """Pick the window to work at: the clerk's own first."""
    community_id = rules.hall_community_id(request.user)
    if community_id is None:
        raise Http404
    windows = list(Window.objects.filter(community_id=community_id).order_by("number"))
    mine = set(request.user.hall_windows.values_list("pk", flat=True))
    for w in windows:
        w.mine = w.pk in mine or (rules.window_can_call(w, request.user) and request.user.role != "window_staff")
    if len(mine) == 1 and request.user.role == "window_staff":
        return redirect("hall:counter", window_id=next(iter(mine)))
    return render(request, "hall/counter_index.html", {"windows": windows, "assigned": bool(mine)})


def _context(request, window: Window) -> dict:
    now = timezone.now()
    day = rules.local_day(now)
    window = Window.objects.select_related("current_ticket__item", "current_ticket__resident").get(pk=window.pk)
    current = window.current_ticket
    queue = list(queue_rows := selectors.queue_for(window, day=day).select_related("item")[:QUEUE_PREVIEW])
    skipped = [
        t
        for t in Ticket.objects.filter(called_window=window, day=day, status=TicketStatus.SKIPPED)
        .select_related("item")
        .order_by("-skipped_at")[:10]
        if rules.ticket_can_recall_skipped(t, now=now)
    ]
    can_call = rules.window_can_call(window, request.user)
    context = {
        "window": window,
        "current": current,
        "actions": rules.ticket_actions(current, window, now=now) if current and can_call else [],
        "queue": queue,
        "waiting": selectors.queue_for(window, day=day).count() if len(queue_rows) >= QUEUE_PREVIEW else len(queue),
        "skipped": skipped if can_call else [],
        "can_call": can_call and not window.paused and current is None,
        "can_pause": can_call and not window.paused and current is None,
        "can_resume": can_call and window.paused,
        "is_clerk": can_call,
        "other_windows": Window.objects.filter(community_id=window.community_id).exclude(pk=window.pk),
        "finish_form": FinishForm(documents=current.item.required_documents if current else ()),
        "phone_form": PhoneForm(),
        "last_missing": _last_missing(request, window),
        "done_today": Ticket.objects.filter(called_window=window, day=day, status=TicketStatus.DONE).count(),
    }
    return context


@office_required
def counter(request, window_id):
    window = _window(request, window_id)
    context = _context(request, window)
    template = "hall/partials/counter_queue.html" if request.htmx else "hall/counter.html"
    return render(request, template, context)


@office_required
@require_POST
def counter_act(request, window_id):
    """One step at the window: 叫号, 重呼, 过号, 转窗, 办结, 暂停/恢复, 过号重呼, 预约签到."""
    window = _window(request, window_id)
    action = request.POST.get("action", "")
    actor = request.user
    try:
        message = _act(request, actor, window, action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if message:
            messages.success(request, message)
    return redirect(reverse("hall:counter", kwargs={"window_id": window.pk}))


def _ticket_here(request, window) -> Ticket:
    uuid = request.POST.get("ticket", "")
    ticket = selectors.ticket_for_user(request.user, uuid) if _is_uuid(uuid) else None
    if ticket is None:
        raise DomainError("没有找到该号码,请刷新")
    return ticket


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _act(request, actor, window, action: str) -> str:
    post = request.POST
    if action == "call":
        ticket = ticket_services.ticket_call_next(actor=actor, window=window)
        return f"已叫号:请 {ticket.number} 号到 {window.number} 号窗口" if ticket else "目前没有人排队"
    if action == "pause":
        ticket_services.window_set_paused(actor=actor, window=window, paused=True)
        return f"{window.number}号窗口已暂停服务"
    if action == "resume":
        ticket_services.window_set_paused(actor=actor, window=window, paused=False)
        return f"{window.number}号窗口已恢复服务"
    if action == "check_in":
        return _check_in(request, actor, window)
    ticket = _ticket_here(request, window)
    if action == "recall":
        ticket_services.ticket_recall(actor=actor, window=window, ticket=ticket)
        return f"已重呼 {ticket.number}"
    if action == "skip":
        ticket_services.ticket_skip(actor=actor, window=window, ticket=ticket)
        return f"{ticket.number} 已过号,30 分钟内可重呼"
    if action == "recall_skipped":
        ticket_services.ticket_recall_skipped(actor=actor, window=window, ticket=ticket)
        return f"已重新叫 {ticket.number}"
    if action == "transfer":
        to = id_param(post.get("to"))
        target = Window.objects.filter(community_id=window.community_id, pk=to).first() if to else None
        ticket_services.ticket_transfer(actor=actor, window=window, ticket=ticket, to=target)
        return f"{ticket.number} 已转到 {target.number} 号窗口,保留原排队顺序"
    if action == "finish":
        form = FinishForm(post, documents=ticket.item.required_documents)
        if not form.is_valid():
            raise DomainError("请选择办理结果" if "outcome" in form.errors else "请检查填写的内容")
        done = ticket_services.ticket_finish(
            actor=actor,
            ticket=ticket,
            window=window,
            outcome=form.cleaned_data["outcome"],
            missing_documents=form.cleaned_data["missing_documents"],
            note=form.cleaned_data["note"],
        )
        if done.outcome == Outcome.MISSING_DOCUMENTS:
            request.session["hall_last_missing"] = str(done.uuid)
        return f"{done.number} 已办结:{done.get_outcome_display()}"
    raise DomainError("未知的操作")


def _check_in(request, actor, window) -> str:
    form = PhoneForm(request.POST)
    if not form.is_valid():
        raise DomainError(form.errors["phone"][0])
    tickets = booking_services.bookings_check_in_by_phone(
        actor=actor, community_id=window.community_id, phone=form.cleaned_data["phone"]
    )
    return "签到成功,预约号码:" + "、".join(t.number for t in tickets)


def _last_missing(request, window):
    """After 办结 for missing documents: the ticket, so the screen offers a 代办 errand or a later booking."""
    uuid = request.session.get("hall_last_missing")
    if not uuid:
        return None
    ticket = (
        Ticket.objects.filter(uuid=uuid, called_window=window, outcome=Outcome.MISSING_DOCUMENTS)
        .select_related("item", "resident")
        .first()
    )
    if ticket is None:
        return None
    ticket.errand_url = ""
    if ticket.item.proxy_allowed and ticket.resident is not None:
        ticket.errand_url = f"{reverse('errands:office-new')}?resident={ticket.resident.uuid}&item={ticket.item_id}"
    ticket.booking_url = request.build_absolute_uri(reverse("hall:book-item", kwargs={"item_id": ticket.item_id}))
    return ticket
