"""The resident's shelf on the phone: what is on which slot at what price, a basket, pickup or delivery (free at
60+), my orders with the pickup code; and the volunteer deliverer's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError
from jumin.core.pagination import paginate
from jumin.core.views import run_and_tell, safe_next

from .. import rules, selectors, services
from ..forms import PickupCodeForm
from ..models import Category
from .cart import Cart, quantity_of, summary


def _resident_of(request):
    resident = getattr(request.user, "resident", None) if request.user.resident_id else None
    if resident is None or resident.status != "active" or not rules.may_order(request.user):
        raise Http404("您还没有绑定社区居民信息")
    return resident


@login_required
def browse(request):
    """直通车: goods by category with slot, price beside market price and what one saves."""
    if request.user.is_office:
        return redirect("shelf:products")
    _resident_of(request)
    q = request.GET.get("q", "")[:50]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    page = paginate(request, selectors.products_for(request.user, q=q, category=category or None))
    context = {
        "page": page,
        "q": q,
        "category": category,
        "categories": Category.choices,
        "cart_count": len(Cart(request)),
        "deliveries": selectors.deliveries_for(request.user).count(),
    }
    return render(request, "shelf/browse.html", context)


@login_required
@require_POST
def cart_add(request, product_uuid):
    _resident_of(request)
    product = selectors.product_get(request.user, product_uuid)
    quantity = quantity_of(request.POST.get("quantity"))
    if not quantity:
        messages.error(request, "数量应为 1–99 的整数")
    elif Cart(request).add(product, quantity):
        messages.success(request, f"已放入购物篮:{product.name} {product.spec} × {quantity}")
    else:
        messages.error(request, "购物篮里的商品种类太多了,请先下单")
    return redirect(safe_next(request, reverse("shelf:browse")))


@login_required
def cart(request):
    """购物篮: change quantities, choose pickup or delivery, place the order."""
    resident = _resident_of(request)
    basket = Cart(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "update":
            for key in list(basket.items):
                quantity = quantity_of(request.POST.get(f"qty-{key}"), default=basket.items[key])
                if quantity is not None:
                    basket.set(key, quantity)
            messages.success(request, "已更新购物篮")
            return redirect("shelf:cart")
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
                return redirect("shelf:cart")
            basket.clear()
            messages.success(
                request, f"下单成功!订单号 {order.number},共 {order.amount_due} 元,比市场价省 {order.saved} 元"
            )
            return redirect("shelf:my-order", order.uuid)
    lines = basket.lines(resident.community_id)
    settings = services.settings_for(resident.community)
    context = {"lines": lines, "sums": summary(lines, resident, settings.delivery_fee), "settings": settings}
    return render(request, "shelf/cart.html", context)


@login_required
def my_orders(request):
    if request.user.is_office:
        return redirect("shelf:orders")
    page = paginate(request, selectors.orders_for(request.user).filter(resident_id=request.user.resident_id or 0))
    return render(request, "shelf/my_orders.html", {"page": page})


@login_required
def my_order(request, order_uuid):
    order = selectors.order_get(request.user, order_uuid)
    if not rules.is_own(order, request.user):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            run_and_tell(request, lambda: services.order_cancel(actor=request.user, order=order), "订单已取消")
        elif action == "confirm":
            run_and_tell(request, lambda: services.order_confirm(actor=request.user, order=order), "已确认收货,谢谢!")
        return redirect("shelf:my-order", order.uuid)
    context = {
        "order": order,
        "actions": rules.order_actions(order, request.user),
        "settings": services.settings_for(order.community),
    }
    return render(request, "shelf/my_order.html", context)


@login_required
def deliveries(request):
    """我的送货: orders the community handed to this volunteer (or staff member), to hand over with the code."""
    orders = list(selectors.deliveries_for(request.user))
    forms = {o.pk: PickupCodeForm(prefix=f"o{o.pk}") for o in orders}
    if request.method == "POST":
        order = next((o for o in orders if str(o.uuid) == request.POST.get("order")), None)
        if order is None:
            raise Http404
        form = forms[order.pk] = PickupCodeForm(request.POST, prefix=f"o{order.pk}")
        if form.is_valid():
            ok = run_and_tell(
                request,
                lambda: services.order_hand_over(
                    actor=request.user, order=order, pickup_code=form.cleaned_data["pickup_code"]
                ),
                f"已交货:{order.number}({order.resident.name})",
            )
            if ok:
                return redirect("shelf:deliveries")
    rows = [(o, forms[o.pk]) for o in orders]
    return render(request, "shelf/deliveries.html", {"rows": rows})


@login_required
def product_photo(request, product_uuid):
    product = selectors.product_get(request.user, product_uuid)
    if not product.photo:
        raise Http404
    return FileResponse(product.photo.open("rb"), content_type=product.photo_type)
