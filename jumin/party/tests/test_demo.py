import datetime
import random
import time
from collections import Counter

from django.utils import timezone

from jumin.cases.models import Case, CaseRating
from jumin.party.demo import demo_opinions
from jumin.party.models import Opinion
from jumin.people.tests.factories import ResidentFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 10, 0))


def populate(world, n=160):
    residents = [world.resident, world.spouse, world.neighbour, world.far_resident]
    households = [world.home, world.neighbour_home, world.far_home]
    for i in range(n - len(residents)):
        residents.append(ResidentFactory(household=households[i % 3], name=f"居民{i:03d}", relationship="other"))
    return residents


def test_demo_step_writes_a_realistic_mixture(world):
    populate(world)
    started = time.monotonic()
    line = demo_opinions(world.a, random.Random(7), NOW)
    print(f"demo_opinions: 150 opinions in {time.monotonic() - started:.2f}s")  # a figure, not a timed assertion
    assert line.startswith("150 条")
    cases = Case.objects.filter(kind="opinion")
    assert cases.count() == Opinion.objects.count() == 150
    assert not cases.exclude(community=world.a).exists()
    statuses = Counter(cases.values_list("status", flat=True))
    assert statuses["closed"] > 75 and statuses["answered"] and statuses["accepted"] and statuses["submitted"]
    assert all(c.created_at <= NOW and (c.closed_at is None or c.closed_at <= NOW) for c in cases)
    assert cases.filter(created_at__lt=NOW - datetime.timedelta(days=150)).exists()
    open_cases = cases.exclude(phase="closed")
    assert 0 < sum(1 for c in open_cases if c.due_at < NOW) < 15
    ratings = Counter(CaseRating.objects.values_list("value", flat=True))
    assert ratings["satisfied"] > ratings["basic"] > ratings["unsatisfied"] > 0
    assert ratings.total() > statuses["closed"] * 0.7
    # Staff exist in this world, so closed cases have a worker; opinions keep their case's time.
    assert not cases.filter(phase="closed", assignee__isnull=True).exists()
    opinion = Opinion.objects.select_related("case").first()
    assert opinion.created_at == opinion.case.created_at


def test_demo_step_is_deterministic(world):
    populate(world, n=40)
    demo_opinions(world.a, random.Random(7), NOW)
    first = list(Case.objects.order_by("id").values_list("title", "status", "resident_id", "created_at"))
    Case.objects.all().delete()
    demo_opinions(world.a, random.Random(7), NOW)
    second = list(Case.objects.order_by("id").values_list("title", "status", "resident_id", "created_at"))
    assert first == second
