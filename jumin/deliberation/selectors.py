"""Reads for the deliberation hall. Every read that depends on who asks goes through here: outside the caller's
community is 404. Results are computed only once a ballot has closed."""

import difflib
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from jumin.cases.models import Case, Phase
from jumin.cases.selectors import case_visible_q
from jumin.core.access import scope_for

from . import rules
from .models import (
    OPEN_STAGES,
    Ballot,
    Charter,
    CharterStatus,
    CharterVersion,
    Elector,
    Objection,
    Proposal,
    ProposalEvent,
    ProposalSupport,
    Proxy,
    Stage,
    Vote,
)
from .services.common import search_words
from .tally import CastVote, Result, count


def _community_ids(user) -> tuple[int, ...]:
    return scope_for(user).community_ids


def proposals_for(user, *, stage=None, category=None, compound_id=None, q=None):
    rows = (
        Proposal.objects.filter(community_id__in=_community_ids(user))
        .select_related("community", "compound", "proposer")
        .order_by("-created_at", "-id")
    )
    rows = rows.filter(stage=stage) if stage else rows.exclude(stage=Stage.MERGED)
    if category:
        rows = rows.filter(category=category)
    if compound_id:
        rows = rows.filter(compound_id=compound_id)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return rows


def proposal_get(user, proposal_uuid) -> Proposal:
    proposal = (
        Proposal.objects.filter(uuid=proposal_uuid, community_id__in=_community_ids(user))
        .select_related("community", "compound", "proposer", "proposer_resident", "merged_into")
        .first()
    )
    if proposal is None:
        raise Http404("没有找到该议题")
    return proposal


def proposal_page_data(proposal: Proposal):
    return {
        "events": list(proposal.events.select_related("actor")),
        "comments": list(proposal.comments.select_related("author")),
        "meetings": list(proposal.meetings.all()),
        "progress": list(proposal.progress.select_related("photo")),
        "photos": list(proposal.photos.all()),
        "ballots": list(proposal.ballots.all()),
    }


def has_supported(user, proposal) -> bool:
    resident_id = getattr(user, "resident_id", None)
    return bool(resident_id) and ProposalSupport.objects.filter(proposal=proposal, resident_id=resident_id).exists()


def supported_ids(user, proposal_ids) -> set[int]:
    resident_id = getattr(user, "resident_id", None)
    if not resident_id:
        return set()
    return set(
        ProposalSupport.objects.filter(proposal_id__in=proposal_ids, resident_id=resident_id).values_list(
            "proposal_id", flat=True
        )
    )


@dataclass(frozen=True)
class Similar:
    proposal: Proposal
    score: float
    shared: list[str]


def similar_proposals(community_id: int, text: str, *, exclude_id=None, limit: int = 5) -> list[Similar]:
    """Open proposals that share meaningful words (jieba) with `text`: one LIKE per word, scored by overlap, so it
    works the same on SQLite and PostgreSQL without a search extension."""
    words = search_words(text)[:12]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(search_words__contains=f" {word} ")
    candidates = (
        Proposal.objects.filter(match, community_id=community_id, stage__in=OPEN_STAGES)
        .exclude(pk=exclude_id)
        .select_related("compound")
        .order_by("-id")[:100]
    )
    found = []
    for proposal in candidates:
        theirs = set(proposal.search_words.split())
        shared = [w for w in words if w in theirs]
        score = len(shared) / max(1, min(len(words), len(theirs)))
        if shared and (len(shared) >= 2 or score >= 0.5):
            found.append(Similar(proposal, score, shared))
    found.sort(key=lambda s: (-s.score, -s.proposal.pk))
    return found[:limit]


@dataclass(frozen=True)
class SimilarOpinion:
    case: Case
    shared: list[str]


OPINION_KIND = "opinion"  # 社情民意 (jumin.party.kind.KIND): a case kind, read here through the case engine


def similar_opinions(user, community_id: int, text: str, *, limit: int = 5) -> tuple[list[SimilarOpinion], int]:
    """Open 社情民意 that share meaningful words with a draft proposal: those `user` may see (their own, for a
    resident; their scope's, for staff), and how many more like them others raised — a count, never whose or what."""
    words = search_words(text)[:12]
    if not words:
        return [], 0
    match = Q()
    for word in words:
        match |= Q(title__contains=word) | Q(body__contains=word)
    open_similar = Case.objects.filter(match, kind=OPINION_KIND, community_id=community_id).exclude(phase=Phase.CLOSED)
    visible, found = open_similar.filter(case_visible_q(user)), []
    for case in visible.order_by("-created_at", "-id")[:100]:
        shared = [w for w in words if w in case.title or w in case.body]
        if len(shared) >= 2 or (shared and len(words) <= 2):
            found.append(SimilarOpinion(case, shared))
    found.sort(key=lambda s: -len(s.shared))
    hidden = open_similar.exclude(pk__in=visible.values("pk")).count() if user.is_resident else 0
    return found[:limit], hidden


# ---- ballots --------------------------------------------------------------------------------------------------------


def ballots_for(user, *, status=None, proposal=None):
    rows = (
        Ballot.objects.filter(community_id__in=_community_ids(user))
        .select_related("community", "compound", "proposal")
        .prefetch_related("options")
        .annotate(voted=Count("votes"))
        .order_by("-opens_at", "-id")
    )
    if status:
        rows = rows.filter(status=status)
    if proposal is not None:
        rows = rows.filter(proposal=proposal)
    return rows


def ballot_get(user, ballot_uuid) -> Ballot:
    ballot = (
        Ballot.objects.filter(uuid=ballot_uuid, community_id__in=_community_ids(user))
        .select_related("community", "compound", "proposal", "charter_version__charter")
        .prefetch_related("options")
        .first()
    )
    if ballot is None:
        raise Http404("没有找到该表决")
    return ballot


def ballot_result(ballot: Ballot, now=None) -> Result | None:
    """Counts per option, per channel, turnout and whether it passed; None until the close, for everyone."""
    if not rules.ballot_result_visible(ballot, now):
        return None
    return ballot_page_facts(None, [ballot], now=now)[ballot.pk]["result"]


def participation(ballot: Ballot) -> dict:
    """How many have voted, by channel (staff follow-up). Never the choices."""
    by_channel = dict(Vote.objects.filter(ballot=ballot).values_list("channel").annotate(n=Count("id")))
    voted = sum(by_channel.values())
    return {
        "electorate": ballot.electorate_size,
        "voted": voted,
        "by_channel": by_channel,
        "not_voted": max(0, ballot.electorate_size - voted),
    }


def my_vote(user, ballot: Ballot) -> Vote | None:
    from .services.ballots import elector_for

    resident = rules.acting_resident(user)
    elector = elector_for(ballot, resident)
    if elector is None:
        return None
    return Vote.objects.filter(elector=elector).first()


def my_elector(user, ballot):
    from .services.ballots import elector_for

    return elector_for(ballot, rules.acting_resident(user))


def electors_for(ballot: Ballot, *, building_id=None, voted=None):
    """The roll with who has voted and by which channel (never what they chose)."""
    rows = (
        Elector.objects.filter(ballot=ballot)
        .select_related("dwelling", "household", "resident", "building__compound")
        .order_by("building__compound_id", "building__name", "dwelling__address", "id")
    )
    if building_id:
        rows = rows.filter(building_id=building_id)
    if voted is True:
        rows = rows.filter(votes__isnull=False)
    elif voted is False:
        rows = rows.filter(votes__isnull=True)
    return rows


def vote_channels(electors) -> dict[int, str]:
    ids = [e.pk for e in electors]
    return dict(Vote.objects.filter(elector_id__in=ids).values_list("elector_id", "channel"))


def building_counts(ballot: Ballot) -> list[dict]:
    rows = (
        Elector.objects.filter(ballot=ballot)
        .values("building_id", "building__name", "building__compound__name")
        .annotate(total=Count("id"), voted=Count("votes"))
        .order_by("building__compound__name", "building__name")
    )
    return [
        {
            "id": r["building_id"],
            "label": f"{r['building__compound__name']}{r['building__name']}",
            "total": r["total"],
            "voted": r["voted"],
            "missing": r["total"] - r["voted"],
        }
        for r in rows
    ]


def proxies_for(ballot: Ballot):
    return Proxy.objects.filter(ballot=ballot).select_related("grantor", "holder", "letter", "verified_by")


def proxies_held(user, ballot: Ballot):
    resident = rules.acting_resident(user)
    if resident is None:
        return Proxy.objects.none()
    return Proxy.objects.filter(ballot=ballot, holder=resident).select_related("grantor", "elector")


def my_proxy(user, ballot: Ballot):
    elector = my_elector(user, ballot)
    if elector is None:
        return None
    return Proxy.objects.filter(elector=elector).select_related("holder").first()


def proxy_get(user, proxy_id) -> Proxy:
    proxy = (
        Proxy.objects.filter(pk=proxy_id, community_id__in=_community_ids(user))
        .select_related("ballot", "elector", "grantor", "holder", "letter")
        .first()
    )
    if proxy is None:
        raise Http404("没有找到该委托")
    return proxy


def objections_for(ballot: Ballot):
    return Objection.objects.filter(ballot=ballot).select_related("author", "decided_by")


def objection_get(user, objection_id) -> Objection:
    objection = (
        Objection.objects.filter(pk=objection_id, community_id__in=_community_ids(user))
        .select_related("ballot", "author")
        .first()
    )
    if objection is None:
        raise Http404("没有找到该异议")
    return objection


# ---- charters -------------------------------------------------------------------------------------------------------


def charters_for(community_ids):
    adopted = CharterVersion.objects.filter(status=CharterStatus.ADOPTED)
    return (
        Charter.objects.filter(community_id__in=community_ids)
        .select_related("compound")
        .prefetch_related(Prefetch("versions", queryset=adopted, to_attr="adopted_versions"))
        .annotate(version_count=Count("versions"))
        .order_by("compound__name", "id")
    )


def charter_get(community_ids, charter_id) -> Charter:
    charter = Charter.objects.filter(pk=charter_id, community_id__in=community_ids).select_related("compound").first()
    if charter is None:
        raise Http404("没有找到该公约")
    return charter


def charter_versions(charter: Charter, *, public: bool):
    rows = charter.versions.select_related("ballot").order_by("-number")
    if public:
        rows = rows.exclude(status=CharterStatus.DRAFT)
    return rows


def version_diff(old: CharterVersion | None, new: CharterVersion) -> list[tuple[str, str]]:
    """Line diff of the text: (kind, line) with kind in same / added / removed."""
    before = old.text.splitlines() if old else []
    lines = []
    for line in difflib.ndiff(before, new.text.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        lines.append(({"+ ": "added", "- ": "removed"}.get(tag, "same"), text))
    return lines


# ---- household file --------------------------------------------------------------------------------------------------


def household_events(household, limit: int = 30):
    """Stage changes of proposals a household raised or supported (one query)."""
    followed = Q(proposal__supports__household=household) | Q(proposal__proposer_resident__household=household)
    return (
        ProposalEvent.objects.filter(followed, community_id=household.community_id)
        .exclude(to_stage="")
        .select_related("proposal")
        .only("created_at", "to_stage", "title", "proposal__title", "proposal__uuid")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


def ballot_page_facts(user, ballots, now=None) -> dict[int, dict]:
    """For a page of ballots, in a constant number of queries: the caller's vote, participation (staff) and
    results (closed ballots only)."""
    ids = [b.pk for b in ballots]
    facts = {b.pk: {"mine": None, "participation": None, "result": None} for b in ballots}
    resident = rules.acting_resident(user)
    if resident is not None and ids:
        mine = Vote.objects.filter(ballot_id__in=ids).filter(
            Q(elector__resident=resident)
            | Q(elector__resident__isnull=True, elector__household_id=resident.household_id)
            | Q(elector__household__isnull=True, elector__dwelling__households=resident.household_id)
        )
        for vote in mine:
            facts[vote.ballot_id]["mine"] = vote
    if getattr(user, "is_office", False) and ids:
        rows = Vote.objects.filter(ballot_id__in=ids).values_list("ballot_id", "channel").annotate(n=Count("id"))
        channels: dict[int, dict[str, int]] = {}
        for ballot_id, channel, n in rows:
            channels.setdefault(ballot_id, {})[channel] = n
        for b in ballots:
            by_channel = channels.get(b.pk, {})
            facts[b.pk]["participation"] = {
                "electorate": b.electorate_size,
                "voted": sum(by_channel.values()),
                "by_channel": by_channel,
            }
    closed = [b for b in ballots if rules.ballot_result_visible(b, now)]
    if closed:
        votes: dict[int, list[CastVote]] = {b.pk: [] for b in closed}
        rows = Vote.objects.filter(ballot_id__in=[b.pk for b in closed]).values_list(
            "ballot_id", "choices", "channel", "elector__floor_area"
        )
        for ballot_id, choices, channel, area in rows.iterator(chunk_size=2000):
            votes[ballot_id].append(CastVote(tuple(choices or ()), channel, area or 0))
        for b in closed:
            facts[b.pk]["result"] = count(
                votes[b.pk],
                option_codes=[o.code for o in b.options.all()],
                electorate=b.electorate_size,
                electorate_area=b.electorate_area,
                rule=b.rule,
                quorum=b.quorum,
                multiple=b.multiple,
            )
    return facts


def result_view(ballot: Ballot, result: Result | None) -> dict | None:
    """What a page prints of a result: per option (count, share of votes cast) and per channel."""
    if result is None:
        return None
    from .models import Channel

    cast = result.cast or 1
    return {
        "rows": [
            (o.label, result.counts.get(o.code, 0), round(result.counts.get(o.code, 0) * 100 / cast))
            for o in ballot.options.all()
        ],
        "channels": [(label, result.by_channel.get(code, 0)) for code, label in Channel.choices],
    }
