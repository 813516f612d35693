"""python bench/hall.py [--n 300]: the hall's throughput, in process, on a throwaway SQLite database.

Prints requests/s of POST /api/v1/hall/tickets (kiosk), POST /api/v1/hall/windows/{id}/call-next (clerk) and
GET /hall/display/board/ (the TV's 3-second poll), each against the bare view answering with as many bytes through
the same middleware (A/B rounds), their ratio, and queries per request. Figures only: nothing passes or fails.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["SQLITE_PATH"] = str(tmp / "hall-bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world():
    from jumin.core.models import ApiToken, Role, User
    from jumin.hall.models import ServiceItem, Window
    from jumin.hall.services import hall_ensure_catalogue
    from jumin.places.models import Community, Street

    street = Street.objects.create(name="北镇街道")
    community = Community.objects.create(street=street, name="玉龙湖社区")
    hall_ensure_catalogue(community)
    kiosk = User.objects.create_user("13900000015", "x", name="取号机", role=Role.KIOSK, community=community)
    clerk = User.objects.create_user("13900000002", "x", name="窗口", role=Role.WINDOW_STAFF, community=community)
    window = Window.objects.get(community=community, number=1)
    window.staff.add(clerk)
    ServiceItem.objects.filter(community=community).update(daily_cap=999)
    item = ServiceItem.objects.filter(window=window).first()
    return {
        "kiosk": kiosk,
        "window": window,
        "item": item,
        "kiosk_auth": {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(kiosk)}"},
        "clerk_auth": {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(clerk)}"},
    }


def timed(fn, n: int) -> tuple[float, int]:
    started = time.perf_counter()
    size = 0
    for _ in range(n):
        size = len(fn().content)
    return n / (time.perf_counter() - started), size


def queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="requests per round (two rounds of each)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.test import Client
        from django.utils import timezone

        from jumin.hall.models import Ticket, Window
        from jumin.hall.services import tickets as ticket_services

        w = world()
        api = Client()
        display = Client()
        display.force_login(w["kiosk"])
        take = lambda: api.post(  # noqa: E731
            "/api/v1/hall/tickets", {"item": w["item"].pk}, content_type="application/json", **w["kiosk_auth"]
        )
        url = f"/api/v1/hall/windows/{w['window'].pk}/call-next"

        def call_next():
            # The clerk finishes the current ticket (not measured: a direct service call) so call-next can go on.
            window = Window.objects.get(pk=w["window"].pk)
            if window.current_ticket_id:
                current = Ticket.objects.select_related("item").get(pk=window.current_ticket_id)
                ticket_services.ticket_finish(actor=current.staff, ticket=current, window=window, outcome="done")
            return api.post(url, {}, content_type="application/json", **w["clerk_auth"])

        board = lambda: display.get("/hall/display/board/")  # noqa: E731
        print(f"hall bench: {args.n} requests per round, in-process test client, SQLite, {timezone.now():%Y-%m-%d}")
        print(f"{'endpoint':<44}{'req/s':>10}{'bare req/s':>12}{'ratio':>8}{'queries':>9}")
        for label, fn, n in (
            ("POST /api/v1/hall/tickets (kiosk)", take, args.n),
            ("POST /api/v1/hall/windows/{id}/call-next", call_next, min(args.n, 900)),
            ("GET /hall/display/board/ (TV poll)", board, args.n),
        ):
            rates, bare_rates = [], []
            for _ in range(2):
                rate, size = timed(fn, n // 2 or 1)
                bare = lambda size=size: display.get(f"/bench/bare/{size}")  # noqa: E731
                bare_rate, _ = timed(bare, n // 2 or 1)
                rates.append(rate)
                bare_rates.append(bare_rate)
            rate, bare_rate = sum(rates) / 2, sum(bare_rates) / 2
            print(f"{label:<44}{rate:>10.1f}{bare_rate:>12.1f}{bare_rate / rate:>7.1f}×{queries(fn):>9}")


if __name__ == "__main__":
    main()
