"""The shelf keeper's pages: orders (pick, pack, deliver, hand over, payment), phone orders, the pick list, goods
and stock (stock-in, stock-take, write-off, slots), the savings report and the supplier statement."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required, run_and_tell
from jumin.people.selectors import resident_get, residents_for

from .. import exports, rules, selectors, services
from ..forms import (
    OrderFilterForm,
    PaymentForm,
    PeriodForm,
    PickupCodeForm,
    ProductFilterForm,
    ProductForm,
    SettingsForm,
    SlotForm,
    StockInForm,
    StockTakeForm,
    WriteOffForm,
)
from ..models import Batch, OrderStatus, Supplier
from .cart import Cart, quantity_of, summary


def _home_community(request):
    """The community whose shelf the keeper runs (a street leader must pick one first)."""
    scope = request_scope(request)
    if len(scope.community_ids) != 1:
        return None
    from jumin.core.access import community_model

    return community_model().objects.get(pk=scope.community_ids[0])


def _keeper_community(request):
    community = _home_community(request)
    if community is None or not rules.keeps_shelf_of(request.user, community.pk):
        raise PermissionDenied("您没有权限管理本社区的直通车")
    return community


# ---- orders -------------------------------------------------------------------------------------------------------


@office_required
@require("shelf.view")
def order_list(request):
    scope = request_scope(request)
    filter_form = OrderFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.orders_for(request.user, scope, **filters))
    community = _home_community(request)
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_keep": community is not None and rules.keeps_shelf_of(request.user, community.pk),
    }
    template = "shelf/partials/order_rows.html" if request.htmx else "shelf/order_list.html"
    return render(request, template, context)


@office_required
@require("shelf.view")
def order_export(request):
    filters = OrderFilterForm(request.GET).filters()
    orders = selectors.orders_for(request.user, request_scope(request), **filters)
    return xlsx_response(exports.orders_workbook(orders), "直通车订单台账")


@office_required
@require("shelf.view")
def order_detail(request, order_uuid):
    order = selectors.order_get(request.user, order_uuid, request_scope(request))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    code_form = PickupCodeForm(request.POST if action == "hand_over" else None)
    pay_form = PaymentForm(request.POST if action == "pay" else None, initial={"method": "cash"})
    deliverers = selectors.deliverers_for(order.community_id)
    if action:
        done = None
        if action == "pack":
            done = run_and_tell(request, lambda: services.order_pack(actor=request.user, order=order), "已拣货打包")
        elif action == "cancel":
            done = run_and_tell(
                request, lambda: services.order_cancel(actor=request.user, order=order), "订单已取消,库存已退回"
            )
        elif action == "assign":
            chosen = next((u for u in deliverers if str(u.uuid) == request.POST.get("deliverer")), None)
            done = run_and_tell(
                request,
                lambda: services.order_assign(actor=request.user, order=order, deliverer=chosen),
                lambda o: f"已安排 {o.deliverer.name} 送货",
            )
        elif action == "hand_over" and code_form.is_valid():
            try:
                services.order_hand_over(actor=request.user, order=order, **code_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(code_form, exc)
            else:
                messages.success(request, "已交货,订单完成")
                done = True
        elif action == "pay" and pay_form.is_valid():
            try:
                services.order_pay(actor=request.user, order=order, **pay_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(pay_form, exc)
            else:
                messages.success(request, f"已登记收款 {order.amount_due} 元")
                done = True
        if done is not None:
            return redirect("shelf:order-detail", order.uuid)
    context = {
        "order": order,
        "actions": rules.order_actions(order, request.user),
        "pick": selectors.pick_list([order]),
        "deliverers": deliverers,
        "code_form": code_form,
        "pay_form": pay_form,
    }
    return render(request, "shelf/order_detail.html", context)


@office_required
@require("shelf.keep")
def pick_list(request):
    """拣货单: every order waiting to be picked, line by line in slot order."""
    scope = request_scope(request)
    orders = selectors.orders_for(request.user, scope, status=OrderStatus.PLACED)[:100]
    return render(request, "shelf/pick_list.html", {"rows": selectors.pick_list(orders)})


@office_required
@require("shelf.keep")
def phone_order(request):
    """代居民下单 step 1: find the resident who phoned."""
    scope = request_scope(request)
    q = request.GET.get("q", "")[:50]
    residents = (
        list(residents_for(scope, q=q).prefetch_related(None).select_related("household__dwelling")[:20])
        if q.strip()
        else []
    )
    return render(request, "shelf/phone_order.html", {"q": q, "residents": residents})


@office_required
@require("shelf.keep")
def phone_order_for(request, resident_uuid):
    """代居民下单 step 2: add goods to the resident's basket and place the order for them."""
    resident = resident_get(request_scope(request), resident_uuid)
    if not rules.keeps_shelf_of(request.user, resident.community_id):
        raise Http404
    basket = Cart(request, resident)
    here = reverse("shelf:phone-order-for", args=[resident.uuid])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            product = selectors.product_get(request.user, request.POST.get("product"))
            quantity = quantity_of(request.POST.get("quantity"))
            if quantity:
                basket.add(product, quantity)
                messages.success(request, f"已加入:{product} × {quantity}")
            else:
                messages.error(request, "数量应为 1–99 的整数")
            return redirect(f"{here}?q={request.POST.get('q', '')[:50]}")
        if action == "remove":
            basket.set(request.POST.get("product", ""), 0)
            return redirect(here)
        if action == "place":
            lines = basket.lines(resident.community_id)
            try:
                order = services.order_place(
                    actor=request.user,
                    resident=resident,
                    items=basket.as_items(lines),
                    delivery=request.POST.get("delivery") == "1",
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect(here)
            basket.clear()
            messages.success(request, f"已为 {resident.name} 下单 {order.number},取件码 {order.pickup_code}")
            return redirect("shelf:order-detail", order.uuid)
    q = request.GET.get("q", "")[:50]
    products = list(selectors.products_for(request.user, q=q)[:20]) if q.strip() else []
    lines = basket.lines(resident.community_id)
    settings = services.settings_for(resident.community)
    context = {
        "resident": resident,
        "q": q,
        "products": products,
        "lines": lines,
        "sums": summary(lines, resident, settings.delivery_fee),
    }
    return render(request, "shelf/phone_order_for.html", context)


# ---- goods and stock ----------------------------------------------------------------------------------------------


@office_required
@require("shelf.view")
def product_list(request):
    scope = request_scope(request)
    filter_form = ProductFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.products_for(request.user, scope, active=None, **filters))
    community = _home_community(request)
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_keep": community is not None and rules.keeps_shelf_of(request.user, community.pk),
        "low_count": selectors.products_for(request.user, scope, low=True).count(),
        "expiring": list(selectors.expiring(request.user, scope)[:10]),
    }
    template = "shelf/partials/product_rows.html" if request.htmx else "shelf/product_list.html"
    return render(request, template, context)


@office_required
@require("shelf.view")
def product_export(request):
    filters = ProductFilterForm(request.GET).filters()
    products = selectors.products_for(request.user, request_scope(request), active=None, **filters)
    return xlsx_response(exports.products_workbook(products), "直通车商品库存台账")


@office_required
@require("shelf.keep")
def product_new(request):
    community = _keeper_community(request)
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            supplier = services.supplier_get_or_add(actor=request.user, community=community, name=data.pop("supplier"))
            product = services.product_add(actor=request.user, community=community, supplier=supplier, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已上架 {product}。请登记入库数量")
            return redirect("shelf:product-detail", product.uuid)
    return render(request, "shelf/product_new.html", {"form": form})


@office_required
@require("shelf.view")
def product_detail(request, product_uuid):
    product = selectors.product_get(request.user, product_uuid, request_scope(request))
    can_keep = rules.keeps_shelf_of(request.user, product.community_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_keep:
        raise PermissionDenied("您没有权限管理本社区的直通车")
    stock_form = StockInForm(request.POST if action == "stock_in" else None, prefix="in")
    slot_form = SlotForm(request.POST if action == "slot_add" else None, prefix="slot")
    batch = None
    if action in ("stock_take", "write_off"):
        batch = Batch.objects.filter(product=product, pk=_int(request.POST.get("batch"))).first()
        if batch is None:
            raise Http404
    if action == "stock_in" and stock_form.is_valid():
        if run_and_tell(
            request,
            lambda: services.stock_in(actor=request.user, product=product, **stock_form.cleaned_data),
            f"已入库 {stock_form.cleaned_data['quantity']} 件",
        ):
            return redirect("shelf:product-detail", product.uuid)
    elif action == "stock_take":
        form = StockTakeForm(request.POST, prefix=f"take{batch.pk}")
        if form.is_valid():
            run_and_tell(
                request,
                lambda: services.stock_take(actor=request.user, batch=batch, **form.cleaned_data),
                lambda delta: f"盘点完成,{'账实相符' if not delta else f'调整 {delta:+d} 件'}",
            )
        else:
            messages.error(request, "请填写实盘数量(0 或正整数)")
        return redirect("shelf:product-detail", product.uuid)
    elif action == "write_off":
        form = WriteOffForm(request.POST, prefix=f"off{batch.pk}")
        if form.is_valid():
            run_and_tell(
                request,
                lambda: services.write_off(actor=request.user, batch=batch, **form.cleaned_data),
                f"已报损 {form.cleaned_data['quantity']} 件",
            )
        else:
            messages.error(request, "请填写报损数量并选择原因")
        return redirect("shelf:product-detail", product.uuid)
    elif action == "slot_add" and slot_form.is_valid():
        slot = selectors.slots_for(request.user).filter(number=slot_form.cleaned_data["number"]).first()
        if slot is None:
            messages.error(request, "没有这个栏位号")
        else:
            run_and_tell(
                request,
                lambda: services.slot_assign(actor=request.user, slot=slot, product=product),
                f"已摆放到 {slot.code} 号栏位",
            )
        return redirect("shelf:product-detail", product.uuid)
    elif action == "slot_clear":
        slot = product.slots.filter(number=_int(request.POST.get("slot"))).first()
        if slot is None:
            raise Http404
        run_and_tell(
            request,
            lambda: services.slot_assign(actor=request.user, slot=slot, product=None),
            f"已清空 {slot.code} 号栏位",
        )
        return redirect("shelf:product-detail", product.uuid)
    batches = [
        {
            "batch": b,
            "take": StockTakeForm(prefix=f"take{b.pk}", initial={"expected": b.remaining, "counted": b.remaining}),
            "off": WriteOffForm(prefix=f"off{b.pk}"),
        }
        for b in selectors.batches_of(product)
    ]
    context = {
        "product": product,
        "can_keep": can_keep,
        "batches": batches,
        "stock_form": stock_form,
        "slot_form": slot_form,
        "movements": list(product.movements.select_related("actor").order_by("-at", "-id")[:20]),
    }
    return render(request, "shelf/product_detail.html", context)


def _int(value) -> int:
    from jumin.core.params import id_param

    return id_param(value) or 0


@office_required
@require("shelf.view")
def movement_list(request):
    page = paginate(request, selectors.movements_for(request.user, request_scope(request)))
    return render(request, "shelf/movement_list.html", {"page": page})


@office_required
@require("shelf.view")
def movement_export(request):
    rows = selectors.movements_for(request.user, request_scope(request))
    return xlsx_response(exports.movements_workbook(rows), "直通车库存变动台账")


@office_required
@require("shelf.keep")
def shelf_settings(request):
    community = _keeper_community(request)
    current = services.settings_for(community)
    form = SettingsForm(
        request.POST or None, initial={"delivery_fee": current.delivery_fee, "pickup_place": current.pickup_place}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存:送货费 {form.cleaned_data['delivery_fee']} 元(60 岁以上免费)")
            return redirect("shelf:settings")
    return render(request, "shelf/settings.html", {"form": form})


# ---- report and statement -----------------------------------------------------------------------------------------


def _period(request) -> tuple[datetime.date, datetime.date, PeriodForm]:
    form = PeriodForm(request.GET)
    today = rules.today()
    start, end = today.replace(day=1) - datetime.timedelta(days=62), today
    start = start.replace(day=1)
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    if (end - start).days > 366 * 3:
        start = end - datetime.timedelta(days=366 * 3)
    return start, end, form


@office_required
@require("shelf.view")
def report(request):
    """节省报表: what residents saved, by month, product and compound, and the free 60+ deliveries."""
    start, end, form = _period(request)
    scope = request_scope(request)
    context = {
        "form": form,
        "report": selectors.savings_report(scope, start=start, end=end),
        "suppliers": selectors.suppliers_for(request.user, scope),
        "query": request.GET.urlencode(),
    }
    return render(request, "shelf/report.html", context)


@office_required
@require("shelf.view")
def report_export(request):
    start, end, _ = _period(request)
    data = selectors.savings_report(request_scope(request), start=start, end=end)
    return xlsx_response(exports.report_workbook(data), "直通车节省报表")


def _supplier(request, supplier_uuid) -> Supplier:
    supplier = selectors.suppliers_for(request.user, request_scope(request)).filter(uuid=supplier_uuid).first()
    if supplier is None:
        raise Http404
    return supplier


@office_required
@require("shelf.view")
def statement(request, supplier_uuid):
    """供货方对账单: the supplier's goods sold in the period at the factory price of each line."""
    supplier = _supplier(request, supplier_uuid)
    start, end, form = _period(request)
    data = selectors.supplier_statement(request_scope(request), supplier, start=start, end=end)
    return render(request, "shelf/statement.html", {"form": form, "statement": data, "query": request.GET.urlencode()})


@office_required
@require("shelf.view")
def statement_export(request, supplier_uuid):
    supplier = _supplier(request, supplier_uuid)
    start, end, _ = _period(request)
    data = selectors.supplier_statement(request_scope(request), supplier, start=start, end=end)
    return xlsx_response(exports.statement_workbook(data), f"{supplier.name}对账单")
