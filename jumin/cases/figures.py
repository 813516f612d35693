"""接诉即办 figures: response, resolution and satisfaction rates, time to close and overdue, by kind and month.
A constant number of queries whatever the number of cases.

响应率 counts a case as responded when it was taken by its response deadline; the denominator is the cases that
have had to respond by now (taken, or past the deadline), so a case raised an hour ago does not count as a miss."""

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jumin.core.registry import registry

from .kinds import kind_spec
from .models import CaseRating, Phase, Satisfaction
from .rules import overdue_q


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _counts(now) -> dict:
    """The aggregates every figures row is made of (one GROUP BY, whatever the grouping)."""
    close_time = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    return {
        "total": Count("id"),
        "due_response": Count("id", filter=Q(taken_at__isnull=False) | Q(response_due__lt=now)),
        "responded": Count("id", filter=Q(taken_at__isnull=False, taken_at__lte=F("response_due"))),
        "resolved": Count("id", filter=Q(phase=Phase.CLOSED)),
        "overdue": Count("id", filter=overdue_q(now)),
        "avg_close": Avg(close_time, filter=Q(phase=Phase.CLOSED)),
    }


def _rating_counts() -> dict:
    return {
        "rated": Count("id"),
        "satisfied": Count("id", filter=Q(value__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
    }


def case_figures(cases, *, now: datetime.datetime | None = None) -> dict:
    """Figures over a queryset of cases (already scoped). Returns rows by (kind, month), by kind, and overall."""
    now = now or timezone.now()
    grouped = cases.order_by().annotate(month=TruncMonth("created_at")).values("kind", "month").annotate(**_counts(now))
    ratings = (
        CaseRating.objects.filter(case__in=cases.order_by().values("pk"))
        .annotate(month=TruncMonth("case__created_at"))
        .values("case__kind", "month")
        .annotate(**_rating_counts())
    )
    rating_map = {(r["case__kind"], r["month"]): r for r in ratings}
    rows = []
    for g in grouped:
        r = rating_map.get((g["kind"], g["month"]), {"rated": 0, "satisfied": 0})
        rows.append(_row(g["kind"], g["month"], g, r))
    rows.sort(key=lambda row: (row["month"], row["kind"]), reverse=True)
    return {
        "rows": rows,
        "by_kind": _totals(rows, key="kind"),
        "overall": _totals(rows, key=None)[0] if rows else None,
        "by_community": _by_community(cases, now),
    }


def _by_community(cases, now) -> list[dict]:
    """One row per community, for the street's view (one query for cases, one for ratings)."""
    grouped = cases.order_by().values("community_id", "community__name").annotate(**_counts(now))
    ratings = {
        r["case__community_id"]: r
        for r in CaseRating.objects.filter(case__in=cases.order_by().values("pk"))
        .values("case__community_id")
        .annotate(**_rating_counts())
    }
    out = []
    for g in grouped:
        r = ratings.get(g["community_id"], {"rated": 0, "satisfied": 0})
        out.append({"community": g["community__name"], **_row_figures(g, r)})
    return sorted(out, key=lambda row: row["community"])


def _row_figures(g, r) -> dict:
    avg = g["avg_close"]
    return {
        "total": g["total"],
        "due_response": g["due_response"],
        "responded": g["responded"],
        "resolved": g["resolved"],
        "overdue": g["overdue"],
        "rated": r["rated"],
        "satisfied": r["satisfied"],
        "close_seconds_sum": avg.total_seconds() * g["resolved"] if avg is not None else 0.0,
        "response_rate": _rate(g["responded"], g["due_response"]),
        "resolution_rate": _rate(g["resolved"], g["total"]),
        "satisfaction_rate": _rate(r["satisfied"], r["rated"]),
        "avg_close_hours": round(avg.total_seconds() / 3600, 1) if avg is not None else None,
    }


def _row(kind, month, g, r) -> dict:
    return {
        "kind": kind,
        "kind_label": kind_spec(kind).label,
        "month": timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month,
        **_row_figures(g, r),
    }


def _totals(rows, key):
    sums: dict = defaultdict(lambda: defaultdict(float))
    for row in rows:
        bucket = sums[row[key] if key else "all"]
        for field in (
            "total",
            "due_response",
            "responded",
            "resolved",
            "overdue",
            "rated",
            "satisfied",
            "close_seconds_sum",
        ):
            bucket[field] += row[field]
    out = []
    for k, s in sums.items():
        out.append(
            {
                "kind": k,
                "kind_label": kind_spec(k).label if key else "全部",
                "total": int(s["total"]),
                "due_response": int(s["due_response"]),
                "responded": int(s["responded"]),
                "resolved": int(s["resolved"]),
                "overdue": int(s["overdue"]),
                "rated": int(s["rated"]),
                "satisfied": int(s["satisfied"]),
                "response_rate": _rate(s["responded"], s["due_response"]),
                "resolution_rate": _rate(s["resolved"], s["total"]),
                "satisfaction_rate": _rate(s["satisfied"], s["rated"]),
                "avg_close_hours": round(s["close_seconds_sum"] / s["resolved"] / 3600, 1) if s["resolved"] else None,
            }
        )
    return sorted(out, key=lambda row: row["kind_label"])


def with_other_sources(figures: dict, scope, *, now=None, sources=None) -> dict:
    """Add the requests other apps keep outside the case engine (queue tickets, shelf orders …), registered as
    FigureSources, to the by-kind table and the overall rates: 接诉即办 covers every kind of request."""
    now = now or timezone.now()
    sources = registry.figure_sources if sources is None else sources
    extra = []
    for source in sources:
        for row in source.rows(scope, now):
            extra.append(
                {
                    "kind": row.code,
                    "kind_label": row.label,
                    "total": row.total,
                    "due_response": row.due_response,
                    "responded": row.responded,
                    "resolved": row.resolved,
                    "overdue": row.overdue,
                    "rated": row.rated,
                    "satisfied": row.satisfied,
                    "response_rate": _rate(row.responded, row.due_response),
                    "resolution_rate": _rate(row.resolved, row.total),
                    "satisfaction_rate": _rate(row.satisfied, row.rated),
                    "avg_close_hours": None,
                }
            )
    if not extra:
        return figures
    by_kind = [*figures["by_kind"], *extra]
    sums = {f: sum(r[f] for r in by_kind) for f in ("total", "due_response", "responded", "resolved", "overdue")}
    sums |= {f: sum(r[f] for r in by_kind) for f in ("rated", "satisfied")}
    overall = figures["overall"] or {"kind": "all", "kind_label": "全部", "avg_close_hours": None}
    overall = {
        **overall,
        **sums,
        "response_rate": _rate(sums["responded"], sums["due_response"]),
        "resolution_rate": _rate(sums["resolved"], sums["total"]),
        "satisfaction_rate": _rate(sums["satisfied"], sums["rated"]),
    }
    return {**figures, "by_kind": sorted(by_kind, key=lambda r: r["kind_label"]), "overall": overall}
