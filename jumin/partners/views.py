import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jumin.core.access import request_scope, require, user_can
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.models import Role
from jumin.core.pagination import paginate
from jumin.core.views import office_required, run_and_tell
from jumin.places.models import Community

from . import bookings, selectors, services
from .exports import bookings_workbook, meetings_workbook, units_workbook
from .forms import BookingForm, MeetingForm, MinutesForm, ProgressForm, ResolutionForm, UnitFilterForm, UnitForm


@office_required
@require("partners.view")
def unit_list(request):
    scope = request_scope(request)
    filter_form = UnitFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.units_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_manage": user_can(request.user, "partners.manage") and bool(_home_community(request)),
    }
    template = "partners/partials/unit_rows.html" if request.htmx else "partners/unit_list.html"
    return render(request, template, context)


@office_required
@require("partners.view")
def unit_export(request):
    filters = UnitFilterForm(request.GET).filters()
    units = selectors.units_for(request.user, request_scope(request), **filters)
    return xlsx_response(units_workbook(units), "共建单位台账")


@office_required
@require("partners.view")
def unit_detail(request, unit_uuid):
    unit = selectors.unit_get(request.user, unit_uuid)
    return render(request, "partners/unit_detail.html", {"unit": unit, **selectors.unit_detail(unit)})


def _home_community(request):
    """Where a new unit is registered: the secretary's community, or the one a street leader switched to."""
    scope = request_scope(request)
    if request.user.role == "street_leader" and len(scope.community_ids) != 1:
        return None
    return Community.objects.filter(pk__in=scope.community_ids[:1]).select_related("street").first()


@office_required
@require("partners.manage")
def unit_new(request):
    community = _home_community(request)
    if community is None:
        messages.info(request, "请先在页面顶部选择要登记的社区")
        return redirect("partners:unit-list")
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, street=community.street, community=community, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记共建单位“{unit.name}”")
            return redirect("partners:unit-detail", unit.uuid)
    return render(request, "partners/unit_new.html", {"form": form, "community": community})


# ---- 党建联席会议 ------------------------------------------------------------------------------------------------


@office_required
@require("partners.view")
def meeting_list(request):
    scope = request_scope(request)
    status = request.GET.get("status") or None
    q = (request.GET.get("q") or "")[:100]
    page = paginate(request, selectors.meetings_for(request.user, scope, status=status, q=q))
    community = _home_community(request)
    context = {
        "page": page,
        "status": status or "",
        "q": q,
        "filtered": bool(status or q),
        "can_manage": community is not None and services.can_manage_meeting(request.user, community.pk),
    }
    return render(request, "partners/meeting_list.html", context)


@office_required
@require("partners.view")
def meeting_export(request):
    meetings = selectors.meetings_for(
        request.user,
        request_scope(request),
        status=request.GET.get("status") or None,
        q=(request.GET.get("q") or "")[:100],
    )
    return xlsx_response(meetings_workbook(meetings), "党建联席会议台账")


@office_required
@require("partners.manage")
def meeting_new(request):
    community = _home_community(request)
    if community is None:
        messages.info(request, "请先在页面顶部选择社区")
        return redirect("partners:meeting-list")
    units = list(selectors.street_units(community.street_id, community.pk))
    form = MeetingForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已召集“{meeting.title}”,已通知参会单位")
            return redirect("partners:meeting-detail", meeting.uuid)
    return render(request, "partners/meeting_new.html", {"form": form, "community": community})


@office_required
@require("partners.view")
def meeting_detail(request, meeting_uuid):
    meeting = selectors.meeting_get(request.user, meeting_uuid)
    detail = selectors.meeting_detail(meeting)
    can_manage = services.can_manage_meeting(request.user, meeting.community_id)
    action = request.POST.get("action", "")
    minutes_form = MinutesForm(
        request.POST if action == "minutes" else None,
        initial={"minutes": meeting.minutes, "version": meeting.version},
        prefix="minutes",
    )
    units = [a.unit for a in detail["attendance"]]
    resolution_form = ResolutionForm(request.POST if action == "resolution" else None, units=units, prefix="resolution")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有权限记录联席会议")
        if action == "minutes" and minutes_form.is_valid():
            present = {a.unit_id: request.POST.get(f"present-{a.unit.uuid}", "")[:50] for a in detail["attendance"]}
            try:
                services.meeting_record(
                    actor=request.user,
                    meeting=meeting,
                    minutes=minutes_form.cleaned_data["minutes"],
                    present=present,
                    expected_version=minutes_form.cleaned_data["version"],
                )
            except DomainError as exc:
                add_domain_error(minutes_form, exc)
            else:
                messages.success(request, "已保存会议纪要和出席情况")
                return redirect("partners:meeting-detail", meeting.uuid)
        elif action == "resolution" and resolution_form.is_valid():
            data = resolution_form.cleaned_data
            try:
                resolution = services.resolution_add(actor=request.user, meeting=meeting, **data)
            except DomainError as exc:
                add_domain_error(resolution_form, exc)
            else:
                note = f",已交办{data['owner_unit'].name}牵头办理" if data["owner_unit"] else ""
                messages.success(request, f"已记录决议{resolution.number}{note}")
                return redirect("partners:meeting-detail", meeting.uuid)
    context = {
        "meeting": meeting,
        **detail,
        "can_manage": can_manage,
        "minutes_form": minutes_form,
        "resolution_form": resolution_form,
    }
    return render(request, "partners/meeting_detail.html", context)


# ---- the partner-unit member's own page --------------------------------------------------------------------------


@login_required
def my_unit(request):
    """共建单位成员的首页: the unit's joint tasks with a progress form each, and its meetings."""
    member = getattr(request.user, "partner_member", None) if request.user.role == Role.PARTNER_MEMBER else None
    if member is None:
        raise Http404("您不是共建单位成员")
    tasks = list(selectors.tasks_for_partner(request.user))
    forms = {t.pk: ProgressForm(prefix=f"t{t.pk}", initial={"progress": t.progress}) for t in tasks}
    if request.method == "POST":
        task = next((t for t in tasks if str(t.case.uuid) == request.POST.get("task")), None)
        if task is None:
            raise Http404("没有找到该事项")
        form = ProgressForm(request.POST, prefix=f"t{task.pk}")
        forms[task.pk] = form
        if form.is_valid():
            try:
                services.task_report(actor=request.user, task=task, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已报告进展:{task.case.title} {form.cleaned_data['progress']}%")
                return redirect("partners:my-unit")
    rows = [(t, forms[t.pk], services.can_report(request.user, t)) for t in tasks]
    meetings = list(selectors.meetings_for(request.user)[:10])
    return render(request, "partners/my_unit.html", {"member": member, "rows": rows, "meetings": meetings})


# ---- shared resources: the calendar, booking requests and the unit's approvals -----------------------------------


def _month(request):
    today = timezone.localdate()
    value = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in value.split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    if not 2000 <= year <= 2100:
        year, month = today.year, today.month
    return year, month


@login_required
def resource_calendar(request, resource_uuid):
    """日历: a resource's month with approved and pending bookings, and (for who may book) a request form."""
    if not (request.user.is_office or request.user.role == Role.PARTNER_MEMBER):
        raise Http404
    resource = bookings.resource_get(request.user, resource_uuid)
    can_book = bookings.booking_can_request(request.user, resource)
    form = BookingForm(request.POST or None)
    if request.method == "POST":
        if not can_book:
            raise PermissionDenied("您不能预约这项资源")
        if form.is_valid():
            try:
                booking = bookings.booking_request(actor=request.user, resource=resource, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已提交预约,等待{resource.unit.name}审批")
                return redirect(
                    f"{reverse('partners:resource-calendar', args=[resource.uuid])}?month={booking.starts_at:%Y-%m}"
                )
    year, month = _month(request)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    following = (first + datetime.timedelta(days=32)).strftime("%Y-%m")
    context = {
        "resource": resource,
        "weeks": bookings.month_calendar(resource, year, month, request.user),
        "month": first,
        "previous": previous,
        "following": following,
        "weekdays": bookings.WEEKDAYS,
        "windows": [(bookings.WEEKDAYS[a.weekday], a) for a in resource.availability.all()],
        "form": form if can_book else None,
    }
    return render(request, "partners/resource_calendar.html", context)


def _coming_bookings(user):
    return bookings.bookings_for(user).filter(ends_at__gte=timezone.now())


@login_required
def booking_export(request):
    """The list's bookings as a ledger (台账), the same rows the page pages through."""
    return xlsx_response(bookings_workbook(_coming_bookings(request.user)), "共建资源预约台账")


@login_required
def booking_list(request):
    """预约审批 (the unit's member) or 我的预约 (who asked): pending first, then what is coming."""
    rows = _coming_bookings(request.user)
    if request.method == "POST":
        booking = bookings.booking_get(request.user, request.POST.get("booking"))
        action = request.POST.get("action")
        if action in ("approve", "refuse"):
            run_and_tell(
                request,
                lambda: bookings.booking_decide(
                    actor=request.user,
                    booking=booking,
                    approve=action == "approve",
                    reason=request.POST.get("reason", "")[:200],
                ),
                "已批准" if action == "approve" else "已回复未批准",
            )
        elif action == "cancel":
            run_and_tell(request, lambda: bookings.booking_cancel(actor=request.user, booking=booking), "已取消预约")
        return redirect("partners:bookings")
    page = paginate(request, rows)
    items = [
        {
            "booking": b,
            "can_decide": bookings.booking_can_decide(request.user, b),
            "can_cancel": bookings.booking_can_cancel(request.user, b),
        }
        for b in page.object_list
    ]
    base = "office_base.html" if request.user.is_office else "site_base.html"
    return render(request, "partners/booking_list.html", {"page": page, "items": items, "base": base})
