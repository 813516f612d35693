"""core.dataversion on this database (SQLite in make test, PostgreSQL in make test-pg): install is idempotent and
repairs a missing trigger; every write moves the version, in the writing statement or (PostgreSQL) at commit."""

from django.db import connection

from jumin.core import dataversion
from jumin.core.models import AuditEvent


def _audit():
    AuditEvent.objects.create(action="probe", target_type="t", target_id="1", summary="探针")


def _install():
    dataversion.install("probe", [AuditEvent])
    if connection.vendor == "postgresql":  # new triggers start deferred in this (never committed) transaction
        dataversion.make_immediate()


def test_install_twice_then_repair_a_dropped_trigger(db):
    _install()
    _install()
    before = dataversion.current("probe")
    _audit()
    assert dataversion.current("probe") != before

    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER "dv_probe_{table}_insert"')
        else:
            cursor.execute(f'DROP TRIGGER "dv_probe" ON "{table}"')
    before = dataversion.current("probe")
    _audit()
    assert dataversion.current("probe") == before  # the dropped trigger no longer moves it

    _install()
    _audit()
    assert dataversion.current("probe") != before


def test_current_reads_several_versions_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert dataversion.current("nothing", "else") == "0:0"
