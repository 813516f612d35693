"""Writes for 北镇微视 and the notice board. A published notice goes to the inbox of exactly the residents its
audience names (jumin.news.audience), sent after commit."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.access import user_can
from jumin.core.audit import audit_record
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import User
from jumin.people.models import Tag
from jumin.people.selectors import ELDERLY_TAG
from jumin.places.models import Compound, Grid

from .audience import audience_residents
from .models import Broadcast, Category, Notice, NoticeReceipt, NoticeTag

MAX_TARGETS = 100


def can_publish(user, community_id) -> bool:
    from jumin.core.access import scope_for

    return user_can(user, "news.publish") and community_id in scope_for(user).community_ids


def _text(value, *, limit, field, label, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字", field=field)
    return value


def _ids(values, field: str, label: str) -> list[int]:
    values = list(values or [])
    if len(values) > MAX_TARGETS:
        raise DomainError(f"{label}最多选 {MAX_TARGETS} 个", field=field)
    if any(isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 2**63 for v in values):
        raise DomainError(f"{label}应为编号列表", field=field)
    return sorted(set(values))


def tag_choices() -> list[tuple[str, str]]:
    return [(ELDERLY_TAG, "60 岁以上老人"), *Tag.objects.order_by("name").values_list("code", "name")]


def notice_publish(
    *,
    actor,
    community,
    title: str,
    body: str,
    category: str = Category.POLICY,
    urgent: bool = False,
    pinned: bool = False,
    compounds=(),
    grids=(),
    tags=(),
    now=None,
) -> Notice:
    """Staff publish a notice to everyone, or to compounds, grids and/or tags of their community."""
    now = now or timezone.now()
    if not can_publish(actor, community.pk):
        raise PermissionDenied("您没有权限发布本社区的通知")
    title = _text(title, limit=100, field="title", label="标题", required=True)
    body = _text(body, limit=5000, field="body", label="内容", required=True)
    if category not in Category.values:
        raise DomainError("请选择类别", field="category")
    compound_ids = _ids(compounds, "audience.compounds", "小区")
    grid_ids = _ids(grids, "audience.grids", "网格")
    codes = sorted({str(c) for c in (tags or [])})
    if len(codes) > MAX_TARGETS:
        raise DomainError("标签太多", field="audience.tags")
    if Compound.objects.filter(pk__in=compound_ids, community=community).count() != len(compound_ids):
        raise DomainError("所选小区不属于本社区", field="audience.compounds")
    if Grid.objects.filter(pk__in=grid_ids, community=community).count() != len(grid_ids):
        raise DomainError("所选网格不属于本社区", field="audience.grids")
    known = {code for code, _ in tag_choices()}
    if set(codes) - known:
        raise DomainError("未知的标签:" + "、".join(sorted(set(codes) - known))[:100], field="audience.tags")
    with transaction.atomic():
        notice = Notice.objects.create(
            community=community,
            title=title,
            body=body,
            category=category,
            urgent=bool(urgent),
            pinned=bool(pinned),
            audience_all=not (compound_ids or grid_ids or codes),
            published_at=now,
            published_by=actor,
        )
        notice.compounds.set(compound_ids)
        notice.grids.set(grid_ids)
        NoticeTag.objects.bulk_create([NoticeTag(notice=notice, code=c) for c in codes])
        audience = audience_residents(notice, timezone.localdate(now))
        users = list(User.objects.filter(resident__in=audience.values("pk"), is_active=True))
        audit_record(
            actor=actor,
            action="notice.publish",
            target=notice,
            summary=f"发布通知“{title}”,送达 {len(users)} 位居民账号",
            changes={"小区": compound_ids, "网格": grid_ids, "标签": codes},
        )
        notify(users, title=("【紧急】" if urgent else "【通知】") + title[:90], body=body[:500], sms=bool(urgent))
    return notice


def notice_read(*, actor, notice: Notice, now=None) -> None:
    """A resident opened the notice: record the first reading (once, whatever the race)."""
    if not getattr(actor, "resident_id", None):
        return
    try:
        with transaction.atomic():
            NoticeReceipt.objects.create(notice=notice, resident_id=actor.resident_id, read_at=now or timezone.now())
    except IntegrityError:
        pass  # read before


def broadcast_publish(
    *, actor, community, title: str, aired_on, summary: str = "", video_url: str = "", transcript: str = ""
) -> Broadcast:
    if not can_publish(actor, community.pk):
        raise PermissionDenied("您没有权限发布北镇微视")
    title = _text(title, limit=100, field="title", label="标题", required=True)
    summary = _text(summary, limit=300, field="summary", label="简介")
    transcript = _text(transcript, limit=20000, field="transcript", label="文字稿")
    video_url = (video_url or "").strip()
    if video_url:
        try:
            URLValidator(schemes=["http", "https"])(video_url)
        except ValidationError as exc:
            raise DomainError("视频链接应为 http(s) 网址", field="video_url") from exc
        if len(video_url) > 300:
            raise DomainError("视频链接太长", field="video_url")
    if not isinstance(aired_on, datetime.date):
        raise DomainError("请填写播出日期", field="aired_on")
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            community=community,
            title=title,
            summary=summary,
            video_url=video_url,
            transcript=transcript,
            aired_on=aired_on,
            published_by=actor,
        )
        audit_record(actor=actor, action="broadcast.publish", target=broadcast, summary=f"发布北镇微视“{title}”")
    return broadcast
