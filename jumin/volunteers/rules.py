"""Predicates: one per rule. Services call them to refuse; views call them to build the actions they offer."""

import datetime

from django.utils import timezone

from jumin.core.access import user_can

from .models import ActivityStatus, SignupStatus, VolunteerStatus

# A volunteer may scan the venue's QR from an hour before the shift until two hours after it ends.
CHECK_IN_EARLY = datetime.timedelta(hours=1)
CHECK_IN_LATE = datetime.timedelta(hours=2)


def can_manage(user) -> bool:
    """Approve volunteers, run activities, check people in and out, confirm hours, book points."""
    return user_can(user, "volunteers.manage")


def can_view_office(user) -> bool:
    return user_can(user, "volunteers.view")


def in_community(user, community_id) -> bool:
    from jumin.core.access import scope_for

    return community_id in scope_for(user).community_ids


def volunteer_can_decide(volunteer, user) -> bool:
    return (
        volunteer.status == VolunteerStatus.PENDING and can_manage(user) and in_community(user, volunteer.community_id)
    )


def shift_is_open(shift, now=None) -> bool:
    now = now or timezone.now()
    return shift.activity.status == ActivityStatus.OPEN and shift.starts_at > now


def shift_can_sign_up(shift, volunteer, now=None) -> bool:
    """An approved volunteer of the shift's community, before the shift starts, while places are free."""
    return (
        volunteer is not None
        and volunteer.status == VolunteerStatus.APPROVED
        and volunteer.community_id == shift.community_id
        and shift_is_open(shift, now)
        and shift.free > 0
    )


def signup_can_withdraw(signup, user, now=None) -> bool:
    own = signup.volunteer.resident_id == getattr(user, "resident_id", None)
    staff = can_manage(user) and in_community(user, signup.community_id)
    return (
        (own or staff)
        and signup.status == SignupStatus.SIGNED_UP
        and signup.checked_in_at is None
        and shift_is_open(signup.shift, now)
    )


def _staff_on(signup, user) -> bool:
    return can_manage(user) and in_community(user, signup.community_id)


def signup_can_check_in(signup, user) -> bool:
    return _staff_on(signup, user) and signup.status == SignupStatus.SIGNED_UP and signup.checked_in_at is None


def signup_can_check_out(signup, user) -> bool:
    return (
        _staff_on(signup, user)
        and signup.status == SignupStatus.SIGNED_UP
        and signup.checked_in_at is not None
        and signup.checked_out_at is None
    )


def signup_can_confirm(signup, user) -> bool:
    """Hours are confirmed only for someone who was checked in: a record must be true."""
    return _staff_on(signup, user) and signup.status == SignupStatus.SIGNED_UP and signup.checked_in_at is not None


def signup_can_mark_absent(signup, user, now=None) -> bool:
    now = now or timezone.now()
    return (
        _staff_on(signup, user)
        and signup.status == SignupStatus.SIGNED_UP
        and signup.checked_in_at is None
        and signup.shift.starts_at <= now
    )


def self_check_in_window(shift, now=None) -> bool:
    now = now or timezone.now()
    return shift.starts_at - CHECK_IN_EARLY <= now <= shift.ends_at + CHECK_IN_LATE


def signup_actions(signup, user, now=None) -> list[tuple[str, str]]:
    """The staff actions offered on a sign-up row: (code, label)."""
    actions = []
    if signup_can_check_in(signup, user):
        actions.append(("check-in", "签到"))
    if signup_can_check_out(signup, user):
        actions.append(("check-out", "签退"))
    if signup_can_confirm(signup, user):
        actions.append(("confirm", "确认时长"))
    if signup_can_mark_absent(signup, user, now):
        actions.append(("absent", "记为未到"))
    if signup_can_withdraw(signup, user, now):
        actions.append(("withdraw", "取消报名"))
    return actions


def can_set_rule(user) -> bool:
    return user_can(user, "volunteers.rule")
