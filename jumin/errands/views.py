import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jumin.cases.steps import case_step
from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.params import id_param
from jumin.core.views import office_required
from jumin.hall import selectors as hall_selectors
from jumin.people import selectors as people_selectors
from jumin.people.idcard import mask_phone

from . import kind as k
from . import selectors, services
from .forms import ErrandRequestForm, PickupForm, ResultForm
from .models import Handover

FIELD_ALIASES = {"service_item": None}


@login_required
def errand_new(request):
    """申请代办 (resident): step 1 choose a 可代办 item, step 2 tick the documents ready and leave a phone number."""
    if request.user.is_office:
        return redirect("errands:office-new")
    community_id = hall_selectors.resident_community_id(request.user)
    if community_id is None:
        return render(request, "errands/new.html", {"bound": False})
    items = selectors.proxy_items([community_id])
    item_id = request.POST.get("item") or request.GET.get("item")
    if not item_id:
        return render(request, "errands/new.html", {"bound": True, "windows": _by_window(items)})
    item = hall_selectors.active_item_get(community_id, item_id)
    if item is None:
        raise Http404("没有找到该事项")
    context = {"bound": True, "item": item}
    if not item.proxy_allowed:
        return render(request, "errands/new.html", {**context, "in_person": True})
    resident = request.user.resident
    form = ErrandRequestForm(
        request.POST or None, item=item, items=items, initial={"contact_phone": resident.phone or request.user.phone}
    )
    errand = _request(request, form, resident=None)
    if errand is not None:
        messages.success(
            request,
            f"已提交代办申请(编号 {errand.case.number})。工作人员受理后会打电话联系您收取材料。",
        )
        return redirect("cases:my-case", case_uuid=errand.case.uuid)
    return render(request, "errands/new.html", {**context, "form": form})


@office_required
def errand_office_new(request):
    """代居民申请: find the resident in scope, choose the item, then the same form the resident fills in."""
    if not services.may_request_for_others(request.user):
        raise PermissionDenied("您没有代居民申请代办的权限")
    scope = request_scope(request)
    resident_uuid = request.POST.get("resident") or request.GET.get("resident")
    if not resident_uuid:
        q = request.GET.get("q", "").strip()
        id_tail = people_selectors.can_see_identity(request.user)
        residents = list(people_selectors.residents_for(scope, q=q, id_tail=id_tail)[:20]) if q else []
        return render(request, "errands/office_new.html", {"q": q, "residents": residents})
    resident = people_selectors.resident_get(scope, _uuid(resident_uuid))
    items = selectors.proxy_items([resident.community_id])
    context = {"resident": resident, "resident_phone": mask_phone(resident.phone), "items": items}
    item_id = request.POST.get("item") or request.GET.get("item")
    if not item_id:
        return render(request, "errands/office_new.html", {**context, "windows": _by_window(items)})
    item = hall_selectors.active_item_get(resident.community_id, item_id)
    if item is None:
        raise Http404("没有找到该事项")
    context["item"] = item
    if not item.proxy_allowed:
        return render(request, "errands/office_new.html", {**context, "in_person": True})
    form = ErrandRequestForm(request.POST or None, item=item, items=items, initial={"contact_phone": resident.phone})
    errand = _request(request, form, resident=resident)
    if errand is not None:
        messages.success(request, f"已为 {resident.name} 登记代办申请(编号 {errand.case.number})")
        return redirect("cases:case-detail", case_uuid=errand.case.uuid)
    return render(request, "errands/office_new.html", {**context, "form": form})


def _by_window(items) -> dict:
    windows = {}
    for item in items:
        windows.setdefault(item.window, []).append(item)
    return windows


def _request(request, form, *, resident):
    """On a valid POST, ask for the errand; a refusal lands on the form. Returns the errand or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.errand_request(
            actor=request.user,
            service_item=data["item"],
            contact_phone=data["contact_phone"],
            contact_note=data["contact_note"],
            documents_ready=data.get("documents_ready") or [],
            handover=data.get("handover") or Handover.VISIT,
            resident=resident,
        )
    except DomainError as exc:
        add_domain_error(form, exc, FIELD_ALIASES)
        return None


def _list_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {
        "status": status if status in dict(_status_choices()) else None,
        "item": id_param(request.GET.get("item")),
        "q": request.GET.get("q", "").strip() or None,
    }


def _status_choices():
    return [(s.code, s.label) for s in k.CASE_KIND.statuses]


@office_required
@require("cases.work")
def errand_list(request):
    scope = request_scope(request)
    filters = _list_filters(request)
    page = paginate(request, selectors.errand_cases_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": _status_choices(),
        "items": hall_selectors.items_for(scope, proxy=True),
        "many_communities": len(scope.community_ids) > 1,
        "may_request": services.may_request_for_others(request.user),
        "now": timezone.now(),
    }
    template = "errands/partials/errand_rows.html" if request.htmx else "errands/errand_list.html"
    return render(request, template, context)


@office_required
@require("cases.export")
def errand_export(request):
    cases = selectors.errand_cases_for(request.user, request_scope(request), **_list_filters(request))
    rows = (
        (
            c.number,
            c.community.name,
            c.errand.service_item.name,
            str(c.errand.service_item.window),
            c.resident.name if c.resident_id else "",
            mask_phone(c.errand.contact_phone),
            c.status_label,
            c.assignee.name if c.assignee_id else "",
            _local(c.created_at),
            _local(c.due_at),
            "是" if c.is_overdue else "否",
            _local(c.errand.picked_up_at),
        )
        for c in cases.iterator(chunk_size=1000)
    )
    header = [
        "编号",
        "社区",
        "代办事项",
        "窗口",
        "居民",
        "联系电话",
        "状态",
        "承办人",
        "申请时间",
        "办结时限",
        "是否超期",
        "领取时间",
    ]
    return xlsx_response(workbook("行政代办台账", header, rows), "行政代办台账")


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def errand_action(view):
    """POST-only step on the errand panel, for staff: back to the staff case page."""
    return office_required(case_step(selectors.errand_get)(view))


@errand_action
def receive_documents(request, errand):
    services.errand_receive_documents(actor=request.user, errand=errand, received=request.POST.getlist("documents"))
    return "已登记材料收齐,状态更新为“材料已收”"


@errand_action
def record_result(request, errand):
    form = ResultForm(request.POST)
    note = form.data.get("note", "") if not form.is_valid() else form.cleaned_data["note"]
    services.errand_record_result(actor=request.user, errand=errand, note=note)
    return "已登记结果已回,已通知居民凭取件码领取"


@errand_action
def pickup(request, errand):
    form = PickupForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    errand = services.errand_pickup(
        actor=request.user,
        errand=errand,
        code=data.get("code") or form.data.get("code", ""),
        picked_up_by_name=data.get("picked_up_by_name", ""),
    )
    return f"取件码正确,{errand.picked_up_by_name} 已领取办理结果"


@login_required
def pickup_qr(request, case_uuid):
    """The pickup code as a QR image, for the requester only, while the result waits to be collected."""
    errand = selectors.errand_for_requester(request.user, case_uuid)
    if errand.picked_up_at is not None or errand.case.status in (k.PICKED_UP, k.RETURNED):
        raise Http404("取件码已失效")
    buffer = io.BytesIO()
    segno.make(errand.pickup_code, error="m").save(buffer, kind="svg", scale=10, title="取件码二维码")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


@office_required
@require("cases.work")
def errand_receipt(request, case_uuid):
    """代办回执: the paper the resident takes home when the community takes their documents (A4, no navigation)."""
    errand = selectors.errand_get(request.user, case_uuid)
    return render(request, "errands/receipt.html", {"errand": errand, "case": errand.case, "now": timezone.now()})
