"""台账: the opinion list as Excel. Names only: no phone or ID numbers, and not the free-text body (residents
sometimes write their phone number into it)."""

from django.utils import timezone

from jumin.cases.models import Satisfaction
from jumin.core.exports import workbook

HEADER = [
    "编号",
    "提交时间",
    "标题",
    "类别",
    "登记渠道",
    "提出人",
    "网格",
    "状态",
    "承办人",
    "答复",
    "答复时间",
    "办结时间",
    "满意度",
    "同意匿名公开",
]
RATINGS = dict(Satisfaction.choices)


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def opinions_workbook(cases):
    rows = (
        (
            c.number,
            _when(c.created_at),
            c.title,
            c.opinion.get_category_display() if hasattr(c, "opinion") else "",
            c.opinion.get_channel_display() if hasattr(c, "opinion") else "",
            c.resident.name if c.resident_id else "",
            c.grid.name if c.grid_id else "",
            c.status_label,
            c.assignee.name if c.assignee_id else "",
            c.answer or "",
            _when(c.answered_at),
            _when(c.closed_at),
            RATINGS.get(c.rating, ""),
            "是" if hasattr(c, "opinion") and c.opinion.allow_public else "否",
        )
        for c in cases.iterator(chunk_size=2000)
    )
    return workbook("社情民意台账", HEADER, rows)
