"""make bench (votes): every one of 玉龙湖's 2,680 households casts one vote through the API at once, from
concurrent clients against gunicorn; prints the time and how many votes were stored (none lost, none doubled).
Then the ballot is closed and counted: the tally's time and queries, the queries of the result through the API, and
the queries of one vote through the API (on a second ballot). Figures only, nothing passes or fails on time.

    python bench/votes.py [--concurrency 16]          the whole run (SQLite under bench/out, or DATABASE_URL)
    python -m bench.votes inside prepare|count ...    the parts that run inside Django (called by the above)
"""

import argparse
import http.client
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def inside(args) -> dict:
    import datetime

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.utils import timezone

    from jumin.core.models import ApiToken, Role, User
    from jumin.deliberation import services
    from jumin.deliberation.models import Ballot, Vote
    from jumin.people.models import Household, Resident, ResidentStatus

    secretary = User.objects.get(phone="13900000001")
    if args.step == "count":
        ballot = Ballot.objects.get(uuid=args.ballot)
        stored = Vote.objects.filter(ballot=ballot).count()
        doubled = stored - Vote.objects.filter(ballot=ballot).values("elector_id").distinct().count()
        return {"stored": stored, "doubled": doubled, "electorate": ballot.electorate_size, **_tally(ballot, secretary)}
    ballot = services.ballot_create(
        actor=secretary,
        question=f"bench 表决 {timezone.now():%H:%M:%S}",
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )
    bound = set(User.objects.filter(resident__isnull=False).values_list("resident_id", flat=True))
    today = timezone.localdate()
    adult = datetime.date(today.year - 18, 1, 1)
    voters = {}
    for r in (
        Resident.objects.filter(community_id=ballot.community_id, status=ResidentStatus.ACTIVE, birth_date__lte=adult)
        .order_by("household_id", "id")
        .values("id", "household_id")
    ):
        voters.setdefault(r["household_id"], r["id"])
    existing = {
        u.resident.household_id: u
        for u in User.objects.filter(role=Role.RESIDENT, resident__community_id=ballot.community_id).select_related(
            "resident"
        )
    }
    tokens = []
    for n, household_id in enumerate(
        Household.objects.filter(community_id=ballot.community_id).values_list("id", flat=True)
    ):
        user = existing.get(household_id)
        if user is None:
            resident_id = voters.get(household_id)
            if resident_id is None or resident_id in bound:
                continue
            user = User(phone=f"16{n:09d}", name=f"bench{n}", role=Role.RESIDENT, resident_id=resident_id)
            user.set_unusable_password()
            user.save()
        tokens.append(ApiToken.issue(user))
    return {"ballot": str(ballot.uuid), "tokens": tokens, "electorate": ballot.electorate_size}


def _timed(fn, times: int = 3) -> tuple[float, int, object]:
    """The best of `times` runs in milliseconds, and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, value = None, None
    for _ in range(times):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            value = fn()
            took = (time.perf_counter() - started) * 1000
        best = took if best is None else min(best, took)
    return round(best, 1), len(queries), value


def _tally(ballot, secretary) -> dict:
    """Close the ballot now and count it; then one more vote's queries through the API on a fresh ballot."""
    import datetime

    from django.test import Client
    from django.utils import timezone

    from jumin.core.models import ApiToken, User
    from jumin.deliberation import services
    from jumin.deliberation.models import Ballot, Vote
    from jumin.deliberation.selectors import ballot_result

    now = timezone.now()
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=now)
    ballot.refresh_from_db()
    services.ballot_close(ballot=ballot, now=now)
    tally_ms, tally_queries, result = _timed(lambda: ballot_result(ballot, now))
    client = Client(HTTP_HOST="127.0.0.1")
    staff = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(secretary)}", "secure": True}
    api_ms, api_queries, response = _timed(lambda: client.get(f"/api/v1/ballots/{ballot.uuid}", **staff))
    fresh = services.ballot_create(
        actor=secretary, question="bench 单票查询数", closes_at=timezone.now() + datetime.timedelta(hours=1)
    )
    voter = User.objects.filter(pk__in=Vote.objects.filter(ballot=ballot).values("cast_by_id")).first()
    mine = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(voter)}", "secure": True}
    _, vote_queries, voted = _timed(
        lambda: client.post(
            f"/api/v1/ballots/{fresh.uuid}/votes", {"choice": "yes"}, content_type="application/json", **mine
        ),
        times=1,
    )
    return {
        "tally_ms": tally_ms,
        "tally_queries": tally_queries,
        "passed": result.passed,
        "turnout_percent": result.turnout_percent,
        "result_api_ms": api_ms,
        "result_api_queries": api_queries,
        "result_api_status": response.status_code,
        "vote_api_queries": vote_queries,
        "vote_api_status": voted.status_code,
    }


def main() -> None:
    from bench.load import cpu_seconds
    from bench.run import OUT, Database, Django, Server, bench_keys, log

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=int, default=0, help="只投前 N 户(试跑脚本用;默认全部)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = (
        Database(url=os.environ["DATABASE_URL"])
        if os.environ.get("DATABASE_URL")
        else Database(path=OUT / "bench-votes.sqlite3")
    )
    django = Django(db, bench_keys(db))
    db.ensure_exists()
    django.manage("migrate", "migrate", "--noinput", production=False)
    django.manage("load_demo", "load_demo", "--if-empty", production=False)

    def run_inside(step: str, *extra: str) -> dict:
        out = OUT / f"votes-{step}.json"
        django.run(f"votes-{step}", "-m", "bench.votes", "inside", step, "--out", str(out), *extra)
        return json.loads(out.read_text(encoding="utf-8"))

    prepared = run_inside("prepare")
    tokens, ballot = prepared["tokens"], prepared["ballot"]
    if args.limit:
        tokens = tokens[: args.limit]
    log(f"表决 {ballot}:选民 {prepared['electorate']} 户,{len(tokens)} 户各有一个投票账号")
    body = json.dumps({"choice": "yes"}).encode()
    with Server(django) as server:

        def cast(token: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            try:
                conn.request(
                    "POST",
                    f"/api/v1/ballots/{ballot}/votes",
                    body=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                response.read()
                return response.status
            except OSError:
                return 0
            finally:
                conn.close()

        cpu_before = cpu_seconds(server.workers)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            statuses = list(pool.map(cast, tokens))
        seconds = time.perf_counter() - started
        # The workers' own CPU per vote: steadier than votes/s when other processes share the machine.
        cpu_ms = (cpu_seconds(server.workers) - cpu_before) * 1000 / max(1, len(tokens))
    counted = run_inside("count", "--ballot", ballot)
    by_status = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(
        json.dumps(
            {
                "database": db.label,
                "concurrency": args.concurrency,
                "households_voting": len(tokens),
                "seconds": round(seconds, 1),
                "votes_per_second": round(len(tokens) / seconds, 1) if seconds else None,
                "worker_cpu_ms_per_vote": round(cpu_ms, 1),
                "load_average": round(os.getloadavg()[0], 1),
                "http_statuses": by_status,
                "stored": counted["stored"],
                "doubled": counted["doubled"],
                "lost": len(tokens) - counted["stored"],
                "tally_ms": counted["tally_ms"],
                "tally_queries": counted["tally_queries"],
                "passed": counted["passed"],
                "turnout_percent": counted["turnout_percent"],
                "result_api_ms": counted["result_api_ms"],
                "result_api_queries": counted["result_api_queries"],
                "result_api_status": counted["result_api_status"],
                "vote_api_queries": counted["vote_api_queries"],
                "vote_api_status": counted["vote_api_status"],
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "inside":
        parser = argparse.ArgumentParser()
        parser.add_argument("mode")
        parser.add_argument("step", choices=["prepare", "count"])
        parser.add_argument("--out", required=True)
        parser.add_argument("--ballot")
        parsed = parser.parse_args()
        Path(parsed.out).write_text(json.dumps(inside(parsed), ensure_ascii=False), encoding="utf-8")
    else:
        main()
