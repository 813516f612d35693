from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jumin.core.access import request_scope, require, scope_for
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.views import office_required
from jumin.people.models import Resident, ResidentStatus

from . import selectors, services
from .forms import ActivityForm, MeetingForm, MemberForm

VIEW = "councils.view"


@office_required
@require(VIEW)
def office_list(request):
    community_ids = request_scope(request).community_ids
    councils = list(selectors.councils_for(community_ids))
    return render(request, "councils/office_list.html", {"councils": councils})


@office_required
@require(VIEW)
def members_export(request):
    rows = (
        (
            m.council.name,
            m.resident.name,
            m.get_role_display(),
            m.term_start.isoformat(),
            m.term_end.isoformat(),
            "离任" if m.ended_on else "在任",
            m.resident.household.dwelling.address,
        )
        for m in selectors.members_for(request_scope(request).community_ids).iterator(chunk_size=1000)
    )
    header = ["组织", "姓名", "职务", "任期开始", "任期结束", "状态", "住址"]
    return xlsx_response(workbook("自治组织成员台账", header, rows), "自治组织成员台账")


@office_required
@require(VIEW)
def office_detail(request, council_uuid):
    council = selectors.council_get(request.user, council_uuid)
    data = selectors.council_page(council)
    serving = [m for m in data["members"] if m.ended_on is None]
    manage = services.may_manage(request.user, council.community_id)
    context = {
        "council": council,
        **data,
        "manage": manage,
        "member_form": MemberForm(),
        "meeting_form": MeetingForm(members=serving),
        "activity_form": ActivityForm(),
    }
    return render(request, "councils/office_detail.html", context)


def _step(request, council, fn, done):
    try:
        fn()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("councils:office-detail", council_uuid=council.uuid)


def _first_error(form):
    return next(iter(form.errors.values()))[0] if form.errors else "请检查填写的内容"


@office_required
@require_POST
def member_add(request, council_uuid):
    council = selectors.council_get(request.user, council_uuid)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("councils:office-detail", council_uuid=council.uuid)
    data = form.cleaned_data
    resident = Resident.objects.filter(
        community_id=council.community_id, phone=data["phone"], status=ResidentStatus.ACTIVE
    ).first()

    def add():
        if resident is None:
            raise DomainError("没有找到这个手机号的本社区在册居民", field="phone")
        services.member_add(
            actor=request.user,
            council=council,
            resident=resident,
            role=data["role"],
            term_start=data["term_start"],
            term_end=data["term_end"],
        )

    return _step(request, council, add, "成员已增补")


@office_required
@require_POST
def member_end(request, council_uuid, member_id):
    council = selectors.council_get(request.user, council_uuid)
    member = council.members.filter(pk=member_id).select_related("resident", "council").first()
    if member is None:
        raise Http404
    return _step(request, council, lambda: services.member_end(actor=request.user, member=member), "已登记离任")


@office_required
@require_POST
def meeting_add(request, council_uuid):
    council = selectors.council_get(request.user, council_uuid)
    serving = list(council.members.filter(ended_on__isnull=True).select_related("resident"))
    form = MeetingForm(request.POST, members=serving)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("councils:office-detail", council_uuid=council.uuid)
    data = form.cleaned_data
    attendees = [m.resident for m in serving if str(m.resident_id) in data["attendees"]]
    return _step(
        request,
        council,
        lambda: services.meeting_record(
            actor=request.user,
            council=council,
            held_at=data["held_at"],
            topic=data["topic"],
            minutes=data["minutes"],
            attendees=attendees,
            absent_note=data["absent_note"],
        ),
        "会议已记录",
    )


@office_required
@require_POST
def activity_add(request, council_uuid):
    council = selectors.council_get(request.user, council_uuid)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("councils:office-detail", council_uuid=council.uuid)
    return _step(
        request,
        council,
        lambda: services.activity_record(actor=request.user, council=council, **form.cleaned_data),
        "活动已记录",
    )


@login_required
def resident_list(request):
    councils = list(selectors.councils_for(scope_for(request.user).community_ids))
    return render(request, "councils/list.html", {"councils": councils})


@login_required
def resident_detail(request, council_uuid):
    council = selectors.council_get(request.user, council_uuid)
    data = selectors.council_page(council)
    members = [m for m in data["members"] if m.ended_on is None]
    return render(
        request,
        "councils/detail.html",
        {"council": council, "members": members, "meetings": data["meetings"], "activities": data["activities"]},
    )
