"""Writes to the shelf's catalogue and stock: suppliers, products, slots, stock-in by batch, stock-take and
write-off. Every quantity moves by a conditional UPDATE (the check constraints stop anything that slips by), and
the product's sellable stock moves with the batch in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.text import CONTROL_MESSAGE, has_control_chars
from jumin.core.uploads import EXTENSIONS, validate_upload

from .. import rules
from ..models import (
    Batch,
    Category,
    Movement,
    MovementKind,
    Product,
    ShelfSettings,
    Slot,
    Supplier,
    WriteOffReason,
)

MAX_PRICE = Decimal("9999.99")
MAX_QUANTITY = 100_000


def require_keeper(actor, community_id) -> None:
    if not rules.keeps_shelf_of(actor, community_id):
        raise PermissionDenied("您没有权限管理本社区的直通车")


def text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字", field=field)
    if has_control_chars(value):
        raise DomainError(f"{label}{CONTROL_MESSAGE}", field=field)
    return value


def money(value, *, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{label}应为金额,如 0.92", field=field) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{label}应在 0–{MAX_PRICE} 元之间,精确到分", field=field)
    return amount.quantize(Decimal("0.01"))


def count(value, *, field: str, label: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_QUANTITY:
        raise DomainError(f"{label}应为 {minimum}–{MAX_QUANTITY} 的整数", field=field)
    return value


def settings_for(community) -> ShelfSettings:
    """The community's shelf settings (a Community or its id), made with the defaults the first time."""
    community_id = getattr(community, "pk", community)
    settings, _ = ShelfSettings.objects.get_or_create(community_id=community_id)
    return settings


def settings_update(*, actor, community, delivery_fee, pickup_place: str) -> ShelfSettings:
    require_keeper(actor, community.pk)
    fee = money(delivery_fee, field="delivery_fee", label="送货上门费")
    place = text(pickup_place, field="pickup_place", label="取货地点", max_length=100)
    with transaction.atomic():
        settings = settings_for(community)
        before = settings.delivery_fee
        ShelfSettings.objects.filter(pk=settings.pk).update(delivery_fee=fee, pickup_place=place)
        audit_record(
            actor=actor,
            action="shelf.settings",
            target=settings,
            community=community,
            summary=f"直通车送货费 {before} → {fee} 元",
            changes={"delivery_fee": [str(before), str(fee)]},
        )
    settings.refresh_from_db()
    return settings


def supplier_get_or_add(*, actor, community, name: str, contact_name: str = "", contact_phone: str = "") -> Supplier:
    require_keeper(actor, community.pk)
    name = text(name, field="supplier", label="供货方", max_length=100)
    supplier, created = Supplier.objects.get_or_create(
        community=community,
        name=name,
        defaults={"contact_name": contact_name[:50], "contact_phone": contact_phone[:20]},
    )
    if created:
        audit_record(actor=actor, action="shelf.supplier_add", target=supplier, summary=f"新增供货方 {name}")
    return supplier


def _photo(photo) -> str:
    content_type = validate_upload(photo)
    if not content_type.startswith("image/"):
        raise DomainError("商品照片只能是 JPG、PNG 或 WEBP 图片", field="photo")
    photo.name = f"photo.{EXTENSIONS[content_type]}"
    return content_type


def product_add(
    *,
    actor,
    community,
    supplier: Supplier,
    name: str,
    spec: str,
    category: str,
    factory_price,
    market_price,
    market_checked_where: str = "",
    market_checked_on: datetime.date | None = None,
    barcode: str = "",
    low_stock: int = 5,
    slots: list[int] = (),
    photo=None,
) -> Product:
    """Put a product on the shelf (no stock yet: stock comes in by batch), on the given free slots."""
    require_keeper(actor, community.pk)
    if supplier.community_id != community.pk:
        raise DomainError("请选择本社区的供货方", field="supplier")
    if category not in Category.values:
        raise DomainError("请选择商品类别", field="category")
    barcode = text(barcode, field="barcode", label="条码", max_length=14, required=False)
    if barcode and not barcode.isdigit():
        raise DomainError("条码只能是数字", field="barcode")
    fields = {
        "name": text(name, field="name", label="商品名称", max_length=100),
        "spec": text(spec, field="spec", label="规格", max_length=50),
        "factory_price": money(factory_price, field="factory_price", label="出厂价"),
        "market_price": money(market_price, field="market_price", label="市场价"),
        "market_checked_where": text(
            market_checked_where, field="market_checked_where", label="调查地点", max_length=100, required=False
        ),
        "low_stock": count(low_stock, field="low_stock", label="低库存提醒线", minimum=0),
    }
    photo_type = _photo(photo) if photo else ""
    try:
        with transaction.atomic():
            product = Product.objects.create(
                community=community,
                supplier=supplier,
                category=category,
                barcode=barcode,
                market_checked_on=market_checked_on,
                photo_type=photo_type,
                **fields,
                **({"photo": photo} if photo else {}),
            )
            _take_slots(community, product, slots)
            audit_record(
                actor=actor,
                action="shelf.product_add",
                target=product,
                summary=f"直通车上架 {product}:出厂价 {product.factory_price} 元,市场价 {product.market_price} 元",
            )
    except IntegrityError as exc:
        raise DomainError("已有相同条码的商品", field="barcode") from exc
    return product


def _take_slots(community, product, numbers) -> None:
    for number in sorted(set(numbers)):
        if not Slot.objects.filter(community=community, number=number, product__isnull=True).update(
            product=product, updated_at=timezone.now()
        ):
            raise Conflict(f"{number:03d} 号栏位不存在或已摆放其他商品", field="slots")


def slot_assign(*, actor, slot: Slot, product: Product | None) -> Slot:
    """Put a product on a slot (or clear it). A slot holds one product; moving one there needs it empty first."""
    require_keeper(actor, slot.community_id)
    if product is not None and product.community_id != slot.community_id:
        raise DomainError("只能摆放本社区的商品", field="product")
    with transaction.atomic():
        if product is None:
            Slot.objects.filter(pk=slot.pk).update(product=None, updated_at=timezone.now())
        elif not Slot.objects.filter(pk=slot.pk, product__isnull=True).update(product=product):
            raise Conflict(f"{slot.code} 号栏位已摆放其他商品,请先清空")
        audit_record(
            actor=actor,
            action="shelf.slot_assign",
            target=slot,
            summary=f"{slot.code} 号栏位:{product or '清空'}",
        )
    slot.refresh_from_db()
    return slot


def slots_ensure(community, count_: int) -> int:
    """Number the shelf's slots 1..count_ (never renumbers existing ones)."""
    have = set(Slot.objects.filter(community=community).values_list("number", flat=True))
    new = [Slot(community=community, number=n) for n in range(1, count_ + 1) if n not in have]
    Slot.objects.bulk_create(new)
    return len(new)


def stock_in(*, actor, product: Product, quantity: int, expires_on: datetime.date | None = None, now=None) -> Batch:
    """入库: a batch arrives; it can be sold at once."""
    require_keeper(actor, product.community_id)
    quantity = count(quantity, field="quantity", label="入库数量")
    now = now or timezone.now()
    day = rules.today(now)
    if expires_on is not None and expires_on < day:
        raise DomainError("保质期已过,不能入库", field="expires_on")
    with transaction.atomic():
        batch = Batch.objects.create(
            product=product,
            received_on=day,
            expires_on=expires_on,
            quantity=quantity,
            remaining=quantity,
            received_by=actor,
        )
        Product.objects.filter(pk=product.pk).update(stock=F("stock") + quantity, updated_at=now)
        Movement.objects.create(
            community_id=product.community_id,
            product=product,
            batch=batch,
            kind=MovementKind.STOCK_IN,
            quantity=quantity,
            actor=actor,
            at=now,
        )
        audit_record(
            actor=actor, action="shelf.stock_in", target=product, summary=f"{product} 入库 {quantity}", now=now
        )
    return batch


def _move(*, actor, batch: Batch, delta: int, kind: str, reason: str, now) -> None:
    """Change a batch and its product by `delta` (negative takes away), or refuse if either would go below zero."""
    if delta < 0:
        took = Batch.objects.filter(pk=batch.pk, remaining__gte=-delta).update(remaining=F("remaining") + delta)
        took = took and Product.objects.filter(pk=batch.product_id, stock__gte=-delta).update(
            stock=F("stock") + delta, updated_at=now
        )
        if not took:
            # The items were sold meanwhile: what is on the shelf is already promised to orders.
            raise Conflict("这批商品的剩余数量刚有变化(可能已被订购),请刷新后再试")
    else:
        Batch.objects.filter(pk=batch.pk).update(remaining=F("remaining") + delta)
        Product.objects.filter(pk=batch.product_id).update(stock=F("stock") + delta, updated_at=now)
    Movement.objects.create(
        community_id=batch.product.community_id,
        product_id=batch.product_id,
        batch=batch,
        kind=kind,
        quantity=delta,
        reason=reason,
        actor=actor,
        at=now,
    )


def stock_take(*, actor, batch: Batch, counted: int, expected: int, reason: str = "", now=None) -> int:
    """盘点: the keeper counted `counted` of a batch where the books said `expected` (what the page showed); the
    difference is booked with its reason. If the books moved since (an order took some), the count is refused."""
    product = batch.product
    require_keeper(actor, product.community_id)
    counted = count(counted, field="counted", label="实盘数量", minimum=0)
    reason = text(reason, field="reason", label="原因", max_length=200, required=counted != expected)
    now = now or timezone.now()
    delta = counted - expected
    with transaction.atomic():
        if not Batch.objects.filter(pk=batch.pk, remaining=expected).exists():
            raise Conflict("盘点期间这批商品有新的出入库,请刷新后重新盘点")
        if delta:
            _move(actor=actor, batch=batch, delta=delta, kind=MovementKind.STOCKTAKE, reason=reason, now=now)
        audit_record(
            actor=actor,
            action="shelf.stock_take",
            target=product,
            summary=f"{product} 盘点:账面 {expected},实盘 {counted}" + (f"({reason})" if reason else ""),
            now=now,
        )
    return delta


def write_off(*, actor, batch: Batch, quantity: int, reason: str, note: str = "", now=None) -> Movement:
    """报损: expired, damaged or lost goods leave the stock with their reason."""
    product = batch.product
    require_keeper(actor, product.community_id)
    quantity = count(quantity, field="quantity", label="报损数量")
    if reason not in WriteOffReason.values:
        raise DomainError("请选择报损原因", field="reason")
    note = text(note, field="note", label="说明", max_length=150, required=reason == WriteOffReason.OTHER)
    label = WriteOffReason(reason).label + (f":{note}" if note else "")
    now = now or timezone.now()
    with transaction.atomic():
        _move(actor=actor, batch=batch, delta=-quantity, kind=MovementKind.WRITE_OFF, reason=label, now=now)
        audit_record(
            actor=actor,
            action="shelf.write_off",
            target=product,
            summary=f"{product} 报损 {quantity}({label})",
            now=now,
        )
    return Movement.objects.filter(batch=batch).latest("id")
