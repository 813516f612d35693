"""A factory's settlement statement as Excel and PDF (reportlab's built-in Chinese CID font: no font files)."""

from io import BytesIO
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

from jumin.core.exports import workbook, xlsx_response

from .models import yuan

HEADER = [
    "订单",
    "加工内容",
    "总件数",
    "计件单价(元)",
    "本期合格件数",
    "本期不合格件数",
    "本期应付工资(元)",
    "本期已发工资(元)",
    "期末未发(元)",
]


def period_label(statement) -> str:
    start, end = statement["start"], statement["end"]
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _name(statement) -> str:
    return f"{statement['factory'].name}结算单_{statement['start']:%Y%m%d}-{statement['end']:%Y%m%d}"


def _rows(statement):
    for r in statement["rows"]:
        o = r["order"]
        yield [
            o.created_at.strftime("%Y-%m-%d"),
            o.item,
            o.quantity,
            str(o.unit_pay),
            r["accepted"],
            r["rejected"],
            str(yuan(r["earned_fen"])),
            str(yuan(r["paid_fen"])),
            str(yuan(r["owed_fen"])),
        ]
    yield [
        "合计",
        "",
        "",
        "",
        statement["accepted"],
        statement["rejected"],
        str(yuan(statement["earned_fen"])),
        str(yuan(statement["paid_fen"])),
        str(yuan(statement["owed_fen"])),
    ]


def statement_xlsx(statement) -> HttpResponse:
    return xlsx_response(workbook("结算单", HEADER, _rows(statement)), _name(statement))


def statement_pdf(statement) -> HttpResponse:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    factory = statement["factory"]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"{factory.name}结算单")
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=24)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=16)
    today = timezone.localdate()
    table = Table([HEADER, *list(_rows(statement))], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
            ]
        )
    )
    doc.build(
        [
            # Paragraph reads markup: names are typed by staff, so they are escaped.
            Paragraph(escape(f"{factory.name} 家庭代工结算单"), title),
            Paragraph(
                escape(
                    f"社区:{factory.community.name} 联系人:{factory.contact_name} 结算期间:{period_label(statement)}"
                    f" 生成日期:{today.year}年{today.month}月{today.day}日"
                ),
                body,
            ),
            Spacer(1, 8),
            table,
        ]
    )
    filename = f"{_name(statement)}.pdf"
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
