"""The register lists are cached under a data version the database itself moves (core.dataversion): whatever path
writes (a service, bulk_create, queryset.update, raw SQL, a delete), the next page shows it. Runs on SQLite and
PostgreSQL alike (make test / make test-pg)."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse

from jumin.core import dataversion
from jumin.core.models import ApiToken, AuditEvent, DataVersion
from jumin.people.models import Household, Resident, ResidentTag, Tag
from jumin.people.tests.factories import ResidentFactory
from jumin.places.models import Dwelling, Grid
from jumin.places.tests.factories import DwellingFactory


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def _moves(write) -> bool:
    before = dataversion.current("register")
    write()
    return dataversion.current("register") != before


def test_every_kind_of_write_to_a_register_table_moves_the_version(world):
    home, resident = world.home, world.resident
    assert _moves(lambda: ResidentFactory(household=home, name="新成员"))
    assert _moves(lambda: Resident.objects.filter(pk=resident.pk).update(name="张三"))
    assert _moves(lambda: Household.objects.bulk_create([Household(**_copy_of(home, "909"))]))
    assert _moves(lambda: ResidentTag.objects.filter(resident=resident).delete())
    assert _moves(lambda: Tag.objects.create(code="veteran", name="退役军人"))
    assert _moves(lambda: Grid.objects.filter(pk=world.grid1.pk).update(name="一网格"))
    table = connection.ops.quote_name(Dwelling._meta.db_table)
    with connection.cursor() as cursor:
        assert _moves(lambda: cursor.execute(f"UPDATE {table} SET address = address || '室'"))  # noqa: S608


def test_writes_elsewhere_leave_the_version_alone(world):
    assert not _moves(
        lambda: AuditEvent.objects.create(action="test", target_type="t", target_id="1", summary="与台账无关")
    )
    assert not _moves(lambda: ApiToken.issue(world.users.secretary))


def test_a_new_row_means_a_new_epoch_so_old_keys_never_match(world):
    Resident.objects.filter(pk=world.resident.pk).update(name="张三")
    old = dataversion.current("register")
    DataVersion.objects.all().delete()  # a flushed or restored database
    assert dataversion.current("register") == "0"
    Resident.objects.filter(pk=world.resident.pk).update(name="张三丰")
    new = dataversion.current("register")
    assert new != old and new.split(".")[0] != old.split(".")[0]


def _copy_of(household, number: str) -> dict:
    dwelling = DwellingFactory(unit=household.dwelling.unit, number=number)
    return {
        "community_id": household.community_id,
        "compound_id": household.compound_id,
        "grid_id": household.grid_id,
        "dwelling": dwelling,
    }


def test_household_list_page_partial_and_api_show_a_bulk_update_at_once(login, world):
    client = login(world.users.secretary)
    url = reverse("people:household-list")
    assert world.home.head_name in client.get(url).content.decode()
    assert world.home.head_name in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    api = client.get("/api/v1/households", **bearer(world.users.secretary)).json()
    assert world.home.head_name in {item["head_name"] for item in api["items"]}

    # Behind every service's back: no signal, no save().
    Household.objects.filter(pk=world.home.pk).update(head_name="钱多多")

    assert "钱多多" in client.get(url).content.decode()
    assert "钱多多" in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    api = client.get("/api/v1/households", **bearer(world.users.secretary)).json()
    assert "钱多多" in {item["head_name"] for item in api["items"]}


def test_resident_list_shows_a_new_resident_and_a_deleted_tag_at_once(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-list")
    html = client.get(url, {"q": "王建国"}).content.decode()
    assert '<span class="tag">下岗职工</span>' in html
    ResidentTag.objects.filter(resident=world.neighbour).delete()
    html = client.get(url, {"q": "王建国"}).content.decode()
    assert "王建国" in html and '<span class="tag">下岗职工</span>' not in html

    ResidentFactory(household=world.neighbour_home, name="王小明", age=12)
    assert "王小明" in client.get(url).content.decode()


def test_a_cached_page_is_never_served_across_scopes(login, world):
    """The secretary's page first, then the grid worker's with the same query string: only grid 1's households."""
    url = reverse("people:household-list")
    secretary_html = login(world.users.secretary).get(url).content.decode()
    assert world.far_home.dwelling.address in secretary_html
    worker_html = login(world.users.grid_worker).get(url).content.decode()
    assert world.home.dwelling.address in worker_html
    assert world.far_home.dwelling.address not in worker_html


def test_the_id_tail_search_is_not_shared_with_a_role_that_may_not_use_it(login, world):
    tail = world.neighbour.id_tail
    assert not world.neighbour.phone.endswith(tail)  # so only the ID tail can find 王建国
    url = reverse("people:resident-list")
    assert "王建国" in login(world.users.secretary).get(url, {"q": tail}).content.decode()
    # A grid worker may not search by ID tail: the secretary's cached answer must not reach them.
    worker_html = login(world.users.grid_worker).get(url, {"q": tail}).content.decode()
    assert "没有符合条件的居民" in worker_html and "王建国" not in worker_html


def test_a_birthday_overnight_shows_the_next_day_without_any_write(login, world):
    born = datetime.date(1966, 12, 3)
    ResidentFactory(household=world.far_home, name="周明", birth_date=born)
    url = reverse("people:resident-list")
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        html = login(world.users.secretary).get(url, {"q": "周明"}, HTTP_HX_REQUEST="true").content.decode()
        row = html[html.index(">周明</a>") :].split("</tr>")[0]
        assert ">59<" in row and "老年人" not in row
    with time_machine.travel(datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC), tick=False):
        html = login(world.users.secretary).get(url, {"q": "周明"}, HTTP_HX_REQUEST="true").content.decode()
        row = html[html.index(">周明</a>") :].split("</tr>")[0]
        assert ">60<" in row and "老年人" in row


def test_a_page_nobody_changed_is_served_from_the_cache(login, world, django_assert_num_queries):
    client = login(world.users.secretary)
    url = reverse("people:household-list")
    client.get(url)
    # Session, user, data version; the choices are cached too. No count, no rows, no tags.
    with django_assert_num_queries(3):
        assert world.home.dwelling.address in client.get(url, HTTP_HX_REQUEST="true").content.decode()


@pytest.mark.django_db(transaction=True)
def test_committed_writes_from_many_threads_each_show_and_none_deadlocks(login, world):
    """Real commits (PostgreSQL moves the version at commit): writers on their own connections, at once."""
    client = login(world.users.secretary)
    url = reverse("people:household-list")
    client.get(url)
    homes = [world.home, world.neighbour_home, world.far_home]
    errors = []
    barrier = threading.Barrier(len(homes))

    def rename(household, name):
        try:
            barrier.wait(timeout=5)
            with transaction.atomic():
                Resident.objects.filter(household=household).update(name=name)
                Household.objects.filter(pk=household.pk).update(head_name=name)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rename, args=(h, f"新户主{i}")) for i, h in enumerate(homes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    html = client.get(url).content.decode()
    assert all(f"新户主{i}" in html for i in range(len(homes)))


@pytest.mark.django_db(transaction=True)
def test_a_transaction_sees_its_own_writes_on_the_list(login, world):
    client = login(world.users.secretary)
    url = reverse("people:household-list")
    client.get(url)
    with transaction.atomic():
        Household.objects.filter(pk=world.home.pk).update(head_name="未提交")
        assert "未提交" in client.get(url).content.decode()
        transaction.set_rollback(True)
    assert "未提交" not in client.get(url).content.decode()
