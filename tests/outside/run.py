"""make outside: the app served as it runs, tried from outside by schemathesis (the API) and a crawler (pages, forms).

1. A throwaway SQLite database with the demo street (migrate, load_demo), under gunicorn on a free loopback port.
2. Every demo phone (13900000001–13900000015) that signs in with the demo password becomes a person to test as:
   a bearer token for the API, a session from the web login form for the pages; plus one visitor signed in as nobody.
3. schemathesis, once per role (its first account's token), against /api/v1/openapi.json: fixed seed, bounded examples, logout excluded; checks
   that nothing answers 5xx and every response matches the schema. Path parameters are drawn mostly from ids the
   API itself listed, so requests reach real cases and households instead of stopping at 404.
4. The crawler (crawl.py) as each person, at the same time.
5. Every 5xx is printed with the traceback the server logged; any failure exits non-zero.

New apps need nothing here: their API operations come from the schema, their pages and forms from the links.
    .venv/bin/python -m tests.outside.run [--only api|web] [--keep] [--max-examples N] [--seed N]
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

from .crawl import Crawler, Report, web_login

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "jumin-demo"  # settings.DEMO_PASSWORD; the harness never imports the project
PHONES = [f"139000000{n:02d}" for n in range(1, 16)]
API = "/api/v1"
SCHEMA = f"{API}/openapi.json"
# Signing out would spend the token the rest of the run uses.
EXCLUDED_OPERATIONS = [f"{API}/auth/logout"]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# The coverage phase (boundary values of every parameter, ~600 cases) hardly depends on who asks: it runs for one
# resident and one member of staff; random and stateful cases run for everyone, with half the examples for the roles
# without coverage (at 10 examples those ten roles took 490 s of schemathesis time in a 590 s stage).
EVERYONE_PHASES = "fuzzing,stateful"
COVERAGE_PHASES = "coverage,fuzzing,stateful"
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


# ---- the site ------------------------------------------------------------------------------------------------------


class Site:
    """The demo street in a throwaway directory, served by gunicorn; its log keeps the tracebacks of every 5xx."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.log_path = workdir / "server.log"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": "",
            "SQLITE_PATH": str(self.workdir / "outside.sqlite3"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.workdir / "private_media"),
            "DJANGO_DEBUG": "0",
            "JUMIN_PRODUCTION": "0",  # production refuses the demo password
            "LOG_LEVEL": "ERROR",  # 4xx are expected here; only 5xx leave a traceback in the log
            "PYTHONUNBUFFERED": "1",
        }

    def prepare(self) -> None:
        for argv in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *argv], cwd=ROOT, env=self.env(), capture_output=True, text=True
            )
            if result.returncode:
                raise SystemExit(f"manage.py {' '.join(argv)} 失败:\n{result.stdout}{result.stderr}")
        log("演示数据已载入(migrate + load_demo)")

    def __enter__(self) -> "Site":
        self.logfile = self.log_path.open("w")
        # No request-line cap: schemathesis writes long query strings, and a 414 from gunicorn is not our answer.
        argv = ["-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "2", "-k", "gthread"]
        argv += ["--limit-request-line", "0"]
        self.process = subprocess.Popen(
            [sys.executable, *argv, "--threads", "4", "--timeout", "120"],
            cwd=ROOT,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn 没有启动:\n{self.log_path.read_text()}")
            try:
                if requests.get(f"{self.base}/accounts/login/", timeout=5).status_code == 200:
                    log(f"gunicorn 已就绪:{self.base}")
                    return self
            except requests.ConnectionError:
                time.sleep(0.3)
        raise SystemExit("gunicorn 60 秒内没有就绪")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.logfile.close()

    def server_errors(self) -> dict[str, list[str]]:
        """Each distinct error the server logged (exception and where in our code), with the paths it came from."""
        found: dict[str, list[str]] = {}
        path, block, raised, ended = None, [], [], False
        # Not splitlines(): exception messages quoting hostile input carry \x0b and \x1c.
        for line in [*self.log_path.read_text(errors="replace").split("\n"), "[end]"]:
            chained = not line.strip() or line.startswith(("Traceback", "During", "The above"))
            if path and ended and not chained and not line[:1].isspace():
                ours = [b.strip() for b in block if f'File "{ROOT}/' in b and "/venv/" not in b]
                key = ascii_safe(raised[-1][:300]) + (f"\n      {ours[-1]}" if ours else "")
                found.setdefault(key, []).append(path)
                path, raised, ended = None, [], False
            if line.startswith("Internal Server Error: "):
                path, block = line.split(": ", 1)[1], []
            elif "WORKER TIMEOUT" in line:
                found.setdefault(line.strip(), []).append("(gunicorn)")
            elif path:
                block.append(line)
                if line.strip():
                    # The exception a traceback ends with; unless a chained traceback follows, the log moves on.
                    ended = not chained and not line[:1].isspace()
                    if ended:
                        raised.append(line)
        return found


def ascii_safe(text: str) -> str:
    """Control characters shown as escapes, so that a message quoting hostile input prints on one line."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


# ---- the people ----------------------------------------------------------------------------------------------------


@dataclass
class Person:
    phone: str
    role: str
    role_display: str
    token: str | None
    session: requests.Session | None

    @property
    def label(self) -> str:
        return f"{self.role_display} {self.phone}" if self.phone else self.role_display


def sign_in_everyone(base: str) -> list[Person]:
    """Every demo phone that the demo password lets in, through the API and through the login form."""
    people = []
    for phone in PHONES:
        response = requests.post(f"{base}{API}/auth/token", json={"phone": phone, "password": PASSWORD}, timeout=30)
        if response.status_code != 200:
            continue
        token = response.json()["token"]
        me = requests.get(f"{base}{API}/me", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        session = web_login(base, phone, PASSWORD)
        if session is None:
            raise SystemExit(f"{phone} 能换到令牌,却不能从登录页登录")
        people.append(Person(phone, me["role"], me["role_display"], token, session))
    if len(people) < 2:
        raise SystemExit(f"演示账号不足(只登录了 {len(people)} 个):load_demo 是否改了手机号或密码?")
    log(f"已登录 {len(people)} 个演示账号:" + "、".join(p.label for p in people))
    return people


# ---- the API -------------------------------------------------------------------------------------------------------


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def collect_ids(value, context: str, found: dict[str, set]) -> None:
    """Ids in an API answer, named as path and query parameters name them: `case_uuid`, `community_id`, ..."""
    if isinstance(value, list):
        for item in value:
            collect_ids(item, context, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in {"uuid", "id"} and isinstance(item, str | int) and not isinstance(item, bool):
                found.setdefault(f"{context}_{key}", set()).add(item)
            elif key.endswith(("_uuid", "_id")) and isinstance(item, str | int) and not isinstance(item, bool):
                found.setdefault(key, set()).add(item)
            elif isinstance(item, dict | list):
                collect_ids(item, context if key in {"items", "detail"} else singular(key), found)


def known_ids(base: str, schema: dict, people: list[Person]) -> dict[str, set]:
    """What every person's GET operations list, then what the details of the first few of those show."""
    found: dict[str, set] = {}
    gets = [path for path, operations in schema["paths"].items() if "get" in operations and path != SCHEMA]
    for round_ in range(2):
        for path in gets:
            names = re.findall(r"{(\w+)}", path)
            if bool(names) != bool(round_) or not all(found.get(n) for n in names):
                continue
            context = singular(next(p for p in reversed(path.split("/")) if p and "{" not in p))
            for person in people:
                for index in range(3 if names else 1):
                    url = path
                    for name in names:
                        values = sorted(found[name], key=str)
                        url = url.replace(f"{{{name}}}", str(values[index % len(values)]))
                    response = requests.get(base + url, headers=bearer(person), timeout=30)
                    if response.ok and "json" in response.headers.get("Content-Type", ""):
                        collect_ids(response.json(), context, found)
    return found


def schemathesis_config(schema: dict, ids: dict[str, set], path: Path) -> None:
    """A schemathesis.toml drawing each id-like parameter from the ids the API listed, most of the time."""
    names = {p["name"] for ops in schema["paths"].values() for op in ops.values() for p in op.get("parameters", [])}
    lines, bindings = [], []
    for name in sorted(names):
        source = next((n for n in (name, f"{name}_id", f"{name}_uuid") if ids.get(n)), None)
        if source is None:
            continue
        values = sorted(ids[source], key=str)[:50]
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
        bindings.append(f'"{name}" = {{ dictionary = "{name}", probability = 0.8 }}')
    path.write_text("\n".join([*lines, "[parameters]", *bindings, ""]), encoding="utf-8")


def bearer(person: Person) -> dict:
    return {"Authorization": f"Bearer {person.token}"}


def run_schemathesis(site: Site, person: Person, phases: str, config: Path, args) -> tuple[bool, str]:
    workdir = site.workdir / f"schemathesis-{person.phone}"
    workdir.mkdir()
    examples = args.max_examples if "coverage" in phases else max(1, args.max_examples // 2)
    argv = [
        *(str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config)),
        *("run", site.base + SCHEMA, "--phases", phases, "--checks", CHECKS, "--seed", str(args.seed)),
        *("--max-examples", str(examples), "--workers", "1", "--generation-database", "none"),
        *("--header", f"Authorization: Bearer {person.token}", "--no-color", "--request-timeout", "60"),
        *(arg for path in EXCLUDED_OPERATIONS for arg in ("--exclude-path", path)),
    ]
    result = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    (site.workdir / f"schemathesis-{person.phone}.log").write_text(output)
    return result.returncode == 0, output


def failures_of(output: str) -> str:
    """schemathesis' own account of what failed: the FAILURES section, without the warnings and summary."""
    match = re.search(r"^=+ FAILURES =+$(.*?)^=+ (WARNINGS|SUMMARY) =+$", output, flags=re.M | re.S)
    return (match.group(1) if match else output[-4000:]).strip()


# ---- the run -------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["api", "web"], help="只跑 API(schemathesis)或只跑网页(爬虫)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--max-examples", type=int, default=10, help="schemathesis 每个接口最多生成的用例数")
    parser.add_argument("--max-pages", type=int, default=300, help="爬虫每个账号最多打开的页面数")
    parser.add_argument("--budget", type=float, default=240, help="爬虫的时间上限(秒),超出即停并报告")
    parser.add_argument("--keep", action="store_true", help="保留临时目录(数据库、服务器日志、schemathesis 日志)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="jumin-outside-"))
    ok = True
    try:
        site = Site(workdir)
        site.prepare()
        with site:
            people = sign_in_everyone(site.base)
            visitor = Person("", "", "未登录访客", None, requests.Session())
            schema = requests.get(site.base + SCHEMA, timeout=30).json()
            operations = sum(len(ops) for ops in schema["paths"].values())
            config = workdir / "schemathesis.toml"
            schemathesis_config(schema, known_ids(site.base, schema, people), config)
            with ThreadPoolExecutor(max_workers=len(people) + 2) as pool:
                api = pool.submit(api_pass, site, people, config, args, operations) if args.only != "web" else None
                reports = []
                if args.only != "api":
                    reports = crawl_pass(pool, site, [*people, visitor], args)
                    ok &= print_crawl(reports)
                ok &= api.result() if api else True
        errors = site.server_errors()
        if errors:
            ok = False
            print(f"\n服务器记录的 5xx({len(errors)} 种):")
            for key, paths in errors.items():
                shown = Counter(paths).most_common(3)
                print(f"  ✘ {key}\n      {sum(c for _, c in shown)}× 例如 " + "、".join(p for p, _ in shown))
    finally:
        if args.keep or not ok:
            print(f"\n临时目录(数据库、server.log、schemathesis-*.log):{workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    log("通过:没有 5xx,响应都符合 schema" if ok else "失败")
    return 0 if ok else 1


def api_pass(site: Site, people: list[Person], config: Path, args, operations: int) -> bool:
    """One schemathesis run per role, two at a time; the crawlers share the server meanwhile."""
    lock = threading.Lock()
    passed = True
    residents = [p for p in people if p.role == "resident"]
    staff = [p for p in people if p.role != "resident"]
    with_coverage = {p.phone for p in (residents[:1] + staff[:1])}

    def one(person: Person) -> None:
        nonlocal passed
        began = time.monotonic()
        phases = COVERAGE_PHASES if person.phone in with_coverage else EVERYONE_PHASES
        ok, output = run_schemathesis(site, person, phases, config, args)
        cases = re.search(r"(\d+) generated", output)
        with lock:
            log(
                f"schemathesis · {person.label}({phases}):{operations} 个接口,"
                f"{cases.group(1) if cases else '?'} 个用例,{time.monotonic() - began:.0f} 秒 {'✔' if ok else '✘'}"
            )
            if not ok:
                passed = False
                print(failures_of(output), flush=True)

    # One token per role: accounts of the same role see the same operations; the crawler still tries every account.
    per_role = list({p.role: p for p in reversed(people)}.values())[::-1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, per_role))
    return passed


def crawl_pass(pool: ThreadPoolExecutor, site: Site, people: list[Person], args) -> list[Report]:
    """All crawlers at once; when all are done, each opens its pages again (three quarters of the budget, then the rest)."""
    started = time.monotonic()
    crawlers = [
        Crawler(site.base, p.label, p.session, max_pages=args.max_pages, deadline=started + args.budget * 0.75)
        for p in people
    ]
    for future in [pool.submit(c.crawl) for c in crawlers]:
        future.result()
    log("爬虫走完链接和表单,再看一遍每种页面")
    return [f.result() for f in [pool.submit(c.replay, started + args.budget) for c in crawlers]]


def print_crawl(reports: list[Report]) -> bool:
    print("\n爬虫:")
    print(f"  {'账号':<24}{'页面':>6}{'重看':>6}{'表单':>6}{'提交':>6}  状态码                      秒")
    for r in reports:
        statuses = " ".join(f"{code // 100}xx×{n}" for code, n in sorted(r.statuses.items()))
        more = "  (时间到,未爬完)" if r.stopped_early else ""
        print(
            f"  {r.who:<24}{r.pages:>6}{r.replayed:>6}{r.form_shapes:>6}{r.submissions:>6}  {statuses:<28}{r.seconds:>4.0f}{more}"
        )
    errors = [(r.who, e) for r in reports for e in r.errors]
    for who, error in errors[:40]:
        print(f"  ✘ {who}:{error}")
    if len(errors) > 40:
        print(f"  …… 另有 {len(errors) - 40} 个")
    return not errors


if __name__ == "__main__":
    sys.exit(main())
