"""The scoping matrix: every register page and endpoint, for every persona, against households inside and outside
their reach. Staff see their community, a grid worker their grids, the street leader all its communities, a
resident their own household; anything else is 404 (403 only for a staff role that lacks the right altogether).

The expectations are written out by hand from the issue's rules, not computed from the code under test.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jumin.core.models import ApiToken, AuditEvent
from jumin.people.models import Activation, ActivationStatus, Resident

STAFF = ["grid_worker", "window_staff", "mediator", "secretary", "street_leader", "other_secretary"]
RESIDENTS = ["resident", "neighbour", "outsider"]
EVERYONE = STAFF + RESIDENTS

# Who may see each household (world: home and neighbour_home in grid 1, far_home in grid 2 of community A,
# outsider_home in community B).
SEES = {
    "home": {"grid_worker", "window_staff", "mediator", "secretary", "street_leader", "resident"},
    "neighbour_home": {"grid_worker", "window_staff", "mediator", "secretary", "street_leader", "neighbour"},
    "far_home": {"window_staff", "mediator", "secretary", "street_leader"},
    "outsider_home": {"street_leader", "other_secretary", "outsider"},
}
# Rights by role (other_secretary is a secretary too, of community B).
EDITORS = {"grid_worker", "window_staff", "secretary", "other_secretary"}
REVEALERS = {"window_staff", "secretary", "other_secretary"}
OFFICE = set(STAFF)


def office_status(persona, household, right=None):
    """Back-office page about one household: residents never know it exists; a staff role without the right
    gets 403; otherwise the scope decides."""
    if persona not in OFFICE:
        return 404
    if right is not None and persona not in right:
        return 403
    return 200 if persona in SEES[household] else 404


MEMBER_OF = {"home": "resident", "far_home": "far_resident", "outsider_home": "outsider_resident"}

OFFICE_PAGES = {
    "household-detail": (lambda w, h: reverse("people:household-detail", args=[getattr(w, h).uuid]), None),
    "resident-create": (lambda w, h: reverse("people:resident-create", args=[getattr(w, h).uuid]), EDITORS),
    "resident-edit": (
        lambda w, h: reverse("people:resident-edit", args=[getattr(w, MEMBER_OF[h]).uuid]),
        EDITORS,
    ),
    "resident-move-out": (
        lambda w, h: reverse("people:resident-move-out", args=[getattr(w, MEMBER_OF[h]).uuid]),
        EDITORS,
    ),
}


@pytest.mark.parametrize("household", ["home", "far_home", "outsider_home"])
@pytest.mark.parametrize("page", list(OFFICE_PAGES))
@pytest.mark.parametrize("persona", EVERYONE)
def test_office_pages_about_one_household(login, world, persona, page, household):
    url_of, right = OFFICE_PAGES[page]
    response = login(getattr(world.users, persona)).get(url_of(world, household))
    expected = office_status(persona, household, right)
    assert response.status_code == expected
    if expected == 404:
        assert getattr(world, household).dwelling.address not in response.content.decode()


@pytest.mark.parametrize("household", ["home", "far_home", "outsider_home"])
@pytest.mark.parametrize("persona", EVERYONE)
def test_revealing_an_id_number(login, world, persona, household):
    member = getattr(world, MEMBER_OF[household])
    response = login(getattr(world.users, persona)).post(reverse("people:resident-reveal-id", args=[member.uuid]))
    expected = office_status(persona, household, REVEALERS)
    assert response.status_code == expected
    revealed = AuditEvent.objects.filter(action="resident.reveal_id", target_id=str(member.pk))
    if expected == 200:
        assert member.id_number in response.content.decode()
        assert revealed.get().actor == getattr(world.users, persona)
        assert "no-store" in response["Cache-Control"]
    else:
        assert member.id_number not in response.content.decode()
        assert not revealed.exists()


def _listed(persona) -> set[str]:
    return {h for h, who in SEES.items() if persona in who} if persona in OFFICE else set()


@pytest.mark.parametrize("persona", EVERYONE)
def test_household_and_resident_lists_and_their_ledgers(login, world, persona):
    client = login(getattr(world.users, persona))
    visible = _listed(persona)
    pages = ["people:household-list", "people:resident-list"]
    exports = {"people:household-export": 2, "people:resident-export": 2}  # column of the address
    for page in pages:
        response = client.get(reverse(page))
        assert response.status_code == (200 if persona in OFFICE else 404)
        html = response.content.decode()
        for name in SEES:
            assert (getattr(world, name).dwelling.address in html) == (name in visible), (page, name)
    for export, column in exports.items():
        response = client.get(reverse(export))
        if persona not in OFFICE:
            assert response.status_code == 404
            continue
        if persona == "mediator":
            assert response.status_code == 403
            continue
        sheet = load_workbook(BytesIO(response.content)).active
        addresses = {row[column - 1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert addresses == {getattr(world, name).dwelling.address for name in visible}, export


@pytest.mark.parametrize("persona", EVERYONE)
def test_place_pages(login, world, persona):
    client = login(getattr(world.users, persona))
    overview = client.get(reverse("places:overview"))
    assert overview.status_code == (200 if persona in OFFICE else 404)
    expected = {
        # compound (grid 1), compound2 (grid 2), community B's compound
        "grid_worker": (200, 404),
        "window_staff": (200, 200),
        "mediator": (200, 200),
        "secretary": (200, 200),
        "street_leader": (200, 200),
        "other_secretary": (404, 404),
    }.get(persona, (404, 404))
    for compound, status in zip([world.compound, world.compound2], expected, strict=True):
        response = client.get(reverse("places:compound-detail", args=[compound.pk]))
        assert response.status_code == status, compound.name


@pytest.mark.parametrize("persona", EVERYONE)
def test_my_household_page(login, world, persona):
    response = login(getattr(world.users, persona)).get(reverse("people:my-household"))
    if persona not in RESIDENTS:
        assert response.status_code == 404
        return
    html = response.content.decode()
    own = {"resident": "home", "neighbour": "neighbour_home", "outsider": "outsider_home"}[persona]
    for name in SEES:
        assert (getattr(world, name).dwelling.address in html) == (name == own), name


@pytest.mark.parametrize("persona", EVERYONE)
def test_activation_review_and_decision(client, login, world, persona):
    from jumin.people import services

    # A pending request from someone in community A (the spouse has no login yet).
    world.spouse.phone = "13712340000"
    world.spouse.save(update_fields=["phone"])
    services.activation_request(phone="13712340000", id_number=world.spouse.id_number, password="Pw-long-enough-1")
    activation = Activation.objects.get()
    staff = login(getattr(world.users, persona))
    listing = staff.get(reverse("people:activation-list"))
    decide = staff.post(reverse("people:activation-decide", args=[activation.pk]), {"decision": "approve"})
    if persona not in OFFICE:
        assert (listing.status_code, decide.status_code) == (404, 404)
    elif persona not in {"window_staff", "secretary", "other_secretary"}:
        assert (listing.status_code, decide.status_code) == (403, 403)
    elif persona == "other_secretary":  # reviews community B's requests, never sees A's
        assert listing.status_code == 200
        assert world.spouse.name not in listing.content.decode()
        assert decide.status_code == 404
    else:
        assert world.spouse.name in listing.content.decode()
        assert decide.status_code == 302
    approved = Activation.objects.get().status == ActivationStatus.APPROVED
    assert approved == (persona in {"window_staff", "secretary"})


# ---- the API ---------------------------------------------------------------------------------------------------


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.mark.parametrize("persona", EVERYONE)
def test_api_household_list_and_file(client, world, persona):
    headers = bearer(getattr(world.users, persona))
    own = {"resident": "home", "neighbour": "neighbour_home", "outsider": "outsider_home"}
    visible = _listed(persona) if persona in OFFICE else {own[persona]}
    items = client.get("/api/v1/households", **headers).json()["items"]
    assert {i["uuid"] for i in items} == {str(getattr(world, name).uuid) for name in visible}
    for name in SEES:
        response = client.get(f"/api/v1/households/{getattr(world, name).uuid}", **headers)
        assert response.status_code == (200 if name in visible else 404), name
        if name in visible:
            members = {m["name"] for m in response.json()["members"]}
            assert members == set(
                Resident.objects.filter(household=getattr(world, name)).values_list("name", flat=True)
            )


@pytest.mark.parametrize("persona", EVERYONE)
def test_api_community_summary(client, world, persona):
    headers = bearer(getattr(world.users, persona))
    sees_a = persona in {"grid_worker", "window_staff", "mediator", "secretary", "street_leader"}
    sees_b = persona in {"street_leader", "other_secretary"}
    for community, allowed in [(world.a, sees_a), (world.b, sees_b)]:
        response = client.get(f"/api/v1/communities/{community.pk}/summary", **headers)
        assert response.status_code == (200 if allowed else 404)
        if allowed:
            assert response.json()["community"] == community.name


def test_api_street_leader_narrows_to_one_community(client, world):
    headers = bearer(world.users.street_leader)
    items = client.get(f"/api/v1/households?community={world.b.pk}", **headers).json()["items"]
    assert [i["uuid"] for i in items] == [str(world.outsider_home.uuid)]


def test_api_other_staff_cannot_widen_their_scope_with_the_community_filter(client, world):
    items = client.get(f"/api/v1/households?community={world.b.pk}", **bearer(world.users.secretary)).json()
    assert str(world.outsider_home.uuid) not in {i["uuid"] for i in items["items"]}
