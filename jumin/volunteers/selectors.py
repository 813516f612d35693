"""Reads for 志愿服务. Staff see their community's volunteers and activities; a resident sees open activities of
their own community and only their own records. Anything else is 404."""

import uuid

from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, scope_for

from . import rules
from .models import (
    LIVE_SIGNUP,
    Activity,
    ActivityStatus,
    PointsAccount,
    PointsEntry,
    Shift,
    Signup,
    SignupStatus,
    Volunteer,
    VolunteerStatus,
)


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _office_communities(user, scope: Scope | None = None) -> tuple[int, ...]:
    if not rules.can_view_office(user):
        return ()
    return (scope or scope_for(user)).community_ids


def volunteers_for(user, scope: Scope | None = None, *, status=None, q=None, party=None):
    """The community's volunteers for staff, newest first, resident joined; none for anyone else."""
    rows = (
        Volunteer.objects.filter(community_id__in=_office_communities(user, scope))
        .select_related("resident", "points")
        .annotate(
            minutes_total=Sum("signups__minutes", filter=Q(signups__status=SignupStatus.CONFIRMED), default=0),
        )
        .order_by("-created_at", "-id")
    )
    if status:
        rows = rows.filter(status=status)
    if party == "party":
        rows = rows.filter(is_party_member=True)
    elif party == "dual":
        rows = rows.filter(is_dual_report=True)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(resident__name__contains=q) | Q(skills__contains=q) | Q(resident__name_pinyin__contains=q))
    return rows


def volunteer_get(user, volunteer_uuid) -> Volunteer:
    volunteer = volunteers_for(user).filter(uuid=_uuid(volunteer_uuid)).first()
    if volunteer is None:
        raise Http404
    return volunteer


def volunteer_of(user) -> Volunteer | None:
    """The user's own volunteer record (any status), if they have one."""
    if not getattr(user, "resident_id", None):
        return None
    return Volunteer.objects.select_related("resident", "points").filter(resident_id=user.resident_id).first()


def approved_volunteer_choices(shift: Shift):
    """Approved volunteers of the shift's community not yet signed up for it (staff sign-up on someone's behalf)."""
    live = Signup.objects.filter(shift=shift, status__in=LIVE_SIGNUP).values("volunteer_id")
    return (
        Volunteer.objects.filter(community_id=shift.community_id, status=VolunteerStatus.APPROVED)
        .exclude(pk__in=live)
        .select_related("resident")
        .order_by("resident__name_pinyin", "id")
    )


def _shifts_prefetch():
    return Prefetch("shifts", queryset=Shift.objects.order_by("starts_at", "id"))


def activities_for(user, scope: Scope | None = None, *, when=None, q=None, now=None):
    """Staff: every activity of their communities, newest first. A resident: open activities of their community
    with a shift still to come, soonest first. Shifts prefetched (two queries however many rows)."""
    now = now or timezone.now()
    communities = _office_communities(user, scope)
    if communities:
        rows = Activity.objects.filter(community_id__in=communities).order_by("-starts_at", "-id")
    else:
        rows = Activity.objects.filter(
            community_id__in=scope_for(user).community_ids,
            status=ActivityStatus.OPEN,
            pk__in=Shift.objects.filter(starts_at__gt=now).values("activity_id"),
        ).order_by("starts_at", "id")
    if when == "upcoming":
        rows = rows.filter(starts_at__gte=now)
    elif when == "past":
        rows = rows.filter(starts_at__lt=now)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(title__contains=q) | Q(place__contains=q))
    return rows.select_related("organiser").prefetch_related(_shifts_prefetch())


def activity_get(user, activity_uuid) -> Activity:
    activity = (
        Activity.objects.filter(community_id__in=_office_communities(user), uuid=_uuid(activity_uuid))
        .select_related("organiser")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def activity_signups(activity: Activity):
    """Every sign-up of the activity's shifts with the volunteer, ordered by shift then name (one query)."""
    return (
        Signup.objects.filter(shift__activity=activity)
        .select_related("shift__activity", "volunteer__resident", "checked_in_by", "confirmed_by")
        .order_by("shift__starts_at", "shift_id", "status", "volunteer__resident__name_pinyin", "id")
    )


def shift_for(user, shift_uuid) -> Shift:
    """A shift the user may act on: staff of its community, or a resident of it (to sign up or scan)."""
    communities = _office_communities(user) or scope_for(user).community_ids
    shift = (
        Shift.objects.filter(community_id__in=communities, uuid=_uuid(shift_uuid)).select_related("activity").first()
    )
    if shift is None:
        raise Http404
    return shift


def signup_for(user, signup_uuid) -> Signup:
    """A sign-up the user may act on: staff of its community, or the volunteer themselves."""
    rows = Signup.objects.select_related("shift__activity", "volunteer__resident").filter(uuid=_uuid(signup_uuid))
    communities = _office_communities(user)
    if communities:
        rows = rows.filter(community_id__in=communities)
    else:
        rows = rows.filter(volunteer__resident_id=getattr(user, "resident_id", None) or 0)
    signup = rows.first()
    if signup is None:
        raise Http404
    return signup


def my_signups(volunteer: Volunteer):
    return (
        Signup.objects.filter(volunteer=volunteer)
        .select_related("shift__activity", "confirmed_by")
        .order_by("-shift__starts_at", "-id")
    )


def my_signup_by_shift(volunteer: Volunteer | None, shift_ids) -> dict:
    if volunteer is None:
        return {}
    rows = Signup.objects.filter(volunteer=volunteer, shift_id__in=shift_ids, status__in=LIVE_SIGNUP)
    return {s.shift_id: s for s in rows}


def service_records(volunteer: Volunteer):
    """Confirmed hours: who, what, where, how long, confirmed by whom — the certificate's rows."""
    return my_signups(volunteer).filter(status=SignupStatus.CONFIRMED).order_by("shift__starts_at", "id")


def hours_summary(volunteer: Volunteer) -> dict:
    totals = Signup.objects.filter(volunteer=volunteer, status=SignupStatus.CONFIRMED).aggregate(
        minutes=Sum("minutes", default=0), shifts=Count("id")
    )
    account = PointsAccount.objects.filter(volunteer=volunteer).first()
    return {
        "minutes": totals["minutes"],
        "hours": round(totals["minutes"] / 60, 1),
        "shifts": totals["shifts"],
        "balance": account.balance if account else 0,
    }


def points_entries(volunteer: Volunteer):
    return (
        PointsEntry.objects.filter(account__volunteer=volunteer)
        .select_related("transfer__actor", "transfer__signup__shift__activity")
        .order_by("-created_at", "-id")
    )


def hours_records_for(user, scope: Scope | None = None, *, activity=None):
    """Confirmed hours across the community, for the office 台账."""
    rows = Signup.objects.filter(
        community_id__in=_office_communities(user, scope), status=SignupStatus.CONFIRMED
    ).select_related("shift__activity", "volunteer__resident", "confirmed_by", "points_transfer")
    if activity:
        rows = rows.filter(shift__activity=activity)
    return rows.order_by("-confirmed_at", "-id")
