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


ROSTER_HEADER = [
    "姓名",
    "性别",
    "年龄",
    "所在党组织",
    "党员类别",
    "预备期满",
    "入党日期",
    "双报到",
    "工作单位",
    "网格",
    "手机号",
]
TREE_HEADER = [
    "党组织",
    "层级",
    "书记",
    "党员",
    "其中预备党员",
    "60岁以上",
    "双报到",
    "双报到服务次数",
    "服务时长(小时)",
]


def roster_workbook(org, members):
    """党员名册 of an organisation and everything below it: phones masked, no ID numbers."""
    from jumin.people.idcard import mask_phone

    today = timezone.localdate()
    rows = (
        (
            m.resident.name,
            m.resident.get_gender_display(),
            m.resident.age(today),
            m.org.name,
            m.get_standing_display(),
            f"{m.probation_ends:%Y-%m-%d}" if m.probation_ends else "",
            f"{m.joined_on:%Y-%m-%d}" if m.joined_on else "",
            "是" if m.dual_report else "否",
            m.workplace,
            m.grid.name,
            mask_phone(m.resident.phone),
        )
        for m in members.iterator(chunk_size=2000)
    )
    return workbook(f"{org.name}党员名册"[:31], ROSTER_HEADER, rows)


def tree_workbook(nodes):
    rows = (
        (
            " " * 2 * (n.org.depth - 1) + n.org.name,
            n.org.get_level_display(),
            n.secretary,
            n.total["members"],
            n.total["probationary"],
            n.total["elderly"],
            n.total["dual_report"],
            n.total["tasks_done"],
            float(n.total["task_hours"]),
        )
        for n in nodes
    )
    return workbook("党组织统计", TREE_HEADER, rows)


TASK_HEADER = ["服务日期", "任务", "发布组织", "地点", "需要人数", "已领办", "内容"]


def tasks_workbook(tasks):
    rows = (
        (f"{t.date:%Y-%m-%d}", t.title, t.org.name, t.place, t.capacity, t.taken, t.detail)
        for t in tasks.iterator(chunk_size=2000)
    )
    return workbook("双报到服务任务台账", TASK_HEADER, rows)
