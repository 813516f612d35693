"""The household file is cached per viewer under the register's and the timeline's data versions
(people.selectors.file_cache_key): any write to what it shows, by any path, shows on the next request; no viewer
gets another's page; the reveal forms carry the request's own CSRF token."""

import re

from django.test import Client
from django.urls import reverse

from jumin.cases import services as case_services
from jumin.cases.models import Case
from jumin.core.models import AuditEvent
from jumin.people.models import Resident
from jumin.places.models import Community, Dwelling, DwellingOwner


def file_url(household) -> str:
    return reverse("people:household-detail", args=[household.uuid])


def test_a_bulk_update_of_a_member_and_of_the_dwelling_shows_at_once(login, world):
    client = login(world.users.secretary)
    assert world.resident.name in client.get(file_url(world.home)).content.decode()
    Resident.objects.filter(pk=world.resident.pk).update(name="张三")
    Dwelling.objects.filter(pk=world.home.dwelling_id).update(floor_area="88.50")
    html = client.get(file_url(world.home)).content.decode()
    assert "<td>张三</td>" in html and "88.50 ㎡" in html


def test_a_new_case_and_a_changed_title_show_in_the_timeline_at_once(login, world):
    client = login(world.users.secretary)
    assert "楼道灯坏了" not in client.get(file_url(world.home)).content.decode()
    case = case_services.case_open(actor=world.users.resident, kind="opinion", title="楼道灯坏了", body="三楼")
    assert "楼道灯坏了" in client.get(file_url(world.home)).content.decode()
    Case.objects.filter(pk=case.pk).update(title="楼道灯修好了吗")
    assert "楼道灯修好了吗" in client.get(file_url(world.home)).content.decode()


def test_an_audit_entry_written_directly_shows_in_the_timeline(login, world):
    client = login(world.users.secretary)
    client.get(file_url(world.home))
    AuditEvent.objects.create(
        action="household.note", target_type="household", target_id=str(world.home.pk), summary="入户走访"
    )
    assert "入户走访" in client.get(file_url(world.home)).content.decode()


def test_a_viewer_never_gets_the_page_cached_for_another(login, world):
    """The secretary sees full phone numbers and the reveal forms; the street leader, after her, neither."""
    phone = world.resident.phone
    secretary_html = login(world.users.secretary).get(file_url(world.home)).content.decode()
    assert phone in secretary_html and "显示完整" in secretary_html
    leader_html = login(world.users.street_leader).get(file_url(world.home)).content.decode()
    assert phone not in leader_html and "显示完整" not in leader_html
    assert world.resident.name in leader_html


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_reveal_form_works_in_a_second_session_served_from_the_cache(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(world.users.secretary)
    first.get(file_url(world.home))
    html = second.get(file_url(world.home)).content.decode()  # the first session's page, from the cache
    assert "\x1e" not in html
    reveal = reverse("people:resident-reveal-id", args=[world.spouse.uuid])
    response = second.post(reveal, {"csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 200
    assert world.spouse.id_number in response.content.decode()


def test_a_file_nobody_changed_is_served_from_the_cache(login, world, django_assert_num_queries):
    client = login(world.users.secretary)
    client.get(file_url(world.home))
    # Session, user, the household (which checks the scope), the data versions: no members, owners or timeline.
    with django_assert_num_queries(4):
        assert world.spouse.name in client.get(file_url(world.home)).content.decode()


def test_a_household_outside_the_scope_is_still_404_after_its_file_was_cached(login, world):
    login(world.users.secretary).get(file_url(world.far_home))
    assert login(world.users.grid_worker).get(file_url(world.far_home)).status_code == 404


def test_the_owners_and_the_community_name_show_at_once(login, world):
    client = login(world.users.secretary)
    client.get(file_url(world.home))
    DwellingOwner.objects.create(community=world.a, dwelling=world.home.dwelling, name="钱产权")
    Community.objects.filter(pk=world.a.pk).update(name="玉龙湖新社区")
    html = client.get(file_url(world.home)).content.decode()
    assert "钱产权" in html and "<dd>玉龙湖新社区</dd>" in html
