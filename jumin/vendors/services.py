"""Writes to vendors and their orders. Vetting is a compare-and-set on the vendor's status; an order's steps are
compare-and-sets on its case's status (the shared engine's history and audit), with the order's own fields written
in the same transaction. Notifications go out on commit."""

import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from jumin.cases import services as case_services
from jumin.cases.models import Case, CaseEvent, EventKind, Phase, Satisfaction
from jumin.cases.notify import notify
from jumin.cases.selectors import can_work, is_requester
from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.text import CONTROL_MESSAGE, has_control_chars
from jumin.core.uploads import validate_upload
from jumin.people.models import Resident, ResidentStatus

from . import kind as k
from .models import (
    FEN,
    Category,
    Complaint,
    OfferKind,
    ServiceOrder,
    Slot,
    Vendor,
    VendorRating,
    VendorStatus,
)

PHONE_RE = re.compile(r"^1\d{10}$")
# Staff who take a resident's order over the phone (the resident in their scope).
PROXY_ROLES = frozenset({Role.WINDOW_STAFF, Role.GRID_WORKER, Role.SECRETARY})
VET_ROLES = frozenset({Role.SECRETARY, Role.WINDOW_STAFF})
# An order may be booked from today up to this many days ahead.
BOOK_AHEAD_DAYS = 30
# A vendor is flagged for review when the average of its last REVIEW_WINDOW ratings (at least REVIEW_MIN of them)
# falls below REVIEW_THRESHOLD stars.
REVIEW_WINDOW = 5
REVIEW_MIN = 3
REVIEW_THRESHOLD = Decimal("3.0")
MAX_PRICE = Decimal("99999999.99")
DESCRIPTION_MAX = 1000


# ---- predicates: one per rule; services refuse with them, views build the offered actions from them ----------------


def may_vet(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in VET_ROLES


def may_order_for_others(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in PROXY_ROLES


def vendor_can_approve(vendor: Vendor, user) -> bool:
    return may_vet(user) and vendor.status == VendorStatus.PENDING


def vendor_can_refuse(vendor: Vendor, user) -> bool:
    return may_vet(user) and vendor.status == VendorStatus.PENDING


def vendor_can_suspend(vendor: Vendor, user) -> bool:
    return may_vet(user) and vendor.status == VendorStatus.APPROVED


def vendor_can_reinstate(vendor: Vendor, user) -> bool:
    return may_vet(user) and vendor.status == VendorStatus.SUSPENDED


def vendor_can_clear_flag(vendor: Vendor, user) -> bool:
    return may_vet(user) and vendor.flagged_at is not None and vendor.status == VendorStatus.APPROVED


def vendor_actions(vendor: Vendor, user) -> set[str]:
    checks = {
        "approve": vendor_can_approve,
        "refuse": vendor_can_refuse,
        "suspend": vendor_can_suspend,
        "reinstate": vendor_can_reinstate,
        "clear_flag": vendor_can_clear_flag,
    }
    return {name for name, check in checks.items() if check(vendor, user)}


def is_order_vendor(user, order: ServiceOrder) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.VENDOR
        and order.vendor.user_id == user.pk
    )


def order_can_accept(order: ServiceOrder, user) -> bool:
    return (
        is_order_vendor(user, order) and order.case.status == k.PLACED and order.vendor.status == VendorStatus.APPROVED
    )


def order_can_decline(order: ServiceOrder, user) -> bool:
    return is_order_vendor(user, order) and order.case.status == k.PLACED


def order_can_visit(order: ServiceOrder, user) -> bool:
    return is_order_vendor(user, order) and order.case.status == k.ACCEPTED


def order_can_complete(order: ServiceOrder, user) -> bool:
    return is_order_vendor(user, order) and order.case.status == k.VISITING


def order_can_cancel(order: ServiceOrder, user) -> bool:
    if order.case.status not in k.CANCELLABLE:
        return False
    return is_requester(user, order.case) or can_work(user, order.case)


def order_can_rate(order: ServiceOrder, user) -> bool:
    return is_requester(user, order.case) and order.case.status == k.DONE


def order_can_complain(order: ServiceOrder, user) -> bool:
    return is_requester(user, order.case) and order.case.status != k.PLACED


def order_actions(order: ServiceOrder, user) -> set[str]:
    checks = {
        "accept": order_can_accept,
        "decline": order_can_decline,
        "visit": order_can_visit,
        "complete": order_can_complete,
        "cancel": order_can_cancel,
        "rate": order_can_rate,
        "complain": order_can_complain,
    }
    return {name for name, check in checks.items() if check(order, user)}


# ---- vendors: apply, vet, suspend ----------------------------------------------------------------------------------


def _text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字", field=field)
    if has_control_chars(value, multiline=True):
        raise DomainError(f"{label}{CONTROL_MESSAGE}", field=field)
    return value


def _phone(value, field: str = "contact_phone") -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if not PHONE_RE.match(value):
        raise DomainError("联系电话应为以 1 开头的 11 位数字", field=field)
    return value


def vendor_apply(
    *,
    actor,
    name: str,
    category: str,
    contact_name: str,
    contact_phone: str,
    service_area: str,
    offer_kind: str,
    discount_percent: int | None = None,
    price_list: str = "",
    offer_note: str = "",
    licence=None,
) -> Vendor:
    """申请入驻: a vendor's login submits its business for vetting; a refused vendor may apply again."""
    if actor.role != Role.VENDOR or not actor.community_id:
        raise PermissionDenied("只有社区登记的商家账号可以申请入驻")
    existing = Vendor.objects.filter(user=actor).first()
    if existing is not None and existing.status != VendorStatus.REFUSED:
        raise DomainError(f"您已提交过入驻申请(当前状态:{existing.get_status_display()})")
    fields = {
        "name": _text(name, field="name", label="商家名称", max_length=100),
        "contact_name": _text(contact_name, field="contact_name", label="联系人", max_length=50),
        "contact_phone": _phone(contact_phone),
        "service_area": _text(service_area, field="service_area", label="服务范围", max_length=200),
        "offer_note": _text(offer_note, field="offer_note", label="优惠说明", max_length=200, required=False),
        "price_list": _text(price_list, field="price_list", label="价目表", max_length=2000, required=False),
    }
    if category not in Category.values:
        raise DomainError("请选择服务类别", field="category")
    if offer_kind not in OfferKind.values:
        raise DomainError("请选择给居民的优惠方式", field="offer_kind")
    if offer_kind == OfferKind.DISCOUNT:
        if not isinstance(discount_percent, int) or not 1 <= discount_percent <= 99:
            raise DomainError("折扣应为 1 到 99 之间的整数,例如 80 表示 8 折", field="discount_percent")
    else:
        discount_percent = None
        if not fields["price_list"]:
            raise DomainError("固定价目须填写价目表,例如:疏通下水道 60 元", field="price_list")
    if licence is None and (existing is None or not existing.licence):
        raise DomainError("请上传营业执照照片或扫描件", field="licence")
    content_type = validate_upload(licence) if licence is not None else None
    with transaction.atomic():
        vendor = existing or Vendor(community_id=actor.community_id, user=actor)
        for key, value in fields.items():
            setattr(vendor, key, value)
        vendor.category, vendor.offer_kind, vendor.discount_percent = category, offer_kind, discount_percent
        if licence is not None:
            vendor.licence = licence
            vendor.licence_name, vendor.licence_type = licence.name[:200], content_type
        vendor.status, vendor.status_reason, vendor.flagged_at = VendorStatus.PENDING, "", None
        vendor.save()
        audit_record(actor=actor, action="vendor.apply", target=vendor, summary=f"商家 {vendor.name} 申请入驻")
        notify(_secretaries(vendor.community_id), title=f"新的商家入驻申请:{vendor.name}")
    return vendor


def _secretaries(community_id):
    return list(User.objects.filter(community_id=community_id, role__in=VET_ROLES, is_active=True))


def _vet(vendor: Vendor, *, actor, check, to: str, reason: str = "", action: str, verb: str) -> Vendor:
    if not check(vendor, actor) or vendor.community_id not in scope_for(actor).community_ids:
        raise PermissionDenied("您不能审核该商家")
    old = vendor.status
    now = timezone.now()
    with transaction.atomic():
        updates = {"status": to, "status_reason": reason, "vetted_by": actor, "vetted_at": now, "updated_at": now}
        if to != VendorStatus.APPROVED or old == VendorStatus.SUSPENDED:
            updates["flagged_at"] = None
        if Vendor.objects.filter(pk=vendor.pk, status=old).update(**updates) != 1:
            raise Conflict("该商家的状态已变化,请刷新后再操作")
        audit_record(
            actor=actor,
            action=action,
            target=vendor,
            summary=f"商家 {vendor.name} {verb}" + (f":{reason}" if reason else ""),
            changes={"状态": [VendorStatus(old).label, VendorStatus(to).label]},
        )
        if vendor.user_id:
            notify([vendor.user], title=f"您的商家{verb}:{vendor.name}", body=reason, sms=True)
    vendor.refresh_from_db()
    return vendor


def _reason(reason, label) -> str:
    return _text(reason, field="reason", label=label, max_length=200)


def vendor_approve(*, actor, vendor: Vendor) -> Vendor:
    return _vet(
        vendor,
        actor=actor,
        check=vendor_can_approve,
        to=VendorStatus.APPROVED,
        action="vendor.approve",
        verb="审核通过",
    )


def vendor_refuse(*, actor, vendor: Vendor, reason: str) -> Vendor:
    reason = _reason(reason, "不通过的原因")
    return _vet(
        vendor,
        actor=actor,
        check=vendor_can_refuse,
        to=VendorStatus.REFUSED,
        reason=reason,
        action="vendor.refuse",
        verb="审核未通过",
    )


def vendor_suspend(*, actor, vendor: Vendor, reason: str) -> Vendor:
    """暂停: the vendor disappears from the residents' lists and cannot accept new orders."""
    reason = _reason(reason, "暂停的原因")
    return _vet(
        vendor,
        actor=actor,
        check=vendor_can_suspend,
        to=VendorStatus.SUSPENDED,
        reason=reason,
        action="vendor.suspend",
        verb="已被暂停",
    )


def vendor_reinstate(*, actor, vendor: Vendor) -> Vendor:
    return _vet(
        vendor,
        actor=actor,
        check=vendor_can_reinstate,
        to=VendorStatus.APPROVED,
        action="vendor.reinstate",
        verb="已恢复接单",
    )


def vendor_clear_flag(*, actor, vendor: Vendor, note: str) -> Vendor:
    """Staff reviewed a flagged vendor and keep it (the note says why)."""
    note = _reason(note, "复核意见")
    if not vendor_can_clear_flag(vendor, actor) or vendor.community_id not in scope_for(actor).community_ids:
        raise PermissionDenied("您不能复核该商家")
    with transaction.atomic():
        if Vendor.objects.filter(pk=vendor.pk, flagged_at__isnull=False).update(flagged_at=None) != 1:
            raise Conflict("该商家已被他人复核")
        audit_record(actor=actor, action="vendor.review", target=vendor, summary=f"商家 {vendor.name} 差评复核:{note}")
    vendor.flagged_at = None
    return vendor


def vendor_review_check(*, vendor: Vendor, now=None) -> bool:
    """After a rating: flag the vendor when its recent average is poor (once until staff clear it)."""
    recent = list(
        VendorRating.objects.filter(vendor=vendor)
        .order_by("-created_at", "-id")
        .values_list("price", "punctuality", "quality")[:REVIEW_WINDOW]
    )
    if len(recent) < REVIEW_MIN:
        return False
    average = Decimal(sum(sum(r) for r in recent)) / (3 * len(recent))
    if average >= REVIEW_THRESHOLD:
        return False
    now = now or timezone.now()
    if Vendor.objects.filter(pk=vendor.pk, flagged_at__isnull=True).update(flagged_at=now) != 1:
        return False
    vendor.flagged_at = now
    audit_record(
        actor=None,
        action="vendor.flag",
        target=vendor,
        summary=f"商家 {vendor.name} 近 {len(recent)} 单平均 {average.quantize(Decimal('0.1'))} 星,低于 {REVIEW_THRESHOLD} 星,待复核",
    )
    notify(
        _secretaries(vendor.community_id),
        title=f"商家差评预警:{vendor.name}",
        body=f"近 {len(recent)} 单平均 {average.quantize(Decimal('0.1'))} 星,请复核,必要时暂停接单。",
    )
    return True


# ---- orders --------------------------------------------------------------------------------------------------------


def _in_scope(actor, resident) -> bool:
    scope = scope_for(actor)
    return resident.community_id in scope.community_ids and (
        scope.grid_ids is None or resident.grid_id in scope.grid_ids
    )


def cn_date(day: datetime.date) -> str:
    """2026年12月3日, as dates are written in Chinese."""
    return f"{day.year}年{day.month}月{day.day}日"


def household_address(resident) -> str:
    return resident.household.dwelling.address


def _window(window_date, window_slot, today) -> tuple[datetime.date, str]:
    if not isinstance(window_date, datetime.date):
        raise DomainError("请选择上门日期", field="window")
    if window_date < today:
        raise DomainError("上门日期不能早于今天", field="window")
    if window_date > today + datetime.timedelta(days=BOOK_AHEAD_DAYS):
        raise DomainError(f"最多可预约 {BOOK_AHEAD_DAYS} 天以内的上门时间", field="window")
    if window_slot not in Slot.values:
        raise DomainError("请选择上门时段:上午、下午或晚上", field="window")
    return window_date, window_slot


def order_place(
    *,
    actor,
    vendor: Vendor,
    window_date: datetime.date,
    window_slot: str,
    description: str,
    address: str = "",
    contact_phone: str = "",
    resident=None,
    files=(),
    today: datetime.date | None = None,
) -> ServiceOrder:
    """预约服务: a resident orders from an approved vendor of their community; staff order for a resident who phones."""
    if actor.role == Role.RESIDENT:
        if actor.resident_id is None:
            raise PermissionDenied("账号尚未绑定住户,暂不能预约服务")
        resident = actor.resident
    elif not may_order_for_others(actor):
        raise PermissionDenied("您没有代居民预约服务的权限")
    elif resident is None:
        raise DomainError("请选择为哪位居民预约", field="resident")
    elif not _in_scope(actor, resident):
        raise PermissionDenied("该居民不在您的管辖范围内")
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("该居民已不在册,不能预约服务", field="resident")
    if vendor.community_id != resident.community_id or vendor.status != VendorStatus.APPROVED:
        raise DomainError("该商家暂不接单,请选择其他商家", field="vendor")
    today = today or timezone.localdate()
    window_date, window_slot = _window(window_date, window_slot, today)
    description = _text(description, field="description", label="需要什么服务", max_length=DESCRIPTION_MAX)
    address = _text(address, field="address", label="服务地址", max_length=200, required=False) or household_address(
        resident
    )
    phone = (contact_phone or "").strip() if isinstance(contact_phone, str) else ""
    contact_phone = _phone(phone or resident.phone or (actor.phone if actor.role == Role.RESIDENT else ""))
    slot_label = Slot(window_slot).label
    body = f"{description}\n上门时间:{cn_date(window_date)} {slot_label}\n服务地址:{address}"
    with transaction.atomic():
        case = case_services.case_open(
            actor=actor,
            kind=k.KIND,
            title=f"{vendor.get_category_display()}:{vendor.name}"[:100],
            body=body,
            resident=None if actor.role == Role.RESIDENT else resident,
            files=files,
        )
        order = ServiceOrder.objects.create(
            case=case,
            community_id=case.community_id,
            vendor=vendor,
            window_date=window_date,
            window_slot=window_slot,
            address=address,
            contact_phone=contact_phone,
        )
        audit_record(actor=actor, action="vendor.order", target=order, summary=f"{case.number} 向 {vendor.name} 下单")
        if vendor.user_id:
            # No case link: the vendor reads its orders on its own pages, not the staff case page.
            notify(
                [vendor.user],
                title=f"新订单 {case.number}:{window_date.month}月{window_date.day}日{slot_label}",
                body=description[:200],
                sms=True,
            )
    order.case = case
    return order


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def order_place_from_api(*, actor, data: dict) -> ServiceOrder:
    """POST /api/v1/vendors/orders (and POST /api/v1/cases with kind "service_order")."""
    if actor.is_office:
        if not data.get("resident"):
            raise DomainError("请选择为哪位居民预约", field="resident")
        resident = Resident.objects.select_related("household__dwelling").filter(uuid=_uuid(data["resident"])).first()
        if resident is None or not _in_scope(actor, resident):
            raise Http404
        community_id = resident.community_id
    elif actor.role == Role.RESIDENT and actor.resident_id:
        resident, community_id = None, actor.resident.community_id
    else:
        raise PermissionDenied("您没有预约服务的权限")
    vendor = Vendor.objects.filter(uuid=_uuid(data.get("vendor")), community_id=community_id).first()
    if vendor is None or vendor.status != VendorStatus.APPROVED:
        raise Http404
    window = data.get("window") or {}
    try:
        window_date = datetime.date.fromisoformat(str(window.get("date")))
    except (AttributeError, ValueError):
        raise DomainError('上门时间应为 {"date": "2026-12-03", "slot": "morning"}', field="window") from None
    return order_place(
        actor=actor,
        vendor=vendor,
        window_date=window_date,
        window_slot=window.get("slot"),
        description=data.get("description") or "",
        address=data.get("address") or "",
        contact_phone=data.get("contact_phone") or "",
        resident=resident,
    )


def _move(order: ServiceOrder, *, actor, to: str, comment: str = "", extra=None) -> Case:
    """One step of the order on its case: compare-and-set on the status, a history row, an audit event."""
    case = order.case
    spec = case.spec
    current = case.status
    transition = spec.transition(current, to)
    if transition is None:
        raise Conflict(f"订单当前为“{spec.status_label(current)}”,不能{spec.status_label(to)},请刷新后查看")
    now = timezone.now()
    phase = spec.phase_of(to)
    updates = {"status": to, "phase": phase, "version": F("version") + 1, "updated_at": now, **(extra or {})}
    if phase != Phase.NEW and case.taken_at is None:
        updates["taken_at"] = now
    if phase == Phase.CLOSED and case.closed_at is None:
        updates["closed_at"] = now
    if phase in (Phase.ANSWERED, Phase.CLOSED) and case.answered_at is None:
        updates["answered_at"] = now
    if Case.objects.filter(pk=case.pk, status=current).update(**updates) != 1:
        raise Conflict("该订单状态已变化,请刷新后再操作")
    CaseEvent.objects.create(
        community_id=case.community_id,
        case=case,
        actor=actor,
        kind=EventKind.TRANSITION,
        from_status=current,
        to_status=to,
        comment=comment,
    )
    audit_record(
        actor=actor,
        action=f"vendor.order.{to}",
        target=case,
        summary=f"{case.number} {spec.status_label(current)} → {spec.status_label(to)}",
        changes={"状态": [spec.status_label(current), spec.status_label(to)]},
    )
    case.refresh_from_db()
    order.case = case
    return case


def _requester(order):
    return User.objects.filter(resident_id=order.case.resident_id, is_active=True, role=Role.RESIDENT).first()


def _vendor_step(order, *, actor, check, to, comment="", refusal="您不能处理该订单", extra=None, tell=None):
    if not check(order, actor):
        if not is_order_vendor(actor, order):
            raise PermissionDenied(refusal)
        raise Conflict(f"订单当前为“{order.case.status_label}”,请刷新后查看")
    with transaction.atomic():
        case = _move(order, actor=actor, to=to, comment=comment, extra=extra)
        notify(
            [_requester(order)], title=tell or f"您的服务订单{case.status_label}:{case.title}", body=comment, case=case
        )
    return order


def order_accept(*, actor, order: ServiceOrder) -> ServiceOrder:
    """接单: the vendor becomes the case's 承办人, so the resident's 催一催 reaches it."""
    return _vendor_step(
        order,
        actor=actor,
        check=order_can_accept,
        to=k.ACCEPTED,
        comment=f"{order.vendor.name}已接单,将于{order.window_date.month}月{order.window_date.day}日{order.get_window_slot_display()}上门",
        extra={"assignee": actor},
    )


def order_decline(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    reason = _text(reason, field="reason", label="不接单的原因", max_length=200)
    return _vendor_step(order, actor=actor, check=order_can_decline, to=k.DECLINED, comment=reason)


def order_visit(*, actor, order: ServiceOrder) -> ServiceOrder:
    return _vendor_step(order, actor=actor, check=order_can_visit, to=k.VISITING, comment="师傅已上门")


def parse_money(value, *, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为金额,例如 120 或 85.50", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE or amount != amount.quantize(FEN):
        raise DomainError(f"{label}应为 0 以上、最多两位小数的金额", field=field)
    return amount.quantize(FEN)


def order_complete(*, actor, order: ServiceOrder, list_price, charged, note: str = "") -> ServiceOrder:
    """服务完成: the vendor records the list price and what it charged; the charge respects the resident offer."""
    list_price = parse_money(list_price, field="list_price", label="原价")
    charged = parse_money(charged, field="charged", label="实收金额")
    if charged > list_price:
        raise DomainError("实收金额不能高于原价", field="charged")
    cap = order.vendor.discounted(list_price)
    if charged > cap:
        raise DomainError(f"按{order.vendor.offer_label},原价 {list_price} 元最多收 {cap} 元", field="charged")
    note = _text(note, field="note", label="服务说明", max_length=500, required=False)
    comment = f"服务完成,原价 {list_price} 元,{order.vendor.offer_label},实收 {charged} 元。{note}".strip()
    now = timezone.now()
    with transaction.atomic():
        _vendor_step(order, actor=actor, check=order_can_complete, to=k.DONE, comment=comment)
        ServiceOrder.objects.filter(pk=order.pk).update(
            list_price=list_price, charged=charged, completed_at=now, updated_at=now
        )
    order.list_price, order.charged, order.completed_at = list_price, charged, now
    return order


def order_cancel(*, actor, order: ServiceOrder, reason: str = "") -> ServiceOrder:
    """取消: the resident (or staff for them) before the vendor has come."""
    if not order_can_cancel(order, actor):
        if order.case.status not in k.CANCELLABLE:
            raise Conflict(f"订单当前为“{order.case.status_label}”,不能取消")
        raise PermissionDenied("您不能取消该订单")
    reason = _text(reason, field="reason", label="取消原因", max_length=200, required=False)
    with transaction.atomic():
        case = _move(order, actor=actor, to=k.CANCELLED, comment=reason or "居民取消")
        if order.vendor.user_id:
            notify([order.vendor.user], title=f"订单已取消 {case.number}", body=reason)
        if actor.is_office:
            notify([_requester(order)], title=f"您的服务订单已取消:{case.title}", body=reason, case=case)
    return order


def satisfaction_for(score: Decimal) -> str:
    if score >= 4:
        return Satisfaction.SATISFIED
    if score >= 3:
        return Satisfaction.BASIC
    return Satisfaction.UNSATISFIED


def _score(value, field, label) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise DomainError(f"请为“{label}”打 1 到 5 星", field=field)
    return value


def order_rate(*, actor, order: ServiceOrder, price, punctuality, quality, comment: str = "") -> VendorRating:
    """The resident rates price, punctuality and quality; the case gets the matching satisfaction (接诉即办), and a
    vendor whose recent ratings are poor is flagged for review."""
    if not order_can_rate(order, actor):
        if not is_requester(actor, order.case):
            raise PermissionDenied("只有下单的居民可以评价")
        raise Conflict("该订单已评价或尚未完成")
    scores = {
        "price": _score(price, "price", "价格"),
        "punctuality": _score(punctuality, "punctuality", "守时"),
        "quality": _score(quality, "quality", "质量"),
    }
    comment = _text(comment, field="comment", label="评价", max_length=500, required=False)
    try:
        with transaction.atomic():
            case = _move(order, actor=actor, to=k.RATED, comment=comment)
            rating = VendorRating.objects.create(
                community_id=order.community_id,
                order=order,
                vendor=order.vendor,
                round=case.round,
                rated_by=actor,
                comment=comment,
                **scores,
            )
            case_services.case_rate(actor=actor, case=case, value=satisfaction_for(rating.score), comment=comment)
            if order.vendor.user_id:
                notify([order.vendor.user], title=f"居民评价了订单 {case.number}:{rating.score} 星", body=comment)
            vendor_review_check(vendor=order.vendor)
    except IntegrityError as exc:
        raise Conflict("该订单已评价过") from exc
    return rating


def order_complain(*, actor, order: ServiceOrder, text: str) -> Complaint:
    """投诉: a complaint about an order becomes a case staff take, answer and close."""
    if not order_can_complain(order, actor):
        raise PermissionDenied("只有下单的居民可以投诉该订单")
    text = _text(text, field="text", label="投诉内容", max_length=2000)
    with transaction.atomic():
        case = case_services.case_open(
            actor=actor,
            kind=k.COMPLAINT_KIND,
            title=f"投诉{order.vendor.name}({order.case.number})"[:100],
            body=text,
        )
        complaint = Complaint.objects.create(
            case=case, community_id=case.community_id, order=order, vendor=order.vendor
        )
    return complaint
