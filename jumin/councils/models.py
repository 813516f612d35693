"""5+5: the five self-governance systems and the five councils of a community, with members and their terms,
meetings (minutes, attendance) and activities."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel


class Kind(models.TextChoices):
    SYSTEM = "system", "自治体系"
    COUNCIL = "council", "理事会"


# The five systems and the five councils every community has (code, name, what it does).
DEFAULTS = [
    (Kind.SYSTEM, "deliberation", "居民议事", "居民提出、商议和表决小区与社区的公共事务"),
    (Kind.SYSTEM, "volunteering", "志愿服务", "组织居民志愿者参与社区服务"),
    (Kind.SYSTEM, "compound_board", "小区理事会", "各小区居民推选的理事,协调小区日常自治事务"),
    (Kind.SYSTEM, "residents_committee", "居民委员会", "依法选举产生的群众性自治组织"),
    (Kind.SYSTEM, "oversight", "居民监督", "监督议事决定、表决结果和资金使用的公开"),
    (Kind.COUNCIL, "weddings_funerals", "红白理事会", "倡导婚事新办、丧事简办,移风易俗"),
    (Kind.COUNCIL, "culture_sports", "文体娱乐理事会", "组织文艺演出、体育健身活动"),
    (Kind.COUNCIL, "harmony", "和谐理事会", "化解邻里矛盾,促进邻里和睦"),
    (Kind.COUNCIL, "civility", "文明倡导理事会", "倡导文明新风,评选文明家庭"),
    (Kind.COUNCIL, "youth", "青少年理事会", "关心青少年成长,组织假期活动"),
]


class Council(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    code = models.SlugField("代码", max_length=30)
    name = models.CharField("名称", max_length=30)
    description = models.CharField("职责", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["community_id", "position", "id"]
        verbose_name = verbose_name_plural = "自治组织"
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="council_code_unique_per_community"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="council_kind_valid"),
        ]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", "会长/主任"
    VICE = "vice", "副会长/副主任"
    SECRETARY = "secretary", "秘书长"
    MEMBER = "member", "成员"


class CouncilMember(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, verbose_name="组织", on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey("people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束")
    ended_on = models.DateField("提前离任", null=True, blank=True)

    class Meta:
        ordering = ["council_id", "role", "id"]
        verbose_name = verbose_name_plural = "组织成员"
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=F("term_start")), name="member_term_ends_after_start"),
            models.UniqueConstraint(
                fields=["council", "resident"], condition=Q(ended_on__isnull=True), name="member_once_while_serving"
            ),
            models.CheckConstraint(condition=Q(role__in=MemberRole.values), name="member_role_valid"),
        ]

    def __str__(self):
        return f"{self.council_id}/{self.resident_id}"


class CouncilMeeting(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, verbose_name="组织", on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField("召开时间")
    topic = models.CharField("议题", max_length=100)
    minutes = models.TextField("会议纪要", max_length=5000)
    attendees = models.ManyToManyField("people.Resident", verbose_name="出席成员", blank=True, related_name="+")
    absent_note = models.CharField("缺席说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = verbose_name_plural = "组织会议"

    def __str__(self):
        return self.topic


class CouncilActivity(TimeStampedModel):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, verbose_name="组织", on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField("日期")
    title = models.CharField("活动", max_length=100)
    summary = models.TextField("活动情况", max_length=3000)
    participants = models.PositiveIntegerField("参与人数", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "组织活动"
        constraints = [models.CheckConstraint(condition=Q(participants__lte=100000), name="activity_participants_sane")]

    def __str__(self):
        return self.title
