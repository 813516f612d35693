"""The shared closed-loop case: a resident raises something, the community takes it, works it, answers,
and the resident judges the answer. Opinions, errands and disputes are kinds of case (see kinds.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from jumin.core.models import TimeStampedModel
from jumin.core.uploads import private_storage


class Phase(models.TextChoices):
    """Where a case stands whatever its kind; the 接诉即办 figures count phases, not kind-specific statuses."""

    NEW = "new", "待受理"
    TAKEN = "taken", "办理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class Level(models.TextChoices):
    COMMUNITY = "community", "社区"
    STREET = "street", "街道"


class Case(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("编号", max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField("类型", max_length=20, db_index=True)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(
        "places.Grid", verbose_name="网格", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="提出人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=5000)
    status = models.CharField("状态", max_length=30)
    phase = models.CharField("阶段", max_length=20, choices=Phase.choices, default=Phase.NEW)
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.COMMUNITY)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    # Only the parties, the assignee and the secretary see a confidential case (mediation).
    confidential = models.BooleanField("保密", default=False)
    response_due = models.DateTimeField("受理时限")
    due_at = models.DateTimeField("办结时限")
    taken_at = models.DateTimeField("受理时间", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # 催办 at most once a day: a conditional update on this column lets only one of two simultaneous nudges through.
    reminded_at = models.DateTimeField("最近催办", null=True, blank=True)
    # A reopened case starts a new round; ratings are one per round.
    round = models.PositiveSmallIntegerField("轮次", default=1)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        db_table = "core_case"
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "事项"
        indexes = [
            models.Index(fields=["community", "kind", "phase"], name="case_community_kind_phase"),
            models.Index(fields=["community", "grid"], name="case_community_grid"),
            models.Index(fields=["community", "due_at"], name="case_community_due"),
            models.Index(fields=["community", "created_at"], name="case_community_created"),
            models.Index(fields=["assignee", "phase"], name="case_assignee_phase"),
        ]

    @property
    def audit_case_id(self):
        return self.pk

    def __str__(self):
        return f"{self.number or self.pk} {self.title}"

    @property
    def spec(self):
        from .kinds import kind_spec

        return kind_spec(self.kind)

    @property
    def status_label(self) -> str:
        return self.spec.status_label(self.status)

    @property
    def is_overdue(self) -> bool:
        from .rules import case_is_overdue

        return case_is_overdue(self)

    @property
    def done_mark(self) -> str:
        """✔ beside a case that ended with a result; nothing beside one that ended without (已退回), which a tick
        would make read as success."""
        ratable = self.spec.ratable_statuses
        return "✔" if self.phase == Phase.CLOSED and (not ratable or self.status in ratable) else ""

    @property
    def assignee_label(self) -> str:
        """承办人 as lists show it: a case handed up to the street has no one person until someone there acts."""
        if self.assignee_id:
            return self.assignee.name
        if self.level == Level.STREET:
            return "街道待办"
        return "待受理" if self.phase == Phase.NEW else "—"


class CaseParty(models.Model):
    """Residents a case concerns: the one who raised it, and for disputes the other parties."""

    class Role(models.TextChoices):
        REQUESTER = "requester", "提出人"
        PARTY = "party", "当事人"

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="case_parties")
    role = models.CharField("身份", max_length=20, choices=Role.choices, default=Role.PARTY)

    class Meta:
        db_table = "core_caseparty"
        ordering = ["id"]
        verbose_name = verbose_name_plural = "事项当事人"
        constraints = [models.UniqueConstraint(fields=["case", "resident"], name="case_party_unique")]

    def __str__(self):
        return f"{self.case_id}:{self.resident_id}"


class EventKind(models.TextChoices):
    CREATED = "created", "提交"
    TRANSITION = "transition", "状态变更"
    REPLY = "reply", "答复"
    NOTE = "note", "内部备注"
    ASSIGN = "assign", "指派"
    TRANSFER = "transfer", "转办"
    REMINDER = "reminder", "催办"
    RATING = "rating", "评价"
    FOLLOW_UP = "follow_up", "回访"
    REOPEN = "reopen", "重新办理"
    ATTACHMENT = "attachment", "附件"


class CaseEvent(models.Model):
    """Append-only history of a case: who moved it, when, from what to what, with what comment."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=EventKind.choices)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    comment = models.TextField("说明", blank=True, max_length=5000)
    # Internal notes stay with staff; everything else is shown to the resident.
    public = models.BooleanField("居民可见", default=True)

    class Meta:
        db_table = "core_caseevent"
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "事项记录"
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_time")]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"


def attachment_path(instance, filename):
    # The extension follows the sniffed type, never the sender's name ("photo.html" holding a PNG is stored .png).
    from jumin.core.uploads import EXTENSIONS

    ext = EXTENSIONS.get(instance.content_type, "bin")
    return f"cases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class CaseAttachment(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to=attachment_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    public = models.BooleanField("居民可见", default=True)

    class Meta:
        db_table = "core_caseattachment"
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "事项附件"

    def __str__(self):
        return self.name


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class CaseRating(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField("轮次")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    value = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    comment = models.CharField("评价", max_length=500, blank=True)

    class Meta:
        db_table = "core_caserating"
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "满意度评价"
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="case_rating_one_per_round")]

    def __str__(self):
        return f"{self.case_id} {self.get_value_display()}"


class CaseFollowUp(TimeStampedModel):
    """回访: staff call or visit the resident after closing."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话回访"
        VISIT = "visit", "上门回访"
        ONLINE = "online", "线上回访"

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField("方式", max_length=20, choices=Method.choices)
    note = models.TextField("回访情况", max_length=2000)

    class Meta:
        db_table = "core_casefollowup"
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "回访记录"

    def __str__(self):
        return f"{self.case_id} {self.get_method_display()}"


class Notification(models.Model):
    """In-app inbox message; SMS goes out through the configured backend at the same time."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField("标题", max_length=100)
    body = models.CharField("内容", max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_notification"
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内通知"
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.title
