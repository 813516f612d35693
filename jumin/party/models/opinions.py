from django.conf import settings
from django.db import models

from jumin.core.models import TimeStampedModel


class Category(models.TextChoices):
    ENVIRONMENT = "environment", "环境卫生"
    PROPERTY = "property", "物业管理"
    PARKING = "parking", "停车交通"
    FACILITIES = "facilities", "公共设施"
    SAFETY = "safety", "治安安全"
    NEIGHBOURS = "neighbours", "邻里关系"
    POLICY = "policy", "政策咨询"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    ONLINE = "online", "线上提交"
    GRID = "grid", "网格员代录"
    RECEPTION_DAY = "reception_day", "党代表接待日"
    WINDOW = "window", "窗口登记"


class Opinion(TimeStampedModel):
    """社情民意: the opinion-specific facts of a case of kind "opinion"; status and history live on the case."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="opinion")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    # Closed opinions that allow it appear on the public board with the person, address and body left out.
    allow_public = models.BooleanField("同意匿名公开", default=False)
    channel = models.CharField("登记渠道", max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Opinions heard at a 党代表接待日: the representative follows each of them to closure from the day's page.
    reception_day = models.ForeignKey(
        "party.ReceptionDay",
        verbose_name="接待日",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "社情民意"
        indexes = [
            models.Index(fields=["community", "category"], name="opinion_community_category"),
            models.Index(fields=["community", "allow_public"], name="opinion_community_public"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="opinion_category_valid"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="opinion_channel_valid"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.case_id}"

    def as_api(self, *, viewer, is_worker: bool) -> dict:
        data = {
            "category": self.category,
            "category_label": self.get_category_display(),
            "channel": self.channel,
            "channel_label": self.get_channel_display(),
            "allow_public": self.allow_public,
        }
        if is_worker or getattr(viewer, "is_office", False):
            data["recorded_by"] = self.recorded_by.name if self.recorded_by_id else None
            data["reception_day"] = str(self.reception_day.uuid) if self.reception_day_id else None
        return data
