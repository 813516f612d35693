import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jumin.core.models import TimeStampedModel


class Book(TimeStampedModel):
    """A title on the shelves of 好家风阅览室 with its copies. `available` copies are on the shelf, `reserved`
    ones wait on the hold shelf for a reader; both move only by conditional updates, so two loans of the last
    copy at once give one loan."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("书名", max_length=200)
    author = models.CharField("作者", max_length=100, blank=True)
    isbn = models.CharField("ISBN", max_length=13, blank=True, help_text="10 位或 13 位,不含连字符")
    shelf = models.CharField("书架位置", max_length=50, blank=True)
    donated_by = models.CharField("捐赠人", max_length=100, blank=True)
    copies = models.PositiveIntegerField("册数", default=1)
    available = models.PositiveIntegerField("在架", default=1)
    reserved = models.PositiveIntegerField("预约保留", default=0)
    loan_count = models.PositiveIntegerField("借阅次数", default=0)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = verbose_name_plural = "图书"
        indexes = [
            models.Index(fields=["community", "isbn"], name="book_community_isbn"),
            models.Index(fields=["community", "-loan_count"], name="book_community_popular"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0, reserved__gte=0), name="book_counts_not_negative"),
            models.CheckConstraint(condition=Q(available__lte=F("copies") - F("reserved")), name="book_within_copies"),
            models.CheckConstraint(condition=Q(copies__gte=1), name="book_has_a_copy"),
            models.UniqueConstraint(fields=["community", "isbn"], condition=~Q(isbn=""), name="book_one_row_per_isbn"),
        ]

    def __str__(self):
        return self.title

    @property
    def on_loan(self) -> int:
        return self.copies - self.available - self.reserved


class Loan(TimeStampedModel):
    """One copy lent to a reader at the desk: due date, renewals, return, and the overdue reminders sent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    book = models.ForeignKey(Book, verbose_name="图书", on_delete=models.PROTECT, related_name="loans")
    resident = models.ForeignKey("people.Resident", verbose_name="读者", on_delete=models.PROTECT, related_name="+")
    lent_at = models.DateTimeField("借出时间")
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("应还日期")
    renewals = models.PositiveSmallIntegerField("续借次数", default=0)
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收书人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_on = models.DateField("最近逾期提醒", null=True, blank=True)

    class Meta:
        ordering = ["-lent_at", "-id"]
        verbose_name = verbose_name_plural = "借阅"
        indexes = [models.Index(fields=["community", "returned_at", "due_on"], name="loan_open_due")]
        constraints = [
            # A reader holds at most one copy of a title at a time.
            models.UniqueConstraint(
                fields=["book", "resident"], condition=Q(returned_at__isnull=True), name="loan_one_open_per_reader"
            ),
            models.CheckConstraint(condition=Q(renewals__lte=2), name="loan_renewals_limit"),
        ]

    def __str__(self):
        return f"{self.book_id} → {self.resident_id}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class HoldStatus(models.TextChoices):
    WAITING = "waiting", "排队中"
    READY = "ready", "可取书"
    FULFILLED = "fulfilled", "已借出"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "逾期未取"


LIVE_HOLDS = (HoldStatus.WAITING, HoldStatus.READY)


class Hold(TimeStampedModel):
    """预约: a reader queues for a title with no copy on the shelf; the next copy returned is kept for them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey("places.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    book = models.ForeignKey(Book, verbose_name="图书", on_delete=models.PROTECT, related_name="holds")
    resident = models.ForeignKey("people.Resident", verbose_name="读者", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=HoldStatus.choices, default=HoldStatus.WAITING)
    ready_at = models.DateTimeField("到书时间", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "预约"
        constraints = [
            models.UniqueConstraint(
                fields=["book", "resident"],
                condition=Q(status__in=["waiting", "ready"]),
                name="hold_one_live_per_reader",
            ),
            models.CheckConstraint(condition=Q(status__in=HoldStatus.values), name="hold_status_valid"),
        ]

    def __str__(self):
        return f"{self.book_id} ← {self.resident_id} {self.get_status_display()}"
