"""双报到服务任务: members employed elsewhere report to the community where they live (双报到) and take on service
tasks there — a shift at the station, visits to elderly neighbours, a clean-up. An organisation offers a task with a
number of places; a member signs up for it or the secretary gives it to them, and its completion (hours, what was
done) is recorded and rolled up the tree."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel


class ServiceTask(TimeStampedModel):
    """`taken` moves only by conditional updates, so it never passes `capacity`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    # The offering organisation: members of it and of everything below it may take the task.
    org = models.ForeignKey(
        "party.PartyOrg", verbose_name="发布组织", on_delete=models.PROTECT, related_name="service_tasks"
    )
    title = models.CharField("任务", max_length=100)
    detail = models.CharField("内容", max_length=500, blank=True)
    date = models.DateField("服务日期")
    place = models.CharField("地点", max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField("人数")
    taken = models.PositiveSmallIntegerField("已领办", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "双报到服务任务"
        indexes = [models.Index(fields=["community", "date"], name="servicetask_community_date")]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="servicetask_not_overtaken"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="servicetask_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def left(self) -> int:
        return self.capacity - self.taken

    @property
    def audit_case_id(self):
        return None


class ClaimSource(models.TextChoices):
    SIGNED_UP = "signed_up", "本人认领"
    ASSIGNED = "assigned", "组织分派"


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "已领办"
    DONE = "done", "已完成"


class ServiceTaskClaim(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(ServiceTask, verbose_name="任务", on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(
        "party.PartyMember", verbose_name="党员", on_delete=models.PROTECT, related_name="task_claims"
    )
    source = models.CharField("来源", max_length=20, choices=ClaimSource.choices)
    status = models.CharField("状态", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED)
    hours = models.DecimalField("服务时长(小时)", max_digits=4, decimal_places=1, null=True, blank=True)
    result = models.CharField("完成情况", max_length=300, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="领办登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["task_id", "id"]
        verbose_name = verbose_name_plural = "双报到任务领办"
        constraints = [
            models.UniqueConstraint(fields=["task", "member"], name="taskclaim_once_per_member"),
            models.CheckConstraint(
                condition=Q(status="claimed", done_at__isnull=True)
                | Q(status="done", done_at__isnull=False, hours__isnull=False),
                name="taskclaim_done_has_time_and_hours",
            ),
        ]

    def __str__(self):
        return f"{self.task_id}:{self.member_id} {self.get_status_display()}"
