"""The rules of 志愿服务 at the service level: applications, places, check-in, confirmed hours and points."""

import datetime

import pytest
from django.utils import timezone

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.volunteers import services
from jumin.volunteers.models import (
    AccountKind,
    PointsAccount,
    PointsEntry,
    PointsTransfer,
    Shift,
    Signup,
    SignupStatus,
    Volunteer,
    VolunteerStatus,
)

from .factories import VolunteerFactory


def assert_ledger_balances():
    """Every account's balance is the sum of its entries, and every transfer's entries sum to zero."""
    for account in PointsAccount.objects.all():
        assert account.balance == sum(account.entries.values_list("amount", flat=True))
    for transfer in PointsTransfer.objects.all():
        amounts = list(transfer.entries.values_list("amount", flat=True))
        assert len(amounts) == 2 and sum(amounts) == 0 and transfer.amount in amounts


def serve(vol, volunteer, minutes_late=0, *, staff=None, confirm=True, minutes=None):
    staff = staff or vol.users.secretary
    signup = services.signup_create(actor=staff, shift=vol.shift, volunteer=volunteer)
    start = vol.shift.starts_at + datetime.timedelta(minutes=minutes_late)
    signup = services.signup_check_in(actor=staff, signup=signup, now=start)
    signup = services.signup_check_out(actor=staff, signup=signup, now=vol.shift.ends_at)
    if confirm:
        signup = services.signup_confirm(actor=staff, signup=signup, minutes=minutes, now=vol.shift.ends_at)
    return signup


def test_resident_applies_and_staff_approval_opens_a_points_account(world):
    volunteer = services.volunteer_apply(actor=world.users.neighbour, skills="家电维修", availability="周末")
    assert volunteer.status == VolunteerStatus.PENDING and volunteer.community_id == world.a.pk
    assert not PointsAccount.objects.filter(volunteer=volunteer).exists()
    services.volunteer_decide(actor=world.users.secretary, volunteer=volunteer, approve=True)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.APPROVED and volunteer.decided_by == world.users.secretary
    assert PointsAccount.objects.get(volunteer=volunteer).balance == 0


def test_party_member_flag_is_taken_from_the_register_tag(world):
    assert services.volunteer_apply(actor=world.users.resident).is_party_member is True
    assert services.volunteer_apply(actor=world.users.neighbour).is_party_member is False


def test_second_application_from_the_same_resident_is_refused(world):
    services.volunteer_apply(actor=world.users.neighbour)
    with pytest.raises(Conflict):
        services.volunteer_apply(actor=world.users.neighbour)
    assert Volunteer.objects.count() == 1


def test_refused_applicant_may_apply_again_on_the_same_record(world):
    volunteer = services.volunteer_apply(actor=world.users.neighbour)
    with pytest.raises(DomainError):
        services.volunteer_decide(actor=world.users.secretary, volunteer=volunteer, approve=False, reason="")
    services.volunteer_decide(actor=world.users.secretary, volunteer=volunteer, approve=False, reason="请补充特长")
    again = services.volunteer_apply(actor=world.users.neighbour, skills="摄影")
    assert again.pk == volunteer.pk and again.status == VolunteerStatus.PENDING and again.skills == "摄影"


def test_staff_of_another_community_cannot_approve(world):
    volunteer = services.volunteer_apply(actor=world.users.neighbour)
    with pytest.raises(PermissionDenied):
        services.volunteer_decide(actor=world.users.other_secretary, volunteer=volunteer, approve=True)
    with pytest.raises(PermissionDenied):
        services.volunteer_decide(actor=world.users.mediator, volunteer=volunteer, approve=True)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PENDING


def test_unapproved_resident_cannot_sign_up(vol):
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=vol.users.neighbour, shift=vol.shift)
    assert not Signup.objects.exists()


def test_sign_up_takes_a_place_and_the_same_shift_twice_is_refused(vol):
    signup = services.signup_create(actor=vol.users.resident, shift=vol.shift)
    assert signup.channel == "self" and signup.status == SignupStatus.SIGNED_UP
    with pytest.raises(Conflict, match="已经报名"):
        services.signup_create(actor=vol.users.resident, shift=vol.shift)
    assert Shift.objects.get(pk=vol.shift.pk).taken == 1


def test_a_full_shift_refuses_the_next_volunteer(vol):
    vol.shift.slots = 1
    vol.shift.save()
    services.signup_create(actor=vol.users.resident, shift=vol.shift)
    with pytest.raises(Conflict, match="名额已满"):
        services.signup_create(actor=vol.users.secretary, shift=Shift.objects.get(pk=vol.shift.pk), volunteer=vol.other)
    assert Signup.objects.count() == 1


def test_withdrawing_frees_exactly_one_place_and_only_once(vol):
    signup = services.signup_create(actor=vol.users.resident, shift=vol.shift)
    services.signup_create(actor=vol.users.secretary, shift=vol.shift, volunteer=vol.other)
    services.signup_withdraw(actor=vol.users.resident, signup=signup)
    assert Shift.objects.get(pk=vol.shift.pk).taken == 1
    with pytest.raises(Conflict):
        services.signup_withdraw(actor=vol.users.resident, signup=Signup.objects.get(pk=signup.pk))
    assert Shift.objects.get(pk=vol.shift.pk).taken == 1
    # and the place can be taken again
    services.signup_create(actor=vol.users.resident, shift=Shift.objects.get(pk=vol.shift.pk))
    assert Shift.objects.get(pk=vol.shift.pk).taken == 2


def test_a_started_shift_takes_no_sign_ups(vol):
    later = vol.shift.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(DomainError, match="已开始"):
        services.signup_create(actor=vol.users.resident, shift=vol.shift, now=later)


def test_confirmed_hours_earn_points_by_the_community_rule(vol):
    services.points_rule_set(actor=vol.users.secretary, community=vol.world.a, points_per_hour=12)
    signup = serve(vol, vol.me, minutes_late=30)  # two-hour shift, arrived 30 minutes late
    assert signup.status == SignupStatus.CONFIRMED and signup.minutes == 90
    assert signup.confirmed_by == vol.users.secretary
    account = PointsAccount.objects.get(volunteer=vol.me)
    assert account.balance == 18
    transfer = PointsTransfer.objects.get(signup=signup)
    assert transfer.origin == "hours" and transfer.amount == 18
    issued = PointsAccount.objects.get(community=vol.world.a, kind=AccountKind.ISSUED)
    assert issued.balance == -18
    assert_ledger_balances()


def test_hours_are_confirmed_only_once_and_only_after_check_in(vol):
    signup = services.signup_create(actor=vol.users.resident, shift=vol.shift)
    with pytest.raises(Conflict):
        services.signup_confirm(actor=vol.users.secretary, signup=signup, minutes=60)
    signup = serve(vol, vol.other)
    with pytest.raises(Conflict):
        services.signup_confirm(actor=vol.users.secretary, signup=signup, minutes=60)
    assert PointsTransfer.objects.count() == 1


def test_confirmed_minutes_outside_the_allowed_range_are_refused(vol):
    signup = serve(vol, vol.me, confirm=False)
    for bad in (0, -5, 10**20, True, "60"):
        with pytest.raises(DomainError):
            services.signup_confirm(actor=vol.users.secretary, signup=signup, minutes=bad)
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.SIGNED_UP


def test_points_never_go_negative_and_a_refused_spend_writes_nothing(vol):
    serve(vol, vol.me)  # 2 hours at the default 10 points an hour
    assert PointsAccount.objects.get(volunteer=vol.me).balance == 20
    services.points_spend(actor=vol.users.secretary, volunteer=vol.me, amount=15, memo="爱心超市抵扣")
    with pytest.raises(Conflict, match="积分余额不足"):
        services.points_spend(actor=vol.users.secretary, volunteer=vol.me, amount=6, memo="爱心超市抵扣")
    assert PointsAccount.objects.get(volunteer=vol.me).balance == 5
    assert PointsTransfer.objects.filter(origin="spend").count() == 1
    assert PointsEntry.objects.count() == 4
    assert_ledger_balances()


def test_spend_amount_must_be_a_sane_positive_integer(vol):
    for bad in (0, -1, 10**20, True):
        with pytest.raises(DomainError):
            services.points_spend(actor=vol.users.secretary, volunteer=vol.me, amount=bad, memo="x")
    assert not PointsTransfer.objects.exists()


def test_a_resident_cannot_book_points(vol):
    with pytest.raises(PermissionDenied):
        services.points_spend(actor=vol.users.resident, volunteer=vol.me, amount=1, memo="x")


def test_scanning_the_venue_code_checks_in_then_out(vol):
    services.signup_create(actor=vol.users.resident, shift=vol.shift)
    at = vol.shift.starts_at - datetime.timedelta(minutes=5)
    with pytest.raises(DomainError, match="签到码无效"):
        services.shift_scan(actor=vol.users.resident, shift=vol.shift, code="wrong", now=at)
    signup = services.shift_scan(actor=vol.users.resident, shift=vol.shift, code=vol.shift.check_in_code, now=at)
    assert signup.checked_in_at == at and signup.checked_out_at is None
    out = vol.shift.ends_at
    signup = services.shift_scan(actor=vol.users.resident, shift=vol.shift, code=vol.shift.check_in_code, now=out)
    assert signup.checked_out_at == out
    with pytest.raises(Conflict):
        services.shift_scan(actor=vol.users.resident, shift=vol.shift, code=vol.shift.check_in_code, now=out)


def test_scanning_outside_the_window_or_without_a_sign_up_is_refused(vol):
    early = vol.shift.starts_at - datetime.timedelta(hours=3)
    with pytest.raises(DomainError, match="没有报名"):
        services.shift_scan(actor=vol.users.resident, shift=vol.shift, code=vol.shift.check_in_code, now=early)
    services.signup_create(actor=vol.users.resident, shift=vol.shift)
    with pytest.raises(DomainError, match="不在签到时间内"):
        services.shift_scan(actor=vol.users.resident, shift=vol.shift, code=vol.shift.check_in_code, now=early)
    assert Signup.objects.get().checked_in_at is None


def test_activity_needs_valid_shifts(vol):
    now = timezone.now()
    good = {"starts_at": now + datetime.timedelta(days=1), "ends_at": now + datetime.timedelta(days=1, hours=2)}
    cases = [
        [],
        [{**good, "slots": 0}],
        [{**good, "slots": 10**20}],
        [{**good, "slots": 3, "ends_at": good["starts_at"]}],
        [{**good, "slots": 3, "starts_at": now - datetime.timedelta(hours=1)}],
        [{**good, "slots": 3, "ends_at": good["starts_at"] + datetime.timedelta(hours=13)}],
    ]
    for shifts in cases:
        with pytest.raises(DomainError):
            services.activity_create(
                actor=vol.users.secretary, community=vol.world.a, title="清洁", place="广场", shifts=shifts
            )
    activity = services.activity_create(
        actor=vol.users.secretary, community=vol.world.a, title="清洁", place="广场", shifts=[{**good, "slots": 4}]
    )
    assert activity.shifts.get().slots == 4


def test_cancelling_an_activity_tells_everyone_signed_up(vol, django_capture_on_commit_callbacks):
    from jumin.cases.models import Notification

    services.signup_create(actor=vol.users.resident, shift=vol.shift)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(actor=vol.users.secretary, activity=vol.shift.activity)
    assert Notification.objects.filter(user=vol.users.resident, title__contains="已取消").exists()
    with pytest.raises(DomainError):
        services.signup_create(
            actor=vol.users.resident, shift=Shift.objects.select_related("activity").get(pk=vol.shift.pk)
        )


def test_a_volunteer_of_another_community_cannot_join(vol):
    outsider = VolunteerFactory(resident=vol.world.outsider_resident)
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=vol.users.other_secretary, shift=vol.shift, volunteer=outsider)
    with pytest.raises(DomainError):
        services.signup_create(actor=vol.users.secretary, shift=vol.shift, volunteer=outsider)
    assert not Signup.objects.exists()
