"""The parts of the bench that run inside Django, each in its own process against the bench database.

    python -m bench.tasks prepare --out FILE --password PW     bench password for the staff accounts, and facts
    python -m bench.tasks queries --out FILE --urls JSON      queries per request for each measured endpoint
    python -m bench.tasks plans   --out FILE --urls JSON      queries and their plans (EXPLAIN) for the searches
    python -m bench.tasks roster  --out FILE [--rows 9380]     roster import speed (run it on a throwaway copy)

bench/run.py sets the environment (DJANGO_SETTINGS_MODULE=bench.settings, production keys, the database) and
reads the JSON each task writes to --out.
"""

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
from pathlib import Path

import django

SECRETARY_PHONE = "13900000001"
# The staff demo accounts get the bench password: production refuses the published demo password.
STAFF_PHONES = ("13900000001", "13900000002", "13900000003", "13900000004", "13900000005")
# The elderly demo resident heads a household with family: a household file with something on it.
FILE_HOUSEHOLD_PHONE = "13900000010"
DEMO_COMMUNITY = "玉龙湖社区"
ROSTER_ROWS = 9380  # 玉龙湖社区's population, as in the news report


def prepare(args) -> dict:
    from jumin.core.models import User
    from jumin.people.models import Household, Resident

    users = {u.phone: u for u in User.objects.filter(phone__in=STAFF_PHONES)}
    if SECRETARY_PHONE not in users:
        raise SystemExit(f"数据库里没有演示账号 {SECRETARY_PHONE}:请删除 bench/out 后重新运行,让 bench 重建数据库")
    for user in users.values():
        user.set_password(args.password)
        user.save(update_fields=["password"])
    elder = User.objects.select_related("resident__household").get(phone=FILE_HOUSEHOLD_PHONE)
    community_id = users[SECRETARY_PHONE].community_id
    return {
        "household_uuid": str(elder.resident.household.uuid),
        "household_members": elder.resident.household.member_count,
        "community_id": community_id,
        "search": search_sample(community_id),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        # The secretary's scope: what the 台账 exports hold.
        "showcase": {
            "households": Household.objects.filter(community_id=users[SECRETARY_PHONE].community_id).count(),
            "residents": Resident.objects.active().filter(community_id=users[SECRETARY_PHONE].community_id).count(),
        },
    }


def search_sample(community_id: int) -> dict:
    """What a secretary would type into the search box, taken from a resident of her community who has a phone."""
    from jumin.people.models import Resident

    residents = Resident.objects.active().filter(community_id=community_id).exclude(phone="")
    resident = residents.order_by("id")[residents.count() // 2]
    return {
        "initials": resident.name_pinyin.split()[0],
        "id_tail": resident.id_tail,
        "phone": resident.phone,
        "grid": resident.grid_id,
    }


def _captured(urls: dict) -> dict:
    """Each URL fetched as the secretary (pages with her session, /api/ with her bearer token), with the SQL it ran."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jumin.core.models import ApiToken, User

    secretary = User.objects.get(phone=SECRETARY_PHONE)
    # The bench serves with DJANGO_ALLOWED_HOSTS=127.0.0.1, so the test client must ask for that host.
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(secretary, backend="jumin.core.backends.PhoneBackend")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(secretary)}"}
    captured_by_url = {}
    for name, url in urls.items():
        headers = bearer if url.startswith("/api/") else {}
        # The first request in a process fills caches the server keeps warm. A "{miss}" URL asks for a page the
        # list cache has not seen each time (bench/run.py, MISS), so its count is that of a page after a write.
        client.get(url.replace("{miss}", "warm"), **headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url.replace("{miss}", "counted"), **headers)
        captured_by_url[name] = (url, response.status_code, captured.captured_queries)
    return captured_by_url


def queries(args) -> dict:
    return {
        name: {"url": url, "status": status, "queries": len(sql)}
        for name, (url, status, sql) in _captured(json.loads(args.urls)).items()
    }


def plans(args) -> dict:
    """The register's queries behind each search, with the database's plan for each (EXPLAIN QUERY PLAN on SQLite,
    EXPLAIN on PostgreSQL): whether they search an index or scan the table."""
    from django.db import connection

    result = {}
    for name, (url, status, captured) in _captured(json.loads(args.urls)).items():
        register = [q for q in captured if "people_" in q["sql"]]
        result[name] = {
            "url": url,
            "status": status,
            "queries": len(captured),
            "sql_ms": round(sum(float(q["time"]) for q in captured) * 1000, 2),
            "plans": [{"sql": q["sql"], "plan": explain(connection, q["sql"])} for q in register],
        }
    return result


def explain(connection, sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return lines
        cursor.execute(f"EXPLAIN {sql}")
        return [row[0] for row in cursor.fetchall()]


def roster(args) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jumin.core.access import scope_for
    from jumin.core.models import User
    from jumin.people.roster import roster_import
    from jumin.places.models import Community

    secretary = User.objects.get(phone=SECRETARY_PHONE)
    community = Community.objects.get(name=DEMO_COMMUNITY)
    started = time.perf_counter()
    rows = list(fictional_roster(community, args.rows))
    data = xlsx(rows)
    built = time.perf_counter() - started

    result = {"rows": len(rows), "households": len({tuple(r[:4]) for r in rows}), "xlsx_bytes": len(data)}
    result["build_seconds"] = built
    for label, dry_run in (("dry_run", True), ("import", False)):
        upload = SimpleUploadedFile("花名册.xlsx", data)
        started = time.perf_counter()
        report = roster_import(
            actor=secretary, scope=scope_for(secretary), community=community, file=upload, dry_run=dry_run
        )
        seconds = time.perf_counter() - started
        result[label] = {
            "seconds": seconds,
            "rows_per_second": len(rows) / seconds,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
            "first_errors": [f"第{e.row}行 {e.column}:{e.message}" for e in report.errors[:5]],
        }
    return result


def xlsx(rows) -> bytes:
    """The roster as the import template lays it out. Write-only mode: openpyxl's normal mode slows down with
    every row appended (roster_workbook needs about 50 s for 9,380 rows)."""
    from openpyxl import Workbook

    from jumin.people.roster import SHEET_NAME, TEMPLATE_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    sheet.append(TEMPLATE_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SURNAMES = "李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许邓冯韦曹彭曾肖"
GIVEN = {
    "M": ["建国", "志明", "海峰", "立军", "文涛", "宏伟", "春雷", "晓光", "子豪", "浩宇", "俊峰", "天明"],
    "F": ["秀芳", "丽华", "红霞", "玉兰", "春梅", "晓敏", "欣悦", "雨涵", "佳琪", "静怡", "慧敏", "婉婷"],
}
TAGS = ["党员", "退役军人", "低保户", "残疾人", "下岗职工"]


def fictional_roster(community, count: int, seed: int = 9380):
    """`count` rows of made-up households (3 or 4 people) in new rooms of the community's existing buildings."""
    from jumin.people import idcard
    from jumin.places.models import Building

    rng = random.Random(seed)
    buildings = list(
        Building.objects.filter(community=community)
        .select_related("compound")
        .prefetch_related("units")
        .order_by("compound__name", "id")
    )
    today = datetime.date.today()
    used_ids: set[str] = set()

    def person(gender: str, age: int):
        birth = today - datetime.timedelta(days=age * 365 + rng.randrange(365))
        while True:
            # Area 371699 is not used by the demo generator, so these never collide with residents on file.
            number = idcard.make("371699", birth, 2 * rng.randrange(500) + (gender == "M"))
            if number not in used_ids:
                used_ids.add(number)
                return rng.choice(SURNAMES) + rng.choice(GIVEN[gender]), number, birth

    household = 0
    written = 0
    while written < count:
        building = buildings[household % len(buildings)]
        units = list(building.units.all())
        unit = units[(household // len(buildings)) % len(units)].name if units else "1单元"
        room = f"B{household + 1:04d}"  # rooms that do not exist yet: every row is a new resident
        size = min(3 + household % 2, count - written)
        head_gender = rng.choice("MF")
        head_age = rng.randint(32, 82)
        members = [("户主", head_gender, head_age)]
        members.append(("配偶", "F" if head_gender == "M" else "M", max(22, head_age + rng.randint(-4, 4))))
        members.append(("子女", rng.choice("MF"), max(1, head_age - rng.randint(24, 32))))
        members.append(("父母", rng.choice("MF"), head_age + rng.randint(22, 28)) if head_age < 60 else members[2])
        head_name = None
        for index, (relation, gender, age) in enumerate(members[:size]):
            name, number, birth = person(gender, min(age, 100))
            head_name = head_name or name
            phone = f"158{rng.randrange(10**8):08d}" if index == 0 else ""
            tags = "、".join(t for t in TAGS if rng.random() < 0.06) if age >= 18 else ""
            yield [
                building.compound.name,
                building.name,
                unit,
                room,
                head_name,
                name,
                relation,
                "男" if gender == "M" else "女",
                number,
                birth,
                phone,
                tags,
            ]
            written += 1
        household += 1


TASKS = {"prepare": prepare, "queries": queries, "plans": plans, "roster": roster}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=TASKS)
    parser.add_argument("--out", required=True)
    parser.add_argument("--password")
    parser.add_argument("--urls", help="JSON object: name → URL")
    parser.add_argument("--rows", type=int, default=ROSTER_ROWS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    Path(args.out).write_text(json.dumps(TASKS[args.task](args), ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
