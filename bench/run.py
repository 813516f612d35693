"""make bench: how fast the register pages are on a street-sized database, served the production way.

1. Builds the demo at --scale 10 once (bench/out/bench-scale10.sqlite3, or the PostgreSQL database in DATABASE_URL)
   with keys generated on first run and kept in bench/out/env, so the encrypted ID numbers stay readable.
2. Serves it with production settings (JUMIN_PRODUCTION=1) under gunicorn, 2 workers, on a free loopback port.
3. For each endpoint, alternates rounds of the endpoint and of a bare Django view answering with as many bytes
   (A/B/A/B), and prints requests/s, p50/p95 latency and their ratio; then the queries per request.
4. Times a 9,380-row roster import (dry run and real) on a throwaway copy of the database.

Figures only: nothing here passes or fails on time. Results also go to bench/out/results.json.
"""

import argparse
import datetime
import http.client
import itertools
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.parse
from contextlib import closing
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

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
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}"],
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
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn 60 秒内没有就绪")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.logfile.close()


# ---- the client ----------------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """A few requests with cookies, for logging in; the load itself goes through `hammer`."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            conn.close()
        for header in result.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return result

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def login(self, phone: str, password: str) -> None:
        page = self.get("/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match:
            raise SystemExit(f"登录页不可用(HTTP {page.status})")
        form = {"username": phone, "password": password, "csrfmiddlewaretoken": match.group(1)}
        response = self.request(
            "POST",
            "/accounts/login/",
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"书记账号 {phone} 登录失败(HTTP {response.status})")

    def api_token(self, phone: str, password: str) -> Response:
        payload = json.dumps({"phone": phone, "password": password}).encode()
        return self.request("POST", "/api/v1/auth/token", body=payload, headers={"Content-Type": "application/json"})


@dataclass
class Phase:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0


def hammer(port: int, path: str, headers: dict, *, concurrency: int, max_requests: int, max_seconds: float) -> Phase:
    """`concurrency` threads, each with its own connection, until max_requests are done or max_seconds pass."""
    tickets = itertools.count()
    phase = Phase()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + max_seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, failures = [], 0
        # gunicorn's sync workers answer "Connection: close"; http.client then reconnects by itself.
        while next(tickets) < max_requests and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - t0)
            failures += response.status != 200
        conn.close()
        with lock:
            phase.latencies += latencies
            phase.failures += failures

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    phase.requests = len(phase.latencies)
    return phase


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def summary(phases: list[Phase]) -> dict:
    latencies = [x for phase in phases for x in phase.latencies]
    requests = sum(phase.requests for phase in phases)
    seconds = sum(phase.seconds for phase in phases)
    return {
        "requests": requests,
        "failures": sum(phase.failures for phase in phases),
        "req_per_s": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "rounds_req_per_s": [round(p.requests / p.seconds, 1) for p in phases if p.seconds],
    }


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="演示数据倍数(默认 10)")
    parser.add_argument("--quick", action="store_true", help="试跑:--scale 1、2 轮、每段 2 秒")
    parser.add_argument("--rounds", type=int, default=3, help="A/B 轮数(默认 3)")
    parser.add_argument("--seconds", type=float, default=5.0, help="每段最长秒数(默认 5)")
    parser.add_argument("--requests", type=int, default=5000, help="每段最多请求数(默认 5000)")
    parser.add_argument("--concurrency", type=int, default=4, help="并发连接数(默认 4)")
    parser.add_argument("--rows", type=int, default=9380, help="花名册导入行数(默认 9,380)")
    parser.add_argument("--no-roster", action="store_true", help="跳过花名册导入")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.rounds, args.seconds = 1, 2, 2.0

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
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
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
    query_counts = django.task("queries", "--household", facts["household_uuid"])

    endpoints = {
        "household_list": ("住户列表页", "/office/households/", "session"),
        "household_api": ("住户列表 API", "/api/v1/households", "bearer"),
        "household_file": ("一户一档页", f"/office/households/{facts['household_uuid']}/", "session"),
    }
    measured = {}
    with Server(django) as server:
        log(f"gunicorn 已就绪:127.0.0.1:{server.port},{WORKERS} 个 worker")
        client = Client(server.port)
        demo = client.api_token(WINDOW_STAFF_PHONE, "jumin-demo")
        results["demo_password_refused_in_production"] = demo.status == 401
        client.login(SECRETARY_PHONE, keys["BENCH_PASSWORD"])
        token = client.api_token(SECRETARY_PHONE, keys["BENCH_PASSWORD"])
        if token.status != 200:
            raise SystemExit(f"换取 API 令牌失败(HTTP {token.status})")
        auth = {
            "session": {"Cookie": f"sessionid={client.cookies['sessionid']}"},
            "bearer": {"Authorization": f"Bearer {json.loads(token.body)['token']}"},
        }
        for key, (label, path, how) in endpoints.items():
            headers = auth[how]
            first = client.get(path, headers=headers)
            if first.status != 200:
                raise SystemExit(f"{label} {path} 返回 HTTP {first.status},无法测量")
            size = len(first.body)
            bare = f"/bench/bare/{size}"
            for target in (path, bare):  # warm up both, so round one is not the odd one out
                hammer(server.port, target, headers, concurrency=args.concurrency, max_requests=20, max_seconds=5)
            a, b = [], []
            for _ in range(args.rounds):
                a.append(hammer(server.port, path, headers, concurrency=args.concurrency, **limits(args)))
                b.append(hammer(server.port, bare, headers, concurrency=args.concurrency, **limits(args)))
            endpoint, baseline = summary(a), summary(b)
            measured[key] = {
                "label": label,
                "path": path,
                "bytes": size,
                "queries": query_counts[key]["queries"],
                "endpoint": endpoint,
                "bare": baseline,
                "ratio": endpoint["req_per_s"] / baseline["req_per_s"] if baseline["req_per_s"] else None,
            }
            log(f"{label}:{endpoint['req_per_s']:.1f} 请求/秒,裸视图 {baseline['req_per_s']:.1f} 请求/秒")
        results["exports"] = measure_exports(client, auth["session"], facts)
    results["endpoints"] = measured

    if not args.no_roster:
        log(f"花名册导入:复制数据库,生成 {args.rows:,} 行 .xlsx")
        copy = db.copy("roster")
        try:
            results["roster"] = Django(copy, keys).task("roster", "--rows", str(args.rows))
        finally:
            copy.drop()

    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    report(results)


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


def limits(args) -> dict:
    return {"max_requests": args.requests, "max_seconds": args.seconds}


def git_commit() -> str | None:
    if not shutil.which("git"):
        return None
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or None


def report(results: dict) -> None:
    client = results["client"]
    print()
    print(f"居民之家 bench · {results['date']} · commit {results['commit']} · {results['machine']['cpus']} 核")
    built = results["database_built"]
    print(
        f"{results['database']},--scale {results['scale']}:{results['households']:,} 户、"
        f"{results['residents']:,} 人(建于 {built['date']},commit {built['commit']});{results['server']}"
    )
    print(
        f"客户端:{client['concurrency']} 个并发连接,A/B 交替 {client['rounds']} 轮,"
        f"每段最多 {client['max_seconds_per_phase']:g} 秒或 {client['max_requests_per_phase']:,} 个请求"
    )
    print()
    rows = []
    for item in results["endpoints"].values():
        e, b = item["endpoint"], item["bare"]
        rows.append(
            [
                f"{item['label']} {item['path'][:40]}",
                f"{item['bytes']:,}",
                item["queries"],
                f"{e['req_per_s']:.1f}",
                f"{e['p50_ms']:.1f}",
                f"{e['p95_ms']:.1f}",
                f"{b['req_per_s']:.1f}",
                f"{b['p95_ms']:.1f}",
                f"{item['ratio']:.2f}",
                e["failures"] + b["failures"],
            ]
        )
    header = ["端点", "字节", "查询数", "请求/秒", "p50 ms", "p95 ms", "裸视图 请求/秒", "裸视图 p95 ms", "比值"]
    print(table([*header, "非200"], rows))
    print("比值 = 端点 请求/秒 ÷ 同样字节数的裸 Django 视图 请求/秒(同一服务器、同一中间件,交替测量)。")
    if built.get("seconds") is not None:
        print(f"建演示数据库(load_demo --scale {results['scale']}):{built['seconds']:.1f} 秒")
    if exports := results.get("exports"):
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


if __name__ == "__main__":
    main()
