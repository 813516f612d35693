"""make bench: how fast the register pages are on a street-sized database, served the production way.

1. Builds the demo at --scale 10 once (bench/out/bench-scale10.sqlite3, or the PostgreSQL database in DATABASE_URL)
   with keys generated on first run and kept in bench/out/env, so the encrypted ID numbers stay readable.
2. Serves it with production settings (JUMIN_PRODUCTION=1) under gunicorn, 2 workers, on a free loopback port.
3. For each page and API list, alternates rounds of the endpoint, of an auth-only bare view (it loads the user from
   the same session cookie or bearer token) and of a bare Django view, each answering with as many bytes
   (A/B/C/A/B/C), and prints requests/s, p50/p95 latency, the workers' CPU per request (from /proc) and the
   ratios to both floors; then the queries per request. Our household list is also measured against Django admin's
   changelist of the same households.
4. Searches of the register (filters, pinyin initials, ID tail, whole phone number, elderly) one at a time, with
   their p95 and the database's plan for each of their queries.
5. Times the 台账 exports and a 9,380-row roster import (dry run and real) on a throwaway copy of the database.

Figures only: nothing here passes or fails on time. Results also go to bench/out/results.json.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from load import Client, children, measured_hammer, summary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KEYS_FILE = OUT / "env"
LOGS = OUT / "logs"
SECRETARY_PHONE = "13900000001"
WINDOW_STAFF_PHONE = "13900000002"
KEY_NAMES = ("DJANGO_SECRET_KEY", "JUMIN_FIELD_SALT", "JUMIN_BLIND_INDEX_KEY", "BENCH_PASSWORD")
WORKERS = 2
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", flush=True)


# ---- keys and databases --------------------------------------------------------------------------------------------


def bench_keys(db: "Database") -> dict[str, str]:
    """The production keys of the bench database: generated once, then reused so encrypted columns stay readable."""
    if KEYS_FILE.exists():
        keys = dict(line.split("=", 1) for line in KEYS_FILE.read_text().splitlines() if "=" in line)
        if set(KEY_NAMES) <= set(keys):
            return {name: keys[name] for name in KEY_NAMES}
    if db.path and db.path.exists():
        raise SystemExit(f"{KEYS_FILE} 不见了,而 {db.path} 是用其中的密钥加密的:删除 bench/out 后重新运行。")
    keys = {name: secrets.token_urlsafe(48) for name in KEY_NAMES}
    KEYS_FILE.write_text("".join(f"{name}={value}\n" for name, value in keys.items()))
    KEYS_FILE.chmod(0o600)
    return keys


@dataclass
class Database:
    """The bench database: a SQLite file under bench/out, or the PostgreSQL database named by DATABASE_URL."""

    path: Path | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        if self.path:
            return f"SQLite {self.path.relative_to(ROOT)}"
        return f"PostgreSQL {urllib.parse.urlsplit(self.url).path.lstrip('/')}"

    @property
    def name(self) -> str:
        return self.path.stem if self.path else self._name()

    def env(self) -> dict[str, str]:
        return {"SQLITE_PATH": str(self.path), "DATABASE_URL": ""} if self.path else {"DATABASE_URL": self.url}

    def ensure_exists(self) -> None:
        if self.url:
            name = self._name()
            with self._admin() as conn:
                if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
                    conn.execute(f'create database "{name}"')

    def copy(self, suffix: str) -> "Database":
        """A throwaway copy; SQLite through the backup API (consistent under WAL), PostgreSQL as a template."""
        if self.path:
            target = self.path.with_name(f"{self.path.stem}-{suffix}.sqlite3")
            target.unlink(missing_ok=True)
            with closing(sqlite3.connect(self.path)) as source, closing(sqlite3.connect(target)) as dest:
                source.backup(dest)
            return Database(path=target)
        name = f"{self._name()}_{suffix}"
        with self._admin() as conn:
            conn.execute(f'drop database if exists "{name}"')
            conn.execute(f'create database "{name}" template "{self._name()}"')
        return Database(url=self._with_name(name))

    def drop(self) -> None:
        if self.path:
            for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                path.unlink(missing_ok=True)
        else:
            with self._admin() as conn:
                conn.execute(f'drop database if exists "{self._name()}"')

    def _name(self) -> str:
        return urllib.parse.urlsplit(self.url).path.lstrip("/")

    def _with_name(self, name: str) -> str:
        return urllib.parse.urlsplit(self.url)._replace(path=f"/{name}").geturl()

    def _admin(self):
        import psycopg

        return psycopg.connect(self._with_name("postgres"), autocommit=True)


# ---- running Django ------------------------------------------------------------------------------------------------


class Django:
    """Runs manage.py, bench tasks and gunicorn against one database with the bench keys."""

    def __init__(self, db: Database, keys: dict[str, str]):
        self.db = db
        self.keys = keys

    def env(self, *, production: bool = True) -> dict[str, str]:
        env = dict(os.environ)
        env.update({name: self.keys[name] for name in KEY_NAMES if name != "BENCH_PASSWORD"})
        env.update(self.db.env())
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            JUMIN_PRODUCTION="1" if production else "0",
            DJANGO_DEBUG="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            BENCH_STATIC_ROOT=str(OUT / "static"),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        return env

    def run(self, name: str, *argv: str, production: bool = True) -> str:
        LOGS.mkdir(exist_ok=True)
        logfile = LOGS / f"{name}.log"
        result = subprocess.run(
            [sys.executable, *argv],
            cwd=ROOT,
            env=self.env(production=production),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        logfile.write_text(result.stdout + result.stderr)
        if result.returncode:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
            raise SystemExit(f"{name} 失败(退出码 {result.returncode}),日志 {logfile}:\n{tail}")
        return result.stdout

    def manage(self, name: str, *argv: str, production: bool = True) -> str:
        return self.run(name, "manage.py", *argv, production=production)

    def task(self, task: str, *argv: str) -> dict:
        out = OUT / f"{task}.json"
        out.unlink(missing_ok=True)
        self.run(task, "-m", "bench.tasks", task, "--out", str(out), *argv)
        return json.loads(out.read_text(encoding="utf-8"))


class Server:
    """gunicorn with the deployment's defaults (sync workers), on a free loopback port."""

    def __init__(self, django: Django):
        self.django = django
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = None

    def __enter__(self) -> "Server":
        LOGS.mkdir(exist_ok=True)
        self.logfile = (LOGS / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            # --timeout: the 台账 of a --scale 10 community takes longer than the 30 s default on a busy machine.
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{self.port}",
                "-t",
                "300",
            ],
            cwd=ROOT,
            env=self.django.env(),
            stdin=subprocess.DEVNULL,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn 启动失败,日志 {LOGS / 'gunicorn.log'}")
            try:
                if Client(self.port).get("/bench/bare/1").status == 200:
                    self.workers = self._wait_for_workers(deadline)
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn 60 秒内没有就绪")

    def _wait_for_workers(self, deadline: float) -> list[int]:
        while time.monotonic() < deadline:
            if len(workers := children(self.process.pid)) == WORKERS:
                return workers
            time.sleep(0.2)
        raise SystemExit(f"gunicorn 没有启动 {WORKERS} 个 worker")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.logfile.close()


# ---- output --------------------------------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        # Text to the left, figures to the right.
        return "  ".join(
            c + " " * (w - width(c)) if i == 0 else " " * (w - width(c)) + c
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths), *(line(r) for r in cells[1:])])


# ---- the bench -----------------------------------------------------------------------------------------------------

# What each measured endpoint is compared with; "auth" answers after loading the user the way the endpoint does.
# The lists are cached under the register's data version (people.selectors.list_cache_key): the plain rows measure
# a page nobody changed since; the "不命中缓存" rows put a new query string ({miss}, a counter) on every request,
# so each one counts, reads and renders its page as after a write.
MISS = "{{miss}}"
ENDPOINTS = {
    "household_list": ("住户列表页", "/office/households/", "session"),
    "household_list_miss": ("住户列表页(不命中缓存)", f"/office/households/?n={MISS}", "session"),
    "resident_list": ("居民列表页", "/office/residents/", "session"),
    "resident_list_miss": ("居民列表页(不命中缓存)", f"/office/residents/?n={MISS}", "session"),
    "household_api": ("住户列表 API", "/api/v1/households", "bearer"),
    "household_api_miss": ("住户列表 API(不命中缓存)", f"/api/v1/households?n={MISS}", "bearer"),
    "household_file": ("一户一档页", "/office/households/{household_uuid}/", "session"),
}


def missing(path: str) -> str:
    """`path` with a query string of its own on every request: never answered from the list cache."""
    return path + ("&" if "?" in path else "?") + "n={miss}"


FLOORS = {"auth": "认证裸视图", "bare": "裸视图"}
ADMIN = ("Django admin 住户列表", "/admin/people/household/?community__id__exact={community_id}")


def searches(facts: dict) -> dict[str, str]:
    """The register's searches the issue names, with values taken from a resident of the secretary's community."""
    s = facts["search"]
    return {
        "residents": "/office/residents/",
        "households_grid": f"/office/households/?grid={s['grid']}",
        "residents_grid": f"/office/residents/?grid={s['grid']}",
        "households_initials": f"/office/households/?q={s['initials']}",
        "residents_initials": f"/office/residents/?q={s['initials']}",
        "households_id_tail": f"/office/households/?q={s['id_tail']}",
        "residents_id_tail": f"/office/residents/?q={s['id_tail']}",
        "households_phone": f"/office/households/?q={s['phone']}",
        "residents_phone": f"/office/residents/?q={s['phone']}",
        "households_elderly": "/office/households/?tag=elderly",
        "residents_elderly": "/office/residents/?tag=elderly",
        "api_initials": f"/api/v1/households?q={s['initials']}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="演示数据倍数(默认 10)")
    parser.add_argument("--quick", action="store_true", help="试跑:--scale 1、2 轮、每段 2 秒(可再用参数覆盖)")
    parser.add_argument("--rounds", type=int, help="交替测量的轮数(默认 5,--quick 时 2)")
    parser.add_argument("--seconds", type=float, help="每段最长秒数(默认 5,--quick 时 2)")
    parser.add_argument("--requests", type=int, default=5000, help="每段最多请求数(默认 5000)")
    parser.add_argument("--concurrency", type=int, default=4, help="并发连接数(默认 4)")
    parser.add_argument("--search-requests", type=int, default=50, help="每个搜索最多请求数(默认 50,逐个发出)")
    parser.add_argument("--rows", type=int, default=9380, help="花名册导入行数(默认 9,380)")
    parser.add_argument("--no-roster", action="store_true", help="跳过花名册导入")
    parser.add_argument("--no-exports", action="store_true", help="跳过台账导出")
    args = parser.parse_args()
    if args.quick:
        args.scale = 1 if "--scale" not in sys.argv else args.scale
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.seconds = args.seconds or (2.0 if args.quick else 5.0)

    OUT.mkdir(parents=True, exist_ok=True)
    if os.environ.get("DATABASE_URL"):
        db = Database(url=os.environ["DATABASE_URL"])
    else:
        db = Database(path=OUT / f"bench-scale{args.scale}.sqlite3")
    keys = bench_keys(db)
    django = Django(db, keys)
    results = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "database": db.label,
        "scale": args.scale,
        "server": f"gunicorn config.wsgi, {WORKERS} sync workers, JUMIN_PRODUCTION=1",
        "client": {
            "concurrency": args.concurrency,
            "rounds": args.rounds,
            "max_seconds_per_phase": args.seconds,
            "max_requests_per_phase": args.requests,
        },
    }

    log(f"数据库:{db.label}(--scale {args.scale})")
    db.ensure_exists()
    started = time.perf_counter()
    # The demo loader refuses to run in production (it sets the public demo password), so build without the flag,
    # with the same keys.
    django.manage("migrate", "migrate", "--noinput", production=False)
    loaded = django.manage("load_demo", "load_demo", "--scale", str(args.scale), "--if-empty", production=False)
    reused = "跳过" in loaded
    # A reused database keeps the demo of the commit that built it; delete bench/out to rebuild.
    built_file = OUT / f"{db.name}.built.json"
    if not reused or not built_file.exists():
        built = {"commit": git_commit(), "date": datetime.date.today().isoformat()}
        built["seconds"] = None if reused else round(time.perf_counter() - started, 1)
        built_file.write_text(json.dumps(built))
    results["database_built"] = json.loads(built_file.read_text())
    log(f"{'沿用已有的数据库' if reused else '建好演示数据'}({time.perf_counter() - started:.0f} 秒)")

    django.manage("collectstatic", "collectstatic", "--noinput")
    facts = django.task("prepare", "--password", keys["BENCH_PASSWORD"])
    results["households"], results["residents"] = facts["households"], facts["residents"]
    log(f"{facts['households']:,} 户、{facts['residents']:,} 人;书记 {SECRETARY_PHONE} 已换成 bench 密码")
    paths = {key: path.format(**facts) for key, (_label, path, _how) in ENDPOINTS.items()}
    paths["admin"] = ADMIN[1].format(**facts)
    query_counts = django.task("queries", "--urls", json.dumps(paths))
    search_urls = searches(facts)
    results["plans"] = django.task("plans", "--urls", json.dumps({k: missing(v) for k, v in search_urls.items()}))

    with Server(django) as server:
        log(f"gunicorn 已就绪:127.0.0.1:{server.port},{WORKERS} 个 worker(进程 {server.workers})")
        client = Client(server.port)
        demo = client.api_token(WINDOW_STAFF_PHONE, "jumin-demo")
        results["demo_password_refused_in_production"] = demo.status == 401
        session = client.login(SECRETARY_PHONE, keys["BENCH_PASSWORD"])
        token = client.api_token(SECRETARY_PHONE, keys["BENCH_PASSWORD"])
        if token.status != 200:
            raise SystemExit(f"换取 API 令牌失败(HTTP {token.status})")
        auth = {"session": session, "bearer": {"Authorization": f"Bearer {json.loads(token.body)['token']}"}}
        bench = Bench(server, args)

        measured = {}
        for key, (label, _path, how) in ENDPOINTS.items():
            size = bench.size(paths[key], auth[how], label)
            targets = {
                "endpoint": paths[key],
                "auth": f"/bench/auth/{size}",
                "bare": f"/bench/bare/{size}",
            }
            figures = bench.alternate(targets, auth[how])
            endpoint = figures["endpoint"]
            measured[key] = {
                "label": label,
                "path": paths[key],
                "bytes": size,
                "queries": query_counts[key]["queries"],
                **figures,
                "ratio": {floor: ratios(endpoint, figures[floor]) for floor in FLOORS},
            }
            log(
                f"{label}:{endpoint['req_per_s']:.1f} 请求/秒,{endpoint['cpu_ms']:.2f} ms CPU/请求;"
                f"认证裸视图 {figures['auth']['req_per_s']:.1f},裸视图 {figures['bare']['req_per_s']:.1f} 请求/秒"
            )
        results["endpoints"] = measured

        # The secretary is a superuser, so the same session opens the admin.
        label, admin_path = ADMIN[0], paths["admin"]
        bench.size(admin_path, session, label)
        figures = bench.alternate({"ours": paths["household_list"], "admin": admin_path}, session)
        results["admin"] = {
            "label": label,
            "path": admin_path,
            "queries": query_counts["admin"]["queries"],
            **figures,
            "ratio": ratios(figures["ours"], figures["admin"]),
        }
        log(f"{label}:{figures['admin']['req_per_s']:.1f} 请求/秒(我们的住户列表 {figures['ours']['req_per_s']:.1f})")

        results["searches"] = {}
        for key, path in search_urls.items():
            headers = auth["bearer"] if path.startswith("/api/") else session
            bench.size(path, headers, path)
            figures = bench.one_by_one(path, headers)
            results["searches"][key] = {"path": path, **figures, "queries": results["plans"][key]["queries"]}
        log(f"搜索:{len(search_urls)} 个,逐个请求")
        if not args.no_exports:
            results["exports"] = measure_exports(client, session, facts)

    if not args.no_roster:
        log(f"花名册导入:复制数据库,生成 {args.rows:,} 行 .xlsx")
        copy = db.copy("roster")
        try:
            results["roster"] = Django(copy, keys).task("roster", "--rows", str(args.rows))
        finally:
            copy.drop()

    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    report(results)


class Bench:
    """Load against one server: targets measured in turns, with the workers' CPU for each turn."""

    def __init__(self, server: Server, args):
        self.server = server
        self.args = args

    def size(self, path: str, headers: dict, label: str) -> int:
        first = Client(self.server.port).get(path, headers=headers)
        if first.status != 200:
            raise SystemExit(f"{label} {path} 返回 HTTP {first.status},无法测量")
        return len(first.body)

    def _phase(self, path: str, headers: dict, *, concurrency: int, max_requests: int, max_seconds: float):
        return measured_hammer(
            self.server.port,
            self.server.workers,
            path,
            headers,
            concurrency=concurrency,
            max_requests=max_requests,
            max_seconds=max_seconds,
        )

    def alternate(self, targets: dict[str, str], headers: dict) -> dict[str, dict]:
        """Rounds of every target in turn (A/B/C/A/B/C …), so a neighbour's load falls on all of them alike."""
        args = self.args
        for path in targets.values():  # warm up each, so round one is not the odd one out
            self._phase(path, headers, concurrency=args.concurrency, max_requests=20, max_seconds=5)
        phases = {key: [] for key in targets}
        for _ in range(args.rounds):
            for key, path in targets.items():
                phases[key].append(
                    self._phase(
                        path,
                        headers,
                        concurrency=args.concurrency,
                        max_requests=args.requests,
                        max_seconds=args.seconds,
                    )
                )
        return {key: summary(p) for key, p in phases.items()}

    def one_by_one(self, path: str, headers: dict) -> dict:
        """One request at a time, so the latency is the server's and not the queue's; each with its own query
        string, so none is answered from the list cache."""
        phase = self._phase(
            missing(path), headers, concurrency=1, max_requests=self.args.search_requests, max_seconds=5
        )
        return summary([phase])


def ratios(endpoint: dict, floor: dict) -> dict:
    """The endpoint as a share of a floor: by requests per second, and by the workers' CPU per request."""
    return {
        "req_per_s": endpoint["req_per_s"] / floor["req_per_s"] if floor["req_per_s"] else None,
        "cpu": floor["cpu_ms"] / endpoint["cpu_ms"] if endpoint["cpu_ms"] else None,
    }


EXPORTS = {
    "residents": ("居民台账 .xlsx", "/office/residents/export.xlsx", "residents"),
    "households": ("住户台账 .xlsx", "/office/households/export.xlsx", "households"),
}


def measure_exports(client, headers: dict, facts: dict, *, times: int = 3) -> dict:
    """台账 downloads of the secretary's whole community, one at a time: the median of a few, as rows per second.
    The row count is the showcase community's (the secretary's scope), taken from the prepare task."""
    measured = {}
    for key, (label, path, rows_key) in EXPORTS.items():
        seconds = []
        for _ in range(times):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            seconds.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"{label} {path} 返回 HTTP {response.status},无法测量")
        median = sorted(seconds)[len(seconds) // 2]
        rows = facts["showcase"][rows_key]
        measured[key] = {
            "label": label,
            "path": path,
            "rows": rows,
            "bytes": len(response.body),
            "seconds": round(median, 2),
            "rows_per_second": round(rows / median) if median else None,
        }
        log(f"{label}:{rows:,} 行,{median:.2f} 秒")
    return measured


def machine() -> dict:
    model = None
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str | None:
    if not shutil.which("git"):
        return None
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or None


# ---- the report ----------------------------------------------------------------------------------------------------


def _ratio(r: dict) -> str:
    """ "0.42 (0.45)": by requests per second, then by CPU per request."""
    return f"{r['req_per_s']:.2f} ({r['cpu']:.2f})"


def _figures(f: dict) -> list[str]:
    return [f"{f['req_per_s']:.1f}", f"{f['p50_ms']:.1f}", f"{f['p95_ms']:.1f}", f"{f['cpu_ms']:.2f}"]


def report(results: dict) -> None:
    client = results["client"]
    m = results["machine"]
    print()
    print(
        f"居民之家 bench · {results['date']} · commit {results['commit']} · "
        f"{m['cpus']} 核 {m.get('cpu_model') or ''} · Python {m['python']}"
    )
    built = results["database_built"]
    print(
        f"{results['database']},--scale {results['scale']}:{results['households']:,} 户、"
        f"{results['residents']:,} 人(建于 {built['date']},commit {built['commit']});{results['server']}"
    )
    print(
        f"客户端:{client['concurrency']} 个并发连接,交替测量 {client['rounds']} 轮,"
        f"每段最多 {client['max_seconds_per_phase']:g} 秒或 {client['max_requests_per_phase']:,} 个请求"
    )
    print()
    rows = []
    for item in results["endpoints"].values():
        e = item["endpoint"]
        failures = sum(item[k]["failures"] for k in ("endpoint", *FLOORS))
        rows.append(
            [
                f"{item['label']} {item['path'][:30]}",
                f"{item['bytes']:,}",
                item["queries"],
                *_figures(e),
                f"{item['auth']['cpu_ms']:.2f}",
                f"{item['bare']['cpu_ms']:.2f}",
                _ratio(item["ratio"]["auth"]),
                _ratio(item["ratio"]["bare"]),
                failures,
            ]
        )
    header = ["端点", "字节", "查询", "请求/秒", "p50 ms", "p95 ms", "CPU ms", "认证裸 CPU", "裸 CPU"]
    print(table([*header, "÷认证裸视图", "÷裸视图", "非200"], rows))
    print(
        "CPU ms = gunicorn worker 每个请求用的 CPU(/proc/<pid>/stat 的 utime+stime)。"
        "比值 = 端点 ÷ 同样字节数的认证裸视图(只从会话或令牌取出用户)/ 裸视图,"
        "按 请求/秒 之比(括号里按 CPU 之比);同一服务器、同一中间件,交替测量。"
    )
    if admin := results.get("admin"):
        ours = results["endpoints"]["household_list"]
        print()
        rows = [
            [f"我们的住户列表 {ours['path']}", ours["queries"], *_figures(admin["ours"])],
            [f"{admin['label']} {admin['path'][:40]}", admin["queries"], *_figures(admin["admin"])],
        ]
        print(table(["同一社区的住户(书记,超级用户会话)", "查询", "请求/秒", "p50 ms", "p95 ms", "CPU ms"], rows))
        print(f"我们 ÷ admin:{_ratio(admin['ratio'])}(目标 ≥ 2)")
    if found := results.get("searches"):
        print()
        rows = [
            [
                s["path"][:60],
                s["queries"],
                s["requests"],
                f"{s['p50_ms']:.1f}",
                f"{s['p95_ms']:.1f}",
                f"{s['cpu_ms']:.1f}",
            ]
            for s in found.values()
        ]
        print(table(["搜索与筛选(书记,逐个请求)", "查询", "请求", "p50 ms", "p95 ms", "CPU ms"], rows))
        print("查询计划(只列户籍表的查询):")
        for plan in results["plans"].values():
            print(f"  {plan['url']}  ({plan['queries']} 个查询,SQL 共 {plan['sql_ms']:.1f} ms)")
            for query in plan["plans"]:
                print(f"    {_sql_head(query['sql'])}")
                for line in query["plan"]:
                    print(f"      {line}")
    if built.get("seconds") is not None:
        print(f"建演示数据库(load_demo --scale {results['scale']}):{built['seconds']:.1f} 秒")
    if exports := results.get("exports"):
        print()
        rows = [
            [
                f"{e['label']} {e['path']}",
                f"{e['rows']:,}",
                f"{e['bytes'] / 1024:,.0f} KB",
                f"{e['seconds']:.2f}",
                f"{e['rows_per_second']:,}",
            ]
            for e in exports.values()
        ]
        print(table(["台账导出(书记,整个社区)", "行", "大小", "秒(中位数)", "行/秒"], rows))
    refused = results.get("demo_password_refused_in_production")
    print(f"生产模式拒绝演示密码:{'是' if refused else '否(!)'}")
    if roster := results.get("roster"):
        print()
        print(
            f"花名册导入({roster['rows']:,} 行、{roster['households']:,} 户,.xlsx {roster['xlsx_bytes'] / 1024:,.0f} KB,"
            f"生成用时 {roster['build_seconds']:.1f} 秒;在数据库副本上导入)"
        )
        rows = []
        for key, label in (("dry_run", "试导入(只校验)"), ("import", "正式导入")):
            r = roster[key]
            rows.append(
                [
                    label,
                    f"{r['seconds']:.2f}",
                    f"{r['rows_per_second']:,.0f}",
                    f"{r['created']:,}",
                    f"{r['updated']:,}",
                    f"{r['unchanged']:,}",
                    f"{r['errors']:,}",
                ]
            )
        print(table(["", "秒", "行/秒", "新增", "更新", "无变化", "错误"], rows))
        for error in roster["import"]["first_errors"]:
            print(f"  {error}")
    print()
    print(f"结果已写入 {(OUT / 'results.json').relative_to(ROOT)}")


def _sql_head(sql: str) -> str:
    """Enough of a query to tell which one it is: what it selects from, and its WHERE."""
    text = " ".join(sql.split())
    select, _, rest = text.partition(" FROM ")
    kind = "SELECT COUNT(*)" if "COUNT(" in select else "SELECT …"
    return f"{kind} FROM {rest}"[:160]


if __name__ == "__main__":
    main()
