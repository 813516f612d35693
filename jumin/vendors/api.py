"""便民服务 in the API: vetted vendors and orders to them. An order is a case (kind "service_order"), so it also
appears in GET /api/v1/cases; these paths are the vendor-shaped ones."""

import datetime
import uuid
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import scope_for
from jumin.core.api_pagination import Page
from jumin.core.schemas import InputSchema

from . import selectors, services
from .models import Category, Slot, VendorStatus

router = Router(tags=["便民服务"])


class VendorOut(Schema):
    uuid: str
    name: str
    category: str
    category_label: str
    offer: str
    discount_percent: int | None
    price_list: str
    service_area: str
    status: str
    rating: float | None = Field(description="三项评分(价格、守时、质量)的平均星级,1–5")
    rating_count: int


class VendorFilters(InputSchema):
    category: Literal[tuple(Category.values)] | None = Field(None, description="服务类别")
    status: Literal[tuple(VendorStatus.values)] | None = Field(None, description="状态(仅工作人员;居民只看到已通过的)")


def vendor_out(v) -> dict:
    return {
        "uuid": str(v.uuid),
        "name": v.name,
        "category": v.category,
        "category_label": v.get_category_display(),
        "offer": v.offer_label,
        "discount_percent": v.discount_percent,
        "price_list": v.price_list,
        "service_area": v.service_area,
        "status": v.status,
        "rating": round(float(v.rating_avg), 1) if v.rating_avg is not None else None,
        "rating_count": v.rating_count,
    }


class VendorPage(Page):
    def present(self, items, request):
        return [vendor_out(v) for v in items]


@router.get(
    "/vendors",
    response=list[VendorOut],
    summary="便民服务商家",
    description="居民:本社区审核通过的商家及其优惠和评价,可按类别筛选。工作人员:管辖范围内的全部商家,可按状态筛选。",
)
@paginate(VendorPage)
def vendor_list(request, filters: Query[VendorFilters]):
    user = request.auth
    if user.is_office:
        return selectors.vendors_for_office(scope_for(user), status=filters.status, category=filters.category)
    return selectors.vendors_for_resident(user, category=filters.category)


class WindowIn(InputSchema):
    date: datetime.date = Field(description="上门日期,今天起 30 天内")
    slot: Literal[tuple(Slot.values)] = Field(description="morning 上午、afternoon 下午、evening 晚上")


class ServiceOrderIn(InputSchema):
    multiline_fields = frozenset({"description"})
    vendor: uuid.UUID = Field(description="商家编号(UUID)")
    description: str = Field(max_length=services.DESCRIPTION_MAX, description="需要什么服务")
    window: WindowIn = Field(description="上门时间")
    address: str = Field("", max_length=200, description="服务地址,不填则为本户住址")
    contact_phone: str = Field("", max_length=11, description="联系电话,不填则为居民登记的手机号")
    resident: uuid.UUID | None = Field(None, description="居民编号(UUID),工作人员代居民预约时填写")


class ServiceOrderOut(Schema):
    uuid: str = Field(description="订单(事项)编号,即 /api/v1/cases/{uuid}")
    number: str | None
    status: str
    status_label: str
    vendor: dict
    offer: str
    window: dict
    address: str
    contact_phone: str
    list_price: str | None
    charged: str | None
    completed_at: str | None


def order_out(order, user) -> dict:
    from jumin.cases.selectors import can_work

    return {
        "uuid": str(order.case.uuid),
        "number": order.case.number,
        "status": order.case.status,
        "status_label": order.case.status_label,
        **order.as_api(viewer=user, is_worker=can_work(user, order.case)),
    }


@router.post(
    "/vendors/orders",
    response={201: ServiceOrderOut},
    summary="预约便民服务(居民下单,或工作人员代居民下单)",
    description="向本社区审核通过的商家下单;商家不存在、未通过或已暂停返回 404。返回 201 与订单。",
)
def order_create(request, payload: ServiceOrderIn):
    user = request.auth
    data = payload.dict()
    data["vendor"] = str(payload.vendor)
    data["resident"] = str(payload.resident) if payload.resident else None
    data["window"] = {"date": payload.window.date.isoformat(), "slot": payload.window.slot}
    order = services.order_place_from_api(actor=user, data=data)
    return Status(201, order_out(order, user))


class OrderPage(Page):
    def present(self, items, request):
        return [order_out(o, request.auth) for o in items]


@router.get(
    "/vendors/orders",
    response=list[ServiceOrderOut],
    summary="商家的订单(商家账号)",
    description="商家只看到自己的订单;tab 可为 new(待接单)、open(进行中)、closed(已结束)。居民的订单见 /api/v1/cases。",
)
@paginate(OrderPage)
def vendor_orders(request, tab: Literal["new", "open", "closed"] | None = None):
    vendor = selectors.vendor_of(request.auth)
    if vendor is None:
        raise Http404
    return selectors.orders_for_vendor(vendor, tab).select_related("vendor")


class CompleteIn(InputSchema):
    multiline_fields = frozenset({"note"})
    list_price: str = Field(max_length=20, description='原价(元),如 "120.00"')
    charged: str = Field(max_length=20, description="实收(元),不超过按居民优惠计算的价格")
    note: str = Field("", max_length=500)


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=200, description="原因(不接单时必填)")


class RateIn(InputSchema):
    price: int = Field(ge=1, le=5, description="价格,1–5 星")
    punctuality: int = Field(ge=1, le=5, description="守时,1–5 星")
    quality: int = Field(ge=1, le=5, description="质量,1–5 星")
    comment: str = Field("", max_length=500)


def _order(user, case_uuid: str):
    try:
        return selectors.order_get(user, uuid.UUID(case_uuid))
    except ValueError as exc:
        raise Http404 from exc


STEP_SUMMARY = "订单已不在该状态时返回 409"


@router.post(
    "/vendors/orders/{case_uuid}/accept",
    response=ServiceOrderOut,
    description="商家确认接单,成为该订单的承办人,居民收到通知。",
    summary=f"商家接单;{STEP_SUMMARY}",
)
def order_accept(request, case_uuid: str):
    order = services.order_accept(actor=request.auth, order=_order(request.auth, case_uuid))
    return order_out(order, request.auth)


@router.post(
    "/vendors/orders/{case_uuid}/decline",
    response=ServiceOrderOut,
    description="商家说明原因后不接单,居民可见原因并可改约其他商家。",
    summary=f"商家不接单(须说明原因);{STEP_SUMMARY}",
)
def order_decline(request, case_uuid: str, payload: ReasonIn):
    order = services.order_decline(actor=request.auth, order=_order(request.auth, case_uuid), reason=payload.reason)
    return order_out(order, request.auth)


@router.post(
    "/vendors/orders/{case_uuid}/visit",
    response=ServiceOrderOut,
    description="商家到达居民家,开始服务。",
    summary=f"商家登记已上门;{STEP_SUMMARY}",
)
def order_visit(request, case_uuid: str):
    order = services.order_visit(actor=request.auth, order=_order(request.auth, case_uuid))
    return order_out(order, request.auth)


@router.post(
    "/vendors/orders/{case_uuid}/complete",
    response=ServiceOrderOut,
    description="登记原价与实收;实收不能超过按居民优惠计算的价格,居民随后可评价。",
    summary=f"商家登记服务完成与实收金额;{STEP_SUMMARY}",
)
def order_complete(request, case_uuid: str, payload: CompleteIn):
    order = services.order_complete(
        actor=request.auth,
        order=_order(request.auth, case_uuid),
        list_price=payload.list_price,
        charged=payload.charged,
        note=payload.note,
    )
    return order_out(order, request.auth)


@router.post(
    "/vendors/orders/{case_uuid}/cancel",
    response=ServiceOrderOut,
    description="上门前居民本人或工作人员可取消,商家收到通知。",
    summary=f"取消订单(上门前,居民或工作人员);{STEP_SUMMARY}",
)
def order_cancel(request, case_uuid: str, payload: ReasonIn):
    order = services.order_cancel(actor=request.auth, order=_order(request.auth, case_uuid), reason=payload.reason)
    return order_out(order, request.auth)


@router.post(
    "/vendors/orders/{case_uuid}/rating",
    response={201: ServiceOrderOut},
    summary="居民评价(价格、守时、质量各 1–5 星);已评价返回 409",
    description="订单完成后下单居民评价一次;近期平均低于 3 星的商家会提醒社区复核。",
)
def order_rating(request, case_uuid: str, payload: RateIn):
    order = _order(request.auth, case_uuid)
    services.order_rate(actor=request.auth, order=order, **payload.dict())
    return Status(201, order_out(order, request.auth))
