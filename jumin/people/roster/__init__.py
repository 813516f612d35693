"""花名册导入: a household roster in Excel (.xlsx) → the households and residents of one community.

The file is read once; the community's places, households and the residents whose ID numbers appear in it are
loaded in a handful of queries; every row is then checked and planned in memory. The report is computed from
that plan, so a dry run reports exactly what the real import writes. The real import writes the plan with bulk
operations inside one transaction. A household (same 小区+楼栋+单元+房号) is written whole or not at all.
"""

from .common import MAX_BYTES, MAX_ROWS, REQUIRED_COLUMNS, SHEET_NAME, TEMPLATE_COLUMNS, RosterReport, RowError
from .importer import roster_import
from .template import roster_rows_from_residents, roster_template, roster_workbook

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "SHEET_NAME",
    "TEMPLATE_COLUMNS",
    "RosterReport",
    "RowError",
    "roster_import",
    "roster_rows_from_residents",
    "roster_template",
    "roster_workbook",
]
