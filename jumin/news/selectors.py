import uuid

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from jumin.core.access import Scope, scope_for, user_can

from .audience import audience_residents, reaches_q
from .models import Broadcast, Notice, NoticeReceipt


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _resident(user):
    if getattr(user, "resident_id", None) is None or user.resident.status != "active":
        return None
    return user.resident


def notices_for(user, scope: Scope | None = None, *, q=None):
    """Staff: every notice of their communities. A resident: the notices that reach them. Pinned first."""
    if user_can(user, "news.view"):
        rows = Notice.objects.filter(community_id__in=(scope or scope_for(user)).community_ids).annotate(
            read_count=Count("receipts")
        )
    else:
        resident = _resident(user)
        if resident is None:
            return Notice.objects.none()
        rows = Notice.objects.filter(reaches_q(resident)).annotate(
            is_read=Exists(NoticeReceipt.objects.filter(notice_id=OuterRef("pk"), resident_id=resident.pk))
        )
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(title__contains=q) | Q(body__contains=q))
    return rows.select_related("published_by").order_by("-pinned", "-published_at", "-id")


def notice_get(user, notice_uuid) -> Notice:
    notice = notices_for(user).filter(uuid=_uuid(notice_uuid)).first()
    if notice is None:
        raise Http404
    return notice


def unread_residents(notice: Notice):
    """Who the notice is for and has not opened it yet — the list staff phone through for urgent notices."""
    read = NoticeReceipt.objects.filter(notice=notice).values("resident_id")
    return (
        audience_residents(notice)
        .exclude(pk__in=read)
        .select_related("household__dwelling", "grid")
        .order_by("grid_id", "household_id", "id")
    )


def public_notices(community):
    """The hall's public screen: notices to everyone only (a targeted one may say who is 低保 or 独居)."""
    return Notice.objects.filter(community=community, audience_all=True).order_by("-pinned", "-published_at")[:8]


def broadcasts_for(user, scope: Scope | None = None):
    return Broadcast.objects.filter(community_id__in=(scope or scope_for(user)).community_ids).order_by(
        "-aired_on", "-id"
    )


def broadcast_get(user, broadcast_uuid) -> Broadcast:
    broadcast = broadcasts_for(user).filter(uuid=_uuid(broadcast_uuid)).first()
    if broadcast is None:
        raise Http404
    return broadcast
