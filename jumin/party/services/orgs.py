"""Writes for the organisation tree and its members. The 党员 tag on a resident is written here and only here, in
the same transaction as the membership it mirrors, so the register and the roster say the same thing."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.people.models import Resident, ResidentStatus, ResidentTag, Tag

from ..models import (
    LEVEL_DEPTH,
    CommitteeMember,
    MemberStanding,
    MemberTransfer,
    OrgLevel,
    PartyMember,
    PartyOrg,
    PartyOrgBuilding,
    PartyOrgRole,
    TransferKind,
    TransferStatus,
)

__all__ = [
    "PARTY_TAG",
    "can_decide_transfer",
    "can_manage_org",
    "can_request_transfer",
    "committee_seat_add",
    "committee_seat_remove",
    "member_confirm",
    "member_enrol",
    "members_place_tagged",
    "org_create",
    "org_for_resident",
    "transfer_decide",
    "transfer_in_request",
    "transfer_request",
]

PARTY_TAG = "party_member"
NAME_MAX = 100
CHILD_LEVEL = {
    OrgLevel.STREET_COMMITTEE: OrgLevel.COMMUNITY_COMMITTEE,
    OrgLevel.COMMUNITY_COMMITTEE: OrgLevel.STATION_BRANCH,
    OrgLevel.STATION_BRANCH: OrgLevel.GRID_BRANCH,
    OrgLevel.GRID_BRANCH: OrgLevel.BUILDING_GROUP,
}


# ---- predicates: the services refuse with these, the views build their actions from them ---------------------------


def can_manage_org(user, org: PartyOrg) -> bool:
    """The community secretary manages their community's organisations; the street leader every one of the street."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.STREET_LEADER:
        return user.street_id == org.street_id
    if user.role == Role.SECRETARY:
        return org.community_id is not None and org.community_id == user.community_id
    return False


def can_request_transfer(user, member: PartyMember) -> bool:
    return member.active and can_manage_org(user, member.org) and not member_has_pending_transfer(member)


def member_has_pending_transfer(member: PartyMember) -> bool:
    pending = getattr(member, "pending_transfers", None)
    if pending is not None:
        return bool(pending)
    return member.transfers.filter(status=TransferStatus.PENDING).exists()


def can_decide_transfer(user, transfer: MemberTransfer) -> bool:
    if transfer.status != TransferStatus.PENDING:
        return False
    orgs = [o for o in (transfer.from_org, transfer.to_org) if o is not None]
    return bool(orgs) and all(can_manage_org(user, o) for o in orgs)


def _require_manage(actor, org: PartyOrg) -> None:
    if not can_manage_org(actor, org):
        raise PermissionDenied("您没有权限管理该党组织")


# ---- the tree ----------------------------------------------------------------------------------------------------


def _check_place(parent: PartyOrg | None, level: str, *, street, community, station, grid, buildings) -> dict:
    """The place columns of a new organisation, each inside the parent's place; a DomainError otherwise."""
    if level == OrgLevel.STREET_COMMITTEE:
        if parent is not None:
            raise DomainError("街道大工委是最高一级,不能有上级组织", field="parent")
        if street is None:
            raise DomainError("请选择街道", field="street")
        return {"street": street}
    if parent is None:
        raise DomainError("请选择上级组织", field="parent")
    if CHILD_LEVEL.get(parent.level) != level:
        raise DomainError(
            f"{parent.get_level_display()}的下级应为{OrgLevel(CHILD_LEVEL.get(parent.level, level)).label}",
            field="level",
        )
    place = {"street_id": parent.street_id}
    if level == OrgLevel.COMMUNITY_COMMITTEE:
        if community is None or community.street_id != parent.street_id:
            raise DomainError("请选择本街道的社区", field="community")
        return {**place, "community": community}
    place["community_id"] = parent.community_id
    if level == OrgLevel.STATION_BRANCH:
        if station is None or station.community_id != parent.community_id:
            raise DomainError("请选择本社区的服务站", field="station")
        return {**place, "station": station}
    place["station_id"] = parent.station_id
    if level == OrgLevel.GRID_BRANCH:
        if grid is None or grid.station_id != parent.station_id:
            raise DomainError("请选择本服务站的网格", field="grid")
        return {**place, "grid": grid}
    buildings = list(buildings or ())
    if not buildings:
        raise DomainError("请选择党小组所在的楼栋", field="buildings")
    if any(b.grid_id != parent.grid_id for b in buildings):
        raise DomainError("党小组的楼栋须在本网格内", field="buildings")
    return {**place, "grid_id": parent.grid_id}


def org_create(
    *,
    actor,
    level: str,
    name: str,
    parent: PartyOrg | None = None,
    street=None,
    community=None,
    station=None,
    grid=None,
    buildings=(),
) -> PartyOrg:
    """Found an organisation one level below `parent`, tied to a place inside the parent's."""
    if level not in LEVEL_DEPTH:
        raise DomainError("请选择组织层级", field="level")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写组织名称", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"组织名称不能超过 {NAME_MAX} 个字", field="name")
    place = _check_place(
        parent, level, street=street, community=community, station=station, grid=grid, buildings=buildings
    )
    if parent is None:
        if getattr(actor, "role", None) != Role.STREET_LEADER or actor.street_id != street.pk:
            raise PermissionDenied("街道大工委由街道设立")
    elif level == OrgLevel.COMMUNITY_COMMITTEE:
        if getattr(actor, "role", None) != Role.STREET_LEADER or actor.street_id != parent.street_id:
            raise PermissionDenied("社区党委由街道设立")
    else:
        _require_manage(actor, parent)
    try:
        with transaction.atomic():
            org = PartyOrg.objects.create(level=level, depth=LEVEL_DEPTH[level], name=name, parent=parent, **place)
            for building in buildings or ():
                PartyOrgBuilding.objects.create(community_id=org.community_id, org=org, building=building)
            audit_record(
                actor=actor,
                action="party.org_create",
                target=org,
                community=org.community,
                summary=f"设立{org.get_level_display()} {org.name}",
            )
    except IntegrityError as exc:
        raise DomainError("该位置已有同级党组织,或楼栋已属于其他党小组", field="name") from exc
    return org


def committee_seat_add(
    *,
    actor,
    org: PartyOrg,
    role: str,
    member: PartyMember | None = None,
    partner_unit=None,
    name: str = "",
    duty: str = "",
) -> CommitteeMember:
    """Seat someone on the committee: a member of this organisation's subtree, or a part-time member (兼职委员)
    named by a partner unit of the street or community."""
    _require_manage(actor, org)
    if role not in PartyOrgRole.values:
        raise DomainError("请选择职务", field="role")
    if role == PartyOrgRole.PART_TIME:
        if partner_unit is None:
            raise DomainError("兼职委员须来自共建单位", field="partner_unit")
        if partner_unit.street_id != org.street_id or partner_unit.community_id not in (None, org.community_id):
            raise DomainError("请选择本街道或本社区的共建单位", field="partner_unit")
        name = (name or "").strip()
        if not name or len(name) > 50:
            raise DomainError("请填写兼职委员姓名(不超过 50 个字)", field="name")
        member = None
    else:
        if member is None or not member.active:
            raise DomainError("请选择在册党员", field="member")
        if org.community_id is not None and member.community_id != org.community_id:
            raise DomainError("委员须为本社区党员", field="member")
        name, partner_unit = member.resident.name, None
    try:
        with transaction.atomic():
            seat = CommitteeMember.objects.create(
                org=org, role=role, member=member, partner_unit=partner_unit, name=name, duty=(duty or "").strip()[:100]
            )
            audit_record(
                actor=actor,
                action="party.seat_add",
                target=org,
                community=org.community,
                summary=f"{org.name} {seat.get_role_display()}:{seat.name}",
            )
    except IntegrityError as exc:
        raise DomainError("该组织已有书记,或此人已在委员会中", field="role") from exc
    return seat


def committee_seat_remove(*, actor, seat: CommitteeMember) -> None:
    """免去: the seat is freed (a new secretary can then be seated); the audit log keeps who held it."""
    _require_manage(actor, seat.org)
    with transaction.atomic():
        if CommitteeMember.objects.filter(pk=seat.pk).delete()[0] != 1:
            raise Conflict("该委员已被免去,请刷新后查看")
        audit_record(
            actor=actor,
            action="party.seat_remove",
            target=seat.org,
            community=seat.org.community,
            summary=f"{seat.org.name} 免去{seat.get_role_display()}:{seat.name}",
        )


# ---- members -----------------------------------------------------------------------------------------------------


def _party_tag() -> Tag:
    tag, _ = Tag.objects.get_or_create(code=PARTY_TAG, defaults={"name": "党员"})
    return tag


def _tag_residents(resident_ids, community_id: int) -> None:
    tag = _party_tag()
    ResidentTag.objects.bulk_create(
        [ResidentTag(community_id=community_id, resident_id=pk, tag=tag) for pk in resident_ids], ignore_conflicts=True
    )


def _untag_resident(resident_id: int) -> None:
    ResidentTag.objects.filter(resident_id=resident_id, tag__code=PARTY_TAG).delete()


def _covers(org: PartyOrg, resident: Resident, building_id: int | None) -> bool:
    """Does the organisation's place contain where the resident lives?"""
    if org.depth == 1:
        return False  # the street committee has no members of its own: they belong to a community's tree
    if org.community_id != resident.community_id:
        return False
    if org.level == OrgLevel.STATION_BRANCH:
        return resident.grid.station_id == org.station_id
    if org.level == OrgLevel.GRID_BRANCH:
        return resident.grid_id == org.grid_id
    if org.level == OrgLevel.BUILDING_GROUP:
        return org.org_buildings.filter(building_id=building_id).exists()
    return True


def _building_id(resident: Resident) -> int | None:
    return (
        Resident.objects.filter(pk=resident.pk).values_list("household__dwelling__unit__building_id", flat=True).first()
    )


def _check_placement(org, resident, joined_on, standing, probation_ends, today) -> None:
    """A resident joins an organisation's roll (enrolled, or transferred in) only where they live, while 在册."""
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("该居民已不在册", field="resident")
    if not _covers(org, resident, _building_id(resident)):
        raise DomainError(f"{resident.name}不住在{org.name}的范围内", field="resident")
    if joined_on is None or joined_on > today:
        raise DomainError("请填写入党日期(不能晚于今天)", field="joined_on")
    _check_standing(standing, probation_ends)


def _check_standing(standing: str, probation_ends) -> None:
    if standing not in MemberStanding.values:
        raise DomainError("请选择正式党员或预备党员", field="standing")
    if standing == MemberStanding.PROBATIONARY and probation_ends is None:
        raise DomainError("预备党员请填写预备期满日期", field="probation_ends")


def member_enrol(
    *,
    actor,
    org: PartyOrg,
    resident: Resident,
    joined_on: datetime.date,
    standing: str = MemberStanding.FULL,
    probation_ends: datetime.date | None = None,
    dual_report: bool = False,
    workplace: str = "",
    now=None,
) -> PartyMember:
    """编入党组织: a resident of the organisation's place becomes one of its members and is tagged 党员."""
    _require_manage(actor, org)
    today = timezone.localdate(now or timezone.now())
    _check_placement(org, resident, joined_on, standing, probation_ends, today)
    try:
        with transaction.atomic():
            member = PartyMember.objects.create(
                community_id=resident.community_id,
                grid_id=resident.grid_id,
                resident=resident,
                org=org,
                joined_on=joined_on,
                standing=standing,
                probation_ends=probation_ends if standing == MemberStanding.PROBATIONARY else None,
                dual_report=bool(dual_report),
                workplace=(workplace or "").strip()[:100],
            )
            _tag_residents([resident.pk], resident.community_id)
            audit_record(
                actor=actor,
                action="party.member_enrol",
                target=member,
                summary=f"{resident.name} 编入 {org.name}({member.get_standing_display()})",
            )
    except IntegrityError as exc:
        raise Conflict(f"{resident.name}已在党员名册中") from exc
    return member


def org_for_resident(orgs: list[PartyOrg], group_of_building: dict, resident) -> PartyOrg | None:
    """The deepest organisation of a community whose place holds the resident: their building's group, else their
    grid's branch, else their station's, else the community committee."""
    by_level = {}
    for org in orgs:
        by_level.setdefault((org.level, org.grid_id or org.station_id or 0), org)
    building = resident["building"]
    if building in group_of_building:
        return group_of_building[building]
    for level, key in (
        (OrgLevel.GRID_BRANCH, resident["grid"]),
        (OrgLevel.STATION_BRANCH, resident["station"]),
        (OrgLevel.COMMUNITY_COMMITTEE, 0),
    ):
        if (level, key) in by_level:
            return by_level[(level, key)]
    return None


def members_place_tagged(*, actor, community, details: dict | None = None, now=None) -> int:
    """编入组织 for everyone the register tags 党员 who is not on the roll yet: each goes to the deepest organisation
    whose place holds them. `details` (resident id → joined_on, standing, probation_ends, dual_report, workplace)
    fills what the register does not know; otherwise the join date is left for the secretary (today)."""
    committee = PartyOrg.objects.filter(level=OrgLevel.COMMUNITY_COMMITTEE, community=community).first()
    if committee is None:
        raise DomainError("本社区还没有社区党委,请先由街道设立")
    _require_manage(actor, committee)
    today = timezone.localdate(now or timezone.now())
    details = details or {}
    orgs = list(PartyOrg.objects.filter(community=community).order_by("-depth", "id"))
    group_of_building = {
        link.building_id: link.org
        for link in PartyOrgBuilding.objects.filter(community=community).select_related("org")
    }
    residents = (
        Resident.objects.active()
        .filter(community=community, resident_tags__tag__code=PARTY_TAG, party_member__isnull=True)
        .values("id", "grid_id", "grid__station_id", "household__dwelling__unit__building_id")
        .order_by("id")
    )
    rows = []
    for r in residents:
        where = {
            "grid": r["grid_id"],
            "station": r["grid__station_id"],
            "building": r["household__dwelling__unit__building_id"],
        }
        org = org_for_resident(orgs, group_of_building, where) or committee
        d = details.get(r["id"], {})
        standing = d.get("standing", MemberStanding.FULL)
        rows.append(
            PartyMember(
                community=community,
                grid_id=r["grid_id"],
                resident_id=r["id"],
                org=org,
                joined_on=d.get("joined_on", today),
                standing=standing,
                probation_ends=d.get("probation_ends") if standing == MemberStanding.PROBATIONARY else None,
                dual_report=d.get("dual_report", False),
                workplace=d.get("workplace", ""),
            )
        )
    with transaction.atomic():
        PartyMember.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        audit_record(
            actor=actor,
            action="party.members_place",
            target=committee,
            community=community,
            summary=f"{community.name}:{len(rows)} 名登记为党员的居民编入党组织",
        )
    return len(rows)


def member_confirm(*, actor, member: PartyMember, now=None) -> PartyMember:
    """转正: a probationary member whose probation has ended becomes a full member."""
    _require_manage(actor, member.org)
    today = timezone.localdate(now or timezone.now())
    if member.standing != MemberStanding.PROBATIONARY:
        raise DomainError("该党员已是正式党员")
    if member.probation_ends > today:
        raise DomainError(f"预备期 {member.probation_ends:%Y年%-m月%-d日} 期满后才能转正")
    with transaction.atomic():
        changed = PartyMember.objects.filter(pk=member.pk, standing=MemberStanding.PROBATIONARY).update(
            standing=MemberStanding.FULL, probation_ends=None, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise Conflict("该党员已转正,请刷新后查看")
        audit_record(
            actor=actor,
            action="party.member_confirm",
            target=member,
            summary=f"{member.resident.name} 预备党员转正",
            changes={"党员类别": ["预备党员", "正式党员"]},
        )
    member.refresh_from_db()
    return member


# ---- transfers ---------------------------------------------------------------------------------------------------


def transfer_request(
    *, actor, member: PartyMember, kind: str, to_org: PartyOrg | None = None, outside_org: str = "", reason: str = ""
) -> MemberTransfer:
    """申请组织关系转接: within the tree (to another organisation) or out of it (to an organisation elsewhere)."""
    if kind not in (TransferKind.WITHIN, TransferKind.OUT):
        raise DomainError("请选择转接类型", field="kind")
    if not member.active:
        raise DomainError("该党员的组织关系已转出")
    _require_manage(actor, member.org)
    outside_org = (outside_org or "").strip()[:100]
    if kind == TransferKind.WITHIN:
        if to_org is None or to_org.pk == member.org_id or to_org.depth == 1:
            raise DomainError("请选择要转入的党组织", field="to_org")
        if to_org.street_id != member.org.street_id:
            raise DomainError("只能在本街道的党组织间转接", field="to_org")
    else:
        to_org = None
        if not outside_org:
            raise DomainError("请填写转往的党组织", field="outside_org")
    try:
        with transaction.atomic():
            return _transfer_create(
                actor,
                member,
                kind=kind,
                from_org=member.org,
                to_org=to_org,
                outside_org=outside_org,
                reason=reason,
                summary=f"{member.resident.name} 申请{TransferKind(kind).label}:{member.org.name} → "
                f"{to_org.name if to_org else outside_org}",
            )
    except IntegrityError as exc:
        raise Conflict("该党员已有待审批的转接申请") from exc


def _transfer_create(actor, member, *, kind, from_org, to_org, outside_org, reason, summary) -> MemberTransfer:
    transfer = MemberTransfer.objects.create(
        community_id=member.community_id,
        member=member,
        kind=kind,
        from_org=from_org,
        to_org=to_org,
        outside_org=outside_org,
        reason=(reason or "").strip()[:200],
        requested_by=actor,
    )
    audit_record(actor=actor, action="party.transfer_request", target=member, summary=summary)
    return transfer


def transfer_in_request(
    *,
    actor,
    org: PartyOrg,
    resident: Resident,
    outside_org: str,
    joined_on: datetime.date,
    standing: str = MemberStanding.FULL,
    probation_ends: datetime.date | None = None,
    dual_report: bool = False,
    workplace: str = "",
    reason: str = "",
    now=None,
) -> MemberTransfer:
    """接收转入: a member arriving from a party organisation outside this tree (another street or city). Their
    member row waits off the roll until the transfer is approved, which puts them on the roll and tags them 党员;
    a refusal leaves the row off the roll with the refused request as its history."""
    _require_manage(actor, org)
    today = timezone.localdate(now or timezone.now())
    if org.depth == 1:
        raise DomainError("请选择社区及以下的党组织接收", field="org")
    outside_org = (outside_org or "").strip()
    if not outside_org or len(outside_org) > 100:
        raise DomainError("请填写原所在的党组织(不超过 100 个字)", field="outside_org")
    _check_placement(org, resident, joined_on, standing, probation_ends, today)
    facts = {
        "community_id": resident.community_id,
        "grid_id": resident.grid_id,
        "org": org,
        "joined_on": joined_on,
        "standing": standing,
        "probation_ends": probation_ends if standing == MemberStanding.PROBATIONARY else None,
        "dual_report": bool(dual_report),
        "workplace": (workplace or "").strip()[:100],
    }
    try:
        with transaction.atomic():
            member = PartyMember.objects.filter(resident=resident).first()
            if member is None:
                member = PartyMember.objects.create(resident=resident, active=False, **facts)
            elif member.active:
                raise Conflict(f"{resident.name}已在党员名册中,请在其党员档案中办理本街道内转接")
            elif (
                PartyMember.objects.filter(pk=member.pk, active=False).update(
                    **facts, version=F("version") + 1, updated_at=timezone.now()
                )
                != 1
            ):
                raise Conflict(f"{resident.name}的组织关系刚刚变化,请刷新后再试")
            return _transfer_create(
                actor,
                member,
                kind=TransferKind.IN,
                from_org=None,
                to_org=org,
                outside_org=outside_org,
                reason=reason,
                summary=f"{resident.name} 申请转入:{outside_org} → {org.name}",
            )
    except IntegrityError as exc:
        raise Conflict(f"{resident.name}已有待审批的转接申请") from exc


def transfer_decide(*, actor, transfer: MemberTransfer, approve: bool, note: str = "", now=None) -> MemberTransfer:
    """审批转接: approving moves the member (or, out of the tree, takes them off the roll and the 党员 tag)."""
    if not can_decide_transfer(actor, transfer):
        if transfer.status != TransferStatus.PENDING:
            raise Conflict("该申请已审批,请刷新后查看")
        raise PermissionDenied("您没有权限审批该转接")
    now = now or timezone.now()
    status = TransferStatus.APPROVED if approve else TransferStatus.REJECTED
    note = (note or "").strip()[:200]
    if not approve and not note:
        raise DomainError("请填写驳回原因", field="note")
    member = transfer.member
    with transaction.atomic():
        changed = MemberTransfer.objects.filter(pk=transfer.pk, status=TransferStatus.PENDING).update(
            status=status, decided_by=actor, decided_at=now, decision_note=note, updated_at=now
        )
        if changed != 1:
            raise Conflict("该申请已审批,请刷新后查看")
        if approve:
            _apply_transfer(transfer, member, now)
        audit_record(
            actor=actor,
            action="party.transfer_decide",
            target=member,
            summary=f"{member.resident.name} {transfer.get_kind_display()}{TransferStatus(status).label}",
            changes={"状态": ["待审批", TransferStatus(status).label]},
        )
    transfer.refresh_from_db()
    return transfer


def _apply_transfer(transfer: MemberTransfer, member: PartyMember, now) -> None:
    updates = {"version": F("version") + 1, "updated_at": now}
    # The member row moves only from where the request found it: a second approval cannot move it twice.
    where = {"org_id": transfer.from_org_id or member.org_id}
    if transfer.kind == TransferKind.OUT:
        updates["active"] = False
        _untag_resident(member.resident_id)
    else:
        updates.update(org=transfer.to_org, active=True)
        _tag_residents([member.resident_id], member.community_id)
    if transfer.kind == TransferKind.IN:
        if member.resident.status != ResidentStatus.ACTIVE:
            raise DomainError("该居民已不在册,不能转入")
        where["active"] = False
    if PartyMember.objects.filter(pk=member.pk, **where).update(**updates) != 1:
        raise Conflict("该党员的组织关系已变化,请刷新后再审批")
