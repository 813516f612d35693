"""Writes to the hall catalogue (windows, items); the running hall is in tickets, bookings and ratings."""

from django.db import IntegrityError, transaction

from jumin.core.audit import audit_record, diff_fields
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role

from .. import rules
from ..catalogue import ELIGIBILITY, ITEMS, WINDOWS
from ..models import ServiceItem, Window, window_prefix


def hall_ensure_catalogue(community) -> tuple[int, int]:
    """Create the standard 12 windows and 27 service items where missing; never touches rows that exist, so a
    community's own edits survive a second run. Returns (windows created, items created)."""
    with transaction.atomic():
        windows = {w.number: w for w in Window.objects.filter(community=community)}
        taken_names = {w.name for w in windows.values()}
        new_windows = [
            Window(community=community, number=number, name=name, prefix=window_prefix(number))
            for number, name in WINDOWS
            if number not in windows and name not in taken_names
        ]
        for window in Window.objects.bulk_create(new_windows):
            windows[window.number] = window
        existing = set(ServiceItem.objects.filter(community=community).values_list("name", flat=True))
        new_items = [
            ServiceItem(
                community=community,
                window=windows[spec.window],
                name=spec.name,
                description=spec.description,
                required_documents=list(spec.documents),
                time_limit_working_days=spec.days,
                proxy_allowed=spec.proxy,
                in_person_required=spec.in_person,
            )
            for spec in ITEMS
            if spec.name not in existing and spec.window in windows
        ]
        ServiceItem.objects.bulk_create(new_items)
        _apply_eligibility(new_items)
    return len(new_windows), len(new_items)


def _apply_eligibility(items) -> None:
    from jumin.people.models import Tag

    tags = {
        t.code: t for t in Tag.objects.filter(code__in={c for e in ELIGIBILITY.values() for c in e.get("tags", ())})
    }
    for item in items:
        rule = ELIGIBILITY.get(item.name)
        if not rule:
            continue
        if rule.get("min_age"):
            ServiceItem.objects.filter(pk=item.pk).update(min_age=rule["min_age"])
        wanted = [tags[c] for c in rule.get("tags", ()) if c in tags]
        if wanted:
            item.eligible_tags.set(wanted)


ITEM_FIELDS = (
    "window",
    "name",
    "description",
    "required_documents",
    "time_limit_working_days",
    "proxy_allowed",
    "in_person_required",
    "active",
    "min_age",
    "max_age",
    "fee",
    "bookable",
    "daily_cap",
)


def service_item_save(*, actor, community, item: ServiceItem | None, data: dict, other_windows, eligible_tags):
    """Create or edit an item of the community's hall (staff pages; `data` was cleaned by the form)."""
    if not rules.may_manage_hall(actor, community.pk):
        raise PermissionDenied("您没有编辑服务事项的权限")
    if data["window"].community_id != community.pk or any(w.community_id != community.pk for w in other_windows):
        raise DomainError("窗口须属于本社区服务大厅", field="window")
    creating = item is None
    item = item or ServiceItem(community=community)
    changes = {} if creating else diff_fields(item, data, [f for f in ITEM_FIELDS if f != "required_documents"])
    if not creating and item.required_documents != data["required_documents"]:
        changes["材料清单"] = ["、".join(item.required_documents), "、".join(data["required_documents"])]
    for name in ITEM_FIELDS:
        setattr(item, name, data[name])
    try:
        with transaction.atomic():
            item.save()
            item.other_windows.set([w for w in other_windows if w.pk != item.window_id])
            item.eligible_tags.set(eligible_tags)
            audit_record(
                actor=actor,
                action="hall.item.create" if creating else "hall.item.update",
                target=item,
                summary=f"{'新增' if creating else '修改'}服务事项“{item.name}”",
                changes=changes,
            )
    except IntegrityError:
        raise Conflict("本社区已有同名事项", field="name") from None
    return item


def window_save(*, actor, window: Window, name: str, prefix: str, staff) -> Window:
    """Rename a window, change its number letter and say which clerks work there."""
    if not rules.may_manage_hall(actor, window.community_id):
        raise PermissionDenied("您没有编辑窗口的权限")
    if any(u.community_id != window.community_id or u.role != Role.WINDOW_STAFF for u in staff):
        raise DomainError("只能指派本社区的窗口工作人员", field="staff")
    changes = diff_fields(window, {"name": name, "prefix": prefix}, ("name", "prefix"))
    window.name, window.prefix = name, prefix
    try:
        with transaction.atomic():
            window.save(update_fields=["name", "prefix", "updated_at"])
            window.staff.set(staff)
            audit_record(
                actor=actor,
                action="hall.window.update",
                target=window,
                summary=f"修改{window.number}号窗口(工作人员 {len(staff)} 人)",
                changes=changes,
            )
    except IntegrityError:
        raise Conflict("本大厅已有同名或同字头的窗口", field="prefix") from None
    return window
