"""Writes for 矛盾调解. The case engine keeps status, history, mediator and parties; these services add the rules of
mediation on top (a first session starts mediation, an agreement needs its text, an agreed case is visited before it
is closed) and never put party names or dispute text into audit summaries."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from jumin.cases.models import Case, CaseEvent, CaseFollowUp, CaseParty, EventKind, Phase
from jumin.cases.notify import notify
from jumin.cases.selectors import can_work
from jumin.cases.services import case_assign, case_escalate, case_follow_up, case_open, case_transition
from jumin.core.access import scope_for, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.uploads import validate_upload
from jumin.people.models import Resident

from .kind import ACCEPTED, AGREED, CLOSED, FAILED, KIND, MEDIATING, REGISTERED
from .models import SCAN_TYPES, Agreement, Category, Dispute, MediationSession, NamedParty
from .rules import MEDIATES, UNVERIFIED_PARTY, dispute_can_assign_mediator, dispute_has_unverified_parties
from .selectors import follow_up_done

MAX_OTHER_PARTIES = 5


def _status_label(case: Case) -> str:
    return case.spec.status_label(case.status)


def _require_worker(actor, case: Case, message: str) -> None:
    if not can_work(actor, case):
        raise PermissionDenied(message)


def _event(case: Case, actor, kind: str, comment: str, *, public: bool) -> None:
    CaseEvent.objects.create(
        community_id=case.community_id, case=case, actor=actor, kind=kind, comment=comment, public=public
    )


def _tell_parties(case: Case, title: str, body: str = "", *, residents=None, requester: bool = False) -> None:
    """The case engine tells the requester of each step; the other side sees the dispute in 我的事项 too, so they
    hear when they become a party and of the outcome. In the inbox only: no text message about a dispute goes to a
    phone the family may share. Call inside the service's transaction (notify sends on commit)."""
    if residents is not None:
        resident_ids = [r.pk for r in residents]
    else:
        parties = case.parties.all() if requester else case.parties.exclude(role=CaseParty.Role.REQUESTER)
        resident_ids = list(parties.values_list("resident_id", flat=True))
    if resident_ids:
        users = User.objects.filter(role=Role.RESIDENT, is_active=True, resident_id__in=resident_ids).order_by("id")
        notify(list(users), title=f"{title}:{case.title}", body=body, case=case)


MADE_A_PARTY = "您是一起矛盾调解的当事人"
MADE_A_PARTY_BODY = "调解员会与您联系,约定调解的时间和地点。纠纷内容只有当事人、调解员和社区书记能看到。"


# ---- registering -------------------------------------------------------------------------------------------------


def _clean_named_parties(items) -> list[tuple[str, str]]:
    named = []
    for item in items or ():
        name = (item.get("name") or "").strip() if isinstance(item, dict) else ""
        address = (item.get("address") or "").strip() if isinstance(item, dict) else ""
        if not name and not address:
            continue
        if not name or not address:
            raise DomainError("请同时填写对方的姓名和住址", field="other_parties")
        if len(name) > 50 or len(address) > 120:
            raise DomainError("对方姓名不超过 50 字,住址不超过 120 字", field="other_parties")
        named.append((name, address))
    return named


def _clean_resident_parties(actor, requester: Resident, others) -> list[Resident]:
    community_ids = scope_for(actor).community_ids
    seen, parties = {requester.pk}, []
    for resident in others or ():
        if not isinstance(resident, Resident) or resident.community_id not in community_ids:
            raise DomainError("当事人须为本社区居民", field="other_parties")
        if resident.community_id != requester.community_id:
            raise DomainError("申请人和当事人须为同一社区的居民", field="other_parties")
        if resident.pk not in seen:
            seen.add(resident.pk)
            parties.append(resident)
    return parties


def dispute_register(*, actor, title: str, text: str, category: str, other_parties, resident=None) -> Dispute:
    """登记纠纷. A resident names the other side by name and address (a list of {"name", "address"}) and staff link
    them to the register later; a mediator or the secretary registers with real Resident rows and a requester
    (`resident`). A mediator who registers one takes it at once: nobody else would see it."""
    if category not in Category.values:
        raise DomainError("请选择纠纷类型", field="category")
    title = (title or "").strip() or f"{Category(category).label}调解申请"
    named, residents, assignee = [], [], None
    if actor.is_resident:
        named = _clean_named_parties(other_parties)
        if not named:
            raise DomainError("请至少填写一位对方当事人的姓名和住址", field="other_parties")
        resident = None  # a resident always raises their own
    elif user_can(actor, "mediation.manage"):
        if resident is None:
            raise DomainError("请选择申请人", field="resident")
        residents = _clean_resident_parties(actor, resident, other_parties)
        if not residents:
            raise DomainError("请至少选择一位对方当事人(不能是申请人本人)", field="other_parties")
        assignee = actor if user_can(actor, MEDIATES) else None
    else:
        raise PermissionDenied("只有居民本人、调解员或社区书记可以登记纠纷")
    if len(named) + len(residents) > MAX_OTHER_PARTIES:
        raise DomainError(f"对方当事人最多 {MAX_OTHER_PARTIES} 位", field="other_parties")
    with transaction.atomic():
        case = case_open(
            actor=actor, kind=KIND, title=title, body=text, resident=resident, parties=residents, assignee=assignee
        )
        dispute = Dispute.objects.create(community_id=case.community_id, case=case, category=category)
        NamedParty.objects.bulk_create(
            NamedParty(community_id=case.community_id, dispute=dispute, name=name, address=address)
            for name, address in named
        )
        audit_record(
            actor=actor,
            action="mediation.register",
            target=dispute,
            summary=f"{case.number} 登记纠纷({dispute.get_category_display()})",
        )
        _tell_parties(case, MADE_A_PARTY, MADE_A_PARTY_BODY, residents=residents)
    return dispute


def _parse_uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise DomainError("当事人编号有误", field="other_parties") from exc


def dispute_create_from_api(actor, data: dict) -> Case:
    """POST /api/v1/cases with kind "dispute": residents send other_parties as [{"name", "address"}]; staff send
    resident uuids, and the requester's uuid as "resident"."""
    other = data.get("other_parties") or []
    if not isinstance(other, list):
        raise DomainError("other_parties 应为列表", field="other_parties")
    common = {"actor": actor, "title": data.get("title"), "text": data.get("text"), "category": data.get("category")}
    if actor.is_resident:
        if not all(isinstance(item, dict) for item in other):
            raise DomainError("请以姓名和住址填写对方当事人", field="other_parties")
        return dispute_register(**common, other_parties=other).case
    if not user_can(actor, "mediation.manage"):
        raise PermissionDenied("只有居民本人、调解员或社区书记可以登记纠纷")
    wanted = [_parse_uuid(value) for value in other]
    in_scope = Resident.objects.filter(community_id__in=scope_for(actor).community_ids)
    found = {r.uuid: r for r in in_scope.filter(uuid__in=wanted)}
    if len(found) != len(set(wanted)):
        raise DomainError("找不到所选的当事人,或其不在本社区", field="other_parties")
    requester = None
    if data.get("resident"):
        requester = in_scope.filter(uuid=_parse_uuid(data["resident"])).first()
        if requester is None:
            raise DomainError("找不到申请人,或其不在本社区", field="resident")
    return dispute_register(**common, resident=requester, other_parties=[found[u] for u in wanted]).case


def dispute_link_party(*, actor, named_party: NamedParty, resident: Resident) -> CaseParty:
    """核实当事人: staff match a name the resident wrote to a register entry; that person becomes a party (and
    from then on sees the dispute in 我的事项)."""
    case = named_party.dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以核实当事人")
    if resident.community_id != case.community_id:
        raise DomainError("当事人须为本社区居民", field="resident")
    if resident.pk == case.resident_id:
        raise DomainError("对方当事人不能是申请人本人", field="resident")
    with transaction.atomic():
        changed = NamedParty.objects.filter(pk=named_party.pk, resident__isnull=True).update(
            resident=resident, linked_by=actor, updated_at=timezone.now()
        )
        if changed != 1:
            raise Conflict("该当事人已核实过,请刷新后查看")
        party, _ = CaseParty.objects.get_or_create(community_id=case.community_id, case=case, resident=resident)
        _event(case, actor, EventKind.NOTE, "已核实对方当事人身份", public=False)
        audit_record(
            actor=actor, action="mediation.link_party", target=named_party, summary=f"{case.number} 核实当事人"
        )
        _tell_parties(case, MADE_A_PARTY, MADE_A_PARTY_BODY, residents=[resident])
    named_party.resident, named_party.linked_by = resident, actor
    return party


def dispute_assign_mediator(*, actor, dispute: Dispute, mediator: User) -> Case:
    """指派调解员 (the secretary): takes a new dispute for the mediator, or hands an open one to another mediator."""
    case = dispute.case
    if case.phase == Phase.CLOSED:
        raise DomainError("已结案的纠纷不能再指派调解员")
    if not dispute_can_assign_mediator(actor, case):
        raise PermissionDenied("只有社区书记可以指派调解员")
    if mediator is None or mediator.community_id != case.community_id or not user_can(mediator, MEDIATES):
        raise DomainError("请选择本社区的调解员", field="mediator")
    if not mediator.is_active:
        raise DomainError("该调解员账号已停用", field="mediator")
    if case.assignee_id == mediator.pk:
        raise DomainError(f"{mediator.name} 已是本纠纷的调解员", field="mediator")
    return case_assign(actor=actor, case=case, assignee=mediator, comment="指派调解员")


# ---- mediating ---------------------------------------------------------------------------------------------------


def session_add(
    *,
    actor,
    dispute: Dispute,
    held_at: datetime.datetime,
    place: str,
    notes: str,
    attendees=(),
    other_attendees: str = "",
) -> MediationSession:
    """记录一次调解; the first one moves 已受理 → 调解中."""
    case = dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以记录调解")
    if case.status == REGISTERED:
        raise DomainError("请先指派调解员")
    if case.status not in (ACCEPTED, MEDIATING):
        raise DomainError(f"纠纷“{_status_label(case)}”,不能再记录调解")
    place, notes, other_attendees = (place or "").strip(), (notes or "").strip(), (other_attendees or "").strip()
    if held_at is None:
        raise DomainError("请填写调解时间", field="held_at")
    if held_at > timezone.now() + datetime.timedelta(hours=1):
        raise DomainError("调解时间不能晚于现在:调解结束后再记录", field="held_at")
    if not place:
        raise DomainError("请填写调解地点", field="place")
    if not notes:
        raise DomainError("请填写调解情况", field="notes")
    if len(place) > 100 or len(other_attendees) > 200 or len(notes) > 5000:
        raise DomainError("地点不超过 100 字,其他参加人不超过 200 字,调解情况不超过 5000 字")
    attendees = list(attendees)
    party_ids = set(case.parties.values_list("resident_id", flat=True))
    if any(r.pk not in party_ids for r in attendees):
        raise DomainError("到场当事人须是本纠纷的当事人", field="attendees")
    with transaction.atomic():
        if case.status == ACCEPTED:
            try:
                case_transition(actor=actor, case=case, to=MEDIATING, comment="开始调解", expected_status=ACCEPTED)
            except Conflict:
                # Someone recorded the first session a moment ago: this one is simply the next.
                case.refresh_from_db()
                if case.status != MEDIATING:
                    raise
        session = MediationSession.objects.create(
            community_id=case.community_id,
            dispute=dispute,
            held_at=held_at,
            place=place,
            other_attendees=other_attendees,
            notes=notes,
            created_by=actor,
        )
        session.attendees.set(attendees)
        audit_record(actor=actor, action="mediation.session", target=session, summary=f"{case.number} 记录调解")
    return session


def _check_scan(upload) -> str:
    if upload is None:
        raise DomainError("请选择签字协议扫描件", field="signed_scan")
    try:
        content_type = validate_upload(upload)
    except DomainError as exc:
        raise DomainError(exc.message, field="signed_scan") from exc
    if content_type not in SCAN_TYPES:
        raise DomainError("签字协议只能上传 PDF、JPG 或 PNG 文件", field="signed_scan")
    return content_type


def _check_signed_at(signed_at) -> None:
    if signed_at is not None and signed_at > timezone.localdate():
        raise DomainError("签字日期不能晚于今天", field="signed_at")


def agreement_record(
    *, actor, dispute: Dispute, text: str, signed_scan=None, signed_at: datetime.date | None = None
) -> Agreement:
    """达成协议: the agreement text (and the signed paper, now or later) → 已达成协议."""
    case = dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以登记调解协议")
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写协议内容", field="text")
    if len(text) > 5000:
        raise DomainError("协议内容不超过 5000 字", field="text")
    if case.status in (REGISTERED, ACCEPTED):
        raise DomainError("请先记录至少一次调解,再登记调解协议")
    if case.status != MEDIATING:
        raise DomainError(f"纠纷“{_status_label(case)}”,不能登记调解协议")
    if dispute_has_unverified_parties(dispute):
        raise DomainError(UNVERIFIED_PARTY)
    content_type = _check_scan(signed_scan) if signed_scan is not None else ""
    _check_signed_at(signed_at)
    if signed_scan is not None and signed_at is None:
        signed_at = timezone.localdate()
    with transaction.atomic():
        case_transition(actor=actor, case=case, to=AGREED, comment="双方达成调解协议", expected_status=MEDIATING)
        # After a reopened round the new agreement replaces the old one, signature and all.
        agreement, _ = Agreement.objects.update_or_create(
            dispute=dispute,
            defaults={
                "community_id": case.community_id,
                "text": text,
                "signed_scan": signed_scan or "",
                "scan_content_type": content_type,
                "signed_at": signed_at,
                "recorded_by": actor,
            },
        )
        audit_record(actor=actor, action="mediation.agreement", target=agreement, summary=f"{case.number} 登记调解协议")
        _tell_parties(case, "矛盾调解已达成协议", "双方达成调解协议,请按协议履行。")
    return agreement


def agreement_attach_scan(*, actor, dispute: Dispute, upload, signed_at: datetime.date | None = None) -> Agreement:
    """上传签字协议: the parties often sign the printed agreement after it is recorded."""
    case = dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以上传签字协议")
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        raise DomainError("请先登记调解协议")
    if case.status not in (AGREED, CLOSED):
        raise DomainError(f"纠纷“{_status_label(case)}”,不能上传签字协议")
    content_type = _check_scan(upload)
    _check_signed_at(signed_at)
    old = agreement.signed_scan.name
    with transaction.atomic():
        agreement.signed_scan = upload
        agreement.scan_content_type = content_type
        agreement.signed_at = signed_at or agreement.signed_at or timezone.localdate()
        agreement.save(update_fields=["signed_scan", "scan_content_type", "signed_at", "updated_at"])
        _event(case, actor, EventKind.ATTACHMENT, "上传了双方签字的调解协议", public=True)
        audit_record(actor=actor, action="mediation.scan", target=agreement, summary=f"{case.number} 上传签字协议")
        if old:
            storage = agreement.signed_scan.storage
            transaction.on_commit(lambda: storage.delete(old))
    return agreement


def dispute_follow_up(*, actor, dispute: Dispute, method: str, note: str) -> CaseFollowUp:
    """回访: an agreed dispute is visited (to see the agreement kept) before it is closed, and may be after."""
    case = dispute.case
    if case.phase != Phase.CLOSED and case.status != AGREED:
        raise DomainError("达成协议后才能回访")
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以回访")
    return case_follow_up(actor=actor, case=case, method=method, note=note)


def dispute_fail(*, actor, dispute: Dispute, reason: str) -> Case:
    """调解未成, with the reason (the parties see it)."""
    case = dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以办理")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请说明调解未成的原因", field="reason")
    if case.status not in (ACCEPTED, MEDIATING):
        raise DomainError(f"纠纷“{_status_label(case)}”,不能登记为调解未成")
    with transaction.atomic():
        case = case_transition(actor=actor, case=case, to=FAILED, comment=reason, expected_status=case.status)
        _tell_parties(case, "矛盾调解未成", reason)
    return case


def dispute_close(*, actor, dispute: Dispute, comment: str = "") -> Case:
    """结案: a failed mediation at once; an agreed one only after at least one follow-up visit."""
    case = dispute.case
    _require_worker(actor, case, "只有本纠纷的调解员或社区书记可以结案")
    if case.status == AGREED:
        if not follow_up_done(case):
            raise DomainError("达成协议的纠纷须至少回访一次、确认协议履行后才能结案")
        if dispute_has_unverified_parties(dispute):
            raise DomainError(UNVERIFIED_PARTY)
    elif case.status != FAILED:
        raise DomainError("只有已达成协议或调解未成的纠纷可以结案")
    comment = (comment or "").strip()[:1000] or "结案"
    with transaction.atomic():
        case = case_transition(actor=actor, case=case, to=CLOSED, comment=comment, expected_status=case.status)
        _tell_parties(case, "矛盾调解已结案", comment)
    return case


def dispute_escalate(*, actor, dispute: Dispute, reason: str) -> Case:
    """移交街道司法所: the case goes up to the street (core escalation); its status stays as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请说明移交街道司法所的原因", field="reason")
    with transaction.atomic():
        case = case_escalate(actor=actor, case=dispute.case, comment=f"移交街道司法所({reason[:900]})")
        # The engine tells only the street; every party, the requester included, learns who handles it now.
        _tell_parties(case, "矛盾调解已移交街道司法所", "街道司法所将与您联系。", requester=True)
    return case
