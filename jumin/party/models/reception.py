"""红色驿站 / 党代表工作站: reception days of the district party representatives, their time slots and residents'
sign-ups; and care for members (关爱走访) recorded as visits."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel


class ReceptionDay(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "places.ServiceStation",
        verbose_name="服务站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="党代表", on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField("接待日期")
    place = models.CharField("地点", max_length=100)
    topic = models.CharField("接待主题", max_length=100, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "党代表接待日"
        indexes = [models.Index(fields=["community", "date"], name="receptionday_community_date")]
        constraints = [
            models.UniqueConstraint(fields=["representative", "date"], name="receptionday_one_per_rep_per_day")
        ]

    def __str__(self):
        return f"{self.date:%Y年%-m月%-d日}党代表接待日"


class ReceptionSlot(TimeStampedModel):
    """A time slot of a reception day; `taken` moves only by conditional updates, so it never passes `capacity`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    day = models.ForeignKey(ReceptionDay, verbose_name="接待日", on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可约人数")
    taken = models.PositiveSmallIntegerField("已约人数", default=0)

    class Meta:
        ordering = ["day_id", "starts_at"]
        verbose_name = verbose_name_plural = "接待时段"
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="receptionslot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="receptionslot_ends_after_start"),
            models.UniqueConstraint(fields=["day", "starts_at"], name="receptionslot_unique_start"),
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


class ReceptionSignup(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    day = models.ForeignKey(ReceptionDay, verbose_name="接待日", on_delete=models.CASCADE, related_name="signups")
    slot = models.ForeignKey(ReceptionSlot, verbose_name="时段", on_delete=models.CASCADE, related_name="signups")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="reception_signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约账号", null=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("想反映的事", max_length=200, blank=True)
    # The opinion the representative recorded from this conversation.
    opinion = models.OneToOneField(
        "party.Opinion",
        verbose_name="社情民意",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signup",
    )

    class Meta:
        ordering = ["slot_id", "id"]
        verbose_name = verbose_name_plural = "接待日预约"
        constraints = [models.UniqueConstraint(fields=["day", "resident"], name="receptionsignup_one_per_day")]

    def __str__(self):
        return f"{self.day_id}:{self.resident_id}"


class CareKind(models.TextChoices):
    BIRTHDAY = "birthday", "政治生日/生日慰问"
    ILLNESS = "illness", "生病探望"
    ELDERLY = "elderly", "老党员需求走访"
    HARDSHIP = "hardship", "困难帮扶"


class CareVisit(TimeStampedModel):
    """关爱党员: a birthday greeting, an illness visit, an elderly member's needs, recorded by whoever went."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("party.PartyMember", verbose_name="党员", on_delete=models.CASCADE, related_name="care")
    kind = models.CharField("类型", max_length=20, choices=CareKind.choices)
    visited_on = models.DateField("走访日期")
    note = models.CharField("情况", max_length=500)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "党员关爱走访"
        constraints = [models.CheckConstraint(condition=Q(kind__in=CareKind.values), name="carevisit_kind_valid")]

    def __str__(self):
        return f"{self.member_id} {self.get_kind_display()}"
