import datetime
import random
import time
from zoneinfo import ZoneInfo

from jumin.cases.models import Case, CaseRating
from jumin.core.registry import registry
from jumin.errands.demo import COUNT, demo_errands
from jumin.errands.models import Errand
from jumin.hall.demo import demo_catalogue

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _snapshot(community):
    return [
        (c.errand.service_item.name, c.status, c.created_at, c.resident_id, c.errand.pickup_code)
        for c in Case.objects.filter(community=community, kind="errand")
        .select_related("errand__service_item")
        .order_by("created_at", "id")
    ]


def test_demo_steps_are_registered_in_order():
    steps = {s.label: s.order for s in registry.demo_steps}
    assert steps["服务大厅窗口与事项"] == 10 and steps["行政代办"] == 20


def test_demo_errands_look_real_and_are_deterministic(world):
    demo_catalogue(world.a, random.Random(7), NOW)
    started = time.monotonic()
    line = demo_errands(world.a, random.Random(7), NOW)
    elapsed = time.monotonic() - started
    assert "行政代办 120 件" in line, line
    print(f"demo_errands: {COUNT} errands in {elapsed:.2f}s")

    cases = Case.objects.filter(community=world.a, kind="errand")
    assert cases.count() == COUNT == Errand.objects.count()
    statuses = {s: cases.filter(status=s).count() for s in ["picked_up", "returned"]}
    open_count = cases.exclude(phase="closed").count()
    assert statuses["picked_up"] >= 80
    assert 1 <= statuses["returned"] <= 20
    assert open_count >= 3
    assert CaseRating.objects.filter(case__in=cases).count() >= 60
    oldest = cases.order_by("created_at").first().created_at
    assert NOW - oldest > datetime.timedelta(days=150)
    assert all(c.created_at <= NOW for c in cases)
    # Picked-up errands carry the pickup time; open ones hold distinct codes.
    assert not Errand.objects.filter(case__status="picked_up", picked_up_at__isnull=True).exists()
    codes = list(Errand.objects.filter(picked_up_at__isnull=True).values_list("pickup_code", flat=True))
    assert len(codes) == len(set(codes))
    returned = cases.filter(status="returned").first()
    assert returned.events.filter(to_status="returned").exclude(comment="").exists()

    first = _snapshot(world.a)
    Case.objects.filter(community=world.a, kind="errand").delete()
    demo_errands(world.a, random.Random(7), NOW)
    assert [row[:4] for row in _snapshot(world.a)] == [row[:4] for row in first]


def test_demo_errands_cover_every_status_in_office_hours(world):
    from jumin.cases.models import CaseEvent
    from jumin.errands import kind as k

    demo_catalogue(world.a, random.Random(3), NOW)
    # The loader passes UTC; the steps must still fall in the hall's local opening hours.
    demo_errands(world.a, random.Random(3), NOW.astimezone(datetime.UTC))
    cases = Case.objects.filter(community=world.a, kind="errand")
    counts = {s.code: cases.filter(status=s.code).count() for s in k.CASE_KIND.statuses}
    assert all(n >= 2 for code, n in counts.items() if code != k.RETURNED), counts
    assert counts[k.RETURNED] >= 1 and sum(counts.values()) == COUNT
    tz = ZoneInfo("Asia/Shanghai")
    for when in CaseEvent.objects.filter(case__in=cases).values_list("created_at", flat=True):
        local = when.astimezone(tz)
        assert local.weekday() < 5 and datetime.time(8, 0) <= local.time() <= datetime.time(17, 30), local
    # Errands waiting at a step keep what that step needs: documents only once received, a code until collected.
    for errand in Errand.objects.filter(case__in=cases).select_related("case", "service_item"):
        status = errand.case.status
        assert (errand.documents_received != []) == (
            status in (k.DOCS_RECEIVED, k.SUBMITTED, k.RESULT_BACK, k.PICKED_UP)
            and bool(errand.service_item.required_documents)
        )
        assert (errand.picked_up_at is not None) == (status == k.PICKED_UP)
        assert set(errand.documents_ready) <= set(errand.service_item.required_documents)
        assert "材料交接:" in errand.case.body
    assert not CaseRating.objects.filter(case__in=cases).exclude(case__status=k.PICKED_UP).exists()
    assert Errand.objects.filter(case__in=cases, handover="window").exists()
    assert Errand.objects.filter(case__in=cases, handover="visit").exists()


def test_demo_skips_a_community_without_window_staff(world):
    demo_catalogue(world.b, random.Random(1), NOW)
    world.users.other_secretary.is_active = False
    world.users.other_secretary.save()
    assert "跳过" in demo_errands(world.b, random.Random(1), NOW)


def test_demo_errands_say_when_staff_raised_them_as_the_live_service_does(world):
    from jumin.cases.models import CaseEvent, EventKind

    demo_catalogue(world.a, random.Random(7), NOW)
    demo_errands(world.a, random.Random(7), NOW)
    created = CaseEvent.objects.filter(case__kind="errand", kind=EventKind.CREATED).select_related("actor", "case")
    by_staff = [e for e in created if e.actor.role != "resident"]
    by_resident = [e for e in created if e.actor.role == "resident"]
    assert by_staff  # residents without a login (most of world's) had window staff ask for them
    assert all(e.comment == "工作人员代为登记" and e.actor_id == e.case.raised_by_id for e in by_staff)
    assert all(e.comment == "" and e.actor_id == e.case.raised_by_id for e in by_resident)
