"""Working-day arithmetic for case deadlines: Monday–Friday, corrected by the Holiday table (holidays and 调休)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# Deadlines fall at the end of the working day.
END_OF_DAY = datetime.time(17, 30)


def _exceptions(start: datetime.date, days: int) -> dict[datetime.date, bool]:
    from .models import Holiday

    end = start + datetime.timedelta(days=days * 3 + 30)
    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def is_workday(day: datetime.date, exceptions: dict[datetime.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The end of the `days`-th working day after `start` (a case raised on Friday evening with 1 day is due
    Monday 17:30)."""
    return add_working_days_each(start, days)[0]


def add_working_days_each(start: datetime.datetime, *days: int) -> list[datetime.datetime]:
    """`add_working_days` for several counts from one start (a case's response and final deadlines) with one read
    of the Holiday table."""
    tz = ZoneInfo(settings.TIME_ZONE)
    first = timezone.localtime(start, tz).date()
    exceptions = _exceptions(first, max(days))
    deadlines = []
    for count in days:
        day, remaining = first, count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if is_workday(day, exceptions):
                remaining -= 1
        deadlines.append(datetime.datetime.combine(day, END_OF_DAY, tzinfo=tz))
    return deadlines


def working_days_until(start: datetime.datetime, day: datetime.date) -> int:
    """How many working days after `start`'s day fall on or before `day` (0 when `day` has passed): the count that
    `add_working_days` turns back into a deadline on the last working day by `day`."""
    first = timezone.localtime(start, ZoneInfo(settings.TIME_ZONE)).date()
    span = (day - first).days
    if span <= 0:
        return 0
    exceptions = _exceptions(first, span)
    return sum(is_workday(first + datetime.timedelta(days=n), exceptions) for n in range(1, span + 1))
