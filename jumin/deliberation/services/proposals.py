"""议事 → 协调 → 表决 → 实施 → 完成: every stage change is a compare-and-set on the stage, an event in the proposal's
history (shown in the household files of the proposer and the supporters) and an audit record."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.places.models import Compound

from .. import rules
from ..models import (
    Category,
    CoordinationMeeting,
    ProgressUpdate,
    Proposal,
    ProposalComment,
    ProposalEvent,
    ProposalSupport,
    Stage,
)
from .common import clean_text, notify_managers, notify_residents, search_words, settings_for, stamp

__all__ = [
    "MAX_PHOTOS",
    "meeting_record",
    "proposal_comment",
    "proposal_complete",
    "proposal_create",
    "proposal_merge",
    "proposal_move",
    "proposal_reject",
    "proposal_report_progress",
    "proposal_set_plan",
    "proposal_start_coordination",
    "proposal_support",
    "proposal_withdraw",
]

MAX_PHOTOS = 6


def _words(title: str, text: str) -> str:
    return " " + " ".join(search_words(f"{title} {text}")) + " "


def _event(proposal, actor, title: str, *, note: str = "", from_stage: str = "", to_stage: str = "", now=None):
    event = ProposalEvent.objects.create(
        community_id=proposal.community_id,
        proposal=proposal,
        actor=actor if getattr(actor, "pk", None) else None,
        title=title[:100],
        note=note,
        from_stage=from_stage,
        to_stage=to_stage,
    )
    stamp(event, now)


def _followers(proposal) -> list[int]:
    """Residents who follow a proposal: the proposer and everyone who supported it."""
    ids = list(ProposalSupport.objects.filter(proposal=proposal).values_list("resident_id", flat=True))
    if proposal.proposer_resident_id:
        ids.append(proposal.proposer_resident_id)
    return ids


def proposal_create(*, actor, title: str, text: str, category: str, compound=None, photos=(), now=None) -> Proposal:
    """发起议题: a resident of the community (for their own compound or the whole community), or staff."""
    now = now or timezone.now()
    resident = rules.acting_resident(actor)
    if resident is not None:
        community_id = resident.community_id
        if compound is not None and compound.pk != resident.household.compound_id:
            raise DomainError("只能就自己所在的小区或全社区提出议题", field="compound")
    elif actor.is_office and actor.community_id and rules.may_manage(actor, actor.community_id):
        community_id = actor.community_id
    else:
        raise PermissionDenied("只有本社区居民或社区书记可以发起议题")
    if compound is not None and (not isinstance(compound, Compound) or compound.community_id != community_id):
        raise DomainError("请选择本社区的小区", field="compound")
    title = clean_text(title, field="title", label="标题", max_length=100)
    text = clean_text(text, field="text", label="内容", max_length=5000)
    if category not in Category.values:
        raise DomainError("请选择议题类别", field="category")
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"照片最多 {MAX_PHOTOS} 张", field="photos")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            community_id=community_id,
            compound=compound,
            category=category,
            title=title,
            text=text,
            proposer=actor,
            proposer_resident=resident,
            search_words=_words(title, text),
            stage_changed_at=now,
        )
        stamp(proposal, now)
        if photos:
            proposal.photos.set(photos)
        _event(proposal, actor, "发起议题", to_stage=Stage.DISCUSSING, now=now)
        audit_record(actor=actor, action="proposal.create", target=proposal, summary=f"发起议题:{title}")
    return proposal


def proposal_support(*, actor, proposal: Proposal, now=None) -> ProposalSupport:
    """附议. Once per resident (a unique constraint); reaching the community's threshold tells the secretary."""
    now = now or timezone.now()
    if not rules.proposal_can_support(actor, proposal):
        if rules.acting_resident(actor) is None:
            raise PermissionDenied("只有本社区在册居民可以附议")
        if proposal.stage != Stage.DISCUSSING:
            raise Conflict("议题已不在议事阶段,不能再附议")
        raise PermissionDenied("这个议题只由所在小区的居民附议")
    resident = actor.resident
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(
                community_id=proposal.community_id,
                proposal=proposal,
                resident=resident,
                household_id=resident.household_id,
            )
            stamp(support, now)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            proposal.refresh_from_db(fields=["support_count"])
            threshold = settings_for(proposal.community_id).support_threshold
            audit_record(actor=actor, action="proposal.support", target=proposal, summary=f"附议议题:{proposal.title}")
            if proposal.support_count == threshold:
                _event(proposal, None, f"附议达到 {threshold} 人,已提交社区书记", now=now)
                notify_managers(
                    proposal.community_id,
                    title=f"议题附议已达 {threshold} 人:{proposal.title}",
                    body="请安排协调。",
                )
    except IntegrityError as exc:
        raise Conflict("您已经附议过这个议题") from exc
    return support


def proposal_comment(*, actor, proposal: Proposal, text: str, now=None) -> ProposalComment:
    if not rules.proposal_can_comment(actor, proposal):
        raise PermissionDenied("您不能在这个议题下发表意见")
    text = clean_text(text, field="text", label="意见", max_length=2000)
    with transaction.atomic():
        comment = ProposalComment.objects.create(
            community_id=proposal.community_id, proposal=proposal, author=actor, text=text
        )
        stamp(comment, now)
        audit_record(actor=actor, action="proposal.comment", target=proposal, summary=f"发表意见:{proposal.title}")
    return comment


def proposal_move(
    *, actor, proposal: Proposal, to: str, allowed_from, title: str, note: str = "", now=None, extra=None
):
    """Compare-and-set the stage: only one of two people pressing at once moves it."""
    now = now or timezone.now()
    old = proposal.stage
    if old not in allowed_from:
        raise Conflict(f"议题现在处于“{Stage(old).label}”阶段,不能{title}")
    changed = Proposal.objects.filter(pk=proposal.pk, stage=old).update(stage=to, stage_changed_at=now, **(extra or {}))
    if changed != 1:
        raise Conflict("议题刚被别人更新过,请刷新后再试")
    proposal.refresh_from_db()
    _event(proposal, actor, title, note=note, from_stage=old, to_stage=to, now=now)
    audit_record(
        actor=actor,
        action=f"proposal.{to}",
        target=proposal,
        summary=f"{title}:{proposal.title}",
        changes={"阶段": [Stage(old).label, Stage(to).label]},
    )
    notify_residents(_followers(proposal), title=f"议题进入“{Stage(to).label}”:{proposal.title}", body=note[:200])
    return proposal


def _require(ok: bool, message: str):
    if not ok:
        raise PermissionDenied(message)


def proposal_start_coordination(*, actor, proposal: Proposal, note: str = "", now=None) -> Proposal:
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以安排协调")
    note = clean_text(note, field="note", label="说明", max_length=2000, required=False)
    with transaction.atomic():
        return proposal_move(
            actor=actor,
            proposal=proposal,
            to=Stage.COORDINATING,
            allowed_from=(Stage.DISCUSSING,),
            title="转入协调",
            note=note,
            now=now,
        )


def meeting_record(
    *,
    actor,
    proposal: Proposal,
    held_at: datetime.datetime,
    place: str,
    parties: str,
    attendance: str,
    minutes: str,
    now=None,
) -> CoordinationMeeting:
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以记录协调会")
    if proposal.stage != Stage.COORDINATING:
        raise Conflict("议题不在协调阶段")
    if not isinstance(held_at, datetime.datetime):
        raise DomainError("请填写召开时间", field="held_at")
    data = {
        "place": clean_text(place, field="place", label="地点", max_length=100),
        "parties": clean_text(parties, field="parties", label="参会单位", max_length=300),
        "attendance": clean_text(attendance, field="attendance", label="出席情况", max_length=500),
        "minutes": clean_text(minutes, field="minutes", label="会议纪要", max_length=5000),
    }
    with transaction.atomic():
        meeting = CoordinationMeeting.objects.create(
            community_id=proposal.community_id, proposal=proposal, held_at=held_at, recorded_by=actor, **data
        )
        _event(proposal, actor, f"召开协调会({data['parties']})", note=data["minutes"], now=now)
        audit_record(actor=actor, action="proposal.meeting", target=proposal, summary=f"记录协调会:{proposal.title}")
    return meeting


def proposal_set_plan(*, actor, proposal: Proposal, plan: str, now=None) -> Proposal:
    """写表决方案: the proposer and the supporters are told and can read it before the vote."""
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以填写方案")
    if proposal.stage != Stage.COORDINATING:
        raise Conflict("只能在协调阶段填写表决方案")
    plan = clean_text(plan, field="plan", label="方案", max_length=5000)
    with transaction.atomic():
        changed = Proposal.objects.filter(pk=proposal.pk, stage=Stage.COORDINATING).update(plan=plan)
        if changed != 1:
            raise Conflict("议题刚被别人更新过,请刷新后再试")
        proposal.plan = plan
        _event(proposal, actor, "形成表决方案", note=plan, now=now)
        audit_record(actor=actor, action="proposal.plan", target=proposal, summary=f"填写表决方案:{proposal.title}")
        notify_residents(_followers(proposal), title=f"议题已形成表决方案:{proposal.title}", body=plan[:200])
    return proposal


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("金额应为数字", field="amount") from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise DomainError("金额应为 0 到 99.99 亿之间的数", field="amount")
    return amount.quantize(Decimal("0.01"))


def proposal_report_progress(*, actor, proposal: Proposal, text: str, amount=0, photo=None, now=None) -> ProgressUpdate:
    """实施进展 with photo and money spent; supporters and voters are told."""
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以发布实施进展")
    if proposal.stage != Stage.IMPLEMENTING:
        raise Conflict("议题不在实施阶段")
    text = clean_text(text, field="text", label="进展", max_length=5000)
    amount = _amount(amount)
    from ..models import Vote

    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            community_id=proposal.community_id,
            proposal=proposal,
            text=text,
            amount=amount,
            photo=photo,
            recorded_by=actor,
        )
        stamp(update, now)
        Proposal.objects.filter(pk=proposal.pk).update(spent_total=F("spent_total") + amount)
        proposal.refresh_from_db(fields=["spent_total"])
        _event(proposal, actor, f"实施进展(本次支出 {amount} 元)", note=text, now=now)
        audit_record(
            actor=actor,
            action="proposal.progress",
            target=proposal,
            summary=f"实施进展:{proposal.title},支出 {amount} 元",
        )
        voters = Vote.objects.filter(ballot__proposal=proposal, voter__isnull=False).values_list("voter_id", flat=True)
        notify_residents([*_followers(proposal), *voters], title=f"实施进展:{proposal.title}", body=text[:200])
    return update


def proposal_complete(*, actor, proposal: Proposal, final_report: str, now=None) -> Proposal:
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以结项")
    report = clean_text(final_report, field="final_report", label="完成报告", max_length=5000)
    with transaction.atomic():
        return proposal_move(
            actor=actor,
            proposal=proposal,
            to=Stage.DONE,
            allowed_from=(Stage.IMPLEMENTING,),
            title="完成",
            note=report,
            now=now,
            extra={"final_report": report},
        )


def proposal_reject(*, actor, proposal: Proposal, note: str, now=None) -> Proposal:
    _require(rules.may_manage(actor, proposal.community_id), "只有社区书记可以结束议题")
    note = clean_text(note, field="note", label="理由", max_length=2000)
    with transaction.atomic():
        return proposal_move(
            actor=actor,
            proposal=proposal,
            to=Stage.REJECTED,
            allowed_from=(Stage.DISCUSSING, Stage.COORDINATING),
            title="未通过",
            note=note,
            now=now,
        )


def proposal_withdraw(*, actor, proposal: Proposal, now=None) -> Proposal:
    _require(rules.proposal_can_withdraw(actor, proposal), "只有提出人可以撤回议题")
    with transaction.atomic():
        return proposal_move(
            actor=actor,
            proposal=proposal,
            to=Stage.WITHDRAWN,
            allowed_from=(Stage.DISCUSSING, Stage.COORDINATING),
            title="撤回",
            now=now,
        )


def proposal_merge(*, actor, duplicate: Proposal, target: Proposal, now=None) -> Proposal:
    """Join a duplicate into `target`: its supports (and its proposer, as a supporter) carry over; a resident who
    supported both counts once."""
    _require(rules.may_manage(actor, duplicate.community_id), "只有社区书记可以合并议题")
    if duplicate.pk == target.pk:
        raise DomainError("不能把议题合并到它自己", field="target")
    if target.community_id != duplicate.community_id:
        raise DomainError("只能合并同一社区的议题", field="target")
    if target.stage not in (Stage.DISCUSSING, Stage.COORDINATING):
        raise Conflict("目标议题已不在议事或协调阶段")
    with transaction.atomic():
        proposal_move(
            actor=actor,
            proposal=duplicate,
            to=Stage.MERGED,
            allowed_from=(Stage.DISCUSSING, Stage.COORDINATING),
            title=f"并入议题“{target.title}”",
            now=now,
            extra={"merged_into": target},
        )
        already = set(ProposalSupport.objects.filter(proposal=target).values_list("resident_id", flat=True))
        if target.proposer_resident_id:
            already.add(target.proposer_resident_id)
        moving = ProposalSupport.objects.filter(proposal=duplicate).exclude(resident_id__in=already)
        moved = moving.update(proposal=target)
        ProposalSupport.objects.filter(proposal=duplicate).delete()
        if duplicate.proposer_resident_id and duplicate.proposer_resident_id not in already:
            ProposalSupport.objects.get_or_create(
                proposal=target,
                resident_id=duplicate.proposer_resident_id,
                defaults={
                    "community_id": target.community_id,
                    "household_id": duplicate.proposer_resident.household_id,
                },
            )
        count = ProposalSupport.objects.filter(proposal=target).count()
        Proposal.objects.filter(pk=duplicate.pk).update(support_count=0)
        Proposal.objects.filter(pk=target.pk).update(support_count=count)
        target.refresh_from_db()
        _event(target, actor, f"合并重复议题“{duplicate.title}”,转入附议 {moved} 人", now=now)
        audit_record(
            actor=actor,
            action="proposal.merge",
            target=target,
            summary=f"合并议题 {duplicate.title} → {target.title}",
            changes={"附议人数": [None, count]},
        )
    return target
