"""房屋导入: what is written, what is refused, a re-import, and a building moved between grids."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jumin.core.access import scope_for
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.people.models import Household, Resident
from jumin.places.imports import TEMPLATE_COLUMNS, places_import
from jumin.places.models import Building, Compound, Dwelling, DwellingOwner, Grid, ServiceStation, Unit

AREA = "建筑面积(㎡)"


def place(
    room, *, station="玉龙湖服务站", grid="第1网格", compound="新苑小区", building="1号楼", unit="1单元", **extra
):
    row = {"服务站": station, "网格": grid, "小区": compound, "楼栋": building, "单元": unit, "房号": room}
    row |= {AREA: extra.pop("area", 88.5), "产权人": extra.pop("owners", "张明"), "房屋类型": extra.pop("kind", "住宅")}
    assert not extra, extra
    return row


def xlsx(rows, header=TEMPLATE_COLUMNS, name="房屋.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def run(world, rows, *, dry_run=False, user=None, confirm_moves=False, **kwargs):
    user = user or world.users.secretary
    return places_import(
        actor=user,
        scope=scope_for(user),
        community=world.a,
        file=xlsx(rows, **kwargs),
        dry_run=dry_run,
        confirm_moves=confirm_moves,
    )


def counts(world):
    return {
        model.__name__: model.objects.filter(community=world.a).count()
        for model in (ServiceStation, Grid, Compound, Building, Unit, Dwelling, DwellingOwner)
    }


def test_a_file_creates_stations_grids_compounds_buildings_and_dwellings(world):
    rows = [
        place("101", owners="张明、李芳", area="89.50㎡"),
        place("102", kind="商铺", owners=""),
        place("201", station="新站", grid="5", compound="新苑小区", building="2", unit="1"),
    ]
    report = run(world, rows)
    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    new_grid = Grid.objects.get(community=world.a, number=5)
    assert (new_grid.name, new_grid.station.name) == ("第5网格", "新站")
    building = Building.objects.get(compound__name="新苑小区", name="2号楼")
    assert building.grid == new_grid
    d101 = Dwelling.objects.get(unit__building__name="1号楼", number="101", unit__building__compound__name="新苑小区")
    assert d101.floor_area == Decimal("89.50") and d101.address == "新苑小区1号楼1单元101室"
    assert list(d101.owners.values_list("name", flat=True)) == ["张明", "李芳"]
    assert Dwelling.objects.get(number="102", unit__building__compound__name="新苑小区").kind == "shop"
    assert Dwelling.objects.get(number="201", unit__building__compound__name="新苑小区").unit.name == "1单元"
    event = AuditEvent.objects.get(action="places.import")
    assert "新增 3 套" in event.summary and event.community_id == world.a.pk


def test_the_same_file_again_changes_nothing(world):
    rows = [place("101", owners="张明、李芳"), place("102"), place("201", grid="第2网格", building="2号楼")]
    run(world, rows)
    before = counts(world)
    stamps = dict(Dwelling.objects.values_list("pk", "updated_at"))
    report = run(world, rows)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 3, [])
    assert counts(world) == before
    assert dict(Dwelling.objects.values_list("pk", "updated_at")) == stamps
    changed = run(world, [place("101", owners="张明", area=90), *rows[1:]])
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert list(
        Dwelling.objects.get(number="101", unit__building__compound__name="新苑小区").owners.values_list(
            "name", flat=True
        )
    ) == ["张明"]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(world):
    before = counts(world)
    rows = [
        place("101"),
        place("102", area="很大"),
        place("", kind="别墅"),
        place("101"),  # the same dwelling twice
        place("103", compound='=HYPERLINK("x")'),
        place("104", grid="第2网格"),  # the same building in another grid
        place("105", station="瑞恒服务站", grid="第1网格", building="9号楼"),  # grid 1 belongs to 玉龙湖服务站
        place("106", owners="、".join(f"业主{i}" for i in range(11))),
        place("107", compound="新" * 60),
    ]
    report = run(world, rows)
    assert counts(world) == before
    got = {(e.row, e.column) for e in report.errors}
    assert {
        (3, AREA),
        (4, "房号"),
        (4, "房屋类型"),
        (5, "房号"),
        (6, "小区"),
        (7, "网格"),
        (8, "网格"),
        (9, "产权人"),
        (10, "小区"),
    } <= got
    assert all(e.message for e in report.errors)
    assert "第2行" in next(e.message for e in report.errors if e.row == 5)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip at all", "不是有效的 .xlsx"), (None, "表头缺少列")],
)
def test_an_unreadable_file_is_refused_in_chinese(world, content, message):
    file = BytesIO(content) if content else xlsx([place("101")], header=["小区", "楼栋"])
    file.name = "房屋.xlsx"
    with pytest.raises(DomainError, match=message):
        places_import(
            actor=world.users.secretary,
            scope=scope_for(world.users.secretary),
            community=world.a,
            file=file,
            dry_run=True,
        )


def test_a_building_moved_to_another_grid_is_reported_then_moves_its_households_when_confirmed(world):
    # world.building (玉龙花园 1号楼) is in grid 1 with households 101 and 102.
    row = place("101", compound="玉龙花园", building="1号楼", grid="第2网格", unit="1单元")
    dry = run(world, [row], dry_run=True)
    assert dry.moves == [{"building": "玉龙花园1号楼", "from": "第1网格", "to": "第2网格", "households": 2}]
    unconfirmed = run(world, [row])
    assert [e.column for e in unconfirmed.errors] == ["网格"] and "确认调整网格" in unconfirmed.errors[0].message
    assert Building.objects.get(pk=world.building.pk).grid == world.grid1

    report = run(world, [row], confirm_moves=True)
    assert report.errors == [] and report.moves_applied and report.updated == 1
    assert Building.objects.get(pk=world.building.pk).grid == world.grid2
    assert set(
        Household.objects.filter(pk__in=[world.home.pk, world.neighbour_home.pk]).values_list("grid", flat=True)
    ) == {world.grid2.pk}
    assert Resident.objects.get(pk=world.resident.pk).grid == world.grid2
    event = AuditEvent.objects.get(action="places.building_move")
    assert event.changes["网格"] == ["第1网格", "第2网格"] and "2 户随之调整" in event.summary
    # The grid worker of grid 1 no longer sees them.
    assert not scope_for(world.users.grid_worker).contains(Household.objects.get(pk=world.home.pk))


def test_only_the_secretary_imports_places_and_only_into_its_community(world):
    for user in (world.users.grid_worker, world.users.window_staff, world.users.street_leader):
        with pytest.raises(PermissionDenied):
            run(world, [place("101")], user=user)
    with pytest.raises(PermissionDenied):
        run(world, [place("101")], user=world.users.other_secretary)


def test_import_api_reports_and_writes(client, world):
    from jumin.core.models import ApiToken

    token = ApiToken.issue(world.users.secretary)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    file = xlsx([place("101"), place("102", area="x")])
    response = client.post("/api/v1/places/import?dry_run=false", {"file": file}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 0, 0)
    assert body["errors"] == [{"row": 3, "column": AREA, "message": body["errors"][0]["message"]}]
    assert not Dwelling.objects.filter(unit__building__compound__name="新苑小区").exists()
    ok = client.post("/api/v1/places/import?dry_run=false", {"file": xlsx([place("101")])}, **headers)
    assert ok.json()["created"] == 1 and Dwelling.objects.filter(unit__building__compound__name="新苑小区").count() == 1
    other = ApiToken.issue(world.users.grid_worker)
    refused = client.post("/api/v1/places/import", {"file": xlsx([place("101")])}, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert refused.status_code == 403 and "detail" in refused.json()
    bad = client.post("/api/v1/places/import?dry_run=maybe", {"file": xlsx([place("101")])}, **headers)
    assert bad.status_code in (400, 422)


def test_import_page_dry_run_then_import_the_kept_file(login, world):
    client = login(world.users.secretary)
    assert client.get(reverse("places:import")).status_code == 200
    template = client.get(reverse("places:import-template"))
    assert load_workbook(BytesIO(template.content)).active["A1"].value == "服务站"
    page = client.post(reverse("places:import"), {"mode": "dry_run", "file": xlsx([place("101")])})
    assert (
        "试导入完成" in page.content.decode()
        and not Dwelling.objects.filter(number="101", unit__building__compound__name="新苑小区").exists()
    )
    page = client.post(reverse("places:import"), {"mode": "import"})
    assert "导入完成" in page.content.decode()
    assert Dwelling.objects.filter(number="101", unit__building__compound__name="新苑小区").exists()
    assert login(world.users.grid_worker).get(reverse("places:import")).status_code == 403


def test_import_api_refuses_hostile_uploads_in_chinese(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jumin.core.models import ApiToken

    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.secretary)}"}
    for file in (
        SimpleUploadedFile("房屋.csv", b"a,b"),
        SimpleUploadedFile("房屋.xlsx", b"PK\x03\x04broken"),
        SimpleUploadedFile("房屋.xlsx", b"=cmd|' /C calc'!A0"),
    ):
        response = client.post("/api/v1/places/import?dry_run=false", {"file": file}, **headers)
        assert response.status_code == 400, response.content
        assert "detail" in response.json() and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert client.post("/api/v1/places/import", {}, **headers).status_code in (400, 422)
    assert not Dwelling.objects.filter(unit__building__compound__name="新苑小区").exists()
