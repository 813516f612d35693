import uuid

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jumin.core import dataversion
from jumin.core.access import request_scope, require, scope_for, user_can
from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.params import id_param
from jumin.core.registry import household_timeline
from jumin.core.views import office_required
from jumin.places.models import Compound

from . import selectors, services
from .exports import households_workbook, residents_workbook, xlsx_response
from .forms import ActivationForm, HouseholdForm, MoveOutForm, RejectForm, ResidentEditForm, ResidentForm
from .models import Activation, ActivationStatus

FILTER_KEYS = ["compound", "grid", "tag", "age_band", "q"]


def _filters(request) -> dict:
    filters = {key: request.GET.get(key, "").strip() or None for key in FILTER_KEYS}
    for key in ("compound", "grid"):
        filters[key] = id_param(filters[key])
    filters["id_tail"] = selectors.can_see_identity(request.user)
    return filters


def _household_url_prefix() -> str:
    """ "/office/households/": each row's link is this plus its UUID and "/", without a reverse() per row."""
    sentinel = uuid.UUID(int=0)
    return reverse("people:household-detail", args=[sentinel]).removesuffix(f"{sentinel}/")


def _search_hint(filters) -> str:
    return "姓名、拼音首字母(如 zsf)、手机号、手机" + ("或身份证后四位" if filters["id_tail"] else "后四位")


@office_required
@require("register.view")
def household_list(request):
    return _list_page(request, "household", selectors.households_for, selectors.household_rows)


@office_required
@require("register.view")
def resident_list(request):
    return _list_page(request, "resident", selectors.residents_for, selectors.resident_rows)


def _list_page(request, name: str, rows_for, present):
    """The list, its table and pager cached under the register's data version (selectors.list_cache_key): a page
    that nobody changed since is served without counting, reading or rendering its rows again. `rows_for(scope,
    **filters)` is the queryset, `present(page rows)` what the table shows of them."""
    scope = request_scope(request)
    filters = _filters(request)

    def page():
        page = paginate(request, rows_for(scope, **filters))
        page.object_list = present(page.object_list)
        return page

    key = selectors.list_cache_key(name, scope, request.GET.urlencode(), id_tail=filters["id_tail"])
    rows = dataversion.cached(key, selectors.LIST_SECONDS, lambda: _rows(request, page(), name))
    if request.htmx:
        return HttpResponse(rows)
    context = {
        "filters": filters,
        "rows": rows,
        "choices": selectors.filter_choices(scope, loaded=[request.user.community]),
        "search_hint": _search_hint(filters),
    }
    return render(request, f"people/{name}_list.html", context)


def _rows(request, page, name: str) -> str:
    """The table and pager that an HTMX filter change swaps in. Jinja2 renders the rows: with Django templates they
    were the largest part of the page's CPU (0.61 ms against Jinja2's 0.17 ms for 20 households); the shared pager
    stays a Django partial."""
    pager = render_to_string("partials/pager.html", {"page": page, "request": request}) if page.object_list else ""
    context = {
        "page": page,
        "pager": pager,  # Django's SafeString: Jinja2 keeps it as is
        "household_url": _household_url_prefix(),
        "create_url": reverse("people:household-create"),
    }
    # Autoescaped by Jinja2; Django's engine would escape the plain str it returns a second time.
    return mark_safe(render_to_string(f"people/partials/{name}_rows.html", context, using="jinja2"))


@office_required
@require("register.export")
def household_export(request):
    scope = request_scope(request)
    households = selectors.households_for(scope, **_filters(request))
    return xlsx_response(households_workbook(households), "住户台账")


@office_required
@require("register.export")
def resident_export(request):
    scope = request_scope(request)
    residents = selectors.residents_for(scope, **_filters(request))
    return xlsx_response(residents_workbook(residents), "居民台账")


def _household_file_context(request, household, scope):
    members = list(selectors.household_members(household))
    return {
        "household": household,
        "members": members,
        # 产权人 and 建筑面积 from the places import: what a 民法典 第278条 ballot weighs.
        "owners": [o.name for o in household.dwelling.owners.all()],
        "timeline": household_timeline(household, request.user),
        "can_edit": user_can(request.user, "register.edit"),
        "can_reveal": user_can(request.user, "register.reveal_id"),
        "can_see_phone": user_can(request.user, "register.see_phone"),
    }


# Stands for the request's CSRF token in a cached household file; control characters never reach stored text.
CSRF_STAND_IN = "\x1ecsrf-token\x1e"


@office_required
@require("register.view")
def household_detail(request, household_uuid):
    """The household file, cached for this viewer under the register's and the timeline's data versions
    (selectors.file_cache_key): only finding the household (which checks the scope) runs on every request."""
    scope = request_scope(request)
    heading = selectors.household_heading(scope, household_uuid)

    def body():
        household = selectors.household_get(scope, household_uuid)
        context = {**_household_file_context(request, household, scope), "csrf_token": CSRF_STAND_IN}
        return render_to_string("people/partials/household_file.html", context)

    html = dataversion.cached(selectors.file_cache_key(heading["pk"], request.user), selectors.LIST_SECONDS, body)
    file_html = mark_safe(html.replace(CSRF_STAND_IN, get_token(request)))
    return render(request, "people/household_detail.html", {"address": heading["address"], "file_html": file_html})


@office_required
@require("register.edit")
def household_create(request):
    scope = request_scope(request)
    compounds = selectors.filter_choices(scope)["compounds"]
    compound_qs = Compound.objects.filter(pk__in=[pk for pk, _name in compounds])
    form = HouseholdForm(request.POST or None, compounds=compound_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                actor=request.user,
                scope=scope,
                compound=data["compound"],
                building_name=data["building"].strip(),
                unit_name=data["unit"].strip(),
                number=data["number"].strip(),
                head=data,
                tags=data["tags"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建户:{household.dwelling.address}")
            return redirect("people:household-detail", household_uuid=household.uuid)
    return render(request, "people/household_form.html", {"form": form})


@office_required
@require("register.edit")
def resident_create(request, household_uuid):
    scope = request_scope(request)
    household = selectors.household_get(scope, household_uuid)
    form = ResidentForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = services.resident_create(
                actor=request.user,
                scope=scope,
                household=household,
                expected_version=data["version"],
                data=data,
                tags=data["tags"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记居民 {resident.name}")
            return redirect("people:household-detail", household_uuid=household.uuid)
    return render(request, "people/resident_form.html", {"form": form, "household": household, "creating": True})


@office_required
@require("register.edit")
def resident_edit(request, resident_uuid):
    scope = request_scope(request)
    resident = selectors.resident_get(scope, resident_uuid)
    household = resident.household
    with_birth_date = selectors.can_see_identity(request.user)
    initial = {
        "name": resident.name,
        "relationship": resident.relationship,
        "gender": resident.gender,
        "birth_date": resident.birth_date if with_birth_date else None,
        "phone": resident.phone,
        "tags": list(resident.tags.all()),
        "version": household.version,
    }
    form = ResidentEditForm(request.POST or None, initial=initial, with_birth_date=with_birth_date)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_update(
                actor=request.user,
                scope=scope,
                resident=resident,
                expected_version=data["version"],
                data=data,
                tags=data["tags"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存 {resident.name} 的信息")
            return redirect("people:household-detail", household_uuid=household.uuid)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "household": household, "resident": resident, "creating": False},
    )


@office_required
@require("register.edit")
def resident_move_out(request, resident_uuid):
    scope = request_scope(request)
    resident = selectors.resident_get(scope, resident_uuid)
    household = resident.household
    form = MoveOutForm(request.POST or None, initial={"version": household.version, "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_move_out(
                actor=request.user,
                scope=scope,
                resident=resident,
                expected_version=data["version"],
                on=data["on"],
                reason=data["reason"],
                status=data["status"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已办理 {resident.name} 迁出")
            return redirect("people:household-detail", household_uuid=household.uuid)
    return render(request, "people/move_out_form.html", {"form": form, "resident": resident, "household": household})


@never_cache  # a full ID number must not stay in a browser or proxy cache
@office_required
@require("register.reveal_id")
@require_POST
def resident_reveal_id(request, resident_uuid):
    scope = request_scope(request)
    resident = selectors.resident_get(scope, resident_uuid)
    number = services.resident_reveal_id(actor=request.user, scope=scope, resident=resident)
    # Without HTMX (scripts off) the button posts a plain form: answer with a whole page, not a fragment.
    template = "people/partials/id_revealed.html" if request.htmx else "people/id_revealed_page.html"
    return render(request, template, {"resident": resident, "number": number})


@office_required
@require("activation.approve")
def activation_list(request):
    scope = request_scope(request)
    status = request.GET.get("status") or ActivationStatus.PENDING
    rows = (
        Activation.objects.filter(scope.q(), status=status)
        .select_related("resident__household__dwelling", "user", "decided_by")
        .order_by("-created_at")
    )
    page = paginate(request, rows)
    return render(
        request,
        "people/activation_list.html",
        {"page": page, "status": status, "statuses": ActivationStatus.choices, "reject_form": RejectForm()},
    )


@office_required
@require("activation.approve")
@require_POST
def activation_decide(request, pk):
    scope = request_scope(request)
    activation = get_object_or_404(Activation.objects.filter(scope.q()).select_related("resident"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.activation_decide(
            actor=request.user,
            scope=scope,
            activation=activation,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{'通过' if approve else '驳回'} {activation.resident.name} 的激活申请")
    return redirect("people:activation-list")


# ---- resident-facing -------------------------------------------------------------------------------------------


@login_required
def my_household(request):
    scope = scope_for(request.user)
    if scope.household_id is None:
        moved_out = request.user.resident_id is not None
        return render(request, "people/my_household_none.html", {"moved_out": moved_out}, status=404)
    household = selectors.household_get(scope, _household_uuid(scope.household_id))
    context = _household_file_context(request, household, scope)
    context["members"] = [m for m in context["members"] if m.status == "active"]
    return render(request, "people/my_household.html", context)


def _household_uuid(household_id):
    from .models import Household

    return Household.objects.values_list("uuid", flat=True).get(pk=household_id)


def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activation_request(
                phone=data["phone"],
                id_number=data["id_number"],
                password=data["password"],
                client_ip=get_client_ip_address(request) or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "people/activate_done.html", {"phone": data["phone"]})
    return render(request, "people/activate.html", {"form": form})
