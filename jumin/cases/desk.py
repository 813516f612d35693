"""The case engine's lines on every office 工作台: what is mine, what waits for someone to take it, what is late,
what waits on the resident, and unread messages. One query each."""

from django.urls import reverse_lazy
from django.utils.text import format_lazy

from jumin.core.registry import DeskItem

from .selectors import notifications_for, work_queue

QUEUE = reverse_lazy("cases:case-queue")


def _queue_count(queue):
    def count(user, scope) -> int:
        return work_queue(user, queue, scope=scope).order_by().count()

    return count


def _unread(user, scope) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


DESK_ITEMS = [
    DeskItem("我的待办", _queue_count("mine"), format_lazy("{}?queue=mine", QUEUE), "cases.work", order=10),
    DeskItem(
        "新事项待受理", _queue_count("unassigned"), format_lazy("{}?queue=unassigned", QUEUE), "cases.work", order=20
    ),
    DeskItem(
        "已超期", _queue_count("overdue"), format_lazy("{}?queue=overdue", QUEUE), "cases.work", order=30, urgent=True
    ),
    DeskItem("待居民领取", _queue_count("waiting"), format_lazy("{}?queue=waiting", QUEUE), "cases.work", order=40),
    DeskItem("未读消息", _unread, reverse_lazy("cases:notifications"), "cases.work", order=90),
]
