"""Audit events about a case carry the case, so the audit list hides confidential cases from staff who may not
see them, and shows them again to those who may (the street once a case is escalated)."""

from django.urls import reverse

from jumin.cases import services as case_services
from jumin.core.models import AuditEvent

from .case_kind import SECRET_KIND, TEST_KIND


def open_case(world, kind):
    return case_services.case_open(
        actor=world.users.resident, kind=kind, title="邻居漏水", body="楼上漏水到我家", parties=[world.neighbour]
    )


def audit_page(login, user):
    return login(user).get(reverse("dashboards:audit-list")).content.decode()


def test_every_event_about_a_case_names_the_case(world):
    case = open_case(world, TEST_KIND.code)
    case_services.case_take(actor=world.users.secretary, case=case)
    events = AuditEvent.objects.filter(target_type="case", target_id=str(case.pk))
    assert events.count() == 2
    assert set(events.values_list("case_id", flat=True)) == {case.pk}


def test_street_leader_sees_a_confidential_case_in_the_audit_list_only_once_escalated(world, login):
    case = open_case(world, SECRET_KIND.code)
    open_one = open_case(world, TEST_KIND.code)
    assert case.number in audit_page(login, world.users.secretary)
    leader_page = audit_page(login, world.users.street_leader)
    assert case.number not in leader_page
    assert open_one.number in leader_page

    case = case_services.case_assign(actor=world.users.secretary, case=case, assignee=world.users.mediator)
    case_services.case_escalate(actor=world.users.mediator, case=case, comment="调解不成,转街道司法所")
    assert case.number in audit_page(login, world.users.street_leader)


def test_audit_list_query_count_stays_flat(world, login, django_assert_max_num_queries):
    for _ in range(12):
        open_case(world, TEST_KIND.code)
        open_case(world, SECRET_KIND.code)
    client = login(world.users.street_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboards:audit-list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr") >= 13
