import datetime
import uuid

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.schemas import InputSchema
from jumin.party.api import Page

from . import bookings, selectors
from .models import BookerKind

router = Router(tags=["共建单位"])


class ResourceOut(Schema):
    uuid: uuid.UUID
    kind: str
    kind_label: str
    name: str
    description: str


class UnitOut(Schema):
    uuid: uuid.UUID
    name: str
    kind: str
    kind_label: str
    level: str = Field(description="street 街道共建单位 / community 社区共建单位")
    community: str | None
    contact_name: str
    member_count: int
    resource_count: int
    active: bool


def _unit_out(unit) -> dict:
    return {
        "uuid": unit.uuid,
        "name": unit.name,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "level": "street" if unit.community_id is None else "community",
        "community": unit.community.name if unit.community_id else None,
        "contact_name": unit.contact_name,
        "member_count": unit.member_count,
        "resource_count": unit.resource_count,
        "active": unit.active,
    }


class UnitPage(Page):
    def present(self, items, request):
        return [_unit_out(u) for u in items]


@router.get(
    "",
    response=list[UnitOut],
    summary="共建单位",
    description="本社区与街道的共建单位(街道领导:全街道;共建单位成员:本单位),分页;可按 kind(类型)、level"
    "(street 街道 / community 社区)和 q(名称)筛选。",
)
@paginate(UnitPage)
def unit_list(request, kind: str = "", level: str = "", q: str = ""):
    return selectors.units_for(request.auth, kind=kind or None, level=level or None, q=q[:100])


class UnitDetailOut(UnitOut):
    address: str
    note: str
    resources: list[ResourceOut]


@router.get(
    "/units/{unit_uuid}",
    response=UnitDetailOut,
    summary="共建单位详情",
    description="单位信息和它提供的资源(场地、人员工时、服务、设备)。看不到的单位一律 404。",
)
def unit_detail(request, unit_uuid: str):
    unit = selectors.unit_get(request.auth, _uuid(unit_uuid))
    resources = [
        {
            "uuid": r.uuid,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "name": r.name,
            "description": r.description,
        }
        for r in unit.resources.order_by("kind", "name")
    ]
    return {**_unit_out(unit), "address": unit.address, "note": unit.note, "resources": resources}


class MeetingOut(Schema):
    uuid: uuid.UUID
    title: str
    held_at: datetime.datetime
    place: str
    status: str = Field(description="planned 待召开 / held 已召开")
    status_label: str
    invited: int = Field(description="邀请单位数")
    present: int = Field(description="出席单位数")
    task_count: int = Field(description="难题共办件数")
    open_tasks: int = Field(description="其中未办结")


class MeetingPage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": m.uuid,
                "title": m.title,
                "held_at": m.held_at,
                "place": m.place,
                "status": m.status,
                "status_label": m.get_status_display(),
                "invited": m.invited,
                "present": m.present,
                "task_count": m.task_count,
                "open_tasks": m.open_tasks,
            }
            for m in items
        ]


@router.get(
    "/meetings",
    response=list[MeetingOut],
    summary="党建联席会议",
    description="您能看到的联席会议(社区工作人员:本社区;共建单位成员:本单位参加的),新的在前,分页;"
    "status=planned / held,q 按名称或议程搜索。每条给出出席单位数和难题共办件数。",
)
@paginate(MeetingPage)
def meeting_list(request, status: str = "", q: str = ""):
    return selectors.meetings_for(request.auth, status=status or None, q=q[:100])


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


# ---- shared resources and their bookings ---------------------------------------------------------------------------


class ResourceWindowOut(Schema):
    weekday: int = Field(description="0 星期一 … 6 星期日")
    # Local wall-clock times (Asia/Shanghai) as "HH:MM": JSON Schema's "time" format demands a UTC offset.
    starts: str = Field(pattern=r"^\d{2}:\d{2}$", description="开始时间(北京时间 HH:MM)")
    ends: str = Field(pattern=r"^\d{2}:\d{2}$", description="结束时间(北京时间 HH:MM)")


class SharedResourceOut(ResourceOut):
    unit: uuid.UUID = Field(description="共建单位 uuid")
    unit_name: str
    availability: list[ResourceWindowOut] = Field(description="每周可预约时间")


class SharedResourcePage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": r.uuid,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "name": r.name,
                "description": r.description,
                "unit": r.unit.uuid,
                "unit_name": r.unit.name,
                "availability": [
                    {"weekday": a.weekday, "starts": f"{a.starts:%H:%M}", "ends": f"{a.ends:%H:%M}"}
                    for a in r.availability.all()
                ],
            }
            for r in items
        ]


@router.get(
    "/resources",
    response=list[SharedResourceOut],
    summary="共建资源(场地、人员工时、服务、设备)",
    description="您能预约的共建单位资源及每周可预约时间,分页。居民看到本社区和街道共建单位的资源。",
)
@paginate(SharedResourcePage)
def resource_list(request):
    return bookings.resources_for(request.auth)


class ResourceBookingIn(InputSchema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    booker_kind: BookerKind = Field(description="community 社区 / council 理事会 / group 居民团体")
    booker_name: str = Field(max_length=100, description="预约单位或团体名称")
    purpose: str = Field(max_length=200)


class ResourceBookingOut(Schema):
    uuid: uuid.UUID
    resource: uuid.UUID
    resource_name: str
    booker_kind: str
    booker_name: str
    purpose: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str = Field(description="pending 待审批 / approved 已批准 / refused 未批准 / cancelled 已取消")
    status_label: str


def booking_out(b) -> dict:
    return {
        "uuid": b.uuid,
        "resource": b.resource.uuid,
        "resource_name": b.resource.name,
        "booker_kind": b.booker_kind,
        "booker_name": b.booker_name,
        "purpose": b.purpose,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "status_label": b.get_status_display(),
    }


@router.post(
    "/resources/{resource_uuid}/bookings",
    response={201: ResourceBookingOut},
    summary="预约共建资源(待共建单位审批)",
    description="在资源的每周可预约时间内预约;共建单位成员批准后生效,已批准的预约互不重叠。",
)
def booking_create(request, resource_uuid: str, payload: ResourceBookingIn):
    resource = bookings.resource_get(request.auth, _uuid(resource_uuid))
    booking = bookings.booking_request(actor=request.auth, resource=resource, **payload.dict())
    return Status(201, booking_out(booking))
