"""Who may see and do what in the register, tested from the outside for every role."""

import pytest
from django.urls import reverse

from jumin.core.models import AuditEvent

OFFICE_LIST_PAGES = ["people:household-list", "people:resident-list"]


@pytest.mark.parametrize("page", OFFICE_LIST_PAGES)
def test_anonymous_is_sent_to_login(client, world, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


@pytest.mark.parametrize("page", OFFICE_LIST_PAGES)
@pytest.mark.parametrize("persona", ["resident", "outsider"])
def test_residents_cannot_open_office_lists(login, world, page, persona):
    assert login(getattr(world.users, persona)).get(reverse(page)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("grid_worker", ["home", "neighbour_home"], ["far_home", "outsider_home"]),
        ("window_staff", ["home", "neighbour_home", "far_home"], ["outsider_home"]),
        ("mediator", ["home", "far_home"], ["outsider_home"]),
        ("secretary", ["home", "neighbour_home", "far_home"], ["outsider_home"]),
        ("street_leader", ["home", "far_home", "outsider_home"], []),
        ("other_secretary", ["outsider_home"], ["home", "far_home"]),
    ],
)
def test_household_list_and_file_follow_scope(login, world, persona, visible, hidden):
    client = login(getattr(world.users, persona))
    listing = client.get(reverse("people:household-list")).content.decode()
    for name in visible:
        household = getattr(world, name)
        assert household.dwelling.address in listing
        assert client.get(reverse("people:household-detail", args=[household.uuid])).status_code == 200
    for name in hidden:
        household = getattr(world, name)
        assert household.dwelling.address not in listing
        assert client.get(reverse("people:household-detail", args=[household.uuid])).status_code == 404


def test_street_leader_can_narrow_to_one_community(login, world):
    client = login(world.users.street_leader)
    response = client.post(reverse("core:community-switch"), {"community_id": world.b.pk})
    assert response.status_code == 302
    listing = client.get(reverse("people:household-list")).content.decode()
    assert world.outsider_home.dwelling.address in listing
    assert world.home.dwelling.address not in listing


def test_other_staff_cannot_use_community_switcher(login, world):
    response = login(world.users.secretary).post(reverse("core:community-switch"), {"community_id": world.b.pk})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["mediator", "street_leader"])
def test_roles_without_edit_right_get_403_on_edit_pages(login, world, persona):
    client = login(getattr(world.users, persona))
    assert client.get(reverse("people:resident-edit", args=[world.resident.uuid])).status_code == 403
    assert client.get(reverse("people:household-create")).status_code == 403
    assert client.get(reverse("people:resident-create", args=[world.home.uuid])).status_code == 403


def test_grid_worker_cannot_edit_outside_their_grids(login, world):
    client = login(world.users.grid_worker)
    assert client.get(reverse("people:resident-edit", args=[world.resident.uuid])).status_code == 200
    assert client.get(reverse("people:resident-edit", args=[world.far_resident.uuid])).status_code == 404
    assert client.get(reverse("people:resident-move-out", args=[world.far_resident.uuid])).status_code == 404


def test_full_id_number_only_for_hall_roles_and_each_reveal_is_audited(login, world):
    url = reverse("people:resident-reveal-id", args=[world.resident.uuid])
    assert login(world.users.grid_worker).post(url).status_code == 403
    assert login(world.users.street_leader).post(url).status_code == 403
    response = login(world.users.window_staff).post(url)
    assert response.status_code == 200
    assert world.resident.id_number in response.content.decode()
    event = AuditEvent.objects.get(action="resident.reveal_id")
    assert event.actor == world.users.window_staff
    assert world.resident.id_number not in str(event.changes) + event.summary


def test_household_file_masks_id_numbers(login, world):
    html = login(world.users.secretary).get(reverse("people:household-detail", args=[world.home.uuid])).content
    html = html.decode()
    assert world.resident.id_masked in html
    assert world.resident.id_number not in html


def test_lists_mask_phone_numbers(login, world):
    html = login(world.users.secretary).get(reverse("people:resident-list")).content.decode()
    assert world.resident.name in html
    assert world.resident.phone not in html
    assert world.resident.phone[-4:] in html


def test_exports_only_for_roles_that_keep_ledgers(login, world):
    assert login(world.users.mediator).get(reverse("people:resident-export")).status_code == 403
    response = login(world.users.grid_worker).get(reverse("people:resident-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_activation_review_is_for_hall_roles(login, world):
    assert login(world.users.grid_worker).get(reverse("people:activation-list")).status_code == 403
    assert login(world.users.secretary).get(reverse("people:activation-list")).status_code == 200


def test_audit_log_is_for_the_secretary(login, world):
    assert login(world.users.window_staff).get(reverse("dashboards:audit-list")).status_code == 403
    assert login(world.users.secretary).get(reverse("dashboards:audit-list")).status_code == 200


def test_resident_sees_only_their_own_household(login, world):
    client = login(world.users.resident)
    html = client.get(reverse("people:my-household")).content.decode()
    assert world.resident.name in html and world.spouse.name in html
    assert world.neighbour.name not in html
    assert world.resident.id_number not in html


def test_staff_have_no_my_household_page(login, world):
    assert login(world.users.secretary).get(reverse("people:my-household")).status_code == 404


def test_search_finds_a_resident_by_phone_tail_and_by_whole_phone_number(login, world):
    client = login(world.users.secretary)
    for page in ("people:resident-list", "people:household-list"):
        by_tail = client.get(reverse(page), {"q": world.neighbour.phone[-4:]}).content.decode()
        assert world.neighbour.household.dwelling.address in by_tail
        whole = client.get(reverse(page), {"q": world.neighbour.phone}).content.decode()
        assert world.neighbour.household.dwelling.address in whole
        assert world.resident.household.dwelling.address not in whole
