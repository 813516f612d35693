"""Reads of reception days: the schedule residents see, the representative's days and what became of each opinion."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, scope_for
from jumin.core.models import Role

from ..models import ReceptionDay, ReceptionSignup, ReceptionSlot

__all__ = ["day_get", "day_opinions", "day_signups", "days_for", "my_signups"]


def days_visible_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    scope = scope or scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    return Q(community_id__in=scope.community_ids)


def days_for(user, scope: Scope | None = None, *, upcoming: bool | None = None, today: datetime.date | None = None):
    """Reception days of the communities `user` belongs to (residents: their own), with slots and sign-up counts."""
    today = today or timezone.localdate()
    days = (
        ReceptionDay.objects.filter(days_visible_q(user, scope))
        .select_related("representative", "station")
        .prefetch_related(Prefetch("slots", queryset=ReceptionSlot.objects.order_by("starts_at")))
        .annotate(signup_count=Count("signups", distinct=True), opinion_count=Count("opinions", distinct=True))
    )
    if upcoming is True:
        days = days.filter(date__gte=today).order_by("date", "id")
    elif upcoming is False:
        days = days.filter(date__lt=today).order_by("-date", "-id")
    else:
        days = days.order_by("-date", "-id")
    if getattr(user, "role", None) == Role.PARTY_REP:
        days = days.filter(representative=user)
    return days


def day_get(user, day_uuid) -> ReceptionDay:
    day = (
        ReceptionDay.objects.filter(days_visible_q(user), uuid=day_uuid)
        .select_related("representative", "station", "community")
        .prefetch_related(Prefetch("slots", queryset=ReceptionSlot.objects.order_by("starts_at")))
        .first()
    )
    if day is None:
        raise Http404("没有找到该接待日")
    return day


def day_signups(day: ReceptionDay):
    return day.signups.select_related("resident", "slot", "opinion__case").order_by("slot__starts_at", "id")


def day_opinions(day: ReceptionDay):
    """Every opinion heard that day and where its case stands now (the representative follows them to closure)."""
    return day.opinions.select_related("case__assignee", "case__resident").order_by("created_at", "id")


def my_signups(user):
    if not getattr(user, "resident_id", None):
        return ReceptionSignup.objects.none()
    return (
        ReceptionSignup.objects.filter(resident_id=user.resident_id)
        .select_related("day__representative", "slot", "opinion__case")
        .order_by("-day__date", "-id")
    )
