"""表决: a ballot freezes its electorate when it opens; one vote per elector whatever the channel (a unique
constraint); results stay hidden until the close, then a publicity period takes objections before they are final.
The audit log records that a household voted, never the choice."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.people.models import Household, Resident, ResidentStatus
from jumin.places.models import Compound, Dwelling, DwellingOwner

from .. import rules
from ..models import (
    OWNER_SEPARATOR,
    Ballot,
    BallotOption,
    BallotStatus,
    Channel,
    CharterVersion,
    Elector,
    Electorate,
    HouseholdDelegate,
    Objection,
    ObjectionStatus,
    Proposal,
    Proxy,
    ProxyStatus,
    Rule,
    Stage,
    Upload,
    Vote,
)
from ..tally import YES_NO_OPTIONS
from .common import clean_text, notify_managers, notify_residents, settings_for, stamp
from .proposals import proposal_move

__all__ = [
    "MAX_OPTIONS",
    "ballot_close",
    "ballot_create",
    "ballot_finalize",
    "ballot_open",
    "ballots_sync",
    "delegate_set",
    "elector_for",
    "elector_of_household",
    "may_vote_as",
    "may_vote_for_household",
    "objection_decide",
    "objection_file",
    "owner_roll_gaps",
    "paper_vote_enter",
    "proxy_grant",
    "proxy_verify",
    "proxy_vote",
    "vote_cast",
]

MAX_OPTIONS = 20
ADULT_AGE = 18


def _clean_options(options, rule: str) -> list[tuple[str, str]]:
    if not isinstance(options, (list, tuple)) or not all(isinstance(o, str) for o in options):
        raise DomainError("选项应为文字列表", field="options")
    labels = [o.strip() for o in options if o and o.strip()]
    if not labels:
        labels = [label for _, label in YES_NO_OPTIONS]
    if len(labels) < 2 or len(labels) > MAX_OPTIONS:
        raise DomainError(f"选项应为 2 到 {MAX_OPTIONS} 个", field="options")
    if len(set(labels)) != len(labels):
        raise DomainError("选项不能重复", field="options")
    if any(len(label) > 100 for label in labels):
        raise DomainError("每个选项不超过 100 字", field="options")
    yes_no = {label: code for code, label in YES_NO_OPTIONS}
    if set(labels) <= set(yes_no) and "同意" in labels:
        return [(yes_no[label], label) for label in labels]
    if rule != Rule.MAJORITY:
        raise DomainError("按三分之二或民法典第278条表决时,选项须为 同意/不同意/弃权", field="options")
    return [(str(i), label) for i, label in enumerate(labels, start=1)]


def _quorum(value) -> Decimal:
    try:
        quorum = Decimal(str(value if value is not None else 0))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("参与比例应为 0 到 1 之间的数", field="quorum") from exc
    if not quorum.is_finite() or quorum < 0 or quorum > 1:
        raise DomainError("参与比例应为 0 到 1 之间的数", field="quorum")
    return quorum.quantize(Decimal("0.001"))


def ballot_create(
    *,
    actor,
    question: str,
    closes_at: datetime.datetime,
    options=(),
    electorate: str = Electorate.HOUSEHOLD,
    compound=None,
    opens_at: datetime.datetime | None = None,
    secret: bool = False,
    rule: str = Rule.MAJORITY,
    quorum=0,
    multiple: bool = False,
    proposal: Proposal | None = None,
    charter_version: CharterVersion | None = None,
    now=None,
) -> Ballot:
    """发起表决 (staff). Put to vote from a proposal, its stage moves to 表决; opening now freezes the roll."""
    now = now or timezone.now()
    community_id = actor.community_id if actor.is_office else None
    if not community_id or not rules.may_manage(actor, community_id):
        raise PermissionDenied("只有社区书记可以发起表决")
    question = clean_text(question, field="question", label="表决事项", max_length=200)
    if electorate not in Electorate.values:
        raise DomainError("投票权应为 household(每户一票)或 person(每人一票)", field="electorate")
    if rule not in Rule.values:
        raise DomainError("通过规则无效", field="rule")
    if rule in (Rule.CIVIL_CODE_278, Rule.CIVIL_CODE_278_MAJOR) and electorate != Electorate.HOUSEHOLD:
        raise DomainError("按民法典第278条表决时须每户一票(业主)", field="electorate")
    option_rows = _clean_options(list(options or ()), rule)
    if multiple and option_rows[0][0] == "yes":
        raise DomainError("同意/不同意/弃权 只能单选", field="multiple")
    quorum = _quorum(quorum)
    if compound is not None and (not isinstance(compound, Compound) or compound.community_id != community_id):
        raise DomainError("请选择本社区的小区", field="compound")
    opens_at = opens_at or now
    if not isinstance(closes_at, datetime.datetime) or timezone.is_naive(closes_at):
        raise DomainError("请填写截止时间(含时区)", field="closes_at")
    if timezone.is_naive(opens_at):
        raise DomainError("开始时间须含时区", field="opens_at")
    if closes_at <= opens_at or closes_at <= now:
        raise DomainError("截止时间须晚于开始时间和现在", field="closes_at")
    if closes_at - opens_at > datetime.timedelta(days=90):
        raise DomainError("投票期不超过 90 天", field="closes_at")
    if proposal is not None:
        if proposal.community_id != community_id:
            raise NotFound("没有找到该议题")
        if not rules.proposal_can_put_to_vote(actor, proposal):
            raise Conflict("议题须处于协调阶段并已有表决方案")
        compound = proposal.compound if compound is None else compound
    if rule in (Rule.CIVIL_CODE_278, Rule.CIVIL_CODE_278_MAJOR):
        gap = owner_roll_gaps(community_id, compound.pk if compound else None)
        if gap:
            raise DomainError(gap, field="rule")
    with transaction.atomic():
        ballot = Ballot.objects.create(
            community_id=community_id,
            compound=compound,
            proposal=proposal,
            charter_version=charter_version,
            question=question,
            electorate=electorate,
            multiple=bool(multiple),
            secret=bool(secret),
            rule=rule,
            quorum=quorum,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor,
        )
        BallotOption.objects.bulk_create(
            [BallotOption(ballot=ballot, code=c, label=label, position=i) for i, (c, label) in enumerate(option_rows)]
        )
        audit_record(
            actor=actor,
            action="ballot.create",
            target=ballot,
            summary=f"发起表决:{question}",
            changes={"投票权": Electorate(electorate).label, "规则": Rule(rule).label, "无记名": bool(secret)},
        )
        if proposal is not None:
            proposal_move(
                actor=actor,
                proposal=proposal,
                to=Stage.VOTING,
                allowed_from=(Stage.COORDINATING,),
                title="付诸表决",
                note=question,
                now=now,
            )
        if opens_at <= now:
            ballot_open(ballot=ballot, now=now)
    ballot.refresh_from_db()
    return ballot


def _roll(ballot: Ballot, now) -> list[Elector]:
    """在册 households (with a member still registered) or adult residents of the scope, at this moment; for a
    第278条 ballot, the dwellings of the scope with registered owners (see _owner_roll)."""
    if ballot.is_civil_code:
        return _owner_roll(ballot)
    today = timezone.localtime(now).date()
    scope = Q(community_id=ballot.community_id)
    if ballot.compound_id:
        scope &= Q(household__compound_id=ballot.compound_id)
    residents = Resident.objects.filter(scope, status=ResidentStatus.ACTIVE)
    if ballot.electorate == Electorate.PERSON:
        adult_born_by = (
            today.replace(year=today.year - ADULT_AGE)
            if not (today.month == 2 and today.day == 29)
            else (today.replace(year=today.year - ADULT_AGE, day=28))
        )
        rows = residents.filter(birth_date__lte=adult_born_by).values_list(
            "id",
            "household_id",
            "household__dwelling_id",
            "household__dwelling__unit__building_id",
            "household__dwelling__floor_area",
        )
        return [
            Elector(
                community_id=ballot.community_id,
                ballot=ballot,
                resident_id=r,
                household_id=h,
                dwelling_id=d,
                building_id=b,
                floor_area=a or 0,
            )
            for r, h, d, b, a in rows.order_by("id")
        ]
    household_ids = residents.values("household_id")
    rows = (
        Household.objects.filter(pk__in=household_ids)
        .order_by("id")
        .values_list("id", "dwelling_id", "dwelling__unit__building_id", "dwelling__floor_area")
    )
    return [
        Elector(
            community_id=ballot.community_id,
            ballot=ballot,
            household_id=h,
            dwelling_id=d,
            building_id=b,
            floor_area=a or 0,
        )
        for h, d, b, a in rows
    ]


def owner_dwellings(community_id: int, compound_id: int | None):
    """The 专有部分 a 第278条 ballot counts: every dwelling of the scope with at least one registered owner, lived in
    or not (an owner who lives elsewhere still has a say; they vote on paper or by proxy)."""
    rows = Dwelling.objects.filter(community_id=community_id, owners__isnull=False)
    if compound_id:
        rows = rows.filter(unit__building__compound_id=compound_id)
    return rows.distinct()


def owner_roll_gaps(community_id: int, compound_id: int | None) -> str | None:
    """Why a 第278条 roll cannot be taken for this scope, or None: no dwelling has owners, or some lack the area."""
    dwellings = owner_dwellings(community_id, compound_id)
    if not dwellings.exists():
        return "范围内没有登记产权人的房屋,请先通过房屋导入登记专有部分面积和产权人"
    missing = dwellings.filter(Q(floor_area__isnull=True) | Q(floor_area__lte=0)).count()
    if missing:
        return f"范围内有 {missing} 套登记了产权人的房屋未登记专有部分面积,请先通过房屋导入补录"
    return None


def _owner_roll(ballot: Ballot) -> list[Elector]:
    """民法典 第278条 with 最高人民法院《关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八、九条: the area is
    the dwelling's registered 专有部分面积, and the owners are counted one per 专有部分, however many co-owners it
    has. (The interpretation's exception, one buyer of several 专有部分 counted once, needs owners' ID numbers; the
    register holds names only, so each dwelling counts once.) The co-owners' names are frozen with the roll."""
    rows: dict[int, tuple[int, Decimal | None]] = {}
    owners: dict[int, list[str]] = {}
    for dwelling_id, name, building_id, area in (
        DwellingOwner.objects.filter(dwelling__in=owner_dwellings(ballot.community_id, ballot.compound_id))
        .order_by("dwelling_id", "position", "id")
        .values_list("dwelling_id", "name", "dwelling__unit__building_id", "dwelling__floor_area")
    ):
        rows[dwelling_id] = (building_id, area)
        owners.setdefault(dwelling_id, []).append(name)
    return [
        Elector(
            community_id=ballot.community_id,
            ballot=ballot,
            dwelling_id=d,
            building_id=b,
            floor_area=a or 0,
            owners=OWNER_SEPARATOR.join(owners[d])[:300],
        )
        for d, (b, a) in rows.items()
    ]


def ballot_open(*, ballot: Ballot, now=None) -> bool:
    """Open a scheduled ballot (compare-and-set) and freeze its roll. Returns whether this call opened it."""
    now = now or timezone.now()
    with transaction.atomic():
        if (
            Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.SCHEDULED, opens_at__lte=now).update(
                status=BallotStatus.OPEN
            )
            != 1
        ):
            return False
        Elector.objects.bulk_create(_roll(ballot, now), batch_size=1000)
        totals = Elector.objects.filter(ballot=ballot).aggregate(area=Sum("floor_area"))
        size = Elector.objects.filter(ballot=ballot).count()
        Ballot.objects.filter(pk=ballot.pk).update(electorate_size=size, electorate_area=totals["area"] or 0)
        ballot.refresh_from_db()
        audit_record(
            actor=None, action="ballot.open", target=ballot, summary=f"表决开始,选民名册 {size} 个:{ballot.question}"
        )
    return True


def ballot_close(*, ballot: Ballot, now=None) -> bool:
    now = now or timezone.now()
    days = settings_for(ballot.community_id).publicity_days
    with transaction.atomic():
        if (
            Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN, closes_at__lte=now).update(
                status=BallotStatus.CLOSED, publicity_ends_at=ballot.closes_at + datetime.timedelta(days=days)
            )
            != 1
        ):
            return False
        ballot.refresh_from_db()
        audit_record(actor=None, action="ballot.close", target=ballot, summary=f"表决截止,进入公示期:{ballot.question}")
        voters = Vote.objects.filter(ballot=ballot, voter__isnull=False).values_list("voter_id", flat=True)
        notify_residents(
            voters, title=f"表决结果公示:{ballot.question}", body=f"公示期 {days} 天,如有异议可在公示期内提出。"
        )
    return True


def ballot_finalize(*, ballot: Ballot, now=None) -> bool:
    """End of the publicity period: final unless an objection was upheld (then annulled). A pending objection
    holds the result until staff decide it. The proposal or charter version follows the result."""
    from ..selectors import ballot_result

    now = now or timezone.now()
    if ballot.objections.filter(status=ObjectionStatus.PENDING).exists():
        return False
    upheld = ballot.objections.filter(status=ObjectionStatus.UPHELD).exists()
    to = BallotStatus.ANNULLED if upheld else BallotStatus.FINAL
    with transaction.atomic():
        if (
            Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.CLOSED, publicity_ends_at__lte=now).update(
                status=to
            )
            != 1
        ):
            return False
        ballot.refresh_from_db()
        passed = to == BallotStatus.FINAL and ballot_result(ballot).passed
        audit_record(
            actor=None,
            action=f"ballot.{to}",
            target=ballot,
            summary=f"表决结果{'生效' if to == BallotStatus.FINAL else '作废'}({'通过' if passed else '未通过'}):{ballot.question}",
        )
        if ballot.proposal_id and ballot.proposal.stage == Stage.VOTING:
            if passed:
                proposal_move(
                    actor=None,
                    proposal=ballot.proposal,
                    to=Stage.IMPLEMENTING,
                    allowed_from=(Stage.VOTING,),
                    title="表决通过,进入实施",
                    now=now,
                )
            elif to == BallotStatus.FINAL:
                proposal_move(
                    actor=None,
                    proposal=ballot.proposal,
                    to=Stage.REJECTED,
                    allowed_from=(Stage.VOTING,),
                    title="表决未通过",
                    now=now,
                )
            else:
                proposal_move(
                    actor=None,
                    proposal=ballot.proposal,
                    to=Stage.COORDINATING,
                    allowed_from=(Stage.VOTING,),
                    title="表决结果作废,重新协调",
                    now=now,
                )
        if ballot.charter_version_id:
            from .charters import charter_version_decided

            charter_version_decided(version=ballot.charter_version, adopted=passed, now=now)
    return True


def ballots_sync(*, community_ids=None, now=None) -> None:
    """Bring statuses up to the clock: open what is due, close what is past, finalise what left publicity."""
    now = now or timezone.now()
    base = Ballot.objects.all() if community_ids is None else Ballot.objects.filter(community_id__in=community_ids)
    for ballot in base.filter(status=BallotStatus.SCHEDULED, opens_at__lte=now):
        ballot_open(ballot=ballot, now=now)
    for ballot in base.filter(status=BallotStatus.OPEN, closes_at__lte=now):
        ballot_close(ballot=ballot, now=now)
    for ballot in base.filter(status=BallotStatus.CLOSED, publicity_ends_at__lte=now).select_related("proposal"):
        ballot_finalize(ballot=ballot, now=now)


# ---- who votes ----------------------------------------------------------------------------------------------------


def may_vote_for_household(resident: Resident, household_id: int, now=None) -> bool:
    """The designated member if the household named one; otherwise any adult member."""
    if resident.household_id != household_id or resident.status != ResidentStatus.ACTIVE:
        return False
    delegate = HouseholdDelegate.objects.filter(household_id=household_id).values_list("resident_id", flat=True).first()
    if delegate is not None:
        return delegate == resident.pk
    return resident.age(timezone.localtime(now or timezone.now()).date()) >= ADULT_AGE


def may_vote_as(resident: Resident, elector: Elector, now=None) -> bool:
    """Whether this resident casts the elector's vote: themselves (one per person); for a household, its designated
    or adult member; for a 第278条 dwelling, an owner named on the frozen roll who is registered as living there."""
    if resident.status != ResidentStatus.ACTIVE:
        return False
    if elector.resident_id:
        return elector.resident_id == resident.pk
    if elector.is_dwelling:
        return resident.name in elector.owner_names and resident.household.dwelling_id == elector.dwelling_id
    return may_vote_for_household(resident, elector.household_id, now)


def elector_for(ballot: Ballot, resident: Resident | None) -> Elector | None:
    """The elector a resident votes as (their household, themselves, or the dwelling they live in), or None when
    not on the roll."""
    if resident is None:
        return None
    if ballot.electorate == Electorate.PERSON:
        return Elector.objects.filter(ballot=ballot, resident=resident).first()
    if ballot.is_civil_code:
        return Elector.objects.filter(
            ballot=ballot, dwelling_id=resident.household.dwelling_id, household__isnull=True, resident__isnull=True
        ).first()
    return Elector.objects.filter(ballot=ballot, household_id=resident.household_id, resident__isnull=True).first()


def elector_of_household(ballot: Ballot, household: Household, resident: Resident | None = None) -> Elector | None:
    """The elector staff enter a paper ballot for, from the household (and member) they name."""
    if ballot.electorate == Electorate.PERSON:
        return Elector.objects.filter(ballot=ballot, resident=resident).first() if resident is not None else None
    if ballot.is_civil_code:
        return Elector.objects.filter(
            ballot=ballot, dwelling_id=household.dwelling_id, household__isnull=True, resident__isnull=True
        ).first()
    return Elector.objects.filter(ballot=ballot, household=household, resident__isnull=True).first()


def _clean_choices(ballot: Ballot, choices) -> list[str]:
    if isinstance(choices, str):
        choices = [choices]
    if not isinstance(choices, (list, tuple)) or not all(isinstance(c, str) for c in choices):
        raise DomainError("请选择选项", field="choice")
    # .all(): a caller entering many votes on one ballot prefetches its options once.
    codes = {o.code for o in ballot.options.all()}
    picked = list(dict.fromkeys(c for c in choices if c))
    if not picked:
        raise DomainError("请选择选项", field="choice")
    if any(c not in codes for c in picked):
        raise DomainError("选项无效", field="choice")
    if len(picked) > 1 and not ballot.multiple:
        raise DomainError("本次表决只能选一项", field="choice")
    return sorted(picked)


def _require_open(ballot: Ballot, now) -> None:
    if not rules.ballot_is_open(ballot, now):
        phase = rules.ballot_phase(ballot, now)
        raise Conflict("投票尚未开始" if phase == BallotStatus.SCHEDULED else "投票已截止")


def _audit_vote(actor, ballot: Ballot, elector: Elector, channel: str, verb: str = "已投票"):
    # The choice never goes into the audit log: that a household (or person) voted is all it records.
    if elector.resident_id:
        who = f"居民 {elector.resident_id}"
    else:
        who = f"房屋 {elector.dwelling_id}" if elector.is_dwelling else f"户 {elector.household_id}"
    audit_record(
        actor=actor,
        action="vote.cast",
        target=ballot,
        summary=f"{who} {verb}({Channel(channel).label}):{ballot.question}",
    )


def _already_voted(actor, elector: Elector) -> Conflict:
    existing = Vote.objects.filter(elector=elector).values_list("channel", flat=True).first()
    label = Channel(existing).label if existing else "其他渠道"
    staff = actor is not None and actor.is_office
    if elector.resident_id:
        whom, unit = ("该居民" if staff else "您"), "人"
    elif elector.is_dwelling:
        whom, unit = ("该房屋" if staff else "您家"), "套房屋"
    else:
        whom, unit = ("该户" if staff else "您家"), "户"
    return Conflict(f"{whom}已经投过票了(已通过{label}投票),每{unit}只能投一票")


def _create_vote(*, actor, ballot, elector, channel, choices, voter, scan=None, at=None) -> Vote:
    """The vote and its audit line in one transaction; the unique constraint on the elector refuses a second vote
    (IntegrityError, left to the caller). `at` backdates it (demo, tests)."""
    with transaction.atomic():
        vote = Vote.objects.create(
            community_id=ballot.community_id,
            ballot=ballot,
            elector=elector,
            channel=channel,
            choices=choices,
            cast_by=actor,
            voter=voter,
            scan=scan,
        )
        stamp(vote, at)
        _audit_vote(actor, ballot, elector, channel)
    return vote


def vote_cast(*, actor, ballot: Ballot, choices, now=None) -> Vote:
    """投票 (a resident, online). Outside the community: 404; in it but not on the roll: 403; not open or already
    voted: 409. Voting in person before the close replaces a proxy's vote."""
    at, now = now, now or timezone.now()
    if not rules.in_community(actor, ballot.community_id):
        raise NotFound("没有找到该表决")
    resident = rules.acting_resident(actor)
    if resident is None:
        raise PermissionDenied("只有在册居民可以网上投票")
    elector = elector_for(ballot, resident)
    if elector is None:
        raise PermissionDenied("您不在本次表决的选民名册中(名册在投票开始时确定)")
    if not may_vote_as(resident, elector, now):
        raise PermissionDenied(
            "本次表决由房屋产权人投票,您不是登记的产权人(可由产权人委托您投票)"
            if elector.is_dwelling
            else "您家已指定其他成员代表投票,或您未满 18 周岁"
        )
    _require_open(ballot, now)
    choices = _clean_choices(ballot, choices)
    try:
        # The common case first: one insert. Only when the elector already has a vote do we look at whether it
        # was a proxy's, which the voter's own vote replaces.
        return _create_vote(
            actor=actor, ballot=ballot, elector=elector, channel=Channel.ONLINE, choices=choices, voter=resident, at=at
        )
    except IntegrityError as exc:
        with transaction.atomic():
            replaced = Vote.objects.filter(elector=elector, channel=Channel.PROXY).update(
                channel=Channel.ONLINE, choices=choices, cast_by=actor, voter=resident, updated_at=now
            )
            if replaced:
                _audit_vote(actor, ballot, elector, Channel.ONLINE, "本人投票,替代委托投票")
        if not replaced:
            raise _already_voted(actor, elector) from exc
    return Vote.objects.get(elector=elector)


def paper_vote_enter(
    *,
    actor,
    ballot: Ballot,
    choices,
    household=None,
    scan: Upload | None = None,
    resident=None,
    elector: Elector | None = None,
    now=None,
) -> Vote:
    """录入纸质选票 (staff), with the scan, for the roll's row (`elector`, as the 核对名单 page does: the only way to
    reach a 第278条 dwelling nobody lives in) or for a household and member. The same one-vote rule as online:
    whichever channel came first wins."""
    at, now = now, now or timezone.now()
    if not rules.in_community(actor, ballot.community_id):
        raise NotFound("没有找到该表决")
    if not rules.may_count(actor, ballot.community_id):
        raise PermissionDenied("您没有录入纸质选票的权限")
    if scan is not None and scan.community_id != ballot.community_id:
        raise DomainError("扫描件无效", field="scan")
    if elector is not None:
        if elector.ballot_id != ballot.pk:
            raise DomainError("该户(人)不在本次表决的选民名册中", field="household")
        resident = elector.resident
    elif not isinstance(household, Household) or household.community_id != ballot.community_id:
        raise DomainError("请选择本社区的住户", field="household")
    elif ballot.electorate == Electorate.PERSON and (
        not isinstance(resident, Resident) or resident.household_id != household.pk
    ):
        raise DomainError("每人一票的表决须选择投票的家庭成员", field="resident")
    else:
        elector = elector_of_household(ballot, household, resident)
    if elector is None:
        raise DomainError("该户(人)不在本次表决的选民名册中", field="household")
    _require_open(ballot, now)
    choices = _clean_choices(ballot, choices)
    try:
        return _create_vote(
            actor=actor,
            ballot=ballot,
            elector=elector,
            channel=Channel.PAPER,
            choices=choices,
            voter=resident,
            scan=scan,
            at=at,
        )
    except IntegrityError as exc:
        raise _already_voted(actor, elector) from exc


# ---- proxies --------------------------------------------------------------------------------------------------------


def proxy_grant(
    *, actor, ballot: Ballot, holder: Resident, letter: Upload, grantor: Resident | None = None, now=None
) -> Proxy:
    """委托投票: the voter (or staff for them) names another resident of the community and uploads the signed
    letter; staff verify it. A proxy holds at most N authorisations per ballot (slots 1..N, unique)."""
    now = now or timezone.now()
    if not rules.in_community(actor, ballot.community_id):
        raise NotFound("没有找到该表决")
    if rules.acting_resident(actor) is not None:
        grantor = actor.resident
    elif not rules.may_count(actor, ballot.community_id):
        raise PermissionDenied("您没有登记委托的权限")
    if not isinstance(grantor, Resident) or grantor.community_id != ballot.community_id:
        raise DomainError("请选择委托人", field="grantor")
    if (
        not isinstance(holder, Resident)
        or holder.community_id != ballot.community_id
        or holder.status != ResidentStatus.ACTIVE
    ):
        raise DomainError("受托人须为本社区在册居民", field="holder")
    if holder.pk == grantor.pk:
        raise DomainError("不能委托给自己", field="holder")
    if not isinstance(letter, Upload) or letter.community_id != ballot.community_id:
        raise DomainError("请上传签字的委托书", field="letter")
    elector = elector_for(ballot, grantor)
    if elector is None:
        raise DomainError("委托人不在本次表决的选民名册中", field="grantor")
    if not may_vote_as(grantor, elector, now):
        raise DomainError(
            "委托人不是该房屋登记的产权人" if elector.is_dwelling else "委托人不能代表本户投票", field="grantor"
        )
    _require_open(ballot, now)
    if Vote.objects.filter(elector=elector).exists():
        raise Conflict("委托人已经投过票,不能再委托")
    limit = settings_for(ballot.community_id).max_proxies
    for slot in range(1, limit + 1):
        if Proxy.objects.filter(ballot=ballot, holder=holder, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                proxy = Proxy.objects.create(
                    community_id=ballot.community_id,
                    ballot=ballot,
                    elector=elector,
                    grantor=grantor,
                    holder=holder,
                    slot=slot,
                    letter=letter,
                )
                audit_record(
                    actor=actor,
                    action="proxy.grant",
                    target=ballot,
                    summary=f"居民 {grantor.pk} 委托居民 {holder.pk} 投票:{ballot.question}",
                )
                notify_managers(ballot.community_id, title=f"有新的委托投票待核实:{ballot.question}")
            return proxy
        except IntegrityError as exc:
            if Proxy.objects.filter(elector=elector).exists():
                raise Conflict("已经办理过委托,不能重复委托") from exc
    raise Conflict(f"受托人在本次表决中已接受 {limit} 份委托,不能再接受")


def proxy_verify(*, actor, proxy: Proxy, approve: bool, now=None) -> Proxy | None:
    """Staff check the signed letter. A rejected authorisation is removed (freeing the proxy's slot)."""
    if not rules.may_count(actor, proxy.community_id):
        raise PermissionDenied("您没有核实委托的权限")
    with transaction.atomic():
        if approve:
            if (
                Proxy.objects.filter(pk=proxy.pk, status=ProxyStatus.PENDING).update(
                    status=ProxyStatus.VERIFIED, verified_by=actor
                )
                != 1
            ):
                raise Conflict("这份委托已处理过")
            proxy.refresh_from_db()
            notify_residents([proxy.grantor_id, proxy.holder_id], title=f"委托投票已核实:{proxy.ballot.question}")
        else:
            if Proxy.objects.filter(pk=proxy.pk, status=ProxyStatus.PENDING).delete()[0] != 1:
                raise Conflict("这份委托已处理过")
            notify_residents(
                [proxy.grantor_id],
                title=f"委托书未通过核实:{proxy.ballot.question}",
                body="请重新签字上传,或本人投票。",
            )
        audit_record(
            actor=actor,
            action="proxy.verify",
            target=proxy.ballot,
            summary=f"{'核实' if approve else '驳回'}委托(居民 {proxy.grantor_id} → {proxy.holder_id})",
        )
    return proxy if approve else None


def proxy_vote(*, actor, proxy: Proxy, choices, now=None) -> Vote:
    """The proxy casts the grantor's vote under a verified authorisation."""
    at, now = now, now or timezone.now()
    holder = rules.acting_resident(actor)
    if holder is None or holder.pk != proxy.holder_id:
        raise NotFound("没有找到该委托")
    if proxy.status != ProxyStatus.VERIFIED:
        raise Conflict("委托书尚未核实,暂不能代投")
    ballot = proxy.ballot
    _require_open(ballot, now)
    choices = _clean_choices(ballot, choices)
    try:
        return _create_vote(
            actor=actor,
            ballot=ballot,
            elector=proxy.elector,
            channel=Channel.PROXY,
            choices=choices,
            voter=holder,
            at=at,
        )
    except IntegrityError as exc:
        raise _already_voted(actor, proxy.elector) from exc


# ---- publicity -----------------------------------------------------------------------------------------------------


def objection_file(*, actor, ballot: Ballot, text: str, now=None) -> Objection:
    now = now or timezone.now()
    if not rules.in_community(actor, ballot.community_id):
        raise NotFound("没有找到该表决")
    if not rules.ballot_can_take_objection(actor, ballot, now):
        raise Conflict("只能在公示期内由本社区居民提出异议")
    text = clean_text(text, field="text", label="异议内容", max_length=2000)
    with transaction.atomic():
        objection = Objection.objects.create(community_id=ballot.community_id, ballot=ballot, author=actor, text=text)
        stamp(objection, now)
        audit_record(
            actor=actor, action="objection.file", target=ballot, summary=f"对表决结果提出异议:{ballot.question}"
        )
        notify_managers(ballot.community_id, title=f"表决结果收到异议:{ballot.question}")
    return objection


def objection_decide(*, actor, objection: Objection, upheld: bool, reply: str, now=None) -> Objection:
    if not rules.may_manage(actor, objection.community_id):
        raise PermissionDenied("只有社区书记可以处理异议")
    reply = clean_text(reply, field="reply", label="处理意见", max_length=2000)
    status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    with transaction.atomic():
        if (
            Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.PENDING).update(
                status=status, reply=reply, decided_by=actor
            )
            != 1
        ):
            raise Conflict("这条异议已处理过")
        objection.refresh_from_db()
        audit_record(
            actor=actor,
            action="objection.decide",
            target=objection.ballot,
            summary=f"异议{ObjectionStatus(status).label}:{objection.ballot.question}",
        )
        notify_residents(
            [objection.author.resident_id] if objection.author.resident_id else [],
            title=f"您的异议已处理:{ObjectionStatus(status).label}",
            body=reply[:200],
        )
    return objection


def delegate_set(*, actor, resident: Resident) -> HouseholdDelegate:
    """A household names the member who votes for it (the household's own adult, or staff)."""
    acting = rules.acting_resident(actor)
    if acting is not None:
        if acting.household_id != resident.household_id:
            raise NotFound("没有找到该成员")
    elif not rules.may_count(actor, resident.community_id):
        raise PermissionDenied("您没有设置投票代表的权限")
    if resident.status != ResidentStatus.ACTIVE or resident.age() < ADULT_AGE:
        raise DomainError("投票代表须为本户在册的成年成员", field="resident")
    with transaction.atomic():
        delegate, _ = HouseholdDelegate.objects.update_or_create(
            household_id=resident.household_id, defaults={"resident": resident, "community_id": resident.community_id}
        )
        audit_record(
            actor=actor,
            action="household.delegate",
            target=resident.household,
            summary=f"户 {resident.household_id} 指定投票代表",
        )
    return delegate
