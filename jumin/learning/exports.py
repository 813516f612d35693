"""台账 of the learning station: courses, progress by member and by organisation, study records. Names and masked
phones only."""

from django.utils import timezone

from jumin.core.exports import workbook
from jumin.people.idcard import mask_phone


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def courses_workbook(courses):
    header = [
        "课程名称",
        "简介",
        "建议时长(分钟)",
        "测验题数",
        "及格线(%)",
        "学习任务数",
        "视频链接",
        "发布",
        "创建时间",
    ]
    rows = (
        (
            c.title,
            c.summary,
            c.minutes,
            c.question_count,
            c.pass_mark,
            c.assignment_count,
            c.video_url,
            "是" if c.published else "否",
            _when(c.created_at),
        )
        for c in courses
    )
    return workbook("学习课程台账", header, rows)


def progress_workbook(rows):
    header = [
        "姓名",
        "手机号",
        "所在党组织",
        "年龄",
        "布置课程",
        "已学完",
        "逾期",
        "累计学习(分钟)",
        "需要走访",
        "未学完的课程",
    ]
    data = (
        (
            r.member.resident.name,
            mask_phone(r.member.resident.phone),
            r.member.org.name,
            r.age,
            r.assigned,
            r.done,
            r.overdue,
            r.minutes,
            "是" if r.needs_visit else "",
            "、".join(f"{d.course.title}({d.status_label.lstrip('✔⚠ ')})" for d in r.dues if not d.completed),
        )
        for r in rows
    )
    return workbook("党员学习情况台账", header, data)


def org_progress_workbook(nodes):
    header = ["党组织", "层级", "党员(含下级)", "应学课程人次", "已学完", "完成率(%)", "逾期", "需要走访"]
    data = (
        (
            "  " * (n.org.depth - 1) + n.org.name,
            n.org.get_level_display(),
            n.members,
            n.assigned,
            n.done,
            n.rate,
            n.overdue,
            n.needs_visit,
        )
        for n in nodes
    )
    return workbook("党组织学习情况台账", header, data)


def records_workbook(records):
    header = ["学习时间", "姓名", "所在党组织", "课程", "方式", "时长(分钟)", "已学完", "测验得分", "登记人"]
    data = (
        (
            _when(r.studied_at),
            r.member.resident.name,
            r.member.org.name,
            r.course.title,
            r.get_channel_display(),
            r.minutes,
            "是" if r.completed else "否",
            "" if r.score is None else r.score,
            r.recorded_by.name,
        )
        for r in records.iterator(chunk_size=2000)
    )
    return workbook("学习记录台账", header, data)
