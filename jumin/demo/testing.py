"""The demo street for tests, built once per test run and copied into each test module that asks for it.

`load_demo` takes seconds (7 communities, 18,100 residents); copying its rows from a SQLite file takes a fraction of
one. The first process of a run that needs it (xdist workers take turns on a file lock) loads the demo into a copy
of its freshly migrated test database and keeps that file; every module then attaches the file and copies the rows
into its own test database inside a transaction that is rolled back after the module. PostgreSQL runs load_demo per
module, as before.
"""

import fcntl
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

# The same fast hasher the root conftest gives every test, so the demo passwords check out inside them.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@dataclass(frozen=True)
class Snapshot:
    path: Path
    output: str  # what load_demo printed
    tables: list[str]  # the tables load_demo wrote to (all empty before it)


def snapshot(directory: Path) -> Snapshot:
    """The demo in `directory`/demo.sqlite3, loaded by whichever process gets here first."""
    path, facts = directory / "demo.sqlite3", directory / "demo.json"
    with (directory / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not facts.exists():
            facts.write_text(json.dumps(_build(path, media=directory)), encoding="utf-8")
    built = json.loads(facts.read_text(encoding="utf-8"))
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
        out = StringIO()
        media_in_tmp = override_settings(MEDIA_ROOT=media / "media", PRIVATE_MEDIA_ROOT=media / "private_media")
        with FAST_HASHER, media_in_tmp, transaction.atomic():  # one commit, not one per row
            call_command("load_demo", stdout=out)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_db
    after = _row_counts(path)
    changed = [t for t in after if after[t] != before[t] and before[t]]
    if changed:  # rows migrations or post_migrate made would be copied twice
        raise RuntimeError(f"load_demo 改了迁移时就有数据的表:{changed}")
    return {"output": out.getvalue(), "tables": sorted(t for t in after if after[t] and not before[t])}


def _row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        names = [n for (n,) in db.execute("select name from sqlite_master where type = 'table'")]
        # Table names from sqlite_master, not from input.
        count = 'select count(*) from "{}"'
        # SQLite's own tables (sequences, ANALYZE statistics) are not data.
        return {n: db.execute(count.format(n)).fetchone()[0] for n in names if not n.startswith("sqlite_")}


@contextmanager
def demo_loaded(directory: Path) -> Iterator[str]:
    """The demo street in the test database until the block ends; yields what load_demo printed."""
    if connection.vendor != "sqlite":
        with FAST_HASHER, transaction.atomic():
            out = StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
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
