"""便民生活服务直通车 in the API: the goods of the caller's shelf, orders (a resident's own, or the shop's), placing
and cancelling one. Money is a string with two places ("0.92"); ids are UUIDs."""

import datetime
import uuid

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.api_pagination import Page
from jumin.core.errors import DomainError
from jumin.core.schemas import InputSchema
from jumin.people.models import Resident

from . import rules, selectors, services
from .models import Category, Product

router = Router(tags=["便民生活服务直通车"])


class ShelfProductOut(Schema):
    uuid: uuid.UUID
    name: str
    spec: str
    category: str
    category_label: str
    barcode: str
    supplier: str
    price: str = Field(description="直通车价(出厂价),元")
    market_price: str = Field(description="市场价,元")
    saved: str = Field(description="每件比市场价省,元")
    market_checked_where: str = Field(description="市场价调查地点")
    market_checked_on: datetime.date | None = Field(description="市场价调查日期")
    available: int = Field(description="可售库存")
    slots: list[str] = Field(description="所在货架栏位号")


def product_out(p) -> dict:
    return {
        "uuid": p.uuid,
        "name": p.name,
        "spec": p.spec,
        "category": p.category,
        "category_label": p.get_category_display(),
        "barcode": p.barcode,
        "supplier": p.supplier.name,
        "price": str(p.factory_price),
        "market_price": str(p.market_price),
        "saved": str(p.saving),
        "market_checked_where": p.market_checked_where,
        "market_checked_on": p.market_checked_on,
        "available": p.stock,
        "slots": [s.code for s in p.slots.all()],
    }


class ShelfProductFilters(InputSchema):
    q: str | None = Field(None, max_length=50, description="商品名称、规格或条码")
    category: Category | None = Field(None, description="类别")


class ProductPage(Page):
    def present(self, items, request):
        return [product_out(p) for p in items]


@router.get(
    "/products",
    response=list[ShelfProductOut],
    summary="直通车商品(价格、市场价、可售库存、栏位)",
    description="您所在社区直通车在售的商品,按类别和名称排序,分页;q 搜名称、规格或条码。",
)
@paginate(ProductPage)
def product_list(request, filters: Query[ShelfProductFilters]):
    return selectors.products_for(request.auth, q=filters.q or "", category=filters.category)


class ShelfLineOut(Schema):
    product: uuid.UUID
    name: str
    spec: str
    quantity: int
    price: str
    market_price: str
    amount: str
    market_amount: str
    saved: str


class ShelfOrderOut(Schema):
    uuid: uuid.UUID
    number: str
    status: str = Field(
        description="placed 待拣货 / packed 已拣货打包 / delivering 配送中 / received 已收货 / cancelled"
    )
    status_label: str
    placed_at: datetime.datetime
    resident: str = Field(description="居民姓名")
    delivery: bool
    free_delivery: bool = Field(description="60 岁以上居民免费送货")
    delivery_fee: str
    total: str = Field(description="商品金额(直通车价)")
    market_total: str = Field(description="按市场价合计")
    saved: str = Field(description="比市场价省")
    amount_due: str = Field(description="应付 = 商品金额 + 送货费")
    paid: bool
    pickup_code: str | None = Field(description="取件码:只给下单居民本人和直通车工作人员")
    lines: list[ShelfLineOut]


def order_out(order, viewer) -> dict:
    show_code = rules.is_own(order, viewer) or rules.keeps_shelf_of(viewer, order.community_id)
    return {
        "uuid": order.uuid,
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "placed_at": order.placed_at,
        "resident": order.resident.name,
        "delivery": order.delivery,
        "free_delivery": order.free_delivery,
        "delivery_fee": str(order.delivery_fee),
        "total": str(order.total),
        "market_total": str(order.market_total),
        "saved": str(order.saved),
        "amount_due": str(order.amount_due),
        "paid": order.is_paid,
        "pickup_code": order.pickup_code if show_code else None,
        "lines": [
            {
                "product": line.product.uuid,
                "name": line.product.name,
                "spec": line.product.spec,
                "quantity": line.quantity,
                "price": str(line.unit_price),
                "market_price": str(line.unit_market_price),
                "amount": str(line.amount),
                "market_amount": str(line.market_amount),
                "saved": str(line.saved),
            }
            for line in order.lines.all()
        ],
    }


class ShelfItemIn(InputSchema):
    product: uuid.UUID = Field(description="商品 uuid(GET /shelf/products)")
    quantity: int = Field(ge=1, le=services.orders.MAX_PER_LINE, strict=True)


class ShelfOrderIn(InputSchema):
    items: list[ShelfItemIn] = Field(min_length=1, max_length=services.orders.MAX_LINES)
    delivery: bool = Field(False, strict=True, description="true 送货上门;false 到店自取")
    resident: uuid.UUID | None = Field(None, description="工作人员代居民下单时,居民的 uuid")


class ShortOut(Schema):
    product: uuid.UUID
    name: str
    wanted: int
    available: int


class OutOfStockOut(Schema):
    detail: str
    field: str | None = None
    short: list[ShortOut] = Field(description="库存不足的每件商品")


@router.post(
    "/orders",
    response={201: ShelfOrderOut, 409: OutOfStockOut},
    summary="下单(居民本人,或直通车工作人员代居民下单);库存不足 409",
    description="items 列出商品 uuid 与数量;delivery 为 true 时送货上门,下单当天年满 60 周岁的居民免费,其他居民按社区"
    "设定的送货费。任何一种商品库存不足时整单不提交,返回 409,short 逐项列出缺货商品。",
)
def order_create(request, payload: ShelfOrderIn):
    user = request.auth
    if payload.resident is not None:
        resident = Resident.objects.filter(uuid=payload.resident).select_related("household__dwelling").first()
        if resident is None or not rules.keeps_shelf_of(user, resident.community_id):
            raise Http404
    elif getattr(user, "resident_id", None):
        resident = Resident.objects.select_related("household__dwelling").get(pk=user.resident_id)
    else:
        raise DomainError("请填写要代为下单的居民(resident)", field="resident")
    uuids = {item.product for item in payload.items}
    by_uuid = dict(Product.objects.filter(uuid__in=uuids, community_id=resident.community_id).values_list("uuid", "pk"))
    if len(by_uuid) != len(uuids):
        raise Http404
    items = [(by_uuid[item.product], item.quantity) for item in payload.items]
    try:
        order = services.order_place(actor=user, resident=resident, items=items, delivery=payload.delivery)
    except services.OutOfStock as exc:
        short = [
            {"product": s.product.uuid, "name": str(s.product), "wanted": s.wanted, "available": s.available}
            for s in exc.short
        ]
        return Status(409, {"detail": exc.message, "field": exc.field, "short": short})
    return Status(201, order_out(selectors.order_get(user, order.uuid), user))


class ShelfOrderFilters(InputSchema):
    status: str | None = Field(
        None, pattern="^(open|placed|packed|delivering|received|cancelled)$", description="open 未完成,或某一状态"
    )
    mine: bool = Field(False, description="工作人员:只看我送货的订单")


class ShelfOrderPage(Page):
    def present(self, items, request):
        return [order_out(o, request.auth) for o in items]


@router.get(
    "/orders",
    response=list[ShelfOrderOut],
    summary="直通车订单:居民看自己的,工作人员看本社区的",
    description="新的在前,分页;status=open 只看未完成的。",
)
@paginate(ShelfOrderPage)
def order_list(request, filters: Query[ShelfOrderFilters]):
    return selectors.orders_for(request.auth, status=filters.status, mine=filters.mine)


@router.post(
    "/orders/{order_uuid}/cancel",
    response=ShelfOrderOut,
    summary="取消订单(拣货前);库存如数退回",
    description="下单居民本人或直通车工作人员可在拣货前取消;已拣货的订单返回 400。",
)
def order_cancel(request, order_uuid: uuid.UUID):
    order = selectors.order_get(request.auth, order_uuid)
    services.order_cancel(actor=request.auth, order=order)
    return order_out(selectors.order_get(request.auth, order_uuid), request.auth)
