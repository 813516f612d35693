import datetime
import json
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.testing import WON, race
from jumin.partners import bookings
from jumin.partners.models import BookingStatus, PartnerResource, ResourceBooking, ResourceKind
from jumin.people.tests.factories import UserFactory

from .factories import PartnerMemberFactory, PartnerUnitFactory

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SH)  # a Monday
SAT = datetime.datetime(2026, 11, 7, 9, 0, tzinfo=SH)


def _hall(world):
    school = PartnerUnitFactory(community=world.a, name="北镇第七小学")
    room = PartnerResource.objects.create(unit=school, kind=ResourceKind.ROOM, name="操场")
    bookings.availability_set(
        actor=world.users.secretary, resource=room, windows=[(5, datetime.time(8), datetime.time(18))]
    )
    member = UserFactory(role=Role.PARTNER_MEMBER, name="韩联络")
    PartnerMemberFactory(unit=school, user=member)
    return SimpleNamespace(room=room, unit=school, member=member)


def _book(world, hall, start_hour, end_hour, who=None, kind="community"):
    return bookings.booking_request(
        actor=who or world.users.secretary,
        resource=hall.room,
        starts_at=SAT.replace(hour=start_hour),
        ends_at=SAT.replace(hour=end_hour),
        booker_kind=kind,
        booker_name="文体娱乐理事会",
        purpose="广场舞比赛",
        now=NOW,
    )


@pytest.mark.django_db
def test_a_booking_waits_for_the_units_approval_and_an_overlap_is_refused(world):
    hall = _hall(world)
    first = _book(world, hall, 9, 11)
    second = _book(world, hall, 10, 12)
    third = _book(world, hall, 11, 12)  # touching the first one's end is fine
    assert first.status == BookingStatus.PENDING
    with pytest.raises(PermissionDenied):
        bookings.booking_decide(actor=world.users.secretary, booking=first, approve=True)
    bookings.booking_decide(actor=hall.member, booking=first, approve=True)
    with pytest.raises(DomainError, match="与已批准的预约冲突"):
        bookings.booking_decide(actor=hall.member, booking=second, approve=True)
    assert bookings.booking_decide(actor=hall.member, booking=third, approve=True).status == BookingStatus.APPROVED
    refused = bookings.booking_decide(actor=hall.member, booking=second, approve=False, reason="时间冲突")
    assert refused.status == BookingStatus.REFUSED


@pytest.mark.django_db
def test_bookings_outside_availability_or_in_the_past_are_refused(world):
    hall = _hall(world)
    with pytest.raises(DomainError, match="可预约时间"):
        bookings.booking_request(
            actor=world.users.secretary,
            resource=hall.room,
            starts_at=SAT.replace(hour=17),
            ends_at=SAT.replace(hour=19),
            booker_kind="community",
            booker_name="社区",
            purpose="活动",
            now=NOW,
        )
    with pytest.raises(DomainError, match="以后的时间"):
        bookings.booking_request(
            actor=world.users.secretary,
            resource=hall.room,
            starts_at=SAT,
            ends_at=SAT.replace(hour=10),
            booker_kind="community",
            booker_name="社区",
            purpose="活动",
            now=SAT.replace(hour=12),
        )
    with pytest.raises(DomainError, match="社区工作人员"):
        _book(world, hall, 9, 10, who=world.users.resident)
    assert _book(world, hall, 9, 10, who=world.users.resident, kind="group").community == world.a
    with pytest.raises(PermissionDenied):
        _book(world, hall, 9, 10, who=world.users.outsider, kind="group")


@pytest.mark.django_db(transaction=True)
def test_overlapping_approvals_at_once_approve_exactly_one(world):
    hall = _hall(world)
    pending = [_book(world, hall, 9 + n % 3, 12) for n in range(6)]
    outcomes = race(
        pending,
        load=lambda b: ResourceBooking.objects.select_related("resource").get(pk=b.pk),
        act=lambda _, fresh: bookings.booking_decide(actor=hall.member, booking=fresh, approve=True),
    )
    assert outcomes.count(WON) == 1
    assert ResourceBooking.objects.filter(status=BookingStatus.APPROVED).count() == 1


@pytest.mark.django_db
def test_the_api_lists_resources_and_books_one(world, login):
    hall = _hall(world)
    client = login(world.users.resident)
    listed = client.get("/api/v1/partners/resources").json()
    assert [r["name"] for r in listed["items"]] == ["操场"] and listed["items"][0]["availability"][0]["weekday"] == 5
    window = listed["items"][0]["availability"][0]
    assert len(window["starts"]) == len(window["ends"]) == 5 and window["starts"][2] == ":"  # "HH:MM", local time
    body = {
        "starts_at": "2099-11-07T09:00:00+08:00",
        "ends_at": "2099-11-07T10:00:00+08:00",
        "booker_kind": "group",
        "booker_name": "夕阳红舞蹈队",
        "purpose": "排练",
    }
    url = f"/api/v1/partners/resources/{hall.room.uuid}/bookings"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "提前" in response.json()["detail"]  # 2099 is beyond 180 days
    soon = (datetime.datetime.now(SH) + datetime.timedelta(days=7 - datetime.datetime.now(SH).weekday() + 5)).date()
    body.update(starts_at=f"{soon}T09:00:00+08:00", ends_at=f"{soon}T10:00:00+08:00")
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    other = login(world.users.outsider).post(url, json.dumps(body), content_type="application/json")
    assert other.status_code == 404
    bad = client.post(url, json.dumps({**body, "booker_name": "=cmd\x00"}), content_type="application/json")
    assert bad.status_code in (400, 422)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_member_approves_on_their_page_and_the_calendar_shows_it(world, login):
    hall = _hall(world)
    booking = _book(world, hall, 9, 11)
    page = login(hall.member).get(reverse("partners:bookings"))
    assert "文体娱乐理事会" in page.content.decode()
    login(hall.member).post(reverse("partners:bookings"), {"booking": str(booking.uuid), "action": "approve"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    calendar = login(world.users.secretary).get(
        reverse("partners:resource-calendar", args=[hall.room.uuid]), {"month": "2026-11"}
    )
    assert calendar.status_code == 200 and "文体娱乐理事会" in calendar.content.decode()
    assert (
        login(world.users.other_secretary).get(reverse("partners:resource-calendar", args=[hall.room.uuid])).status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_the_booking_list_exports_the_rows_it_shows_and_only_to_who_may_see_them(
    world, login, django_assert_max_num_queries
):
    from io import BytesIO

    from openpyxl import load_workbook

    hall = _hall(world)
    for day in range(22):  # 22 coming bookings, each on its own morning
        start = SAT + datetime.timedelta(days=7 * (day // 2))
        bookings.booking_request(
            actor=world.users.secretary,
            resource=hall.room,
            starts_at=start.replace(hour=8 + 2 * (day % 2)),
            ends_at=start.replace(hour=9 + 2 * (day % 2)),
            booker_kind="community",
            booker_name='=HYPERLINK("http://x")' if day == 0 else f"理事会{day}",
            purpose="广场舞比赛",
            now=NOW,
        )
    member = login(hall.member)
    page = member.get(reverse("partners:bookings"))
    assert reverse("partners:booking-export") in page.content.decode()
    with django_assert_max_num_queries(5):  # session, user, the bookings with their resource and unit
        export = member.get(reverse("partners:booking-export"))
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 22
    assert {r[6] for r in rows} >= {"理事会1", "理事会21"}
    formula = next(c for c in sheet["G"] if c.value and "HYPERLINK" in str(c.value))
    assert formula.data_type == "s"  # written as text, never a live formula
    # Another community's secretary sees none of them, in the list or the ledger.
    other = login(world.users.other_secretary).get(reverse("partners:booking-export"))
    assert other.status_code == 200
    assert list(load_workbook(BytesIO(other.content)).active.iter_rows(min_row=2, values_only=True)) == []
