"""The hall's clock jobs (run by manage.py run_jobs)."""

import datetime

from jumin.core.registry import Job

from . import rules
from .services.bookings import bookings_mark_missed, bookings_send_reminders

# Reminders go out in the daytime only: nobody wants an SMS about tomorrow's booking at 3 a.m.
REMIND_FROM, REMIND_UNTIL = datetime.time(8, 0), datetime.time(20, 0)


def remind_bookings(now) -> str:
    if not REMIND_FROM <= rules.local(now).time() < REMIND_UNTIL:
        return "不在发送时段(8:00–20:00),稍后再发"
    return f"发出 {bookings_send_reminders(now=now)} 条明日预约提醒"


def mark_missed(now) -> str:
    return f"{bookings_mark_missed(now=now)} 个预约标为未到"


JOBS = [
    Job("hall.remind_bookings", "明日预约提醒", remind_bookings, every=datetime.timedelta(hours=1), order=40),
    Job("hall.mark_missed", "预约时段已过未签到的标为未到", mark_missed, every=datetime.timedelta(hours=1), order=41),
]
