"""places_import: read, check and plan a places file against the community's register; write it unless a dry run."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count

from jumin.core.access import Scope, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, PermissionDenied
from jumin.core.sheets import RowError, read_rows

from ..models import Building, Compound, Dwelling, DwellingOwner, Grid, ServiceStation, Unit, dwelling_address
from ..signals import community_places_changed
from .columns import (
    HEADER_ALIASES,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    SHEET_NAME,
    TEMPLATE_COLUMNS,
    PlacesReport,
    building_name,
    clean_row,
    unit_name,
)

BATCH = 1000


def places_import(*, actor, scope: Scope, community, file, dry_run: bool, confirm_moves: bool = False) -> PlacesReport:
    if not user_can(actor, "places.manage"):
        raise PermissionDenied("您没有导入房屋的权限")
    if community is None or community.pk not in scope.community_ids or scope.grid_ids is not None:
        raise PermissionDenied("只能向本社区导入房屋")
    columns, raw = read_rows(
        file,
        sheet_name=SHEET_NAME,
        columns=TEMPLATE_COLUMNS,
        required=REQUIRED_COLUMNS,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        what="房屋",
        row_hint="每行填写一套房屋",
        aliases=HEADER_ALIASES,
    )
    rows = [clean_row(number, values, columns) for number, values in raw]
    if dry_run:
        return _Plan(community, rows, confirm_moves=confirm_moves).report(dry_run=True)
    try:
        with transaction.atomic():
            plan = _Plan(community, rows, confirm_moves=confirm_moves)
            report = plan.report(dry_run=False)
            if report.errors:
                return report
            plan.write(actor, scope)
            report.moves_applied = bool(report.moves)
            audit_record(
                actor=actor,
                action="places.import",
                target=community,
                community=community,
                summary=f"导入房屋:新增 {report.created} 套,更新 {report.updated} 套,无变化 {report.unchanged} 套,"
                f"调整网格 {len(report.moves)} 栋",
                changes={
                    "新增": [None, report.created],
                    "更新": [None, report.updated],
                    "无变化": [None, report.unchanged],
                },
            )
    except IntegrityError as exc:  # someone registered the same places while the import ran
        raise Conflict("导入期间地点被他人修改,请重新导入。") from exc
    return report


class _Plan:
    """The rows matched against the community's places, loaded in a few queries; `write()` carries it out."""

    def __init__(self, community, rows, *, confirm_moves: bool):
        self.community = community
        self.rows = rows
        self.confirm_moves = confirm_moves
        self._load()
        self._match()

    def _load(self) -> None:
        c = self.community
        self.stations = {s.name: s for s in ServiceStation.objects.filter(community=c)}
        self.station_names = {s.pk: s.name for s in self.stations.values()}
        grids = list(Grid.objects.filter(community=c))
        self.grids_by_number = {g.number: g for g in grids}
        self.grids_by_name = {g.name: g for g in grids}
        self.compounds = {x.name: x for x in Compound.objects.filter(community=c)}
        self.buildings = {(b.compound_id, b.name): b for b in Building.objects.filter(community=c)}
        self.units = {(u.building_id, u.name): u for u in Unit.objects.filter(community=c)}
        self.dwellings = {
            (d["unit_id"], d["number"]): d
            for d in Dwelling.objects.filter(community=c).values("id", "unit_id", "number", "floor_area", "kind")
        }
        self.owners = defaultdict(list)
        for dwelling_id, name in (
            DwellingOwner.objects.filter(community=c)
            .order_by("dwelling_id", "position", "id")
            .values_list("dwelling_id", "name")
        ):
            self.owners[dwelling_id].append(name)

    # -- matching

    def _grid_for(self, row):
        """(existing grid or None, key of the grid in this file, its number, its name)."""
        text = row["网格"]
        grid = self.grids_by_name.get(text)
        if grid is None and row.grid_number is not None:
            grid = self.grids_by_number.get(row.grid_number)
        if grid is not None:
            return grid, ("grid", grid.number), grid.number, grid.name
        number = row.grid_number
        name = f"第{number}网格" if number is not None and text.isdigit() else text
        return None, ("new", number if number is not None else name), number, name

    def _match(self) -> None:
        self.new_grids = {}  # key → {"number", "name", "station"}
        self.grid_of_building = {}  # building key → (grid key, row number)
        self.station_of_grid = {}  # grid key → (station name, row number)
        self.seen = {}
        self.moves = {}  # building pk → new grid key
        for row in self.rows:
            if row.errors:
                continue
            station = row["服务站"]
            grid, grid_key, number, gname = self._grid_for(row)
            row.grid_key = grid_key
            if grid is not None and self.station_names.get(grid.station_id) != station:
                row.error(
                    "网格",
                    f"“{grid.name}”属于“{self.station_names.get(grid.station_id)}”,与本行的服务站“{station}”不符",
                )
                continue
            first = self.station_of_grid.setdefault(grid_key, (station, row.number))
            if first[0] != station:
                row.error("服务站", f"同一网格在第{first[1]}行属于“{first[0]}”,本行为“{station}”")
                continue
            if grid is None and grid_key not in self.new_grids:
                if number is not None and number in self.grids_by_number:
                    row.error("网格", f"网格号 {number} 已是“{self.grids_by_number[number].name}”")
                    continue
                self.new_grids[grid_key] = {"number": number, "name": gname, "station": station}
            compound = self.compounds.get(row["小区"])
            bname = row["楼栋"]
            building = None
            if compound is not None:
                building = self.buildings.get((compound.pk, bname)) or self.buildings.get(
                    (compound.pk, building_name(bname))
                )
            bname = building.name if building else building_name(bname)
            bkey = (row["小区"], bname)
            first = self.grid_of_building.setdefault(bkey, (grid_key, row.number, gname))
            if first[0] != grid_key:
                row.error("网格", f"同一楼栋在第{first[1]}行划入“{first[2]}”,本行为“{gname}”;一栋楼只能属于一个网格")
                continue
            if building is not None and (grid is None or grid.pk != building.grid_id):
                self.moves[building.pk] = grid_key
            uname = row["单元"]
            unit = None
            if building is not None:
                unit = self.units.get((building.pk, uname)) or self.units.get((building.pk, unit_name(uname)))
            uname = unit.name if unit else unit_name(uname)
            dkey = (bkey, uname, row["房号"])
            if dkey in self.seen:
                row.error("房号", f"与第{self.seen[dkey]}行是同一套房屋(小区、楼栋、单元、房号相同)")
                continue
            self.seen[dkey] = row.number
            row.place = (compound, building, unit, bname, uname)
            dwelling = self.dwellings.get((unit.pk, row["房号"])) if unit else None
            row.dwelling = dwelling
            row.outcome = self._outcome(row, dwelling, building)

    def _outcome(self, row, dwelling, building) -> str:
        if dwelling is None:
            return "created"
        changed = building is not None and building.pk in self.moves
        changed |= row.has_area and row.area != dwelling["floor_area"]
        changed |= row.kind is not None and row.kind != dwelling["kind"]
        changed |= row.owners is not None and list(row.owners) != self.owners.get(dwelling["id"], [])
        return "updated" if changed else "unchanged"

    # -- the outcome

    def report(self, *, dry_run: bool) -> PlacesReport:
        errors = [e for row in self.rows for e in row.errors]
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row in self.rows:
            if not row.errors:
                counts[row.outcome] += 1
        moves = self._describe_moves()
        if moves and not dry_run and not self.confirm_moves:
            # A grid move takes households along: made only once someone has seen it in a dry run and confirmed.
            first_row = {}
            for row in self.rows:
                if not row.errors and row.place[1] is not None:
                    first_row.setdefault(row.place[1].pk, row.number)
            for move in moves:
                errors.append(
                    RowError(
                        first_row[move["building_id"]],
                        "网格",
                        f"{move['building']}现属“{move['from']}”,表中为“{move['to']}”:调整网格会把该楼 "
                        f"{move['households']} 户一并调整。请先试导入核对,再勾选“确认调整网格”导入",
                    )
                )
        return PlacesReport(
            **counts,
            errors=sorted(errors, key=lambda e: (e.row, e.column)),
            dry_run=dry_run,
            rows=len(self.rows),
            moves=[{k: v for k, v in m.items() if k != "building_id"} for m in moves],
        )

    def _describe_moves(self) -> list[dict]:
        if not self.moves:
            return []
        from django.apps import apps

        households = {}
        if apps.is_installed("jumin.people"):
            Household = apps.get_model("people", "Household")
            households = dict(
                Household.objects.filter(dwelling__unit__building_id__in=list(self.moves), member_count__gt=0)
                .values("dwelling__unit__building_id")
                .annotate(n=Count("pk"))
                .values_list("dwelling__unit__building_id", "n")
            )
        by_pk = {b.pk: b for b in self.buildings.values()}
        compound_names = {c.pk: c.name for c in self.compounds.values()}
        grid_names = {g.pk: g.name for g in self.grids_by_number.values()}
        out = []
        for pk, key in sorted(self.moves.items()):
            b = by_pk[pk]
            to = self.grids_by_number[key[1]].name if key[0] == "grid" else self.new_grids[key]["name"]
            out.append(
                {
                    "building_id": pk,
                    "building": f"{compound_names[b.compound_id]}{b.name}",
                    "from": grid_names.get(b.grid_id, ""),
                    "to": to,
                    "households": households.get(pk, 0),
                }
            )
        return out

    # -- writing

    def write(self, actor, scope) -> None:
        c = self.community
        good = [r for r in self.rows if not r.errors]
        # Stations and grids
        for name in sorted({r["服务站"] for r in good} - set(self.stations)):
            self.stations[name] = ServiceStation.objects.create(community=c, name=name)
        grids = {("grid", g.number): g for g in self.grids_by_number.values()}
        next_number = max(self.grids_by_number, default=0)
        used = set(self.grids_by_number) | {g["number"] for g in self.new_grids.values() if g["number"] is not None}
        for key, spec in self.new_grids.items():
            number = spec["number"]
            if number is None:
                next_number = max(next_number, *used) + 1 if used else next_number + 1
                number = next_number
                used.add(number)
            grids[key] = Grid.objects.create(
                community=c, station=self.stations[spec["station"]], number=number, name=spec["name"]
            )
        # Compounds and buildings
        for name in sorted({r["小区"] for r in good} - set(self.compounds)):
            self.compounds[name] = Compound.objects.create(community=c, name=name)
        new_buildings = {}
        for r in good:
            compound = self.compounds[r["小区"]]
            key = (compound.pk, r.place[3])
            if key not in self.buildings and key not in new_buildings:
                new_buildings[key] = Building(community=c, compound=compound, grid=grids[r.grid_key], name=r.place[3])
        Building.objects.bulk_create(new_buildings.values(), batch_size=BATCH)
        self.buildings.update(new_buildings)
        # Grid moves of existing buildings: through the service, so households follow and each leaves history.
        moves = defaultdict(list)
        for pk, key in self.moves.items():
            moves[grids[key].pk].append(pk)
        by_pk = {g.pk: g for g in grids.values()}
        for grid_pk, building_ids in sorted(moves.items()):
            from ..services import buildings_move

            buildings_move(actor=actor, scope=scope, building_ids=building_ids, grid=by_pk[grid_pk])
        # Units
        new_units = {}
        for r in good:
            building = self.buildings[(self.compounds[r["小区"]].pk, r.place[3])]
            key = (building.pk, r.place[4])
            if key not in self.units and key not in new_units:
                new_units[key] = Unit(community=c, building=building, name=r.place[4])
        Unit.objects.bulk_create(new_units.values(), batch_size=BATCH)
        self.units.update(new_units)
        # Dwellings
        new_dwellings, changed = {}, []
        for r in good:
            compound = self.compounds[r["小区"]]
            building = self.buildings[(compound.pk, r.place[3])]
            unit = self.units[(building.pk, r.place[4])]
            fields = {}
            if r.has_area:
                fields["floor_area"] = r.area
            if r.kind is not None:
                fields["kind"] = r.kind
            if r.dwelling is None:
                new_dwellings[r.number] = Dwelling(
                    community=c,
                    unit=unit,
                    number=r["房号"],
                    address=dwelling_address(compound.name, building.name, unit.name, r["房号"]),
                    **fields,
                )
            elif r.outcome == "updated" and any(r.dwelling[k] != v for k, v in fields.items()):
                changed.append(
                    Dwelling(pk=r.dwelling["id"], **{**{k: r.dwelling[k] for k in ("floor_area", "kind")}, **fields})
                )
        Dwelling.objects.bulk_create(new_dwellings.values(), batch_size=BATCH)
        if changed:
            Dwelling.objects.bulk_update(changed, ["floor_area", "kind"], batch_size=BATCH)
        # Owners: the file is the record for every dwelling it lists with the column present.
        replace, owners = [], []
        for r in good:
            if r.owners is None:
                continue
            dwelling_id = r.dwelling["id"] if r.dwelling else new_dwellings[r.number].pk
            if r.dwelling is not None and list(r.owners) == self.owners.get(dwelling_id, []):
                continue
            if r.dwelling is not None:
                replace.append(dwelling_id)
            owners += [
                DwellingOwner(community=c, dwelling_id=dwelling_id, name=n, position=i) for i, n in enumerate(r.owners)
            ]
        for start in range(0, len(replace), BATCH):
            DwellingOwner.objects.filter(dwelling_id__in=replace[start : start + BATCH]).delete()
        DwellingOwner.objects.bulk_create(owners, batch_size=BATCH)
        community_places_changed([c.pk])
