import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from jumin.core.models import TimeStampedModel


class Broadcast(TimeStampedModel):
    """北镇微视: one weekly episode, with a transcript for elderly and hearing-impaired readers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=100)
    summary = models.CharField("简介", max_length=300, blank=True)
    video_url = models.URLField("视频链接", max_length=300, blank=True)
    transcript = models.TextField("文字稿", max_length=20000, blank=True)
    aired_on = models.DateField("播出日期")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-aired_on", "-id"]
        verbose_name = verbose_name_plural = "北镇微视"

    def __str__(self):
        return self.title


class Category(models.TextChoices):
    POLICY = "policy", "政策"
    EVENT = "event", "活动"
    WARNING = "warning", "提醒"


class Notice(TimeStampedModel):
    """通知: to everyone of the community, or to residents of given compounds, grids and/or tags. Each filled
    dimension narrows the audience (compound A and 60+ means the 60+ residents of A); within one, any matches."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=5000)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.POLICY)
    urgent = models.BooleanField("紧急", default=False)
    pinned = models.BooleanField("置顶", default=False)
    audience_all = models.BooleanField("全体居民", default=True)
    compounds = models.ManyToManyField("places.Compound", verbose_name="小区", blank=True, related_name="+")
    grids = models.ManyToManyField("places.Grid", verbose_name="网格", blank=True, related_name="+")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = verbose_name_plural = "通知"
        indexes = [models.Index(fields=["community", "-published_at"], name="notice_community_time")]
        constraints = [models.CheckConstraint(condition=Q(category__in=Category.values), name="notice_category_valid")]

    def __str__(self):
        return self.title


class NoticeTag(models.Model):
    """A tag code a notice is aimed at: a register tag (low_income …) or "elderly" (60+, from the birth date)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="tag_codes")
    code = models.SlugField("标签代码", max_length=30)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "通知对象标签"
        constraints = [models.UniqueConstraint(fields=["notice", "code"], name="notice_tag_unique")]

    def __str__(self):
        return self.code


class NoticeReceipt(models.Model):
    """已读回执: the first time a resident opened the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间")

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = verbose_name_plural = "已读回执"
        constraints = [models.UniqueConstraint(fields=["notice", "resident"], name="notice_receipt_once")]

    def __str__(self):
        return f"{self.notice_id}:{self.resident_id}"
