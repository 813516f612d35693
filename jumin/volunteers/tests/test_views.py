"""志愿服务 pages over HTTP, per role: what each may see and do, 404 for the rest, constant queries on lists."""

import datetime

import pytest
from django.utils import timezone

from jumin.volunteers import services
from jumin.volunteers.models import PointsTransfer, Shift, Signup, SignupStatus, Volunteer, VolunteerStatus

from .factories import ActivityFactory, ShiftFactory, VolunteerFactory
from .test_services import serve


def test_resident_applies_from_the_phone_and_sees_it_waiting(world, login):
    client = login(world.users.neighbour)
    response = client.post("/me/volunteer/", {"skills": "家电维修", "availability": "周末", "is_dual_report": "on"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(resident=world.neighbour)
    assert volunteer.status == VolunteerStatus.PENDING and volunteer.is_dual_report
    page = client.get("/me/volunteer/").content.decode()
    assert "正在等待社区工作人员审核" in page


def test_application_with_oversized_text_is_refused_with_a_message(world, login):
    client = login(world.users.neighbour)
    response = client.post("/me/volunteer/", {"skills": "长" * 20000})
    assert response.status_code == 200
    assert "200" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_secretary_approves_an_application_in_the_office(world, login):
    volunteer = services.volunteer_apply(actor=world.users.neighbour)
    client = login(world.users.secretary)
    page = client.get(f"/office/volunteers/{volunteer.uuid}/").content.decode()
    assert "审核申请" in page
    response = client.post(f"/office/volunteers/{volunteer.uuid}/decide/", {"decision": "approve"}, follow=True)
    assert "已通过 王建国 的志愿者申请" in response.content.decode()
    assert Volunteer.objects.get(pk=volunteer.pk).status == VolunteerStatus.APPROVED


def test_other_community_staff_and_residents_get_404_on_office_pages(vol, login):
    volunteer_url = f"/office/volunteers/{vol.me.uuid}/"
    activity_url = f"/office/volunteers/activities/{vol.shift.activity.uuid}/"
    for user in (vol.users.other_secretary, vol.users.resident):
        client = login(user)
        assert client.get(volunteer_url).status_code == 404
        assert client.get(activity_url).status_code == 404
        assert client.post(f"/office/volunteers/{vol.me.uuid}/spend/", {"amount": 1, "memo": "x"}).status_code == 404
    assert not PointsTransfer.objects.exists()


def test_outsider_resident_cannot_sign_up_for_another_communitys_shift(vol, login):
    client = login(vol.users.outsider)
    assert client.post(f"/me/volunteer/shifts/{vol.shift.uuid}/sign-up/").status_code == 404
    assert not Signup.objects.exists()


def test_volunteer_signs_up_and_withdraws_from_the_phone(vol, login):
    client = login(vol.users.resident)
    page = client.get("/me/volunteer/activities/").content.decode()
    assert vol.shift.activity.title in page and "剩余名额 3 / 3" in page
    response = client.post(f"/me/volunteer/shifts/{vol.shift.uuid}/sign-up/", follow=True)
    assert "报名成功" in response.content.decode()
    signup = Signup.objects.get(volunteer=vol.me)
    assert Shift.objects.get(pk=vol.shift.pk).taken == 1
    response = client.post(f"/volunteers/signups/{signup.uuid}/withdraw/", follow=True)
    assert "已取消报名" in response.content.decode()
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.WITHDRAWN
    assert Shift.objects.get(pk=vol.shift.pk).taken == 0


def test_a_neighbour_cannot_withdraw_someone_elses_sign_up(vol, login):
    signup = services.signup_create(actor=vol.users.resident, shift=vol.shift)
    assert login(vol.users.neighbour).post(f"/volunteers/signups/{signup.uuid}/withdraw/").status_code == 404
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.SIGNED_UP


def test_staff_sign_up_check_in_out_and_confirm_from_the_activity_page(vol, login):
    client = login(vol.users.secretary)
    url = f"/office/volunteers/activities/{vol.shift.activity.uuid}/"
    assert "代为报名" in client.get(url).content.decode()
    client.post(f"/office/volunteers/shifts/{vol.shift.uuid}/signups/", {"volunteer": str(vol.other.uuid)})
    signup = Signup.objects.get(volunteer=vol.other)
    assert signup.channel == "staff"
    for action in ("check-in", "check-out"):
        response = client.post(f"/office/volunteers/signups/{signup.uuid}/{action}/", follow=True)
        assert response.status_code == 200
    response = client.post(f"/office/volunteers/signups/{signup.uuid}/confirm/", {"minutes": "90"}, follow=True)
    assert "已确认" in response.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CONFIRMED and signup.minutes == 90
    assert signup.checked_in_by == vol.users.secretary
    assert vol.other.points.__class__.objects.get(volunteer=vol.other).balance == 15


def test_street_leader_sees_but_cannot_manage(vol, login):
    client = login(vol.users.street_leader)
    assert client.get("/office/volunteers/activities/").status_code == 200
    page = client.get(f"/office/volunteers/activities/{vol.shift.activity.uuid}/").content.decode()
    assert "代为报名" not in page and "签到</button>" not in page
    assert client.get("/office/volunteers/activities/new/").status_code == 403


def test_staff_publish_an_activity_with_shifts(world, login):
    client = login(world.users.secretary)
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "title": "楼道清洁日",
        "place": "1号楼",
        "description": "",
        "shifts-TOTAL_FORMS": "3",
        "shifts-INITIAL_FORMS": "0",
        "shifts-0-starts_at": f"{start:%Y-%m-%dT09:00}",
        "shifts-0-ends_at": f"{start:%Y-%m-%dT11:00}",
        "shifts-0-slots": "5",
        "shifts-1-starts_at": f"{start:%Y-%m-%dT14:00}",
        "shifts-1-ends_at": f"{start:%Y-%m-%dT16:00}",
        "shifts-1-slots": "4",
    }
    response = client.post("/office/volunteers/activities/new/", data, follow=True)
    assert "已发布志愿活动“楼道清洁日”" in response.content.decode()
    shifts = Shift.objects.filter(activity__title="楼道清洁日").order_by("starts_at")
    assert [s.slots for s in shifts] == [5, 4]


def test_activity_form_with_bad_shift_writes_nothing(world, login):
    client = login(world.users.secretary)
    data = {
        "title": "楼道清洁日",
        "place": "1号楼",
        "shifts-TOTAL_FORMS": "1",
        "shifts-INITIAL_FORMS": "0",
        "shifts-0-starts_at": "2020-01-01T09:00",
        "shifts-0-ends_at": "2020-01-01T11:00",
        "shifts-0-slots": "99999999999999999999999",
    }
    response = client.post("/office/volunteers/activities/new/", data)
    assert response.status_code == 200
    assert not Shift.objects.exists()


@pytest.mark.parametrize("rows", [20, 40])
def test_office_lists_run_in_constant_queries(world, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        activity = ActivityFactory(community=world.a, organiser=world.users.secretary)
        ShiftFactory(activity=activity)
        ShiftFactory(activity=activity)
        VolunteerFactory(resident__household=world.home)
    client = login(world.users.secretary)
    with django_assert_max_num_queries(12):
        assert client.get("/office/volunteers/activities/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/office/volunteers/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/office/volunteers/activities/export.xlsx").status_code == 200


def test_resident_activity_list_runs_in_constant_queries(vol, login, django_assert_max_num_queries):
    for _ in range(25):
        ShiftFactory(activity=ActivityFactory(community=vol.world.a, organiser=vol.users.secretary))
    client = login(vol.users.resident)
    with django_assert_max_num_queries(12):
        page = client.get("/me/volunteer/activities/")
    assert page.status_code == 200


def test_exports_are_excel_files_with_the_filtered_rows(vol, login):
    serve(vol, vol.me)
    client = login(vol.users.secretary)
    for url in ("/office/volunteers/export.xlsx?status=approved", "/office/volunteers/hours.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get("/office/volunteers/export.xlsx?q=张三丰").content)).active
    rows = list(sheet.values)
    assert len(rows) == 2 and rows[1][0] == "张三丰" and rows[1][6] == 2


def test_volunteer_sees_hours_points_and_downloads_a_certificate(vol, login):
    serve(vol, vol.me)
    client = login(vol.users.resident)
    page = client.get("/me/volunteer/").content.decode()
    assert "累计时长(小时)" in page and ">2.0<" in page and ">20<" in page
    assert "+20" in client.get("/me/volunteer/points/").content.decode()
    response = client.get("/me/volunteer/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_venue_qr_page_and_scan_check_in(vol, login):
    services.signup_create(actor=vol.users.resident, shift=vol.shift)
    staff = login(vol.users.secretary)
    page = staff.get(f"/office/volunteers/shifts/{vol.shift.uuid}/qr/").content.decode()
    assert "<svg" in page and vol.shift.activity.title in page
    client = login(vol.users.resident)
    url = f"/me/volunteer/scan/{vol.shift.uuid}/"
    assert client.get(url, {"code": vol.shift.check_in_code}).status_code == 200
    import time_machine

    with time_machine.travel(vol.shift.starts_at, tick=False):
        response = client.post(url, {"code": vol.shift.check_in_code}, follow=True)
    assert "签到成功" in response.content.decode()
    assert Signup.objects.get(volunteer=vol.me).checked_in_at == vol.shift.starts_at


def test_hostile_query_parameters_never_fail(vol, login):
    client = login(vol.users.secretary)
    for query in ("page=99999999999999999999999", "q=" + "=" * 20000, "status=%00", "when=bogus", "party=x"):
        assert client.get(f"/office/volunteers/?{query}").status_code == 200
        assert client.get(f"/office/volunteers/activities/?{query}").status_code == 200
    assert client.post(f"/office/volunteers/signups/{vol.me.uuid}/confirm/").status_code == 404
