"""行政代办: the community runs a hall errand for a resident. The workflow (status, history, deadline, rating) is a
core Case of kind "errand"; this row holds what only an errand has: the item, the documents, the pickup code."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from jumin.core.models import TimeStampedModel
from jumin.people.idcard import mask_phone

PHONE_VALIDATOR = RegexValidator(r"^1\d{10}$", "手机号应为以 1 开头的 11 位数字")
CODE_LENGTH = 6
MASKED_CODE = "*" * CODE_LENGTH
WRONG_CODE_LIMIT = 5


class Handover(models.TextChoices):
    """How the documents reach the community: staff collect them at home, or the resident brings them."""

    VISIT = "visit", "工作人员上门收取"
    WINDOW = "window", "居民送到服务大厅窗口"


def missing_documents(item, ready) -> list[str]:
    """Documents on the item's list the resident has not said are ready: what they still have to get."""
    ready = set(ready)
    return [name for name in item.required_documents if name not in ready]


class Errand(TimeStampedModel):
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.CASCADE, related_name="errand")
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    service_item = models.ForeignKey(
        "hall.ServiceItem", verbose_name="服务事项", on_delete=models.PROTECT, related_name="errands"
    )
    contact_phone = models.CharField("联系电话", max_length=11, validators=[PHONE_VALIDATOR])
    contact_note = models.CharField("联系方式说明", max_length=200, blank=True)
    # Names from the item's 材料清单 the resident says are ready when asking; the rest they still have to get.
    documents_ready = models.JSONField("已备好的材料", default=list, blank=True)
    handover = models.CharField("材料交接方式", max_length=10, choices=Handover.choices, default=Handover.VISIT)
    # Names from the item's 材料清单, ticked by staff when the documents are handed over.
    documents_received = models.JSONField("已收材料", default=list, blank=True)
    # Proves who may collect the result; unique per community while it can still be used: not yet collected and
    # not released. A returned (已退回) errand can never be collected, but the case engine moves it there without
    # telling the errand, so its code is released when it first blocks a new one (services._save_with_fresh_code).
    pickup_code = models.CharField("取件码", max_length=CODE_LENGTH)
    pickup_code_released = models.BooleanField("取件码已作废", default=False)
    # Wrong pickup codes typed on wrong_code_on (local date): after WRONG_CODE_LIMIT, no more tries that day.
    wrong_code_attempts = models.PositiveSmallIntegerField("当日取件码输错次数", default=0)
    wrong_code_on = models.DateField("取件码输错日期", null=True, blank=True)
    picked_up_at = models.DateTimeField("领取时间", null=True, blank=True)
    picked_up_by_name = models.CharField("领取人", max_length=50, blank=True)
    result_note = models.TextField("办理结果", max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "行政代办"
        constraints = [
            models.UniqueConstraint(
                fields=["community", "pickup_code"],
                condition=models.Q(picked_up_at__isnull=True, pickup_code_released=False),
                name="errand_live_pickup_code_unique",
            ),
        ]
        indexes = [models.Index(fields=["community", "service_item"], name="errand_community_item")]

    def __str__(self):
        return f"{self.case_id} {self.service_item_id}"

    def pickup_locked_today(self) -> bool:
        return self.wrong_code_on == timezone.localdate() and self.wrong_code_attempts >= WRONG_CODE_LIMIT

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def documents_checklist(self) -> list[tuple[str, bool, bool]]:
        """(name, received, ready) for each document on the item's list."""
        received, ready = set(self.documents_received), set(self.documents_ready)
        return [(name, name in received, name in ready) for name in self.service_item.required_documents]

    def documents_missing(self) -> list[str]:
        return missing_documents(self.service_item, self.documents_ready)

    def as_api(self, *, viewer, is_worker: bool) -> dict:
        """The errand's part of GET /api/v1/cases/{id}. The pickup code goes to the requester only; workers see
        that there is one ("******") until it has been used."""
        from jumin.cases.selectors import is_requester

        requester = is_requester(viewer, self.case)
        if requester:
            code = self.pickup_code
        elif is_worker:
            code = self.pickup_code if self.picked_up_at else MASKED_CODE
        else:
            code = None
        item = self.service_item
        return {
            "service_item": {"id": item.pk, "name": item.name, "window": str(item.window)},
            "required_documents": list(item.required_documents),
            "documents_ready": list(self.documents_ready),
            "documents_received": list(self.documents_received),
            "handover": self.handover,
            "contact_phone": self.contact_phone if requester or is_worker else self.masked_phone,
            "contact_note": self.contact_note,
            "pickup_code": code,
            "picked_up_at": self.picked_up_at.isoformat() if self.picked_up_at else None,
            "picked_up_by_name": self.picked_up_by_name,
            "result_note": self.result_note,
        }
