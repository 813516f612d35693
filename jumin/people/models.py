import datetime
import uuid

from django.db import models
from django.db.models.functions import Left, Right, StrIndex, Substr

from jumin.core.models import TimeStampedModel

from .fields import IdNumberField

ELDERLY_AGE = 60


class Tag(TimeStampedModel):
    """A label for precise service (低保, 下岗, 残疾, 退役军人, 党员 …). Elderly is derived from birth date, not tagged."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "标签"

    def __str__(self):
        return self.name


class Household(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("places.Grid", verbose_name="网格", on_delete=models.PROTECT, related_name="households")
    compound = models.ForeignKey(
        "places.Compound", verbose_name="小区", on_delete=models.PROTECT, related_name="households"
    )
    dwelling = models.ForeignKey(
        "places.Dwelling", verbose_name="房屋", on_delete=models.PROTECT, related_name="households"
    )
    head_name = models.CharField("户主姓名", max_length=50)
    member_count = models.PositiveSmallIntegerField("在册人数", default=0)
    # Bumped by every change to the household or its members; edit forms carry it so a stale save is refused.
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "户"
        indexes = [
            models.Index(fields=["community", "grid"], name="household_community_grid"),
            models.Index(fields=["community", "compound"], name="household_community_compound"),
        ]

    def __str__(self):
        return f"{self.dwelling.address}({self.head_name}户)"


class Relationship(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    MOVED_OUT = "moved_out", "已迁出"
    DECEASED = "deceased", "已故"


class ResidentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ResidentStatus.ACTIVE)

    def aged_at_least(self, years: int, today: datetime.date | None = None):
        today = today or datetime.date.today()
        return self.filter(birth_date__lte=_years_before(today, years))

    def aged_below(self, years: int, today: datetime.date | None = None):
        today = today or datetime.date.today()
        return self.filter(birth_date__gt=_years_before(today, years))


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Resident(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="members")
    # Copied from the household so grid workers' scope filters residents without a join.
    grid = models.ForeignKey("places.Grid", verbose_name="网格", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    # "zsf zhangsanfeng": initials then full pinyin, for search by either.
    name_pinyin = models.CharField("姓名拼音", max_length=200, editable=False)
    # Its two halves as columns the database keeps in step, so a search is an index range, not a LIKE over every row.
    name_initials = models.GeneratedField(
        expression=Left("name_pinyin", StrIndex("name_pinyin", models.Value(" ")) - 1),
        output_field=models.CharField(max_length=50),
        db_persist=True,
        verbose_name="姓名拼音首字母",
    )
    name_full = models.GeneratedField(
        expression=Substr("name_pinyin", StrIndex("name_pinyin", models.Value(" ")) + 1),
        output_field=models.CharField(max_length=150),
        db_persist=True,
        verbose_name="姓名全拼",
    )
    relationship = models.CharField("与户主关系", max_length=20, choices=Relationship.choices)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number = IdNumberField("身份证号", max_length=18)
    # Not unique: a person who moved out of one community keeps that row as history and gets a new one where they
    # are registered next. At most one row per ID number is 在册 (the constraint below); lookups use this index.
    id_hash = models.CharField("身份证号索引", max_length=64, db_index=True, editable=False)
    id_masked = models.CharField("身份证号(脱敏)", max_length=18, editable=False)
    id_tail = models.CharField("身份证号后四位", max_length=4, editable=False)
    phone = models.CharField("手机号", max_length=11, blank=True)
    # For the search by 手机尾号: `phone LIKE '%1234'` cannot use an index.
    phone_tail = models.GeneratedField(
        expression=Right("phone", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name="手机号后四位",
    )
    tags = models.ManyToManyField(Tag, verbose_name="标签", through="ResidentTag", blank=True, related_name="+")
    status = models.CharField("状态", max_length=20, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE)
    moved_out_on = models.DateField("迁出日期", null=True, blank=True)
    moved_out_reason = models.CharField("迁出原因", max_length=200, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = verbose_name_plural = "居民"
        # Led by community_id, as every staff query is. The list pages read residents in household order and count
        # them: (community, status, household) serves both from the index alone, without sorting 94k rows.
        indexes = [
            models.Index(fields=["community", "status", "household"], name="resident_community_list"),
            models.Index(fields=["community", "grid", "status", "household"], name="resident_community_grid"),
            models.Index(fields=["community", "birth_date", "status", "household"], name="resident_community_birth"),
            models.Index(fields=["community", "id_tail"], name="resident_community_idtail"),
            models.Index(fields=["community", "phone_tail"], name="resident_community_phonetail"),
            models.Index(fields=["community", "phone"], name="resident_community_phone"),
            models.Index(fields=["community", "name_initials"], name="resident_community_initials"),
            models.Index(fields=["community", "name_full"], name="resident_community_fullpinyin"),
        ]
        constraints = [
            # Two staff registering the same person at once: this stops the second, whatever the checks saw.
            models.UniqueConstraint(
                fields=["id_hash"], condition=models.Q(status="active"), name="resident_one_active_per_id_number"
            )
        ]

    def __str__(self):
        return self.name

    def age(self, today: datetime.date | None = None) -> int:
        return age_on(self.birth_date, today or datetime.date.today())

    @property
    def is_elderly(self) -> bool:
        return self.age() >= ELDERLY_AGE


class ResidentTag(models.Model):
    community = models.ForeignKey("places.Community", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="resident_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="resident_tags")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "居民标签"
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="resident_tag_unique")]
        indexes = [models.Index(fields=["community", "tag"], name="residenttag_community_tag")]

    def __str__(self):
        return f"{self.resident_id}:{self.tag_id}"


class ActivationAttempt(models.Model):
    """Activation requests counted per client address and per phone number (keyed hash: no phone stored), so the
    ~1,000 guesses a known age leaves for an ID number are impractical (services.activation_request)."""

    key = models.CharField("键", max_length=80, unique=True)
    window_start = models.DateTimeField("计数起点")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "激活尝试计数"

    def __str__(self):
        return f"{self.key}:{self.count}"


class ActivationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class Activation(TimeStampedModel):
    """A resident's request to bind a login to their register entry; staff approve it."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, verbose_name="居民", on_delete=models.CASCADE, related_name="activations")
    user = models.ForeignKey("core.User", verbose_name="账号", on_delete=models.CASCADE, related_name="activations")
    status = models.CharField("状态", max_length=20, choices=ActivationStatus.choices, default=ActivationStatus.PENDING)
    decided_by = models.ForeignKey(
        "core.User", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.CharField("驳回原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "账号激活申请"
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(status="pending"),
                name="activation_one_pending_per_resident",
            )
        ]

    def __str__(self):
        return f"{self.resident} {self.get_status_display()}"
