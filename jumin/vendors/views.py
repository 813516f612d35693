"""Pages of 便民服务: residents browse and order on the phone, vendors work their orders on the phone, staff vet
vendors and follow orders in the back office. Each view fetches its object through a selector (404 outside) and
asks the services' predicates which actions to offer."""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.cases.steps import case_step
from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.models import Role
from jumin.core.pagination import paginate
from jumin.core.uploads import serve_upload
from jumin.core.views import office_required
from jumin.people import selectors as people_selectors
from jumin.people.idcard import mask_phone

from . import kind as k
from . import selectors, services
from .forms import ComplainForm, CompleteForm, OptionalReasonForm, OrderForm, RateForm, ReasonForm, VendorApplyForm
from .models import Category, VendorStatus

ORDER_FIELDS = {"window": "window_date", "vendor": None, "resident": None}


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _local(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


# ---- residents ------------------------------------------------------------------------------------------------------


def _resident_only(request):
    if request.user.is_office:
        return redirect("vendors:office-order-new")
    if request.user.role == Role.VENDOR:
        return redirect("vendors:vendor-home")
    return None


@login_required
def browse(request):
    """便民服务: the categories as big tiles, each with how many vetted vendors serve it."""
    elsewhere = _resident_only(request)
    if elsewhere:
        return elsewhere
    bound = selectors.resident_community_id(request.user) is not None
    categories = selectors.category_counts(request.user) if bound else []
    return render(request, "vendors/browse.html", {"bound": bound, "categories": categories})


@login_required
def category(request, category):
    elsewhere = _resident_only(request)
    if elsewhere:
        return elsewhere
    if category not in Category.values:
        raise Http404("没有该服务类别")
    page = paginate(request, selectors.vendors_for_resident(request.user, category=category))
    return render(request, "vendors/category.html", {"page": page, "label": Category(category).label})


@login_required
def vendor_detail(request, vendor_uuid):
    vendor = selectors.vendor_get_for_resident(request.user, vendor_uuid)
    ratings = selectors.recent_ratings(vendor)
    return render(request, "vendors/vendor_detail.html", {"vendor": vendor, "ratings": ratings})


@login_required
def order_new(request, vendor_uuid):
    """预约服务: one page — when, what, where (prefilled from the household), a photo."""
    vendor = selectors.vendor_get_for_resident(request.user, vendor_uuid)
    resident = request.user.resident
    initial = {"address": services.household_address(resident), "contact_phone": resident.phone or request.user.phone}
    form = OrderForm(request.POST or None, request.FILES or None, initial=initial)
    order = _place(request, form, vendor=vendor, resident=None)
    if order is not None:
        messages.success(request, f"已向{vendor.name}下单(编号 {order.case.number}),商家接单后会通知您。")
        return redirect("cases:my-case", case_uuid=order.case.uuid)
    return render(request, "vendors/order_new.html", {"vendor": vendor, "form": form})


def _place(request, form, *, vendor, resident):
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.order_place(
            actor=request.user,
            vendor=vendor,
            window_date=data["window_date"],
            window_slot=data["window_slot"],
            description=data["description"],
            address=data["address"],
            contact_phone=data["contact_phone"],
            resident=resident,
            files=[data["photo"]] if data.get("photo") else [],
        )
    except DomainError as exc:
        add_domain_error(form, exc, ORDER_FIELDS)
        return None


# POST-only step on an order from the case page (resident or staff): errors become a message.
order_action = case_step(selectors.order_get)


@order_action
def order_rate(request, order):
    form = RateForm(request.POST)
    if not form.is_valid():
        raise DomainError("请为价格、守时、质量各打 1 到 5 星")
    rating = services.order_rate(actor=request.user, order=order, **form.cleaned_data)
    return f"感谢您的评价({rating.score} 星)"


@order_action
def order_cancel(request, order):
    form = OptionalReasonForm(request.POST)
    services.order_cancel(actor=request.user, order=order, reason=form.data.get("reason", "")[:200])
    return "订单已取消"


@order_action
def order_complain(request, order):
    form = ComplainForm(request.POST)
    if not form.is_valid():
        raise DomainError("请填写投诉内容(2000 字以内)")
    complaint = services.order_complain(actor=request.user, order=order, text=form.cleaned_data["text"])
    return f"已提交投诉(编号 {complaint.case.number}),社区会尽快处理并答复您"


# ---- vendors --------------------------------------------------------------------------------------------------------


def vendor_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.VENDOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@vendor_required
def vendor_home(request):
    """The vendor's phone home: its orders by tab, or its application while it waits to be vetted."""
    vendor = selectors.vendor_of(request.user)
    if vendor is None:
        return redirect("vendors:vendor-apply")
    tab = request.GET.get("tab") or "new"
    if tab not in selectors.ORDER_TABS:
        tab = "new"
    page = paginate(request, selectors.orders_for_vendor(vendor, tab))
    tabs = [(code, label) for code, (label, _) in selectors.ORDER_TABS.items()]
    context = {
        "vendor": vendor,
        "page": page,
        "tab": tab,
        "tabs": tabs,
        "standing": STANDING[vendor.status].format(reason=vendor.status_reason) if vendor.status in STANDING else "",
        "may_reapply": vendor.status == VendorStatus.REFUSED,
    }
    return render(request, "vendors/vendor_home.html", context)


# What a vendor is told about its standing, by status (None: approved, shown with its offer and rating).
STANDING = {
    VendorStatus.PENDING: "ⓘ 入驻申请已提交,正在等待社区审核。审核通过后居民就能看到您并下单。",
    VendorStatus.REFUSED: "✖ 入驻申请未通过:{reason}。",
    VendorStatus.SUSPENDED: "△ 您的商家已被社区暂停接单:{reason}。进行中的订单仍可完成,请联系社区服务大厅。",
}


@vendor_required
def vendor_apply(request):
    vendor = selectors.vendor_of(request.user)
    if vendor is not None and vendor.status != VendorStatus.REFUSED:
        return redirect("vendors:vendor-home")
    initial = {"contact_name": request.user.name, "contact_phone": request.user.phone}
    form = VendorApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vendor_apply(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已提交入驻申请,社区审核通过后即可接单。")
            return redirect("vendors:vendor-home")
    return render(request, "vendors/vendor_apply.html", {"form": form, "vendor": vendor})


@vendor_required
def vendor_order(request, case_uuid):
    order = selectors.order_for_vendor(request.user, case_uuid)
    context = {
        "order": order,
        "case": order.case,
        "actions": services.order_actions(order, request.user),
        # The resident's number stays readable while the job is open; afterwards it is masked.
        "phone": order.contact_phone if order.case.phase != "closed" else "",
        "complete_form": CompleteForm(),
        "decline_form": ReasonForm(),
    }
    return render(request, "vendors/vendor_order.html", context)


VENDOR_STEPS = {
    "accept": (lambda r, o, d: services.order_accept(actor=r.user, order=o), "已接单,请按约定时间上门"),
    "decline": (
        lambda r, o, d: services.order_decline(actor=r.user, order=o, reason=d.get("reason", "")),
        "已告知居民不接单",
    ),
    "visit": (lambda r, o, d: services.order_visit(actor=r.user, order=o), "已登记上门"),
    "complete": (
        lambda r, o, d: services.order_complete(
            actor=r.user,
            order=o,
            list_price=d.get("list_price", ""),
            charged=d.get("charged", ""),
            note=d.get("note", ""),
        ),
        "已登记服务完成,居民可以评价了",
    ),
}


@vendor_required
@require_POST
def vendor_order_action(request, case_uuid, action):
    order = selectors.order_for_vendor(request.user, case_uuid)
    if action not in VENDOR_STEPS:
        raise Http404
    step, done = VENDOR_STEPS[action]
    try:
        step(request, order, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("vendors:vendor-order", case_uuid=order.case.uuid)


# ---- the back office ------------------------------------------------------------------------------------------------


def _vendor_filters(request) -> dict:
    return {
        "status": request.GET.get("status") if request.GET.get("status") in VendorStatus.values else None,
        "category": request.GET.get("category") if request.GET.get("category") in Category.values else None,
        "flagged": request.GET.get("flagged") == "1",
        "q": (request.GET.get("q") or "").strip()[:50] or None,
    }


@office_required
@require("vendors.view")
def vendor_list(request):
    filters = _vendor_filters(request)
    page = paginate(request, selectors.vendors_for_office(request_scope(request), **filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": VendorStatus.choices,
        "categories": Category.choices,
    }
    template = "vendors/partials/vendor_rows.html" if request.htmx else "vendors/vendor_list.html"
    return render(request, template, context)


@office_required
@require("vendors.view")
def vendor_export(request):
    vendors = selectors.vendors_for_office(request_scope(request), **_vendor_filters(request))
    rows = (
        (
            v.name,
            v.community.name,
            v.get_category_display(),
            v.contact_name,
            v.masked_phone,
            v.service_area,
            v.offer_label,
            v.get_status_display(),
            v.status_reason,
            round(float(v.rating_avg), 1) if v.rating_avg is not None else "",
            v.rating_count,
            v.order_count,
            "是" if v.flagged_at else "否",
            _local(v.vetted_at),
        )
        for v in vendors
    )
    header = [
        "商家",
        "社区",
        "类别",
        "联系人",
        "联系电话",
        "服务范围",
        "居民优惠",
        "状态",
        "原因",
        "平均星级",
        "评价数",
        "订单数",
        "差评预警",
        "审核时间",
    ]
    return xlsx_response(workbook("便民服务商家台账", header, rows), "便民服务商家台账")


@office_required
@require("vendors.view")
def vendor_office_detail(request, vendor_uuid):
    vendor = selectors.vendor_get_office(request_scope(request), vendor_uuid)
    context = {
        "vendor": vendor,
        "actions": services.vendor_actions(vendor, request.user),
        "ratings": selectors.recent_ratings(vendor),
        "orders": vendor.orders.select_related("case").order_by("-created_at", "-id")[:10],
        "reason_form": ReasonForm(),
    }
    return render(request, "vendors/vendor_office_detail.html", context)


@office_required
@require("vendors.view")
def vendor_licence(request, vendor_uuid):
    vendor = selectors.vendor_get_office(request_scope(request), vendor_uuid)
    if not vendor.licence:
        raise Http404("未上传营业执照")
    return serve_upload(_Licence(vendor))


class _Licence:
    """The vendor's licence in the shape core.uploads.serve_upload reads."""

    def __init__(self, vendor):
        self.file, self.content_type, self.name = vendor.licence, vendor.licence_type, vendor.licence_name or "营业执照"


VET_STEPS = {
    "approve": (lambda r, v, d: services.vendor_approve(actor=r.user, vendor=v), "已审核通过,商家可以接单了"),
    "refuse": (
        lambda r, v, d: services.vendor_refuse(actor=r.user, vendor=v, reason=d.get("reason", "")),
        "已退回申请并告知商家原因",
    ),
    "suspend": (
        lambda r, v, d: services.vendor_suspend(actor=r.user, vendor=v, reason=d.get("reason", "")),
        "已暂停该商家接单",
    ),
    "reinstate": (lambda r, v, d: services.vendor_reinstate(actor=r.user, vendor=v), "已恢复该商家接单"),
    "clear_flag": (
        lambda r, v, d: services.vendor_clear_flag(actor=r.user, vendor=v, note=d.get("reason", "")),
        "已复核,解除差评预警",
    ),
}


@office_required
@require("vendors.vet")
@require_POST
def vendor_vet(request, vendor_uuid, action):
    vendor = selectors.vendor_get_office(request_scope(request), vendor_uuid)
    if action not in VET_STEPS:
        raise Http404
    step, done = VET_STEPS[action]
    try:
        step(request, vendor, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("vendors:office-detail", vendor_uuid=vendor.uuid)


def _order_filters(request) -> dict:
    vendor = request.GET.get("vendor") or ""
    try:
        vendor = uuid.UUID(vendor)
    except ValueError:
        vendor = None
    return {
        "status": request.GET.get("status") or None,
        "vendor": vendor,
        "category": request.GET.get("category") or None,
        "q": (request.GET.get("q") or "").strip()[:50] or None,
    }


@office_required
@require("vendors.view")
def order_list(request):
    scope = request_scope(request)
    filters = _order_filters(request)
    page = paginate(request, selectors.order_cases_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": [(s.code, s.label) for s in k.SERVICE_ORDER_KIND.statuses],
        "categories": Category.choices,
        "may_order": services.may_order_for_others(request.user),
    }
    template = "vendors/partials/order_rows.html" if request.htmx else "vendors/order_list.html"
    return render(request, template, context)


@office_required
@require("vendors.view")
def order_export(request):
    cases = selectors.order_cases_for(request.user, request_scope(request), **_order_filters(request))
    rows = (
        (
            c.number,
            c.community.name,
            c.service_order.vendor.name,
            c.service_order.vendor.get_category_display(),
            c.resident.name if c.resident_id else "",
            mask_phone(c.service_order.contact_phone),
            f"{c.service_order.window_date:%Y-%m-%d} {c.service_order.get_window_slot_display()}",
            c.status_label,
            c.service_order.list_price if c.service_order.list_price is not None else "",
            c.service_order.charged if c.service_order.charged is not None else "",
            _local(c.created_at),
            _local(c.service_order.completed_at),
        )
        for c in cases.iterator(chunk_size=1000)
    )
    header = [
        "编号",
        "社区",
        "商家",
        "类别",
        "居民",
        "联系电话",
        "上门时间",
        "状态",
        "原价",
        "实收",
        "下单时间",
        "完成时间",
    ]
    return xlsx_response(workbook("便民服务订单台账", header, rows), "便民服务订单台账")


@office_required
def office_order_new(request):
    """代居民预约 (a resident phones in): find the resident, choose the vendor, the same order form."""
    if not services.may_order_for_others(request.user):
        raise PermissionDenied("您没有代居民预约服务的权限")
    scope = request_scope(request)
    resident_uuid = request.POST.get("resident") or request.GET.get("resident")
    if not resident_uuid:
        q = request.GET.get("q", "").strip()[:50]
        residents = list(people_selectors.residents_for(scope, q=q)[:20]) if q else []
        return render(request, "vendors/office_order_new.html", {"q": q, "residents": residents})
    resident = people_selectors.resident_get(scope, _uuid(resident_uuid))
    vendors = selectors.vendors_for_office(scope, status=VendorStatus.APPROVED).filter(
        community_id=resident.community_id
    )
    context = {"resident": resident, "resident_phone": mask_phone(resident.phone), "vendors": vendors}
    vendor_uuid = request.POST.get("vendor") or request.GET.get("vendor")
    if not vendor_uuid:
        return render(request, "vendors/office_order_new.html", context)
    vendor = vendors.filter(uuid=_uuid(vendor_uuid)).first()
    if vendor is None:
        raise Http404("没有找到该商家")
    initial = {"address": services.household_address(resident), "contact_phone": resident.phone}
    form = OrderForm(request.POST or None, request.FILES or None, initial=initial)
    order = _place(request, form, vendor=vendor, resident=resident)
    if order is not None:
        messages.success(request, f"已为 {resident.name} 向{vendor.name}下单(编号 {order.case.number})")
        return redirect("cases:case-detail", case_uuid=order.case.uuid)
    return render(request, "vendors/office_order_new.html", {**context, "vendor": vendor, "form": form})
