"""The one-stop service hall's catalogue: numbered windows and the service items each window handles."""

from django.core.exceptions import ValidationError
from django.db import models

from jumin.core.models import TimeStampedModel

WINDOW_NUMBERS = (1, 12)


class Window(TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("窗口号")
    name = models.CharField("名称", max_length=30)

    class Meta:
        ordering = ["community", "number"]
        verbose_name = verbose_name_plural = "服务窗口"
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="window_unique_number"),
            models.UniqueConstraint(fields=["community", "name"], name="window_unique_name"),
            models.CheckConstraint(
                condition=models.Q(number__gte=WINDOW_NUMBERS[0], number__lte=WINDOW_NUMBERS[1]),
                name="window_number_range",
            ),
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

    class Meta:
        ordering = ["window__number", "id"]
        verbose_name = verbose_name_plural = "服务事项"
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="serviceitem_unique_name"),
            models.CheckConstraint(
                condition=models.Q(time_limit_working_days__gte=1, time_limit_working_days__lte=60),
                name="serviceitem_time_limit_range",
            ),
        ]
        indexes = [models.Index(fields=["community", "window"], name="serviceitem_community_window")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.window_id and self.community_id and self.window.community_id != self.community_id:
            raise ValidationError({"window": "窗口须属于同一社区"})
        self.required_documents = clean_documents(self.required_documents)
