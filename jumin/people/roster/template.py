"""The roster as a workbook: the blank template staff download, and existing residents in import layout."""

import datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from jumin.core.exports import append

from .. import idcard
from ..models import Relationship, Tag
from ..tags import DEFAULT_TAGS
from .common import CHUNK, MAX_ROWS, SHEET_NAME, TEMPLATE_COLUMNS


def roster_workbook(rows) -> Workbook:
    """A roster sheet in import layout: header, then `rows` in TEMPLATE_COLUMNS order. ID and phone cells are text."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    append(sheet, TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"小区": 14, "户主姓名": 10, "与户主关系": 12, "身份证号": 22, "出生日期": 12, "手机号": 14, "标签": 20}
    for index, name in enumerate(TEMPLATE_COLUMNS):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths.get(name, 8)
        if name in ("身份证号", "手机号", "房号"):
            # Typed as numbers, Excel keeps only 15 significant digits and the ID number is lost.
            sheet.column_dimensions[letter].number_format = "@"
    text_columns = {TEMPLATE_COLUMNS.index(c) for c in ("身份证号", "手机号", "房号")}
    date_column = TEMPLATE_COLUMNS.index("出生日期")
    for row_number, row in enumerate(rows, start=2):
        append(sheet, row)
        # sheet.cell() is a dict lookup; max_row/sheet[n] would rescan the sheet for every row.
        for index in text_columns:
            sheet.cell(row=row_number, column=index + 1).number_format = "@"
        sheet.cell(row=row_number, column=date_column + 1).number_format = "yyyy-mm-dd"
    return book


def roster_template() -> Workbook:
    """The blank roster with two fictional example rows and a 说明 sheet on every column."""
    head_birth, spouse_birth = datetime.date(1958, 3, 2), datetime.date(1960, 5, 18)
    place = ["示例小区", "1号楼", "1单元", "101", "张明"]
    examples = [
        [
            *place,
            "张明",
            "户主",
            "男",
            idcard.make("110101", head_birth, 11),
            head_birth,
            "13800000000",
            "党员、退役军人",
        ],
        [*place, "李芳", "配偶", "女", idcard.make("110101", spouse_birth, 22), spouse_birth, "", "低保户"],
    ]
    book = roster_workbook(examples)
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    notes.append(["列", "填写说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    relationships = "、".join(label for _value, label in Relationship.choices)
    for row in [
        ("小区", "必填。须是本社区已登记的小区名称。示例行用的“示例小区”不存在,导入前请删除两行示例。"),
        (
            "楼栋",
            "必填。须是该小区已登记的楼栋,如“3号楼”(只填数字 3 也可)。新楼栋请先用“房屋导入”(/office/places/import/)登记并划入网格。",
        ),
        ("单元", "必填。如“1单元”(只填数字 1 也可);系统里没有的单元会自动建立。"),
        ("房号", "必填。如“302”;系统里没有的房屋会自动建立。同一小区、楼栋、单元、房号的各行算作同一户。"),
        ("户主姓名", "必填。同一户各行填同一个户主姓名。"),
        ("姓名", "必填。"),
        ("与户主关系", f"必填。可填:{relationships}(“本人”视同户主,“儿媳”“女婿”视同儿媳/女婿)。"),
        ("", "每户须有且只有一行“户主”,其姓名与户主姓名一致;系统里已有户主的户可以只填新增或修改的成员。"),
        ("性别", "可空。填“男”或“女”,须与身份证号一致;空着则按身份证号登记。"),
        ("身份证号", "必填。18 位,最后一位可为 X;请保持本列为文本格式,否则 Excel 会丢失末几位。"),
        (
            "",
            "同一身份证号只能出现一行;已在本社区登记的居民(包括已迁出的)按身份证号更新,不会重复登记。"
            "已由其他社区办理迁出的居民按新登记;在其他社区在册或已故的不能导入。",
        ),
        ("出生日期", "可空。如 1958-03-02、1958/3/2 或 19580302,须与身份证号一致。"),
        ("手机号", "可空。以 1 开头的 11 位数字;空着表示没有手机号(删掉整列则保留系统中已有的手机号)。"),
        ("标签", f"可空。多个标签用“、”或逗号分隔。可用标签:{'、'.join(_known_tag_names())}。"),
        ("", "标签按表格为准:表里没有的标签会从该居民身上去掉(删掉整列则保留系统中已有的标签)。"),
        ("导入", f"第一行为表头,每次最多 {MAX_ROWS:,} 行。先点“试导入”检查,没有问题再“正式导入”。"),
        ("", "有错误的户整户不导入,其他户照常导入;改正后可再次导入同一文件,已导入的行显示为“无变化”。"),
        ("", "表中没有列出的已登记成员保持不变;迁出、已故请在一户一档中办理。"),
    ]:
        append(notes, row)
    return book


def roster_rows_from_residents(residents):
    """Rows in TEMPLATE_COLUMNS order for existing residents (full ID numbers: for staff who may see them)."""
    residents = residents.select_related("household__dwelling__unit__building__compound").prefetch_related("tags")
    for r in residents.iterator(chunk_size=CHUNK):
        dwelling = r.household.dwelling
        yield [
            dwelling.unit.building.compound.name,
            dwelling.unit.building.name,
            dwelling.unit.name,
            dwelling.number,
            r.household.head_name,
            r.name,
            r.get_relationship_display(),
            r.get_gender_display(),
            r.id_number,
            r.birth_date,
            r.phone,
            "、".join(t.name for t in r.tags.all()),
        ]


def _known_tag_names() -> list[str]:
    names = [name for _code, name in DEFAULT_TAGS]
    return names + sorted(set(Tag.objects.values_list("name", flat=True)) - set(names))
