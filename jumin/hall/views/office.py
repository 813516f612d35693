"""Back-office pages of the running hall: the week's booking slots, bookings, service records and figures."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people.idcard import mask_phone

from .. import figures, rules, selectors
from ..models import BookingStatus, Half, Outcome, Slot, Window
from ..services import bookings as booking_services


def _date(value: str, default=None):
    try:
        return datetime.date.fromisoformat(value) if value and len(value) <= 10 else default
    except ValueError:
        return default


def _small_int(value: str):
    """A count (0 allowed) or an id from a form; anything else (other digits, a huge number) is None."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@office_required
@require("hall.manage")
def slots_week(request):
    """设置预约时段: the places of each window's mornings and afternoons for one week, and its days off."""
    community = request.user.community
    if community is None or not rules.may_manage_hall(request.user, community.pk):
        raise Http404
    today = rules.local_day(timezone.now())
    monday = _date(request.GET.get("week", "") or request.POST.get("week", ""), today)
    monday -= datetime.timedelta(days=monday.weekday())
    windows = list(Window.objects.filter(community=community).order_by("number"))
    days = [monday + datetime.timedelta(days=i) for i in range(5)]
    if request.method == "POST":
        capacities, bad = {}, False
        for w in windows:
            for half in Half.values:
                raw = request.POST.get(f"cap-{w.pk}-{half}", "0").strip() or "0"
                value = _small_int(raw)
                bad = bad or value is None
                capacities[(w.pk, half)] = value if value is not None else 0
        closed = [d for d in days if request.POST.get(f"closed-{d.isoformat()}") == "1"]
        try:
            if bad:
                raise DomainError("名额应为 0 到 200 之间的整数")
            count = booking_services.slots_set_week(
                actor=request.user, community=community, monday=monday, capacities=capacities, closed_days=closed
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已设置 {monday:%Y年%m月%d日} 起一周的预约时段(共 {count} 个)")
            return redirect(f"{request.path}?week={monday.isoformat()}")
    existing = {
        (s.window_id, s.date, s.half): s
        for s in Slot.objects.filter(community=community, date__gte=monday, date__lte=days[-1])
    }
    for w in windows:
        first = [existing.get((w.pk, monday, h)) for h in Half.values]
        w.caps = [s.capacity if s else 0 for s in first]
        w.booked = sum(s.booked for key, s in existing.items() if key[0] == w.pk)
    closed_days = {d for d in days if existing and not any(s.capacity for k, s in existing.items() if k[1] == d)}
    context = {
        "monday": monday,
        "days": [{"date": d, "closed": d in closed_days} for d in days],
        "windows": windows,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "has_slots": bool(existing),
    }
    return render(request, "hall/slots_week.html", context)


def _booking_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {
        "day": _date(request.GET.get("day", "")),
        "status": status if status in BookingStatus.values else None,
        "window": _small_int(request.GET.get("window", "")),
    }


@office_required
@require("cases.work")
def booking_list(request):
    scope = request_scope(request)
    filters = _booking_filters(request)
    page = paginate(request, selectors.bookings_for_office(scope, **filters))
    for b in page.object_list:
        b.phone_masked = mask_phone(b.resident.phone)
    context = {
        "page": page,
        "filters": filters,
        "statuses": BookingStatus.choices,
        "windows": selectors.windows_for(scope).order_by("community_id", "number"),
    }
    template = "hall/partials/booking_rows.html" if request.htmx else "hall/booking_list.html"
    return render(request, template, context)


@office_required
@require("cases.work")
def booking_export(request):
    rows = (
        (
            f"{b.date:%Y-%m-%d}",
            b.slot.get_half_display(),
            f"{b.slot.window.number}号 {b.slot.window.name}",
            b.item.name,
            b.resident.name,
            mask_phone(b.resident.phone),
            b.get_status_display(),
        )
        for b in selectors.bookings_for_office(request_scope(request), **_booking_filters(request)).iterator(
            chunk_size=500
        )
    )
    header = ["日期", "时段", "窗口", "事项", "居民", "手机号", "状态"]
    return xlsx_response(workbook("预约台账", header, rows), "大厅预约台账")


def _record_filters(request) -> dict:
    outcome = request.GET.get("outcome", "")
    return {
        "start": _date(request.GET.get("start", "")),
        "end": _date(request.GET.get("end", "")),
        "window": _small_int(request.GET.get("window", "")),
        "outcome": outcome if outcome in Outcome.values else None,
    }


@office_required
@require("cases.work")
def record_list(request):
    """服务记录: every finished ticket — item, window, clerk, resident if known, times and the outcome."""
    scope = request_scope(request)
    filters = _record_filters(request)
    page = paginate(request, selectors.records_for(scope, **filters))
    context = {
        "page": page,
        "filters": filters,
        "outcomes": Outcome.choices,
        "windows": selectors.windows_for(scope).order_by("community_id", "number"),
    }
    template = "hall/partials/record_rows.html" if request.htmx else "hall/record_list.html"
    return render(request, template, context)


def _minutes(seconds):
    return round(seconds / 60, 1) if seconds is not None else ""


@office_required
@require("cases.work")
def record_export(request):
    def rating(t):
        r = getattr(t, "rating", None)
        return f"{r.average:.1f}" if r else ""

    rows = (
        (
            t.number,
            f"{t.day:%Y-%m-%d}",
            t.item.name,
            f"{t.called_window.number}号" if t.called_window else "",
            t.staff.name if t.staff else "",
            t.resident.name if t.resident else "",
            timezone.localtime(t.taken_at).strftime("%H:%M"),
            timezone.localtime(t.called_at).strftime("%H:%M") if t.called_at else "",
            timezone.localtime(t.finished_at).strftime("%H:%M") if t.finished_at else "",
            _minutes(t.wait_seconds),
            _minutes(t.service_seconds),
            t.get_outcome_display(),
            "、".join(t.missing_documents),
            rating(t),
        )
        for t in selectors.records_for(request_scope(request), **_record_filters(request)).iterator(chunk_size=500)
    )
    header = [
        "号码",
        "日期",
        "事项",
        "窗口",
        "办理人",
        "居民",
        "取号",
        "叫号",
        "办结",
        "等候(分钟)",
        "办理(分钟)",
        "结果",
        "缺少材料",
        "评分",
    ]
    return xlsx_response(workbook("服务记录", header, rows), "大厅服务记录")


def _figure_filters(request) -> dict:
    today = rules.local_day(timezone.now())
    group = request.GET.get("group", "window")
    end = _date(request.GET.get("end", ""), today)
    start = _date(request.GET.get("start", ""), today - datetime.timedelta(days=6))
    start = min(max(start, end - datetime.timedelta(days=figures.MAX_DAYS - 1)), end)
    return {"start": start, "end": end, "group": group if group in figures.GROUPS else "window"}


@office_required
@require("cases.work")
def figure_list(request):
    filters = _figure_filters(request)
    rows = figures.hall_figures(request_scope(request), **filters)
    context = {"rows": rows, "filters": filters, "groups": figures.GROUPS.items()}
    return render(request, "hall/figures.html", context)


def _round(value, digits=1):
    return round(value, digits) if value is not None else ""


@office_required
@require("cases.work")
def figure_export(request):
    filters = _figure_filters(request)
    rows = (
        (
            str(r["label"]),
            r["tickets"],
            r["done"],
            _round(r["avg_wait"]),
            _round(r["p90_wait"]),
            _round(r["avg_service"]),
            _round(r["no_show_rate"] * 100 if r["no_show_rate"] is not None else None),
            r["rated"],
            _round(r["avg_rating"], 2),
        )
        for r in figures.hall_figures(request_scope(request), **filters)
    )
    header = [
        figures.GROUPS[filters["group"]],
        "取号",
        "办结",
        "平均等候(分钟)",
        "P90 等候(分钟)",
        "平均办理(分钟)",
        "过号率(%)",
        "评价数",
        "平均评分",
    ]
    return xlsx_response(workbook("大厅统计", header, rows), "大厅统计")
