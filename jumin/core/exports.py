"""台账: every list exports to .xlsx. Rows stream through openpyxl's write-only mode.

Every cell goes through `cell()`: text a resident typed must stay text. A value starting with = + - @ (or a tab or
carriage return) would otherwise become a live formula in the staff's Excel (=HYPERLINK(...) sends a click
anywhere), and control characters that reached the database before input refused them would make openpyxl fail
the whole ledger."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(sheet, value):
    """The value as it should be written: text that Excel would read as a formula becomes a text cell (also
    marked quotePrefix, so editing it in Excel keeps it text); characters XML cannot hold are dropped."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    text = WriteOnlyCell(sheet, value)
    text.data_type = "s"
    text.quotePrefix = True
    return text


def append(sheet, row) -> None:
    sheet.append([cell(sheet, value) for value in row])


def workbook(title: str, header: list[str], rows) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    append(sheet, header)
    for row in rows:
        append(sheet, row)
    return book


def xlsx_response(book: Workbook, name: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    filename = f"{name}_{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
