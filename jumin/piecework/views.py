"""Pages of 家庭代工: residents claim and hand in on the phone and follow their income; staff post orders, hand out
materials, inspect, pay; a factory contact follows its own orders and statement."""

import uuid
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.models import Role
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people import selectors as people_selectors
from jumin.people.idcard import mask_phone

from . import selectors, services
from .forms import ClaimForm, FactoryForm, HandInForm, InspectForm, PayForm, PeriodForm, WorkOrderForm
from .models import OrderStatus, yuan
from .statements import statement_pdf, statement_xlsx


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _done(request, fn, success: str) -> bool:
    try:
        fn()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# ---- residents ------------------------------------------------------------------------------------------------------


def resident_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.RESIDENT:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@resident_required
def resident_orders(request):
    page = paginate(request, selectors.orders_for_resident(request.user))
    return render(
        request, "piecework/resident_orders.html", {"page": page, "bound": request.user.resident_id is not None}
    )


@resident_required
def resident_order(request, order_uuid):
    order = selectors.order_for_resident(request.user, order_uuid)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_take(actor=request.user, order=order, quantity=form.cleaned_data["quantity"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已认领 {claim.held} 件。请按时到{order.pickup_place or '社区'}领取原材料。")
            return redirect("piecework:resident-claim", claim_uuid=claim.uuid)
    context = {"order": order, "form": form, "can_claim": services.order_can_claim(order, timezone.localdate())}
    return render(request, "piecework/resident_order.html", context)


@resident_required
def resident_claims(request):
    page = paginate(request, selectors.claims_for_resident(request.user))
    return render(request, "piecework/resident_claims.html", {"page": page})


@resident_required
def resident_claim(request, claim_uuid):
    claim = selectors.claim_get(request.user, claim_uuid)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _done(
                request, lambda: services.claim_cancel(actor=request.user, claim=claim), "已取消认领,未交的件数已退回"
            )
        else:
            form = HandInForm(request.POST)
            pieces = form.cleaned_data["pieces"] if form.is_valid() else request.POST.get("pieces", "")
            _done(
                request,
                lambda: services.handin_record(actor=request.user, claim=claim, pieces=pieces),
                "已登记交货,等待社区验收",
            )
        return redirect("piecework:resident-claim", claim_uuid=claim.uuid)
    context = {
        "claim": claim,
        "order": claim.order,
        "actions": services.claim_actions(claim, request.user),
        "handins": claim.handins.order_by("created_at", "id"),
        "form": HandInForm(initial={"pieces": claim.to_hand_in}),
    }
    return render(request, "piecework/resident_claim.html", context)


@resident_required
def resident_income(request):
    if request.user.resident_id is None:
        raise Http404
    ledger = selectors.income_ledger(request.user.resident_id)
    context = {
        "ledger": ledger,
        "paid": yuan(ledger["paid_fen"]),
        "earned": yuan(ledger["earned_fen"]),
        "owed": yuan(ledger["owed_fen"]),
    }
    return render(request, "piecework/resident_income.html", context)


# ---- factory contact ------------------------------------------------------------------------------------------------


def factory_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.FACTORY_CONTACT or selectors.factory_of(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _period(request) -> PeriodForm:
    return PeriodForm(request.GET or None, today=timezone.localdate())


def _statement_context(factory, form: PeriodForm) -> dict:
    start, end = form.period()
    statement = selectors.settlement(factory, start=start, end=end)
    return {
        "statement": statement,
        "period_form": form,
        "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        "earned": yuan(statement["earned_fen"]),
        "paid": yuan(statement["paid_fen"]),
        "owed": yuan(statement["owed_fen"]),
    }


@factory_required
def factory_home(request):
    factory = selectors.factory_of(request.user)
    page = paginate(request, selectors.orders_for_factory(request.user))
    context = {"factory": factory, "page": page, **_statement_context(factory, _period(request))}
    return render(request, "piecework/factory_home.html", context)


@factory_required
def factory_order(request, order_uuid):
    order = selectors.order_for_factory(request.user, order_uuid)
    return render(request, "piecework/factory_order.html", {"order": order})


def _statement(request, factory, fmt):
    start, end = _period(request).period()
    statement = selectors.settlement(factory, start=start, end=end)
    if fmt == "xlsx":
        return statement_xlsx(statement)
    if fmt == "pdf":
        return statement_pdf(statement)
    raise Http404


@factory_required
def factory_own_statement(request, fmt):
    return _statement(request, selectors.factory_of(request.user), fmt)


# ---- the back office ------------------------------------------------------------------------------------------------


def _order_filters(request) -> dict:
    factory = request.GET.get("factory") or ""
    try:
        factory = uuid.UUID(factory)
    except ValueError:
        factory = None
    return {
        "status": request.GET.get("status") if request.GET.get("status") in OrderStatus.values else None,
        "factory": factory,
        "q": (request.GET.get("q") or "").strip()[:50] or None,
    }


@office_required
@require("piecework.view")
def order_list(request):
    scope = request_scope(request)
    filters = _order_filters(request)
    page = paginate(request, selectors.orders_for_staff(scope, **filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": OrderStatus.choices,
        "factories": selectors.factories_for(scope),
        "may_manage": services.may_manage(request.user),
    }
    template = "piecework/partials/order_rows.html" if request.htmx else "piecework/order_list.html"
    return render(request, template, context)


@office_required
@require("piecework.view")
def order_export(request):
    orders = selectors.orders_for_staff(request_scope(request), **_order_filters(request))
    rows = (
        (
            o.factory.name,
            o.item,
            o.quantity,
            o.claimed,
            o.remaining,
            o.handed_in_total,
            o.accepted_total,
            str(o.unit_pay),
            o.deadline.isoformat(),
            "、".join(t.name for t in o.eligible_tags.all()) or "不限",
            o.max_per_resident or "不限",
            o.get_status_display(),
        )
        for o in orders
    )
    header = [
        "工厂",
        "加工内容",
        "总件数",
        "已认领",
        "未认领",
        "已交",
        "合格",
        "计件单价(元)",
        "截止日期",
        "可认领人群",
        "每人最多",
        "状态",
    ]
    return xlsx_response(workbook("家庭代工订单台账", header, rows), "家庭代工订单台账")


@office_required
@require("piecework.manage")
def order_new(request):
    scope = request_scope(request)
    factories = selectors.factories_for(scope).filter(active=True)
    form = WorkOrderForm(request.POST or None, factories=factories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.workorder_post(
                actor=request.user,
                **{**data, "eligible_tags": [t.code for t in data["eligible_tags"]], "unit_pay": str(data["unit_pay"])},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已发布代工订单:{order.item} {order.quantity} 件,符合条件的居民现在可以认领")
            return redirect("piecework:order-detail", order_uuid=order.uuid)
    return render(request, "piecework/order_new.html", {"form": form, "has_factories": factories.exists()})


@office_required
@require("piecework.view")
def order_detail(request, order_uuid):
    scope = request_scope(request)
    order = selectors.order_get_staff(scope, order_uuid)
    claims = list(selectors.order_claims(order))
    rows = [
        {
            "claim": c,
            "actions": services.claim_actions(c, request.user),
            "pending": [h for h in c.handins.all() if services.handin_can_inspect(h, request.user)],
        }
        for c in claims
    ]
    q = request.GET.get("q", "").strip()[:50]
    residents = list(people_selectors.residents_for(scope, q=q)[:10]) if q else []
    context = {
        "order": order,
        "rows": rows,
        "q": q,
        "residents": residents,
        "can_close": services.order_can_close(order, request.user),
        "can_claim_for": services.may_work_counter(request.user)
        and services.order_can_claim(order, timezone.localdate()),
        "inspect_form": InspectForm(),
        "pay_form": PayForm(),
    }
    return render(request, "piecework/order_detail.html", context)


@office_required
@require("piecework.view")
def order_claims_export(request, order_uuid):
    order = selectors.order_get_staff(request_scope(request), order_uuid)
    rows = (
        (
            c.resident.name,
            c.resident.household.dwelling.address,
            mask_phone(c.resident.phone),
            c.held,
            c.handed_in,
            c.accepted,
            c.rejected,
            str(c.earned),
            str(c.paid),
            c.get_status_display(),
        )
        for c in selectors.order_claims(order)
    )
    header = ["认领人", "住址", "联系电话", "认领件数", "已交", "合格", "不合格", "应得工资(元)", "已发(元)", "状态"]
    return xlsx_response(workbook("认领台账", header, rows), f"{order.item}认领台账")


@office_required
@require_POST
def order_claim_for_resident(request, order_uuid):
    order = selectors.order_get_staff(request_scope(request), order_uuid)
    resident = people_selectors.resident_get(request_scope(request), _uuid(request.POST.get("resident")))
    form = ClaimForm(request.POST)
    quantity = form.cleaned_data["quantity"] if form.is_valid() else request.POST.get("quantity", "")
    _done(
        request,
        lambda: services.claim_take(actor=request.user, order=order, quantity=quantity, resident=resident),
        f"已为 {resident.name} 认领 {quantity} 件",
    )
    return redirect("piecework:order-detail", order_uuid=order.uuid)


@office_required
@require("piecework.manage")
@require_POST
def order_close(request, order_uuid):
    order = selectors.order_get_staff(request_scope(request), order_uuid)
    _done(request, lambda: services.workorder_close(actor=request.user, order=order), "已截止认领")
    return redirect("piecework:order-detail", order_uuid=order.uuid)


CLAIM_STEPS = {
    "materials": (
        lambda r, c: services.claim_hand_out_materials(actor=r.user, claim=c, note=r.POST.get("note", "")[:200]),
        "已登记领料",
    ),
    "handin": (
        lambda r, c: services.handin_record(actor=r.user, claim=c, pieces=r.POST.get("pieces", "")),
        "已登记交货",
    ),
    "pay": (
        lambda r, c: services.claim_pay(
            actor=r.user, claim=c, method=r.POST.get("method", ""), reference=r.POST.get("reference", "")[:100]
        ),
        "已发放计件工资",
    ),
    "cancel": (
        lambda r, c: services.claim_cancel(actor=r.user, claim=c, reason=r.POST.get("reason", "")[:200]),
        "已取消认领,未交的件数已退回订单",
    ),
}


@office_required
@require_POST
def claim_action(request, claim_uuid, action):
    claim = selectors.claim_get(request.user, claim_uuid)
    if action not in CLAIM_STEPS:
        raise Http404
    step, done = CLAIM_STEPS[action]
    _done(request, lambda: step(request, claim), done)
    return redirect("piecework:order-detail", order_uuid=claim.order.uuid)


@office_required
@require_POST
def handin_inspect(request, handin_uuid):
    handin = selectors.handin_get(request.user, handin_uuid)
    data = request.POST
    _done(
        request,
        lambda: services.handin_inspect(
            actor=request.user,
            handin=handin,
            accepted=data.get("accepted", ""),
            rejected=data.get("rejected", ""),
            reason=data.get("reason", "")[:200],
        ),
        "已记录验收结果",
    )
    return redirect("piecework:order-detail", order_uuid=handin.claim.order.uuid)


@office_required
@require("piecework.view")
def factory_list(request):
    scope = request_scope(request)
    form = FactoryForm(request.POST or None)
    if request.method == "POST":
        if not services.may_manage(request.user):
            raise PermissionDenied("您没有登记工厂的权限")
        if form.is_valid():
            try:
                services.factory_register(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已登记工厂 {form.cleaned_data['name']}")
                return redirect("piecework:factories")
    if request.GET.get("format") == "xlsx":
        rows = (
            (f.name, f.products, f.contact_name, f.masked_phone, f.address, f.order_count, "是" if f.active else "否")
            for f in selectors.factories_for(scope)
        )
        header = ["工厂", "主要产品", "联系人", "联系电话", "地址", "订单数", "合作中"]
        return xlsx_response(workbook("代工工厂台账", header, rows), "代工工厂台账")
    page = paginate(request, selectors.factories_for(scope, q=request.GET.get("q")))
    return render(
        request,
        "piecework/factory_list.html",
        {"page": page, "form": form, "may_manage": services.may_manage(request.user)},
    )


@office_required
@require("piecework.view")
def factory_statement(request, factory_uuid, fmt):
    factory = selectors.factory_get(request_scope(request), factory_uuid)
    if fmt == "html":
        return render(request, "piecework/statement.html", _statement_context(factory, _period(request)))
    return _statement(request, factory, fmt)
