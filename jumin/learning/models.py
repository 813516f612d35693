"""灯塔加油站 (the learning station): courses and their materials, assignments to members or organisations with a
due date, study records (time, completion, quiz score), and the on-site sessions where a tutor signs older members
in and records what each studied.

A member's record of study is a row per occasion (on the phone, or at the station), never a counter that two
devices could overwrite: completion is "some record of this course is completed"."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jumin.core.models import TimeStampedModel
from jumin.core.uploads import private_storage

MAX_MINUTES = 600


class Course(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("课程名称", max_length=100)
    summary = models.CharField("简介", max_length=200, blank=True)
    body = models.TextField("学习内容", blank=True)
    video_url = models.URLField("视频链接", max_length=500, blank=True)
    minutes = models.PositiveSmallIntegerField("建议学习时长(分钟)", default=30)
    # Percent of the questions answered right; the quiz exists when the course has questions.
    pass_mark = models.PositiveSmallIntegerField("及格线(%)", default=60)
    published = models.BooleanField("已发布", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "学习课程"
        constraints = [
            models.UniqueConstraint(fields=["community", "title"], name="course_unique_title"),
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=MAX_MINUTES), name="course_minutes_range"),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="course_pass_mark_range"),
        ]

    def __str__(self):
        return self.title


def document_path(instance, filename):
    return f"learning/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class CourseDocument(TimeStampedModel):
    """A document of a course (PDF or picture), in private storage; served only to who may see the course."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="documents")
    file = models.FileField("文件", upload_to=document_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")

    class Meta:
        ordering = ["course_id", "id"]
        verbose_name = verbose_name_plural = "课程资料"

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        from jumin.core.uploads import EXTENSIONS

        return EXTENSIONS.get(self.content_type, "bin")


class Question(TimeStampedModel):
    """One question of a course's quiz: its choices (2–6 texts) and the index of the right one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("题目", max_length=300)
    choices = models.JSONField("选项")
    answer = models.PositiveSmallIntegerField("正确选项")

    class Meta:
        ordering = ["course_id", "position", "id"]
        verbose_name = verbose_name_plural = "测验题"
        constraints = [models.UniqueConstraint(fields=["course", "position"], name="question_unique_position")]

    def __str__(self):
        return self.text


class Assignment(TimeStampedModel):
    """A course set for one member or for an organisation (which reaches its members and those of every
    organisation below it), to be done by `due_on`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(
        "party.PartyOrg", verbose_name="党组织", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "party.PartyMember", verbose_name="党员", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField("截止日期")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="布置人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "学习任务"
        indexes = [models.Index(fields=["community", "due_on"], name="assignment_community_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(org__isnull=False, member__isnull=True) | Q(org__isnull=True, member__isnull=False),
                name="assignment_one_target",
            ),
            models.UniqueConstraint(
                fields=["course", "org"], condition=Q(org__isnull=False), name="assignment_once_per_org"
            ),
            models.UniqueConstraint(
                fields=["course", "member"], condition=Q(member__isnull=False), name="assignment_once_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.course_id} → {self.org_id or self.member_id}"


class StudySession(TimeStampedModel):
    """到站学习: a tutor's session at the station, on the community's computers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="辅导员", on_delete=models.PROTECT, related_name="study_sessions"
    )
    place = models.CharField("地点", max_length=100)
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Wrong sign-in codes typed in this session: past a limit the code is refused (no guessing six digits).
    failed_codes = models.PositiveSmallIntegerField("签到码错误次数", default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "到站学习"
        indexes = [models.Index(fields=["community", "-started_at"], name="studysession_community_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="studysession_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%Y年%-m月%-d日}到站学习"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class SignInMethod(models.TextChoices):
    PHONE = "phone", "手机号"
    ID_TAIL = "id_tail", "姓名+身份证后四位"
    CODE = "code", "手机签到码"


class Attendance(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        StudySession, verbose_name="到站学习", on_delete=models.CASCADE, related_name="attendees"
    )
    member = models.ForeignKey("party.PartyMember", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("签到方式", max_length=10, choices=SignInMethod.choices)
    signed_in_at = models.DateTimeField("签到时间")
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签到经办", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "signed_in_at", "id"]
        verbose_name = verbose_name_plural = "到站签到"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_session"),
            models.CheckConstraint(condition=Q(method__in=SignInMethod.values), name="attendance_method_valid"),
        ]

    def __str__(self):
        return f"{self.session_id}:{self.member_id}"


class SignInCode(models.Model):
    """The short-lived code (and its QR) a member's phone shows, for the tutor to type or scan: one per member,
    renewed when it expires, used once."""

    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    member = models.OneToOneField("party.PartyMember", on_delete=models.CASCADE, related_name="signin_code")
    code = models.CharField("签到码", max_length=6)
    expires_at = models.DateTimeField("有效期至")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "签到码"
        constraints = [models.UniqueConstraint(fields=["community", "code"], name="signincode_unique_in_community")]

    def __str__(self):
        return f"{self.member_id}"


class Channel(models.TextChoices):
    PHONE = "phone", "手机自学"
    STATION = "station", "到站学习"


class StudyRecord(TimeStampedModel):
    """学习记录: one occasion of study of one course by one member."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    # Copied from the member so a grid worker's scope filters records without a join.
    grid = models.ForeignKey("places.Grid", verbose_name="网格", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "party.PartyMember", verbose_name="党员", on_delete=models.PROTECT, related_name="study_records"
    )
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="records")
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    session = models.ForeignKey(
        StudySession, verbose_name="到站学习", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    studied_at = models.DateTimeField("学习时间")
    minutes = models.PositiveSmallIntegerField("学习时长(分钟)")
    completed = models.BooleanField("已学完", default=False)
    score = models.PositiveSmallIntegerField("测验得分", null=True, blank=True)
    passed = models.BooleanField("测验通过", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    # The phone page's one-time form token: pressing 提交 twice records the study once.
    nonce = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-studied_at", "-id"]
        verbose_name = verbose_name_plural = "学习记录"
        indexes = [
            models.Index(fields=["community", "-studied_at"], name="studyrecord_community_time"),
            models.Index(fields=["member", "course"], name="studyrecord_member_course"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_MINUTES), name="studyrecord_minutes_range"
            ),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="studyrecord_score_range"),
            models.CheckConstraint(
                condition=Q(channel="station", session__isnull=False) | Q(channel="phone", session__isnull=True),
                name="studyrecord_channel_session",
            ),
            # What a tutor records for a member in a session is one record per course, whoever presses twice.
            models.UniqueConstraint(
                fields=["session", "member", "course"],
                condition=Q(session__isnull=False),
                name="studyrecord_once_per_session_course",
            ),
        ]

    def __str__(self):
        return f"{self.member_id}:{self.course_id}"
