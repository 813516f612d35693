"""台账 of 志愿服务: volunteers, activities and confirmed hours as Excel. Names only, no phone or ID numbers."""

from django.utils import timezone

from jumin.core.exports import workbook


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _yes(value) -> str:
    return "是" if value else "否"


def volunteers_workbook(rows):
    header = ["姓名", "状态", "特长", "可服务时间", "党员", "双报到", "确认时长(小时)", "积分余额", "申请时间"]
    data = (
        (
            v.resident.name,
            v.get_status_display(),
            v.skills,
            v.availability,
            _yes(v.is_party_member),
            _yes(v.is_dual_report),
            round((v.minutes_total or 0) / 60, 1),
            v.points.balance if hasattr(v, "points") else 0,
            _when(v.created_at),
        )
        for v in rows
    )
    return workbook("志愿者台账", header, data)


def activities_workbook(rows):
    header = ["活动名称", "地点", "开始时间", "班次数", "名额", "已报名", "状态", "组织人"]
    data = (
        (
            a.title,
            a.place,
            _when(a.starts_at),
            len(a.shifts.all()),
            a.slots_total,
            a.taken_total,
            a.get_status_display(),
            a.organiser.name,
        )
        for a in rows
    )
    return workbook("志愿活动台账", header, data)


def hours_workbook(rows):
    header = ["志愿者", "活动", "地点", "班次开始", "签到", "签退", "确认时长(小时)", "积分", "确认人", "确认时间"]
    data = (
        (
            s.volunteer.resident.name,
            s.shift.activity.title,
            s.shift.place or s.shift.activity.place,
            _when(s.shift.starts_at),
            _when(s.checked_in_at),
            _when(s.checked_out_at),
            s.hours,
            s.points_transfer.amount if hasattr(s, "points_transfer") else 0,
            s.confirmed_by.name if s.confirmed_by_id else "",
            _when(s.confirmed_at),
        )
        for s in rows.iterator(chunk_size=2000)
    )
    return workbook("志愿服务时长台账", header, data)
