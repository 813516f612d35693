"""People acting at the same moment, each thread with its own connection: places and points cannot be overrun."""

import pytest

from jumin.core.testing import WON, race
from jumin.volunteers import services
from jumin.volunteers.models import PointsAccount, Shift, Signup, SignupStatus, Volunteer

from .factories import VolunteerFactory
from .test_services import assert_ledger_balances, serve

pytestmark = pytest.mark.django_db(transaction=True)


def test_thirty_sign_ups_for_the_last_three_places_give_exactly_three(vol):
    shift = vol.shift
    shift.slots = 10
    shift.save()
    for _ in range(7):  # seven places already gone
        services.signup_create(
            actor=vol.users.secretary, shift=shift, volunteer=VolunteerFactory(resident__household=vol.world.home)
        )
    crowd = [VolunteerFactory(resident__household=vol.world.neighbour_home).pk for _ in range(30)]
    outcomes = race(
        crowd,
        load=lambda pk: (
            Volunteer.objects.select_related("resident").get(pk=pk),
            Shift.objects.select_related("activity").get(pk=shift.pk),
        ),
        act=lambda pk, loaded: services.signup_create(actor=vol.users.secretary, shift=loaded[1], volunteer=loaded[0]),
    )
    assert outcomes.count(WON) == 3
    assert outcomes.count("该班次名额已满") == 27
    shift.refresh_from_db()
    assert shift.taken == shift.slots == 10
    assert Signup.objects.filter(shift=shift, status=SignupStatus.SIGNED_UP).count() == 10

    # Withdrawing frees exactly one place, even when the same withdrawal is pressed twice at once.
    leaving = Signup.objects.filter(shift=shift).select_related("volunteer__resident", "shift__activity").first()
    outcomes = race(
        [1, 2],
        load=lambda _: Signup.objects.select_related("volunteer__resident", "shift__activity").get(pk=leaving.pk),
        act=lambda _, signup: services.signup_withdraw(actor=vol.users.secretary, signup=signup),
    )
    assert outcomes.count(WON) == 1
    shift.refresh_from_db()
    assert shift.taken == 9
    assert Signup.objects.filter(shift=shift, status=SignupStatus.SIGNED_UP).count() == 9


def test_one_volunteer_tapping_sign_up_many_times_takes_one_place(vol):
    outcomes = race(
        range(8),
        load=lambda _: Shift.objects.select_related("activity").get(pk=vol.shift.pk),
        act=lambda _, shift: services.signup_create(actor=vol.users.resident, shift=shift),
    )
    assert outcomes.count(WON) == 1
    assert set(outcomes) - {WON} == {"已经报名了这个班次"}
    assert Shift.objects.get(pk=vol.shift.pk).taken == 1
    assert Signup.objects.filter(volunteer=vol.me).count() == 1


def test_spends_at_once_never_take_the_balance_below_zero(vol):
    serve(vol, vol.me)  # 20 points
    outcomes = race(
        range(6),
        load=lambda _: Volunteer.objects.select_related("resident").get(pk=vol.me.pk),
        act=lambda _, v: services.points_spend(actor=vol.users.secretary, volunteer=v, amount=7, memo="爱心超市抵扣"),
    )
    assert outcomes.count(WON) == 2
    assert PointsAccount.objects.get(volunteer=vol.me).balance == 6
    assert_ledger_balances()


def test_hours_confirmed_twice_at_once_earn_points_once(vol):
    signup = serve(vol, vol.me, confirm=False)
    outcomes = race(
        [1, 2, 3],
        load=lambda _: Signup.objects.select_related("shift__activity", "volunteer__resident").get(pk=signup.pk),
        act=lambda _, s: services.signup_confirm(actor=vol.users.secretary, signup=s, minutes=120),
    )
    assert outcomes.count(WON) == 1
    assert PointsAccount.objects.get(volunteer=vol.me).balance == 20
    assert_ledger_balances()
