import datetime
import uuid as uuid_module

from django.db.models import Count
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import Scope, scope_for
from jumin.core.api_pagination import Page
from jumin.core.errors import NotFound
from jumin.core.models import Role
from jumin.core.schemas import DbId, InputSchema

from . import rules, selectors
from .models import ServiceItem, Slot, Ticket, TicketStatus, Window
from .services import bookings as booking_services
from .services import ratings as rating_services
from .services import tickets as ticket_services

router = Router(tags=["服务大厅"])


class ItemFilters(InputSchema):
    proxy_allowed: bool | None = None
    window: DbId | None = None
    q: str | None = Field(None, max_length=50)
    community: DbId | None = None


class WindowOut(Schema):
    id: int
    number: int
    name: str


class ItemOut(Schema):
    id: int
    community_id: int
    window: WindowOut
    name: str
    description: str
    required_documents: list[str]
    time_limit_working_days: int
    proxy_allowed: bool
    in_person_required: str
    active: bool


@router.get(
    "/hall/items",
    response=list[ItemOut],
    summary="服务事项(办事指南);proxy_allowed=true 只看可代办",
    description="本社区大厅的服务事项及所需材料;居民只看到在办的事项。按社区、窗口号排序。",
)
@paginate(Page)
def item_list(request, filters: Query[ItemFilters]):
    user = request.auth
    data = filters.dict()
    community = data.pop("community")
    scope = scope_for(user)
    if community is not None:
        scope = Scope(community_ids=tuple(i for i in scope.community_ids if i == community))
    return selectors.items_for(
        scope, window=data["window"], proxy=data["proxy_allowed"], q=data["q"], active_only=not user.is_office
    )


# ---- the running hall ----------------------------------------------------------------------------------------


class WindowStateOut(Schema):
    id: int
    number: int
    name: str
    prefix: str
    paused: bool
    current_number: str | None = Field(None, description="正在办理的号码")
    waiting: int = Field(0, description="排队人数")


@router.get(
    "/hall/windows",
    response=list[WindowStateOut],
    summary="服务窗口及当前叫号、排队人数",
    description="本社区大厅的窗口:号码字头、是否暂停、正在办理的号码和今日排队人数。",
)
@paginate(Page)
def window_list(request):
    user = request.auth
    community_ids = scope_for(user).community_ids
    if user.role == Role.KIOSK and user.community_id:
        community_ids = (user.community_id,)
    today = rules.local_day(timezone.now())
    waiting = dict(
        Ticket.objects.filter(community_id__in=community_ids, day=today, status=TicketStatus.WAITING)
        .values("window_id")
        .annotate(n=Count("id"))
        .values_list("window_id", "n")
    )
    windows = Window.objects.filter(community_id__in=community_ids).select_related("current_ticket")
    return [
        {
            "id": w.pk,
            "number": w.number,
            "name": w.name,
            "prefix": w.prefix,
            "paused": w.paused,
            "current_number": w.current_ticket.number if w.current_ticket else None,
            "waiting": waiting.get(w.pk, 0),
        }
        for w in windows.order_by("community_id", "number")
    ]


class SlotFilters(InputSchema):
    item: DbId = Field(..., description="服务事项编号")
    date: datetime.date | None = Field(None, description="日期;不填为今天起两周")


class SlotOut(Schema):
    id: int
    date: datetime.date
    half: str = Field(..., description="am 上午 / pm 下午")
    window: WindowOut
    capacity: int
    booked: int
    remaining: int


@router.get(
    "/hall/slots",
    response=list[SlotOut],
    summary="可预约时段(按事项、日期)",
    description="办理该事项的窗口在某天(或今天起两周)的半天时段,含名额和已约人数。",
)
@paginate(Page)
def slot_list(request, filters: Query[SlotFilters]):
    user = request.auth
    item = _item(user, filters.item)
    today = rules.local_day(timezone.now())
    if filters.date:
        return selectors.slots_for_item(item, day=filters.date)
    return selectors.slots_for_item(item, start=today)


def _item(user, item_id: int) -> ServiceItem:
    community_ids = scope_for(user).community_ids
    if user.role == Role.KIOSK and user.community_id:
        community_ids = (user.community_id,)
    item = (
        ServiceItem.objects.filter(community_id__in=community_ids, pk=item_id, active=True)
        .select_related("window")
        .first()
        if 0 < item_id < 2**62
        else None
    )
    if item is None:
        raise NotFound("没有找到该服务事项", field="item")
    return item


class BookingIn(InputSchema):
    item: DbId = Field(..., description="服务事项编号")
    slot: DbId = Field(..., description="时段编号")


class BookingOut(Schema):
    uuid: uuid_module.UUID
    item: int = Field(..., alias="item_id")
    slot: int = Field(..., alias="slot_id")
    date: datetime.date
    status: str


@router.post(
    "/hall/bookings",
    response={201: BookingOut},
    summary="预约办事(居民);时段已满或当天已预约该事项返回 409",
    description="居民为自己预约某事项的半天时段,每人每事项每天一次;取消后名额释放。",
)
def booking_create(request, payload: BookingIn):
    user = request.auth
    item = _item(user, payload.item)
    slot = Slot.objects.filter(pk=payload.slot).select_related("window").first() if 0 < payload.slot < 2**62 else None
    if slot is None:
        raise NotFound("没有找到该时段", field="slot")
    return Status(201, booking_services.booking_make(actor=user, item=item, slot=slot))


class TicketIn(InputSchema):
    item: DbId = Field(..., description="服务事项编号")
    phone: str | None = Field(None, max_length=11, description="手机号(取号机和窗口为来访居民取号时选填)")
    priority: bool = Field(False, description="申请绿色通道(70 周岁以上、残疾人、孕妇)")


class TicketOut(Schema):
    uuid: uuid_module.UUID
    number: str
    item: str
    window: int = Field(..., description="排队窗口号")
    status: str
    status_label: str
    lane: str
    position: int = Field(..., description="前面还有几位(含自己);不在排队时为 0")
    estimated_wait_minutes: int
    called_window: int | None = Field(None, description="叫号的窗口号")


def _ticket_out(ticket: Ticket) -> dict:
    status = selectors.ticket_status(ticket, now=timezone.now())
    return {
        "uuid": ticket.uuid,
        "number": ticket.number,
        "item": ticket.item.name,
        "window": ticket.window.number,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "lane": ticket.get_lane_display(),
        "called_window": ticket.called_window.number if ticket.called_window else None,
        **status,
    }


@router.post(
    "/hall/tickets",
    response={201: TicketOut},
    summary="取号:居民在大厅开放时间为自己取号,取号机和窗口工作人员为来访居民取号",
    description="返回号码(如 A001,每个窗口字头每天从 001 起)、排队位置和预计等候分钟数;当日名额已满返回 409。",
)
def ticket_create(request, payload: TicketIn):
    user = request.auth
    item = _item(user, payload.item)
    ticket = ticket_services.ticket_take(actor=user, item=item, phone=payload.phone, priority=payload.priority)
    return Status(201, _ticket_out(_ticket(user, ticket.uuid)))


def _ticket(user, ticket_uuid) -> Ticket:
    ticket = selectors.ticket_for_user(user, ticket_uuid)
    if ticket is None:
        raise NotFound("没有找到该号码")
    return ticket


@router.get(
    "/hall/tickets/{ticket_uuid}",
    response=TicketOut,
    summary="号码的状态、排队位置和预计等候时间",
    description="居民查看自己的号码;大厅工作人员和取号机可查看本大厅的号码。",
)
def ticket_detail(request, ticket_uuid: uuid_module.UUID):
    return _ticket_out(_ticket(request.auth, ticket_uuid))


@router.post(
    "/hall/windows/{window_id}/call-next",
    response={200: TicketOut, 204: None},
    summary="叫下一位(窗口工作人员);没有人排队返回 204",
    description="按顺序叫号:本时段已签到的预约、绿色通道、普通号按取号先后;同时叫号不会叫到同一个号码。",
)
def window_call_next(request, window_id: int):
    user = request.auth
    window = selectors.window_for_staff(user, window_id) if 0 < window_id < 2**62 else None
    if window is None:
        raise NotFound("没有找到该窗口")
    ticket = ticket_services.ticket_call_next(actor=user, window=window)
    if ticket is None:
        return Status(204, None)
    return Status(200, _ticket_out(_ticket(user, ticket.uuid)))


class FinishIn(InputSchema):
    outcome: str = Field(..., description="done 已办结 / missing_documents 材料不全 / referred 已转介")
    missing_documents: list[str] = Field(default_factory=list, max_length=30, description="缺少的材料(材料不全时必填)")
    note: str = Field("", max_length=200, description="说明")


@router.post(
    "/hall/tickets/{ticket_uuid}/finish",
    response=TicketOut,
    summary="办结当前号码并记录结果(窗口工作人员)",
    description="办结后即为一条服务记录;号码已不在该窗口办理时返回 409。",
)
def ticket_finish(request, ticket_uuid: uuid_module.UUID, payload: FinishIn):
    user = request.auth
    ticket = _ticket(user, ticket_uuid)
    ticket_services.ticket_finish(
        actor=user,
        ticket=ticket,
        outcome=payload.outcome,
        missing_documents=payload.missing_documents,
        note=payload.note,
    )
    return _ticket_out(_ticket(user, ticket_uuid))


class TicketRatingIn(InputSchema):
    attitude: int = Field(..., description="服务态度 1–5")
    quality: int = Field(..., description="服务质量 1–5")
    efficiency: int = Field(..., description="办事效率 1–5")
    integrity: int = Field(..., description="廉洁自律 1–5")
    reason: str = Field("", max_length=500, description="差评原因(任一项 2 分及以下时必填)")


class RatingOut(Schema):
    attitude: int
    quality: int
    efficiency: int
    integrity: int
    average: float
    case_number: str | None = Field(None, description="差评转为的工单编号")


@router.post(
    "/hall/tickets/{ticket_uuid}/rating",
    response={201: RatingOut},
    summary="办结后评价(好差评);差评须写明原因,并转社区书记核实",
    description="居民评价自己办结的号码(或大厅评价平板代来访居民评价);每个号码评价一次,重复评价返回 409。",
)
def ticket_rating(request, ticket_uuid: uuid_module.UUID, payload: TicketRatingIn):
    user = request.auth
    ticket = _ticket(user, ticket_uuid)
    data = payload.dict()
    reason = data.pop("reason")
    rating = rating_services.rating_submit(actor=user, ticket=ticket, values=data, reason=reason)
    return Status(
        201,
        {
            "attitude": rating.attitude,
            "quality": rating.quality,
            "efficiency": rating.efficiency,
            "integrity": rating.integrity,
            "average": rating.average,
            "case_number": rating.case.number if rating.case else None,
        },
    )
