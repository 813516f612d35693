"""Writes to the place register from the office: correcting names, splitting a grid, moving buildings between grids.
Each is audited; a building moved to another grid takes its households along (signals.buildings_moved)."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from jumin.core.access import Scope, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.core.text import CONTROL_MESSAGE, has_control_chars

from .models import Building, Compound, Dwelling, Grid, ServiceStation, dwelling_address
from .signals import buildings_moved, community_places_changed

RENAMEABLE = {
    "station": (ServiceStation, "服务站"),
    "grid": (Grid, "网格"),
    "compound": (Compound, "小区"),
    "building": (Building, "楼栋"),
}


def _require(actor, scope: Scope, community_id: int) -> None:
    if not user_can(actor, "places.manage"):
        raise PermissionDenied("您没有维护小区与网格的权限")
    if community_id not in scope.community_ids or scope.grid_ids is not None:
        raise NotFound("没有找到该地点")


def clean_place_name(value: str, *, label: str, max_length: int) -> str:
    name = (value or "").replace("\u3000", " ").strip()
    if not name:
        raise DomainError(f"请填写{label}名称", field="name")
    if len(name) > max_length:
        raise DomainError(f"{label}名称过长(最多 {max_length} 个字)", field="name")
    if has_control_chars(name):
        raise DomainError(f"{label}名称{CONTROL_MESSAGE}", field="name")
    if name.startswith(("=", "+", "@", "-")):
        raise DomainError(f"{label}名称不能以 = + - @ 开头", field="name")
    return name


def place_rename(*, actor, scope: Scope, kind: str, pk: int, name: str):
    """Correct the name of a station, grid, compound or building; dwelling addresses under it follow."""
    model, label = RENAMEABLE[kind]
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound("没有找到该地点")
    _require(actor, scope, row.community_id)
    name = clean_place_name(name, label=label, max_length=model._meta.get_field("name").max_length)
    old = row.name
    if old == name:
        return row
    try:
        with transaction.atomic():
            if model.objects.filter(pk=pk, name=old).update(name=name) != 1:
                raise Conflict("名称已被他人修改,请刷新页面后重试。")
            row.name = name
            if kind in ("compound", "building"):
                _readdress(row if kind == "compound" else None, row if kind == "building" else None)
            audit_record(
                actor=actor,
                action="places.rename",
                target=row,
                summary=f"{label}“{old}”更名为“{name}”",
                changes={"名称": [old, name]},
            )
            community_places_changed([row.community_id])
    except IntegrityError as exc:
        raise DomainError(f"本社区已有名为“{name}”的{label}", field="name") from exc
    return row


def _readdress(compound=None, building=None) -> None:
    """Dwelling.address is denormalised ("玉龙花园3号楼1单元302室"): rewrite it under a renamed compound or building."""
    dwellings = Dwelling.objects.select_related("unit__building__compound")
    dwellings = (
        dwellings.filter(unit__building__compound=compound) if compound else dwellings.filter(unit__building=building)
    )
    changed = []
    for d in dwellings:
        b = d.unit.building
        address = dwelling_address(b.compound.name, b.name, d.unit.name, d.number)
        if address != d.address:
            d.address = address
            changed.append(d)
    Dwelling.objects.bulk_update(changed, ["address"], batch_size=500)


def buildings_move(*, actor, scope: Scope, building_ids, grid: Grid, now=None) -> dict:
    """Move buildings to `grid` (same community), with their households and residents; one audit event per building.
    Returns {"buildings": n, "households": n}. Call inside a transaction or not: it opens its own."""
    _require(actor, scope, grid.community_id)
    ids = set(building_ids)
    found = list(
        Building.objects.filter(pk__in=list(ids), community_id=grid.community_id)
        .select_related("compound", "grid")
        .order_by("pk")
    )
    if len(found) != len(ids):
        raise NotFound("有楼栋不在本社区")
    buildings = [b for b in found if b.grid_id != grid.pk]
    households = 0
    with transaction.atomic():
        for building in buildings:
            old_grid = building.grid
            if Building.objects.filter(pk=building.pk, grid_id=old_grid.pk).update(grid=grid) != 1:
                raise Conflict("楼栋所属网格已被他人修改,请刷新页面后重试。")
            moved = sum(
                n or 0 for _r, n in buildings_moved.send(sender=Building, building_ids=[building.pk], grid=grid)
            )
            households += moved
            audit_record(
                actor=actor,
                action="places.building_move",
                target=building,
                summary=f"{building.compound.name}{building.name} 从“{old_grid.name}”调整到“{grid.name}”,{moved} 户随之调整",
                changes={"网格": [old_grid.name, grid.name], "随之调整户数": [None, moved]},
                now=now,
            )
        if buildings:
            community_places_changed([grid.community_id])
    return {"buildings": len(buildings), "households": households}


def grid_split(*, actor, scope: Scope, grid: Grid, name: str, building_ids) -> Grid:
    """Split a grid: a new grid in the same station, numbered next, taking the chosen buildings along."""
    _require(actor, scope, grid.community_id)
    name = clean_place_name(name, label="网格", max_length=50)
    ids = list(building_ids)
    if not ids:
        raise DomainError("请选择要划入新网格的楼栋", field="buildings")
    if Building.objects.filter(pk__in=ids, grid=grid).count() != len(set(ids)):
        raise DomainError("只能选择本网格的楼栋", field="buildings")
    if Grid.objects.filter(community_id=grid.community_id, name=name).exists():
        raise DomainError(f"本社区已有名为“{name}”的网格", field="name")
    try:
        with transaction.atomic():
            number = (Grid.objects.filter(community_id=grid.community_id).aggregate(n=Max("number"))["n"] or 0) + 1
            new = Grid.objects.create(
                community_id=grid.community_id, station_id=grid.station_id, number=number, name=name
            )
            audit_record(
                actor=actor,
                action="places.grid_split",
                target=new,
                summary=f"从“{grid.name}”分出新网格“{name}”(第{number}号),划入 {len(set(ids))} 栋楼",
                changes={"原网格": [None, grid.name], "新网格": [None, name]},
            )
            buildings_move(actor=actor, scope=scope, building_ids=ids, grid=new)
    except IntegrityError as exc:
        raise Conflict("网格编号已被占用,请重试。") from exc
    return new
