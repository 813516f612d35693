"""家庭代工 in the API: factories, work orders, claims, hand-ins and inspection (paths as issue #10 names them)."""

import datetime
import uuid

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import scope_for, user_can
from jumin.core.api_errors import ConflictOut
from jumin.core.api_pagination import Page
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.schemas import InputSchema
from jumin.people.models import Resident

from . import selectors, services
from .models import Factory, WorkOrder, yuan

router = Router(tags=["家庭代工"])


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


class FactoryOut(Schema):
    uuid: str
    name: str
    products: str
    contact_name: str
    active: bool


class FactoryPage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": str(f.uuid),
                "name": f.name,
                "products": f.products,
                "contact_name": f.contact_name,
                "active": f.active,
            }
            for f in items
        ]


@router.get(
    "/piecework/factories",
    response=list[FactoryOut],
    summary="代工工厂",
    description="工作人员:管辖范围内的工厂;工厂联系人:本厂。其他角色得到空列表。",
)
@paginate(FactoryPage)
def factory_list(request):
    user = request.auth
    if user.is_office:
        return selectors.factories_for(scope_for(user))
    factory = selectors.factory_of(user)
    return Factory.objects.filter(pk=factory.pk) if factory else Factory.objects.none()


class StatementLineOut(Schema):
    order: str = Field(description="订单编号(UUID)")
    item: str
    unit_pay: str = Field(description='计件单价(元),如 "0.50"')
    accepted: int = Field(description="本期验收合格件数")
    rejected: int = Field(description="本期验收不合格件数")
    earned: str = Field(description="本期应付工资(元):本期合格件数 × 认领时的单价")
    paid: str = Field(description="本期已发工资(元)")
    owed: str = Field(description="期末未发(元):截至期末累计应付减累计已发")


class StatementOut(Schema):
    factory: str
    start: datetime.date
    end: datetime.date
    lines: list[StatementLineOut]
    accepted: int
    rejected: int
    earned: str
    paid: str
    owed: str


@router.get(
    "/piecework/factories/{factory_uuid}/statement",
    response=StatementOut,
    summary="工厂结算单",
    description="结算期间 start 至 end(北京时间的日期,含两端;默认本月)。合计等于各行之和。"
    "工作人员:管辖范围内的工厂;工厂联系人:仅本厂;其他为 404。",
)
def factory_statement(request, factory_uuid: str, start: datetime.date | None = None, end: datetime.date | None = None):
    user = request.auth
    if user_can(user, "piecework.view"):
        factory = selectors.factory_get(scope_for(user), _uuid(factory_uuid))
    else:
        factory = selectors.factory_of(user)
        if factory is None or factory.uuid != _uuid(factory_uuid):
            raise Http404
    default_start, default_end = selectors.month_period(timezone.localdate())
    start, end = start or default_start, end or default_end
    if end < start:
        raise DomainError("结束日期不能早于开始日期", field="end")
    s = selectors.settlement(factory, start=start, end=end)
    return {
        "factory": str(factory.uuid),
        "start": start,
        "end": end,
        "lines": [
            {
                "order": str(r["order"].uuid),
                "item": r["order"].item,
                "unit_pay": str(r["order"].unit_pay),
                "accepted": r["accepted"],
                "rejected": r["rejected"],
                "earned": str(yuan(r["earned_fen"])),
                "paid": str(yuan(r["paid_fen"])),
                "owed": str(yuan(r["owed_fen"])),
            }
            for r in s["rows"]
        ],
        "accepted": s["accepted"],
        "rejected": s["rejected"],
        "earned": str(yuan(s["earned_fen"])),
        "paid": str(yuan(s["paid_fen"])),
        "owed": str(yuan(s["owed_fen"])),
    }


class OrderIn(InputSchema):
    factory: uuid.UUID = Field(description="工厂编号(UUID)")
    item: str = Field(max_length=100, description="加工内容")
    quantity: int = Field(ge=1, le=services.MAX_QUANTITY, description="总件数")
    unit_pay: str = Field(max_length=20, description='计件单价(元),如 "0.50"')
    deadline: datetime.date = Field(description="交货截止日期")
    eligible_tags: list[str] = Field([], max_length=20, description='可认领人群的标签代码,如 ["laid_off"];空为不限')
    max_per_resident: int | None = Field(None, ge=1, le=services.MAX_QUANTITY, description="每人最多认领件数")
    min_age: int | None = Field(None, ge=16, le=120)
    max_age: int | None = Field(None, ge=16, le=120)
    materials: str = Field("", max_length=500)
    quality_standard: str = Field("", max_length=2000)
    pickup_place: str = Field("", max_length=200)
    skills: str = Field("", max_length=200)


class OrderOut(Schema):
    uuid: str
    factory: str
    item: str
    quantity: int
    remaining: int
    unit_pay: str
    deadline: datetime.date
    status: str
    max_per_resident: int | None
    eligible_tags: list[str]


def order_out(order: WorkOrder) -> dict:
    return {
        "uuid": str(order.uuid),
        "factory": str(order.factory.uuid),
        "item": order.item,
        "quantity": order.quantity,
        "remaining": order.remaining,
        "unit_pay": str(order.unit_pay),
        "deadline": order.deadline,
        "status": order.status,
        "max_per_resident": order.max_per_resident,
        "eligible_tags": [t.code for t in order.eligible_tags.all()],
    }


@router.post(
    "/piecework/orders",
    response={201: OrderOut},
    summary="发布代工订单(工作人员)",
    description="返回 201 与订单编号 uuid、未认领件数 remaining。标签代码与住户接口 tag 筛选相同。",
)
def order_create(request, payload: OrderIn):
    user = request.auth
    if not services.may_manage(user):
        raise PermissionDenied("您没有登记代工订单的权限")
    factory = selectors.factories_for(scope_for(user)).filter(uuid=payload.factory).first()
    if factory is None:
        raise Http404
    data = payload.dict()
    del data["factory"]
    order = services.workorder_post(actor=user, factory=factory, **data)
    return Status(201, order_out(order))


def _order_for(user, order_uuid) -> WorkOrder:
    if user.is_office:
        return selectors.order_get_staff(scope_for(user), order_uuid)
    if user.role == Role.FACTORY_CONTACT:
        return selectors.order_for_factory(user, order_uuid)
    return selectors.order_for_resident(user, order_uuid)


class OrderPage(Page):
    def present(self, items, request):
        return [order_out(o) for o in items]


@router.get(
    "/piecework/orders",
    response=list[OrderOut],
    summary="代工订单列表",
    description="居民:可认领的订单;工厂联系人:本厂订单;工作人员:管辖范围内的订单。",
)
@paginate(OrderPage)
def order_list(request):
    user = request.auth
    if user.is_office:
        return selectors.orders_for_staff(scope_for(user))
    if user.role == Role.FACTORY_CONTACT:
        return selectors.orders_for_factory(user).prefetch_related("eligible_tags")
    return selectors.orders_for_resident(user).prefetch_related("eligible_tags")


@router.get(
    "/piecework/orders/{order_uuid}",
    response=OrderOut,
    summary="代工订单详情",
    description="不符合认领条件的居民看不到该订单(404)。",
)
def order_detail(request, order_uuid: str):
    return order_out(_order_for(request.auth, _uuid(order_uuid)))


class ClaimIn(InputSchema):
    quantity: int = Field(ge=1, le=services.MAX_QUANTITY, description="认领件数")
    resident: uuid.UUID | None = Field(None, description="居民编号(UUID),工作人员在窗口代认领时填写")


class ClaimOut(Schema):
    uuid: str
    order: str
    resident: str
    quantity: int
    handed_in: int
    accepted: int
    rejected: int
    status: str
    earned: str
    paid: str
    remaining: int = Field(description="订单剩余未认领件数")


def claim_out(claim, remaining: int | None = None) -> dict:
    return {
        "uuid": str(claim.uuid),
        "order": str(claim.order.uuid),
        "resident": str(claim.resident.uuid),
        "quantity": claim.held,
        "handed_in": claim.handed_in,
        "accepted": claim.accepted,
        "rejected": claim.rejected,
        "status": claim.status,
        "earned": str(claim.earned),
        "paid": str(claim.paid),
        "remaining": remaining if remaining is not None else WorkOrder.objects.get(pk=claim.order_id).remaining,
    }


@router.post(
    "/piecework/orders/{order_uuid}/claims",
    response={201: ClaimOut, 409: ConflictOut},
    summary="认领代工件数;剩余不足或超过每人上限返回 409,不符合条件返回 404",
    description='居民提交 {"quantity": n} 为自己认领;工作人员提交 {"resident": uuid, "quantity": n} 在窗口代认领。',
)
def claim_create(request, order_uuid: str, payload: ClaimIn):
    user = request.auth
    resident = None
    if user.is_office:
        order = selectors.order_get_staff(scope_for(user), _uuid(order_uuid))
        if payload.resident is None:
            raise DomainError("请选择为哪位居民认领", field="resident")
        resident = Resident.objects.filter(uuid=payload.resident).first()
        if resident is None:
            raise Http404
    else:
        order = selectors.order_for_resident(user, _uuid(order_uuid))
    claim = services.claim_take(actor=user, order=order, quantity=payload.quantity, resident=resident)
    return Status(201, claim_out(claim))


class HandInIn(InputSchema):
    pieces: int = Field(ge=1, le=services.MAX_QUANTITY, description="本次交货件数")


class HandInOut(Schema):
    uuid: str
    claim: str
    pieces: int
    accepted: int | None
    rejected: int | None
    reason: str


def handin_out(h) -> dict:
    return {
        "uuid": str(h.uuid),
        "claim": str(h.claim.uuid),
        "pieces": h.pieces,
        "accepted": h.accepted,
        "rejected": h.rejected,
        "reason": h.reason,
    }


@router.post(
    "/piecework/claims/{claim_uuid}/handins",
    response={201: HandInOut, 409: ConflictOut},
    summary="交货(认领人或窗口工作人员);超过未交件数返回 409",
    description="可分多批交货,累计不超过认领件数。",
)
def handin_create(request, claim_uuid: str, payload: HandInIn):
    claim = selectors.claim_get(request.auth, _uuid(claim_uuid))
    handin = services.handin_record(actor=request.auth, claim=claim, pieces=payload.pieces)
    return Status(201, handin_out(handin))


class InspectionIn(InputSchema):
    accepted: int = Field(ge=0, le=services.MAX_QUANTITY, description="合格件数")
    rejected: int = Field(ge=0, le=services.MAX_QUANTITY, description="不合格件数")
    reason: str = Field("", max_length=200, description="不合格原因(有不合格时必填)")


@router.post(
    "/piecework/handins/{handin_uuid}/inspection",
    response={200: HandInOut, 409: ConflictOut},
    summary="验收一批交货(工作人员);已验收返回 409",
    description="合格与不合格之和须等于本批件数;合格件数计入计件工资。",
)
def handin_inspection(request, handin_uuid: str, payload: InspectionIn):
    handin = selectors.handin_get(request.auth, _uuid(handin_uuid))
    handin = services.handin_inspect(actor=request.auth, handin=handin, **payload.dict())
    return handin_out(handin)
