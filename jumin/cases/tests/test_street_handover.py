"""A case a community hands up to the street: where it waits, and who is its 承办人 once the street acts."""

from django.urls import reverse

from jumin.cases import services as case_services
from jumin.cases.models import Case

from .case_kind import TEST_KIND


def escalated_case(world):
    case = case_services.case_open(
        actor=world.users.resident, kind=TEST_KIND.code, title="小区外道路积水", body="东门外道路下雨就积水"
    )
    case = case_services.case_take(actor=world.users.window_staff, case=case)
    return case_services.case_escalate(
        actor=world.users.window_staff, case=Case.objects.get(pk=case.pk), comment="涉及市政道路"
    )


def test_escalated_case_waits_in_the_street_leaders_own_queue(world, login):
    case = escalated_case(world)
    client = login(world.users.street_leader)
    body = client.get(reverse("cases:case-queue")).content.decode()
    assert case.number in body
    row = body[body.index(case.number) :].split("</tr>")[0]
    assert "街道待办" in row
    assert "待受理" not in row


def test_street_leader_who_answers_an_escalated_case_becomes_its_assignee(world, login):
    case = escalated_case(world)
    client = login(world.users.street_leader)
    response = client.post(
        reverse("cases:case-move", args=[case.uuid]),
        {"to": "answered", "comment": "已协调市政部门疏通", "expected_status": "accepted"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "answered"
    assert case.assignee == world.users.street_leader
    detail = client.get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    assert "<dt>承办人</dt><dd>" + world.users.street_leader.name in detail


def test_a_new_case_without_assignee_still_reads_as_waiting(world, login):
    case = case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="路灯不亮", body="3号楼前")
    body = login(world.users.secretary).get(reverse("cases:case-queue"), {"queue": "unassigned"}).content.decode()
    row = body[body.index(case.number) :].split("</tr>")[0]
    assert "待受理" in row
