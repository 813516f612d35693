"""Reception days: the office list and schedule form, the day's page where the representative records opinions and
follows them, and the residents' schedule with sign-up for a slot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required

from .. import selectors, services
from ..forms import DayForm, DayOpinionForm, SignupForm


@office_required
@require("party.view")
def day_list(request):
    when = request.GET.get("when", "upcoming")
    upcoming = {"upcoming": True, "past": False}.get(when)
    page = paginate(request, selectors.days_for(request.user, request_scope(request), upcoming=upcoming))
    context = {"page": page, "when": when, "can_schedule": services.can_schedule(request.user)}
    return render(request, "party/day_list.html", context)


@office_required
@require("party.view")
def day_new(request):
    if not services.can_schedule(request.user):
        raise PermissionDenied("只有党代表或社区书记可以安排接待日")
    form = DayForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = services.reception_day_create(
                actor=request.user, date=data["date"], place=data["place"], topic=data["topic"], slots=form.slots()
            )
        except DomainError as exc:
            add_domain_error(form, exc, {"slots": "starts_at"})
        else:
            messages.success(request, f"已安排{day},居民可以在手机上预约")
            return redirect("party:day-detail", day.uuid)
    return render(request, "party/day_new.html", {"form": form})


@office_required
@require("party.view")
def day_detail(request, day_uuid):
    day = selectors.day_get(request.user, day_uuid)
    can_record = services.can_record_at(request.user, day)
    signups = list(selectors.day_signups(day))
    open_signups = [s for s in signups if s.opinion_id is None]
    source = request.POST if request.method == "POST" else request.GET
    find = source.get("find", "").strip()
    candidates = (
        selectors.resident_candidates(request_scope(request), q=find, chosen=source.get("resident"))
        if can_record
        else []
    )
    form = DayOpinionForm(request.POST or None, signups=open_signups, candidates=candidates)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("只有当天的党代表可以登记")
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.reception_opinion_record(
                    actor=request.user,
                    day=day,
                    resident=data["resident"],
                    signup=data["signup"],
                    title=data["title"],
                    text=data["text"],
                    category=data["category"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已登记社情民意 {case.number}({case.resident.name}),将按期受理办结")
                return redirect("party:day-detail", day.uuid)
    context = {
        "day": day,
        "signups": signups,
        "opinions": list(selectors.day_opinions(day)),
        "can_record": can_record,
        "form": form,
        "find": find,
        "candidates": candidates,
    }
    return render(request, "party/day_detail.html", context)


@login_required
def reception_schedule(request):
    """党代表接待日 on the phone: the coming days of the resident's community."""
    if request.user.is_office:
        return redirect("party:day-list")
    days = list(selectors.days_for(request.user, upcoming=True)[:20]) if request.user.resident_id else []
    return render(
        request, "party/reception_schedule.html", {"days": days, "bound": request.user.resident_id is not None}
    )


@login_required
def my_reception_day(request, day_uuid):
    """One reception day for a resident: pick a slot and book it."""
    if request.user.is_office:
        return redirect("party:day-detail", day_uuid)
    day = selectors.day_get(request.user, day_uuid)
    today = timezone.localdate()
    if day.date < today:
        raise Http404("该接待日已过")
    mine = selectors.my_signups(request.user).filter(day=day).first()
    slots = [s for s in day.slots.all() if s.left > 0]
    form = SignupForm(request.POST or None, slots=slots)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            services.signup_create(actor=request.user, slot=form.cleaned_data["slot"], topic=form.cleaned_data["topic"])
        except DomainError as exc:
            add_domain_error(form, exc, {"resident": "slot"})
        else:
            messages.success(request, "预约成功,请按时到红色驿站")
            return redirect("party:my-reception-day", day.uuid)
    return render(
        request,
        "party/my_reception_day.html",
        {
            "day": day,
            "form": form,
            "mine": mine,
            "full": not slots,
            "can_sign_up": services.can_sign_up(request.user, day, today=today),
        },
    )
