"""Back-office pages: the proposal desk, ballots (participation, paper ballots, proxies, objections, the
door-to-door list) and charters. Every page fetches its object through a selector first (404 outside scope)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people.models import Resident, ResidentStatus
from jumin.places.models import Compound

from .. import rules, selectors, services
from ..forms import (
    BallotForm,
    CharterForm,
    CharterVoteForm,
    CommentForm,
    CompleteForm,
    MeetingForm,
    MergeForm,
    NoteForm,
    ObjectionDecisionForm,
    PaperVoteForm,
    PlanForm,
    ProgressForm,
    ReasonForm,
    SettingsForm,
    StaffProxyForm,
)
from ..models import BallotStatus, Category, Channel, Charter, CharterStatus, Stage
from .common import local, parse_uuid, run_action, try_service

VIEW = "deliberation.view"


def _filters(request) -> dict:
    stage = request.GET.get("stage", "")
    category = request.GET.get("category", "")
    return {
        "stage": stage if stage in Stage.values else None,
        "category": category if category in Category.values else None,
        "q": request.GET.get("q", "").strip()[:50] or None,
    }


@office_required
@require(VIEW)
def proposal_list(request):
    filters = _filters(request)
    page = paginate(request, selectors.proposals_for(request.user, **filters))
    context = {
        "page": page,
        "filters": filters,
        "stages": Stage.choices,
        "categories": Category.choices,
        "many_communities": len(request_scope(request).community_ids) > 1,
    }
    template = (
        "deliberation/partials/office_proposal_rows.html" if request.htmx else "deliberation/office_proposals.html"
    )
    return render(request, template, context)


@office_required
@require(VIEW)
def proposal_export(request):
    rows = (
        (
            p.title,
            p.community.name,
            p.scope_label,
            p.get_category_display(),
            p.get_stage_display(),
            p.support_count,
            float(p.spent_total),
            local(p.created_at),
            local(p.stage_changed_at),
        )
        for p in selectors.proposals_for(request.user, **_filters(request)).iterator(chunk_size=1000)
    )
    header = ["标题", "社区", "范围", "类别", "阶段", "附议人数", "已支出(元)", "发起时间", "阶段变更时间"]
    return xlsx_response(workbook("议题台账", header, rows), "议题台账")


def _proposal_back(proposal):
    return reverse("deliberation:office-proposal", kwargs={"proposal_uuid": proposal.uuid})


@office_required
@require(VIEW)
def proposal_detail(request, proposal_uuid):
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    user = request.user
    actions = {
        "coordinate": rules.proposal_can_coordinate(user, proposal),
        "meeting": rules.proposal_can_record_meeting(user, proposal),
        "plan": rules.proposal_can_record_meeting(user, proposal),
        "vote": rules.proposal_can_put_to_vote(user, proposal),
        "progress": rules.proposal_can_report_progress(user, proposal),
        "reject": rules.proposal_can_reject(user, proposal),
        "merge": rules.proposal_can_merge(user, proposal),
        "comment": rules.proposal_can_comment(user, proposal),
    }
    similar = (
        selectors.similar_proposals(proposal.community_id, f"{proposal.title} {proposal.text}", exclude_id=proposal.pk)
        if actions["merge"]
        else []
    )
    compounds = Compound.objects.filter(community_id=proposal.community_id)
    context = {
        "proposal": proposal,
        "actions": actions,
        "similar": similar,
        "meeting_form": MeetingForm(),
        "plan_form": PlanForm(initial={"plan": proposal.plan}),
        "ballot_form": BallotForm(
            compounds=compounds, initial={"question": f"是否同意:{proposal.title}", "compound": proposal.compound_id}
        ),
        "progress_form": ProgressForm(),
        "complete_form": CompleteForm(),
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "comment_form": CommentForm(),
        **selectors.proposal_page_data(proposal),
    }
    return render(request, "deliberation/office_proposal.html", context)


def proposal_step(form_class, done: str, call):
    @office_required
    @require_POST
    def view(request, proposal_uuid):
        proposal = selectors.proposal_get(request.user, proposal_uuid)
        form = form_class(request.POST, request.FILES) if form_class else None
        return run_action(request, lambda d: call(request, proposal, d), done, form=form, back=_proposal_back(proposal))

    return view


proposal_coordinate = proposal_step(
    NoteForm,
    "已转入协调阶段,提出人和附议居民已收到通知",
    lambda r, p, d: services.proposal_start_coordination(actor=r.user, proposal=p, note=d["note"]),
)
proposal_meeting = proposal_step(
    MeetingForm, "协调会已记录", lambda r, p, d: services.meeting_record(actor=r.user, proposal=p, **d)
)
proposal_plan = proposal_step(
    PlanForm,
    "表决方案已保存,提出人和附议居民已收到通知",
    lambda r, p, d: services.proposal_set_plan(actor=r.user, proposal=p, plan=d["plan"]),
)
proposal_complete = proposal_step(
    CompleteForm,
    "议题已完成,完成报告已公开",
    lambda r, p, d: services.proposal_complete(actor=r.user, proposal=p, final_report=d["final_report"]),
)
proposal_reject = proposal_step(
    ReasonForm, "议题已结束(未通过)", lambda r, p, d: services.proposal_reject(actor=r.user, proposal=p, note=d["note"])
)


def _progress(request, proposal, data):
    photo = None
    if data.get("photo"):
        photo = services.upload_store(actor=request.user, community_id=proposal.community_id, upload=data["photo"])
    return services.proposal_report_progress(
        actor=request.user, proposal=proposal, text=data["text"], amount=data.get("amount") or 0, photo=photo
    )


proposal_progress = proposal_step(ProgressForm, "实施进展已发布,附议和投票的居民已收到通知", _progress)


@office_required
@require_POST
def proposal_merge(request, proposal_uuid):
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    form = MergeForm(request.POST)

    def merge(data):
        target = selectors.proposal_get(request.user, data["target"])
        return services.proposal_merge(actor=request.user, duplicate=proposal, target=target)

    return run_action(
        request, merge, "已合并,附议人数已并入目标议题(同一人只计一次)", form=form, back=_proposal_back(proposal)
    )


def _ballot_from_form(request, form, *, proposal=None, compounds):
    data = form.cleaned_data
    return try_service(
        form,
        lambda: services.ballot_create(
            actor=request.user,
            proposal=proposal,
            question=data["question"],
            options=form.option_list(),
            electorate=data["electorate"],
            compound=data.get("compound"),
            opens_at=data.get("opens_at"),
            closes_at=data["closes_at"],
            secret=data["secret"],
            rule=data["rule"],
            quorum=data["quorum"],
            multiple=data["multiple"],
        ),
    )


@office_required
@require(VIEW)
def ballot_new(request):
    if not rules.may_manage(request.user, request.user.community_id):
        raise PermissionDenied("只有社区书记可以发起表决")
    compounds = Compound.objects.filter(community_id=request.user.community_id)
    proposal = None
    if request.GET.get("proposal") or request.POST.get("proposal"):
        proposal = selectors.proposal_get(
            request.user, parse_uuid(request.GET.get("proposal") or request.POST.get("proposal"))
        )
    form = BallotForm(
        request.POST or None,
        compounds=compounds,
        initial={"question": f"是否同意:{proposal.title}" if proposal else ""},
    )
    if request.method == "POST" and form.is_valid():
        ballot = _ballot_from_form(request, form, proposal=proposal, compounds=compounds)
        if ballot is not None:
            messages.success(
                request,
                f"表决已发起,选民名册 {ballot.electorate_size} {'套房屋' if ballot.is_civil_code else '个'}"
                if ballot.status == "open"
                else "表决已发起,到开始时间自动开放投票",
            )
            return redirect("deliberation:office-ballot", ballot_uuid=ballot.uuid)
    return render(request, "deliberation/office_ballot_new.html", {"form": form, "proposal": proposal})


@office_required
@require(VIEW)
def ballot_list(request):
    services.ballots_sync(community_ids=request_scope(request).community_ids)
    status = request.GET.get("status", "")
    status = status if status in BallotStatus.values else None
    page = paginate(request, selectors.ballots_for(request.user, status=status))
    rows = [{"ballot": b, "phase_label": BallotStatus(rules.ballot_phase(b)).label} for b in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": BallotStatus.choices,
        "may_create": rules.may_manage(request.user, request.user.community_id),
    }
    template = "deliberation/partials/office_ballot_rows.html" if request.htmx else "deliberation/office_ballots.html"
    return render(request, template, context)


@office_required
@require(VIEW)
def ballot_export(request):
    status = request.GET.get("status", "")
    status = status if status in BallotStatus.values else None
    ballots = list(selectors.ballots_for(request.user, status=status))
    header = ["表决事项", "范围", "投票权", "规则", "无记名", "开始", "截止", "状态", "选民数", "已投", "结果"]
    facts = selectors.ballot_page_facts(None, ballots)
    rows = []
    for b in ballots:
        result = facts[b.pk]["result"]
        rows.append(
            [
                b.question,
                b.scope_label,
                b.get_electorate_display(),
                b.get_rule_display(),
                "是" if b.secret else "否",
                local(b.opens_at),
                local(b.closes_at),
                BallotStatus(rules.ballot_phase(b)).label,
                b.electorate_size,
                b.voted,
                ("通过" if result.passed else "未通过") if result else "截止后公布",
            ]
        )
    return xlsx_response(workbook("表决台账", header, rows), "表决台账")


def _ballot_back(ballot, name="deliberation:office-ballot"):
    return reverse(name, kwargs={"ballot_uuid": ballot.uuid})


@office_required
@require(VIEW)
def ballot_detail(request, ballot_uuid):
    services.ballots_sync(community_ids=request_scope(request).community_ids)
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    now = timezone.now()
    result = selectors.ballot_result(ballot, now)
    may_count = rules.may_count(request.user, ballot.community_id)
    objections = list(selectors.objections_for(ballot))
    context = {
        "ballot": ballot,
        "phase_label": BallotStatus(rules.ballot_phase(ballot, now)).label,
        "participation": selectors.participation(ballot),
        "buildings": selectors.building_counts(ballot),
        "result": result,
        "shown": selectors.result_view(ballot, result),
        "proxies": list(selectors.proxies_for(ballot)) if may_count else [],
        "may_verify": may_count and rules.ballot_is_open(ballot, now),
        "objections": [{"o": o, "may_decide": rules.objection_can_decide(request.user, o)} for o in objections],
        "decision_form": ObjectionDecisionForm(),
        "may_count": may_count,
        "proxy_form": StaffProxyForm(),
    }
    return render(request, "deliberation/office_ballot.html", context)


@office_required
@require(VIEW)
def ballot_roll(request, ballot_uuid):
    """核对名单 per building: who has voted (by which channel) and who has not, for door-to-door follow-up; a
    paper ballot is entered from the row. Printable."""
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    building_id = request.GET.get("building", "")
    building_id = int(building_id) if building_id.isdigit() and len(building_id) < 12 else None
    missing = request.GET.get("missing") == "1"
    rows = selectors.electors_for(ballot, building_id=building_id, voted=False if missing else None)
    page = paginate(request, rows, per_page=100)
    channels = selectors.vote_channels(page.object_list)
    may_enter = rules.may_count(request.user, ballot.community_id) and rules.ballot_is_open(ballot)
    options = list(ballot.options.all())
    electors = [
        {
            "e": e,
            "channel": Channel(channels[e.pk]).label if e.pk in channels else "",
            "form": PaperVoteForm(
                options=options,
                multiple=ballot.multiple,
                prefix=f"e{e.pk}",
            )
            if may_enter and e.pk not in channels
            else None,
        }
        for e in page.object_list
    ]
    context = {
        "ballot": ballot,
        "page": page,
        "electors": electors,
        "buildings": selectors.building_counts(ballot),
        "building_id": building_id,
        "missing": missing,
    }
    return render(request, "deliberation/office_roll.html", context)


@office_required
@require(VIEW)
def ballot_roll_export(request, ballot_uuid):
    """The roll as a ledger: who voted and how. The choice only for an open (记名) ballot after the close."""
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    building_id = request.GET.get("building", "")
    building_id = int(building_id) if building_id.isdigit() and len(building_id) < 12 else None
    missing = request.GET.get("missing") == "1"
    electors = list(selectors.electors_for(ballot, building_id=building_id, voted=False if missing else None))
    votes = {v.elector_id: v for v in ballot.votes.all()}
    reveal = rules.ballot_reveals_choices(ballot)
    labels = {o.code: o.label for o in ballot.options.all()}
    header = [
        "小区楼栋",
        "门牌",
        "产权人" if ballot.is_civil_code else "户主",
        "投票人" if ballot.electorate == "person" else "",
        "是否已投",
        "渠道",
    ]
    if reveal:
        header.append("选择")
    rows = []
    for e in electors:
        vote = votes.get(e.pk)
        row = [
            f"{e.building.compound.name}{e.building.name}",
            e.dwelling.address,
            "、".join(e.owner_names) if e.is_dwelling else e.household.head_name,
            e.resident.name if e.resident_id else "",
            "已投" if vote else "未投",
            vote.get_channel_display() if vote else "",
        ]
        if reveal:
            row.append("、".join(labels.get(c, c) for c in vote.choices) if vote else "")
        rows.append(row)
    return xlsx_response(workbook("投票核对名单", header, rows), "投票核对名单")


@office_required
@require_POST
def paper_vote(request, ballot_uuid, elector_id):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    elector = ballot.electors.filter(pk=elector_id).select_related("dwelling", "resident").first()
    back = request.POST.get("back") or _ballot_back(ballot, "deliberation:office-roll")
    if not back.startswith("/office/"):
        back = _ballot_back(ballot, "deliberation:office-roll")
    if elector is None:
        raise Http404
    form = PaperVoteForm(
        request.POST,
        request.FILES,
        options=list(ballot.options.all()),
        multiple=ballot.multiple,
        prefix=f"e{elector.pk}",
    )

    def enter(data):
        scan = None
        if data.get("scan"):
            scan = services.upload_store(actor=request.user, community_id=ballot.community_id, upload=data["scan"])
        return services.paper_vote_enter(
            actor=request.user, ballot=ballot, elector=elector, choices=data["choices"], scan=scan
        )

    return run_action(request, enter, f"已录入 {elector.dwelling.address} 的纸质选票", form=form, back=back)


@office_required
@require_POST
def proxy_verify(request, ballot_uuid, proxy_id):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    proxy = selectors.proxy_get(request.user, proxy_id)
    if proxy.ballot_id != ballot.pk:
        raise Http404
    approve = request.POST.get("approve") == "1"
    return run_action(
        request,
        lambda _: services.proxy_verify(actor=request.user, proxy=proxy, approve=approve),
        "委托已核实" if approve else "委托已驳回,已通知委托人",
        back=_ballot_back(ballot),
    )


@office_required
@require_POST
def objection_decide(request, ballot_uuid, objection_id):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    objection = selectors.objection_get(request.user, objection_id)
    return run_action(
        request,
        lambda d: services.objection_decide(
            actor=request.user, objection=objection, upheld=d["upheld"], reply=d["reply"]
        ),
        "异议已处理,已答复提出人",
        form=ObjectionDecisionForm(request.POST),
        back=_ballot_back(ballot),
    )


# ---- charters -------------------------------------------------------------------------------------------------------


@office_required
@require(VIEW)
def charter_list(request):
    community_ids = request_scope(request).community_ids
    compounds = Compound.objects.filter(community_id__in=community_ids).select_related("community").order_by("name")
    charters = {c.compound_id: c for c in selectors.charters_for(community_ids)}
    rows = [{"compound": c, "charter": charters.get(c.pk)} for c in compounds]
    return render(request, "deliberation/office_charters.html", {"rows": rows})


@office_required
@require(VIEW)
def charter_compound(request, compound_uuid):
    community_ids = request_scope(request).community_ids
    compound = Compound.objects.filter(uuid=compound_uuid, community_id__in=community_ids).first()
    if compound is None:
        raise Http404("没有找到该小区")
    charter = Charter.objects.filter(compound=compound).first()
    versions = list(selectors.charter_versions(charter, public=False)) if charter else []
    draft = next((v for v in versions if v.status == CharterStatus.DRAFT), None)
    adopted = next((v for v in versions if v.status == CharterStatus.ADOPTED), None)
    manage = rules.may_manage(request.user, compound.community_id)
    latest = versions[0] if versions else None
    form = CharterForm(request.POST or None, initial={"text": latest.text, "powers": latest.powers} if latest else None)
    if request.method == "POST" and manage and form.is_valid():
        version = try_service(
            form, lambda: services.charter_draft(actor=request.user, compound=compound, **form.cleaned_data)
        )
        if version is not None:
            messages.success(request, f"第{version.number}版草案已保存,可以付诸表决")
            return redirect("deliberation:office-charter", compound_uuid=compound.uuid)
    diffs = []
    for i, v in enumerate(versions):
        older = versions[i + 1] if i + 1 < len(versions) else None
        diffs.append({"v": v, "diff": selectors.version_diff(older, v)})
    context = {
        "compound": compound,
        "charter": charter,
        "versions": diffs,
        "draft": draft,
        "adopted": adopted,
        "may_draft": manage and draft is None and not any(v.status == CharterStatus.VOTING for v in versions),
        "may_vote": manage and draft is not None,
        "form": form,
        "vote_form": CharterVoteForm(initial={"closes_at": timezone.localtime() + datetime.timedelta(days=7)}),
    }
    return render(request, "deliberation/office_charter.html", context)


@office_required
@require_POST
def charter_vote(request, compound_uuid, version_id):
    community_ids = request_scope(request).community_ids
    compound = Compound.objects.filter(uuid=compound_uuid, community_id__in=community_ids).first()
    charter = Charter.objects.filter(compound=compound).first() if compound else None
    version = charter.versions.filter(pk=version_id).first() if charter else None
    if version is None:
        raise Http404
    return run_action(
        request,
        lambda d: services.charter_put_to_vote(
            actor=request.user, version=version, closes_at=d["closes_at"], rule=d["rule"], quorum=d["quorum"]
        ),
        "公约草案已付诸表决,本小区各户可以投票",
        form=CharterVoteForm(request.POST),
        back=reverse("deliberation:office-charter", kwargs={"compound_uuid": compound.uuid}),
    )


@office_required
@require_POST
def proxy_register(request, ballot_uuid):
    """登记委托 for an elderly voter who brought the signed letter to the office (verified on the same page)."""
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    form = StaffProxyForm(request.POST, request.FILES)

    def register(data):
        found = {
            r.phone: r
            for r in Resident.objects.filter(
                community_id=ballot.community_id,
                phone__in=[data["grantor_phone"], data["holder_phone"]],
                status=ResidentStatus.ACTIVE,
            )
        }
        grantor, holder = found.get(data["grantor_phone"]), found.get(data["holder_phone"])
        if grantor is None or holder is None:
            raise DomainError(
                "没有找到这个手机号的本社区在册居民", field="grantor_phone" if grantor is None else "holder_phone"
            )
        letter = services.upload_store(actor=request.user, community_id=ballot.community_id, upload=data["letter"])
        return services.proxy_grant(actor=request.user, ballot=ballot, grantor=grantor, holder=holder, letter=letter)

    return run_action(request, register, "委托已登记,请核实委托书后点“核实通过”", form=form, back=_ballot_back(ballot))


# ---- settings -------------------------------------------------------------------------------------------------------


@office_required
@require(VIEW)
def settings_page(request):
    """议事设置 of one community: every office role reads them, the secretary changes them (audited). A street
    leader looking at all communities picks one first."""
    community_ids = request_scope(request).community_ids
    community_id = community_ids[0] if len(community_ids) == 1 else None
    may_edit = community_id is not None and rules.may_manage(request.user, community_id)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("只有社区书记可以修改议事设置")
    current = services.settings_for(community_id) if community_id else None
    initial = (
        {name: getattr(current, name) for name in ("support_threshold", "publicity_days", "max_proxies")}
        if current
        else {}
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, community_id=community_id, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "议事设置已保存,从现在起生效")
            return redirect("deliberation:office-settings")
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "deliberation/office_settings.html",
        {"form": form, "current": current, "may_edit": may_edit, "community_id": community_id},
    )
