"""志愿服务时长证明: a PDF of the volunteer's confirmed hours — who, what, where, how long, confirmed by whom — as
the civil-affairs rules on service records ask (志愿服务记录与证明出具办法). Built with reportlab's Adobe CID font
for Chinese, so no font file has to ship with the code."""

from io import BytesIO

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=1)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)


def _date(value) -> str:
    value = timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value
    return f"{value.year}年{value.month}月{value.day}日"


def certificate_pdf(volunteer, records, summary: dict) -> bytes:
    resident = volunteer.resident
    community = resident.community.name
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title="志愿服务时长证明")
    story = [
        Paragraph("志愿服务时长证明", TITLE),
        Spacer(1, 6 * mm),
        Paragraph(
            f"兹证明 {resident.name}(身份证号 {resident.id_masked})为{community}注册志愿者,"
            f"截至{_date(timezone.localdate())},经活动组织人确认的志愿服务共 {summary['shifts']} 次、"
            f"累计 {summary['hours']:g} 小时。志愿服务为无偿服务,以下记录真实、完整。",
            BODY,
        ),
        Spacer(1, 5 * mm),
    ]
    rows = [["日期", "服务内容", "地点", "时长(小时)", "确认人"]]
    for s in records:
        rows.append(
            [
                _date(s.shift.starts_at),
                Paragraph(s.shift.activity.title, CELL),
                Paragraph(s.shift.place or s.shift.activity.place, CELL),
                f"{s.hours:g}",
                s.confirmed_by.name if s.confirmed_by_id else "",
            ]
        )
    if len(rows) == 1:
        rows.append(["—", "暂无经确认的服务记录", "", "0", ""])
    table = Table(rows, colWidths=[30 * mm, 55 * mm, 45 * mm, 20 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7eef7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 10 * mm),
        Paragraph(f"出具单位:{community}居民委员会", BODY),
        Paragraph(f"出具日期:{_date(timezone.localdate())}", BODY),
    ]
    doc.build(story)
    return buffer.getvalue()
