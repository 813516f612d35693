import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    RESIDENT = "resident", "居民"
    GRID_WORKER = "grid_worker", "网格员"
    WINDOW_STAFF = "window_staff", "窗口工作人员"
    MEDIATOR = "mediator", "调解员"
    SECRETARY = "secretary", "社区书记/管理员"
    STREET_LEADER = "street_leader", "街道领导"
    PARTNER_MEMBER = "partner_member", "共建单位成员"
    VENDOR = "vendor", "商家"
    FACTORY_CONTACT = "factory_contact", "工厂联系人"
    VOLUNTEER = "volunteer", "志愿者"
    PARTY_REP = "party_rep", "党代表"
    # Guides party members who cannot use a phone through their study (灯塔加油站).
    TUTOR = "tutor", "辅导员"
    # The hall's self-service kiosk: a device account that only issues queue tickets.
    KIOSK = "kiosk", "大厅取号机"


# Roles that work in the back office of one community (the street leader sees the whole street).
COMMUNITY_STAFF_ROLES = {
    Role.GRID_WORKER,
    Role.WINDOW_STAFF,
    Role.MEDIATOR,
    Role.SECRETARY,
    Role.PARTY_REP,
}
OFFICE_ROLES = COMMUNITY_STAFF_ROLES | {Role.STREET_LEADER}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("手机号必填")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.SECRETARY)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    """A login. Staff are scoped to a community (grid workers also to grids); street leaders to a street."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField("手机号", max_length=11, unique=True)
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.RESIDENT)
    street = models.ForeignKey(
        "places.Street", verbose_name="街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "places.Community",
        verbose_name="社区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    grids = models.ManyToManyField("places.Grid", verbose_name="负责网格", blank=True, related_name="workers")
    resident = models.OneToOneField(
        "people.Resident",
        verbose_name="绑定居民",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    elder_mode = models.BooleanField("长辈模式", default=False)
    # Bumped whenever this user's messages arrive or are read: the key under which the header's unread count is
    # cached, so every page need not count (cases.selectors.unread_count).
    notifications_version = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField("启用", default=True)
    is_staff = models.BooleanField("可进入数据录入后台", default=False)

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()

    class Meta:
        ordering = ["phone"]
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return f"{self.name}({self.get_role_display()})"

    def clean(self):
        if self.role in COMMUNITY_STAFF_ROLES and not self.community_id:
            raise ValidationError({"community": "社区工作人员必须归属一个社区"})
        if self.role == Role.STREET_LEADER and not self.street_id:
            raise ValidationError({"street": "街道领导必须归属一个街道"})

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT


class AuditEvent(models.Model):
    """Append-only record of who changed what. Services write it in the same transaction as the change."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        "places.Community", verbose_name="社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set for every event about a case, so the audit list can hide confidential cases (mediation) from staff
    # who may not see them: the summary names the case and its parties.
    case = models.ForeignKey(
        "cases.Case", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("动作", max_length=50)
    target_type = models.CharField("对象类型", max_length=50)
    target_id = models.CharField("对象编号", max_length=64)
    summary = models.CharField("摘要", max_length=200)
    # {"field": [old, new]}; never holds full ID numbers or phone numbers.
    changes = models.JSONField("变更", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "操作记录"
        indexes = [
            models.Index(fields=["community", "-created_at"], name="audit_community_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("操作记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("操作记录不可删除")


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_limits(now) -> tuple[datetime.datetime, datetime.datetime]:
    """A token is honoured when created after the first time and last used (or, never used, created) after the
    second: younger than API_TOKEN_MAX_DAYS and used within API_TOKEN_IDLE_DAYS (a lost phone's token dies on its
    own)."""
    return (
        now - datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS),
        now - datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS),
    )


class ApiTokenQuerySet(models.QuerySet):
    def for_raw(self, raw: str):
        """The live token with this value and its active user, else None. One lookup on the unique hash, the limits
        checked on the row: the API's every request goes through here."""
        try:
            token = self.select_related("user").get(key_hash=_hash_token(raw))
        except self.model.DoesNotExist:
            return None
        return token if token.user.is_active and token.is_live(timezone.now()) else None

    def live(self, now=None):
        """Tokens still honoured (`_token_limits`)."""
        created_after, idle_since = _token_limits(now or timezone.now())
        return self.filter(created_at__gte=created_after).filter(
            models.Q(last_used_at__gte=idle_since) | models.Q(last_used_at__isnull=True, created_at__gte=idle_since)
        )


class ApiToken(TimeStampedModel):
    """Bearer token for the mobile API; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.user} 的令牌"

    def is_live(self, now) -> bool:
        created_after, idle_since = _token_limits(now)
        return self.created_at >= created_after and (self.last_used_at or self.created_at) >= idle_since

    @classmethod
    def issue(cls, user) -> str:
        raw = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=_hash_token(raw))
        return raw


class Holiday(models.Model):
    """Calendar exceptions for working-day deadlines: public holidays, and weekend days worked instead (调休)."""

    class Source(models.TextChoices):
        CALENDAR = "calendar", "国务院放假安排"
        STAFF = "staff", "工作人员更正"

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("名称", max_length=50, blank=True)
    # A day staff corrected is never overwritten when the calendar is seeded again.
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.STAFF)
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日"

    def __str__(self):
        return f"{self.date} {self.name}"


class JobRun(models.Model):
    """When each clock job (core.registry.Job) last started and how it went; starting is a compare-and-set on
    `started_at`, so two runners (two cron hosts, a slow run overlapping the next) never run one job twice."""

    code = models.CharField("任务", max_length=60, unique=True)
    started_at = models.DateTimeField("上次开始", null=True, blank=True)
    finished_at = models.DateTimeField("上次结束", null=True, blank=True)
    succeeded = models.BooleanField("上次成功", null=True)
    summary = models.CharField("上次结果", max_length=300, blank=True)
    runs = models.PositiveIntegerField("运行次数", default=0)
    failures = models.PositiveIntegerField("失败次数", default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "计划任务运行记录"

    def __str__(self):
        return self.code


class DataVersion(models.Model):
    """A version the database itself moves on every write to a set of tables (core.dataversion installs the
    triggers): caches of what those tables show key on it, so no code path (bulk writes, admin, raw SQL) can leave
    one stale. `epoch` is new and random at every move, so no rolled-back write or restored database can bring an
    old key back; `version` counts the moves."""

    name = models.CharField("名称", max_length=40, primary_key=True)
    epoch = models.CharField("纪元", max_length=32)
    version = models.BigIntegerField("版本", default=0)
    # PostgreSQL: the transaction and statement that last moved it (core.dataversion says why).
    writer = models.CharField("最近写入", max_length=80, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据版本"

    def __str__(self):
        return f"{self.name} {self.epoch}.{self.version}"
