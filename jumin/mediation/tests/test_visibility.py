"""Must hold: a dispute is seen by its parties, its mediator and the secretary (and the street once escalated) —
for everyone else it does not exist: 404 on every page and endpoint, absent from lists, search, the queue, exports
and the household file."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jumin.core.models import Role
from jumin.mediation import services
from jumin.people.tests.factories import UserFactory

from .conftest import agreed, bearer, register, upload

TITLE = "停车位长期被占用"
OUTSIDERS = [
    "grid_worker",
    "window_staff",
    "street_leader",
    "neighbour",
    "outsider",
    "other_secretary",
    "other_mediator",
]


@pytest.fixture
def secret(world):
    """张三丰 (grid 1) against 赵红梅 (grid 2): agreed, with a signed scan. 王建国 next door is not a party."""
    world.users.party = UserFactory(role=Role.RESIDENT, name=world.far_resident.name, resident=world.far_resident)
    world.users.other_mediator = UserFactory(role=Role.MEDIATOR, community=world.a)
    d = register(world, parties=[world.far_resident], title=TITLE, text="赵红梅家的车停在我家车位上")
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    d.case.refresh_from_db()
    agreed(world, d)
    services.agreement_attach_scan(actor=world.users.mediator, dispute=d, upload=upload())
    d.case.refresh_from_db()
    return d


def _urls(case):
    u = case.uuid
    return {
        "staff page": reverse("cases:case-detail", args=[u]),
        "resident page": reverse("cases:my-case", args=[u]),
        "signed scan": reverse("mediation:scan-download", args=[u]),
        "link party": reverse("mediation:party-link", args=[u, 1]),
    }


def _posts(case):
    u = case.uuid
    return [
        reverse(f"mediation:{name}", args=[u])
        for name in ("assign", "session-add", "agreement", "agreement-scan", "follow-up", "fail", "close", "escalate")
    ]


def _xlsx_text(response) -> str:
    book = load_workbook(BytesIO(response.content))
    return "\n".join(
        " ".join(str(c) for c in row if c is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_dispute_does_not_exist_for_anyone_else(world, secret, login, client, persona):
    user = getattr(world.users, persona)
    case = secret.case
    web = login(user)
    for name, url in _urls(case).items():
        response = web.get(url)
        assert response.status_code == 404 or (response.status_code == 302 and "login" not in response.url), name
        if response.status_code == 302:  # a resident sent from the staff page to the resident page, or back
            assert web.get(response.url).status_code == 404, name
    for url in _posts(case):
        assert web.post(url, {}).status_code == 404, url
    api = bearer(user)
    assert client.get(f"/api/v1/cases/{case.uuid}", **api).status_code == 404
    assert client.get(f"/api/v1/disputes/{case.uuid}/sessions", **api).status_code == 404
    listed = client.get("/api/v1/cases", {"queue": "all", "q": TITLE}, **api).json()
    assert all(item["uuid"] != str(case.uuid) for item in listed["items"])
    if user.is_office:
        for url in (
            reverse("mediation:dispute-list") + f"?q={TITLE}",
            reverse("mediation:dispute-list"),
            reverse("cases:case-queue") + f"?queue=all&q={TITLE}",
            reverse("people:household-detail", args=[world.home.uuid]),
        ):
            response = web.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()  # the search box echoes the title, so look for the case itself
            assert str(case.uuid) not in html and case.number not in html, url
        counts = web.get(reverse("mediation:dispute-counts"))
        assert counts.status_code == 200
        assert "合计 1" not in _xlsx_text(counts)
        queue_export = web.get(reverse("cases:case-export") + "?queue=all")
        if user.role == Role.MEDIATOR:  # no export right at all
            assert queue_export.status_code == 403
        else:
            assert queue_export.status_code == 200
            assert TITLE not in _xlsx_text(queue_export)


@pytest.mark.parametrize("persona", ["resident", "party", "mediator", "secretary"])
def test_dispute_is_seen_by_parties_mediator_and_secretary(world, secret, login, client, persona):
    user = getattr(world.users, persona)
    case = secret.case
    web = login(user)
    page = reverse("cases:case-detail" if user.is_office else "cases:my-case", args=[case.uuid])
    response = web.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE in html and "矛盾调解" in html and "22点后不再拖动桌椅" in html
    scan = web.get(reverse("mediation:scan-download", args=[case.uuid]))
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    assert b"".join(scan.streaming_content).startswith(b"%PDF")
    sessions = client.get(f"/api/v1/disputes/{case.uuid}/sessions", **bearer(user)).json()
    assert sessions["count"] == 1
    # The mediator's notes stay with staff; parties see when and where.
    assert sessions["items"][0]["notes"] == ("分别听取双方意见" if user.is_office else None)
    detail = client.get(f"/api/v1/cases/{case.uuid}", **bearer(user)).json()
    assert detail["detail"]["category"] == "noise" and detail["detail"]["agreement"]["has_signed_scan"]
    if user.is_office:
        listed = web.get(reverse("mediation:dispute-list"), {"q": TITLE}).content.decode()
        assert TITLE in listed
        assert "合计 1" in _xlsx_text(web.get(reverse("mediation:dispute-counts")))
    else:
        assert TITLE in web.get(reverse("cases:my-cases")).content.decode()


def test_street_leader_sees_it_once_escalated(world, login, client):
    d = register(world, parties=[world.far_resident], title=TITLE)
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    d.case.refresh_from_db()
    web = login(world.users.street_leader)
    url = reverse("cases:case-detail", args=[d.case.uuid])
    assert web.get(url).status_code == 404
    services.dispute_escalate(actor=world.users.mediator, dispute=d, reason="涉及金额较大")
    assert web.get(url).status_code == 200
    assert TITLE in web.get(reverse("mediation:dispute-list")).content.decode()
    assert (
        client.get(f"/api/v1/disputes/{d.case.uuid}/sessions", **bearer(world.users.street_leader)).status_code == 200
    )


def test_a_named_but_unverified_party_does_not_see_it_until_linked(world, login):
    d = services.dispute_register(
        actor=world.users.resident,
        title=TITLE,
        text="王建国家的车停在我家车位上",
        category="parking",
        other_parties=[{"name": "王建国", "address": "1号楼102"}],
    )
    web = login(world.users.neighbour)
    url = reverse("cases:my-case", args=[d.case.uuid])
    assert web.get(url).status_code == 404
    services.dispute_link_party(
        actor=world.users.secretary, named_party=d.named_parties.get(), resident=world.neighbour
    )
    assert web.get(url).status_code == 200
    assert TITLE in web.get(reverse("cases:my-cases")).content.decode()
