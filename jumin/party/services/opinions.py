"""Writes for 社情民意. The case itself (status, history, deadlines) is opened by the shared engine."""

from django.db import transaction

from jumin.cases.models import Case
from jumin.cases.services import case_open
from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.uploads import validate_upload
from jumin.people.models import ResidentStatus

from ..kind import KIND as OPINION
from ..models import Category, Channel, Opinion

MAX_PHOTOS = 6
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
# Who may record an opinion on a resident's behalf, and the channel it came in by unless they say otherwise.
RECORDER_CHANNELS = {
    Role.GRID_WORKER: Channel.GRID,
    Role.WINDOW_STAFF: Channel.WINDOW,
    Role.PARTY_REP: Channel.RECEPTION_DAY,
    Role.SECRETARY: Channel.WINDOW,
}
STAFF_CHANNELS = (Channel.GRID, Channel.RECEPTION_DAY, Channel.WINDOW)


def can_record(user) -> bool:
    """May `user` record an opinion on a resident's behalf?"""
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in RECORDER_CHANNELS


def default_channel(user) -> str:
    return RECORDER_CHANNELS.get(user.role, Channel.ONLINE)


def _check_photos(photos) -> list:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"最多上传 {MAX_PHOTOS} 张照片", field="photos")
    for photo in photos:
        try:
            content_type = validate_upload(photo)
        except DomainError as exc:
            raise DomainError(f"照片“{photo.name}”:{exc.message}", field="photos") from exc
        if content_type not in PHOTO_TYPES:
            raise DomainError(f"照片“{photo.name}”:只能上传 JPG、PNG 或 WEBP 图片", field="photos")
    return photos


def _channel_for(actor, channel: str | None) -> str:
    if actor.is_resident:
        return Channel.ONLINE
    if not can_record(actor):
        raise PermissionDenied("您没有权限代录社情民意")
    channel = channel or default_channel(actor)
    if channel not in STAFF_CHANNELS:
        raise DomainError("请选择登记渠道:网格员代录、党代表接待日或窗口登记", field="channel")
    return channel


def opinion_submit(
    *,
    actor,
    title: str,
    text: str,
    category: str,
    allow_public: bool,
    photos=(),
    resident=None,
    channel: str | None = None,
    reception_day=None,
) -> Case:
    """A resident submits their own opinion (online); a grid worker, window staff, party representative or the
    secretary records one for a resident in their scope. Returns the case; its Opinion row is `case.opinion`."""
    channel = _channel_for(actor, channel)
    if not (title or "").strip():
        raise DomainError("请填写标题", field="title")
    if not (text or "").strip():
        raise DomainError("请填写内容", field="text")
    if category not in Category.values:
        raise DomainError("请选择类别", field="category")
    if not actor.is_resident:
        if resident is None:
            raise DomainError("请选择居民", field="resident")
        if resident.status != ResidentStatus.ACTIVE:
            raise DomainError("该居民已不在册,不能代录", field="resident")
    photos = _check_photos(photos)
    with transaction.atomic():
        case = case_open(
            actor=actor,
            kind=OPINION,
            title=title,
            body=text,
            resident=resident if not actor.is_resident else None,
            files=photos,
        )
        opinion = Opinion.objects.create(
            community_id=case.community_id,
            case=case,
            category=category,
            allow_public=bool(allow_public),
            channel=channel,
            recorded_by=actor,
            reception_day=reception_day if channel == Channel.RECEPTION_DAY else None,
        )
        audit_record(
            actor=actor,
            action="opinion.submit",
            target=opinion,
            summary=f"社情民意 {case.number}:{opinion.get_category_display()},{opinion.get_channel_display()}",
            changes={"同意匿名公开": opinion.allow_public},
        )
    case.opinion = opinion
    return case


def opinion_create_from_api(actor, data: dict) -> Case:
    """POST /api/v1/cases with kind "opinion": title, text, category, allow_public; staff add resident (uuid)
    and may give a channel."""
    from jumin.people.selectors import resident_get

    resident = None
    if not actor.is_resident and data.get("resident"):
        resident = resident_get(scope_for(actor), _uuid(data["resident"]))
    return opinion_submit(
        actor=actor,
        title=data.get("title") or "",
        text=data.get("text") or "",
        category=str(data.get("category") or ""),
        allow_public=bool(data.get("allow_public")),
        resident=resident,
        channel=data.get("channel") or None,
    )


def _uuid(value):
    import uuid

    from django.http import Http404

    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc
