"""Working-day deadlines follow 法定节假日 and 调休 from the maintained calendar; staff may correct a day."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from jumin.core.errors import DomainError
from jumin.core.holidays import holiday_correct, holidays_seed_year
from jumin.core.models import AuditEvent, Holiday
from jumin.core.workdays import add_working_days

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_a_year_is_seeded_from_the_calendar_with_holidays_and_worked_weekends():
    result = holidays_seed_year(2026)
    assert result["created"] > 20
    national_day = Holiday.objects.get(date=datetime.date(2026, 10, 1))
    assert not national_day.is_workday and national_day.name == "国庆节"
    worked = Holiday.objects.filter(date__year=2026, is_workday=True)
    assert worked.exists() and all(h.date.weekday() >= 5 for h in worked)
    # Seeding again changes nothing.
    assert holidays_seed_year(2026) == {"year": 2026, "created": 0, "updated": 0, "kept": 0, "removed": 0}


def test_a_deadline_skips_the_national_day_week():
    holidays_seed_year(2026)
    start = datetime.datetime(2026, 9, 30, 10, 0, tzinfo=TZ)  # Wednesday before the holiday
    due = add_working_days(start, 1)
    assert due.date() > datetime.date(2026, 10, 7)


def test_a_year_the_calendar_does_not_cover_yet_says_so():
    with pytest.raises(DomainError, match="2099 年的放假安排尚未收录"):
        holidays_seed_year(2099)


def test_a_staff_correction_survives_seeding_again(world):
    holidays_seed_year(2026)
    day = datetime.date(2026, 10, 8)  # a Thursday after the holiday
    holiday_correct(actor=world.users.secretary, date=day, is_workday=False, name="社区停电检修")
    assert holidays_seed_year(2026)["kept"] == 0  # not a calendar day, nothing to keep
    national_day = datetime.date(2026, 10, 1)
    holiday_correct(actor=world.users.secretary, date=national_day, is_workday=False, name="国庆节(本地)")
    assert holidays_seed_year(2026)["kept"] == 1
    assert Holiday.objects.get(date=national_day).name == "国庆节(本地)"
    assert Holiday.objects.get(date=day).source == Holiday.Source.STAFF
    assert AuditEvent.objects.filter(action="holiday.correct").count() == 2


def test_correcting_a_day_back_to_normal_removes_it(world):
    holidays_seed_year(2026)
    national_day = datetime.date(2026, 10, 1)  # a Thursday
    holiday_correct(actor=world.users.street_leader, date=national_day, is_workday=True)
    assert not Holiday.objects.filter(date=national_day).exists()


def test_the_calendar_page_lists_the_year_and_takes_a_correction(login, world):
    holidays_seed_year(2026)
    client = login(world.users.secretary)
    page = client.get(reverse("core:holidays") + "?year=2026").content.decode()
    assert "2026 年节假日与调休" in page and "国庆节" in page and "调休" in page
    response = client.post(reverse("core:holidays"), {"date": "2026-12-31", "is_workday": "0", "name": "跨年值守补休"})
    assert response.status_code == 302
    assert Holiday.objects.get(date=datetime.date(2026, 12, 31)).name == "跨年值守补休"
    bad = client.post(reverse("core:holidays"), {"date": "2026-13-45", "is_workday": "0", "name": "=1+1"})
    assert bad.status_code == 200 and "请填写正确的日期" in bad.content.decode()
    assert client.get(reverse("core:holidays") + "?year=99999999999999999999999").status_code == 200


@pytest.mark.parametrize("persona", ["window_staff", "grid_worker", "resident"])
def test_other_roles_cannot_change_the_calendar(login, world, persona):
    client = login(getattr(world.users, persona))
    response = client.post(reverse("core:holidays"), {"date": "2026-12-31", "is_workday": "0"})
    assert response.status_code in (403, 404)
    assert not Holiday.objects.exists()


def test_the_command_seeds_this_year_and_says_when_next_is_not_out(capsys):
    call_command("seed_holidays", "2026", "2099")
    out = capsys.readouterr().out
    assert "2026 年节假日:新增" in out and "2099 年的放假安排尚未收录" in out
