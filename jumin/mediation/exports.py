"""台账 of disputes: counts only. A dispute never leaves the system with a name or a line of its text."""

from openpyxl import Workbook

from jumin.core.exports import workbook

from .models import Category


def counts_workbook(counts: dict, statuses) -> Workbook:
    """One row per month: disputes registered, by category, by current status, escalated; then the totals."""
    categories = Category.choices
    header = ["月份", "登记数", *(label for _, label in categories), *(s.label for s in statuses), "移交街道司法所"]
    rows = [
        [
            f"{month:%Y年%m月}" if month else "—",
            row["total"],
            *(row[code] for code, _ in categories),
            *(row["status:" + s.code] for s in statuses),
            row["escalated"],
        ]
        for month, row in counts["months"]
    ]
    totals = [
        "合计",
        counts["total"],
        *(counts["by_category"].get(code, 0) for code, _ in categories),
        *(counts["by_status"].get(s.code, 0) for s in statuses),
        counts["escalated"],
    ]
    return workbook("矛盾调解统计", header, [*rows, totals])
