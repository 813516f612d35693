import datetime
import uuid
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.api_errors import ConflictOut
from jumin.core.api_pagination import MAX_PAGE_SIZE
from jumin.core.api_pagination import Page as CorePage
from jumin.core.schemas import InputSchema
from jumin.people.idcard import mask_phone

from . import selectors, services
from .models import Category, MemberStanding, OrgLevel

router = Router(tags=["党建引领"])
# A page number beyond any list still has to fit the database's OFFSET (64 bits): refuse it with 422 instead.
MAX_PAGE = 10**6


class Page(CorePage):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码,从 1 开始")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数,1–100,默认 20")


class CategoryOut(Schema):
    code: str
    label: str


@router.get(
    "/opinions/categories",
    response=list[CategoryOut],
    summary="社情民意类别",
    description="提交社情民意(POST /cases,kind=opinion)时 category 可选的值。",
)
def opinion_categories(request):
    return [{"code": code, "label": label} for code, label in Category.choices]


# ---- the organisation --------------------------------------------------------------------------------------------


class CountsOut(Schema):
    members: int = Field(description="党员人数(含下级组织)")
    probationary: int = Field(description="其中预备党员")
    elderly: int = Field(description="其中 60 岁以上")
    dual_report: int = Field(description="其中双报到")
    tasks_done: int = Field(description="双报到服务任务完成次数(在册党员)")
    task_hours: str = Field(description='双报到服务时长合计(小时),如 "12.5"', pattern=r"^\d+\.\d$")


class OrgOut(Schema):
    uuid: uuid.UUID
    level: str = Field(
        description="street_committee / community_committee / station_branch / grid_branch / building_group"
    )
    level_label: str
    name: str
    parent: uuid.UUID | None = Field(description="上级组织的 uuid;最高一级为 null")
    secretary: str
    members: int = Field(description="党员人数,含全部下级组织")
    counts: CountsOut = Field(description="逐项汇总(含下级组织)")
    own_members: int = Field(description="直属本组织的党员人数")


def _org_out(node, parents: dict) -> dict:
    org = node.org
    return {
        "uuid": org.uuid,
        "level": org.level,
        "level_label": org.get_level_display(),
        "name": org.name,
        "parent": parents.get(org.parent_id),
        "secretary": node.secretary,
        "members": node.total["members"],
        "counts": {**node.total, "task_hours": f"{Decimal(node.total['task_hours']):.1f}"},
        "own_members": node.own["members"],
    }


def _nodes(user):
    nodes = selectors.flatten(selectors.org_tree(user))
    parents = {n.org.pk: n.org.uuid for n in nodes}
    if any(n.org.parent_id and n.org.parent_id not in parents for n in nodes):
        # A parent outside what the caller sees (the street committee, for a community) still names its uuid.
        from .models import PartyOrg

        missing = {n.org.parent_id for n in nodes if n.org.parent_id and n.org.parent_id not in parents}
        parents.update(dict(PartyOrg.objects.filter(pk__in=missing).values_list("pk", "uuid")))
    return nodes, parents


class OrgPage(Page):
    def present(self, items, request):
        return items


@router.get(
    "/party/orgs",
    response=list[OrgOut],
    summary="党组织树",
    description="您能看到的党组织,按树的先序排列(父在子前);每个节点给出 level、parent 与含下级的人数汇总。"
    "可按 level 筛选。社区书记看本社区,街道领导看全街道,网格员看本网格,党支部书记看本支部及以下。",
)
@paginate(OrgPage, page_size=100)
def org_list(request, level: str = ""):
    nodes, parents = _nodes(request.auth)
    if level in OrgLevel.values:
        nodes = [n for n in nodes if n.org.level == level]
    return [_org_out(n, parents) for n in nodes]


class SeatOut(Schema):
    role: str
    role_label: str
    name: str
    partner_unit: str | None


class OrgDetailOut(OrgOut):
    children: list[OrgOut]
    committee: list[SeatOut]


@router.get(
    "/party/orgs/{org_uuid}",
    response=OrgDetailOut,
    summary="党组织详情",
    description="一个党组织:人数汇总、下级组织、委员会(含来自共建单位的兼职委员)。看不到的组织一律 404。",
)
def org_detail(request, org_uuid: str):
    user = request.auth
    org = selectors.org_get(user, _uuid(org_uuid))
    nodes, parents = _nodes(user)
    node = next(n for n in nodes if n.org.pk == org.pk)
    seats = [
        {
            "role": s.role,
            "role_label": s.get_role_display(),
            "name": s.name,
            "partner_unit": s.partner_unit.name if s.partner_unit_id else None,
        }
        for s in selectors.org_committee(org)
    ]
    return {**_org_out(node, parents), "children": [_org_out(c, parents) for c in node.children], "committee": seats}


class PartyMemberOut(Schema):
    uuid: uuid.UUID
    name: str
    org: uuid.UUID
    org_name: str
    standing: str
    standing_label: str
    probation_ends: datetime.date | None
    joined_on: datetime.date
    dual_report: bool
    workplace: str
    age: int
    phone: str = Field(description="手机号(脱敏)")


class MemberPage(Page):
    def present(self, items, request):
        today = timezone.localdate()
        return [
            {
                "uuid": m.uuid,
                "name": m.resident.name,
                "org": m.org.uuid,
                "org_name": m.org.name,
                "standing": m.standing,
                "standing_label": m.get_standing_display(),
                "probation_ends": m.probation_ends,
                "joined_on": m.joined_on,
                "dual_report": m.dual_report,
                "workplace": m.workplace,
                "age": m.resident.age(today),
                "phone": mask_phone(m.resident.phone),
            }
            for m in items
        ]


@router.get(
    "/party/members",
    response=list[PartyMemberOut],
    summary="党员名册",
    description="您能看到的党组织的在册党员,按组织排列,分页。org(组织 uuid,含其下级)、standing(full 正式 / "
    "probationary 预备)、q(姓名或拼音)筛选。手机号脱敏。",
)
@paginate(MemberPage)
def member_list(request, org: str = "", standing: str = "", q: str = ""):
    user = request.auth
    org_row = selectors.org_get(user, _uuid(org)) if org else None
    return selectors.members_for(
        user, org=org_row, standing=standing if standing in MemberStanding.values else None, q=q[:50]
    )


# ---- reception days ----------------------------------------------------------------------------------------------


class ReceptionSlotOut(Schema):
    uuid: uuid.UUID
    # Clock times as 09:30: OpenAPI's "time" format wants a UTC offset, which a reception slot has not.
    starts_at: str = Field(description="开始时间,如 09:00")
    ends_at: str = Field(description="结束时间,如 09:30")

    @staticmethod
    def resolve_starts_at(obj):
        value = obj["starts_at"] if isinstance(obj, dict) else obj.starts_at
        return value.strftime("%H:%M")

    @staticmethod
    def resolve_ends_at(obj):
        value = obj["ends_at"] if isinstance(obj, dict) else obj.ends_at
        return value.strftime("%H:%M")

    capacity: int
    left: int


class DayOut(Schema):
    uuid: uuid.UUID
    date: datetime.date
    representative: str
    place: str
    topic: str
    slots: list[ReceptionSlotOut]
    signups: int
    opinions: int


class DayPage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": d.uuid,
                "date": d.date,
                "representative": d.representative.name,
                "place": d.place,
                "topic": d.topic,
                "slots": list(d.slots.all()),
                "signups": d.signup_count,
                "opinions": d.opinion_count,
            }
            for d in items
        ]


@router.get(
    "/party/reception-days",
    response=list[DayOut],
    summary="党代表接待日",
    description="本社区的接待日及各时段剩余名额,分页。when=upcoming(默认,今天及以后)/ past / all。",
)
@paginate(DayPage)
def day_list(request, when: str = "upcoming"):
    upcoming = {"upcoming": True, "past": False}.get(when)
    return selectors.days_for(request.auth, upcoming=upcoming)


class ReceptionSignupIn(InputSchema):
    slot: uuid.UUID = Field(description="时段 uuid")
    topic: str = Field("", max_length=200, description="想反映的事(可不填)")
    resident: uuid.UUID | None = Field(None, description="工作人员代居民预约时填居民 uuid")


class ReceptionSignupOut(Schema):
    uuid: uuid.UUID
    day: uuid.UUID
    slot: uuid.UUID
    starts_at: str = Field(description="开始时间,如 09:00")
    ends_at: str = Field(description="结束时间,如 09:30")
    resident: str
    topic: str


@router.post(
    "/party/reception-days/{day_uuid}/signups",
    response={201: ReceptionSignupOut, 409: ConflictOut},
    summary="预约接待时段(约满时 409)",
    description="居民为自己预约一个时段;每人每个接待日一次。时段已约满或已预约过返回 409。",
)
def signup_create(request, day_uuid: str, payload: ReceptionSignupIn):
    user = request.auth
    day = selectors.day_get(user, _uuid(day_uuid))
    slot = next((s for s in day.slots.all() if s.uuid == payload.slot), None)
    if slot is None:
        raise Http404("没有找到该时段")
    resident = None
    if payload.resident is not None and user.is_office:
        from jumin.core.access import scope_for
        from jumin.people.selectors import resident_get

        resident = resident_get(scope_for(user), payload.resident)
    signup = services.signup_create(actor=user, slot=slot, resident=resident, topic=payload.topic)
    return Status(
        201,
        {
            "uuid": signup.uuid,
            "day": day.uuid,
            "slot": slot.uuid,
            "starts_at": slot.starts_at.strftime("%H:%M"),
            "ends_at": slot.ends_at.strftime("%H:%M"),
            "resident": signup.resident.name,
            "topic": signup.topic,
        },
    )


# ---- 双报到 service tasks ----------------------------------------------------------------------------------------


class ServiceTaskOut(Schema):
    uuid: uuid.UUID
    org: uuid.UUID = Field(description="发布组织的 uuid")
    org_name: str
    title: str
    detail: str
    date: datetime.date
    place: str
    capacity: int
    left: int = Field(description="剩余名额")


def _task_out(t) -> dict:
    return {
        "uuid": t.uuid,
        "org": t.org.uuid,
        "org_name": t.org.name,
        "title": t.title,
        "detail": t.detail,
        "date": t.date,
        "place": t.place,
        "capacity": t.capacity,
        "left": t.left,
    }


class TaskPage(Page):
    def present(self, items, request):
        return [_task_out(t) for t in items]


@router.get(
    "/party/tasks",
    response=list[ServiceTaskOut],
    summary="双报到服务任务",
    description="工作人员看所辖党组织发布的任务;双报到党员看本组织及上级组织发布的任务和自己领办的任务。分页。"
    "when=upcoming(今天及以后)/ past / all(默认)。",
)
@paginate(TaskPage)
def task_list(request, when: str = "all"):
    tasks = selectors.tasks_visible(request.auth)
    today = timezone.localdate()
    if when == "upcoming":
        tasks = tasks.filter(date__gte=today)
    elif when == "past":
        tasks = tasks.filter(date__lt=today)
    return tasks


class TaskClaimIn(InputSchema):
    member: uuid.UUID | None = Field(None, description="书记分派时填党员 uuid;党员本人认领时不填")


class TaskClaimOut(Schema):
    uuid: uuid.UUID
    task: uuid.UUID
    member: str
    source: str = Field(description="signed_up 本人认领 / assigned 组织分派")
    status: str
    left: int = Field(description="任务剩余名额")


@router.post(
    "/party/tasks/{task_uuid}/claims",
    response={201: TaskClaimOut, 409: ConflictOut},
    summary="认领或分派双报到服务任务(满员时 409)",
    description="双报到党员本人认领;社区书记填 member 分派给本组织及下级的双报到党员。名额已满或已领办返回 409。",
)
def task_claim(request, task_uuid: str, payload: TaskClaimIn):
    user = request.auth
    task = selectors.task_get(user, _uuid(task_uuid))
    if payload.member is None:
        member = selectors.my_membership(user)
        if member is None:
            raise Http404("您不是党员,不能认领")
    else:
        member = selectors.members_for(user).filter(uuid=payload.member).first()
        if member is None:
            raise Http404("没有找到该党员")
    claim = services.task_claim(actor=user, task=task, member=member)
    return Status(
        201,
        {
            "uuid": claim.uuid,
            "task": task.uuid,
            "member": member.resident.name,
            "source": claim.source,
            "status": claim.status,
            "left": task.left,
        },
    )


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc
