"""What the roster files look like and what an import reports: columns, limits, accepted labels."""

import re
from dataclasses import dataclass

from jumin.core.sheets import RowError

from ..models import Gender, Relationship

TEMPLATE_COLUMNS = [
    "小区",
    "楼栋",
    "单元",
    "房号",
    "户主姓名",
    "姓名",
    "与户主关系",
    "性别",
    "身份证号",
    "出生日期",
    "手机号",
    "标签",
]
# 性别 and 出生日期 follow from the ID number and are only cross-checked; 手机号 and 标签, when the column is
# missing, are left as they are on file.
REQUIRED_COLUMNS = ["小区", "楼栋", "单元", "房号", "户主姓名", "姓名", "与户主关系", "身份证号"]
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
SHEET_NAME = "花名册"
SIBLING_FAILED = "同户其他行有错误,本户未导入"

RELATIONSHIPS = {label: value for value, label in Relationship.choices} | {
    "本人": Relationship.HEAD,
    "儿媳": Relationship.CHILD_IN_LAW,
    "女婿": Relationship.CHILD_IN_LAW,
}
GENDERS = {label: value for value, label in Gender.choices}
MAX_LENGTHS = {"小区": 50, "楼栋": 20, "单元": 20, "房号": 20, "户主姓名": 50, "姓名": 50}
TAG_SEPARATORS = re.compile(r"[、,，]")
DATE_PATTERNS = [
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: 00:00(?::00)?)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
CHUNK = 2000
EXISTING_FIELDS = ["id", "id_hash", "community_id", "household_id", "name", "relationship", "gender", "birth_date"]
EXISTING_FIELDS += ["phone", "status", "moved_out_on"]


@dataclass
class RosterReport:
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    dry_run: bool
    rows: int = 0  # data rows read from the file

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "dry_run": self.dry_run,
        }
