"""Must hold, on the surfaces test_visibility does not walk: the inbox (and SMS), every work queue and its export,
the household file of a family member who is not a party, and the audit list. A dispute goes through its whole life
(filed by a resident, party verified, mediator assigned, session, agreement, scan, reminder, follow-up, close,
rating, reopening) and nobody outside its parties, its mediator and the secretary ever hears of it."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jumin.cases import services as case_services
from jumin.cases.models import Notification
from jumin.cases.notify import LocmemSmsBackend
from jumin.cases.selectors import QUEUES
from jumin.core.models import Role
from jumin.mediation import services
from jumin.people.tests.factories import UserFactory

from .conftest import bearer, session, upload

TITLE = "楼上卫生间漏水渗到我家"
OFFICE_OUTSIDERS = ["grid_worker", "window_staff", "other_mediator", "other_secretary", "street_leader"]
RESIDENT_OUTSIDERS = ["neighbour", "spouse", "outsider"]


@pytest.fixture
def people(world):
    """The far resident (赵红梅) is the other party; 李秀英 lives with the requester but is not a party."""
    users = world.users
    users.party = UserFactory(role=Role.RESIDENT, name=world.far_resident.name, resident=world.far_resident)
    users.spouse = UserFactory(role=Role.RESIDENT, name=world.spouse.name, resident=world.spouse)
    users.other_mediator = UserFactory(role=Role.MEDIATOR, community=world.a)
    return users


@pytest.fixture
def lived(world, people, settings, django_capture_on_commit_callbacks):
    """A dispute taken through every step that notifies someone, with every on_commit callback run."""
    settings.SMS_BACKEND = "jumin.cases.notify.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = services.dispute_register(
            actor=people.resident,
            title=TITLE,
            text="赵红梅家卫生间漏水,天花板发霉",
            category="leak",
            other_parties=[{"name": world.far_resident.name, "address": "瑞恒家园2号楼201"}],
        )
        services.dispute_link_party(
            actor=people.secretary, named_party=d.named_parties.get(), resident=world.far_resident
        )
        services.dispute_assign_mediator(actor=people.secretary, dispute=d, mediator=people.mediator)
        d.case.refresh_from_db()
        case_services.case_remind(actor=people.resident, case=d.case)
        session(world, d)
        services.agreement_record(actor=people.mediator, dispute=d, text="一周内修好防水层")
        d.case.refresh_from_db()
        services.agreement_attach_scan(actor=people.mediator, dispute=d, upload=upload())
        case_services.case_message(actor=people.mediator, case=d.case, text="物业已上门查看", public=True)
        case_services.case_message(actor=people.mediator, case=d.case, text="内部:双方仍有情绪", public=False)
        services.dispute_follow_up(actor=people.mediator, dispute=d, method="visit", note="已修好")
        services.dispute_close(actor=people.mediator, dispute=d)
        d.case.refresh_from_db()
        case_services.case_rate(actor=people.resident, case=d.case, value="unsatisfied", comment="墙面没补")
        case_services.case_reopen(actor=people.resident, case=d.case, reason="墙面没补")
    d.case.refresh_from_db()
    return d


def _xlsx_text(response) -> str:
    book = load_workbook(BytesIO(response.content))
    return "\n".join(
        " ".join(str(c) for c in row if c is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("persona", [*OFFICE_OUTSIDERS, *RESIDENT_OUTSIDERS])
def test_nobody_outside_the_dispute_is_notified_of_it(world, people, lived, login, persona):
    user = getattr(people, persona)
    assert not Notification.objects.filter(user=user, case=lived.case).exists()
    assert not Notification.objects.filter(user=user, title__contains=TITLE).exists()
    assert all(phone != user.phone for phone, _ in LocmemSmsBackend.outbox)
    page = login(user).get(reverse("cases:notifications"))
    assert page.status_code == 200
    assert TITLE not in page.content.decode() and str(lived.case.uuid) not in page.content.decode()


def test_those_in_the_dispute_are_the_ones_told(world, people, lived, login):
    told = set(Notification.objects.filter(case=lived.case).values_list("user__phone", flat=True))
    assert told == {people.resident.phone, people.party.phone, people.mediator.phone, people.secretary.phone}
    # Texts go to the mediator (assigned, reminded, sent back) and to the requester (the agreement is an answer);
    # the other side hears in the inbox only.
    assert {phone for phone, _ in LocmemSmsBackend.outbox} == {people.mediator.phone, people.resident.phone}
    inbox = login(people.resident).get(reverse("cases:notifications")).content.decode()
    assert f"您的矛盾调解已达成协议:{TITLE}" in inbox and "物业已上门查看" in inbox
    assert "内部:双方仍有情绪" not in inbox


@pytest.mark.parametrize("persona", OFFICE_OUTSIDERS)
@pytest.mark.parametrize("queue", list(QUEUES))
def test_no_work_queue_lists_or_exports_it(world, people, lived, login, client, persona, queue):
    user = getattr(people, persona)
    web = login(user)
    case = lived.case
    for params in ({"queue": queue}, {"queue": queue, "kind": "dispute"}, {"queue": queue, "q": case.number}):
        html = web.get(reverse("cases:case-queue"), params).content.decode()
        assert str(case.uuid) not in html, params
        listed = client.get("/api/v1/cases", params, **bearer(user)).json()
        assert str(case.uuid) not in {item["uuid"] for item in listed["items"]}, params
        export = web.get(reverse("cases:case-export"), params)
        # A mediator has no export right at all; everyone else gets a ledger, and it must not carry the dispute.
        if persona == "other_mediator":
            assert export.status_code == 403, params
            continue
        assert export.status_code == 200, params
        text = _xlsx_text(export)
        assert TITLE not in text and case.number not in text, params


@pytest.mark.parametrize("queue", ["mine", "all"])
def test_the_mediator_finds_it_in_the_queue_but_not_in_the_queue_export(world, people, lived, login, client, queue):
    web = login(people.mediator)
    case = lived.case
    assert case.number in web.get(reverse("cases:case-queue"), {"queue": queue, "kind": "dispute"}).content.decode()
    listed = client.get("/api/v1/cases", {"queue": queue}, **bearer(people.mediator)).json()
    assert str(case.uuid) in {item["uuid"] for item in listed["items"]}
    secretary = login(people.secretary).get(reverse("cases:case-export"), {"queue": queue})
    assert secretary.status_code == 200 and TITLE not in _xlsx_text(secretary)


def test_a_family_member_who_is_not_a_party_never_sees_it(world, people, lived, login, client):
    case = lived.case
    web = login(people.spouse)
    household = web.get(reverse("people:my-household"))
    assert household.status_code == 200
    assert world.spouse.name in household.content.decode()  # the file itself is theirs too
    assert case.number not in household.content.decode() and TITLE not in household.content.decode()
    assert TITLE not in web.get(reverse("cases:my-cases")).content.decode()
    assert web.get(reverse("cases:my-case", args=[case.uuid])).status_code == 404
    assert client.get(f"/api/v1/cases/{case.uuid}", **bearer(people.spouse)).status_code == 404
    # The requester, in the same household, finds it in the file.
    requester = login(people.resident).get(reverse("people:my-household")).content.decode()
    assert case.number in requester and TITLE in requester


@pytest.mark.parametrize("persona", ["grid_worker", "window_staff", "other_mediator", *RESIDENT_OUTSIDERS])
def test_the_audit_list_is_closed_to_staff_outside_and_residents(world, people, lived, login, persona):
    response = login(getattr(people, persona)).get(reverse("dashboards:audit-list"))
    assert response.status_code in (403, 404)
    assert lived.case.number not in response.content.decode()


def test_the_street_leader_audit_list_shows_no_dispute_before_escalation(world, people, lived, login):
    html = login(people.street_leader).get(reverse("dashboards:audit-list")).content.decode()
    assert lived.case.number not in html


def test_a_mediator_taken_off_the_dispute_no_longer_reads_it_in_the_inbox(world, people, lived, login):
    services.dispute_assign_mediator(actor=people.secretary, dispute=lived, mediator=people.other_mediator)
    web = login(people.mediator)
    assert web.get(reverse("cases:case-detail", args=[lived.case.uuid])).status_code == 404
    assert TITLE not in web.get(reverse("cases:notifications")).content.decode()
