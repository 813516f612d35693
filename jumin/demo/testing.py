"""The demo street for tests, built once per test run and copied into each test module that asks for it.

`load_demo` takes seconds (7 communities, 18,100 residents); copying its rows from a SQLite file takes a fraction of
one. The first process of a run that needs it (xdist workers take turns on a file lock) loads the demo into a copy
of its freshly migrated test database and keeps that file; every module then attaches the file and copies the rows
into its own test database inside a transaction that is rolled back after the module. On PostgreSQL the first
process loads the demo inside a transaction, writes each table out with binary COPY and rolls back; every module then
COPYs the files into its own test database (load_demo per module cost 15 × 45 s of CPU in make test-pg).
"""

import fcntl
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

from jumin.core.models import DataVersion

# The same fast hasher the root conftest gives every test, so the demo passwords check out inside them.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@dataclass(frozen=True)
class Snapshot:
    path: Path
    output: str  # what load_demo printed
    tables: list[str]  # the tables load_demo wrote to (all empty before it)


def _built_once(directory: Path, name: str, build) -> dict:
    """What `build()` returned, run by whichever process of the test run gets here first (xdist workers take turns
    on a file lock) and kept beside the snapshot as `name`.json."""
    facts = directory / f"{name}.json"
    with (directory / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not facts.exists():
            facts.write_text(json.dumps(build()), encoding="utf-8")
    return json.loads(facts.read_text(encoding="utf-8"))


def _tables_written(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The tables load_demo filled; a table that already held rows (from migrations or post_migrate) must stay as it
    was, or those rows would be copied twice."""
    changed = [t for t in after if after[t] != before[t] and before[t]]
    if changed:
        raise RuntimeError(f"load_demo 改了迁移时就有数据的表:{changed}")
    # Data versions (core.dataversion) move by themselves as the snapshot's rows are copied in, and a row the
    # triggers made first would clash with the copied one.
    return sorted(t for t in after if after[t] and not before[t] and t != DataVersion._meta.db_table)


def snapshot(directory: Path) -> Snapshot:
    """The demo in `directory`/demo.sqlite3, loaded by whichever process gets here first."""
    path = directory / "demo.sqlite3"
    built = _built_once(directory, "demo", lambda: _build(path, media=directory))
    return Snapshot(path=path, output=built["output"], tables=built["tables"])


def _build(path: Path, *, media: Path) -> dict:
    """load_demo into a copy of this process's migrated, empty test database, so the schema is the same."""
    test_db = connection.settings_dict["NAME"]
    with closing(sqlite3.connect(test_db)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    before = _row_counts(path)
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    try:
        with transaction.atomic():  # one commit, not one per row
            output = _load_demo(media)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_db
    return {"output": output, "tables": _tables_written(before, _row_counts(path))}


def _row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        names = [n for (n,) in db.execute("select name from sqlite_master where type = 'table'")]
        # Table names from sqlite_master, not from input.
        count = 'select count(*) from "{}"'
        # SQLite's own tables (sequences, ANALYZE statistics) are not data.
        return {n: db.execute(count.format(n)).fetchone()[0] for n in names if not n.startswith("sqlite_")}


def _load_demo(media: Path) -> str:
    out = StringIO()
    media_in_tmp = override_settings(MEDIA_ROOT=media / "media", PRIVATE_MEDIA_ROOT=media / "private_media")
    with FAST_HASHER, media_in_tmp:
        call_command("load_demo", stdout=out)
    return out.getvalue()


def _postgres_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = current_schema() order by tablename")
        return [name for (name,) in cursor.fetchall()]


def _postgres_counts(tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        count = 'select count(*) from "{}"'  # table names from pg_tables, not from input
        for table in tables:
            cursor.execute(count.format(table))
            counts[table] = cursor.fetchone()[0]
        return counts


def _postgres_snapshot(directory: Path) -> Snapshot:
    """The demo as one binary COPY file per table in `directory`/pg-demo, written by whichever process is first."""
    folder = directory / "pg-demo"
    built = _built_once(directory, "pg-demo", lambda: _postgres_build(folder, media=directory))
    return Snapshot(path=folder, output=built["output"], tables=built["tables"])


def _postgres_build(folder: Path, *, media: Path) -> dict:
    """load_demo inside a transaction, each table it filled written out with COPY, then all of it rolled back."""
    folder.mkdir(exist_ok=True)
    with transaction.atomic():
        tables = _postgres_tables()
        before = _postgres_counts(tables)
        output = _load_demo(media)
        written = _tables_written(before, _postgres_counts(tables))
        raw = connection.cursor().cursor
        for table in written:
            with (
                (folder / f"{table}.copy").open("wb") as out,
                raw.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy,
            ):
                for chunk in copy:
                    out.write(chunk)
        transaction.set_rollback(True)
    return {"output": output, "tables": written}


def _reset_sequences(tables: list[str]) -> None:
    """Rows came in with their ids: move each id sequence past them (setval is not rolled back, which is harmless)."""
    wanted = set(tables)
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in wanted]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@contextmanager
def _postgres_demo(directory: Path) -> Iterator[str]:
    demo = _postgres_snapshot(directory)
    with transaction.atomic():
        raw = connection.cursor().cursor
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in demo.tables:
            with raw.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                copy.write((demo.path / f"{table}.copy").read_bytes())
        _reset_sequences(demo.tables)
        yield demo.output
        transaction.set_rollback(True)


@contextmanager
def demo_loaded(directory: Path) -> Iterator[str]:
    """The demo street in the test database until the block ends; yields what load_demo printed."""
    if connection.vendor == "postgresql":
        with _postgres_demo(directory) as output:
            yield output
        return
    demo = snapshot(directory)
    with connection.cursor() as cursor:  # SQLite refuses ATTACH inside a transaction
        cursor.execute("ATTACH DATABASE %s AS demo", [str(demo.path)])
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in demo.tables:
                    cursor.execute(f'PRAGMA demo.table_info("{table}")')
                    columns = ", ".join(f'"{column[1]}"' for column in cursor.fetchall())
                    # Names from sqlite_master and PRAGMA, not from input.
                    copy = 'INSERT INTO main."{0}" ({1}) SELECT {1} FROM demo."{0}"'
                    cursor.execute(copy.format(table, columns))
            yield demo.output
            transaction.set_rollback(True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DETACH DATABASE demo")
