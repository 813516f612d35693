"""花名册导入: the service from the inside (what is written, what is refused) and the page from the outside."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jumin.core.access import scope_for
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.people import idcard, roster
from jumin.people.models import Household, Relationship, Resident, ResidentStatus, ResidentTag
from jumin.people.roster import TEMPLATE_COLUMNS, roster_import, roster_rows_from_residents
from jumin.people.tests.factories import new_id_number
from jumin.places.models import Dwelling, Unit

HEAD_BIRTH = datetime.date(1958, 3, 2)


def person(name, relationship="户主", *, head=None, place=("玉龙花园", "1号楼", "3单元", "301"), **extra):
    """One roster row; the ID number is valid and agrees with 性别 and 出生日期 unless told otherwise."""
    gender = extra.pop("gender", "男")
    birth = extra.pop("birth", HEAD_BIRTH)
    id_number = extra.pop("id_number", None) or new_id_number(birth, "M" if gender == "男" else "F")
    values = {
        "户主姓名": head or name,
        "姓名": name,
        "与户主关系": relationship,
        "性别": gender,
        "身份证号": id_number,
        "出生日期": extra.pop("birth_cell", birth),
        "手机号": extra.pop("phone", ""),
        "标签": extra.pop("tags", ""),
    }
    assert not extra, extra
    return dict(zip(["小区", "楼栋", "单元", "房号"], place, strict=True)) | values


def xlsx(rows, header=TEMPLATE_COLUMNS, name="花名册.xlsx"):
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


def run(world, rows, *, dry_run=False, user=None, **kwargs):
    user = user or world.users.secretary
    return roster_import(
        actor=user, scope=scope_for(user), community=world.a, file=xlsx(rows, **kwargs), dry_run=dry_run
    )


def family():
    """Two new households: a couple with tags in a new unit, and a single man in the other compound."""
    return [
        person("刘德明", phone="13912340001", tags="党员、退役军人"),
        person("陈桂兰", "配偶", head="刘德明", gender="女", birth=datetime.date(1960, 5, 18), tags="下岗职工"),
        person("周强", place=("瑞恒家园", "2号楼", "1单元", "202"), birth=datetime.date(1990, 7, 9)),
    ]


def errors_of(report):
    return {(e.row, e.column) for e in report.errors}


def snapshot():
    return [m.objects.count() for m in (Household, Resident, ResidentTag, Unit, Dwelling, AuditEvent)]


# ---- what a good file does ---------------------------------------------------------------------------------------


def test_valid_file_creates_households_and_residents(world):
    rows = family()
    report = run(world, rows)

    assert report.as_dict() == {"created": 3, "updated": 0, "unchanged": 0, "errors": [], "dry_run": False}
    liu = Resident.objects.get(name="刘德明")
    assert liu.relationship == Relationship.HEAD
    assert liu.gender == "M"
    assert liu.birth_date == HEAD_BIRTH
    assert liu.phone == "13912340001"
    assert liu.id_number == rows[0]["身份证号"]
    assert liu.id_hash == idcard.blind_index(rows[0]["身份证号"])
    assert liu.id_masked == idcard.mask(rows[0]["身份证号"])
    assert liu.name_pinyin == "ldm liudeming"
    assert sorted(t.name for t in liu.tags.all()) == ["党员", "退役军人"]
    chen = Resident.objects.get(name="陈桂兰")
    assert (chen.relationship, chen.gender, chen.household_id) == (Relationship.SPOUSE, "F", liu.household_id)
    assert [t.name for t in chen.tags.all()] == ["下岗职工"]

    home = liu.household
    assert home.dwelling.address == "玉龙花园1号楼3单元301室"
    assert home.dwelling.unit.building == world.building
    assert (home.community, home.compound, home.grid) == (world.a, world.compound, world.grid1)
    assert (home.head_name, home.member_count, home.version) == ("刘德明", 2, 1)
    assert liu.grid == world.grid1
    zhou = Resident.objects.get(name="周强")
    assert zhou.household.grid == world.grid2
    assert zhou.household.compound == world.compound2
    assert zhou.phone == ""


def test_text_dates_numeric_cells_and_other_column_order_are_understood(world):
    rows = [
        person("刘德明", birth_cell="1958/3/2", phone=13912340001),
        person("刘小明", "子女", head="刘德明", birth=datetime.date(1985, 11, 3), birth_cell="19851103"),
        person("刘小红", "儿媳", head="刘德明", gender="女", birth=datetime.date(1986, 1, 9), birth_cell="1986-01-09"),
    ]
    rows[0]["房号"] = 301  # a number cell, as Excel stores it
    header = ["序号", *reversed(TEMPLATE_COLUMNS)]

    report = run(world, rows, header=header)

    assert (report.created, report.errors) == (3, [])
    assert Resident.objects.get(name="刘德明").phone == "13912340001"
    assert Resident.objects.get(name="刘小红").relationship == Relationship.CHILD_IN_LAW
    assert Household.objects.get(head_name="刘德明").member_count == 3


def test_dry_run_writes_nothing_but_reports_what_the_import_will_do(world):
    rows = [*family(), person("错号", place=("玉龙花园", "1号楼", "1单元", "909"), id_number="110101195803021230")]
    before = snapshot()

    dry = run(world, rows, dry_run=True)

    assert snapshot() == before
    real = run(world, rows)
    assert dry.dry_run and not real.dry_run
    assert {**dry.as_dict(), "dry_run": False} == real.as_dict()
    assert (real.created, len(real.errors)) == (3, 1)


def test_reimporting_the_same_file_changes_nothing(world):
    rows = family()
    run(world, rows)
    versions = dict(Household.objects.values_list("pk", "version"))

    again = run(world, rows)

    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 3, [])
    assert dict(Household.objects.values_list("pk", "version")) == versions
    assert Resident.objects.filter(name__in=["刘德明", "陈桂兰", "周强"]).count() == 3


def test_exported_register_reimports_unchanged(world):
    rows = [dict(zip(TEMPLATE_COLUMNS, r, strict=True)) for r in roster_rows_from_residents(Resident.objects.all())]
    mine = [r for r in rows if r["小区"] != "黄河小区"]

    report = run(world, mine)

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 4, [])


def test_changed_phone_is_an_update_and_bumps_the_household_version(world):
    rows = family()
    run(world, rows)
    home = Household.objects.get(head_name="刘德明")
    rows[1]["手机号"] = "13700001111"

    report = run(world, rows)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Resident.objects.get(name="陈桂兰").phone == "13700001111"
    home.refresh_from_db()
    assert (home.version, home.member_count) == (2, 2)


def test_tags_follow_the_file_and_a_missing_tag_column_keeps_them(world):
    row = person("张三丰", place=("玉龙花园", "1号楼", "1单元", "101"), id_number=world.resident.id_number)
    row |= {"出生日期": world.resident.birth_date, "手机号": world.resident.phone, "标签": "下岗职工、低保户"}

    assert run(world, [row]).updated == 1
    assert sorted(t.name for t in world.resident.tags.all()) == ["下岗职工", "低保户"]  # 低保户 is a standard tag

    without_tags = [c for c in TEMPLATE_COLUMNS if c != "标签"]
    row["标签"] = ""
    assert run(world, [row], header=without_tags).unchanged == 1
    assert world.resident.tags.count() == 2


def test_member_added_to_existing_household_without_repeating_the_head(world):
    child = person(
        "张小龙", "子女", head="张三丰", place=("玉龙花园", "1号楼", "1单元", "101"), birth=datetime.date(2001, 6, 1)
    )

    report = run(world, [child])

    assert (report.created, report.errors) == (1, [])
    world.home.refresh_from_db()
    assert Resident.objects.get(name="张小龙").household == world.home
    assert (world.home.member_count, world.home.head_name, world.home.version) == (3, "张三丰", 2)


def test_resident_listed_at_a_new_address_moves_there(world):
    row = person("王建国", place=("瑞恒家园", "2号楼", "1单元", "203"), id_number=world.neighbour.id_number)
    row["出生日期"] = world.neighbour.birth_date
    row["标签"] = "下岗职工"
    row["手机号"] = world.neighbour.phone

    report = run(world, [row])

    assert (report.created, report.updated) == (0, 1)
    world.neighbour.refresh_from_db()
    assert world.neighbour.household.dwelling.address == "瑞恒家园2号楼1单元203室"
    assert world.neighbour.grid == world.grid2
    world.neighbour_home.refresh_from_db()
    assert (world.neighbour_home.member_count, world.neighbour_home.version) == (0, 2)
    assert world.neighbour.household.member_count == 1


def test_head_can_change_when_the_old_head_is_listed_with_a_new_relationship(world):
    place = ("玉龙花园", "1号楼", "1单元", "101")
    old = person("张三丰", "配偶", head="李秀英", place=place, id_number=world.resident.id_number)
    old |= {"出生日期": world.resident.birth_date, "手机号": world.resident.phone, "标签": "党员"}
    new = person("李秀英", "户主", place=place, gender="女", id_number=world.spouse.id_number)
    new |= {"出生日期": world.spouse.birth_date, "手机号": world.spouse.phone}

    alone = run(world, [new])
    assert errors_of(alone) == {(2, "与户主关系")}
    assert "已有户主“张三丰”" in alone.errors[0].message

    both = run(world, [old, new])
    assert (both.updated, both.errors) == (2, [])
    world.home.refresh_from_db()
    assert world.home.head_name == "李秀英"


# ---- what a bad row does -----------------------------------------------------------------------------------------


def test_rows_with_errors_are_reported_and_only_their_households_are_left_out(world):
    def at(room, name, relationship="户主", head=None, **extra):
        return person(name, relationship, head=head, place=("玉龙花园", "1号楼", "2单元", room), **extra)

    twin = new_id_number(HEAD_BIRTH)
    bad_check = new_id_number(HEAD_BIRTH)
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    rows = [
        *family(),  # rows 2-4 are fine
        at("401", "钱一", id_number=bad_check),  # 5
        person("孙二", place=("不存在小区", "1号楼", "1单元", "1")),  # 6
        at("403", "李三", birth_cell="1960-01-01"),  # 7
        at("404", "周四", tags="党员、神秘标签"),  # 8
        at("405", "吴五", id_number=twin),  # 9
        at("406", "郑六", id_number=twin),  # 10
        at("407", "冯七"),  # 11
        at("407", "陈八", head="冯七"),  # 12: a second 户主
        at("408", "卫九"),  # 13
        at("408", "蒋十", "子女", head="卫九", phone="12345"),  # 14: bad phone sinks row 13 too
    ]

    report = run(world, rows)

    assert errors_of(report) == {
        (5, "身份证号"),
        (6, "小区"),
        (7, "出生日期"),
        (8, "标签"),
        (9, "身份证号"),
        (10, "身份证号"),
        (11, "与户主关系"),
        (12, "与户主关系"),
        (13, ""),
        (14, "手机号"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(5, "身份证号")] == "身份证号校验位不正确,请核对"
    assert "不存在小区" in messages[(6, "小区")]
    assert messages[(7, "出生日期")] == "出生日期与身份证号不一致"
    assert "神秘标签" in messages[(8, "标签")]
    assert messages[(9, "身份证号")] == "与第10行的身份证号重复"
    assert messages[(13, "")] == "同户其他行有错误,本户未导入"
    assert all(twin not in e.message and bad_check not in e.message for e in report.errors)
    assert report.created == 3
    assert set(Resident.objects.filter(name__in=[r["姓名"] for r in rows]).values_list("name", flat=True)) == {
        "刘德明",
        "陈桂兰",
        "周强",
    }
    assert not Dwelling.objects.filter(unit__name="2单元").exists()  # nothing half-imported


def test_household_without_a_head_row_is_refused(world):
    report = run(world, [person("刘小明", "子女", head="刘德明")])

    assert errors_of(report) == {(2, "与户主关系")}
    assert report.created == 0


def test_id_number_registered_in_another_community_is_refused(world):
    outsider = world.outsider_resident
    row = person("孙志强", id_number=outsider.id_number, birth=outsider.birth_date)

    report = run(world, [row])

    assert errors_of(report) == {(2, "身份证号")}
    assert "其他社区" in report.errors[0].message
    outsider.refresh_from_db()
    assert outsider.household == world.outsider_home


def test_moved_out_resident_listed_again_is_back_on_the_register(world):
    Resident.objects.filter(pk=world.neighbour.pk).update(status=ResidentStatus.MOVED_OUT, moved_out_reason="外出务工")
    row = person("王建国", place=("玉龙花园", "1号楼", "1单元", "102"), id_number=world.neighbour.id_number)
    row |= {"出生日期": world.neighbour.birth_date, "手机号": world.neighbour.phone, "标签": "下岗职工"}

    report = run(world, [row])

    assert (report.updated, report.errors) == (1, [])
    world.neighbour.refresh_from_db()
    assert (world.neighbour.status, world.neighbour.moved_out_reason) == (ResidentStatus.ACTIVE, "")
    assert world.neighbour.household == world.neighbour_home


def test_deceased_resident_is_not_brought_back(world):
    Resident.objects.filter(pk=world.neighbour.pk).update(status=ResidentStatus.DECEASED)
    row = person("王建国", id_number=world.neighbour.id_number, birth=world.neighbour.birth_date)

    assert errors_of(run(world, [row])) == {(2, "身份证号")}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (BytesIO(b"\xd0\xcf\x11\xe0 an old .xls file"), "不是有效的 .xlsx"),
        (BytesIO(b"PK\x03\x04 broken zip"), "文件可能已损坏"),
    ],
)
def test_unreadable_files_are_refused(world, file, message):
    with pytest.raises(DomainError, match=message):
        roster_import(
            actor=world.users.secretary,
            scope=scope_for(world.users.secretary),
            community=world.a,
            file=file,
            dry_run=True,
        )


def test_other_file_types_missing_columns_and_empty_files_are_refused(world):
    with pytest.raises(DomainError, match=r"\.xlsx 格式"):
        run(world, family(), name="花名册.csv")
    with pytest.raises(DomainError, match="缺少列:与户主关系、身份证号"):
        run(world, family(), header=["小区", "楼栋", "单元", "房号", "户主姓名", "姓名"])
    with pytest.raises(DomainError, match="没有数据行"):
        run(world, [])


def test_too_many_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr(roster.reading, "MAX_ROWS", 2)  # where _read looks it up

    with pytest.raises(DomainError, match="超过 2 行"):
        run(world, family())


def test_import_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    rows = [
        person(f"住户{i}", place=("玉龙花园", "1号楼", f"{i % 3 + 1}单元", f"{500 + i}"), phone=f"1391234{i:04d}")
        for i in range(60)
    ]
    for row in rows[::2]:
        row["标签"] = "党员"

    with django_assert_max_num_queries(30):
        report = run(world, rows)

    assert report.created == 60
    with django_assert_max_num_queries(30):
        assert run(world, rows).unchanged == 60


# ---- who may import ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["grid_worker", "street_leader", "mediator", "resident"])
def test_service_refuses_users_without_the_import_right(world, persona):
    with pytest.raises(PermissionDenied):
        run(world, family(), user=getattr(world.users, persona))
    assert not Resident.objects.filter(name="刘德明").exists()


def test_secretary_of_another_community_cannot_import_into_this_one(world):
    with pytest.raises(PermissionDenied):
        run(world, family(), user=world.users.other_secretary)


def test_window_staff_may_import(world):
    assert run(world, family(), user=world.users.window_staff).created == 3


def test_audit_records_the_import_without_id_numbers_or_phones(world):
    rows = family()
    run(world, rows)

    event = AuditEvent.objects.get(action="roster.import")
    assert (event.community, event.actor, event.target_type) == (world.a, world.users.secretary, "community")
    assert "新增 3 人" in event.summary
    logged = [f"{e.summary} {e.changes}" for e in AuditEvent.objects.all()]
    for row in rows:
        for secret in (row["身份证号"], row["身份证号"][-8:], row["手机号"]):
            assert not secret or not any(secret in text for text in logged)


# ---- the pages ---------------------------------------------------------------------------------------------------


def upload(rows, name="花名册.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows).getvalue())


@pytest.mark.parametrize(("persona", "status"), [("grid_worker", 403), ("street_leader", 403), ("resident", 404)])
def test_page_and_template_are_closed_to_users_without_the_import_right(login, world, persona, status):
    client = login(getattr(world.users, persona))

    assert client.get(reverse("people:roster-import")).status_code == status
    assert client.post(reverse("people:roster-import"), {"file": upload(family()), "mode": "import"}).status_code == (
        status
    )
    assert client.get(reverse("people:roster-template")).status_code == status
    assert not Resident.objects.filter(name="刘德明").exists()


def test_page_offers_the_form_and_the_template(login, world):
    page = login(world.users.secretary).get(reverse("people:roster-import")).content.decode()

    assert "花名册导入" in page
    assert 'type="file"' in page
    assert "试导入" in page and "正式导入" in page
    assert reverse("people:roster-template") in page
    assert "20,000 行" in page


def test_template_download_is_an_xlsx_with_the_header_and_notes(login, world):
    response = login(world.users.window_staff).get(reverse("people:roster-template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATE_COLUMNS
    assert sheet.max_row == 3
    notes = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row)
    assert "儿媳/女婿" in notes and "退役军人" in notes


def test_importing_the_untouched_template_writes_nothing(world):
    book = roster.roster_template()
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    before = snapshot()

    report = roster_import(
        actor=world.users.secretary,
        scope=scope_for(world.users.secretary),
        community=world.a,
        file=buffer,
        dry_run=False,
    )

    assert errors_of(report) == {(2, "小区"), (3, "小区")}
    assert snapshot()[:5] == before[:5]


def test_dry_run_page_shows_the_error_table_and_writes_nothing(login, world):
    rows = [*family(), person("孙二", place=("不存在小区", "1号楼", "1单元", "1"))]
    client = login(world.users.secretary)

    response = client.post(reverse("people:roster-import"), {"file": upload(rows), "mode": "dry_run"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "试导入完成,没有写入任何数据" in page
    assert "正式导入将新增 3 人" in page
    assert '<th scope="col">行号</th>' in page
    assert "本社区没有小区“不存在小区”" in page
    assert not Resident.objects.filter(name="刘德明").exists()


def test_import_page_writes_and_confirms(login, world):
    client = login(world.users.secretary)

    response = client.post(reverse("people:roster-import"), {"file": upload(family()), "mode": "import"})

    assert response.status_code == 200
    assert "导入完成:共读取 3 行,新增 3 人" in response.content.decode()
    assert Resident.objects.filter(name="刘德明").exists()


def test_page_shows_a_file_problem_next_to_the_field(login, world):
    client = login(world.users.secretary)

    response = client.post(reverse("people:roster-import"), {"file": upload(family(), "花名册.xls"), "mode": "import"})

    assert response.status_code == 200
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()


def test_dry_run_keeps_the_file_for_the_real_import(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users.secretary)
    before = Resident.objects.count()
    response = client.post(reverse("people:roster-import"), {"file": upload(family()), "mode": "dry_run"})
    assert "已保留" in response.content.decode()
    assert Resident.objects.count() == before
    response = client.post(reverse("people:roster-import"), {"mode": "import"})
    assert response.status_code == 200
    assert Resident.objects.count() > before
    assert not list((tmp_path / "roster-uploads").iterdir())


def test_real_import_without_a_file_asks_for_one(login, world):
    response = login(world.users.secretary).post(reverse("people:roster-import"), {"mode": "import"})
    assert "请选择花名册文件" in response.content.decode()


def test_api_dry_run_then_import(client, world):
    from jumin.core.models import ApiToken

    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.window_staff)}"}
    before = Resident.objects.count()
    rows = family()
    dry = client.post("/api/v1/roster/import?dry_run=true", {"file": upload(rows)}, **headers)
    assert dry.status_code == 200
    assert dry.json() | {"dry_run": True} == {"created": 3, "updated": 0, "unchanged": 0, "errors": [], "dry_run": True}
    assert Resident.objects.count() == before
    real = client.post("/api/v1/roster/import?dry_run=false", {"file": upload(rows)}, **headers)
    assert real.json()["created"] == 3
    assert Resident.objects.count() == before + 3
    again = client.post("/api/v1/roster/import?dry_run=false", {"file": upload(rows)}, **headers)
    assert again.json()["unchanged"] == 3 and again.json()["created"] == 0


def test_api_reports_row_errors_as_json(client, world):
    from jumin.core.models import ApiToken

    bad = [person("错号人", id_number="110105194912310021")]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(world.users.secretary)}"}
    body = client.post("/api/v1/roster/import?dry_run=true", {"file": upload(bad)}, **headers).json()
    assert body["errors"] and body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "身份证号"


@pytest.mark.parametrize("persona", ["grid_worker", "street_leader", "resident"])
def test_api_import_is_refused_without_the_right(client, world, persona):
    from jumin.core.models import ApiToken

    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(getattr(world.users, persona))}"}
    response = client.post("/api/v1/roster/import?dry_run=false", {"file": upload(family())}, **headers)
    assert response.status_code == 403
    assert not Resident.objects.filter(name="刘德明").exists()
