import datetime
import random
import time

from django.utils import timezone

from jumin.cases.models import Case, CaseFollowUp
from jumin.mediation.demo import demo_disputes
from jumin.mediation.models import Agreement, Dispute, MediationSession
from jumin.people.models import Relationship
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory
from jumin.places.tests.factories import DwellingFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))


def _populate(world):
    unit = world.building.units.first()
    for n in range(12):
        home = HouseholdFactory(dwelling=DwellingFactory(unit=unit, number=f"5{n:02d}"))
        ResidentFactory(household=home, age=40 + n)
        ResidentFactory(household=home, age=38 + n, relationship=Relationship.SPOUSE, gender="F")


def _signature():
    return [
        (d.category, d.case.status, d.case.level, d.case.title, d.sessions.count(), d.case.assignee_id)
        for d in Dispute.objects.select_related("case").order_by("case__created_at", "id")
    ]


def test_demo_disputes_are_realistic_and_deterministic(world):
    _populate(world)
    started = time.perf_counter()
    line = demo_disputes(world.a, random.Random(7), NOW)
    print(f"demo_disputes: 40 disputes in {time.perf_counter() - started:.2f}s")  # a figure, not a timed assertion
    assert "40 件纠纷" in line
    disputes = Dispute.objects.select_related("case")
    assert disputes.count() == 40 and all(d.community_id == world.a.pk for d in disputes)
    statuses = {d.case.status for d in disputes}
    assert {"closed", "mediating"} <= statuses and len(statuses) >= 3
    assert {d.category for d in disputes} >= {"noise", "leak", "parking", "family"}
    oldest = min(d.case.created_at for d in disputes)
    assert NOW - oldest > datetime.timedelta(days=90)
    assert all(d.case.created_at <= NOW for d in disputes)
    # Sessions and follow-ups never lie in the future; agreed ones carry an agreement, closed agreed ones a visit.
    assert not MediationSession.objects.filter(held_at__gt=NOW).exists()
    for d in disputes.filter(case__status="agreed"):
        assert Agreement.objects.filter(dispute=d).exists()
    for agreement in Agreement.objects.select_related("dispute__case"):
        case = agreement.dispute.case
        if case.status == "closed":
            assert CaseFollowUp.objects.filter(case=case, created_at__lte=case.closed_at).exists()
    assert all(
        d.case.assignee == world.users.mediator
        for d in disputes.exclude(case__status="registered").filter(case__level="community")
    )
    first = _signature()
    Case.objects.filter(kind="dispute").delete()
    demo_disputes(world.a, random.Random(7), NOW)
    assert _signature() == first


def test_the_demo_residents_get_a_dispute_and_their_own_errands(world):
    """我的事项 of the demo logins: a dispute (the younger resident asked, the elder is the other party, the demo
    mediator has held a session) and errands whose first step is their own, not the staff member's."""
    from jumin.cases.models import CaseEvent, EventKind
    from jumin.cases.selectors import my_cases
    from jumin.core.models import User
    from jumin.demo.accounts import ELDER_PHONE, RESIDENT_PHONE
    from jumin.demo.showcase import hand_cases_to_demo_residents
    from jumin.errands.demo import demo_errands
    from jumin.hall.demo import demo_catalogue

    users = world.users
    for user, phone in (
        (users.resident, ELDER_PHONE),
        (users.neighbour, RESIDENT_PHONE),
        (users.mediator, "13900000004"),
    ):
        User.objects.filter(pk=user.pk).update(phone=phone)
    demo_catalogue(world.a, random.Random(7), NOW)
    demo_errands(world.a, random.Random(7), NOW)
    # As for residents without a login: window staff raised every errand for them.
    Case.objects.filter(kind="errand").update(raised_by=users.window_staff)
    CaseEvent.objects.filter(case__kind="errand", kind=EventKind.CREATED).update(
        actor=users.window_staff, comment="工作人员代为登记"
    )

    hand_cases_to_demo_residents()

    dispute = Dispute.objects.select_related("case").get()
    case = dispute.case
    assert (case.resident, case.raised_by, case.assignee) == (
        world.neighbour,
        users.neighbour,
        users.mediator,
    )
    assert case.status == "mediating" and case.confidential and dispute.category == "parking"
    assert set(case.parties.values_list("resident_id", flat=True)) == {world.neighbour.pk, world.resident.pk}
    assert dispute.named_parties.get().resident_id == world.resident.pk
    session = MediationSession.objects.get(dispute=dispute)
    assert set(session.attendees.values_list("pk", flat=True)) == {world.neighbour.pk, world.resident.pk}
    assert session.held_at <= timezone.now()
    created = CaseEvent.objects.get(case=case, kind=EventKind.CREATED)
    assert created.actor == users.neighbour and created.comment == ""
    for user in (users.neighbour, users.resident):
        assert my_cases(User.objects.get(pk=user.pk)).filter(pk=case.pk).exists()

    errand = my_cases(User.objects.get(pk=users.resident.pk)).get(kind="errand", status="result_back")
    assert errand.raised_by_id == users.resident.pk
    created = CaseEvent.objects.get(case=errand, kind=EventKind.CREATED)
    assert created.actor_id == users.resident.pk and created.comment == ""
