from jumin.core.exports import workbook

HEADER = ["单位名称", "类型", "层级", "社区", "联系人", "成员数", "资源数", "共建内容", "状态"]


def units_workbook(units):
    rows = (
        (
            u.name,
            u.get_kind_display(),
            u.level_label,
            u.community.name if u.community_id else "",
            u.contact_name,
            u.member_count,
            u.resource_count,
            u.note,
            "共建中" if u.active else "已停止",
        )
        for u in units
    )
    return workbook("共建单位台账", HEADER, rows)


MEETING_HEADER = ["会议名称", "召开时间", "地点", "状态", "邀请单位", "出席单位", "难题共办", "未办结"]


def meetings_workbook(meetings):
    from django.utils import timezone

    rows = (
        (
            m.title,
            f"{timezone.localtime(m.held_at):%Y-%m-%d %H:%M}",
            m.place,
            m.get_status_display(),
            m.invited,
            m.present,
            m.task_count,
            m.open_tasks,
        )
        for m in meetings
    )
    return workbook("党建联席会议台账", MEETING_HEADER, rows)


BOOKING_HEADER = ["资源", "共建单位", "开始", "结束", "状态", "预约方", "预约单位/团体", "用途", "原因"]


def bookings_workbook(bookings):
    from django.utils import timezone

    rows = (
        (
            b.resource.name,
            b.resource.unit.name,
            f"{timezone.localtime(b.starts_at):%Y-%m-%d %H:%M}",
            f"{timezone.localtime(b.ends_at):%Y-%m-%d %H:%M}",
            b.get_status_display(),
            b.get_booker_kind_display(),
            b.booker_name,
            b.purpose,
            b.reason,
        )
        for b in bookings
    )
    return workbook("共建资源预约台账", BOOKING_HEADER, rows)
