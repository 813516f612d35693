"""台账: every list exports to .xlsx. Rows stream through openpyxl's write-only mode."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(title: str, header: list[str], rows) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book


def xlsx_response(book: Workbook, name: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    filename = f"{name}_{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
