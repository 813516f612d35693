"""Writes to shelf orders: place (no overselling), cancel (stock returns exactly), pack, assign a deliverer, hand
over with the pickup code or confirm receipt, record payment. Every step is a compare-and-set on the status."""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.people.models import ResidentStatus

from .. import rules
from ..models import Allocation, Batch, Order, OrderLine, OrderStatus, PaymentMethod, Product
from .stock import settings_for, text

MAX_LINES = 30
MAX_PER_LINE = 99


@dataclass(frozen=True)
class Short:
    product: Product
    wanted: int
    available: int


class OutOfStock(Conflict):
    """One or more lines lack stock; nothing was written. `short` names each product."""

    def __init__(self, short: list[Short]):
        names = "、".join(f"{s.product.name} {s.product.spec}(只剩 {s.available} 件)" for s in short)
        super().__init__(f"库存不足:{names}。订单没有提交,请减少数量后再试", field="items")
        self.short = short


def _user_of(resident):
    return getattr(resident, "user", None)


def _clean_items(items) -> dict[int, int]:
    """[(product id, quantity)] → {product id: quantity}, a product named twice counted once with both quantities."""
    if not items:
        raise DomainError("请至少选择一件商品", field="items")
    if len(items) > MAX_LINES:
        raise DomainError(f"一次最多订购 {MAX_LINES} 种商品", field="items")
    wanted: dict[int, int] = defaultdict(int)
    for product_id, quantity in items:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_PER_LINE:
            raise DomainError(f"每种商品的数量应为 1–{MAX_PER_LINE}", field="items")
        wanted[product_id] += quantity
    if any(q > MAX_PER_LINE for q in wanted.values()):
        raise DomainError(f"每种商品的数量应为 1–{MAX_PER_LINE}", field="items")
    return dict(wanted)


def _allocate(line: OrderLine, quantity: int) -> None:
    """Take `quantity` from the product's batches, first to expire first. The product's stock was already taken,
    so the batches hold enough between them; a batch another order emptied meanwhile is simply read again."""
    need = quantity
    for _ in range(1000):
        if need == 0:
            return
        batch = (
            Batch.objects.filter(product_id=line.product_id, remaining__gt=0)
            .order_by(F("expires_on").asc(nulls_last=True), "id")
            .values("pk", "remaining")
            .first()
        )
        if batch is None:
            break
        take = min(need, batch["remaining"])
        if Batch.objects.filter(pk=batch["pk"], remaining__gte=take).update(remaining=F("remaining") - take):
            Allocation.objects.create(line=line, batch_id=batch["pk"], quantity=take)
            need -= take
    raise Conflict("库存批次与可售数量不一致,请联系管理员盘点")


def order_place(*, actor, resident, items, delivery: bool, now=None) -> Order:
    """下单: a resident orders for themselves, or the shelf keeper for a resident who phoned. Each line takes its
    stock by one conditional UPDATE (products in id order); if any line is short the whole order rolls back and
    OutOfStock names every short product. Delivery is free when the resident is 60 or over on the order's day."""
    now = now or timezone.now()
    own = rules.may_order(actor) and actor.resident_id == resident.pk
    if not own and not rules.keeps_shelf_of(actor, resident.community_id):
        raise PermissionDenied("您不能为这位居民下单")
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("只有在册居民可以在直通车下单", field="resident")
    if not isinstance(delivery, bool):
        raise DomainError("请选择到店自取或送货上门", field="delivery")
    wanted = _clean_items(items)
    products = {p.pk: p for p in Product.objects.filter(pk__in=wanted, community_id=resident.community_id, active=True)}
    if len(products) != len(wanted):
        raise DomainError("有商品不存在或已下架,请刷新后重新选择", field="items")
    settings = settings_for(resident.community_id)
    fee, free = rules.delivery_terms(resident, delivery=delivery, fee=settings.delivery_fee, day=rules.today(now))
    household = resident.household
    with transaction.atomic():
        short = []
        for pk in sorted(wanted):
            if not Product.objects.filter(pk=pk, stock__gte=wanted[pk], active=True).update(
                stock=F("stock") - wanted[pk], updated_at=now
            ):
                available = Product.objects.filter(pk=pk).values_list("stock", flat=True).first() or 0
                short.append(Short(products[pk], wanted[pk], available))
        if short:
            raise OutOfStock(short)
        lines = [
            (products[pk], wanted[pk])
            for pk in sorted(wanted, key=lambda pk: (products[pk].category, products[pk].name))
        ]
        order = Order.objects.create(
            community_id=resident.community_id,
            resident=resident,
            household=household,
            compound_id=household.compound_id,
            placed_by=actor,
            placed_at=now,
            delivery=delivery,
            address=household.dwelling.address if delivery else "",
            free_delivery=free,
            delivery_fee=fee,
            total=sum((p.factory_price * q for p, q in lines), Decimal("0.00")),
            market_total=sum((p.market_price * q for p, q in lines), Decimal("0.00")),
            pickup_code=f"{secrets.randbelow(10**6):06d}",
        )
        created = OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order, product=p, quantity=q, unit_price=p.factory_price, unit_market_price=p.market_price
                )
                for p, q in lines
            ]
        )
        for line in created:
            _allocate(line, line.quantity)
        how = ("送货上门(60岁以上免费)" if free else f"送货上门,送货费 {fee} 元") if delivery else "到店自取"
        audit_record(
            actor=actor,
            action="shelf.order_place",
            target=order,
            summary=f"直通车订单 {order.number}:{len(lines)} 种商品 {order.total} 元,{how}",
            now=now,
        )
        if not own:
            notify(
                [_user_of(resident)],
                title=f"社区已为您下单:直通车订单 {order.number}",
                body=f"共 {order.total} 元,{how}。取件码 {order.pickup_code}",
            )
    return order


def _require(check, order, actor, message: str) -> None:
    if not check(order, actor):
        raise PermissionDenied(message) if not _can_see(order, actor) else DomainError(message)


def _can_see(order, actor) -> bool:
    return (
        rules.is_own(order, actor)
        or rules.keeps_shelf_of(actor, order.community_id)
        or rules.is_deliverer(order, actor)
    )


def _step(order: Order, *, frm, to: str, now, **fields) -> None:
    """Compare-and-set the status; on success the instance carries the new values (no second read)."""
    frm = frm if isinstance(frm, tuple) else (frm,)
    if not Order.objects.filter(pk=order.pk, status__in=frm).update(status=to, updated_at=now, **fields):
        raise Conflict("订单状态刚刚发生了变化,请刷新后再试")
    for name, value in {"status": to, "updated_at": now, **fields}.items():
        setattr(order, name, value)


def order_cancel(*, actor, order: Order, now=None) -> Order:
    """取消: until the order is picked. Each allocation goes back to its batch and the product's stock."""
    now = now or timezone.now()
    _require(rules.order_can_cancel, order, actor, "订单已拣货,不能再取消")
    with transaction.atomic():
        _step(order, frm=OrderStatus.PLACED, to=OrderStatus.CANCELLED, now=now, cancelled_at=now, cancelled_by=actor)
        for allocation in Allocation.objects.filter(line__order=order).select_related("line"):
            Batch.objects.filter(pk=allocation.batch_id).update(remaining=F("remaining") + allocation.quantity)
        for line in order.lines.all():
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity, updated_at=now)
        audit_record(
            actor=actor, action="shelf.order_cancel", target=order, summary=f"取消直通车订单 {order.number}", now=now
        )
        if not rules.is_own(order, actor):
            notify([_user_of(order.resident)], title=f"您的直通车订单 {order.number} 已取消")
    return order


def order_pack(*, actor, order: Order, now=None) -> Order:
    """拣货打包: the keeper took the goods off their slots (the pick list) and packed them."""
    now = now or timezone.now()
    _require(rules.order_can_pack, order, actor, "这张订单不能拣货")
    with transaction.atomic():
        _step(order, frm=OrderStatus.PLACED, to=OrderStatus.PACKED, now=now, packed_at=now, packed_by=actor)
        audit_record(
            actor=actor, action="shelf.order_pack", target=order, summary=f"{order.number} 已拣货打包", now=now
        )
        if order.delivery:
            body = "工作人员安排送货后会通知您"
        else:
            body = f"请到{settings_for(order.community_id).pickup_place}取货,取件码 {order.pickup_code}"
        notify([_user_of(order.resident)], title=f"直通车订单 {order.number} 已备好", body=body)
    return order


def order_assign(*, actor, order: Order, deliverer, now=None) -> Order:
    """安排送货: to a staff member or a volunteer of the community (may be reassigned while out)."""
    from ..selectors import deliverers_for

    now = now or timezone.now()
    _require(rules.order_can_assign, order, actor, "这张订单现在不能安排送货")
    if deliverer is None or deliverer.pk not in {u.pk for u in deliverers_for(order.community_id)}:
        raise DomainError("请选择本社区的工作人员或志愿者送货", field="deliverer")
    with transaction.atomic():
        _step(
            order,
            frm=(OrderStatus.PACKED, OrderStatus.DELIVERING),
            to=OrderStatus.DELIVERING,
            now=now,
            deliverer=deliverer,
        )
        audit_record(
            actor=actor,
            action="shelf.order_assign",
            target=order,
            summary=f"{order.number} 由 {deliverer.name} 送货",
            now=now,
        )
        notify(
            [deliverer],
            title=f"直通车送货:{order.number}",
            body=f"{order.address},{order.lines.count()} 种商品。送到后请向居民要取件码确认。",
        )
        notify([_user_of(order.resident)], title=f"直通车订单 {order.number} 正在送货", body=f"送货人:{deliverer.name}")
    return order


def order_hand_over(*, actor, order: Order, pickup_code: str, now=None) -> Order:
    """交货: at the hall (pickup) or at the door (the deliverer), against the resident's pickup code."""
    now = now or timezone.now()
    _require(rules.order_can_hand_over, order, actor, "这张订单现在不能交货")
    code = pickup_code.strip() if isinstance(pickup_code, str) else ""
    if not secrets.compare_digest(code.encode(), order.pickup_code.encode()):
        raise DomainError("取件码不对,请向居民核对", field="pickup_code")
    with transaction.atomic():
        _step(
            order,
            frm=(OrderStatus.PACKED, OrderStatus.DELIVERING),
            to=OrderStatus.RECEIVED,
            now=now,
            received_at=now,
            received_by=actor,
        )
        audit_record(
            actor=actor, action="shelf.order_hand_over", target=order, summary=f"{order.number} 已交货", now=now
        )
    return order


def order_confirm(*, actor, order: Order, now=None) -> Order:
    """确认收货: the resident says the delivery arrived."""
    now = now or timezone.now()
    _require(rules.order_can_confirm, order, actor, "这张订单现在不能确认收货")
    with transaction.atomic():
        _step(order, frm=OrderStatus.DELIVERING, to=OrderStatus.RECEIVED, now=now, received_at=now, received_by=actor)
        audit_record(
            actor=actor, action="shelf.order_confirm", target=order, summary=f"{order.number} 居民确认收货", now=now
        )
    return order


def order_pay(*, actor, order: Order, method: str, reference: str = "", now=None) -> Order:
    """收款: cash, or the reference of a payment made elsewhere (no gateway here). Recorded once."""
    now = now or timezone.now()
    _require(rules.order_can_pay, order, actor, "这张订单现在不能登记收款")
    if method not in PaymentMethod.values:
        raise DomainError("请选择付款方式", field="method")
    reference = text(
        reference, field="reference", label="支付流水号", max_length=64, required=method == PaymentMethod.EXTERNAL
    )
    with transaction.atomic():
        if (
            not Order.objects.filter(pk=order.pk, paid_at__isnull=True)
            .exclude(status=OrderStatus.CANCELLED)
            .update(paid_at=now, payment_method=method, payment_ref=reference, paid_to=actor, updated_at=now)
        ):
            raise Conflict("这张订单已经登记过收款")
        audit_record(
            actor=actor,
            action="shelf.order_pay",
            target=order,
            summary=f"{order.number} 收款 {order.amount_due} 元({PaymentMethod(method).label}{' ' + reference if reference else ''})",
            now=now,
        )
    order.refresh_from_db()
    return order
