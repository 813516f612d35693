"""Writes to piecework. Quantities move with conditional updates (`remaining >= n`, `handed_in + n <= held`,
`accepted + rejected + n <= handed_in`) and state with compare-and-set, so simultaneous claims, hand-ins and
inspections never over-claim, over-hand-in or over-accept; the check constraints are the last line of defence.
Audit events in the same transaction; notifications on commit."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.text import CONTROL_MESSAGE, has_control_chars
from jumin.people.models import ResidentStatus, Tag

from .models import (
    LIVE_CLAIM_STATUSES,
    ClaimStatus,
    Factory,
    HandIn,
    OrderStatus,
    PayMethod,
    PiecePayment,
    WorkClaim,
    WorkOrder,
    yuan,
)

PHONE_RE = re.compile(r"^1\d{10}$")
MANAGE_ROLES = frozenset({Role.SECRETARY, Role.WINDOW_STAFF})
# Staff who claim for a resident at the counter or record a hand-in.
COUNTER_ROLES = frozenset({Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER})
MAX_QUANTITY = 10_000_000
MAX_UNIT_PAY_FEN = 100_000  # 1,000 元 a piece is already far beyond home piecework


# ---- predicates --------------------------------------------------------------------------------------------------


def may_manage(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in MANAGE_ROLES


def may_work_counter(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in COUNTER_ROLES


def _staff_in_scope(user, community_id) -> bool:
    return community_id in scope_for(user).community_ids


def age_on(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def resident_is_eligible(order: WorkOrder, resident, today: datetime.date, tag_ids=None) -> bool:
    """The order's audience: its community, active residents, the age range, one of its tags (if it names any)."""
    if resident.community_id != order.community_id or resident.status != ResidentStatus.ACTIVE:
        return False
    age = age_on(resident.birth_date, today)
    if order.min_age is not None and age < order.min_age:
        return False
    if order.max_age is not None and age > order.max_age:
        return False
    wanted = {t.pk for t in order.eligible_tags.all()}
    if not wanted:
        return True
    held = set(tag_ids) if tag_ids is not None else set(resident.resident_tags.values_list("tag_id", flat=True))
    return bool(wanted & held)


def order_can_claim(order: WorkOrder, today: datetime.date) -> bool:
    return order.status == OrderStatus.OPEN and order.deadline >= today and order.remaining > 0


def order_can_close(order: WorkOrder, user) -> bool:
    return may_manage(user) and order.status == OrderStatus.OPEN


def is_claimant(user, claim: WorkClaim) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.RESIDENT
        and user.resident_id is not None
        and user.resident_id == claim.resident_id
    )


def claim_can_materials(claim: WorkClaim, user) -> bool:
    return may_work_counter(user) and claim.status == ClaimStatus.CLAIMED


def claim_can_hand_in(claim: WorkClaim, user) -> bool:
    allowed = is_claimant(user, claim) or may_work_counter(user)
    return allowed and claim.status in LIVE_CLAIM_STATUSES and claim.to_hand_in > 0


def claim_can_cancel(claim: WorkClaim, user) -> bool:
    allowed = is_claimant(user, claim) or may_work_counter(user)
    return allowed and claim.status in LIVE_CLAIM_STATUSES and claim.to_hand_in > 0


def claim_can_pay(claim: WorkClaim, user) -> bool:
    return may_manage(user) and claim.earned_fen > claim.paid_fen


def handin_can_inspect(handin: HandIn, user) -> bool:
    return may_manage(user) and not handin.inspected


def claim_actions(claim: WorkClaim, user) -> set[str]:
    checks = {
        "materials": claim_can_materials,
        "hand_in": claim_can_hand_in,
        "cancel": claim_can_cancel,
        "pay": claim_can_pay,
    }
    return {name for name, check in checks.items() if check(claim, user)}


# ---- input ---------------------------------------------------------------------------------------------------------


def _text(value, *, field, label, max_length, required=True) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字", field=field)
    if has_control_chars(value, multiline=True):
        raise DomainError(f"{label}{CONTROL_MESSAGE}", field=field)
    return value


def _count(value, *, field, label, minimum=1, maximum=MAX_QUANTITY) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise DomainError(f"{label}应为 {minimum} 到 {maximum} 之间的整数", field=field)
    return value


def parse_fen(value, *, field="unit_pay", label="计件单价") -> int:
    """ "0.50" → 50 fen. More than two decimals, negatives, NaN and absurd sums are refused."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为金额,例如 0.50", field=field) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{label}应为最多两位小数的金额,例如 0.50", field=field)
    fen = int(amount * 100)
    if not 0 < fen <= MAX_UNIT_PAY_FEN:
        raise DomainError(f"{label}应在 0.01 到 {MAX_UNIT_PAY_FEN // 100} 元之间", field=field)
    return fen


# ---- factories and orders ----------------------------------------------------------------------------------------


def factory_register(
    *, actor, name, products, contact_name, contact_phone, address="", user=None, community=None
) -> Factory:
    """Staff register a factory the community works with; `user` is its contact's login, if it has one."""
    if not may_manage(actor):
        raise PermissionDenied("您没有登记工厂的权限")
    community_id = community.pk if community is not None else actor.community_id
    if not _staff_in_scope(actor, community_id):
        raise PermissionDenied("不在您的管辖范围内")
    phone = contact_phone.strip() if isinstance(contact_phone, str) else ""
    if not PHONE_RE.match(phone):
        raise DomainError("联系电话应为以 1 开头的 11 位数字", field="contact_phone")
    if user is not None and (user.role != Role.FACTORY_CONTACT or Factory.objects.filter(user=user).exists()):
        raise DomainError("该账号不是工厂联系人,或已绑定其他工厂", field="user")
    fields = {
        "name": _text(name, field="name", label="工厂名称", max_length=100),
        "products": _text(products, field="products", label="主要产品", max_length=200),
        "contact_name": _text(contact_name, field="contact_name", label="联系人", max_length=50),
        "address": _text(address, field="address", label="地址", max_length=200, required=False),
    }
    try:
        with transaction.atomic():
            factory = Factory.objects.create(community_id=community_id, contact_phone=phone, user=user, **fields)
            audit_record(
                actor=actor, action="piecework.factory", target=factory, summary=f"登记代工工厂 {factory.name}"
            )
    except IntegrityError as exc:
        raise DomainError("本社区已有同名工厂", field="name") from exc
    return factory


def _tags(codes) -> list[Tag]:
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        raise DomainError('可认领人群应为标签代码的列表,例如 ["laid_off"]', field="eligible_tags")
    codes = {c.strip() for c in codes if c.strip()}
    tags = list(Tag.objects.filter(code__in=codes))
    unknown = sorted(codes - {t.code for t in tags})
    if unknown:
        raise DomainError(f"没有这些标签:{'、'.join(unknown)[:100]}", field="eligible_tags")
    return tags


def workorder_post(
    *,
    actor,
    factory: Factory,
    item: str,
    quantity,
    unit_pay,
    deadline: datetime.date,
    eligible_tags=(),
    max_per_resident=None,
    min_age=None,
    max_age=None,
    materials: str = "",
    quality_standard: str = "",
    pickup_place: str = "",
    skills: str = "",
    today: datetime.date | None = None,
) -> WorkOrder:
    """Staff post a factory's order: from then on eligible residents see it and may claim portions."""
    if not may_manage(actor) or not _staff_in_scope(actor, factory.community_id):
        raise PermissionDenied("您没有登记代工订单的权限")
    if not factory.active:
        raise DomainError("该工厂已停止合作", field="factory")
    today = today or timezone.localdate()
    quantity = _count(quantity, field="quantity", label="总件数")
    unit_pay_fen = parse_fen(unit_pay)
    if not isinstance(deadline, datetime.date) or deadline < today:
        raise DomainError("交货截止日期不能早于今天", field="deadline")
    if max_per_resident is not None:
        max_per_resident = _count(max_per_resident, field="max_per_resident", label="每人最多认领", maximum=quantity)
    if min_age is not None:
        min_age = _count(min_age, field="min_age", label="最低年龄", minimum=16, maximum=120)
    if max_age is not None:
        max_age = _count(max_age, field="max_age", label="最高年龄", minimum=16, maximum=120)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DomainError("最低年龄不能高于最高年龄", field="min_age")
    tags = _tags(eligible_tags)
    fields = {
        "item": _text(item, field="item", label="加工内容", max_length=100),
        "materials": _text(materials, field="materials", label="原材料", max_length=500, required=False),
        "quality_standard": _text(
            quality_standard, field="quality_standard", label="质量标准", max_length=2000, required=False
        ),
        "pickup_place": _text(pickup_place, field="pickup_place", label="领料交货地点", max_length=200, required=False),
        "skills": _text(skills, field="skills", label="技能要求", max_length=200, required=False),
    }
    with transaction.atomic():
        order = WorkOrder.objects.create(
            community_id=factory.community_id,
            factory=factory,
            quantity=quantity,
            remaining=quantity,
            unit_pay_fen=unit_pay_fen,
            deadline=deadline,
            max_per_resident=max_per_resident,
            min_age=min_age,
            max_age=max_age,
            posted_by=actor,
            **fields,
        )
        order.eligible_tags.set(tags)
        audit_record(
            actor=actor,
            action="piecework.order",
            target=order,
            summary=f"登记代工订单 {factory.name}·{order.item} {quantity} 件,每件 {order.unit_pay} 元",
        )
        if factory.user_id:
            notify([factory.user], title=f"代工订单已发布:{order.item} {quantity} 件")
    return order


def workorder_close(*, actor, order: WorkOrder, reason: str = "") -> WorkOrder:
    """截止: no more claims; pieces already claimed are still worked, handed in and paid."""
    if not order_can_close(order, actor) or not _staff_in_scope(actor, order.community_id):
        raise PermissionDenied("您不能截止该订单")
    reason = _text(reason, field="reason", label="原因", max_length=200, required=False)
    with transaction.atomic():
        if WorkOrder.objects.filter(pk=order.pk, status=OrderStatus.OPEN).update(status=OrderStatus.CLOSED) != 1:
            raise Conflict("该订单已截止")
        audit_record(
            actor=actor,
            action="piecework.order.close",
            target=order,
            summary=f"代工订单 {order.item} 截止认领" + (f":{reason}" if reason else ""),
            changes={"状态": ["接单中", "已截止"]},
        )
    order.status = OrderStatus.CLOSED
    return order


# ---- claims --------------------------------------------------------------------------------------------------------


def _user_of(resident):
    return User.objects.filter(resident_id=resident.pk, role=Role.RESIDENT, is_active=True).first()


def claim_take(*, actor, order: WorkOrder, quantity, resident=None, today: datetime.date | None = None) -> WorkClaim:
    """认领: take `quantity` pieces of an order for a resident (the actor, or one staff name at the counter).

    Never over-claims: the pieces come off `remaining` with a conditional update that only succeeds while enough
    remain; the resident's limit holds through one live claim per resident (unique constraint) whose top-ups are a
    conditional update too. An ineligible resident is told the order does not exist (404)."""
    if actor.role == Role.RESIDENT:
        if actor.resident_id is None:
            raise PermissionDenied("账号尚未绑定住户,暂不能认领")
        resident = actor.resident
    elif not may_work_counter(actor):
        raise PermissionDenied("您没有代居民认领的权限")
    elif resident is None:
        raise DomainError("请选择为哪位居民认领", field="resident")
    elif not (
        resident.community_id in scope_for(actor).community_ids
        and (scope_for(actor).grid_ids is None or resident.grid_id in scope_for(actor).grid_ids)
    ):
        raise NotFound("没有找到该居民")
    today = today or timezone.localdate()
    if not resident_is_eligible(order, resident, today):
        raise NotFound("没有找到该代工订单" if actor.role == Role.RESIDENT else "该居民不符合本订单的认领条件")
    quantity = _count(quantity, field="quantity", label="认领件数")
    if order.status != OrderStatus.OPEN or order.deadline < today:
        raise Conflict("该订单已截止认领")
    limit = order.max_per_resident
    if limit is not None and quantity > limit:
        raise Conflict(f"每人最多认领 {limit} 件", field="quantity")
    with transaction.atomic():
        taken = WorkOrder.objects.filter(pk=order.pk, status=OrderStatus.OPEN, remaining__gte=quantity).update(
            remaining=F("remaining") - quantity, updated_at=timezone.now()
        )
        if taken != 1:
            left = WorkOrder.objects.values_list("remaining", flat=True).get(pk=order.pk)
            raise Conflict(f"只剩 {left} 件,不够认领 {quantity} 件", field="quantity")
        claim = _add_to_live_claim(order, resident, quantity, limit)
        if claim is None:
            try:
                with transaction.atomic():
                    claim = WorkClaim.objects.create(
                        community_id=order.community_id,
                        order=order,
                        resident=resident,
                        claimed_by=actor,
                        quantity=quantity,
                        unit_pay_fen=order.unit_pay_fen,
                        due_on=order.deadline,
                    )
            except IntegrityError:
                # A claim of the same resident landed a moment ago: top it up instead (within the limit).
                claim = _add_to_live_claim(order, resident, quantity, limit)
                if claim is None:
                    raise Conflict("您已认领过该订单,请刷新后查看") from None
        audit_record(
            actor=actor,
            action="piecework.claim",
            target=claim,
            summary=f"{resident.name} 认领 {order.item} {quantity} 件",
        )
        if actor.role != Role.RESIDENT:
            notify([_user_of(resident)], title=f"已为您认领代工:{order.item} {quantity} 件")
    order.remaining -= quantity
    return claim


def _add_to_live_claim(order, resident, quantity, limit) -> WorkClaim | None:
    """Top up the resident's live claim; None when there is none. Over the limit (or finished) is a Conflict."""
    claim = (
        WorkClaim.objects.filter(order=order, resident=resident)
        .exclude(status__in=[ClaimStatus.CANCELLED, ClaimStatus.EXPIRED])
        .first()
    )
    if claim is None:
        return None
    cond = Q(pk=claim.pk, status__in=LIVE_CLAIM_STATUSES)
    if limit is not None:
        cond &= Q(quantity__lte=limit - quantity + F("returned"))
    if WorkClaim.objects.filter(cond).update(quantity=F("quantity") + quantity, updated_at=timezone.now()) != 1:
        if claim.status not in LIVE_CLAIM_STATUSES:
            raise Conflict("您在该订单的认领已结束,不能再追加")
        raise Conflict(f"每人最多认领 {limit} 件,您已认领 {claim.held} 件", field="quantity")
    claim.refresh_from_db()
    return claim


def claim_hand_out_materials(*, actor, claim: WorkClaim, note: str = "") -> WorkClaim:
    """领料: staff record the materials handed over."""
    if not claim_can_materials(claim, actor) or not _staff_in_scope(actor, claim.community_id):
        raise PermissionDenied("您不能登记领料")
    note = _text(note, field="note", label="领料情况", max_length=200, required=False)
    now = timezone.now()
    with transaction.atomic():
        changed = WorkClaim.objects.filter(pk=claim.pk, status=ClaimStatus.CLAIMED).update(
            status=ClaimStatus.MATERIALS_OUT, materials_note=note, materials_at=now, updated_at=now
        )
        if changed != 1:
            raise Conflict("该认领已登记过领料")
        audit_record(
            actor=actor,
            action="piecework.materials",
            target=claim,
            summary=f"{claim.resident.name} 领取 {claim.order.item} 原材料 {note}".strip(),
            changes={"状态": ["已认领", "已领料"]},
        )
    claim.refresh_from_db()
    return claim


def handin_record(*, actor, claim: WorkClaim, pieces) -> HandIn:
    """交货: the resident (or staff at the counter) hands in finished pieces, in as many batches as they like;
    never more than the claim holds (a conditional update on handed_in)."""
    if not claim_can_hand_in(claim, actor):
        if not (is_claimant(actor, claim) or may_work_counter(actor)):
            raise PermissionDenied("您不能为该认领交货")
        raise Conflict("该认领已没有待交的件数")
    if actor.is_office and not _staff_in_scope(actor, claim.community_id):
        raise PermissionDenied("不在您的管辖范围内")
    pieces = _count(pieces, field="pieces", label="交货件数")
    now = timezone.now()
    with transaction.atomic():
        changed = WorkClaim.objects.filter(
            pk=claim.pk, status__in=LIVE_CLAIM_STATUSES, handed_in__lte=F("quantity") - F("returned") - pieces
        ).update(handed_in=F("handed_in") + pieces, updated_at=now)
        if changed != 1:
            claim.refresh_from_db()
            raise Conflict(f"交货件数超过了未交的 {claim.to_hand_in} 件", field="pieces")
        handin = HandIn.objects.create(community_id=claim.community_id, claim=claim, pieces=pieces, recorded_by=actor)
        audit_record(
            actor=actor,
            action="piecework.handin",
            target=handin,
            summary=f"{claim.resident.name} 交 {claim.order.item} {pieces} 件,待验收",
        )
        notify(_managers(claim.community_id), title=f"代工交货待验收:{claim.order.item} {pieces} 件")
    claim.refresh_from_db()
    return handin


def _managers(community_id):
    return list(User.objects.filter(community_id=community_id, role__in=MANAGE_ROLES, is_active=True))


def handin_inspect(*, actor, handin: HandIn, accepted, rejected, reason: str = "", now=None) -> HandIn:
    """验收: accepted + rejected must equal the batch; a rejection needs its reason. Inspected once
    (compare-and-set on the batch), never more accepted than handed in (conditional update on the claim)."""
    if not handin_can_inspect(handin, actor) or not _staff_in_scope(actor, handin.community_id):
        if handin.inspected and may_manage(actor):
            raise Conflict("该批交货已验收")
        raise PermissionDenied("您不能验收该批交货")
    accepted = _count(accepted, field="accepted", label="合格件数", minimum=0)
    rejected = _count(rejected, field="rejected", label="不合格件数", minimum=0)
    if accepted + rejected != handin.pieces:
        raise DomainError(f"合格与不合格件数之和应等于本批交货的 {handin.pieces} 件", field="accepted")
    reason = _text(reason, field="reason", label="不合格原因", max_length=200, required=rejected > 0)
    now = now or timezone.now()
    with transaction.atomic():
        changed = HandIn.objects.filter(pk=handin.pk, accepted__isnull=True).update(
            accepted=accepted, rejected=rejected, reason=reason, inspected_by=actor, inspected_at=now, updated_at=now
        )
        if changed != 1:
            raise Conflict("该批交货已验收")
        moved = WorkClaim.objects.filter(
            pk=handin.claim_id, accepted__lte=F("handed_in") - F("rejected") - accepted - rejected
        ).update(accepted=F("accepted") + accepted, rejected=F("rejected") + rejected, updated_at=now)
        if moved != 1:
            raise Conflict("验收件数超过了已交件数")
        claim = WorkClaim.objects.select_related("order", "resident").get(pk=handin.claim_id)
        _complete_if_done(claim)
        audit_record(
            actor=actor,
            action="piecework.inspect",
            target=handin,
            summary=f"{claim.resident.name} {claim.order.item} 验收:合格 {accepted} 件,不合格 {rejected} 件",
        )
        notify(
            [_user_of(claim.resident)],
            title=f"代工验收结果:合格 {accepted} 件,不合格 {rejected} 件",
            body=f"不合格原因:{reason}" if reason else f"计件工资 {yuan(accepted * claim.unit_pay_fen)} 元",
        )
    handin.refresh_from_db()
    return handin


def _complete_if_done(claim: WorkClaim) -> None:
    """Every piece held is handed in and inspected: the claim is finished (pay may still be owed)."""
    WorkClaim.objects.filter(
        pk=claim.pk,
        status__in=LIVE_CLAIM_STATUSES,
        handed_in=F("quantity") - F("returned"),
        accepted=F("handed_in") - F("rejected"),
    ).update(status=ClaimStatus.COMPLETED)


def claim_pay(*, actor, claim: WorkClaim, method: str, reference: str = "", now=None) -> PiecePayment:
    """发放计件工资: pays out what is owed now (accepted pieces × unit pay − already paid); compare-and-set on the
    paid amount, so a double click pays once."""
    if not may_manage(actor) or not _staff_in_scope(actor, claim.community_id):
        raise PermissionDenied("您没有发放计件工资的权限")
    if method not in PayMethod.values:
        raise DomainError("请选择发放方式:现金或转账", field="method")
    reference = _text(
        reference, field="reference", label="转账流水号", max_length=100, required=method == PayMethod.TRANSFER
    )
    claim.refresh_from_db()
    owed = claim.earned_fen - claim.paid_fen
    if owed <= 0:
        raise Conflict("该认领没有待发的计件工资")
    now = now or timezone.now()
    with transaction.atomic():
        changed = WorkClaim.objects.filter(pk=claim.pk, paid_fen=claim.paid_fen).update(
            paid_fen=F("paid_fen") + owed, updated_at=now
        )
        if changed != 1:
            raise Conflict("计件工资刚被他人发放,请刷新后查看")
        payment = PiecePayment.objects.create(
            community_id=claim.community_id,
            claim=claim,
            amount_fen=owed,
            pieces=owed // claim.unit_pay_fen,
            method=method,
            reference=reference,
            paid_by=actor,
            paid_at=now,
        )
        audit_record(
            actor=actor,
            action="piecework.pay",
            target=payment,
            summary=f"向 {claim.resident.name} 发放计件工资 {payment.amount} 元({payment.get_method_display()})",
        )
        notify([_user_of(claim.resident)], title=f"计件工资已发放:{payment.amount} 元", sms=True)
    claim.paid_fen += owed
    return payment


def _give_back(claim: WorkClaim, *, to: str, reason: str) -> int:
    """Return the pieces not handed in to the order; the claim ends (or completes once what came in is inspected)."""
    left = claim.quantity - claim.returned - claim.handed_in
    if left <= 0:
        return 0
    ended = to if claim.handed_in == 0 else None
    updates = {"returned": F("returned") + left, "ended_reason": reason, "updated_at": timezone.now()}
    if ended:
        updates["status"] = ended
    changed = WorkClaim.objects.filter(
        pk=claim.pk, status__in=LIVE_CLAIM_STATUSES, handed_in=claim.handed_in, returned=claim.returned
    ).update(**updates)
    if changed != 1:
        raise Conflict("该认领刚有变化,请刷新后再操作")
    WorkOrder.objects.filter(pk=claim.order_id).update(remaining=F("remaining") + left)
    if not ended:
        claim.refresh_from_db()
        _complete_if_done(claim)
    return left


def claim_cancel(*, actor, claim: WorkClaim, reason: str = "") -> int:
    """取消认领: the pieces not handed in go back to the order for others to claim. Returns how many."""
    if not claim_can_cancel(claim, actor):
        if not (is_claimant(actor, claim) or may_work_counter(actor)):
            raise PermissionDenied("您不能取消该认领")
        raise Conflict("该认领已没有可退回的件数")
    if actor.is_office and not _staff_in_scope(actor, claim.community_id):
        raise PermissionDenied("不在您的管辖范围内")
    reason = _text(reason, field="reason", label="原因", max_length=200, required=False) or "居民取消认领"
    with transaction.atomic():
        left = _give_back(claim, to=ClaimStatus.CANCELLED, reason=reason)
        audit_record(
            actor=actor,
            action="piecework.claim.cancel",
            target=claim,
            summary=f"{claim.resident.name} 退回 {claim.order.item} {left} 件:{reason}",
        )
    claim.refresh_from_db()
    return left


def claims_expire(*, today: datetime.date | None = None) -> int:
    """Past their deadline, live claims give back the pieces not handed in; open orders past theirs close.
    Run daily (manage.py piecework_expire); safe to run twice or concurrently."""
    today = today or timezone.localdate()
    returned = 0
    overdue = WorkClaim.objects.filter(status__in=LIVE_CLAIM_STATUSES, due_on__lt=today).select_related(
        "order", "resident"
    )
    for claim in overdue.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                left = _give_back(claim, to=ClaimStatus.EXPIRED, reason="超过交货期限,未交的件数已退回")
                if left:
                    audit_record(
                        actor=None,
                        action="piecework.claim.expire",
                        target=claim,
                        summary=f"{claim.resident.name} {claim.order.item} 逾期,退回 {left} 件",
                    )
                returned += left
        except Conflict:
            continue  # moved on meanwhile (a hand-in, another run): the next run looks again
    WorkOrder.objects.filter(status=OrderStatus.OPEN, deadline__lt=today).update(status=OrderStatus.CLOSED)
    return returned
