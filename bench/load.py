"""The client side of the bench: a few requests with cookies for logging in, the load loop, and the CPU the server's
workers spent, read from /proc.

Figures only: nothing here passes or fails on time.
"""

import http.client
import itertools
import json
import math
import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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
        if self.cookies and "Cookie" not in headers:
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

    def login(self, phone: str, password: str, *, page: str = "/accounts/login/") -> dict:
        """Log in through a login form (ours or the admin's); returns the session cookie header."""
        self.cookies = {}
        form_page = self.get(page)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text)
        if form_page.status != 200 or not match:
            raise SystemExit(f"登录页 {page} 不可用(HTTP {form_page.status})")
        form = {"username": phone, "password": password, "csrfmiddlewaretoken": match.group(1)}
        response = self.request(
            "POST",
            page,
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"账号 {phone} 在 {page} 登录失败(HTTP {response.status})")
        return {"Cookie": f"sessionid={self.cookies['sessionid']}"}

    def api_token(self, phone: str, password: str) -> Response:
        payload = json.dumps({"phone": phone, "password": password}).encode()
        return self.request("POST", "/api/v1/auth/token", body=payload, headers={"Content-Type": "application/json"})


@dataclass
class Phase:
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0


def hammer(port: int, path: str, headers: dict, *, concurrency: int, max_requests: int, max_seconds: float) -> Phase:
    """`concurrency` threads, each with its own connection, until max_requests are done or max_seconds pass.
    "{miss}" in `path` becomes the request's number, so each request asks for a page no other has."""
    tickets = itertools.count()
    phase = Phase()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + max_seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, failures = [], 0
        # gunicorn's sync workers answer "Connection: close"; http.client then reconnects by itself.
        while (ticket := next(tickets)) < max_requests and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            conn.request("GET", path.replace("{miss}", str(ticket)), headers=headers)
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


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes so far, from /proc/<pid>/stat (utime and stime, in clock ticks)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5), counted after the ")"
    return ticks / CLOCK_TICKS


def measured_hammer(port: int, workers: list[int], path: str, headers: dict, **kwargs) -> Phase:
    """`hammer`, with the CPU the server's workers spent meanwhile (steadier than req/s on a shared machine)."""
    before = cpu_seconds(workers)
    phase = hammer(port, path, headers, **kwargs)
    phase.cpu_seconds = cpu_seconds(workers) - before
    return phase


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def summary(phases: list[Phase]) -> dict:
    latencies = [x for phase in phases for x in phase.latencies]
    requests = sum(phase.requests for phase in phases)
    seconds = sum(phase.seconds for phase in phases)
    cpu = sum(phase.cpu_seconds for phase in phases)
    return {
        "requests": requests,
        "failures": sum(phase.failures for phase in phases),
        "req_per_s": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "cpu_ms": cpu / requests * 1000 if requests else None,
        "rounds_req_per_s": [round(p.requests / p.seconds, 1) for p in phases if p.seconds],
    }
