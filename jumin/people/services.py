"""Writes to the register. Each service checks permission and scope, writes inside one transaction,
bumps the household version (compare-and-set) and records the audit event."""

import datetime
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from jumin.core.access import Scope, user_can
from jumin.core.audit import audit_record, diff_fields
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.places.models import Building, Compound, Dwelling, Unit, dwelling_address

from . import idcard
from .models import (
    Activation,
    ActivationAttempt,
    ActivationStatus,
    Household,
    Relationship,
    Resident,
    ResidentStatus,
    ResidentTag,
    Tag,
)

EDITABLE_FIELDS = ["name", "relationship", "gender", "birth_date", "phone", "status"]
# Birth dates stay out of the audit log (register_changes says why).
AUDITED_FIELDS = [f for f in EDITABLE_FIELDS if f != "birth_date"]


def register_changes(resident: Resident, new_values: dict) -> dict:
    """The audit diff of a register edit. Staff who may see neither phone numbers nor birth dates read the audit
    list (the street leader), so a phone is kept masked and a birth date left out: it changes only with the ID
    number, whose change is recorded (masked), and beside the masked number and the age even its year would narrow
    the number to a few candidates (idcard.mask)."""
    changes = diff_fields(resident, new_values, AUDITED_FIELDS)
    if "手机号" in changes:
        changes["手机号"] = [idcard.mask_phone(resident.phone), idcard.mask_phone(new_values["phone"])]
    return changes


def name_pinyin(name: str) -> str:
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    return f"{initials} {full}"


def identity_fields(id_number: str) -> dict:
    """Derived columns for an ID number; raises DomainError(field="id_number") in Chinese when invalid."""
    try:
        number, birth, gender = idcard.parse(id_number)
    except idcard.InvalidIdNumber as exc:
        raise DomainError(str(exc), field="id_number") from exc
    return {
        "id_number": number,
        "id_hash": idcard.blind_index(number),
        "id_masked": idcard.mask(number),
        "id_tail": number[-4:],
        "birth_date": birth,
        "gender": gender,
    }


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise PermissionDenied("您没有权限执行此操作")


def _check_in_scope(scope: Scope, household: Household) -> None:
    if not scope.contains(household):
        raise PermissionDenied("该户不在您的管辖范围内")


def household_bump_version(household: Household, expected_version: int | None) -> None:
    """Compare-and-set on the household version: a stale form is refused instead of overwriting."""
    rows = Household.objects.filter(pk=household.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1, updated_at=timezone.now()) != 1:
        raise Conflict("该户信息已被他人修改,请刷新页面后重新操作。")
    household.version = (expected_version or household.version) + 1


def _check_unique_head(household: Household, relationship: str, exclude_pk=None) -> None:
    if relationship != Relationship.HEAD:
        return
    heads = household.members.filter(relationship=Relationship.HEAD, status=ResidentStatus.ACTIVE)
    if exclude_pk:
        heads = heads.exclude(pk=exclude_pk)
    if heads.exists():
        raise DomainError("该户已有户主,请先修改原户主的关系", field="relationship")


ID_TAKEN = "该身份证号已登记在其他户,不能重复登记"
ID_DECEASED = "该身份证号登记的居民已故,不能再登记"


@contextmanager
def _identity_race_guard():
    """Two staff registering the same ID number at once: the unique index on 在册 rows stops the second; say so in
    Chinese."""
    try:
        yield
    except IntegrityError as exc:
        raise DomainError(ID_TAKEN, field="id_number") from exc


def identity_record(rows: list[dict], community_id: int) -> dict | None:
    """Which of a person's records a new registration in the community is about, among all rows holding their ID
    number (dicts with id, community_id, status, moved_out_on): the 在册 row wherever it is; else a 已故 row; else
    this community's latest moved-out row, to be brought back. None: only moved-out rows in other communities,
    which stay there as history, so the person gets a new row here. The forms and the roster import both use it."""
    latest_first = sorted(rows, key=lambda r: (r["moved_out_on"] is not None, r["moved_out_on"], r["id"]), reverse=True)
    for wanted in (ResidentStatus.ACTIVE, ResidentStatus.DECEASED):
        found = next((r for r in latest_first if r["status"] == wanted), None)
        if found is not None:
            return found
    return next((r for r in latest_first if r["community_id"] == community_id), None)


def _identity_claim(id_number: str, community_id: int, exclude_pk=None) -> dict | None:
    """Whether this ID number may be registered in the community, and on which row: refused when someone 在册
    anywhere holds it, or the person is recorded as 已故; else the moved-out row of this community to bring back,
    or None for a new row."""
    rows = Resident.objects.filter(id_hash__in=idcard.blind_indexes(id_number))
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    found = identity_record(list(rows.values("id", "community_id", "status", "moved_out_on")), community_id)
    if found is not None and found["status"] == ResidentStatus.ACTIVE:
        raise DomainError(ID_TAKEN, field="id_number")
    if found is not None and found["status"] == ResidentStatus.DECEASED:
        raise DomainError(ID_DECEASED, field="id_number")
    return found


def _restore(*, actor, resident_pk: int, household: Household, data: dict, identity: dict, tags) -> Resident:
    """Bring a moved-out resident of this community back onto the register, in `household`, instead of making a
    second row for the same person. Call inside the service's transaction."""
    resident = Resident.objects.select_related("household__dwelling").get(pk=resident_pk)
    old_household = resident.household
    new_values = {
        "name": data["name"],
        "relationship": data["relationship"],
        "gender": identity["gender"],
        "birth_date": identity["birth_date"],
        "phone": data.get("phone", ""),
        "status": ResidentStatus.ACTIVE,
    }
    changes = register_changes(resident, new_values)
    if old_household.pk != household.pk:
        changes["户"] = [old_household.dwelling.address, household.dwelling.address]
        household_bump_version(old_household, None)  # its file no longer lists this person
    for field, value in {**new_values, **identity}.items():
        setattr(resident, field, value)
    resident.household = household
    resident.grid_id = household.grid_id
    resident.name_pinyin = name_pinyin(resident.name)
    resident.moved_out_on = None
    resident.moved_out_reason = ""
    resident.save()
    _set_tags(resident, tags)
    audit_record(
        actor=actor,
        action="resident.restore",
        target=resident,
        summary=f"重新登记居民 {resident.name}({household.dwelling.address})",
        changes=changes,
    )
    return resident


def _set_tags(resident: Resident, tags) -> None:
    wanted = {t.pk for t in tags}
    current = set(resident.resident_tags.values_list("tag_id", flat=True))
    resident.resident_tags.filter(tag_id__in=current - wanted).delete()
    ResidentTag.objects.bulk_create(
        [ResidentTag(community_id=resident.community_id, resident=resident, tag_id=t) for t in wanted - current]
    )


def _refresh_member_count(household: Household) -> None:
    count = household.members.filter(status=ResidentStatus.ACTIVE).count()
    head = household.members.filter(status=ResidentStatus.ACTIVE, relationship=Relationship.HEAD).first()
    Household.objects.filter(pk=household.pk).update(
        member_count=count, head_name=head.name if head else household.head_name
    )


def resident_create(
    *, actor, scope: Scope, household: Household, expected_version: int, data: dict, tags=()
) -> Resident:
    _require(actor, "register.edit")
    _check_in_scope(scope, household)
    identity = identity_fields(data["id_number"])
    _check_birth_matches(data, identity)
    with _identity_race_guard(), transaction.atomic():
        household_bump_version(household, expected_version)
        moved_out = _identity_claim(identity["id_number"], household.community_id)
        _check_unique_head(household, data["relationship"])
        if moved_out is not None:
            resident = _restore(
                actor=actor, resident_pk=moved_out["id"], household=household, data=data, identity=identity, tags=tags
            )
            _refresh_member_count(household)
            return resident
        resident = Resident.objects.create(
            community_id=household.community_id,
            household=household,
            grid_id=household.grid_id,
            name=data["name"],
            name_pinyin=name_pinyin(data["name"]),
            relationship=data["relationship"],
            phone=data.get("phone", ""),
            **identity,
        )
        _set_tags(resident, tags)
        _refresh_member_count(household)
        audit_record(
            actor=actor,
            action="resident.create",
            target=resident,
            summary=f"登记居民 {resident.name}({household.dwelling.address})",
            changes={"身份证号": [None, identity["id_masked"]]},
        )
    return resident


def resident_update(*, actor, scope: Scope, resident: Resident, expected_version: int, data: dict, tags=None):
    _require(actor, "register.edit")
    household = resident.household
    _check_in_scope(scope, household)
    identity = identity_fields(data["id_number"]) if data.get("id_number") else {}
    if not identity and data.get("birth_date") and not user_can(actor, "register.reveal_id"):
        # Checked against the one on file, the answer would tell a role that may not see it the birth date.
        raise DomainError("出生日期按身份证号登记,请同时填写新的身份证号", field="birth_date")
    # Birth date and gender come from the ID number: without a new number they must still agree with the one on file.
    _check_birth_matches(data, identity or {"birth_date": resident.birth_date, "gender": resident.gender})
    with transaction.atomic():
        household_bump_version(household, expected_version)
        if identity and identity["id_hash"] != resident.id_hash:
            _check_new_id_number_free(identity["id_number"], resident)
        _check_unique_head(household, data.get("relationship", resident.relationship), exclude_pk=resident.pk)
        # A blank 性别 or 出生日期 on the form means "as the ID number says", never "erase".
        new_values = {
            k: v for k, v in data.items() if k in EDITABLE_FIELDS and (v or k not in ("gender", "birth_date"))
        }
        new_values.update({k: identity[k] for k in ("birth_date", "gender") if k in identity})
        changes = register_changes(resident, new_values)
        if identity and identity["id_hash"] != resident.id_hash:
            changes["身份证号"] = [resident.id_masked, identity["id_masked"]]
        for field, value in {**new_values, **identity}.items():
            setattr(resident, field, value)
        resident.name_pinyin = name_pinyin(resident.name)
        resident.save()
        if tags is not None:
            before = sorted(resident.tags.values_list("name", flat=True))
            _set_tags(resident, tags)
            after = sorted(t.name for t in tags)
            if before != after:
                changes["标签"] = ["、".join(before), "、".join(after)]
        _refresh_member_count(household)
        audit_record(
            actor=actor, action="resident.update", target=resident, summary=f"修改居民 {resident.name}", changes=changes
        )
    return resident


def _check_new_id_number_free(id_number: str, resident: Resident) -> None:
    """Correcting a resident's ID number: refused when it is someone else's, including a moved-out record in this
    community (that person is brought back by registering them again, not by renumbering another row)."""
    if _identity_claim(id_number, resident.community_id, exclude_pk=resident.pk) is not None:
        raise DomainError("该身份证号在本社区已有迁出记录,请通过“添加成员”重新登记该居民", field="id_number")


def resident_move_out(
    *, actor, scope: Scope, resident: Resident, expected_version: int, on: datetime.date, reason: str, status=None
):
    _require(actor, "register.edit")
    household = resident.household
    _check_in_scope(scope, household)
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("该居民已不在册")
    status = status or ResidentStatus.MOVED_OUT
    if status not in (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED):
        raise DomainError("迁出类型无效", field="status")
    if on > timezone.localdate():
        raise DomainError("迁出日期不能晚于今天", field="on")
    with transaction.atomic():
        household_bump_version(household, expected_version)
        resident.status = status
        resident.moved_out_on = on
        resident.moved_out_reason = reason
        resident.save(update_fields=["status", "moved_out_on", "moved_out_reason", "updated_at"])
        _refresh_member_count(household)
        audit_record(
            actor=actor,
            action="resident.move_out",
            target=resident,
            summary=f"{resident.name} {resident.get_status_display()}:{reason}"[:200],
            changes={"状态": ["在册", ResidentStatus(status).label], "迁出日期": [None, on.isoformat()]},
        )
    return resident


def _check_birth_matches(data: dict, identity: dict) -> None:
    if not identity:
        return
    birth = data.get("birth_date")
    if birth and birth != identity["birth_date"]:
        raise DomainError("出生日期与身份证号不一致", field="birth_date")
    gender = data.get("gender")
    if gender and gender != identity["gender"]:
        raise DomainError("性别与身份证号不一致", field="gender")


def dwelling_get_or_create(*, community_id: int, compound: Compound, building_name: str, unit_name: str, number: str):
    """Find or create the building/unit/dwelling under a compound (the building must already exist in a grid)."""
    building = Building.objects.filter(compound=compound, name=building_name).first()
    if building is None:
        raise DomainError(f"{compound.name}没有{building_name},请先用“房屋导入”登记楼栋", field="building")
    unit, _ = Unit.objects.get_or_create(community_id=community_id, building=building, name=unit_name)
    dwelling, _ = Dwelling.objects.get_or_create(
        community_id=community_id,
        unit=unit,
        number=number,
        defaults={"address": dwelling_address(compound.name, building.name, unit.name, number)},
    )
    return dwelling


def household_create(*, actor, scope: Scope, compound: Compound, building_name, unit_name, number, head: dict, tags=()):
    """A new household at a dwelling, with its head as the first member."""
    _require(actor, "register.edit")
    if compound.community_id not in scope.community_ids:
        raise PermissionDenied("该小区不在您的管辖范围内")
    identity = identity_fields(head["id_number"])
    _check_birth_matches(head, identity)
    with _identity_race_guard(), transaction.atomic():
        dwelling = dwelling_get_or_create(
            community_id=compound.community_id,
            compound=compound,
            building_name=building_name,
            unit_name=unit_name,
            number=number,
        )
        grid_id = dwelling.unit.building.grid_id
        if scope.grid_ids is not None and grid_id not in scope.grid_ids:
            raise PermissionDenied("该楼栋不在您负责的网格内")
        moved_out = _identity_claim(identity["id_number"], compound.community_id)
        household = Household.objects.create(
            community_id=compound.community_id,
            grid_id=grid_id,
            compound=compound,
            dwelling=dwelling,
            head_name=head["name"],
        )
        if moved_out is not None:
            resident = _restore(
                actor=actor,
                resident_pk=moved_out["id"],
                household=household,
                data={**head, "relationship": Relationship.HEAD},
                identity=identity,
                tags=tags,
            )
        else:
            resident = Resident.objects.create(
                community_id=household.community_id,
                household=household,
                grid_id=grid_id,
                name=head["name"],
                name_pinyin=name_pinyin(head["name"]),
                relationship=Relationship.HEAD,
                phone=head.get("phone", ""),
                **identity,
            )
            _set_tags(resident, tags)
        _refresh_member_count(household)
        audit_record(
            actor=actor,
            action="household.create",
            target=household,
            summary=f"新建户 {dwelling.address},户主 {resident.name}",
        )
    return household


def resident_reveal_id(*, actor, scope: Scope, resident: Resident) -> str:
    """Return the full ID number to a role that needs it, and record that it was shown."""
    _require(actor, "register.reveal_id")
    _check_in_scope(scope, resident.household)
    with transaction.atomic():
        audit_record(
            actor=actor, action="resident.reveal_id", target=resident, summary=f"查看 {resident.name} 的完整身份证号"
        )
    return resident.id_number


# ---- account activation -------------------------------------------------------------------------------------


# One answer whether the pair is wrong, belongs to an account already, or raced another request: otherwise the
# form would confirm a guessed ID number for a known phone.
NO_MATCH = "手机号与身份证号未能匹配到社区登记信息,或该账号已激活。已有账号请直接登录,仍有疑问请到社区服务大厅办理。"
TOO_MANY = "激活尝试次数过多,请明天再试,或带身份证到社区服务大厅办理。"
ATTEMPT_WINDOW = datetime.timedelta(hours=24)
ATTEMPTS_PER_PHONE = 5
ATTEMPTS_PER_CLIENT = 20


def activation_attempt_allowed(key: str, limit: int, *, now) -> bool:
    """Count one attempt for `key` unless it already made `limit` in the window: conditional updates, so two
    requests at once cannot both take the last attempt (no select_for_update, which SQLite ignores)."""
    fresh = now - ATTEMPT_WINDOW
    rows = ActivationAttempt.objects.filter(key=key)
    if rows.filter(window_start__gt=fresh, count__lt=limit).update(count=F("count") + 1):
        return True
    if rows.filter(window_start__gt=fresh).exists():
        return False
    if rows.filter(window_start__lte=fresh).update(window_start=now, count=1):
        return True
    try:
        with transaction.atomic():
            ActivationAttempt.objects.create(key=key, window_start=now, count=1)
    except IntegrityError:  # another request created it first: count against that one
        return bool(rows.filter(count__lt=limit).update(count=F("count") + 1))
    return True


def activation_request(*, phone: str, id_number: str, password: str, client_ip: str = "", now=None):
    """A resident asks to bind a new login to their register entry (phone + ID must both match the register).
    Throttled per phone and per client address, with one answer for every refusal (NO_MATCH)."""
    from jumin.core.models import Role, User

    now = now or timezone.now()
    phone_key = "phone:" + idcard.blind_index(phone)[:40]
    if not (
        activation_attempt_allowed(phone_key, ATTEMPTS_PER_PHONE, now=now)
        and activation_attempt_allowed(f"ip:{client_ip}"[:80], ATTEMPTS_PER_CLIENT, now=now)
    ):
        raise DomainError(TOO_MANY)
    try:
        number = idcard.parse(id_number)[0]
    except idcard.InvalidIdNumber as exc:
        raise DomainError(str(exc), field="id_number") from exc
    resident = (
        Resident.objects.filter(id_hash__in=idcard.blind_indexes(number), status=ResidentStatus.ACTIVE)
        .select_related("household")
        .first()
    )
    if resident is None or resident.phone != phone:
        raise DomainError(NO_MATCH)
    user = User.objects.filter(phone=phone).select_related("resident").first()
    if user is not None and not _moving_account(user, resident, password):
        raise DomainError(NO_MATCH)
    try:
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(phone, password, name=resident.name, role=Role.RESIDENT)
                summary = f"{resident.name} 申请激活账号"
            else:
                summary = f"{resident.name} 申请将已有账号转到本社区的登记信息(原登记已迁出)"
            activation = Activation.objects.create(community_id=resident.community_id, resident=resident, user=user)
            audit_record(actor=user, action="activation.request", target=activation, summary=summary)
    except IntegrityError as exc:  # a second request for the same phone or resident at the same moment
        raise DomainError(NO_MATCH) from exc
    return activation


def _moving_account(user, resident: Resident, password: str) -> bool:
    """A resident's account still bound to the record they moved out of, asking (with its own password) to follow
    them to the record where they are now registered; staff of the new community approve it like any activation."""
    old = user.resident
    return (
        old is not None
        and old.pk != resident.pk
        and old.id_hash == resident.id_hash
        and old.status == ResidentStatus.MOVED_OUT
        and user.is_active
        and user.check_password(password)
    )


def activation_decide(*, actor, scope: Scope, activation: Activation, approve: bool, reason: str = ""):
    from jumin.core.models import User

    _require(actor, "activation.approve")
    if activation.community_id not in scope.community_ids:
        raise PermissionDenied("该申请不在您的社区")
    if not approve and not reason.strip():
        raise DomainError("驳回时请填写原因", field="reason")
    new_status = ActivationStatus.APPROVED if approve else ActivationStatus.REJECTED
    with transaction.atomic():
        changed = Activation.objects.filter(pk=activation.pk, status=ActivationStatus.PENDING).update(
            status=new_status, decided_by=actor, decided_at=timezone.now(), reason=reason.strip()
        )
        if changed != 1:
            raise Conflict("该申请已被其他工作人员处理")
        if approve:
            if User.objects.filter(resident_id=activation.resident_id).exclude(pk=activation.user_id).exists():
                raise DomainError("该居民已绑定其他账号")
            User.objects.filter(pk=activation.user_id).update(resident_id=activation.resident_id)
        else:
            # A new account is switched off; an existing one that asked to follow its resident keeps its old binding.
            User.objects.filter(pk=activation.user_id, resident__isnull=True).update(is_active=False)
        activation.refresh_from_db()
        audit_record(
            actor=actor,
            action="activation.approve" if approve else "activation.reject",
            target=activation,
            summary=f"{'通过' if approve else '驳回'} {activation.resident.name} 的账号激活申请",
        )
    return activation


def tags_by_names(names) -> list[Tag]:
    return list(Tag.objects.filter(name__in=list(names)))
