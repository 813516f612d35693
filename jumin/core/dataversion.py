"""Data versions kept by the database: triggers on a set of tables give a counter (core.models.DataVersion) a new
random `epoch` with every write, so a cache keyed on it is never stale whichever path wrote (services, bulk_create,
queryset.update, the admin, raw SQL). The epoch is random rather than counted so that a rolled-back write can
never hand out a key that a later write would reuse.

- SQLite: a row trigger inside the writing statement (writers are serialized there, so no lock order to mind).
- PostgreSQL: a deferred constraint trigger, run at commit: the counter row is locked only while the transaction
  commits, so writers do not queue behind each other for a whole transaction, and never deadlock on it mid-way.
  `writer` (transaction and statement) lets the bump run once per statement however many rows it wrote, and once
  for all of them at commit. Until the commit the writing transaction itself still sees the old key, so
  `cacheable()` says not to use the cache inside a transaction.

Installed from post_migrate (`install`), so databases built without migrations (tests with --nomigrations) get them.
"""

from django.core.cache import cache
from django.db import connection as default_connection

from .models import DataVersion

TABLE = DataVersion._meta.db_table
EVENTS = ("insert", "update", "delete")


def _sqlite_triggers(name: str, tables: list[str], qn) -> tuple[list[str], list[tuple]]:
    """(statements run every time, [(trigger as found in the database, DROP, CREATE)])."""
    triggers = []
    for table in tables:
        for event in EVENTS:
            trigger = f"dv_{name}_{table}_{event}"
            create = (
                # Quoted table names from the models and a name checked to be an identifier (install).
                f"CREATE TRIGGER {qn(trigger)} AFTER {event.upper()} ON {qn(table)} BEGIN "  # noqa: S608
                f"INSERT INTO {qn(TABLE)} (name, epoch, version, writer) "
                f"VALUES ('{name}', lower(hex(randomblob(8))), 1, '') "
                f"ON CONFLICT (name) DO UPDATE SET epoch = excluded.epoch, version = version + 1; END"
            )
            triggers.append(((trigger, create), f"DROP TRIGGER IF EXISTS {qn(trigger)}", create))
    return [], triggers


def _sqlite_existing(cursor) -> set:
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dv\\_%' ESCAPE '\\'")
    return set(cursor.fetchall())


def _postgresql_triggers(name: str, tables: list[str], qn) -> tuple[list[str], list[tuple]]:
    function, table_name = qn("dv_bump"), qn(TABLE)
    always = [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608
        f"INSERT INTO {table_name} (name, epoch, version, writer) VALUES (TG_ARGV[0], md5(random()::text), 1, "
        f"txid_current()::text || '@' || statement_timestamp()::text) "
        f"ON CONFLICT (name) DO UPDATE SET epoch = EXCLUDED.epoch, version = {table_name}.version + 1, "
        f"writer = EXCLUDED.writer WHERE {table_name}.writer <> EXCLUDED.writer; RETURN NULL; END $$"
    ]
    trigger = f"dv_{name}"
    triggers = [
        (
            (trigger, table),
            f"DROP TRIGGER IF EXISTS {qn(trigger)} ON {qn(table)}",
            f"CREATE CONSTRAINT TRIGGER {qn(trigger)} AFTER INSERT OR UPDATE OR DELETE ON {qn(table)} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}('{name}')",
        )
        for table in tables
    ]
    return always, triggers


def _postgresql_existing(cursor) -> set:
    cursor.execute(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
        ["dv\\_%"],
    )
    return set(cursor.fetchall())


BACKENDS = {"sqlite": (_sqlite_triggers, _sqlite_existing), "postgresql": (_postgresql_triggers, _postgresql_existing)}


def make_immediate(*, connection=default_connection) -> None:
    """PostgreSQL: run this transaction's version triggers at the end of each statement, as SQLite does, and use
    the caches inside it. For tests, whose transaction never commits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE %s AND tgconstraint <> 0", ["dv\\_%"])
        names = [connection.ops.quote_name(row[0]) for row in cursor.fetchall()]
        if names:
            cursor.execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE")
    connection.data_versions_immediate = True


def install(name: str, models, *, connection=default_connection) -> None:
    """Triggers that move the version `name` on every write to the tables of `models` (idempotent)."""
    if not name.isidentifier():  # it is written into the SQL text
        raise ValueError(name)
    tables = sorted({model._meta.db_table for model in models})
    build, existing = BACKENDS[connection.vendor]
    always, triggers = build(name, tables, connection.ops.quote_name)
    with connection.cursor() as cursor:
        for statement in always:
            cursor.execute(statement)
        # Only what is missing or changed: a flush in the tests runs post_migrate again, and schema changes cost.
        found = existing(cursor)
        for key, drop, create in triggers:
            if key not in found:
                cursor.execute(drop)
                cursor.execute(create)


def current(*names: str, connection=default_connection) -> str:
    """The versions `names` now, for a cache key: one read of a row each, by primary key, in one query."""
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT name, epoch, version FROM {table} WHERE name IN ({placeholders})", list(names))  # noqa: S608
        found = {name: f"{epoch}.{version}" for name, epoch, version in cursor.fetchall()}
    return ":".join(found.get(name, "0") for name in names)


def cacheable(*, connection=default_connection) -> bool:
    """May a cache keyed on `current` be read and filled now? Not inside a transaction on PostgreSQL: its own
    writes move the version only at commit, so it would read, or store, what others do not see."""
    # Tests run inside a transaction and make the triggers immediate there (make_immediate), as SQLite's are.
    immediate = getattr(connection, "data_versions_immediate", False)
    return connection.vendor != "postgresql" or not connection.in_atomic_block or immediate


def cached(key: str, seconds: int, build):
    """`build()`, kept under `key` (which carries a `current` version) when `cacheable()`."""
    if not cacheable():
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
