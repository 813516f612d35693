"""法定节假日 and 调休 for working-day deadlines, seeded year by year from the maintained chinese-calendar package
(the State Council's yearly schedule), with staff able to correct any day (a local arrangement, a late change)."""

import datetime

import chinese_calendar
from django.db import transaction

from .access import user_can
from .audit import audit_record
from .errors import DomainError, PermissionDenied
from .models import Holiday

EDIT = "holidays.edit"

# chinese_calendar names holidays in English; the calendar page shows them as people know them.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def calendar_exceptions(year: int) -> dict[datetime.date, tuple[bool, str]]:
    """The days of `year` whose working status differs from Monday–Friday: {date: (is_workday, name)}."""
    day, out = datetime.date(year, 1, 1), {}
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        works = not is_holiday
        if works != (day.weekday() < 5):
            label = NAMES.get(name, name or "")
            out[day] = (works, f"{label}调休上班" if works and label else label or ("调休上班" if works else "休息日"))
        day += datetime.timedelta(days=1)
    return out


def holidays_seed_year(year: int) -> dict:
    """Write one year's schedule. Days staff corrected stay as they are. Returns counts, or raises DomainError when
    the calendar has no schedule for that year yet (staff then enter the days on the calendar page)."""
    if not calendar_covers(year):
        raise DomainError(f"{year} 年的放假安排尚未收录,请在「节假日」页面逐日补录")
    exceptions = calendar_exceptions(year)
    existing = {h.date: h for h in Holiday.objects.filter(date__year=year)}
    created = updated = kept = 0
    with transaction.atomic():
        for day, (works, name) in exceptions.items():
            row = existing.get(day)
            if row is None:
                Holiday.objects.create(date=day, is_workday=works, name=name, source=Holiday.Source.CALENDAR)
                created += 1
            elif row.source == Holiday.Source.STAFF:
                kept += 1
            elif (row.is_workday, row.name) != (works, name):
                Holiday.objects.filter(pk=row.pk).update(is_workday=works, name=name)
                updated += 1
        # A calendar day that is no longer an exception (the schedule was revised) goes.
        stale = [h.pk for d, h in existing.items() if d not in exceptions and h.source == Holiday.Source.CALENDAR]
        removed = Holiday.objects.filter(pk__in=stale).delete()[0]
    return {"year": year, "created": created, "updated": updated, "kept": kept, "removed": removed}


def holiday_correct(*, actor, date: datetime.date, is_workday: bool, name: str = "") -> Holiday | None:
    """Staff set one day: a holiday, a worked weekend day, or back to normal (the row goes when the day is what
    its weekday says and no name is kept)."""
    if not user_can(actor, EDIT):
        raise PermissionDenied("只有社区书记或街道领导可以更正节假日")
    name = (name or "").strip()
    if len(name) > 50:
        raise DomainError("名称不能超过 50 个字", field="name")
    normal = is_workday == (date.weekday() < 5)
    before = Holiday.objects.filter(date=date).first()
    with transaction.atomic():
        if normal:
            Holiday.objects.filter(date=date).delete()
            row = None
        else:
            row, _ = Holiday.objects.update_or_create(
                date=date,
                defaults={"is_workday": is_workday, "name": name, "source": Holiday.Source.STAFF},
            )
        label = lambda works: "上班" if works else "休息"  # noqa: E731
        was = label(before.is_workday) if before else label(date.weekday() < 5)
        audit_record(
            actor=actor,
            action="holiday.correct",
            target=row or actor,
            summary=f"{date:%Y年%-m月%-d日} 改为{label(is_workday)}{f'({name})' if name else ''}",
            changes={"安排": [was, label(is_workday)]},
            community=getattr(actor, "community", None),
        )
    return row
