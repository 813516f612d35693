"""便民生活服务直通车, the charity shelf: goods at factory price beside their market price, on numbered slots in the
hall, stock by batch, and residents' orders for pickup or delivery (free for residents aged 60 and over).

Stock is counted twice on purpose: `Product.stock` is what may still be sold (one conditional UPDATE decides an
order), and each `Batch.remaining` says where it sits (expiry, write-off). Both only move by conditional updates
and check constraints keep them at or above zero; `Allocation` records which batch each order line took from, so
a cancel puts back exactly what was taken."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel
from jumin.core.uploads import private_storage

FEN = Decimal("0.01")
ELDERLY_AGE = 60


def yuan(value) -> str:
    """0.92 → "0.92 元"; always two places."""
    return f"{Decimal(value).quantize(FEN):,} 元"


class ShelfSettings(TimeStampedModel):
    """What the community decides for its shelf: the delivery fee for residents under 60."""

    community = models.OneToOneField(
        "places.Community", verbose_name="社区", on_delete=models.CASCADE, related_name="shelf_settings"
    )
    delivery_fee = models.DecimalField("送货上门费(元)", max_digits=8, decimal_places=2, default=Decimal("3.00"))
    pickup_place = models.CharField("取货地点", max_length=100, default="社区服务大厅直通车货架")

    class Meta:
        ordering = ["community_id"]
        verbose_name = verbose_name_plural = "直通车设置"
        constraints = [models.CheckConstraint(condition=Q(delivery_fee__gte=0), name="shelf_fee_not_negative")]

    def __str__(self):
        return f"{self.community_id} {self.delivery_fee}"


class Supplier(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("供货方", max_length=100)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        ordering = ["community_id", "name"]
        verbose_name = verbose_name_plural = "供货方"
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="shelf_supplier_unique_name")]

    def __str__(self):
        return self.name


class Category(models.TextChoices):
    CLEANING = "cleaning", "洗涤清洁"
    GRAIN = "grain", "米面粮油"
    SEASONING = "seasoning", "调味副食"
    DAILY = "daily", "日用百货"
    PAPER = "paper", "纸品"
    DRINK = "drink", "饮品冲调"
    SNACK = "snack", "休闲食品"
    PERSONAL = "personal", "个人护理"


def photo_path(instance, filename):
    return f"shelf/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1][:5]}"


class Product(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, verbose_name="供货方", on_delete=models.PROTECT, related_name="products")
    name = models.CharField("商品名称", max_length=100)
    spec = models.CharField("规格", max_length=50, help_text="如 500 g、1 L、10 卷")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    barcode = models.CharField("条码", max_length=14, blank=True)
    photo = models.FileField("照片", upload_to=photo_path, storage=private_storage, blank=True)
    photo_type = models.CharField("照片类型", max_length=30, blank=True)
    factory_price = models.DecimalField("出厂价(元)", max_digits=8, decimal_places=2)
    market_price = models.DecimalField("市场价(元)", max_digits=8, decimal_places=2)
    market_checked_where = models.CharField("市场价调查地点", max_length=100, blank=True)
    market_checked_on = models.DateField("市场价调查日期", null=True, blank=True)
    stock = models.IntegerField("可售库存", default=0)
    low_stock = models.PositiveIntegerField("低库存提醒线", default=5)
    active = models.BooleanField("在售", default=True)

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name = verbose_name_plural = "直通车商品"
        indexes = [models.Index(fields=["community", "active", "category"], name="shelf_product_browse")]
        constraints = [
            # The last line of defence against overselling: no update may take stock below zero.
            models.CheckConstraint(condition=Q(stock__gte=0), name="shelf_product_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(factory_price__gte=0, market_price__gte=0), name="shelf_product_prices_not_negative"
            ),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="shelf_product_category_valid"),
            models.UniqueConstraint(
                fields=["community", "barcode"], condition=~Q(barcode=""), name="shelf_product_one_per_barcode"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.spec}"

    @property
    def saving(self) -> Decimal:
        return self.market_price - self.factory_price

    @property
    def is_low(self) -> bool:
        return self.stock <= self.low_stock


class Slot(TimeStampedModel):
    """A numbered place on the hall's shelf. It holds one product; a product may take several slots."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("栏位号")
    product = models.ForeignKey(
        Product, verbose_name="商品", null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )

    class Meta:
        ordering = ["community_id", "number"]
        verbose_name = verbose_name_plural = "货架栏位"
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="shelf_slot_unique_number")]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        return f"{self.number:03d}"


class Batch(TimeStampedModel):
    """One delivery of a product into stock, with its expiry where it has one."""

    product = models.ForeignKey(Product, verbose_name="商品", on_delete=models.PROTECT, related_name="batches")
    received_on = models.DateField("入库日期")
    expires_on = models.DateField("保质期至", null=True, blank=True)
    quantity = models.PositiveIntegerField("入库数量")
    remaining = models.IntegerField("剩余")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["product_id", "expires_on", "id"]
        verbose_name = verbose_name_plural = "入库批次"
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0), name="shelf_batch_remaining_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shelf_batch_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_id} {self.received_on} {self.remaining}/{self.quantity}"


class MovementKind(models.TextChoices):
    STOCK_IN = "in", "入库"
    STOCKTAKE = "stocktake", "盘点调整"
    WRITE_OFF = "write_off", "报损"


class WriteOffReason(models.TextChoices):
    EXPIRED = "expired", "过期"
    DAMAGED = "damaged", "破损"
    LOST = "lost", "丢失"
    OTHER = "other", "其他"


class Movement(TimeStampedModel):
    """Every change of stock that is not a sale: stock-in, a stock-take's difference, a write-off, with its reason."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, verbose_name="商品", on_delete=models.PROTECT, related_name="movements")
    batch = models.ForeignKey(Batch, verbose_name="批次", on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("类型", max_length=20, choices=MovementKind.choices)
    quantity = models.IntegerField("数量(+入 −出)")
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "库存变动"
        indexes = [models.Index(fields=["community", "-at"], name="shelf_movement_recent")]

    def __str__(self):
        return f"{self.product_id} {self.kind} {self.quantity}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "待拣货"
    PACKED = "packed", "已拣货打包"
    DELIVERING = "delivering", "配送中"
    RECEIVED = "received", "已收货"
    CANCELLED = "cancelled", "已取消"


OPEN_STATUSES = (OrderStatus.PLACED, OrderStatus.PACKED, OrderStatus.DELIVERING)


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    EXTERNAL = "external", "线上支付(记录流水号)"


class Order(TimeStampedModel):
    """A resident's order. Totals are stored as they were at the time (prices change); lines hold the detail."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", verbose_name="户", on_delete=models.PROTECT, related_name="+")
    # Copied at order time for the savings report by compound.
    compound = models.ForeignKey(
        "places.Compound", verbose_name="小区", null=True, on_delete=models.PROTECT, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下单人", on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField("下单时间")
    status = models.CharField("状态", max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    delivery = models.BooleanField("送货上门", default=False)
    address = models.CharField("送货地址", max_length=200, blank=True)
    # Decided on the order's day from the register's birth date; kept so the report counts what was granted.
    free_delivery = models.BooleanField("60岁以上免费送货", default=False)
    delivery_fee = models.DecimalField("送货费", max_digits=8, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField("商品金额(出厂价)", max_digits=10, decimal_places=2)
    market_total = models.DecimalField("市场价合计", max_digits=10, decimal_places=2)
    pickup_code = models.CharField("取件码", max_length=6)
    packed_at = models.DateTimeField("拣货时间", null=True, blank=True)
    packed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拣货人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="送货人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField("收货时间", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认收货人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField("收款时间", null=True, blank=True)
    payment_method = models.CharField("付款方式", max_length=20, choices=PaymentMethod.choices, blank=True)
    payment_ref = models.CharField("支付流水号", max_length=64, blank=True)
    paid_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收款人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = verbose_name_plural = "直通车订单"
        indexes = [
            models.Index(fields=["community", "status", "-placed_at"], name="shelf_order_queue"),
            models.Index(fields=["resident", "-placed_at"], name="shelf_order_mine"),
            models.Index(fields=["community", "received_at"], name="shelf_order_received"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="shelf_order_status_valid"),
            models.CheckConstraint(
                condition=Q(total__gte=0, market_total__gte=0, delivery_fee__gte=0), name="shelf_order_money_ok"
            ),
            models.CheckConstraint(
                condition=~Q(free_delivery=True) | Q(delivery_fee=0), name="shelf_order_free_delivery_has_no_fee"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"ZTC{self.uuid.hex[:8].upper()}"

    @property
    def saved(self) -> Decimal:
        return self.market_total - self.total

    @property
    def amount_due(self) -> Decimal:
        return self.total + self.delivery_fee

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class OrderLine(TimeStampedModel):
    order = models.ForeignKey(Order, verbose_name="订单", on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name="商品", on_delete=models.PROTECT, related_name="lines")
    quantity = models.PositiveIntegerField("数量")
    unit_price = models.DecimalField("单价(出厂价)", max_digits=8, decimal_places=2)
    unit_market_price = models.DecimalField("市场价", max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name = verbose_name_plural = "订单明细"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shelf_line_quantity_positive"),
            models.UniqueConstraint(fields=["order", "product"], name="shelf_line_one_per_product"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.product_id}×{self.quantity}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def market_amount(self) -> Decimal:
        return self.unit_market_price * self.quantity

    @property
    def saved(self) -> Decimal:
        return self.market_amount - self.amount


class Allocation(models.Model):
    """How many of a line came from which batch (first to expire goes first); a cancel returns these exactly."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="allocations")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["line_id", "id"]
        verbose_name = verbose_name_plural = "出库批次"
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="shelf_allocation_positive")]

    def __str__(self):
        return f"{self.line_id} {self.batch_id}×{self.quantity}"


# Used by the report and the statement: money of one line, in SQL.
LINE_AMOUNT = F("unit_price") * F("quantity")
LINE_MARKET_AMOUNT = F("unit_market_price") * F("quantity")
