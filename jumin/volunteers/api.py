"""志愿服务 in the API: volunteers (staff), activities and their shifts, sign-ups, and a volunteer's own hours and
points."""

import datetime
import uuid

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import scope_for
from jumin.core.api_errors import ConflictOut
from jumin.core.api_pagination import Page
from jumin.core.errors import PermissionDenied
from jumin.core.schemas import InputSchema

from . import rules, selectors, services
from .models import Volunteer

router = Router(tags=["志愿服务"])


class VolunteerOut(Schema):
    uuid: str
    name: str
    skills: str
    availability: str
    is_party_member: bool = Field(description="党员")
    is_dual_report: bool = Field(description="在职党员双报到")
    hours: float = Field(description="经确认的服务时长(小时)")
    points: int = Field(description="积分余额")


class ShiftOut(Schema):
    uuid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    slots: int = Field(description="名额")
    taken: int = Field(description="已报名")
    free: int = Field(description="剩余名额")
    skills_wanted: str


class ActivityOut(Schema):
    uuid: str
    title: str
    description: str
    place: str
    status: str = Field(description="open 报名中,cancelled 已取消")
    status_label: str
    organiser: str
    starts_at: datetime.datetime
    shifts: list[ShiftOut]


class ShiftIn(InputSchema):
    starts_at: datetime.datetime = Field(description="开始时间,ISO 8601")
    ends_at: datetime.datetime = Field(description="结束时间,ISO 8601")
    slots: int = Field(ge=1, le=services.MAX_SLOTS, description="名额")
    place: str = Field("", max_length=100, description="集合地点(不填则为活动地点)")
    skills_wanted: str = Field("", max_length=100, description="所需特长")


class ActivityIn(InputSchema):
    multiline_fields = frozenset({"description"})

    title: str = Field(max_length=100, description="活动名称")
    place: str = Field(max_length=100, description="地点")
    description: str = Field("", max_length=2000, description="活动内容")
    shifts: list[ShiftIn] = Field(min_length=1, max_length=services.MAX_SHIFTS, description="班次")


class SignupIn(InputSchema):
    volunteer: uuid.UUID | None = Field(None, description="工作人员代报时填志愿者编号;居民本人报名不填")


class SignupOut(Schema):
    uuid: str
    shift: str = Field(description="班次编号")
    activity: str
    volunteer: str = Field(description="志愿者编号")
    name: str
    status: str
    status_label: str
    channel: str


class EntryOut(Schema):
    when: datetime.datetime
    amount: int = Field(description="变动(正为获得,负为兑换)")
    balance_after: int
    origin: str = Field(description="hours 服务时长,spend 兑换")
    origin_label: str
    memo: str


class VolunteerMeOut(Schema):
    uuid: str | None
    status: str = Field(description="none 未申请,pending 待审核,approved 已通过,rejected 未通过")
    status_label: str
    hours: float
    shifts: int = Field(description="经确认的服务次数")
    points: int = Field(description="积分余额,等于全部流水之和")
    entries: list[EntryOut] = Field(description="最近 100 条积分流水,新的在前")


class ActivityFilters(InputSchema):
    q: str | None = Field(None, max_length=50, description="活动名称或地点")
    when: str | None = Field(None, pattern="^(upcoming|past)$", description="工作人员:upcoming 未开始,past 已开始")


def _volunteer_out(v) -> dict:
    return {
        "uuid": str(v.uuid),
        "name": v.resident.name,
        "skills": v.skills,
        "availability": v.availability,
        "is_party_member": v.is_party_member,
        "is_dual_report": v.is_dual_report,
        "hours": round((v.minutes_total or 0) / 60, 1),
        "points": v.points.balance if hasattr(v, "points") else 0,
    }


def _shift_out(s) -> dict:
    return {
        "uuid": str(s.uuid),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "place": s.place,
        "slots": s.slots,
        "taken": s.taken,
        "free": s.free,
        "skills_wanted": s.skills_wanted,
    }


def _activity_out(a) -> dict:
    return {
        "uuid": str(a.uuid),
        "title": a.title,
        "description": a.description,
        "place": a.place,
        "status": a.status,
        "status_label": a.get_status_display(),
        "organiser": a.organiser.name,
        "starts_at": a.starts_at,
        "shifts": [_shift_out(s) for s in a.shifts.all()],
    }


class VolunteerPage(Page):
    def present(self, items, request):
        return [_volunteer_out(v) for v in items]


class ActivityPage(Page):
    def present(self, items, request):
        return [_activity_out(a) for a in items]


@router.get(
    "/volunteers",
    response=list[VolunteerOut],
    summary="志愿者名单(工作人员,分页)",
    description="本社区审核通过的志愿者:特长、可服务时间、党员与双报到标记、经确认的时长和积分余额。居民调用返回 403。",
)
@paginate(VolunteerPage)
def volunteer_list(request, q: str | None = Query(None, max_length=50, description="姓名或特长")):
    user = request.auth
    if not rules.can_view_office(user):
        raise PermissionDenied("只有社区工作人员可以查看志愿者名单")
    return selectors.volunteers_for(user, scope_for(user), status="approved", q=q)


@router.get(
    "/volunteers/activities",
    response=list[ActivityOut],
    summary="志愿活动(分页)",
    description="居民:本社区报名中、还有班次未开始的活动,近的在前;工作人员:本社区全部活动,新的在前。每个活动带班次与剩余名额。",
)
@paginate(ActivityPage)
def activity_list(request, filters: Query[ActivityFilters]):
    return selectors.activities_for(request.auth, **filters.dict())


@router.post(
    "/volunteers/activities",
    response={201: ActivityOut},
    summary="发布志愿活动(工作人员)",
    description="标题、地点、内容和一个或多个班次(开始、结束、名额 slots、集合地点、所需特长)。返回 201 与活动。",
)
def activity_create(request, payload: ActivityIn):
    user = request.auth
    if not rules.can_manage(user) or user.community_id is None:
        raise PermissionDenied("您没有权限发布志愿活动")
    data = payload.model_dump()
    activity = services.activity_create(actor=user, community=user.community, **data)
    return Status(201, _activity_out(selectors.activity_get(user, activity.uuid)))


def _signup_out(s) -> dict:
    return {
        "uuid": str(s.uuid),
        "shift": str(s.shift.uuid),
        "activity": s.shift.activity.title,
        "volunteer": str(s.volunteer.uuid),
        "name": s.volunteer.resident.name,
        "status": s.status,
        "status_label": s.get_status_display(),
        "channel": s.channel,
    }


@router.post(
    "/volunteers/shifts/{shift_uuid}/signups",
    response={201: SignupOut, 409: ConflictOut},
    summary="报名班次;名额已满或已报名返回 409",
    description='居民本人报名不带 volunteer;工作人员为打电话来的志愿者代报时带 {"volunteer": 编号}。名额按先到先得,'
    "多人同时抢最后的名额时只有名额数那么多人成功。",
)
def signup_create(request, shift_uuid: str, payload: SignupIn | None = None):
    user = request.auth
    shift = selectors.shift_for(user, _uuid(shift_uuid))
    volunteer = None
    if payload is not None and payload.volunteer is not None:
        if not rules.can_manage(user):
            raise PermissionDenied("只有社区工作人员可以为他人报名")
        volunteer = (
            Volunteer.objects.select_related("resident")
            .filter(uuid=payload.volunteer, community_id=shift.community_id)
            .first()
        )
        if volunteer is None:
            raise Http404
    signup = services.signup_create(actor=user, shift=shift, volunteer=volunteer)
    return Status(201, _signup_out(signup))


@router.get(
    "/volunteers/me",
    response=VolunteerMeOut,
    summary="我的志愿服务:时长、积分余额与流水",
    description="本人的志愿者状态、经确认的服务时长与次数、积分余额和最近 100 条积分流水。还没有申请时 status 为 none。",
)
def volunteer_me(request):
    volunteer = selectors.volunteer_of(request.auth)
    if volunteer is None:
        return {
            "uuid": None,
            "status": "none",
            "status_label": "未申请",
            "hours": 0,
            "shifts": 0,
            "points": 0,
            "entries": [],
        }
    summary = selectors.hours_summary(volunteer)
    entries = [
        {
            "when": e.created_at,
            "amount": e.amount,
            "balance_after": e.balance_after,
            "origin": e.transfer.origin,
            "origin_label": e.transfer.get_origin_display(),
            "memo": e.transfer.memo,
        }
        for e in selectors.points_entries(volunteer)[:100]
    ]
    return {
        "uuid": str(volunteer.uuid),
        "status": volunteer.status,
        "status_label": volunteer.get_status_display(),
        "hours": summary["hours"],
        "shifts": summary["shifts"],
        "points": summary["balance"],
        "entries": entries,
    }


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc
