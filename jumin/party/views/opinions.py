from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from jumin.cases.kinds import kind_spec
from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people.selectors import can_see_identity

from .. import selectors, services
from ..exports import opinions_workbook
from ..forms import OfficeOpinionForm, OpinionFilterForm, OpinionForm
from ..kind import KIND as OPINION


@login_required
def opinion_new(request):
    """我要反映: a resident's own opinion, from the phone."""
    if request.user.is_office:
        return redirect("party:office-opinion-new")
    form = OpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.opinion_submit(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                category=data["category"],
                allow_public=data["allow_public"],
                photos=data["photos"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已提交,社区会在 1 个工作日内受理")
            return redirect("cases:my-case", case.uuid)
    return render(request, "party/opinion_new.html", {"form": form, "bound": request.user.resident_id is not None})


@office_required
def office_opinion_new(request):
    """代录社情民意: staff record an opinion for a resident they found by name, pinyin or ID tail."""
    if not services.can_record(request.user):
        raise PermissionDenied("您没有权限代录社情民意")
    scope = request_scope(request)
    source = request.POST if request.method == "POST" else request.GET
    q = source.get("q", "").strip()
    candidates = selectors.resident_candidates(
        scope, q=q, chosen=source.get("resident"), id_tail=can_see_identity(request.user)
    )
    initial = {"channel": services.default_channel(request.user), "q": q}
    if len(candidates) == 1:
        initial["resident"] = str(candidates[0].uuid)
    form = OfficeOpinionForm(request.POST or None, request.FILES or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.opinion_submit(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                category=data["category"],
                allow_public=data["allow_public"],
                photos=data["photos"],
                resident=data["resident"],
                channel=data["channel"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已代录社情民意 {case.number}({case.resident.name}),请及时受理")
            return redirect("cases:case-detail", case.uuid)
    return render(request, "party/office_opinion_new.html", {"form": form, "q": q, "candidates": candidates})


def _grids(scope):
    return list(scope.grids().only("id", "name"))


def _filter_form(request, scope) -> OpinionFilterForm:
    return OpinionFilterForm(request.GET, statuses=kind_spec(OPINION).statuses, grids=_grids(scope))


@office_required
@require("cases.work")
def opinion_list(request):
    scope = request_scope(request)
    filter_form = _filter_form(request, scope)
    page = paginate(request, selectors.opinions_for(request.user, scope, **filter_form.filters()))
    context = {
        "page": page,
        "filter_form": filter_form,
        "can_record": services.can_record(request.user),
        "filtered": any(filter_form.filters().values()),
    }
    template = "party/partials/opinion_rows.html" if request.htmx else "party/opinion_list.html"
    return render(request, template, context)


@office_required
@require("cases.export")
def opinion_export(request):
    scope = request_scope(request)
    filters = _filter_form(request, scope).filters()
    cases = selectors.opinions_for_export(request.user, scope, **filters)
    return xlsx_response(opinions_workbook(cases), "社情民意台账")
