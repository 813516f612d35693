"""Writes to errands. The status moves go through core.case_services.case_transition (compare-and-set on the
case's status, history, audit, notification); the errand's own fields change in the same transaction."""

import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from jumin.cases import services as case_services
from jumin.cases.models import Case
from jumin.cases.selectors import can_work
from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.params import id_param
from jumin.hall.models import ServiceItem
from jumin.hall.rules import item_ineligibility
from jumin.people.models import Resident, ResidentStatus

from . import kind as k
from .models import CODE_LENGTH, WRONG_CODE_LIMIT, Errand, Handover, missing_documents

PHONE_RE = re.compile(r"^1\d{10}$")
CODE_RE = re.compile(rf"^\d{{{CODE_LENGTH}}}$")
CODE_ATTEMPTS = 20
# Who may request an errand on a resident's behalf (the resident in their scope).
PROXY_REQUESTERS = frozenset({*k.CASE_KIND.worker_roles, Role.SECRETARY})


def may_request_for_others(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in PROXY_REQUESTERS


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def _save_with_fresh_code(errand: Errand, *, update_fields=None) -> None:
    """Give the errand a pickup code no live errand of the community holds; retry on a collision. The first
    collision releases the codes of the community's returned errands, which can never be collected."""
    code, released = new_pickup_code(), False
    for _ in range(CODE_ATTEMPTS):
        errand.pickup_code = code
        try:
            with transaction.atomic():
                errand.save(update_fields=update_fields)
            return
        except IntegrityError:
            if not released:
                released = True
                if release_returned_codes(community_id=errand.community_id):
                    continue  # the clash may have been with one of them: the same code may now be free
            code = new_pickup_code()
    raise DomainError("暂时无法生成取件码,请稍后再试")


def release_returned_codes(*, community_id) -> int:
    """已退回 is final (no transition leaves it), so its code may go to a new errand. Idempotent, safe to race."""
    return (
        Errand.objects.filter(community_id=community_id, picked_up_at__isnull=True, pickup_code_released=False)
        .filter(case__status=k.RETURNED)
        .update(pickup_code_released=True)
    )


def errand_request(
    *,
    actor,
    service_item: ServiceItem,
    contact_phone: str,
    contact_note: str = "",
    documents_ready=(),
    handover: str = Handover.VISIT,
    resident=None,
) -> Errand:
    """A resident asks the community to run a hall item for them; window staff (or the grid worker, the
    secretary) ask on behalf of a resident in their scope. Only items flagged 可代办 may be asked for.
    `documents_ready` names the documents from the item's 材料清单 the resident already has; `handover` says
    whether staff collect them at home or the resident brings them to the window."""
    if actor.is_resident:
        if actor.resident_id is None:
            raise PermissionDenied("账号尚未绑定住户,暂不能申请代办")
        resident = actor.resident
    elif not may_request_for_others(actor):
        raise PermissionDenied("您没有代居民申请代办的权限")
    elif resident is None:
        raise DomainError("请选择为哪位居民申请", field="resident")
    elif not _in_scope(actor, resident):
        raise PermissionDenied("该居民不在您的管辖范围内")
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("该居民已不在册,不能申请代办", field="resident")
    if service_item.community_id != resident.community_id or not service_item.active:
        raise DomainError("该事项不属于本社区服务大厅", field="service_item")
    if not service_item.proxy_allowed:
        raise DomainError(f"“{service_item.name}”须本人到窗口办理,不能代办", field="service_item")
    refusal = item_ineligibility(service_item, resident, today=timezone.localdate())
    if refusal:
        raise DomainError(refusal, field="service_item")
    contact_phone = (contact_phone or "").strip()
    if not PHONE_RE.match(contact_phone):
        raise DomainError("联系电话应为以 1 开头的 11 位数字", field="contact_phone")
    contact_note = (contact_note or "").strip()
    if len(contact_note) > 200:
        raise DomainError("联系方式说明不能超过 200 字", field="contact_note")
    ready = _documents_ready(service_item, documents_ready)
    if handover not in Handover.values:
        raise DomainError("请选择材料怎么交给社区", field="handover")
    body = request_body(service_item, ready, Handover(handover), contact_note)
    with transaction.atomic():
        # The item's own time limit replaces the kind's default deadline (and again after a reopen: kind.py).
        case = case_services.case_open(
            actor=actor,
            kind=k.KIND,
            title=service_item.name,
            body=body,
            resident=resident,
            due_working_days=service_item.time_limit_working_days,
        )
        errand = Errand(
            case=case,
            community_id=case.community_id,
            service_item=service_item,
            contact_phone=contact_phone,
            contact_note=contact_note,
            documents_ready=ready,
            handover=handover,
        )
        _save_with_fresh_code(errand)
    return errand


def _documents_ready(item: ServiceItem, names) -> list[str]:
    """The ticked names, in the order of the item's list; a name not on the list is refused."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list | tuple) or not all(isinstance(name, str) for name in names):
        raise DomainError("已备好的材料应为材料名称的列表", field="documents_ready")
    chosen = {name.strip() for name in names}
    unknown = sorted(chosen - set(item.required_documents))
    if unknown:
        raise DomainError(f"“{'、'.join(unknown)}”不在“{item.name}”的材料清单中", field="documents_ready")
    return [name for name in item.required_documents if name in chosen]


def request_body(item: ServiceItem, ready: list[str], handover: Handover, contact_note: str) -> str:
    """The case text: what is asked, which documents are ready and which are still to get, how they come in."""
    body = f"申请代办“{item.name}”({item.window})。"
    if item.required_documents:
        missing = missing_documents(item, ready)
        body += f"\n已备好的材料:{'、'.join(ready) or '无'}。"
        if missing:
            body += f"\n还需准备的材料:{'、'.join(missing)}。"
        body += f"\n材料交接:{handover.label}。"
    else:
        body += "\n此事项无需材料。"
    if contact_note:
        body += f"\n联系方式说明:{contact_note}"
    return body


def _in_scope(actor, resident) -> bool:
    return scope_for(actor).contains(resident)


def errand_request_from_api(*, actor, data: dict):
    """POST /api/v1/cases with kind "errand": service_item (id), contact_phone, contact_note, documents_ready
    (names from the item's list), handover ("visit" or "window"), resident (uuid, staff only)."""
    resident = None
    if actor.is_office:
        if data.get("resident"):
            resident = Resident.objects.filter(uuid=_uuid(data["resident"])).first()
            if resident is None or not _in_scope(actor, resident):
                raise Http404
        community_id = resident.community_id if resident is not None else None
    else:
        if actor.resident_id is None:
            raise PermissionDenied("账号尚未绑定住户,暂不能申请代办")
        community_id = actor.resident.community_id
    item_id = id_param(data.get("service_item"))
    item = None
    if community_id and item_id:
        item = ServiceItem.objects.filter(pk=item_id, community_id=community_id).first()
    if item is None and resident is None and actor.is_office:
        raise DomainError("请选择为哪位居民申请", field="resident")
    if item is None:
        raise DomainError("请选择本社区的服务事项", field="service_item")
    errand = errand_request(
        actor=actor,
        service_item=item,
        contact_phone=data.get("contact_phone") or "",
        contact_note=data.get("contact_note") or "",
        documents_ready=data.get("documents_ready") or (),
        handover=data.get("handover") or Handover.VISIT,
        resident=resident,
    )
    return errand.case


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _check_worker(actor, errand: Errand) -> Case:
    case = errand.case
    if not can_work(actor, case):
        raise PermissionDenied("您不能办理该代办事项")
    return case


def errand_receive_documents(*, actor, errand: Errand, received: list[str]) -> Errand:
    """材料已收: staff tick every document on the item's list; a missing one stops the step."""
    case = _check_worker(actor, errand)
    if case.status != k.ACCEPTED:
        raise DomainError(f"“{case.status_label}”状态下不能登记收取材料,请先受理")
    required = list(errand.service_item.required_documents)
    ticked = {name for name in received or [] if name in required}
    missing = [name for name in required if name not in ticked]
    if missing:
        raise DomainError(f"还缺少材料:{'、'.join(missing)}。请收齐后再登记", field="documents")
    with transaction.atomic():
        Errand.objects.filter(pk=errand.pk).update(documents_received=required, updated_at=timezone.now())
        errand.case = case_services.case_transition(
            actor=actor,
            case=case,
            to=k.DOCS_RECEIVED,
            comment=f"已收齐材料:{'、'.join(required)}" if required else "无需材料",
            expected_status=k.ACCEPTED,
        )
    errand.documents_received = required
    return errand


def errand_record_result(*, actor, errand: Errand, note: str) -> Errand:
    """结果已回: the department has answered; the resident is told (with the note) and may come with the code."""
    case = _check_worker(actor, errand)
    note = (note or "").strip()
    if not note:
        raise DomainError("请填写办理结果,例如:证件已办好,请凭取件码到2号窗口领取", field="note")
    if len(note) > 1000:
        raise DomainError("办理结果不能超过 1000 字", field="note")
    if case.status != k.SUBMITTED:
        raise DomainError(f"“{case.status_label}”状态下不能登记结果已回")
    with transaction.atomic():
        errand.result_note = note
        if errand.picked_up_at is not None:
            # A reopened errand comes back a second time: the old code was used, so issue a new one.
            errand.picked_up_at, errand.picked_up_by_name = None, ""
            errand.wrong_code_attempts, errand.wrong_code_on = 0, None
            _save_with_fresh_code(
                errand,
                update_fields=[
                    *("result_note", "picked_up_at", "picked_up_by_name", "pickup_code", "updated_at"),
                    *("wrong_code_attempts", "wrong_code_on"),
                ],
            )
        else:
            errand.save(update_fields=["result_note", "updated_at"])
        errand.case = case_services.case_transition(
            actor=actor, case=case, to=k.RESULT_BACK, comment=note, expected_status=k.SUBMITTED
        )
    return errand


def _claim_code_attempt(*, actor, errand: Errand, case: Case) -> int:
    """Take one of today's WRONG_CODE_LIMIT tries before the code is compared, and return how many are left if
    this one is wrong. Race-safe without locks: the claim is a conditional update (attempts < limit) that only one
    of several simultaneous tries can win for the last slot, so at most WRONG_CODE_LIMIT codes are ever compared
    per errand per day. A counter on the row, not counting audit rows: two tries could both count 4 and both go on.
    """
    today = timezone.localdate()
    # The first try of a day starts a fresh count; once anyone has started today's, this matches nothing.
    Errand.objects.filter(pk=errand.pk).exclude(wrong_code_on=today).update(wrong_code_on=today, wrong_code_attempts=0)
    claimed = Errand.objects.filter(pk=errand.pk, wrong_code_on=today, wrong_code_attempts__lt=WRONG_CODE_LIMIT).update(
        wrong_code_attempts=F("wrong_code_attempts") + 1
    )
    if claimed != 1:
        audit_record(
            actor=actor,
            action="errand.pickup_locked",
            target=errand,
            summary=f"{case.number} 今日取件码已输错 {WRONG_CODE_LIMIT} 次,拒绝核验",
        )
        raise DomainError(
            f"该代办今天已输错 {WRONG_CODE_LIMIT} 次取件码,为防冒领,今天不能再核验,请明天再试。"
            "居民可在“我的事项”里查看本人的取件码。",
            field="code",
        )
    return WRONG_CODE_LIMIT - Errand.objects.values_list("wrong_code_attempts", flat=True).get(pk=errand.pk)


def errand_pickup(*, actor, errand: Errand, code: str, picked_up_by_name: str = "") -> Errand:
    """已领取: the window staff types the code the resident shows. A wrong code changes nothing; a result can be
    collected once (compare-and-set on picked_up_at, then on the case status)."""
    case = _check_worker(actor, errand)
    if case.status != k.RESULT_BACK:
        raise DomainError(f"“{case.status_label}”状态下不能领取")
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise DomainError(f"取件码不正确:应为 {CODE_LENGTH} 位数字", field="code")
    left = _claim_code_attempt(actor=actor, errand=errand, case=case)
    if not secrets.compare_digest(code, errand.pickup_code):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="errand.pickup_code_wrong",
                target=errand,
                summary=f"{case.number} 取件码核验未通过(今日第 {WRONG_CODE_LIMIT - left} 次)",
            )
        if left == 0:
            raise DomainError(f"取件码不正确。今天已输错 {WRONG_CODE_LIMIT} 次,为防冒领,明天才能再核验", field="code")
        raise DomainError(f"取件码不正确,今天还可再试 {left} 次", field="code")
    name = (picked_up_by_name or "").strip()[:50] or (case.resident.name if case.resident_id else "")
    now = timezone.now()
    with transaction.atomic():
        # The attempt claimed above was the right code: give it back, so the count stays a count of wrong ones.
        changed = Errand.objects.filter(pk=errand.pk, picked_up_at__isnull=True, pickup_code=code).update(
            picked_up_at=now,
            picked_up_by_name=name,
            updated_at=now,
            wrong_code_attempts=Greatest(F("wrong_code_attempts") - 1, 0),
        )
        if changed != 1:
            raise Conflict("该结果已被领取,不能重复领取")
        errand.case = case_services.case_transition(
            actor=actor, case=case, to=k.PICKED_UP, comment=f"领取人:{name}", expected_status=k.RESULT_BACK
        )
        audit_record(actor=actor, action="errand.pickup", target=errand, summary=f"{case.number} 核验取件码,已领取")
    errand.picked_up_at, errand.picked_up_by_name = now, name
    return errand
