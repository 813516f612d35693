"""矛盾调解: a dispute is a confidential kind of core Case. The case carries status, history, mediator (assignee),
parties (CaseParty) and follow-ups; these models hold what only mediation has."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from jumin.core.models import TimeStampedModel

# Signed agreements use core's private storage: outside MEDIA_ROOT, served only by the download view that checks
# who may see the dispute. Migration 0001 names jumin.mediation.models.private_storage; this import is that same
# function, so the migration state is unchanged and no new migration is needed.
from jumin.core.uploads import private_storage


def scan_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mediation/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


# What a signed agreement may be: PDF or a photo of the paper (no WEBP: archives print these).
SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class AboutDispute:
    """Rows hanging off a dispute say which case they are about, so the audit list can hide them with it."""

    @property
    def audit_case_id(self):
        return self.dispute.case_id


class Category(models.TextChoices):
    NOISE = "noise", "邻里噪音"
    LEAK = "leak", "漏水渗水"
    PARKING = "parking", "停车纠纷"
    FAMILY = "family", "家庭矛盾"
    PROPERTY = "property", "物业纠纷"
    OTHER = "other", "其他"


class Dispute(TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="dispute")
    category = models.CharField("纠纷类型", max_length=20, choices=Category.choices)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "矛盾纠纷"
        indexes = [models.Index(fields=["community", "category"], name="dispute_community_category")]
        constraints = [
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="dispute_category_valid")
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_category_display()}"


class NamedParty(AboutDispute, TimeStampedModel):
    """The other side as a resident names it (name and address as text): a resident must not browse the register
    to find a neighbour. Staff link the entry to a real Resident later, which makes that person a CaseParty."""

    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="named_parties")
    name = models.CharField("姓名", max_length=50)
    address = models.CharField("住址", max_length=120)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="对应居民",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "对方当事人(居民填写)"
        indexes = [models.Index(fields=["community", "dispute"], name="namedparty_community_dispute")]

    def __str__(self):
        return f"{self.name}({self.address})"


class MediationSession(AboutDispute, TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点", max_length=100)
    attendees = models.ManyToManyField(
        "people.Resident", verbose_name="到场当事人", blank=True, related_name="mediation_sessions"
    )
    other_attendees = models.CharField("其他参加人", max_length=200, blank=True)
    notes = models.TextField("调解情况", max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = verbose_name_plural = "调解记录"
        indexes = [models.Index(fields=["community", "dispute", "held_at"], name="session_community_dispute")]

    def __str__(self):
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class Agreement(AboutDispute, TimeStampedModel):
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    dispute = models.OneToOneField(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField("协议内容", max_length=5000)
    signed_scan = models.FileField("签字协议扫描件", upload_to=scan_path, storage=private_storage, blank=True)
    scan_content_type = models.CharField("扫描件类型", max_length=100, blank=True)
    signed_at = models.DateField("签字日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "调解协议"
        indexes = [models.Index(fields=["community", "signed_at"], name="agreement_community_signed")]

    def __str__(self):
        return f"{self.dispute_id} 调解协议"

    @property
    def scan_extension(self) -> str:
        return SCAN_TYPES.get(self.scan_content_type, "bin")
