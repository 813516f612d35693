"""Test helpers shared by the apps' test suites (imported only from tests)."""

import threading

from django.db import connection

from .errors import DomainError

WON = "won"


def race(contenders, *, load, act, timeout: float = 30) -> list[str]:
    """Let every contender act at the same moment, each in its own thread with its own database connection.

    Each thread first reads its own copy (`load(contender)`), then all are released together and call
    `act(contender, copy)`, so every one of them decides on the same stale state and only the database's
    compare-and-set, conditional update or unique constraint can stop the losers. Returns, in finishing order,
    WON or the Chinese message of the DomainError each loser got."""
    contenders = list(contenders)
    barrier = threading.Barrier(len(contenders))
    outcomes = []

    def run(contender):
        try:
            copy = load(contender)
            barrier.wait(timeout=10)
            act(contender, copy)
            outcomes.append(WON)
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in contenders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert len(outcomes) == len(contenders), f"a contender did not finish: {outcomes}"
    return outcomes
