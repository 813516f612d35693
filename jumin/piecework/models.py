"""家庭代工: factories post work orders through the community; eligible residents claim portions, pick up
materials, hand in finished pieces, staff inspect them and pay per accepted piece.

Money is kept in fen (integers), so a resident's income ledger and a factory's settlement add up to the same total
exactly on SQLite and PostgreSQL, and the check constraints compare integers."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel
from jumin.people.idcard import mask_phone


def yuan(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


class Factory(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("工厂名称", max_length=100)
    products = models.CharField("主要产品", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=11)
    address = models.CharField("地址", max_length=200, blank=True)
    # The factory contact's login (Role.FACTORY_CONTACT): sees only this factory's orders and statements.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="工厂联系人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="factory",
    )
    active = models.BooleanField("合作中", default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "代工工厂"
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="factory_name_unique_in_community")]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)


class OrderStatus(models.TextChoices):
    OPEN = "open", "接单中"
    CLOSED = "closed", "已截止"


class WorkOrder(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    factory = models.ForeignKey(Factory, verbose_name="工厂", on_delete=models.PROTECT, related_name="orders")
    item = models.CharField("加工内容", max_length=100)
    quantity = models.PositiveIntegerField("总件数")
    # Pieces nobody holds: claims take from it with a conditional update, cancelled or expired claims give back.
    remaining = models.PositiveIntegerField("未认领件数")
    unit_pay_fen = models.PositiveIntegerField("计件单价(分)")
    materials = models.CharField("原材料", max_length=500, blank=True)
    quality_standard = models.TextField("质量标准", max_length=2000, blank=True)
    pickup_place = models.CharField("领料交货地点", max_length=200, blank=True)
    deadline = models.DateField("交货截止日期")
    skills = models.CharField("技能要求", max_length=200, blank=True)
    max_per_resident = models.PositiveIntegerField("每人最多认领", null=True, blank=True)
    eligible_tags = models.ManyToManyField(
        "people.Tag", verbose_name="可认领人群", blank=True, related_name="+", help_text="不选则本社区居民均可认领"
    )
    min_age = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("最高年龄", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "代工订单"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="workorder_quantity_gt_0"),
            models.CheckConstraint(condition=Q(remaining__lte=F("quantity")), name="workorder_remaining_lte_quantity"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="workorder_remaining_gte_0"),
            models.CheckConstraint(condition=Q(unit_pay_fen__gt=0), name="workorder_unit_pay_gt_0"),
            models.CheckConstraint(
                condition=Q(max_per_resident__isnull=True) | Q(max_per_resident__gt=0), name="workorder_max_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="workorder_age_range",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "deadline"], name="workorder_open")]

    def __str__(self):
        return f"{self.factory_id} {self.item}"

    @property
    def unit_pay(self) -> Decimal:
        return yuan(self.unit_pay_fen)

    @property
    def claimed(self) -> int:
        return self.quantity - self.remaining


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "已认领"
    MATERIALS_OUT = "materials_out", "已领料"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "已逾期"


LIVE_CLAIM_STATUSES = (ClaimStatus.CLAIMED, ClaimStatus.MATERIALS_OUT)
ENDED_WITHOUT_WORK = (ClaimStatus.CANCELLED, ClaimStatus.EXPIRED)


class WorkClaim(TimeStampedModel):
    """A resident's portion of an order. quantity = pieces claimed; returned = pieces given back (cancelled, or the
    deadline passed); handed_in ≤ quantity − returned; accepted + rejected ≤ handed_in; paid ≤ accepted × unit pay."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(WorkOrder, verbose_name="代工订单", on_delete=models.PROTECT, related_name="claims")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="认领人", on_delete=models.PROTECT, related_name="work_claims"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField("认领件数")
    returned = models.PositiveIntegerField("退回件数", default=0)
    handed_in = models.PositiveIntegerField("已交件数", default=0)
    accepted = models.PositiveIntegerField("验收合格", default=0)
    rejected = models.PositiveIntegerField("验收不合格", default=0)
    # The order's unit pay when claimed: a later change to the order never changes what this claim earns.
    unit_pay_fen = models.PositiveIntegerField("计件单价(分)")
    paid_fen = models.PositiveIntegerField("已发工资(分)", default=0)
    status = models.CharField("状态", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED)
    due_on = models.DateField("交货期限")
    materials_note = models.CharField("领料情况", max_length=200, blank=True)
    materials_at = models.DateTimeField("领料时间", null=True, blank=True)
    ended_reason = models.CharField("结束原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "代工认领"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="workclaim_quantity_gt_0"),
            models.CheckConstraint(
                condition=Q(handed_in__lte=F("quantity") - F("returned")), name="workclaim_handed_in_lte_claimed"
            ),
            models.CheckConstraint(
                condition=Q(accepted__lte=F("handed_in") - F("rejected")), name="workclaim_inspected_lte_handed_in"
            ),
            models.CheckConstraint(
                condition=Q(paid_fen__lte=F("accepted") * F("unit_pay_fen")), name="workclaim_paid_lte_earned"
            ),
            # One live portion per resident per order: a second claim tops it up instead.
            models.UniqueConstraint(
                fields=["order", "resident"],
                condition=~Q(status__in=["cancelled", "expired"]),
                name="workclaim_one_per_resident",
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "-created_at"], name="workclaim_resident"),
            models.Index(fields=["status", "due_on"], name="workclaim_due"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.resident_id} × {self.quantity}"

    @property
    def held(self) -> int:
        """Pieces the resident still holds: claimed, not given back."""
        return self.quantity - self.returned

    @property
    def to_hand_in(self) -> int:
        return self.held - self.handed_in

    @property
    def pending_inspection(self) -> int:
        return self.handed_in - self.accepted - self.rejected

    @property
    def earned_fen(self) -> int:
        return self.accepted * self.unit_pay_fen

    @property
    def earned(self) -> Decimal:
        return yuan(self.earned_fen)

    @property
    def paid(self) -> Decimal:
        return yuan(self.paid_fen)

    @property
    def owed(self) -> Decimal:
        return yuan(self.earned_fen - self.paid_fen)

    @property
    def unit_pay(self) -> Decimal:
        return yuan(self.unit_pay_fen)


class HandIn(TimeStampedModel):
    """One batch of finished pieces handed in; inspected once (accepted + rejected = pieces)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(WorkClaim, verbose_name="认领", on_delete=models.PROTECT, related_name="handins")
    pieces = models.PositiveIntegerField("交货件数")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.PositiveIntegerField("合格", null=True, blank=True)
    rejected = models.PositiveIntegerField("不合格", null=True, blank=True)
    reason = models.CharField("不合格原因", max_length=200, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_at = models.DateTimeField("验收时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "交货"
        constraints = [
            models.CheckConstraint(condition=Q(pieces__gt=0), name="handin_pieces_gt_0"),
            models.CheckConstraint(
                condition=Q(accepted__isnull=True, rejected__isnull=True)
                | Q(accepted__isnull=False, rejected__isnull=False, pieces=F("accepted") + F("rejected")),
                name="handin_inspected_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.pieces}"

    @property
    def inspected(self) -> bool:
        return self.accepted is not None


class PayMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"


class PiecePayment(TimeStampedModel):
    """Piece pay handed to a resident for a claim (cash, or a bank transfer's reference); no payment gateway."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(WorkClaim, verbose_name="认领", on_delete=models.PROTECT, related_name="payments")
    amount_fen = models.PositiveIntegerField("金额(分)")
    method = models.CharField("方式", max_length=20, choices=PayMethod.choices)
    reference = models.CharField("转账流水号", max_length=100, blank=True)
    pieces = models.PositiveIntegerField("计件数")
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发放人", on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField("发放时间")

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = verbose_name_plural = "计件工资发放"
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="piecepayment_amount_gt_0"),
            models.CheckConstraint(
                condition=~Q(method="transfer") | ~Q(reference=""), name="piecepayment_transfer_has_reference"
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.amount}"

    @property
    def amount(self) -> Decimal:
        return yuan(self.amount_fen)
