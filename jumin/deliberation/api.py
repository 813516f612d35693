"""议事厅 API: proposals, supports, ballots, votes and paper votes. Secret ballots never show a choice here except
the caller's own; results are null until the close, for every role."""

import datetime
import uuid as uuidlib
from decimal import Decimal

from django.http import Http404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import model_validator

from jumin.core.api_pagination import Page
from jumin.core.errors import DomainError, NotFound
from jumin.core.schemas import InputSchema
from jumin.people.models import Household, Resident
from jumin.places.models import Compound

from . import rules, selectors, services
from .models import Ballot, BallotStatus, Category, Channel, Electorate, Proposal, Rule, Stage, Upload, Vote

router = Router(tags=["居民议事厅"])


def _uuid(value) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404 from exc


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# ---- proposals -----------------------------------------------------------------------------------------------------


class ProposalIn(InputSchema):
    title: str = Field(max_length=_max(Proposal, "title"), description="标题")
    text: str = Field(max_length=5000, description="内容")
    category: str = Field(
        max_length=20, description="类别:" + "、".join(f"{c}({label})" for c, label in Category.choices)
    )
    compound: str | None = Field(None, max_length=40, description="小区编号(UUID);为空表示全社区")


class ProposalOut(Schema):
    uuid: str
    title: str
    text: str
    category: str
    category_label: str
    stage: str
    stage_label: str
    scope: str
    support_count: int
    supported: bool
    plan: str
    spent_total: Decimal
    created_at: datetime.datetime


def proposal_out(p: Proposal, supported: bool) -> dict:
    return {
        "uuid": str(p.uuid),
        "title": p.title,
        "text": p.text,
        "category": p.category,
        "category_label": p.get_category_display(),
        "stage": p.stage,
        "stage_label": p.get_stage_display(),
        "scope": p.scope_label,
        "support_count": p.support_count,
        "supported": supported,
        "plan": p.plan,
        "spent_total": p.spent_total,
        "created_at": p.created_at,
    }


class BoundedPage(Page):
    """Page numbers past 64 bits would reach the database as an OFFSET it cannot hold: refuse them as a 422."""

    class Input(Page.Input):
        page: int = Field(1, ge=1, le=10**9, description="页码,从 1 开始")


class ProposalPage(BoundedPage):
    def present(self, items, request):
        mine = selectors.supported_ids(request.auth, [p.pk for p in items])
        return [proposal_out(p, p.pk in mine) for p in items]


class SimilarOut(Schema):
    uuid: str
    title: str
    stage_label: str
    support_count: int
    shared_words: list[str]


@router.get(
    "/proposals/similar",
    response=list[SimilarOut],
    summary="相似议题(输入新议题时提示)",
    description="按中文分词(jieba)比对本社区进行中的议题,返回最相近的至多 5 个,便于附议而不是重复提出。",
)
def proposal_similar(request, text: str = Query("", max_length=5000, description="正在输入的标题和内容")):
    community_ids = selectors._community_ids(request.auth)
    if not community_ids:
        return []
    return [
        {
            "uuid": str(s.proposal.uuid),
            "title": s.proposal.title,
            "stage_label": s.proposal.get_stage_display(),
            "support_count": s.proposal.support_count,
            "shared_words": s.shared,
        }
        for s in selectors.similar_proposals(community_ids[0], text)
    ]


@router.get(
    "/proposals",
    response=list[ProposalOut],
    summary="议题列表",
    description="本社区的议题,新的在前;可按阶段 stage 筛选(discussing、coordinating、voting、implementing、done、"
    "rejected、withdrawn)。",
)
@paginate(ProposalPage)
def proposal_list(request, stage: str | None = Query(None, max_length=20, description="阶段")):
    if stage and stage not in Stage.values:
        raise DomainError("阶段无效", field="stage")
    return selectors.proposals_for(request.auth, stage=stage)


@router.post(
    "/proposals",
    response={201: ProposalOut},
    summary="发起议题",
    description="本社区在册居民(或社区书记)发起议题,返回 201,阶段为 discussing(议事)。",
)
def proposal_create(request, payload: ProposalIn):
    user = request.auth
    compound = None
    if payload.compound:
        compound = Compound.objects.filter(uuid=_uuid_or_field(payload.compound, "compound")).first()
        if compound is None:
            raise DomainError("请选择本社区的小区", field="compound")
    proposal = services.proposal_create(
        actor=user, title=payload.title, text=payload.text, category=payload.category, compound=compound
    )
    return Status(201, proposal_out(proposal, False))


def _uuid_or_field(value, field: str) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except (ValueError, TypeError) as exc:
        raise DomainError("编号无效", field=field) from exc


@router.get("/proposals/{proposal_uuid}", response=ProposalOut, summary="议题详情", description="本社区以外一律 404。")
def proposal_detail(request, proposal_uuid: str):
    proposal = selectors.proposal_get(request.auth, _uuid(proposal_uuid))
    return proposal_out(proposal, selectors.has_supported(request.auth, proposal))


class SupportOut(Schema):
    proposal: str
    support_count: int


@router.post(
    "/proposals/{proposal_uuid}/supports",
    response={201: SupportOut},
    summary="附议",
    description="本社区(小区议题为本小区)在册居民附议,返回 201;已附议过返回 409;不在议事阶段返回 409。",
)
def proposal_support(request, proposal_uuid: str):
    proposal = selectors.proposal_get(request.auth, _uuid(proposal_uuid))
    services.proposal_support(actor=request.auth, proposal=proposal)
    proposal.refresh_from_db(fields=["support_count"])
    return Status(201, {"proposal": str(proposal.uuid), "support_count": proposal.support_count})


# ---- ballots -------------------------------------------------------------------------------------------------------


class BallotIn(InputSchema):
    proposal: str | None = Field(None, description="议题编号(UUID),可为空")
    question: str = Field(max_length=_max(Ballot, "question"), description="表决事项")
    options: list[str] = Field(default_factory=list, max_length=20, description="选项;为空时为 同意/不同意/弃权")
    electorate: str = Field("household", max_length=20, description="household(每户一票)或 person(每位成年居民一票)")
    compound: str | None = Field(None, max_length=40, description="小区编号(UUID);为空表示全社区")
    opens_at: datetime.datetime | None = Field(None, description="开始时间,ISO 8601 含时区;为空表示立即开始")
    closes_at: datetime.datetime = Field(description="截止时间,ISO 8601 含时区")
    secret: bool = Field(False, description="无记名投票:任何人(包括工作人员)都看不到谁投了什么")
    rule: str = Field(
        "majority", max_length=30, description="majority、two_thirds、civil_code_278、civil_code_278_major"
    )
    quorum: float = Field(0, ge=0, le=1, description="法定参与比例 0–1(民法典第278条规则另按面积和人数计算)")
    multiple: bool = Field(False, description="可多选(仅适用于多个选项)")


class OptionOut(Schema):
    code: str
    label: str


class MyVoteOut(Schema):
    choices: list[str]
    channel: str
    created_at: datetime.datetime


class ParticipationOut(Schema):
    electorate: int
    voted: int
    by_channel: dict[str, int]


class OptionCountOut(Schema):
    code: str
    label: str
    count: int


class ResultOut(Schema):
    counts: list[OptionCountOut]
    by_channel: dict[str, int]
    cast: int
    electorate: int
    turnout: float
    quorum_met: bool
    passed: bool
    area_cast: Decimal | None = None
    area_yes: Decimal | None = None
    electorate_area: Decimal | None = None


class BallotOut(Schema):
    uuid: str
    question: str
    status: str
    status_label: str
    electorate: str
    rule: str
    quorum: float
    secret: bool
    multiple: bool
    scope: str
    proposal: str | None
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    publicity_ends_at: datetime.datetime | None
    options: list[OptionOut]
    my_vote: MyVoteOut | None
    participation: ParticipationOut | None
    result: ResultOut | None


def _result_out(ballot, result) -> dict | None:
    if result is None:
        return None
    out = {
        "counts": [
            {"code": o.code, "label": o.label, "count": result.counts.get(o.code, 0)} for o in ballot.options.all()
        ],
        "by_channel": result.by_channel,
        "cast": result.cast,
        "electorate": result.electorate,
        "turnout": round(float(result.turnout), 4),
        "quorum_met": result.quorum_met,
        "passed": result.passed,
    }
    if ballot.is_civil_code:
        out.update(area_cast=result.area_cast, area_yes=result.area_yes, electorate_area=result.electorate_area)
    return out


def ballot_out(ballot, *, user, mine=None, participation=None, result=None) -> dict:
    phase = rules.ballot_phase(ballot)
    return {
        "uuid": str(ballot.uuid),
        "question": ballot.question,
        "status": phase,
        "status_label": BallotStatus(phase).label,
        "electorate": ballot.electorate,
        "rule": ballot.rule,
        "quorum": float(ballot.quorum),
        "secret": ballot.secret,
        "multiple": ballot.multiple,
        "scope": ballot.scope_label,
        "proposal": str(ballot.proposal.uuid) if ballot.proposal_id else None,
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "publicity_ends_at": ballot.publicity_ends_at,
        "options": [{"code": o.code, "label": o.label} for o in ballot.options.all()],
        "my_vote": {"choices": mine.choices, "channel": mine.channel, "created_at": mine.created_at} if mine else None,
        "participation": participation,
        "result": _result_out(ballot, result),
    }


class BallotPage(BoundedPage):
    def present(self, items, request):
        user = request.auth
        facts = selectors.ballot_page_facts(user, items)
        return [ballot_out(b, user=user, **facts[b.pk]) for b in items]


def _sync(user):
    services.ballots_sync(community_ids=selectors._community_ids(user))


@router.get(
    "/ballots",
    response=list[BallotOut],
    summary="表决列表",
    description="本社区的表决。result 在截止前一律为 null(工作人员也看不到);participation 只对工作人员显示。",
)
@paginate(BallotPage)
def ballot_list(request, status: str | None = Query(None, max_length=20, description="状态")):
    if status and status not in BallotStatus.values:
        raise DomainError("状态无效", field="status")
    _sync(request.auth)
    return selectors.ballots_for(request.auth, status=status)


@router.post(
    "/ballots",
    response={201: BallotOut},
    summary="发起表决(社区书记)",
    description="开始时间为空或已到时立即开始,并以此刻的在册户(人)确定选民名册。返回 201。",
)
def ballot_create(request, payload: BallotIn):
    user = request.auth
    proposal = selectors.proposal_get(user, _uuid(payload.proposal)) if payload.proposal else None
    compound = None
    if payload.compound:
        compound = Compound.objects.filter(uuid=_uuid_or_field(payload.compound, "compound")).first()
        if compound is None:
            raise DomainError("请选择本社区的小区", field="compound")
    ballot = services.ballot_create(
        actor=user,
        proposal=proposal,
        question=payload.question,
        options=payload.options,
        electorate=payload.electorate,
        compound=compound,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        secret=payload.secret,
        rule=payload.rule,
        quorum=Decimal(str(payload.quorum)),
        multiple=payload.multiple,
    )
    ballot = selectors.ballot_get(user, ballot.uuid)
    return Status(201, _detail(user, ballot))


def _detail(user, ballot) -> dict:
    return ballot_out(ballot, user=user, **selectors.ballot_page_facts(user, [ballot])[ballot.pk])


@router.get(
    "/ballots/{ballot_uuid}",
    response=BallotOut,
    summary="表决详情",
    description="包括我的投票(如有)。本社区以外 404。",
)
def ballot_detail(request, ballot_uuid: str):
    _sync(request.auth)
    ballot = selectors.ballot_get(request.auth, _uuid(ballot_uuid))
    return _detail(request.auth, ballot)


class VoteIn(InputSchema):
    choice: str | None = Field(None, max_length=20, description="选项代码(单选)")
    choices: list[str] | None = Field(None, max_length=20, description="选项代码列表(多选)")

    @model_validator(mode="after")
    def one_of(self):
        if self.choice is None and not self.choices:
            raise ValueError("请选择选项")
        return self

    def picked(self) -> list[str]:
        return list(self.choices) if self.choices else [self.choice]


class VoteOut(Schema):
    ballot: str
    choices: list[str]
    channel: str
    created_at: datetime.datetime


def _vote_out(ballot, vote: Vote, *, show_choice: bool) -> dict:
    return {
        "ballot": str(ballot.uuid),
        "choices": vote.choices if show_choice else [],
        "channel": vote.channel,
        "created_at": vote.created_at,
    }


@router.post(
    "/ballots/{ballot_uuid}/votes",
    response={201: VoteOut},
    summary="投票(居民)",
    description="返回 201。已投过(任何渠道)或不在投票时间内返回 409;本社区以外 404;在本社区但不在选民名册中 403。",
)
def vote_cast(request, ballot_uuid: str, payload: VoteIn):
    ballot = _ballot_for_write(request.auth, ballot_uuid)
    vote = services.vote_cast(actor=request.auth, ballot=ballot, choices=payload.picked())
    return Status(201, _vote_out(ballot, vote, show_choice=True))


def _ballot_for_write(user, ballot_uuid):
    ballot = Ballot.objects.filter(uuid=_uuid(ballot_uuid)).first()
    if ballot is None or not rules.in_community(user, ballot.community_id):
        raise NotFound("没有找到该表决")
    return ballot


class PaperVoteIn(VoteIn):
    household: str = Field(description="户编号(UUID)")
    resident: str | None = Field(None, description="每人一票的表决:投票的居民编号(UUID)")
    scan: str | None = Field(None, description="纸质选票扫描件编号(先 POST /deliberation/uploads 上传)")


@router.post(
    "/ballots/{ballot_uuid}/paper-votes",
    response={201: VoteOut},
    summary="录入纸质选票(工作人员)",
    description="返回 201;该户(人)已通过任何渠道投票时返回 409。无记名表决的返回中不含选择。",
)
def paper_vote(request, ballot_uuid: str, payload: PaperVoteIn):
    user = request.auth
    ballot = _ballot_for_write(user, ballot_uuid)
    household = Household.objects.filter(uuid=_uuid(payload.household), community_id=ballot.community_id).first()
    if household is None:
        raise DomainError("没有找到该户", field="household")
    resident = None
    if payload.resident:
        resident = Resident.objects.filter(uuid=_uuid(payload.resident), household=household).first()
        if resident is None:
            raise DomainError("没有找到该居民", field="resident")
    scan = None
    if payload.scan:
        scan = Upload.objects.filter(uuid=_uuid(payload.scan), community_id=ballot.community_id).first()
        if scan is None:
            raise DomainError("没有找到该扫描件", field="scan")
    vote = services.paper_vote_enter(
        actor=user, ballot=ballot, household=household, choices=payload.picked(), scan=scan, resident=resident
    )
    return Status(201, _vote_out(ballot, vote, show_choice=not ballot.secret))


class UploadOut(Schema):
    uuid: str
    name: str
    content_type: str
    size: int


@router.post(
    "/deliberation/uploads",
    response={201: UploadOut},
    summary="上传选票扫描件、委托书或照片",
    description="JPG、PNG、WEBP 或 PDF,不超过 5 MB;返回的 uuid 填入纸质选票的 scan。",
)
def upload(request, file: File[UploadedFile]):
    user = request.auth
    community_ids = selectors._community_ids(user)
    if not community_ids:
        raise NotFound("没有找到")
    row = services.upload_store(actor=user, community_id=community_ids[0], upload=file)
    return Status(201, {"uuid": str(row.uuid), "name": row.name, "content_type": row.content_type, "size": row.size})


__all__ = ["Channel", "Electorate", "Rule", "router"]
