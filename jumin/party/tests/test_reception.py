import datetime

import pytest
from django.utils import timezone

from jumin.cases.figures import case_figures
from jumin.cases.selectors import cases_for, my_cases, work_queue
from jumin.cases.services import case_take, case_transition
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.testing import WON, race
from jumin.party import services
from jumin.party.inbox import signup_source
from jumin.party.models import Channel, ReceptionSignup, ReceptionSlot
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .factories import ReceptionSlotFactory

SLOTS = [(datetime.time(9), datetime.time(9, 30), 2), (datetime.time(9, 30), datetime.time(10), 2)]


@pytest.fixture
def rep(world):
    return UserFactory(role=Role.PARTY_REP, community=world.a, name="高代表")


@pytest.fixture
def day(rep):
    return services.reception_day_create(
        actor=rep, date=timezone.localdate() + datetime.timedelta(days=3), place="红色驿站", slots=SLOTS, topic="听民意"
    )


def test_representative_schedules_a_day_with_its_slots(day, rep):
    assert day.representative == rep
    assert [(s.starts_at, s.capacity, s.taken) for s in day.slots.order_by("starts_at")] == [
        (datetime.time(9), 2, 0),
        (datetime.time(9, 30), 2, 0),
    ]


def test_overlapping_slots_and_past_dates_are_refused(rep):
    overlapping = [(datetime.time(9), datetime.time(10), 2), (datetime.time(9, 30), datetime.time(11), 2)]
    with pytest.raises(DomainError, match="不能重叠"):
        services.reception_day_create(actor=rep, date=timezone.localdate(), place="红色驿站", slots=overlapping)
    with pytest.raises(DomainError, match="不能早于今天"):
        services.reception_day_create(
            actor=rep, date=timezone.localdate() - datetime.timedelta(days=1), place="红色驿站", slots=SLOTS
        )


def test_a_grid_worker_cannot_schedule_a_day(world):
    with pytest.raises(PermissionDenied):
        services.reception_day_create(actor=world.users.grid_worker, date=timezone.localdate(), place="x", slots=SLOTS)


def test_resident_signs_up_once_per_day_and_a_full_slot_is_refused(world, day):
    slot = day.slots.order_by("starts_at").first()
    services.signup_create(actor=world.users.resident, slot=slot, topic="电梯")
    with pytest.raises(Conflict, match="已预约过"):
        services.signup_create(actor=world.users.resident, slot=day.slots.order_by("starts_at").last())
    services.signup_create(actor=world.users.neighbour, slot=slot)
    third = UserFactory(role=Role.RESIDENT, resident=world.far_resident)
    with pytest.raises(Conflict, match="已约满"):
        services.signup_create(actor=third, slot=slot)
    slot.refresh_from_db()
    assert slot.taken == 2 and ReceptionSignup.objects.filter(slot=slot).count() == 2


def test_a_resident_of_another_community_cannot_sign_up(world, day):
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=world.users.outsider, slot=day.slots.first())
    assert not ReceptionSignup.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_slot_capacity_holds_when_many_sign_up_at_once(world):
    slot = ReceptionSlotFactory(day__representative__community=world.a, capacity=2)
    home = world.home
    users = [
        UserFactory(role=Role.RESIDENT, resident=ResidentFactory(household=home, relationship="child"))
        for _ in range(6)
    ]
    outcomes = race(
        users,
        load=lambda user: ReceptionSlot.objects.select_related("day").get(pk=slot.pk),
        act=lambda user, copy: services.signup_create(actor=user, slot=copy),
    )
    assert outcomes.count(WON) == 2
    assert all(o == WON or "已约满" in o or "database" in o.lower() for o in outcomes)
    slot.refresh_from_db()
    assert slot.taken == 2 == ReceptionSignup.objects.filter(slot=slot).count()


def test_an_opinion_heard_at_the_day_is_a_case_in_the_queue_the_inbox_and_the_figures(world, day, rep):
    slot = day.slots.first()
    signup = services.signup_create(actor=world.users.resident, slot=slot, topic="电梯")
    case = services.reception_opinion_record(
        actor=rep,
        day=day,
        signup=signup,
        resident=None,
        title="希望加装电梯",
        text="老人上下楼难",
        category="facilities",
    )
    signup.refresh_from_db()
    assert signup.opinion.case == case and case.opinion.reception_day == day
    assert case.opinion.channel == Channel.RECEPTION_DAY and case.resident == world.resident
    # The queue staff work from, the resident's 我的事项 and the 接诉即办 figures.
    assert case in work_queue(world.users.secretary, "unassigned")
    assert case in my_cases(world.users.resident)
    figures = case_figures(cases_for(world.users.secretary))
    assert {row["kind"]: row["total"] for row in figures["by_kind"]}["opinion"] == 1
    # Staff take, answer and close it; the day's page follows it.
    case = case_take(actor=world.users.grid_worker, case=case)
    case = case_transition(actor=world.users.grid_worker, case=case, to="answered", comment="已纳入加装电梯计划")
    case = case_transition(actor=world.users.grid_worker, case=case, to="closed")
    assert [o.case.status for o in day.opinions.select_related("case")] == ["closed"]
    assert resolved(case_figures(cases_for(world.users.secretary))) == 1
    entries = signup_source.entries(world.users.resident, 10)
    assert [e.status_label for e in entries] == ["已登记意见"] and signup_source.count(world.users.resident) == 1


def resolved(figures) -> int:
    return {row["kind"]: row["resolved"] for row in figures["by_kind"]}["opinion"]


def test_only_the_days_representative_records_at_it(world, day):
    other = UserFactory(role=Role.PARTY_REP, community=world.a)
    with pytest.raises(PermissionDenied):
        services.reception_opinion_record(
            actor=other, day=day, resident=world.resident, title="t", text="x", category="other"
        )


def test_a_signup_is_recorded_once(world, day, rep):
    signup = services.signup_create(actor=world.users.resident, slot=day.slots.first())
    services.reception_opinion_record(
        actor=rep, day=day, signup=signup, resident=None, title="一", text="x", category="other"
    )
    signup.refresh_from_db()
    with pytest.raises(DomainError, match="已登记过"):
        services.reception_opinion_record(
            actor=rep, day=day, signup=signup, resident=None, title="二", text="x", category="other"
        )
