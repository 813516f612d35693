"""What keeps the register's lists near the framework's floor stays correct: cached filter choices still show a new
compound, grid or tag at once, the search columns the database keeps follow a renamed resident and a new phone, and
SQLite's settings hold on every connection (they live across requests now). The query counts: test_query_counts."""

import pytest
from django.db import connection, connections
from django.urls import reverse

from jumin.core.access import scope_for
from jumin.people import services
from jumin.people.models import Resident
from jumin.people.tests.factories import TagFactory
from jumin.places.tests.factories import CompoundFactory, GridFactory


def test_filter_bar_shows_a_new_compound_grid_or_tag_at_once(login, world):
    client = login(world.users.secretary)
    client.get(reverse("people:household-list"))  # fills the cache
    CompoundFactory(community=world.a, name="新建小区")
    GridFactory(station=world.grid1.station, community=world.a, number=9, name="第9网格")
    TagFactory(code="new_tag", name="新标签")
    body = client.get(reverse("people:household-list")).content.decode()
    assert "新建小区" in body and "第9网格" in body and "新标签" in body


def test_search_columns_follow_a_renamed_resident_and_a_new_phone(login, world):
    resident = world.neighbour
    household = resident.household
    services.resident_update(
        actor=world.users.secretary,
        scope=scope_for(world.users.secretary),
        resident=resident,
        expected_version=household.version,
        data={"name": "欧阳修", "phone": "13712345678"},
    )
    stored = Resident.objects.values("name_initials", "name_full", "phone_tail").get(pk=resident.pk)
    assert stored == {"name_initials": "oyx", "name_full": "ouyangxiu", "phone_tail": "5678"}
    client = login(world.users.secretary)
    for q in ("oyx", "ouyang", "5678", "13712345678"):
        assert "欧阳修" in client.get(reverse("people:resident-list"), {"q": q}).content.decode(), q


@pytest.mark.django_db
def test_every_sqlite_connection_gets_wal_busy_timeout_foreign_keys_and_immediate_transactions(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # kept across requests
    fresh = connections.create_connection("default")
    try:
        fresh.ensure_connection()
        with fresh.cursor() as cursor:
            pragmas = {p: cursor.execute(f"PRAGMA {p}").fetchone()[0] for p in ("busy_timeout", "foreign_keys")}
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        assert pragmas == {"busy_timeout": 20000, "foreign_keys": 1}
        assert journal == "wal"
        assert fresh.transaction_mode == "IMMEDIATE"
    finally:
        fresh.close()
