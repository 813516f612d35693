"""Queue tickets and the window's calling: take a number, call next, recall, skip, transfer, finish, pause.

Numbers come from DayCounter rows with one conditional UPDATE each (the daily cap is the same trick), inside the
transaction that inserts the ticket, so concurrent takers queue on the counter row and a failed insert gives its
number back: no gap, no duplicate, with the (community, day, prefix, seq) unique constraint as the last defence.
Every state change is a compare-and-set on the ticket's status and on the window's current ticket."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.people.models import Resident, ResidentStatus

from .. import rules
from ..models import MAX_SEQ, DayCounter, Lane, Outcome, Ticket, TicketStatus, Window

PHONE_RE = re.compile(r"^1\d{10}$")
STALE = "该号码状态已变化,请刷新后再操作"


def _bump(*, community_id, day, key, limit) -> int | None:
    """Increase the day's counter `key` by one unless it reached `limit`; return the new value or None."""
    DayCounter.objects.get_or_create(community_id=community_id, day=day, key=key)
    changed = DayCounter.objects.filter(community_id=community_id, day=day, key=key, value__lt=limit).update(
        value=F("value") + 1, updated_at=timezone.now()
    )
    if not changed:
        return None
    return DayCounter.objects.values_list("value", flat=True).get(community_id=community_id, day=day, key=key)


def _resident_by_phone(community_id, phone: str):
    return (
        Resident.objects.filter(community_id=community_id, phone=phone, status=ResidentStatus.ACTIVE)
        .select_related("user")
        .order_by("id")
        .first()
    )


def _user_of(resident):
    try:
        return resident.user
    except Resident.user.RelatedObjectDoesNotExist:
        return None


def ticket_take(*, actor, item, phone: str | None = None, priority: bool = False, now=None, booking=None) -> Ticket:
    """A resident takes a number for themselves (phone, in opening hours); the kiosk and the hall's staff take one
    for a walk-in, who may give a phone to be found in the register. `priority` asks for the 绿色通道."""
    now = now or timezone.now()
    today = rules.local_day(now)
    if item is None or not item.active:
        raise DomainError("请选择在办的服务事项", field="item")
    phone = (phone or "").strip()
    if actor.role == Role.RESIDENT:
        if actor.resident_id is None or actor.resident.status != ResidentStatus.ACTIVE:
            raise PermissionDenied("账号尚未绑定住户,请到大厅取号机取号")
        resident, user = actor.resident, actor
        if resident.community_id != item.community_id:
            raise DomainError("该事项不属于本社区服务大厅", field="item")
        if not rules.hall_is_open(now):
            raise DomainError("服务大厅不在开放时间(工作日 8:30–17:30),请在开放时间取号", field="item")
    elif rules.may_issue_tickets(actor, item.community_id):
        resident = user = None
        if booking is not None:
            resident, user = booking.resident, booking.user
        elif phone:
            if not PHONE_RE.match(phone):
                raise DomainError("手机号应为以 1 开头的 11 位数字", field="phone")
            resident = _resident_by_phone(item.community_id, phone)
            user = _user_of(resident) if resident else None
    else:
        raise PermissionDenied("您没有取号的权限")
    if resident is not None:
        reason = rules.item_ineligibility(item, resident, today=today)
        if reason:
            raise DomainError(reason, field="item")
    lane = Lane.BOOKED if booking is not None else _lane(actor, resident, priority, today)
    window = item.window
    with transaction.atomic():
        # Booked places were counted when the slots were set: only walk-ins count against the daily cap.
        capped = booking is None
        if (
            capped
            and _bump(community_id=item.community_id, day=today, key=f"item:{item.pk}", limit=item.daily_cap) is None
        ):
            raise Conflict(f"“{item.name}”今日号码已取完(每日 {item.daily_cap} 个),请预约其他日期", field="item")
        seq = _bump(community_id=item.community_id, day=today, key=window.prefix, limit=MAX_SEQ)
        if seq is None:
            raise Conflict(f"{window.number}号窗口今日号码已取完", field="item")
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    community_id=item.community_id,
                    item=item,
                    window=window,
                    day=today,
                    prefix=window.prefix,
                    seq=seq,
                    lane=lane,
                    resident=resident,
                    user=user,
                    taken_by=actor,
                    phone=phone,
                    booking=booking,
                    taken_at=now,
                )
        except IntegrityError:
            raise Conflict(f"您今天已取过“{item.name}”的号,请等候叫号", field="item") from None
        audit_record(
            now=now,
            actor=actor,
            action="hall.ticket.take",
            target=ticket,
            summary=f"取号 {ticket.number}({item.name},{ticket.get_lane_display()})",
        )
    return ticket


def _lane(actor, resident, priority: bool, today) -> int:
    if resident is not None and rules.qualifies_for_priority(resident, today=today):
        return Lane.PRIORITY
    if not priority:
        return Lane.WALK_IN
    # Pregnancy is not in the register: the kiosk and the clerk take the walk-in's word, staff check at the window.
    if actor.role == Role.RESIDENT:
        raise DomainError("绿色通道限 70 周岁以上老人、残疾人和孕妇;孕妇请到大厅取号机或窗口取号", field="priority")
    return Lane.PRIORITY


def ticket_cancel(*, actor, ticket: Ticket, now=None) -> Ticket:
    now = now or timezone.now()
    if actor.pk is None or ticket.user_id != actor.pk:
        raise PermissionDenied("只能取消自己的号码")
    if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
        status=TicketStatus.CANCELLED, updated_at=now
    ):
        raise Conflict("该号码已被叫到或已结束,不能取消")
    ticket.status = TicketStatus.CANCELLED
    audit_record(now=now, actor=actor, action="hall.ticket.cancel", target=ticket, summary=f"取消号码 {ticket.number}")
    return ticket


def _require_caller(actor, window):
    if not rules.window_can_call(window, actor):
        raise PermissionDenied("您不是该窗口的工作人员")


def _announce(ticket: Ticket, window: Window, title: str) -> None:
    if ticket.user_id:
        notify([ticket.user], title=title, body=f"您的号码 {ticket.number}({ticket.item.name})")


def ticket_call_next(*, actor, window: Window, now=None) -> Ticket | None:
    """Call the first waiting ticket of the window's queue (see selectors.queue_for). Two clerks calling at once
    never get the same ticket (compare-and-set on its status), nor does a window hold two (on current_ticket)."""
    from ..selectors import queue_for

    _require_caller(actor, window)
    now = now or timezone.now()
    window.refresh_from_db(fields=["paused", "current_ticket"])
    if window.paused:
        raise DomainError("窗口已暂停服务,请先恢复服务")
    if window.current_ticket_id:
        raise Conflict("请先办结、过号或转窗当前号码")
    for _ in range(20):
        candidate = queue_for(window, day=rules.local_day(now)).only("pk").first()
        if candidate is None:
            return None
        with transaction.atomic():
            took = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
                status=TicketStatus.CALLED,
                called_at=now,
                announced_at=now,
                call_count=F("call_count") + 1,
                called_window=window,
                staff=actor,
                updated_at=now,
            )
            if not took:
                continue  # another window called it first: try the next in line
            if not Window.objects.filter(pk=window.pk, current_ticket__isnull=True, paused=False).update(
                current_ticket=candidate.pk, updated_at=now
            ):
                raise Conflict("该窗口已叫到另一个号码,请刷新")
            ticket = Ticket.objects.select_related("item", "window", "user").get(pk=candidate.pk)
            window.current_ticket = ticket
            audit_record(now=now, actor=actor, action="hall.ticket.call", target=ticket, summary=_said(ticket, window))
            _announce(ticket, window, f"请到 {window.number} 号窗口")
            return ticket
    raise Conflict("叫号的人太多,请再试一次")


def _said(ticket: Ticket, window: Window) -> str:
    return f"请 {ticket.number} 号到 {window.number} 号窗口"


def _leave_window(window: Window, ticket: Ticket, now) -> None:
    if not Window.objects.filter(pk=window.pk, current_ticket=ticket.pk).update(current_ticket=None, updated_at=now):
        raise Conflict(STALE)
    window.current_ticket = None


def _current(window: Window, ticket: Ticket) -> None:
    if ticket.status != TicketStatus.CALLED or ticket.called_window_id != window.pk:
        raise Conflict(STALE)


def ticket_recall(*, actor, window: Window, ticket: Ticket, now=None) -> Ticket:
    """重呼: say the current number again."""
    _require_caller(actor, window)
    now = now or timezone.now()
    _current(window, ticket)
    if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED, called_window=window).update(
        announced_at=now, call_count=F("call_count") + 1, updated_at=now
    ):
        raise Conflict(STALE)
    ticket.refresh_from_db()
    audit_record(
        now=now, actor=actor, action="hall.ticket.recall", target=ticket, summary=f"重呼 {_said(ticket, window)}"
    )
    _announce(ticket, window, f"请到 {window.number} 号窗口(重呼)")
    return ticket


def ticket_skip(*, actor, window: Window, ticket: Ticket, now=None) -> Ticket:
    """过号: the resident did not come; the number may be called back for 30 minutes."""
    _require_caller(actor, window)
    now = now or timezone.now()
    _current(window, ticket)
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED, called_window=window).update(
            status=TicketStatus.SKIPPED, skipped_at=now, updated_at=now
        ):
            raise Conflict(STALE)
        _leave_window(window, ticket, now)
        ticket.status, ticket.skipped_at = TicketStatus.SKIPPED, now
        audit_record(now=now, actor=actor, action="hall.ticket.skip", target=ticket, summary=f"过号 {ticket.number}")
    return ticket


def ticket_recall_skipped(*, actor, window: Window, ticket: Ticket, now=None) -> Ticket:
    """A skipped resident came back within 30 minutes: serve them now at this window."""
    _require_caller(actor, window)
    now = now or timezone.now()
    if not rules.ticket_can_recall_skipped(ticket, now=now):
        raise Conflict("过号超过 30 分钟,请重新取号")
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.SKIPPED).update(
            status=TicketStatus.CALLED,
            called_window=window,
            staff=actor,
            announced_at=now,
            call_count=F("call_count") + 1,
            updated_at=now,
        ):
            raise Conflict(STALE)
        if not Window.objects.filter(pk=window.pk, current_ticket__isnull=True).update(
            current_ticket=ticket.pk, updated_at=now
        ):
            raise Conflict("请先办结、过号或转窗当前号码")
        ticket.refresh_from_db()
        audit_record(
            now=now, actor=actor, action="hall.ticket.recall_skipped", target=ticket, summary=_said(ticket, window)
        )
    return ticket


def ticket_transfer(*, actor, window: Window, ticket: Ticket, to: Window, now=None) -> Ticket:
    """转窗: the ticket waits at another window, keeping its place (the queue orders by lane and taking time)."""
    _require_caller(actor, window)
    now = now or timezone.now()
    if to is None or to.community_id != window.community_id or to.pk == window.pk:
        raise DomainError("请选择本大厅的另一个窗口", field="to")
    _current(window, ticket)
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED, called_window=window).update(
            status=TicketStatus.WAITING, window=to, transferred=True, updated_at=now
        ):
            raise Conflict(STALE)
        _leave_window(window, ticket, now)
        ticket.refresh_from_db()
        audit_record(
            now=now,
            actor=actor,
            action="hall.ticket.transfer",
            target=ticket,
            summary=f"{ticket.number} 由 {window.number} 号窗口转至 {to.number} 号窗口",
            changes={"窗口": [window.number, to.number]},
        )
        if ticket.user_id:
            notify([ticket.user], title=f"您的号码已转到 {to.number} 号窗口,请留意叫号", body=ticket.number)
    return ticket


def ticket_finish(
    *, actor, ticket: Ticket, outcome: str, missing_documents=(), note: str = "", window=None, now=None
) -> Ticket:
    """办结 with an outcome; the finished ticket is the service record. Missing documents must come from the item's
    list (the window then offers a 代办 errand or a booking for later)."""
    window = window or ticket.called_window
    if window is None:
        raise Conflict(STALE)
    _require_caller(actor, window)
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise DomainError("请选择办理结果", field="outcome")
    if isinstance(missing_documents, str):
        missing_documents = [missing_documents]
    if not isinstance(missing_documents, list | tuple) or not all(isinstance(d, str) for d in missing_documents):
        raise DomainError("缺少的材料应为材料名称的列表", field="missing_documents")
    missing = [d for d in ticket.item.required_documents if d in set(missing_documents)]
    if len(missing) != len(set(missing_documents)):
        raise DomainError("缺少的材料须在该事项的材料清单中", field="missing_documents")
    if outcome == Outcome.MISSING_DOCUMENTS and not missing:
        raise DomainError("请勾选缺少的材料", field="missing_documents")
    if outcome != Outcome.MISSING_DOCUMENTS:
        missing = []
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError("说明不能超过 200 字", field="note")
    _current(window, ticket)
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED, called_window=window).update(
            status=TicketStatus.DONE,
            finished_at=now,
            outcome=outcome,
            missing_documents=missing,
            outcome_note=note,
            staff=actor,
            updated_at=now,
        ):
            raise Conflict(STALE)
        _leave_window(window, ticket, now)
        if ticket.booking_id:
            from ..models import Booking, BookingStatus

            Booking.objects.filter(pk=ticket.booking_id, status=BookingStatus.CHECKED_IN).update(
                status=BookingStatus.SERVED, updated_at=now
            )
        ticket.refresh_from_db()
        audit_record(
            now=now,
            actor=actor,
            action="hall.ticket.finish",
            target=ticket,
            summary=f"办结 {ticket.number}:{ticket.get_outcome_display()}",
            changes={"状态": ["请到窗口", "已办结"]},
        )
        if ticket.user_id:
            body = f"缺少材料:{'、'.join(missing)}" if missing else "请为本次服务评价"
            notify([ticket.user], title=f"{ticket.item.name}:{ticket.get_outcome_display()}", body=body)
    return ticket


def window_set_paused(*, actor, window: Window, paused: bool, now=None) -> Window:
    """暂停 for a break (only with nobody at the window) and 恢复服务."""
    _require_caller(actor, window)
    now = now or timezone.now()
    rows = Window.objects.filter(pk=window.pk, paused=not paused)
    if paused:
        rows = rows.filter(current_ticket__isnull=True)
    if not rows.update(paused=paused, updated_at=now):
        raise Conflict("请先办结当前号码再暂停" if paused else "窗口已在服务中")
    window.paused = paused
    audit_record(
        now=now,
        actor=actor,
        action="hall.window.pause" if paused else "hall.window.resume",
        target=window,
        summary=f"{window.number}号窗口{'暂停服务' if paused else '恢复服务'}",
    )
    return window
