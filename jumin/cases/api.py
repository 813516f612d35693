import datetime
from typing import Any, Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from jumin.core.api_errors import ConflictOut
from jumin.core.api_pagination import Page
from jumin.core.errors import DomainError
from jumin.core.schemas import CleanTextModel, DbId, InputSchema
from jumin.core.uploads import UPLOAD_RULE, serve_upload

from . import selectors as case_selectors
from . import services as case_services
from .kinds import kind_spec
from .models import Case, CaseEvent, CaseRating, Phase, Satisfaction

router = Router(tags=["事项(接诉即办)"])


def _max(model, field: str) -> int:
    """The column's max_length, so the API refuses what the database would (PostgreSQL raises, SQLite keeps it)."""
    return model._meta.get_field(field).max_length


class CaseIn(CleanTextModel):
    """Common fields; each kind reads its own extra fields (a plain pydantic model keeps them, ninja's Schema
    would drop them)."""

    model_config = ConfigDict(extra="allow")
    multiline_fields = frozenset({"text"})

    kind: str = Field(max_length=20, description="事项类型:opinion(社情民意)、errand(行政代办)、dispute(矛盾调解)")
    title: str = Field("", max_length=_max(Case, "title"), description="标题")
    text: str = Field("", max_length=_max(Case, "body"), description="内容")
    resident: str | None = Field(None, description="居民编号(UUID),工作人员代为登记时填写")


class CaseOut(Schema):
    uuid: str
    number: str | None
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    phase: str
    created_at: datetime.datetime
    due_at: datetime.datetime
    overdue: bool
    assignee: str | None
    resident: str | None


class EventOut(Schema):
    created_at: datetime.datetime
    kind: str
    actor: str | None
    from_status: str
    to_status: str
    comment: str


class AttachmentOut(Schema):
    uuid: str
    name: str
    content_type: str
    size: int
    url: str  # GET it with the same token; 404 to anyone outside the case


class CaseDetailOut(CaseOut):
    text: str
    events: list[EventOut]
    attachments: list[AttachmentOut]
    detail: dict[str, Any]
    version: int


class TransitionIn(InputSchema):
    multiline_fields = frozenset({"comment"})

    to: str = Field(max_length=30, description="目标状态代码(各类型不同,见事项详情的 status)")
    comment: str = Field("", max_length=_max(CaseEvent, "comment"), description="说明(答复、退回理由等)")
    expected_status: str | None = Field(
        None, max_length=30, description="客户端看到的当前状态;与服务器不一致时返回 409,防止覆盖别人的操作"
    )


class RatingIn(InputSchema):
    multiline_fields = frozenset({"comment"})

    value: Literal[tuple(Satisfaction.values)] = Field(description="satisfied 满意、basic 基本满意、unsatisfied 不满意")
    comment: str = Field("", max_length=_max(CaseRating, "comment"))


class ReopenIn(InputSchema):
    multiline_fields = frozenset({"reason"})

    reason: str = Field(min_length=1, max_length=500, description="哪里不满意,承办人据此重新办理")


class QueueFilters(InputSchema):
    queue: Literal["all", "mine", "grid", "unassigned", "overdue", "waiting"] = Field(
        "all", description="工作人员队列:全部、我的、我的网格、待分派、已超期、待居民办理(居民忽略此项)"
    )
    kind: str | None = Field(None, max_length=20, description="事项类型")
    status: str | None = Field(None, max_length=30, description="状态代码")
    phase: Literal[tuple(Phase.values)] | None = Field(None, description="阶段(各类型通用)")
    grid: DbId | None = Field(None, description="网格 id")
    q: str | None = Field(None, max_length=50, description="标题、编号或居民姓名")


def case_out(case: Case) -> dict:
    spec = kind_spec(case.kind)
    return {
        "uuid": str(case.uuid),
        "number": case.number,
        "kind": case.kind,
        "kind_label": spec.label,
        "title": case.title,
        "status": case.status,
        "status_label": spec.status_label(case.status),
        "phase": case.phase,
        "created_at": case.created_at,
        "due_at": case.due_at,
        "overdue": case.is_overdue,
        "assignee": case.assignee.name if case.assignee_id else None,
        "resident": case.resident.name if case.resident_id else None,
    }


def case_detail_out(case: Case, user) -> dict:
    is_worker = case_selectors.can_work(user, case)
    spec = kind_spec(case.kind)
    out = case_out(case)
    events = case_selectors.case_timeline(case, for_resident=not user.is_office)
    attachments = case.attachments.all() if user.is_office else case.attachments.filter(public=True)
    detail = spec.load_detail(case) if spec.load_detail else None
    out.update(
        text=case.body,
        version=case.version,
        events=[
            {
                "created_at": e.created_at,
                "kind": e.kind,
                "actor": e.actor.name if e.actor_id else None,
                "from_status": spec.status_label(e.from_status) if e.from_status else "",
                "to_status": spec.status_label(e.to_status) if e.to_status else "",
                "comment": e.comment,
            }
            for e in events
        ],
        attachments=[
            {
                "uuid": str(a.uuid),
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("api:case_attachment_download", args=[case.uuid, a.uuid]),
            }
            for a in attachments
        ],
        detail=case.spec.detail_for_api(detail, viewer=user, is_worker=is_worker),
    )
    return out


class CasePagination(Page):
    def present(self, items, request):
        return [case_out(c) for c in items]


@router.post(
    "/cases",
    response={201: CaseDetailOut},
    summary="提交事项(社情民意、行政代办、矛盾调解…)",
    description="除通用字段外,各类型另读自己的字段:社情民意 category(见 /opinions/categories)、"
    "行政代办 item 等。返回 201 与事项详情。resident(工作人员代居民提交)找不到或不在查看范围内时返回 404。",
    openapi_extra={"responses": {404: {"description": "居民不存在或不在查看范围内"}}},
)
def case_create(request, payload: CaseIn):
    user = request.auth
    data = payload.model_dump()
    try:
        spec = kind_spec(data["kind"])
    except KeyError as exc:
        raise DomainError("未知的事项类型", field="kind") from exc
    if spec.create_from_api is not None:
        case = spec.create_from_api(user, data)
    else:
        resident = _resident(user, data.get("resident"))
        case = case_services.case_open(
            actor=user, kind=spec.code, title=data["title"], body=data["text"], resident=resident
        )
    return Status(201, case_detail_out(case_selectors.case_get(user, case.uuid), user))


@router.get(
    "/cases",
    response=list[CaseOut],
    summary="我的事项(居民)或工作队列(工作人员)",
    description="居民:本人提出的全部事项,新的在前。工作人员:权限范围内的队列,可按队列、类型、状态、阶段、网格筛选。"
    "kind 不是已有的事项类型时返回 400。",
    openapi_extra={"responses": {400: {"description": "未知的事项类型"}}},
)
@paginate(CasePagination)
def case_list(request, filters: Query[QueueFilters]):
    user = request.auth
    if not user.is_office:
        return case_selectors.my_cases(user)
    f = filters.dict()
    if f["kind"]:
        try:
            kind_spec(f["kind"])
        except KeyError as exc:
            raise DomainError("未知的事项类型", field="kind") from exc
    return case_selectors.work_queue(user, f.pop("queue"), **f)


@router.get(
    "/cases/{case_uuid}",
    response=CaseDetailOut,
    summary="事项详情",
    description="含状态历史、附件与各类型的详情。居民看不到内部备注和内部附件。范围外一律 404。",
)
def case_detail(request, case_uuid: str):
    user = request.auth
    return case_detail_out(case_selectors.case_get(user, _uuid(case_uuid)), user)


@router.post(
    "/cases/{case_uuid}/transitions",
    response={200: CaseDetailOut, 409: ConflictOut},
    summary="变更状态;事项已不在预期状态时返回 409",
    description="受理(两人同时受理只有一人成功,另一人得到 409)、答复、办结、转派等。不允许的变更返回 400。",
)
def case_transition(request, case_uuid: str, payload: TransitionIn):
    user = request.auth
    case = case_selectors.case_get(user, _uuid(case_uuid))
    if payload.expected_status and payload.expected_status != case.status:
        return Status(409, {"detail": "该事项状态已变化,请刷新后再操作", "status": case.status})
    spec = case.spec
    if payload.to == spec.taken_status and case.phase == Phase.NEW and case.assignee_id is None:
        case_services.case_take(actor=user, case=case)
    else:
        case_services.case_transition_generic(
            actor=user, case=case, to=payload.to, comment=payload.comment, expected_status=payload.expected_status
        )
    return Status(200, case_detail_out(case_selectors.case_get(user, case.uuid), user))


@router.post(
    "/cases/{case_uuid}/rating",
    response=CaseDetailOut,
    summary="满意度评价(办结后,提出人)",
    description="只有提出人可评价,且须在办结之后,每轮办理评价一次;不满意时通知承办人。",
)
def case_rating(request, case_uuid: str, payload: RatingIn):
    user = request.auth
    case = case_selectors.case_get(user, _uuid(case_uuid))
    case_services.case_rate(actor=user, case=case, value=payload.value, comment=payload.comment)
    return case_detail_out(case_selectors.case_get(user, case.uuid), user)


@router.post(
    "/cases/{case_uuid}/reopen",
    response=CaseDetailOut,
    summary="不满意,要求重新办理(提出人)",
    description="评价为“不满意”之后,提出人可说明原因要求重新办理:事项回到承办中,开始新一轮,办结后可再评价。",
)
def case_reopen(request, case_uuid: str, payload: ReopenIn):
    user = request.auth
    case = case_selectors.case_get(user, _uuid(case_uuid))
    case_services.case_reopen(actor=user, case=case, reason=payload.reason)
    return case_detail_out(case_selectors.case_get(user, case.uuid), user)


@router.post(
    "/cases/{case_uuid}/attachments",
    response={201: CaseDetailOut},
    summary=f"上传附件(照片、扫描件;{UPLOAD_RULE})",
    description="multipart 上传 file。类型或大小不符返回 400。",
)
def case_attachment(request, case_uuid: str, file: File[UploadedFile]):
    user = request.auth
    case = case_selectors.case_get(user, _uuid(case_uuid))
    case_services.case_attach(actor=user, case=case, upload=file)
    return Status(201, case_detail_out(case, user))


@router.get(
    "/cases/{case_uuid}/attachments/{attachment_uuid}",
    url_name="case_attachment_download",
    summary="下载附件",
    description="以同一令牌下载;不在事项范围内或内部附件对居民一律 404。",
    response={200: None},
)
def case_attachment_download(request, case_uuid: str, attachment_uuid: str):
    attachment = case_selectors.attachment_get(request.auth, _uuid(attachment_uuid), case_uuid=_uuid(case_uuid))
    return serve_upload(attachment)


@router.post(
    "/cases/{case_uuid}/reminders",
    response=CaseDetailOut,
    summary="催办(提出人)",
    description="只有提出人可催办,24 小时内一次;已办结或重复催办返回 400。",
)
def case_reminder(request, case_uuid: str):
    user = request.auth
    case = case_selectors.case_get(user, _uuid(case_uuid))
    case_services.case_remind(actor=user, case=case)
    return case_detail_out(case, user)


def _resident(user, resident_uuid):
    if not resident_uuid:
        return None
    from jumin.people.models import Resident

    resident = Resident.objects.filter(uuid=_uuid(resident_uuid)).first()
    if resident is None:
        raise Http404
    return resident


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc
