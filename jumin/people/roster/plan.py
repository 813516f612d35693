"""The import plan: the checked rows matched against the community's places, households and residents, and
written with bulk operations."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from jumin.core.access import Scope
from jumin.places.models import Building, Compound, Dwelling, Unit, dwelling_address

from .. import idcard
from ..models import Household, Relationship, Resident, ResidentStatus, ResidentTag, Tag
from ..services import identity_record, name_pinyin
from ..tags import ensure_default_tags
from .common import CHUNK, EXISTING_FIELDS, SIBLING_FAILED, TEMPLATE_COLUMNS, RosterReport
from .reading import _Row


@dataclass(slots=True)
class _Group:
    """The rows of one household in the file, and where they go."""

    rows: list
    building: Building | None = None
    unit_id: int | None = None
    unit_name: str = ""
    room: str = ""
    dwelling_id: int | None = None
    household_id: int | None = None  # an existing household, or None for a new one
    failed: bool = False


class _Plan:
    """Everything the import would do, worked out from a few bulk reads; `write()` carries it out."""

    def __init__(self, community, scope: Scope, rows: list[_Row]):
        self.community = community
        self.scope = scope
        self.rows = rows
        self._load()
        self.groups = self._group()
        self._check_identities()
        self._choose_households()
        self._check_heads()
        self._classify()

    # -- reads

    def _load(self) -> None:
        community = self.community
        self.compounds = {c.name: c for c in Compound.objects.filter(community=community)}
        self.buildings = {
            (b.compound_id, b.name): b for b in Building.objects.filter(community=community).select_related("compound")
        }
        self.units = {
            (u["building_id"], u["name"]): u["id"]
            for u in Unit.objects.filter(community=community).values("id", "building_id", "name")
        }
        self.dwellings = {
            (d["unit_id"], d["number"]): d["id"]
            for d in Dwelling.objects.filter(community=community).values("id", "unit_id", "number")
        }
        self.households = {
            h["id"]: h
            for h in Household.objects.filter(community=community).values(
                "id", "dwelling_id", "grid_id", "head_name", "member_count"
            )
        }
        self.households_at = defaultdict(list)
        for h in self.households.values():
            self.households_at[h["dwelling_id"]].append(h["id"])
        self.heads = defaultdict(list)
        for r in Resident.objects.filter(
            community=community, relationship=Relationship.HEAD, status=ResidentStatus.ACTIVE
        ).values("household_id", "name", "id_hash"):
            self.heads[r["household_id"]].append(r)
        # Each hash the file's numbers may be on record under (an older key's, while rotate_keys rebuilds the
        # index) → the current one, which the rows carry.
        current = {}
        for r in self.rows:
            if r.identity:
                for variant in idcard.blind_indexes(r.identity["id_number"]):
                    current.setdefault(variant, r.identity["id_hash"])
        hashes = list(current)
        records = defaultdict(list)
        for start in range(0, len(hashes), CHUNK):
            chunk = hashes[start : start + CHUNK]
            for r in Resident.objects.filter(id_hash__in=chunk).values(*EXISTING_FIELDS):
                r["id_hash"] = current[r["id_hash"]]
                records[r["id_hash"]].append(r)
        self.existing = {}
        for id_hash, rows in records.items():
            found = identity_record(rows, self.community.pk)
            if found is not None:
                self.existing[id_hash] = found
        tag_names = dict(Tag.objects.values_list("id", "name"))
        self.current_tags = defaultdict(set)
        for resident_id, tag_id in ResidentTag.objects.filter(community=community).values_list("resident_id", "tag_id"):
            self.current_tags[resident_id].add(tag_names[tag_id])

    # -- checks

    def _group(self) -> list[_Group]:
        groups: dict[tuple, _Group] = {}
        for row in self.rows:
            place = self._resolve_place(row)
            key = place[:3] if place else ("?", row["小区"], row["楼栋"], row["单元"], row["房号"])
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(rows=[])
                if place:
                    group.building, group.unit_name, group.room, group.unit_id, group.dwelling_id = place
            group.rows.append(row)
            row.group = group
        for group in groups.values():
            head_name = group.rows[0]["户主姓名"]
            for row in group.rows[1:]:
                if row["户主姓名"] and head_name and row["户主姓名"] != head_name:
                    row.error("户主姓名", f"同一户的户主姓名应一致(本户第{group.rows[0].number}行为“{head_name}”)")
        return list(groups.values())

    def _resolve_place(self, row: _Row):
        """(building, unit name, room, unit id, dwelling id) or None, recording the errors on the row."""
        if not row["小区"] or not row["楼栋"]:
            return None
        compound = self.compounds.get(row["小区"])
        if compound is None:
            row.error("小区", f"本社区没有小区“{row['小区']}”,请核对名称")
            return None
        building = self.buildings.get((compound.pk, row["楼栋"]))
        if building is None and row["楼栋"].isdigit():
            building = self.buildings.get((compound.pk, f"{row['楼栋']}号楼"))
        if building is None:
            row.error("楼栋", f"{compound.name}没有{row['楼栋']},请先用“房屋导入”登记楼栋")
            return None
        if self.scope.grid_ids is not None and building.grid_id not in self.scope.grid_ids:
            row.error("楼栋", "该楼栋不在您负责的网格内")
            return None
        if not row["单元"] or not row["房号"]:
            return None
        unit_name = row["单元"]
        if (building.pk, unit_name) not in self.units and unit_name.isdigit():
            unit_name = f"{unit_name}单元"
        unit_id = self.units.get((building.pk, unit_name))
        dwelling_id = self.dwellings.get((unit_id, row["房号"])) if unit_id else None
        return building, unit_name, row["房号"], unit_id, dwelling_id

    def _check_identities(self) -> None:
        seen = defaultdict(list)
        for row in self.rows:
            if row.identity:
                seen[row.identity["id_hash"]].append(row)
        for same in seen.values():
            if len(same) < 2:
                continue
            for row in same:
                others = "、".join(str(r.number) for r in same if r is not row)
                row.error("身份证号", f"与第{others}行的身份证号重复")
        for row in self.rows:
            found = row.identity and self.existing.get(row.identity["id_hash"])
            if not found:
                continue
            if found["status"] == ResidentStatus.DECEASED:
                row.error("身份证号", "该身份证号登记的居民已故,请核对")
            elif found["community_id"] != self.community.pk:
                row.error("身份证号", "该身份证号已在其他社区登记,请先由原社区办理迁出")

    def _choose_households(self) -> None:
        for group in self.groups:
            group.failed = any(row.errors for row in group.rows)
            if group.dwelling_id and not group.failed:
                group.household_id = self._existing_household(group)

    def _existing_household(self, group: _Group) -> int | None:
        """The household at the dwelling that holds people listed in the group, else the one headed by 户主姓名."""
        at_dwelling = self.households_at[group.dwelling_id]
        votes = Counter(
            self.existing[row.identity["id_hash"]]["household_id"]
            for row in group.rows
            if self.existing.get(row.identity["id_hash"], {}).get("household_id") in at_dwelling
        )
        if votes:
            return min(votes, key=lambda pk: (-votes[pk], pk))
        head_name = group.rows[0]["户主姓名"]
        named = [pk for pk in at_dwelling if self.households[pk]["head_name"] == head_name]
        return min(named, key=lambda pk: (self.households[pk]["member_count"] == 0, pk)) if named else None

    def _check_heads(self) -> None:
        """Each household ends with exactly one head, named as in 户主姓名. A group that fails keeps its people where
        they are, which can leave another household with a second head, so repeat until nothing new fails."""
        changed = True
        while changed:
            changed = False
            moving = {r.identity["id_hash"] for g in self.groups if not g.failed for r in g.rows}
            for group in self.groups:
                if not group.failed and self._head_errors(group, moving):
                    group.failed = changed = True
        for group in self.groups:
            if group.failed:
                for row in group.rows:
                    if not row.errors:
                        row.error("", SIBLING_FAILED)

    def _head_errors(self, group: _Group, moving: set[str]) -> bool:
        head_name = group.rows[0]["户主姓名"]
        head_rows = [r for r in group.rows if r.relationship == Relationship.HEAD]
        staying = [h for h in self.heads.get(group.household_id, ()) if h["id_hash"] not in moving]
        if len(head_rows) > 1:
            for row in head_rows:
                row.error("与户主关系", "同一户只能有一行“户主”")
        elif head_rows and staying:
            head_rows[0].error(
                "与户主关系",
                f"该户在系统中已有户主“{staying[0]['name']}”;如需更换户主,请在表中同时填写原户主并修改其关系",
            )
        elif head_rows and head_rows[0]["姓名"] != head_name:
            head_rows[0].error("户主姓名", "户主姓名与户主一行的姓名不一致")
        elif not head_rows and not staying:
            group.rows[0].error("与户主关系", "本户没有户主:请有一行的与户主关系填“户主”")
        elif not head_rows and staying[0]["name"] != head_name:
            group.rows[0].error("户主姓名", f"户主姓名与系统中该户户主“{staying[0]['name']}”不一致")
        else:
            return False
        return True

    # -- the outcome

    def _classify(self) -> None:
        self.creates, self.updates, self.unchanged = [], [], 0
        for group in self.groups:
            if group.failed:
                continue
            for row in group.rows:
                found = self.existing.get(row.identity["id_hash"])
                if found is None:
                    self.creates.append(row)
                elif self._differs(row, found, group):
                    self.updates.append((row, found))
                else:
                    self.unchanged += 1

    def _differs(self, row: _Row, found: dict, group: _Group) -> bool:
        return (
            group.household_id is None
            or found["household_id"] != group.household_id
            or found["status"] != ResidentStatus.ACTIVE
            or found["name"] != row["姓名"]
            or found["relationship"] != row.relationship
            or found["gender"] != row.identity["gender"]
            or found["birth_date"] != row.identity["birth_date"]
            or (row.phone is not None and found["phone"] != row.phone)
            or (row.tags is not None and self.current_tags.get(found["id"], set()) != row.tags)
        )

    def report(self, *, dry_run: bool) -> RosterReport:
        order = {c: i for i, c in enumerate(TEMPLATE_COLUMNS)}
        errors = sorted((e for r in self.rows for e in r.errors), key=lambda e: (e.row, order.get(e.column, 99)))
        return RosterReport(
            created=len(self.creates),
            updated=len(self.updates),
            unchanged=self.unchanged,
            errors=errors,
            dry_run=dry_run,
            rows=len(self.rows),
        )

    # -- writes

    def write(self) -> None:
        if not self.creates and not self.updates:
            return
        community_id = self.community.pk
        now = timezone.now()
        tag_ids = self._tag_ids()
        groups = [g for g in self.groups if not g.failed and g.household_id is None]
        self._create_places(groups)
        new_households = [
            Household(
                community_id=community_id,
                grid_id=g.building.grid_id,
                compound_id=g.building.compound_id,
                dwelling_id=g.dwelling_id,
                head_name=g.rows[0]["户主姓名"],
                member_count=len(g.rows),
            )
            for g in groups
        ]
        Household.objects.bulk_create(new_households, batch_size=500)
        for group, household in zip(groups, new_households, strict=True):
            group.household_id = household.pk
            self.households[household.pk] = {"grid_id": household.grid_id}

        created = [
            Resident(
                community_id=community_id,
                household_id=row.group.household_id,
                grid_id=self.households[row.group.household_id]["grid_id"],
                name=row["姓名"],
                name_pinyin=name_pinyin(row["姓名"]),
                relationship=row.relationship,
                phone=row.phone or "",
                **row.identity,
            )
            for row in self.creates
        ]
        Resident.objects.bulk_create(created, batch_size=500)
        links = [
            ResidentTag(community_id=community_id, resident_id=resident.pk, tag_id=tag_ids[name])
            for row, resident in zip(self.creates, created, strict=True)
            for name in row.tags or ()
        ]

        new_ids = {h.pk for h in new_households}
        touched = {row.group.household_id for row in self.creates} - new_ids
        updated, renamed, unlinks = [], [], defaultdict(list)
        for row, found in self.updates:
            household_id = row.group.household_id
            touched.update({household_id, found["household_id"]} - new_ids)
            resident = Resident(
                pk=found["id"],
                household_id=household_id,
                grid_id=self.households[household_id]["grid_id"],
                name=row["姓名"],
                relationship=row.relationship,
                gender=row.identity["gender"],
                birth_date=row.identity["birth_date"],
                phone=found["phone"] if row.phone is None else row.phone,
                status=ResidentStatus.ACTIVE,
                moved_out_on=None,
                moved_out_reason="",
                updated_at=now,
            )
            if row["姓名"] == found["name"]:
                updated.append(resident)
            else:
                resident.name_pinyin = name_pinyin(resident.name)
                renamed.append(resident)
            if row.tags is not None:
                current = self.current_tags.get(found["id"], set())
                links += [
                    ResidentTag(community_id=community_id, resident_id=found["id"], tag_id=tag_ids[name])
                    for name in row.tags - current
                ]
                for name in current - row.tags:
                    unlinks[tag_ids[name]].append(found["id"])
        fields = ["household", "grid", "name", "relationship", "gender", "birth_date", "phone", "status"]
        fields += ["moved_out_on", "moved_out_reason", "updated_at"]
        _update_rows(updated, fields)
        _update_rows(renamed, [*fields, "name_pinyin"])
        for tag_id, resident_ids in unlinks.items():
            for start in range(0, len(resident_ids), CHUNK):
                ResidentTag.objects.filter(tag_id=tag_id, resident_id__in=resident_ids[start : start + CHUNK]).delete()
        ResidentTag.objects.bulk_create(links, batch_size=1000)
        self._refresh_households(touched, now=now)

    def _tag_ids(self) -> dict[str, int]:
        wanted = {name for row in self.creates for name in row.tags or ()}
        wanted |= {name for row, _found in self.updates for name in row.tags or ()}
        ids = dict(Tag.objects.values_list("name", "id"))
        if wanted - set(ids):  # a standard tag that this installation has not created yet
            ensure_default_tags()
            ids = dict(Tag.objects.values_list("name", "id"))
        return ids

    def _create_places(self, groups: list[_Group]) -> None:
        community_id = self.community.pk
        new_units = {}
        for g in groups:
            if g.unit_id is None:
                key = (g.building.pk, g.unit_name)
                g.unit_id = self.units.get(key)
                if g.unit_id is None and key not in new_units:
                    new_units[key] = Unit(community_id=community_id, building=g.building, name=g.unit_name)
        Unit.objects.bulk_create(new_units.values(), batch_size=500)
        self.units.update({key: unit.pk for key, unit in new_units.items()})
        new_dwellings = {}
        for g in groups:
            g.unit_id = self.units[(g.building.pk, g.unit_name)]
            key = (g.unit_id, g.room)
            if g.dwelling_id is None and key not in self.dwellings and key not in new_dwellings:
                compound = g.building.compound
                new_dwellings[key] = Dwelling(
                    community_id=community_id,
                    unit_id=g.unit_id,
                    number=g.room,
                    address=dwelling_address(compound.name, g.building.name, g.unit_name, g.room),
                )
        Dwelling.objects.bulk_create(new_dwellings.values(), batch_size=500)
        self.dwellings.update({key: dwelling.pk for key, dwelling in new_dwellings.items()})
        for g in groups:
            g.dwelling_id = self.dwellings[(g.unit_id, g.room)]

    def _refresh_households(self, household_ids: set[int], *, now) -> None:
        """member_count and head_name from the members now on file, and a new version; the database counts."""
        active = Resident.objects.filter(household=OuterRef("pk"), status=ResidentStatus.ACTIVE).order_by()
        count = active.values("household").annotate(n=Count("pk")).values("n")
        head = active.filter(relationship=Relationship.HEAD).order_by("pk").values("name")[:1]
        ids = sorted(household_ids)
        for start in range(0, len(ids), CHUNK):
            Household.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                member_count=Coalesce(Subquery(count), 0),
                head_name=Coalesce(Subquery(head), F("head_name")),
                version=F("version") + 1,
                updated_at=now,
            )


def _update_rows(objs: list, fields: list[str]) -> None:
    """QuerySet.bulk_update without its CASE WHEN expressions (building them took 17 s for 9,380 changed rows):
    one parametrised UPDATE per row, sent with executemany."""
    if not objs:
        return
    meta = type(objs[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names come from the model
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
