"""台账 of the reading room: the catalogue and the loans, as the filtered lists show them. Names only."""

from django.utils import timezone

from jumin.core.exports import workbook


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def books_workbook(rows):
    header = ["书名", "作者", "ISBN", "书架位置", "捐赠人", "册数", "在架", "预约保留", "借出", "借阅次数"]
    data = (
        (b.title, b.author, b.isbn, b.shelf, b.donated_by, b.copies, b.available, b.reserved, b.on_loan, b.loan_count)
        for b in rows.iterator(chunk_size=2000)
    )
    return workbook("阅览室图书台账", header, data)


def loans_workbook(rows):
    header = ["书名", "ISBN", "读者", "借出时间", "应还日期", "续借次数", "归还时间", "经办人", "收书人"]
    data = (
        (
            loan.book.title,
            loan.book.isbn,
            loan.resident.name,
            _when(loan.lent_at),
            f"{loan.due_on:%Y-%m-%d}",
            loan.renewals,
            _when(loan.returned_at),
            loan.lent_by.name,
            loan.returned_to.name if loan.returned_to_id else "",
        )
        for loan in rows.iterator(chunk_size=2000)
    )
    return workbook("借阅台账", header, data)
