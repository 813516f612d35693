"""Where one request's CPU goes: serves a path in-process on the bench database (production settings, the
secretary logged in) and prints CPU ms per request and the top functions of a cProfile run.

    .venv/bin/python bench/cpuprofile.py /office/households/ [--api] [--n 300] [--top 40]

Run `make bench` once first: it builds bench/out/bench-scale10.sqlite3 and its keys. Figures only, no assertions.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import OUT, Database, Django, bench_keys  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--api", action="store_true", help="用 Bearer 令牌(API),否则用会话 Cookie")
    parser.add_argument("--n", type=int, default=300, help="计时的请求数")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    db = Database(path=OUT / f"bench-scale{os.environ.get('BENCH_SCALE', '10')}.sqlite3")
    os.environ.update(Django(db, bench_keys(db)).env())
    import django

    django.setup()
    from django.test import Client

    from jumin.core.models import User

    secretary = User.objects.get(phone="13900000001")
    client = Client(SERVER_NAME="127.0.0.1")
    headers = {}
    if args.api:
        from jumin.core.models import ApiToken

        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(secretary)}"
    else:
        client.force_login(secretary)

    def hit(path=args.path):
        response = client.get(path, **headers)
        assert response.status_code == 200, response.status_code
        return response

    def cpu_ms(path) -> float:
        for _ in range(50):
            hit(path)
        start = time.process_time()
        for _ in range(args.n):
            hit(path)
        return (time.process_time() - start) * 1000 / args.n

    size = len(hit().content)
    floor = f"/bench/auth/{size}"
    # Alternately, so a neighbour's load falls on both alike.
    ours, floors = [], []
    for _ in range(3):
        ours.append(cpu_ms(args.path))
        floors.append(cpu_ms(floor))
    ours_ms, floor_ms = min(ours), min(floors)
    print(f"{args.path}: {ours_ms:.2f} ms CPU per request (test client, best of 3), {size:,} bytes")
    print(f"{floor}: {floor_ms:.2f} ms; ratio {floor_ms / ours_ms:.2f}")
    # Python function calls per request: a count, so steady however loaded the machine is.
    profiles = {}
    for path in (args.path, floor):
        profiles[path] = profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.n):
            hit(path)
        profile.disable()
        print(f"{path}: {pstats.Stats(profile).total_calls / args.n:,.0f} function calls per request")
    if args.top:
        pstats.Stats(profiles[args.path]).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
