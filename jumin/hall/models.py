"""The one-stop service hall: numbered windows and the service items each window handles (the catalogue), and the
hall running — half-day booking slots, bookings, queue tickets with daily numbers per window prefix, service records
and ratings."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from jumin.core.models import TimeStampedModel

WINDOW_NUMBERS = (1, 12)
MAX_SEQ = 999


def window_prefix(number: int) -> str:
    """Window 1 numbers A001…, window 12 L001…."""
    return chr(ord("A") + number - 1)


class Window(TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("窗口号")
    name = models.CharField("名称", max_length=30)
    # The letter of the window's queue numbers: A001, A002 … (reset every day).
    prefix = models.CharField("号码字头", max_length=1)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="窗口工作人员", blank=True, related_name="hall_windows"
    )
    # The ticket being served; a compare-and-set on this column keeps one ticket per window at a time.
    current_ticket = models.OneToOneField(
        "Ticket", verbose_name="当前号码", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused = models.BooleanField("暂停服务", default=False)

    class Meta:
        ordering = ["community", "number"]
        verbose_name = verbose_name_plural = "服务窗口"
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="window_unique_number"),
            models.UniqueConstraint(fields=["community", "name"], name="window_unique_name"),
            models.UniqueConstraint(fields=["community", "prefix"], name="window_unique_prefix"),
            models.CheckConstraint(
                condition=models.Q(number__gte=WINDOW_NUMBERS[0], number__lte=WINDOW_NUMBERS[1]),
                name="window_number_range",
            ),
            models.CheckConstraint(condition=models.Q(prefix__regex=r"^[A-Z]$"), name="window_prefix_letter"),
        ]

    def __str__(self):
        return f"{self.number}号 {self.name}"


def clean_documents(value) -> list[str]:
    """材料清单: a list of distinct, non-empty names (at most 60 characters each)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("材料清单应为材料名称的列表")
    names = [v.strip() for v in value]
    if any(not n for n in names):
        raise ValidationError("材料名称不能为空")
    if any(len(n) > 60 for n in names):
        raise ValidationError("材料名称不能超过 60 个字")
    if len(set(names)) != len(names):
        raise ValidationError("材料清单中有重复的材料")
    return names


class ServiceItem(TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="items")
    name = models.CharField("事项名称", max_length=50)
    description = models.TextField("说明", max_length=1000, blank=True)
    required_documents = models.JSONField("材料清单", default=list, blank=True, validators=[clean_documents])
    time_limit_working_days = models.PositiveSmallIntegerField("办理时限(工作日)", default=5)
    proxy_allowed = models.BooleanField("可代办", default=False)
    in_person_required = models.CharField("本人到场说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    # Other windows that can also serve the item (the main `window` gives the ticket its number prefix).
    other_windows = models.ManyToManyField(Window, verbose_name="其他可办窗口", blank=True, related_name="shared_items")
    min_age = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("最高年龄", null=True, blank=True)
    # A resident needs one of these tags (empty: anyone).
    eligible_tags = models.ManyToManyField("people.Tag", verbose_name="限以下人群", blank=True, related_name="+")
    fee = models.DecimalField("收费(元)", max_digits=8, decimal_places=2, default=0)
    bookable = models.BooleanField("可预约", default=True)
    daily_cap = models.PositiveSmallIntegerField("每日取号上限", default=100)

    class Meta:
        ordering = ["window__number", "id"]
        verbose_name = verbose_name_plural = "服务事项"
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="serviceitem_unique_name"),
            models.CheckConstraint(
                condition=models.Q(time_limit_working_days__gte=1, time_limit_working_days__lte=60),
                name="serviceitem_time_limit_range",
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="serviceitem_fee_not_negative"),
            models.CheckConstraint(
                condition=models.Q(daily_cap__gte=1, daily_cap__lte=999), name="serviceitem_daily_cap_range"
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="serviceitem_age_range",
            ),
        ]
        indexes = [models.Index(fields=["community", "window"], name="serviceitem_community_window")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.window_id and self.community_id and self.window.community_id != self.community_id:
            raise ValidationError({"window": "窗口须属于同一社区"})
        self.required_documents = clean_documents(self.required_documents)
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise ValidationError({"max_age": "最高年龄不能小于最低年龄"})

    @property
    def eligibility_label(self) -> str:
        if self.min_age and self.max_age:
            return f"限 {self.min_age}–{self.max_age} 周岁"
        if self.min_age:
            return f"限 {self.min_age} 周岁及以上"
        if self.max_age:
            return f"限 {self.max_age} 周岁及以下"
        return ""


class Half(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"


class Slot(TimeStampedModel):
    """A half-day of one window that takes bookings; `booked` counts live bookings and never passes `capacity`."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.CASCADE, related_name="slots")
    date = models.DateField("日期")
    half = models.CharField("时段", max_length=2, choices=Half.choices)
    capacity = models.PositiveSmallIntegerField("名额")
    booked = models.PositiveSmallIntegerField("已约", default=0)

    class Meta:
        ordering = ["date", "half", "window__number"]
        verbose_name = verbose_name_plural = "预约时段"
        constraints = [
            models.UniqueConstraint(fields=["window", "date", "half"], name="slot_unique_window_half_day"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"),
            models.CheckConstraint(condition=models.Q(capacity__lte=200), name="slot_capacity_range"),
        ]
        indexes = [models.Index(fields=["community", "date"], name="slot_community_date")]

    def __str__(self):
        return f"{self.date:%Y年%m月%d日} {self.get_half_display()} {self.window}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    SERVED = "served", "已办理"
    CANCELLED = "cancelled", "已取消"
    MISSED = "missed", "未到"


LIVE_BOOKING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.SERVED)


class Booking(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约账号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, verbose_name="时段", on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField("日期")
    status = models.CharField("状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    note = models.CharField("备注", max_length=200, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "预约"
        constraints = [
            # One booking per resident per item per day (a cancelled one frees the day).
            models.UniqueConstraint(
                fields=["resident", "item", "date"],
                condition=models.Q(status__in=LIVE_BOOKING),
                name="booking_one_per_resident_item_day",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "date"], name="booking_community_date"),
            models.Index(fields=["user", "-created_at"], name="booking_user_created"),
        ]

    def __str__(self):
        return f"{self.item} {self.slot}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等候中"
    CALLED = "called", "请到窗口"
    SKIPPED = "skipped", "已过号"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已取消"


class Lane(models.IntegerChoices):
    """The calling order: checked-in bookings of the slot first, then the 绿色通道, then walk-ins by number."""

    BOOKED = 0, "预约"
    PRIORITY = 1, "绿色通道"
    WALK_IN = 2, "普通"


class Outcome(models.TextChoices):
    DONE = "done", "已办结"
    MISSING_DOCUMENTS = "missing_documents", "材料不全"
    REFERRED = "referred", "已转介"


class Ticket(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="tickets")
    # The queue the ticket waits in (a transfer moves it, keeping its place by `taken_at`).
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="tickets")
    transferred = models.BooleanField("已转窗", default=False)
    day = models.DateField("日期")
    prefix = models.CharField("字头", max_length=1)
    seq = models.PositiveIntegerField("序号")
    lane = models.PositiveSmallIntegerField("通道", choices=Lane.choices, default=Lane.WALK_IN)
    status = models.CharField("状态", max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取号账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hall_tickets",
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="出号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField("手机号", max_length=11, blank=True)
    booking = models.OneToOneField(
        Booking, verbose_name="预约", null=True, blank=True, on_delete=models.SET_NULL, related_name="ticket"
    )
    taken_at = models.DateTimeField("取号时间")
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    call_count = models.PositiveSmallIntegerField("呼叫次数", default=0)
    # Last time the hall heard the number (a call or a recall): the display speaks each announcement once.
    announced_at = models.DateTimeField("播报时间", null=True, blank=True)
    called_window = models.ForeignKey(
        Window, verbose_name="叫号窗口", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skipped_at = models.DateTimeField("过号时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=20, choices=Outcome.choices, blank=True)
    missing_documents = models.JSONField("缺少材料", default=list, blank=True)
    outcome_note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "prefix", "seq"]
        verbose_name = verbose_name_plural = "排队号"
        constraints = [
            models.UniqueConstraint(fields=["community", "day", "prefix", "seq"], name="ticket_unique_number"),
            models.CheckConstraint(condition=models.Q(seq__gte=1, seq__lte=MAX_SEQ), name="ticket_seq_range"),
            # A known resident holds one live ticket per item per day.
            models.UniqueConstraint(
                fields=["resident", "item", "day"],
                condition=models.Q(status__in=["waiting", "called"]),
                name="ticket_one_live_per_resident_item_day",
            ),
        ]
        indexes = [
            models.Index(fields=["window", "status", "lane", "taken_at"], name="ticket_queue"),
            models.Index(fields=["community", "day", "status"], name="ticket_community_day"),
            models.Index(fields=["user", "-taken_at"], name="ticket_user_taken"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"{self.prefix}{self.seq:03d}"

    @property
    def wait_seconds(self) -> int | None:
        return int((self.called_at - self.taken_at).total_seconds()) if self.called_at else None

    @property
    def service_seconds(self) -> int | None:
        if self.called_at and self.finished_at:
            return int((self.finished_at - self.called_at).total_seconds())
        return None


class DayCounter(TimeStampedModel):
    """Last number given out per (community, day, key): key "A" numbers window A's tickets, "item:<id>" counts an
    item's tickets against its daily cap. One conditional UPDATE per ticket, so concurrent takers queue on the row."""

    community = models.ForeignKey("places.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    key = models.CharField(max_length=20)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "key"]
        constraints = [models.UniqueConstraint(fields=["community", "day", "key"], name="daycounter_unique")]

    def __str__(self):
        return f"{self.day} {self.key}={self.value}"


class Rating(TimeStampedModel):
    """好差评 of one finished ticket: four marks from 1 to 5; a poor one carries a reason and a case."""

    ticket = models.OneToOneField(Ticket, verbose_name="排队号", on_delete=models.CASCADE, related_name="rating")
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    attitude = models.PositiveSmallIntegerField("服务态度")
    quality = models.PositiveSmallIntegerField("服务质量")
    efficiency = models.PositiveSmallIntegerField("办事效率")
    integrity = models.PositiveSmallIntegerField("廉洁自律")
    reason = models.CharField("差评原因", max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name="差评工单", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "好差评"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    attitude__gte=1,
                    attitude__lte=5,
                    quality__gte=1,
                    quality__lte=5,
                    efficiency__gte=1,
                    efficiency__lte=5,
                    integrity__gte=1,
                    integrity__lte=5,
                ),
                name="rating_marks_range",
            ),
        ]

    def __str__(self):
        return f"{self.ticket} {self.average:.1f}"

    @property
    def marks(self) -> tuple[int, int, int, int]:
        return (self.attitude, self.quality, self.efficiency, self.integrity)

    @property
    def average(self) -> float:
        return sum(self.marks) / 4
