"""共建单位: enterprises, schools, agencies that build the community with it — who they are, who their people are and
what they offer. The party organisation draws part-time committee members (兼职委员) from them; the shared-resources
issue books what they offer (PartnerResource)."""

import uuid

from django.conf import settings
from django.db import models

from jumin.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    SCHOOL = "school", "学校"
    HEALTH = "health", "医疗卫生"
    AGENCY = "agency", "机关事业单位"
    POLICE = "police", "公安交警"
    SOCIAL = "social", "社会组织"
    OTHER = "other", "其他"


class PartnerUnit(TimeStampedModel):
    """A partner unit of the street (on the 街道大工委, `community` empty) or of one community."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    street = models.ForeignKey("places.Street", verbose_name="街道", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "places.Community", verbose_name="社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    note = models.TextField("共建内容", max_length=2000, blank=True)
    active = models.BooleanField("共建中", default=True)

    class Meta:
        ordering = ["community_id", "name"]
        verbose_name = verbose_name_plural = "共建单位"
        constraints = [
            models.UniqueConstraint(fields=["street", "community", "name"], name="partner_unit_unique_name"),
            models.UniqueConstraint(
                fields=["street", "name"], condition=models.Q(community__isnull=True), name="partner_unit_street_name"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=UnitKind.values), name="partner_unit_kind_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def level_label(self) -> str:
        return "街道" if self.community_id is None else "社区"


class ResourceKind(models.TextChoices):
    ROOM = "room", "场地"
    STAFF = "staff", "人员工时"
    SERVICE = "service", "服务"
    EQUIPMENT = "equipment", "设备物资"


class PartnerResource(TimeStampedModel):
    """Something a unit offers the community: a room, staff hours, a service, equipment."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(PartnerUnit, verbose_name="共建单位", on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("类型", max_length=20, choices=ResourceKind.choices)
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=500, blank=True)
    active = models.BooleanField("可用", default=True)
    # Bumped by every approval of a booking of this resource: the row approvals of one resource queue on, so
    # the overlap check of the second sees what the first approved (bookings.booking_decide).
    booking_version = models.PositiveIntegerField("预约版本", default=0, editable=False)

    class Meta:
        ordering = ["unit_id", "kind", "name"]
        verbose_name = verbose_name_plural = "共建资源"
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="partner_resource_unique_name"),
            models.CheckConstraint(condition=models.Q(kind__in=ResourceKind.values), name="partner_resource_kind"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.name}"


class PartnerMember(TimeStampedModel):
    """A person of a partner unit who works with the community; `user` when they sign in (共建单位成员)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(PartnerUnit, verbose_name="共建单位", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=11, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_member",
    )

    class Meta:
        ordering = ["unit_id", "id"]
        verbose_name = verbose_name_plural = "共建单位成员"

    def __str__(self):
        return f"{self.name}({self.unit})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "待召开"
    HELD = "held", "已召开"


class JointMeeting(TimeStampedModel):
    """党建联席会议 of a community with its partner units: agenda, attendance, minutes and resolutions."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("会议名称", max_length=100)
    held_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=100)
    agenda = models.TextField("议程", max_length=2000)
    minutes = models.TextField("会议纪要", max_length=10000, blank=True)
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="召集人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = verbose_name_plural = "党建联席会议"
        indexes = [models.Index(fields=["community", "held_at"], name="jointmeeting_community_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values), name="jointmeeting_status_valid"
            )
        ]

    def __str__(self):
        return self.title


class MeetingAttendance(TimeStampedModel):
    """A unit invited to a meeting, who came for it, and whether they were there."""

    meeting = models.ForeignKey(JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance")
    unit = models.ForeignKey(PartnerUnit, verbose_name="共建单位", on_delete=models.PROTECT, related_name="attendance")
    attendee = models.CharField("参会人", max_length=50, blank=True)
    present = models.BooleanField("出席", default=False)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = verbose_name_plural = "参会单位"
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="attendance_one_per_unit")]

    def __str__(self):
        return f"{self.meeting_id}:{self.unit_id}"


class Resolution(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField("序号")
    text = models.CharField("决议内容", max_length=500)

    class Meta:
        ordering = ["meeting_id", "number"]
        verbose_name = verbose_name_plural = "会议决议"
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="resolution_unique_number")]

    def __str__(self):
        return f"{self.meeting_id}-{self.number}"


class JointTask(TimeStampedModel):
    """难题共办: a resolution that needs work, as a case on the engine with an owner unit, a deadline and progress."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="joint_task")
    meeting = models.ForeignKey(JointMeeting, verbose_name="会议", on_delete=models.PROTECT, related_name="tasks")
    resolution = models.OneToOneField(Resolution, verbose_name="决议", on_delete=models.PROTECT, related_name="task")
    owner_unit = models.ForeignKey(PartnerUnit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="tasks")
    deadline = models.DateField("完成时限")
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = verbose_name_plural = "难题共办"
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="jointtask_progress_max")]

    def __str__(self):
        return f"{self.case_id} {self.owner_unit_id}"


class TaskProgress(TimeStampedModel):
    """A progress report on a joint task, by the owner unit's member or the community."""

    task = models.ForeignKey(JointTask, verbose_name="难题共办", on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT, related_name="+"
    )
    progress = models.PositiveSmallIntegerField("进度(%)")
    note = models.CharField("进展", max_length=500)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "难题共办进展"
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="taskprogress_max")]

    def __str__(self):
        return f"{self.task_id} {self.progress}%"

    @property
    def audit_case_id(self):
        return self.task.case_id


class Availability(TimeStampedModel):
    """When a resource may be booked: a weekday and hours (several rows for several windows)."""

    resource = models.ForeignKey(
        PartnerResource, verbose_name="资源", on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField("星期", help_text="0 星期一 … 6 星期日")
    starts = models.TimeField("开始")
    ends = models.TimeField("结束")

    class Meta:
        ordering = ["resource_id", "weekday", "starts"]
        verbose_name = verbose_name_plural = "可预约时间"
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="availability_weekday_valid"),
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="availability_ends_after"),
        ]

    def __str__(self):
        return f"{self.resource_id} {self.weekday} {self.starts}-{self.ends}"


class BookerKind(models.TextChoices):
    COMMUNITY = "community", "社区"
    COUNCIL = "council", "理事会"
    GROUP = "group", "居民团体"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"
    CANCELLED = "cancelled", "已取消"


class ResourceBooking(TimeStampedModel):
    """A booking of a partner unit's resource by the community, a council or a residents' group, approved by the
    unit. Two approved bookings of one resource never overlap: approval goes through the resource's
    `booking_version` (bookings.booking_decide), which serialises approvals of one resource on SQLite and
    PostgreSQL alike."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource = models.ForeignKey(
        PartnerResource, verbose_name="资源", on_delete=models.PROTECT, related_name="bookings"
    )
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    booker_kind = models.CharField("预约方", max_length=20, choices=BookerKind.choices)
    booker_name = models.CharField("预约单位/团体", max_length=100)
    purpose = models.CharField("用途", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    status = models.CharField("状态", max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    reason = models.CharField("未批准原因", max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = verbose_name_plural = "共建资源预约"
        indexes = [models.Index(fields=["resource", "status", "starts_at"], name="booking_resource_time")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"),
            models.CheckConstraint(condition=models.Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(condition=models.Q(booker_kind__in=BookerKind.values), name="booking_kind_valid"),
        ]

    def __str__(self):
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}"
