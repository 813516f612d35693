"""爱心代办 / 便民服务队: vetted vendors with a resident offer, their orders and the residents' ratings.

A resident's order is a Case of kind "service_order" (kind.py): its status, history, deadline and satisfaction live
on the shared engine; ServiceOrder holds what only an order has (vendor, time window, address, price)."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jumin.core.models import TimeStampedModel
from jumin.core.uploads import private_storage
from jumin.people.idcard import mask_phone

FEN = Decimal("0.01")


class Category(models.TextChoices):
    HOUSEKEEPING = "housekeeping", "家政"
    CLEANING = "cleaning", "保洁"
    REPAIR = "repair", "维修"
    LOCKSMITH = "locksmith", "开锁"
    APPLIANCE = "appliance", "家电"
    MOVING = "moving", "搬家"


class VendorStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REFUSED = "refused", "未通过"
    SUSPENDED = "suspended", "已暂停"


class OfferKind(models.TextChoices):
    DISCOUNT = "discount", "居民折扣"
    PRICE_LIST = "price_list", "固定价目"


def licence_path(instance, filename):
    from jumin.core.uploads import EXTENSIONS

    ext = EXTENSIONS.get(instance.licence_type, "bin")
    return f"vendors/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def discount_label(percent: int | None) -> str:
    """80 → 8折, 85 → 8.5折."""
    if not percent:
        return ""
    tenths = Decimal(percent) / 10
    return f"{tenths.normalize():f}折"


class Vendor(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    # The vendor's own login (Role.VENDOR); a vendor entered by staff may have none yet.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="商家账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vendor",
    )
    name = models.CharField("商家名称", max_length=100)
    category = models.CharField("服务类别", max_length=20, choices=Category.choices)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=11)
    service_area = models.CharField("服务范围", max_length=200)
    offer_kind = models.CharField("居民优惠方式", max_length=20, choices=OfferKind.choices)
    # 80 means 8折 (the resident pays 80% of the list price).
    discount_percent = models.PositiveSmallIntegerField("折扣(百分比)", null=True, blank=True)
    price_list = models.TextField("价目表", max_length=2000, blank=True)
    offer_note = models.CharField("优惠说明", max_length=200, blank=True)
    licence = models.FileField("营业执照", upload_to=licence_path, storage=private_storage, blank=True)
    licence_name = models.CharField("执照文件名", max_length=200, blank=True)
    licence_type = models.CharField("执照文件类型", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=VendorStatus.choices, default=VendorStatus.PENDING)
    # Why it was refused or suspended; shown to the vendor.
    status_reason = models.CharField("原因", max_length=200, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vetted_at = models.DateTimeField("审核时间", null=True, blank=True)
    # Set when the recent ratings fall below the threshold; staff review and suspend or clear it.
    flagged_at = models.DateTimeField("差评预警时间", null=True, blank=True)

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name = verbose_name_plural = "便民服务商家"
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True) | Q(discount_percent__gte=1, discount_percent__lte=99),
                name="vendor_discount_between_1_and_99",
            ),
            models.CheckConstraint(
                condition=~Q(offer_kind="discount") | Q(discount_percent__isnull=False),
                name="vendor_discount_offer_has_percent",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "category"], name="vendor_community_status")]

    def __str__(self):
        return self.name

    @property
    def offer_label(self) -> str:
        if self.offer_kind == OfferKind.DISCOUNT:
            return f"居民享{discount_label(self.discount_percent)}"
        return "居民优惠价目表"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def discounted(self, list_price: Decimal) -> Decimal:
        """What a resident pays at most for a job listed at `list_price`."""
        if self.offer_kind != OfferKind.DISCOUNT or not self.discount_percent:
            return list_price
        return (list_price * self.discount_percent / 100).quantize(FEN, rounding=ROUND_HALF_UP)


class Slot(models.TextChoices):
    MORNING = "morning", "上午(8:00–12:00)"
    AFTERNOON = "afternoon", "下午(13:00–18:00)"
    EVENING = "evening", "晚上(18:00–21:00)"


class ServiceOrder(TimeStampedModel):
    case = models.OneToOneField(
        "cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="service_order"
    )
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey(Vendor, verbose_name="商家", on_delete=models.PROTECT, related_name="orders")
    window_date = models.DateField("上门日期")
    window_slot = models.CharField("上门时段", max_length=20, choices=Slot.choices)
    address = models.CharField("服务地址", max_length=200)
    contact_phone = models.CharField("联系电话", max_length=11)
    list_price = models.DecimalField("原价", max_digits=10, decimal_places=2, null=True, blank=True)
    charged = models.DecimalField("实收", max_digits=10, decimal_places=2, null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "服务订单"
        constraints = [
            models.CheckConstraint(
                condition=Q(list_price__gte=0) | Q(list_price__isnull=True), name="order_price_gte_0"
            ),
            models.CheckConstraint(condition=Q(charged__gte=0) | Q(charged__isnull=True), name="order_charged_gte_0"),
            models.CheckConstraint(
                condition=Q(charged__isnull=True) | Q(list_price__isnull=True) | Q(charged__lte=F("list_price")),
                name="order_charged_lte_list_price",
            ),
        ]
        indexes = [models.Index(fields=["vendor", "window_date"], name="order_vendor_date")]

    def __str__(self):
        return f"{self.case_id} {self.vendor_id}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def as_api(self, *, viewer, is_worker: bool) -> dict:
        return order_as_api(self, viewer=viewer, is_worker=is_worker)

    @property
    def saving(self) -> Decimal | None:
        if self.charged is None or self.list_price is None:
            return None
        return self.list_price - self.charged


class Score(models.IntegerChoices):
    ONE = 1, "1 星(很差)"
    TWO = 2, "2 星(较差)"
    THREE = 3, "3 星(一般)"
    FOUR = 4, "4 星(较好)"
    FIVE = 5, "5 星(很好)"


class VendorRating(TimeStampedModel):
    """The resident's verdict on one round of an order: price, punctuality, quality (1–5 each)."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(ServiceOrder, verbose_name="订单", on_delete=models.CASCADE, related_name="ratings")
    vendor = models.ForeignKey(Vendor, verbose_name="商家", on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    price = models.PositiveSmallIntegerField("价格", choices=Score.choices)
    punctuality = models.PositiveSmallIntegerField("守时", choices=Score.choices)
    quality = models.PositiveSmallIntegerField("质量", choices=Score.choices)
    comment = models.CharField("评价", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "商家评价"
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="vendor_rating_one_per_round"),
            *(
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"vendor_rating_{f}_1_5")
                for f in ("price", "punctuality", "quality")
            ),
        ]
        indexes = [models.Index(fields=["vendor", "-created_at"], name="vendor_rating_recent")]

    def __str__(self):
        return f"{self.order_id} {self.score}"

    @property
    def score(self) -> Decimal:
        return (Decimal(self.price + self.punctuality + self.quality) / 3).quantize(Decimal("0.1"))


class Complaint(TimeStampedModel):
    """A resident's complaint about an order becomes a case (kind "vendor_complaint") staff take and answer."""

    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="complaint")
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(ServiceOrder, verbose_name="订单", on_delete=models.PROTECT, related_name="complaints")
    vendor = models.ForeignKey(Vendor, verbose_name="商家", on_delete=models.PROTECT, related_name="complaints")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "商家投诉"

    def __str__(self):
        return f"{self.case_id} {self.vendor_id}"


def order_as_api(order: ServiceOrder, *, viewer, is_worker: bool) -> dict:
    """The order's part of GET /api/v1/cases/{id} and of the vendors API."""
    from jumin.cases.selectors import is_requester

    vendor = order.vendor
    own = is_worker or is_requester(viewer, order.case) or vendor.user_id == getattr(viewer, "pk", None)
    return {
        "vendor": {"uuid": str(vendor.uuid), "name": vendor.name, "category": vendor.category},
        "offer": vendor.offer_label,
        "window": {"date": order.window_date.isoformat(), "slot": order.window_slot},
        "address": order.address,
        "contact_phone": order.contact_phone if own else order.masked_phone,
        "list_price": str(order.list_price) if order.list_price is not None else None,
        "charged": str(order.charged) if order.charged is not None else None,
        "completed_at": order.completed_at.isoformat() if order.completed_at else None,
    }
