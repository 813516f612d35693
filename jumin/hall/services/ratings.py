"""好差评: four marks after a finished ticket, on the resident's phone or the tablet at the window. A poor mark
(2 or less) needs a reason and opens a 大厅服务差评 case for the secretary."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.cases import services as case_services
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role, User

from .. import rules
from ..kind import KIND
from ..models import Rating, Ticket

MARKS = ("attitude", "quality", "efficiency", "integrity")
MARK_LABELS = {"attitude": "服务态度", "quality": "服务质量", "efficiency": "办事效率", "integrity": "廉洁自律"}
REASON_MAX = 500


def may_rate(user, ticket: Ticket) -> bool:
    """The resident who held the ticket (phone), or the hall's kiosk tablet at the window."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if ticket.user_id is not None and ticket.user_id == user.pk:
        return True
    return user.role == Role.KIOSK and user.community_id == ticket.community_id


def _marks(values: dict) -> dict[str, int]:
    marks = {}
    for name in MARKS:
        value = values.get(name)
        if isinstance(value, str) and value in ("1", "2", "3", "4", "5"):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(f"请为“{MARK_LABELS[name]}”打 1 到 5 分", field=name)
        marks[name] = value
    return marks


def rating_submit(*, actor, ticket: Ticket, values: dict, reason: str = "", now=None) -> Rating:
    now = now or timezone.now()
    if not may_rate(actor, ticket):
        raise PermissionDenied("只能评价自己办理的事项")
    if not rules.ticket_can_rate(ticket):
        raise Conflict("该号码尚未办结或已评价")
    marks = _marks(values)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    poor = min(marks.values()) <= rules.POOR_MARK
    if poor and not reason:
        raise DomainError("打了差评,请说说哪里不满意,社区书记会核实处理", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"原因不能超过 {REASON_MAX} 字", field="reason")
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(ticket=ticket, community_id=ticket.community_id, reason=reason, **marks)
        except IntegrityError:
            raise Conflict("该号码已评价") from None
        audit_record(
            now=now,
            actor=actor,
            action="hall.rating.submit",
            target=rating,
            summary=f"评价 {ticket.number}:{'、'.join(f'{MARK_LABELS[k]}{v}分' for k, v in marks.items())}",
        )
        if poor:
            rating.case = _open_case(actor, ticket, marks, reason, now)
            Rating.objects.filter(pk=rating.pk).update(case=rating.case)
    return rating


def _open_case(actor, ticket: Ticket, marks: dict, reason: str, now):
    window = ticket.called_window
    lines = [
        f"号码 {ticket.number},事项“{ticket.item.name}”,{window.number if window else '?'}号窗口",
        "评分:" + "、".join(f"{MARK_LABELS[k]} {v} 分" for k, v in marks.items()),
        f"原因:{reason}",
    ]
    opener, resident = actor, ticket.resident
    if actor.role == Role.KIOSK:
        # The tablet cannot raise a case itself: it is registered for the hall's secretary, who then works it.
        opener = User.objects.filter(community_id=ticket.community_id, role=Role.SECRETARY, is_active=True).first()
        if opener is None:
            return None
    community = ticket.community if resident is None else None
    return case_services.case_open(
        actor=opener,
        kind=KIND,
        title=f"大厅服务差评:{ticket.item.name}"[:50],
        body="\n".join(lines),
        resident=resident if actor.role != Role.RESIDENT else None,
        community=community,
        now=now,
    )
