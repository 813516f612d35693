import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required, run_and_tell, safe_next

from . import rules, selectors, services
from .certificate import certificate_pdf
from .exports import activities_workbook, hours_workbook, volunteers_workbook
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    ApplyForm,
    ConfirmForm,
    DecideForm,
    OnBehalfForm,
    RuleForm,
    ShiftFormSet,
    SpendForm,
    VolunteerFilterForm,
)
from .models import SignupStatus, VolunteerStatus


def _back(request, fallback: str):
    return redirect(safe_next(request, fallback))


# ---- the resident's pages (phone first) ---------------------------------------------------------------------


def _stage(user, volunteer) -> str:
    """Which face of the page a resident sees: not yet bound to the register, a volunteer, waiting, or applying."""
    if user.resident_id is None:
        return "unbound"
    if volunteer is None or volunteer.status == VolunteerStatus.REJECTED:
        return "apply"
    return "member" if volunteer.status == VolunteerStatus.APPROVED else "pending"


@login_required
def me(request):
    """志愿服务: apply, or — once approved — hours, points and the shifts signed up for."""
    if request.user.is_office:
        return redirect("volunteers:activity-list")
    volunteer = selectors.volunteer_of(request.user)
    can_apply = _stage(request.user, volunteer) == "apply"
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and can_apply and form.is_valid():
        try:
            services.volunteer_apply(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "申请已提交,社区工作人员审核通过后就可以报名活动了")
            return redirect("volunteers:me")
    context = {"volunteer": volunteer, "form": form, "stage": _stage(request.user, volunteer)}
    if context["stage"] == "member":
        now = timezone.now()
        upcoming = [
            (s, rules.signup_can_withdraw(s, request.user, now))
            for s in selectors.my_signups(volunteer).filter(status=SignupStatus.SIGNED_UP)[:20]
        ]
        context.update(
            summary=selectors.hours_summary(volunteer),
            upcoming=upcoming,
            records=selectors.service_records(volunteer).order_by("-shift__starts_at")[:5],
        )
    return render(request, "volunteers/me.html", context)


@login_required
def activities(request):
    """志愿活动: the community's open activities, each shift with its free places and a button to sign up."""
    if request.user.is_office:
        return redirect("volunteers:activity-list")
    volunteer = selectors.volunteer_of(request.user)
    now = timezone.now()
    page = paginate(request, selectors.activities_for(request.user, now=now))
    shift_ids = [s.pk for a in page.object_list for s in a.shifts.all()]
    mine = selectors.my_signup_by_shift(volunteer, shift_ids)
    rows = []
    for activity in page.object_list:
        shifts = []
        for shift in activity.shifts.all():
            if shift.starts_at <= now:
                continue
            signup = mine.get(shift.pk)
            shifts.append(
                {
                    "shift": shift,
                    "signup": signup,
                    "full": shift.free <= 0,
                    "can_sign_up": signup is None and rules.shift_can_sign_up(shift, volunteer, now),
                    "can_withdraw": signup is not None and rules.signup_can_withdraw(signup, request.user, now),
                }
            )
        rows.append({"activity": activity, "shifts": shifts})
    approved = volunteer is not None and volunteer.status == VolunteerStatus.APPROVED
    return render(request, "volunteers/activities.html", {"page": page, "rows": rows, "approved": approved})


@login_required
@require_POST
def shift_sign_up(request, shift_uuid):
    shift = selectors.shift_for(request.user, shift_uuid)
    run_and_tell(
        request,
        lambda: services.signup_create(actor=request.user, shift=shift),
        f"报名成功:{shift.activity.title},{services.when_label(shift.starts_at)}。请按时到场签到",
    )
    return _back(request, reverse("volunteers:activities"))


@login_required
@require_POST
def signup_withdraw(request, signup_uuid):
    signup = selectors.signup_for(request.user, signup_uuid)
    run_and_tell(
        request,
        lambda: services.signup_withdraw(actor=request.user, signup=signup),
        f"已取消报名:{signup.shift.activity.title}",
    )
    fallback = "volunteers:activity-detail" if request.user.is_office else "volunteers:me"
    args = [signup.shift.activity.uuid] if request.user.is_office else []
    return _back(request, reverse(fallback, args=args))


@login_required
def points(request):
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        return redirect("volunteers:me")
    page = paginate(request, selectors.points_entries(volunteer))
    return render(request, "volunteers/points.html", {"page": page, "summary": selectors.hours_summary(volunteer)})


@login_required
def records(request):
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        return redirect("volunteers:me")
    page = paginate(request, selectors.service_records(volunteer).order_by("-shift__starts_at", "-id"))
    return render(request, "volunteers/records.html", {"page": page, "summary": selectors.hours_summary(volunteer)})


def _certificate_response(volunteer):
    pdf = certificate_pdf(volunteer, selectors.service_records(volunteer), selectors.hours_summary(volunteer))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-hours-{timezone.localdate():%Y%m%d}.pdf"'
    return response


@login_required
def certificate(request):
    """志愿服务时长证明 (PDF) of the signed-in volunteer."""
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        return redirect("volunteers:me")
    return _certificate_response(volunteer)


@login_required
def scan(request, shift_uuid):
    """Opened from the QR at the venue: the volunteer presses one button to check in (and later to check out)."""
    shift = selectors.shift_for(request.user, shift_uuid)
    code = request.POST.get("code") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "POST":
        try:
            signup = services.shift_scan(actor=request.user, shift=shift, code=code)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            done = "签退" if signup.checked_out_at else "签到"
            messages.success(request, f"{done}成功:{shift.activity.title},{timezone.localtime():%H:%M}")
            return redirect("volunteers:me")
    return render(request, "volunteers/scan.html", {"shift": shift, "code": (code or "")[:64]})


# ---- the back office ----------------------------------------------------------------------------------------


@office_required
@require("volunteers.view")
def volunteer_list(request):
    scope = request_scope(request)
    filter_form = VolunteerFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.volunteers_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_set_rule": rules.can_set_rule(request.user) and len(scope.community_ids) == 1,
        "rule_form": RuleForm(initial={"points_per_hour": services.points_per_hour(scope.community_ids[:1] or 0)}),
    }
    template = "volunteers/partials/volunteer_rows.html" if request.htmx else "volunteers/volunteer_list.html"
    return render(request, template, context)


@office_required
@require("volunteers.view")
def volunteer_export(request):
    filters = VolunteerFilterForm(request.GET).filters()
    rows = selectors.volunteers_for(request.user, request_scope(request), **filters)
    return xlsx_response(volunteers_workbook(rows), "志愿者台账")


@office_required
def volunteer_detail(request, volunteer_uuid):
    volunteer = selectors.volunteer_get(request.user, volunteer_uuid)
    page = paginate(request, selectors.points_entries(volunteer))
    context = {
        "volunteer": volunteer,
        "summary": selectors.hours_summary(volunteer),
        "records": selectors.service_records(volunteer).order_by("-shift__starts_at")[:50],
        "page": page,
        "can_decide": rules.volunteer_can_decide(volunteer, request.user),
        "can_spend": rules.can_manage(request.user) and volunteer.status == VolunteerStatus.APPROVED,
        "decide_form": DecideForm(),
        "spend_form": SpendForm(),
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@office_required
@require_POST
def volunteer_decide(request, volunteer_uuid):
    volunteer = selectors.volunteer_get(request.user, volunteer_uuid)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择通过或不通过")
    else:
        approve = form.cleaned_data["decision"] == "approve"
        run_and_tell(
            request,
            lambda: services.volunteer_decide(
                actor=request.user, volunteer=volunteer, approve=approve, reason=form.cleaned_data["reason"]
            ),
            f"已{'通过' if approve else '驳回'} {volunteer.resident.name} 的志愿者申请",
        )
    return _back(request, reverse("volunteers:volunteer-detail", args=[volunteer.uuid]))


@office_required
@require_POST
def volunteer_spend(request, volunteer_uuid):
    volunteer = selectors.volunteer_get(request.user, volunteer_uuid)
    form = SpendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写 1–100,000 的积分和兑换内容")
    else:
        data = form.cleaned_data
        run_and_tell(
            request,
            lambda: services.points_spend(actor=request.user, volunteer=volunteer, **data),
            f"已为 {volunteer.resident.name} 兑换 {data['amount']} 积分:{data['memo']}",
        )
    return redirect("volunteers:volunteer-detail", volunteer.uuid)


@office_required
def volunteer_certificate(request, volunteer_uuid):
    volunteer = selectors.volunteer_get(request.user, volunteer_uuid)
    return _certificate_response(volunteer)


@office_required
@require_POST
def rule_set(request):
    scope = request_scope(request)
    form = RuleForm(request.POST)
    community = request.user.community
    if not form.is_valid() or community is None:
        messages.error(request, "每小时积分应为 0–1000 的整数")
    else:
        n = form.cleaned_data["points_per_hour"]
        if scope.community_ids != (community.pk,):
            raise PermissionDenied("只有社区书记可以设置积分规则")
        run_and_tell(
            request,
            lambda: services.points_rule_set(actor=request.user, community=community, points_per_hour=n),
            f"积分规则已更新:每服务 1 小时得 {n} 积分(之后确认的时长按新规则计)",
        )
    return redirect("volunteers:volunteer-list")


@office_required
@require("volunteers.view")
def activity_list(request):
    scope = request_scope(request)
    filter_form = ActivityFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.activities_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_create": rules.can_manage(request.user) and request.user.community_id is not None,
    }
    template = "volunteers/partials/activity_rows.html" if request.htmx else "volunteers/activity_list.html"
    return render(request, template, context)


@office_required
@require("volunteers.view")
def activity_export(request):
    filters = ActivityFilterForm(request.GET).filters()
    rows = selectors.activities_for(request.user, request_scope(request), **filters)
    return xlsx_response(activities_workbook(rows), "志愿活动台账")


@office_required
@require("volunteers.view")
def hours_export(request):
    rows = selectors.hours_records_for(request.user, request_scope(request))
    return xlsx_response(hours_workbook(rows), "志愿服务时长台账")


def _shift_data(form) -> list[dict]:
    return [f.cleaned_data for f in form.forms if f.cleaned_data and f.has_changed()]


@office_required
@require("volunteers.manage")
def activity_new(request):
    community = request.user.community
    if community is None:
        raise PermissionDenied("请在社区工作人员账号下发布活动")
    form = ActivityForm(request.POST or None)
    shifts = ShiftFormSet(request.POST or None, prefix="shifts")
    if request.method == "POST" and form.is_valid() and shifts.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, community=community, shifts=_shift_data(shifts), **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已发布志愿活动“{activity.title}”,居民现在可以在手机上报名")
            return redirect("volunteers:activity-detail", activity.uuid)
    return render(request, "volunteers/activity_new.html", {"form": form, "shifts": shifts})


def _actions(signup, user, now) -> list[dict]:
    """The buttons on a sign-up row: label, where it posts, and whether it asks for minutes."""
    actions = []
    for code, label in rules.signup_actions(signup, user, now):
        if code == "withdraw":
            url = reverse("volunteers:signup-withdraw", args=[signup.uuid])
        else:
            url = reverse("volunteers:signup-action", args=[signup.uuid, code])
        actions.append({"label": label, "url": url, "asks_minutes": code == "confirm"})
    return actions


@office_required
def activity_detail(request, activity_uuid):
    activity = selectors.activity_get(request.user, activity_uuid)
    now = timezone.now()
    signups = list(selectors.activity_signups(activity))
    shifts = []
    for shift in activity.shifts.order_by("starts_at", "id"):
        rows = [{"signup": s, "actions": _actions(s, request.user, now)} for s in signups if s.shift_id == shift.pk]
        offer = rules.can_manage(request.user) and rules.shift_is_open(shift, now) and shift.free > 0
        shifts.append(
            {
                "shift": shift,
                "rows": rows,
                "on_behalf": OnBehalfForm(volunteers=selectors.approved_volunteer_choices(shift)) if offer else None,
            }
        )
    context = {
        "activity": activity,
        "shifts": shifts,
        "can_manage": rules.can_manage(request.user),
        "can_cancel": rules.can_manage(request.user) and activity.status == "open" and activity.starts_at > now,
        "confirm_form": ConfirmForm(),
    }
    return render(request, "volunteers/activity_detail.html", context)


@office_required
@require_POST
def activity_cancel(request, activity_uuid):
    activity = selectors.activity_get(request.user, activity_uuid)
    run_and_tell(
        request,
        lambda: services.activity_cancel(actor=request.user, activity=activity),
        f"已取消活动“{activity.title}”,已报名的志愿者会收到通知",
    )
    return redirect("volunteers:activity-detail", activity.uuid)


@office_required
@require_POST
def shift_sign_up_for(request, shift_uuid):
    shift = selectors.shift_for(request.user, shift_uuid)
    form = OnBehalfForm(request.POST, volunteers=selectors.approved_volunteer_choices(shift))
    if not form.is_valid():
        messages.error(request, "请选择一位已通过审核、还没有报名这个班次的志愿者")
    else:
        volunteer = form.cleaned_data["volunteer"]
        run_and_tell(
            request,
            lambda: services.signup_create(actor=request.user, shift=shift, volunteer=volunteer),
            f"已为 {volunteer.resident.name} 报名 {services.when_label(shift.starts_at)} 班次",
        )
    return redirect("volunteers:activity-detail", shift.activity.uuid)


SIGNUP_ACTIONS = {
    "check-in": (services.signup_check_in, "{name} 已签到"),
    "check-out": (services.signup_check_out, "{name} 已签退"),
    "absent": (services.signup_mark_absent, "{name} 已记为未到"),
}


@office_required
@require_POST
def signup_action(request, signup_uuid, action):
    signup = selectors.signup_for(request.user, signup_uuid)
    name = signup.volunteer.resident.name
    if action == "confirm":
        form = ConfirmForm(request.POST)
        minutes = form.cleaned_data["minutes"] if form.is_valid() else None
        if request.POST.get("minutes") and minutes is None:
            messages.error(request, "时长应为 1–720 分钟")
        else:
            run_and_tell(
                request,
                lambda: services.signup_confirm(actor=request.user, signup=signup, minutes=minutes),
                f"已确认 {name} 的服务时长",
            )
    elif action in SIGNUP_ACTIONS:
        service, success = SIGNUP_ACTIONS[action]
        run_and_tell(request, lambda: service(actor=request.user, signup=signup), success.format(name=name))
    else:
        messages.error(request, "未知的操作")
    return redirect("volunteers:activity-detail", signup.shift.activity.uuid)


@office_required
def shift_qr(request, shift_uuid):
    """The QR to show at the venue (full screen): volunteers scan it to check in and out themselves."""
    shift = selectors.shift_for(request.user, shift_uuid)
    url = request.build_absolute_uri(reverse("volunteers:scan", args=[shift.uuid])) + f"?code={shift.check_in_code}"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, xmldecl=False, title="志愿服务签到二维码")
    svg = mark_safe(buffer.getvalue().decode())  # segno's SVG: path data and our fixed title only
    return render(request, "volunteers/shift_qr.html", {"shift": shift, "svg": svg, "url": url})
