"""Reads of piecework. Residents see the open orders they are eligible for and their own claims; a factory contact
its own factory's orders; staff their scope. Everything else is 404."""

import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope
from jumin.core.models import Role
from jumin.people.models import ResidentTag

from .models import ClaimStatus, Factory, HandIn, OrderStatus, PiecePayment, WorkClaim, WorkOrder
from .services import age_on


def _claim_sum(field: str):
    total = (
        WorkClaim.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_progress(orders):
    """Each order with pieces handed in, accepted and the number of claims (subqueries: one query per list)."""
    return orders.annotate(
        handed_in_total=_claim_sum("handed_in"),
        accepted_total=_claim_sum("accepted"),
        claim_count=Coalesce(
            Subquery(
                WorkClaim.objects.filter(order=OuterRef("pk"))
                .exclude(status__in=[ClaimStatus.CANCELLED])
                .order_by()
                .values("order")
                .annotate(n=Count("id"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def factories_for(scope: Scope, *, q=None):
    factories = Factory.objects.filter(community_id__in=scope.community_ids).select_related("user", "community")
    q = (q or "").strip()
    if q:
        factories = factories.filter(Q(name__contains=q) | Q(products__contains=q))
    return factories.annotate(order_count=Count("orders")).order_by("name", "id")


def factory_get(scope: Scope, factory_uuid) -> Factory:
    factory = Factory.objects.filter(community_id__in=scope.community_ids, uuid=factory_uuid).first()
    if factory is None:
        raise Http404("没有找到该工厂")
    return factory


def factory_of(user) -> Factory | None:
    if getattr(user, "role", None) != Role.FACTORY_CONTACT:
        return None
    return Factory.objects.filter(user=user).first()


def orders_for_staff(scope: Scope, *, status=None, factory=None, q=None):
    orders = WorkOrder.objects.filter(community_id__in=scope.community_ids).select_related("factory")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    if factory:
        orders = orders.filter(factory__uuid=factory)
    q = (q or "").strip()
    if q:
        orders = orders.filter(Q(item__contains=q) | Q(factory__name__contains=q))
    return with_progress(orders).prefetch_related("eligible_tags").order_by("-created_at", "-id")


def order_get_staff(scope: Scope, order_uuid) -> WorkOrder:
    order = with_progress(
        WorkOrder.objects.filter(community_id__in=scope.community_ids, uuid=order_uuid).select_related("factory")
    ).first()
    if order is None:
        raise Http404("没有找到该代工订单")
    return order


def orders_for_factory(user):
    factory = factory_of(user)
    if factory is None:
        return WorkOrder.objects.none()
    return with_progress(WorkOrder.objects.filter(factory=factory).select_related("factory")).order_by("-created_at")


def order_for_factory(user, order_uuid) -> WorkOrder:
    order = orders_for_factory(user).filter(uuid=order_uuid).first()
    if order is None:
        raise Http404("没有找到该代工订单")
    return order


def _resident(user):
    if getattr(user, "role", None) != Role.RESIDENT or user.resident_id is None:
        return None
    resident = user.resident
    return resident if resident.status == "active" else None


def eligible_q(resident, today: datetime.date) -> Q:
    """Orders whose audience includes `resident`: community, age range, and one of the tags when any are named."""
    age = age_on(resident.birth_date, today)
    through = WorkOrder.eligible_tags.through
    any_tag = through.objects.filter(workorder_id=OuterRef("pk"))
    held = ResidentTag.objects.filter(resident_id=resident.pk).values("tag_id")
    matching = any_tag.filter(tag_id__in=held)
    return (
        Q(community_id=resident.community_id)
        & (Q(min_age__isnull=True) | Q(min_age__lte=age))
        & (Q(max_age__isnull=True) | Q(max_age__gte=age))
        & (~Exists(any_tag) | Exists(matching))
    )


def orders_for_resident(user, today: datetime.date | None = None):
    """Open orders the resident may claim, soonest deadline first."""
    resident = _resident(user)
    if resident is None:
        return WorkOrder.objects.none()
    today = today or timezone.localdate()
    return (
        WorkOrder.objects.filter(eligible_q(resident, today), status=OrderStatus.OPEN, deadline__gte=today)
        .select_related("factory")
        .order_by("deadline", "id")
    )


def order_for_resident(user, order_uuid, today: datetime.date | None = None) -> WorkOrder:
    """An order the resident is eligible for (open), or has a claim on; 404 otherwise — an ineligible resident
    does not see the order at all."""
    resident = _resident(user)
    if resident is None:
        raise Http404("没有找到该代工订单")
    today = today or timezone.localdate()
    mine = WorkClaim.objects.filter(order=OuterRef("pk"), resident=resident)
    order = (
        WorkOrder.objects.filter(
            Q(eligible_q(resident, today), status=OrderStatus.OPEN, deadline__gte=today) | Q(Exists(mine)),
            uuid=order_uuid,
        )
        .select_related("factory")
        .first()
    )
    if order is None:
        raise Http404("没有找到该代工订单")
    return order


def claims_for_resident(user):
    if getattr(user, "role", None) != Role.RESIDENT or user.resident_id is None:
        return WorkClaim.objects.none()
    return WorkClaim.objects.filter(resident_id=user.resident_id).select_related("order__factory")


def claim_get(user, claim_uuid) -> WorkClaim:
    """The resident's own claim, or a claim in a staff member's scope; 404 for everyone else."""
    claims = WorkClaim.objects.select_related("order__factory", "resident__household__dwelling")
    if getattr(user, "role", None) == Role.RESIDENT and user.resident_id:
        claim = claims.filter(uuid=claim_uuid, resident_id=user.resident_id).first()
    elif getattr(user, "is_office", False):
        from jumin.core.access import scope_for

        scope = scope_for(user)
        claim = claims.filter(scope.q(grid="resident__grid_id"), uuid=claim_uuid).first()
    else:
        claim = None
    if claim is None:
        raise Http404("没有找到该认领")
    return claim


def handin_get(user, handin_uuid) -> HandIn:
    handin = HandIn.objects.select_related("claim__order", "claim__resident").filter(uuid=handin_uuid).first()
    if handin is None:
        raise Http404("没有找到该批交货")
    claim_get(user, handin.claim.uuid)
    return handin


def order_claims(order: WorkOrder):
    return (
        order.claims.select_related("resident__household__dwelling")
        .prefetch_related("handins")
        .order_by("status", "-created_at", "-id")
    )


def earned_sum():
    """Accepted pieces × unit pay, summed in integers (fen) by the database."""
    return Sum(F("accepted") * F("unit_pay_fen"))


def income_ledger(resident_id: int) -> dict:
    """A resident's piece pay: every payment (newest first), and the totals earned, paid and owed (fen)."""
    payments = list(
        PiecePayment.objects.filter(claim__resident_id=resident_id)
        .select_related("claim__order__factory")
        .order_by("-paid_at", "-id")
    )
    totals = WorkClaim.objects.filter(resident_id=resident_id).aggregate(
        paid=Coalesce(Sum("paid_fen"), 0), pieces=Coalesce(Sum("accepted"), 0), earned=Coalesce(earned_sum(), 0)
    )
    return {
        "payments": payments,
        "paid_fen": totals["paid"],
        "earned_fen": totals["earned"],
        "owed_fen": totals["earned"] - totals["paid"],
        "pieces": totals["pieces"],
    }


# The open ends of an all-time settlement: far enough out, and still valid aware datetimes in every time zone.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2999, 12, 30)


def month_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This month so far, in local days: the statement's default period."""
    return today.replace(day=1), today


def _local_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Local days start … end (both included) as [since, until) instants in the site's time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return since, until


def settlement(factory: Factory, *, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """A factory's settlement for a period of local days, both included (None: open-ended, for all-time totals).

    Per order: pieces accepted and rejected at inspections in the period and the piece pay they earned, the pay
    handed out in the period, and what is still owed at the period's end (fen). A line is listed when the order was
    posted, inspected or paid in the period, or still owes pay at its end; the totals are the sums of the lines,
    and over consecutive periods they add up to the all-time figures. Three queries."""
    since, until = _local_bounds(start or EARLIEST, end or LATEST)
    in_period = Q(inspected_at__gte=since)
    inspected = {
        row["claim__order_id"]: row
        for row in HandIn.objects.filter(claim__order__factory=factory, inspected_at__lt=until)
        .order_by()
        .values("claim__order_id")
        .annotate(
            n_accepted=Coalesce(Sum("accepted", filter=in_period), 0),
            n_rejected=Coalesce(Sum("rejected", filter=in_period), 0),
            n_earned=Coalesce(Sum(F("accepted") * F("claim__unit_pay_fen"), filter=in_period), 0),
            n_earned_to_end=Sum(F("accepted") * F("claim__unit_pay_fen")),
            n_inspections=Count("id", filter=in_period),
        )
    }
    paid_in_period = Q(paid_at__gte=since)
    paid = {
        row["claim__order_id"]: row
        for row in PiecePayment.objects.filter(claim__order__factory=factory, paid_at__lt=until)
        .order_by()
        .values("claim__order_id")
        .annotate(
            n_paid=Coalesce(Sum("amount_fen", filter=paid_in_period), 0),
            n_paid_to_end=Sum("amount_fen"),
            n_payments=Count("id", filter=paid_in_period),
        )
    }
    no_inspections = {"n_accepted": 0, "n_rejected": 0, "n_earned": 0, "n_earned_to_end": 0, "n_inspections": 0}
    no_payments = {"n_paid": 0, "n_paid_to_end": 0, "n_payments": 0}
    rows = []
    posted_in_period = Q(created_at__gte=since, created_at__lt=until)
    orders = WorkOrder.objects.filter(posted_in_period | Q(pk__in=[*inspected, *paid]), factory=factory)
    for order in orders.order_by("created_at", "id"):
        i, p = inspected.get(order.pk, no_inspections), paid.get(order.pk, no_payments)
        owed = i["n_earned_to_end"] - p["n_paid_to_end"]
        if not (since <= order.created_at < until or i["n_inspections"] or p["n_payments"] or owed):
            continue
        rows.append(
            {
                "order": order,
                "accepted": i["n_accepted"],
                "rejected": i["n_rejected"],
                "earned_fen": i["n_earned"],
                "paid_fen": p["n_paid"],
                "owed_fen": owed,
            }
        )
    return {
        "factory": factory,
        "start": start,
        "end": end,
        "rows": rows,
        "accepted": sum(r["accepted"] for r in rows),
        "rejected": sum(r["rejected"] for r in rows),
        "earned_fen": sum(r["earned_fen"] for r in rows),
        "paid_fen": sum(r["paid_fen"] for r in rows),
        "owed_fen": sum(r["owed_fen"] for r in rows),
    }
