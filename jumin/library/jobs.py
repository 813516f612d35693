"""The reading room's clock jobs (run by manage.py run_jobs)."""

import datetime

from jumin.core.registry import Job

from .services import holds_expire, loans_remind_overdue


def expire_holds(now) -> str:
    return f"{holds_expire(now=now)} 个逾期未取的预约已释放"


def remind_overdue(now) -> str:
    return f"发出 {loans_remind_overdue(now=now)} 条逾期提醒"


JOBS = [
    Job("library.expire_holds", "预约保留期满释放", expire_holds, every=datetime.timedelta(hours=1), order=45),
    Job("library.remind_overdue", "借书逾期提醒", remind_overdue, every=datetime.timedelta(hours=12), order=46),
]
