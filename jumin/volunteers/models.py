import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class Volunteer(TimeStampedModel):
    """志愿者: a registered resident who applied and whom staff approved. One record per resident."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="volunteer"
    )
    status = models.CharField("状态", max_length=20, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING)
    skills = models.CharField("特长", max_length=200, blank=True)
    availability = models.CharField("可服务时间", max_length=200, blank=True)
    # Flags for the organiser: a party member (from the register's tag) and a 双报到 member (in-service party
    # members who report to the community where they live).
    is_party_member = models.BooleanField("党员", default=False)
    is_dual_report = models.BooleanField("双报到", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.CharField("未通过原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "志愿者"
        indexes = [models.Index(fields=["community", "status"], name="volunteer_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=VolunteerStatus.values), name="volunteer_status_valid")
        ]

    def __str__(self):
        return f"{self.resident.name}({self.get_status_display()})"


class ActivityStatus(models.TextChoices):
    OPEN = "open", "报名中"
    CANCELLED = "cancelled", "已取消"


class Activity(TimeStampedModel):
    """志愿活动: what is done, where, organised by whom; its shifts carry the times and the places to fill."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("活动名称", max_length=100)
    description = models.TextField("活动内容", max_length=2000, blank=True)
    place = models.CharField("地点", max_length=100)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.OPEN)
    starts_at = models.DateTimeField("开始时间")  # the first shift's start, for ordering and filtering

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = verbose_name_plural = "志愿活动"
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_community_start")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActivityStatus.values), name="activity_status_valid")
        ]

    def __str__(self):
        return self.title

    # Over the prefetched shifts (selectors prefetch them), so a list costs no query per row.
    @property
    def slots_total(self) -> int:
        return sum(s.slots for s in self.shifts.all())

    @property
    def taken_total(self) -> int:
        return sum(s.taken for s in self.shifts.all())


def _check_in_code() -> str:
    return secrets.token_urlsafe(12)


class Shift(TimeStampedModel):
    """班次: a time and place with a number of places (slots). `taken` counts the live sign-ups and only moves by
    conditional updates, so no shift ever holds more volunteers than it has places."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("集合地点", max_length=100, blank=True)
    slots = models.PositiveIntegerField("名额")
    taken = models.PositiveIntegerField("已报名", default=0)
    skills_wanted = models.CharField("所需特长", max_length=100, blank=True)
    # Shown as a QR code at the venue: a volunteer who scans it checks in (or out) themselves.
    check_in_code = models.CharField("签到码", max_length=32, default=_check_in_code, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = verbose_name_plural = "班次"
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("slots")), name="shift_taken_within_slots"),
            models.CheckConstraint(condition=Q(slots__gte=1), name="shift_slots_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.activity.title} {self.starts_at:%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return self.slots - self.taken

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "已报名"
    WITHDRAWN = "withdrawn", "已取消"
    CONFIRMED = "confirmed", "时长已确认"
    ABSENT = "absent", "未到"


LIVE_SIGNUP = (SignupStatus.SIGNED_UP, SignupStatus.CONFIRMED)


class SignupChannel(models.TextChoices):
    SELF = "self", "本人报名"
    STAFF = "staff", "工作人员代报"


class Signup(TimeStampedModel):
    """报名 and the service record it becomes: who served, in which shift (what, where), from when to when
    (check-in, check-out), how long, confirmed by whom. Records stay; a withdrawal only changes the status."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, verbose_name="班次", on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, verbose_name="志愿者", on_delete=models.PROTECT, related_name="signups")
    status = models.CharField("状态", max_length=20, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP)
    channel = models.CharField("报名方式", max_length=10, choices=SignupChannel.choices, default=SignupChannel.SELF)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签到登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveIntegerField("确认时长(分钟)", default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "报名与服务记录"
        indexes = [models.Index(fields=["community", "status"], name="signup_community_status")]
        constraints = [
            # One live sign-up per volunteer and shift: the second of two quick taps fails here.
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["signed_up", "confirmed"]),
                name="signup_one_live_per_shift",
            ),
            models.CheckConstraint(condition=Q(status__in=SignupStatus.values), name="signup_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="signup_confirmed_has_confirmer",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer_id} @ {self.shift_id} {self.get_status_display()}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


class AccountKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿者积分账户"
    ISSUED = "issued", "社区积分发放"
    REDEEMED = "redeemed", "积分兑换"


class PointsAccount(TimeStampedModel):
    """积分账户. Each community has an issuing account (points come from it, so its balance runs negative) and a
    redemption account (points spent go to it); each volunteer has one that never goes below zero."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=AccountKind.choices)
    volunteer = models.OneToOneField(
        Volunteer, verbose_name="志愿者", null=True, blank=True, on_delete=models.PROTECT, related_name="points"
    )
    balance = models.IntegerField("余额", default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "积分账户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="volunteer") | Q(balance__gte=0, volunteer__isnull=False),
                name="points_volunteer_never_negative",
            ),
            models.UniqueConstraint(
                fields=["community", "kind"], condition=~Q(kind="volunteer"), name="points_one_system_account"
            ),
            models.CheckConstraint(condition=Q(kind__in=AccountKind.values), name="points_account_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.balance}"


class Origin(models.TextChoices):
    HOURS = "hours", "志愿服务时长"
    SPEND = "spend", "积分兑换"


class PointsTransfer(TimeStampedModel):
    """One movement of points: two entries that sum to zero, with where it came from (a confirmed shift, or what
    the points were spent on) and who made it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    signup = models.OneToOneField(
        Signup, verbose_name="服务记录", null=True, blank=True, on_delete=models.PROTECT, related_name="points_transfer"
    )
    memo = models.CharField("说明", max_length=200)
    amount = models.PositiveIntegerField("积分")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "积分业务"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="points_transfer_positive"),
            models.CheckConstraint(
                condition=~Q(origin="hours") | Q(signup__isnull=False), name="points_hours_have_signup"
            ),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="points_origin_valid"),
        ]

    def __str__(self):
        return f"{self.get_origin_display()} {self.amount}"


class PointsEntry(models.Model):
    """积分流水: one side of a transfer; the account's balance is always the sum of its entries."""

    created_at = models.DateTimeField("时间", db_index=True)
    transfer = models.ForeignKey(
        PointsTransfer, verbose_name="积分业务", on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(PointsAccount, verbose_name="账户", on_delete=models.PROTECT, related_name="entries")
    amount = models.IntegerField("变动")
    balance_after = models.IntegerField("变动后余额")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "积分流水"
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_nonzero"),
            models.UniqueConstraint(fields=["transfer", "account"], name="points_entry_one_side_per_account"),
        ]

    def __str__(self):
        return f"{self.account_id} {self.amount:+d}"


class PointsRule(TimeStampedModel):
    """The community's rule for earning points: so many points per confirmed hour of service."""

    community = models.OneToOneField(
        "places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    points_per_hour = models.PositiveIntegerField("每小时积分", default=10)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["community_id"]
        verbose_name = verbose_name_plural = "积分规则"
        constraints = [models.CheckConstraint(condition=Q(points_per_hour__lte=1000), name="points_rule_sane")]

    def __str__(self):
        return f"每小时 {self.points_per_hour} 分"
