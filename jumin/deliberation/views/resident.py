"""Resident pages (phone first): read, propose, support, comment, vote, authorise a proxy, object."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.pagination import paginate
from jumin.core.uploads import serve_upload
from jumin.people.models import Resident, ResidentStatus
from jumin.places.models import Compound

from .. import rules, selectors, services
from ..forms import CommentForm, DelegateForm, ObjectionForm, ProposalForm, ProxyForm, VoteForm
from ..models import (
    OPEN_STAGES,
    BallotStatus,
    HouseholdDelegate,
    ProgressUpdate,
    Proposal,
    Proxy,
    Stage,
    Upload,
)
from .common import parse_uuid, run_action, try_service

TABS = [("open", "进行中"), ("done", "已完成"), ("all", "全部")]


def _resident_or_none(request):
    return rules.acting_resident(request.user)


@login_required
def proposal_list(request):
    if request.user.is_office:
        return redirect("deliberation:office-proposals")
    tab = request.GET.get("tab") if request.GET.get("tab") in dict(TABS) else "open"
    rows = selectors.proposals_for(request.user)
    if tab == "open":
        rows = rows.filter(stage__in=OPEN_STAGES)
    elif tab == "done":
        rows = rows.filter(stage__in=(Stage.DONE, Stage.REJECTED))
    page = paginate(request, rows)
    mine = selectors.supported_ids(request.user, [p.pk for p in page.object_list])
    for p in page.object_list:
        p.i_supported = p.pk in mine
    return render(
        request,
        "deliberation/proposals.html",
        {"page": page, "tabs": TABS, "tab": tab, "bound": _resident_or_none(request) is not None},
    )


def _compounds_for(resident):
    return Compound.objects.filter(pk=resident.household.compound_id)


@login_required
def proposal_new(request):
    resident = _resident_or_none(request)
    if resident is None:
        return render(request, "deliberation/proposal_new.html", {"bound": False})
    form = ProposalForm(request.POST or None, request.FILES or None, compounds=_compounds_for(resident))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            photos = []
            if data.get("photo"):
                photos.append(
                    services.upload_store(actor=request.user, community_id=resident.community_id, upload=data["photo"])
                )
            return services.proposal_create(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                category=data["category"],
                compound=data.get("compound"),
                photos=photos,
            )

        proposal = try_service(form, create, {"photos": "photo", "files": "photo"})
        if proposal is not None:
            messages.success(request, "议题已发起。邻居们附议后,社区会安排协调。")
            return redirect("deliberation:proposal", proposal_uuid=proposal.uuid)
    similar = []
    if request.method == "POST":
        similar = selectors.similar_proposals(
            resident.community_id, f"{request.POST.get('title', '')} {request.POST.get('text', '')}"
        )
    return render(request, "deliberation/proposal_new.html", {"bound": True, "form": form, "similar": similar})


@login_required
def proposal_similar(request):
    """HTMX: similar open proposals while the resident types (jieba words shared with the draft)."""
    resident = _resident_or_none(request)
    community_ids = selectors._community_ids(request.user)
    text = f"{request.GET.get('title', '')[:100]} {request.GET.get('text', '')[:5000]}"
    allowed = community_ids and (resident or request.user.is_office)
    similar = selectors.similar_proposals(community_ids[0], text) if allowed else []
    opinions, others = selectors.similar_opinions(request.user, community_ids[0], text) if allowed else ([], 0)
    context = {"similar": similar, "opinions": opinions, "other_opinions": others, "office": request.user.is_office}
    return render(request, "deliberation/partials/similar.html", context)


def _proposal_actions(user, proposal) -> dict:
    return {
        "support": rules.proposal_can_support(user, proposal),
        "comment": rules.proposal_can_comment(user, proposal),
        "withdraw": rules.proposal_can_withdraw(user, proposal),
    }


@login_required
def proposal_detail(request, proposal_uuid):
    if request.user.is_office:
        return redirect("deliberation:office-proposal", proposal_uuid=proposal_uuid)
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    supported = selectors.has_supported(request.user, proposal)
    actions = _proposal_actions(request.user, proposal)
    actions["support"] = actions["support"] and not supported
    return render(
        request,
        "deliberation/proposal_detail.html",
        {
            "proposal": proposal,
            "supported": supported,
            "actions": actions,
            "comment_form": CommentForm(),
            "threshold": services.settings_for(proposal.community_id).support_threshold,
            **selectors.proposal_page_data(proposal),
        },
    )


@login_required
@require_POST
def proposal_support(request, proposal_uuid):
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    back = reverse("deliberation:proposal", kwargs={"proposal_uuid": proposal.uuid})
    return run_action(
        request,
        lambda _: services.proposal_support(actor=request.user, proposal=proposal),
        "已附议,感谢您的支持",
        back=back,
    )


@login_required
@require_POST
def proposal_comment(request, proposal_uuid):
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    target = "deliberation:office-proposal" if request.user.is_office else "deliberation:proposal"
    back = reverse(target, kwargs={"proposal_uuid": proposal.uuid})
    return run_action(
        request,
        lambda d: services.proposal_comment(actor=request.user, proposal=proposal, text=d["text"]),
        "意见已发表",
        form=CommentForm(request.POST),
        back=back,
    )


@login_required
@require_POST
def proposal_withdraw(request, proposal_uuid):
    proposal = selectors.proposal_get(request.user, proposal_uuid)
    back = reverse("deliberation:proposal", kwargs={"proposal_uuid": proposal.uuid})
    return run_action(
        request, lambda _: services.proposal_withdraw(actor=request.user, proposal=proposal), "议题已撤回", back=back
    )


# ---- ballots --------------------------------------------------------------------------------------------------------


@login_required
def ballot_list(request):
    if request.user.is_office:
        return redirect("deliberation:office-ballots")
    services.ballots_sync(community_ids=selectors._community_ids(request.user))
    page = paginate(request, selectors.ballots_for(request.user).exclude(status=BallotStatus.SCHEDULED))
    facts = selectors.ballot_page_facts(request.user, list(page.object_list))
    rows = [
        {
            "ballot": b,
            "phase": rules.ballot_phase(b),
            "phase_label": BallotStatus(rules.ballot_phase(b)).label,
            "mine": facts[b.pk]["mine"],
            "result": facts[b.pk]["result"],
        }
        for b in page.object_list
    ]
    return render(
        request,
        "deliberation/ballots.html",
        {"page": page, "rows": rows, "bound": _resident_or_none(request) is not None},
    )


@login_required
def ballot_detail(request, ballot_uuid):
    if request.user.is_office:
        return redirect("deliberation:office-ballot", ballot_uuid=ballot_uuid)
    services.ballots_sync(community_ids=selectors._community_ids(request.user))
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    now = timezone.now()
    elector = selectors.my_elector(request.user, ballot)
    mine = selectors.my_vote(request.user, ballot)
    is_open = rules.ballot_is_open(ballot, now)
    entitled = elector is not None and services.may_vote_as(request.user.resident, elector, now)
    may_vote = entitled and is_open and (mine is None or mine.channel == "proxy")
    options = list(ballot.options.all())
    labels = {o.code: o.label for o in options}
    my_proxy = selectors.my_proxy(request.user, ballot)
    result = selectors.ballot_result(ballot, now)
    held = list(selectors.proxies_held(request.user, ballot)) if is_open else []
    held_voted = selectors.vote_channels([p.elector for p in held]) if held else {}
    context = {
        "ballot": ballot,
        "phase": rules.ballot_phase(ballot, now),
        "phase_label": BallotStatus(rules.ballot_phase(ballot, now)).label,
        "elector": elector,
        "mine": mine,
        "my_labels": [labels.get(c, c) for c in (mine.choices if mine else [])],
        "may_vote": may_vote,
        "vote_form": VoteForm(options=options, multiple=ballot.multiple),
        "result": result,
        "shown": selectors.result_view(ballot, result),
        "options": options,
        "may_object": rules.ballot_can_take_objection(request.user, ballot, now),
        "objection_form": ObjectionForm(),
        "my_proxy": my_proxy,
        "may_grant_proxy": entitled and is_open and mine is None and my_proxy is None,
        "proxy_form": ProxyForm(),
        "held": [
            {
                "proxy": p,
                "voted": p.elector_id in held_voted,
                "form": VoteForm(options=options, multiple=ballot.multiple, prefix=f"p{p.pk}"),
            }
            for p in held
        ],
    }
    return render(request, "deliberation/ballot_detail.html", context)


def _ballot_back(ballot):
    return reverse("deliberation:ballot", kwargs={"ballot_uuid": ballot.uuid})


@login_required
@require_POST
def ballot_vote(request, ballot_uuid):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    form = VoteForm(request.POST, options=list(ballot.options.all()), multiple=ballot.multiple)
    return run_action(
        request,
        lambda d: services.vote_cast(actor=request.user, ballot=ballot, choices=d["choices"]),
        "投票成功。截止后可在这里查看结果。",
        form=form,
        back=_ballot_back(ballot),
    )


@login_required
@require_POST
def proxy_grant(request, ballot_uuid):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    form = ProxyForm(request.POST, request.FILES)

    def grant(data):
        holder = Resident.objects.filter(
            community_id=ballot.community_id, phone=data["holder_phone"], status=ResidentStatus.ACTIVE
        ).first()
        if holder is None:
            from jumin.core.errors import DomainError

            raise DomainError("没有找到这个手机号的本社区在册居民", field="holder_phone")
        letter = services.upload_store(actor=request.user, community_id=ballot.community_id, upload=data["letter"])
        return services.proxy_grant(actor=request.user, ballot=ballot, holder=holder, letter=letter)

    return run_action(
        request, grant, "委托已提交,社区核实委托书后受托人即可代您投票", form=form, back=_ballot_back(ballot)
    )


@login_required
@require_POST
def proxy_vote(request, ballot_uuid, proxy_id):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    proxy = selectors.proxies_held(request.user, ballot).filter(pk=proxy_id).select_related("ballot").first()
    if proxy is None:
        raise Http404("没有找到该委托")
    form = VoteForm(request.POST, options=list(ballot.options.all()), multiple=ballot.multiple, prefix=f"p{proxy.pk}")
    return run_action(
        request,
        lambda d: services.proxy_vote(actor=request.user, proxy=proxy, choices=d["choices"]),
        f"已代 {proxy.grantor.name} 投票",
        form=form,
        back=_ballot_back(ballot),
    )


@login_required
@require_POST
def objection_file(request, ballot_uuid):
    ballot = selectors.ballot_get(request.user, ballot_uuid)
    return run_action(
        request,
        lambda d: services.objection_file(actor=request.user, ballot=ballot, text=d["text"]),
        "异议已提交,社区会在公示期内答复您",
        form=ObjectionForm(request.POST),
        back=_ballot_back(ballot),
    )


@login_required
def upload_file(request, upload_uuid):
    """Photos of proposals and progress for the community; letters and scans for staff who count votes."""
    row = Upload.objects.filter(uuid=parse_uuid(upload_uuid)).first()
    if row is None or not rules.in_community(request.user, row.community_id):
        raise Http404
    public = (
        Proposal.photos.through.objects.filter(upload_id=row.pk).exists()
        or ProgressUpdate.objects.filter(photo_id=row.pk).exists()
    )
    own_letter = Proxy.objects.filter(letter_id=row.pk, grantor_id=getattr(request.user, "resident_id", None)).exists()
    if not (public or own_letter or rules.may_count(request.user, row.community_id)):
        raise Http404
    response = serve_upload(row)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delegate(request):
    """本户投票代表: the household names the adult member who votes for it (otherwise any adult member may)."""
    resident = _resident_or_none(request)
    if resident is None:
        raise Http404
    members = list(
        Resident.objects.filter(household_id=resident.household_id, status=ResidentStatus.ACTIVE).order_by("id")
    )
    current = HouseholdDelegate.objects.filter(household_id=resident.household_id).select_related("resident").first()
    form = DelegateForm(
        request.POST or None, members=members, initial={"resident": str(current.resident.uuid)} if current else None
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in members if str(m.uuid) == form.cleaned_data["resident"])
        if try_service(form, lambda: services.delegate_set(actor=request.user, resident=chosen)) is not None:
            messages.success(request, f"已指定 {chosen.name} 代表本户投票")
            return redirect("deliberation:delegate")
    return render(request, "deliberation/delegate.html", {"form": form, "current": current})
