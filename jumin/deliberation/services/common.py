import jieba
from django.db import IntegrityError, transaction

from jumin.cases.notify import notify
from jumin.core.audit import audit_record, diff_fields
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.uploads import validate_upload

from .. import rules
from ..models import DeliberationSettings, Upload

__all__ = [
    "SETTING_LIMITS",
    "clean_text",
    "notify_managers",
    "notify_residents",
    "search_words",
    "settings_for",
    "settings_update",
    "upload_store",
]

# What each per-community setting may be set to (the form and the service both read this).
SETTING_LIMITS = {
    "support_threshold": (1, 1000, "提交书记的附议人数"),
    "publicity_days": (1, 60, "公示期天数"),
    "max_proxies": (1, 10, "每人最多接受委托数"),
}

STOP_WORDS = {
    "的",
    "了",
    "和",
    "与",
    "及",
    "是",
    "在",
    "有",
    "我",
    "我们",
    "你",
    "他",
    "她",
    "它",
    "这",
    "那",
    "请",
    "把",
    "被",
    "对",
    "为",
    "也",
    "都",
    "就",
    "要",
    "不",
    "吗",
    "呢",
    "啊",
    "一个",
    "一下",
    "问题",
    "小区",
    "社区",
}


def settings_for(community_id: int) -> DeliberationSettings:
    found = DeliberationSettings.objects.filter(community_id=community_id).first()
    return found or DeliberationSettings(community_id=community_id)


def _setting(name: str, value) -> int:
    low, high, label = SETTING_LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(f"{label}应为 {low} 到 {high} 之间的整数", field=name)
    return value


def settings_update(*, actor, community_id: int, support_threshold, publicity_days, max_proxies):
    """议事设置 (the secretary): they apply from now on — the next support, the next close, the next authorisation;
    what already happened keeps the value it was decided under."""
    if not rules.may_manage(actor, community_id):
        raise PermissionDenied("只有社区书记可以修改议事设置")
    data = {
        "support_threshold": _setting("support_threshold", support_threshold),
        "publicity_days": _setting("publicity_days", publicity_days),
        "max_proxies": _setting("max_proxies", max_proxies),
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                current, _ = DeliberationSettings.objects.get_or_create(community_id=community_id)
        except IntegrityError:  # another save created the row at the same moment
            current = DeliberationSettings.objects.get(community_id=community_id)
        changes = diff_fields(current, data, data)
        if not changes:
            return current
        DeliberationSettings.objects.filter(pk=current.pk).update(**data)
        current.refresh_from_db()
        audit_record(
            actor=actor,
            action="deliberation.settings",
            target=current,
            summary="修改议事设置:" + ";".join(f"{k} {old} → {new}" for k, (old, new) in changes.items()),
            changes=changes,
        )
    return current


def search_words(text: str) -> list[str]:
    """Words that carry meaning (jieba's search mode, two characters or more, no stop words), in order, once."""
    seen = []
    for word in jieba.lcut_for_search(text or ""):
        word = word.strip().lower()
        if len(word) >= 2 and word not in STOP_WORDS and not word.isdigit() and word not in seen:
            seen.append(word)
    return seen


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 字", field=field)
    return value


def upload_store(*, actor, community_id: int, upload) -> Upload:
    content_type = validate_upload(upload)
    name = (getattr(upload, "name", "") or "文件")[-200:]
    row = Upload(community_id=community_id, name=name, content_type=content_type, size=upload.size, uploaded_by=actor)
    row.file.save("x", upload, save=False)
    row.save()
    return row


def notify_residents(resident_ids, *, title: str, body: str = "") -> None:
    """In-app notice to the residents' accounts; call inside the service's transaction (sent on commit)."""
    resident_ids = sorted(set(resident_ids))
    if not resident_ids:
        return
    users = list(User.objects.filter(role=Role.RESIDENT, is_active=True, resident_id__in=resident_ids).order_by("id"))
    notify(users, title=title[:100], body=body)


def notify_managers(community_id: int, *, title: str, body: str = "") -> None:
    users = list(User.objects.filter(role=Role.SECRETARY, is_active=True, community_id=community_id).order_by("id"))
    notify(users, title=title[:100], body=body)


def stamp(row, now):
    """created_at is auto_now_add; services that take `now=` (demo, tests) set it to the moment they act at."""
    if now is not None:
        type(row).objects.filter(pk=row.pk).update(created_at=now)
        row.created_at = now
    return row
