"""The blank places workbook staff download: header, two fictional example rows and a 说明 sheet."""

from openpyxl import Workbook
from openpyxl.styles import Font

from jumin.core.exports import append

from ..models import DwellingKind
from .columns import AREA, MAX_ROWS, OWNERS_PER_DWELLING, SHEET_NAME, TEMPLATE_COLUMNS


def places_template() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    append(sheet, TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"服务站": 14, "网格": 10, "小区": 14, AREA: 14, "产权人": 20, "房屋类型": 10}
    for index, name in enumerate(TEMPLATE_COLUMNS):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths.get(name, 8)
        if name in ("房号", "单元", "楼栋"):
            sheet.column_dimensions[letter].number_format = "@"
    for row in (
        ["示例服务站", "第1网格", "示例小区", "1号楼", "1单元", "101", 89.5, "张明、李芳", "住宅"],
        ["示例服务站", "第1网格", "示例小区", "1号楼", "1单元", "102", 120, "王强", "住宅"],
    ):
        append(sheet, row)
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    notes.append(["列", "填写说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    kinds = "、".join(label for _v, label in DwellingKind.choices)
    for row in (
        ("服务站", "必填。没有的服务站会自动建立。示例行用的“示例…”名称,导入前请删除两行示例。"),
        (
            "网格",
            "必填。如“第3网格”或只填 3(按网格号对应);没有的网格会建在本行的服务站下。同一网格各行的服务站须一致。",
        ),
        ("小区", "必填。没有的小区会自动建立。"),
        ("楼栋", "必填。如“3号楼”(只填数字 3 也可)。同一楼栋各行须填同一个网格:楼栋按表格划入网格。"),
        (
            "",
            "已登记的楼栋若表中网格与系统不同,即为“调整网格”:该楼的住户和居民随之调整到新网格。试导入会列出每栋楼"
            "和随之调整的户数,核对无误后勾选“确认调整网格”再正式导入。",
        ),
        ("单元", "必填。如“1单元”(只填数字 1 也可)。"),
        ("房号", "必填。如“302”。同一小区、楼栋、单元、房号只能出现一行。"),
        (
            AREA,
            "可空。数字,单位平方米,最多两位小数,如 89.5。用于民法典第278条表决按面积计票;空着表示没有面积(删掉整列则保留系统中已有的面积)。",
        ),
        (
            "产权人",
            f"可空。多位产权人用“、”或逗号分隔,最多 {OWNERS_PER_DWELLING} 位;以表格为准(删掉整列则保留系统中已有的产权人)。",
        ),
        ("房屋类型", f"可空,空着为住宅。可填:{kinds}(“车位”视同车库,“门面”视同商铺)。"),
        (
            "导入",
            f"第一行为表头,每次最多 {MAX_ROWS:,} 行。先“试导入”检查;有任何一行有问题,正式导入时整个文件都不写入。",
        ),
        ("", "改正后可再次导入同一文件;已导入的行显示为“无变化”,不会重复登记。"),
    ):
        append(notes, row)
    return book
