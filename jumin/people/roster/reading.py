"""Reading an uploaded roster: the file → rows of text, with the checks that need nothing from the database."""

import datetime
from dataclasses import dataclass, field

from jumin.core.errors import DomainError
from jumin.core.sheets import cell_text, read_rows
from jumin.core.text import CONTROL_MESSAGE, has_control_chars

from ..forms import PHONE_RE
from ..models import Relationship
from ..services import identity_fields
from .common import (
    DATE_PATTERNS,
    GENDERS,
    MAX_BYTES,
    MAX_LENGTHS,
    MAX_ROWS,
    RELATIONSHIPS,
    REQUIRED_COLUMNS,
    SHEET_NAME,
    TAG_SEPARATORS,
    TEMPLATE_COLUMNS,
    RowError,
)


def _read(file) -> tuple[set[str], list[tuple[int, dict]]]:
    """Return (columns present, [(Excel row number, {column: cell value})]) for the non-blank data rows."""
    return read_rows(
        file,
        sheet_name=SHEET_NAME,
        columns=TEMPLATE_COLUMNS,
        required=REQUIRED_COLUMNS,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        what="花名册",
        row_hint="每行填写一位居民",
    )


@dataclass(slots=True)
class _Row:
    number: int
    texts: dict
    errors: list = field(default_factory=list)
    relationship: str = ""
    identity: dict | None = None
    phone: str | None = None  # None: the column is absent, keep what is on file
    tags: frozenset | None = None  # likewise
    group: object = None

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def __getitem__(self, column: str) -> str:
        return self.texts[column]


_text = cell_text


def _date(value) -> datetime.date | None:
    """A date cell or text like 1958-03-02, 1958/3/2, 1958年3月2日, 19580302; raise ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return datetime.date(*(int(g) for g in match.groups()))
    raise ValueError(text)


def _clean(number: int, values: dict, columns: set[str], known_tags: set[str]) -> _Row:
    """Checks that need nothing from the database."""
    row = _Row(number, {c: _text(values.get(c)) for c in TEMPLATE_COLUMNS})
    for column, limit in MAX_LENGTHS.items():
        if not row[column]:
            row.error(column, f"请填写{column}")
        elif len(row[column]) > limit:
            row.error(column, f"{column}过长(最多 {limit} 个字)")
    for column, text in row.texts.items():
        if has_control_chars(text):
            row.error(column, f"{column}{CONTROL_MESSAGE}")
    relationship = row["与户主关系"]
    if not relationship:
        row.error("与户主关系", "请填写与户主关系")
    elif relationship not in RELATIONSHIPS:
        row.error("与户主关系", f"与户主关系应为:{'、'.join(label for _v, label in Relationship.choices)}")
    else:
        row.relationship = RELATIONSHIPS[relationship]

    raw_id = values.get("身份证号")
    if isinstance(raw_id, float):
        row.error("身份证号", "身份证号被 Excel 存成了数字,末几位已丢失;请把该列设为文本格式后重新填写")
    elif not row["身份证号"]:
        row.error("身份证号", "请填写身份证号")
    else:
        try:
            row.identity = identity_fields(row["身份证号"])
        except DomainError as exc:  # the message never repeats the number
            row.error("身份证号", exc.message)

    try:
        birth = _date(values.get("出生日期"))
    except (ValueError, TypeError):
        row.error("出生日期", "出生日期无法识别,请填写如 1958-03-02")
    else:
        if birth and row.identity and birth != row.identity["birth_date"]:
            row.error("出生日期", "出生日期与身份证号不一致")
    gender = row["性别"]
    if gender and gender not in GENDERS:
        row.error("性别", "性别请填写“男”或“女”")
    elif gender and row.identity and GENDERS[gender] != row.identity["gender"]:
        row.error("性别", "性别与身份证号不一致")

    if "手机号" in columns:
        row.phone = row["手机号"]
        if row.phone and not PHONE_RE.match(row.phone):
            row.error("手机号", "手机号应为以 1 开头的 11 位数字")
    if "标签" in columns:
        names = frozenset(n.strip() for n in TAG_SEPARATORS.split(row["标签"]) if n.strip())
        unknown = sorted(names - known_tags)
        if unknown:
            row.error("标签", f"没有标签“{'、'.join(unknown)}”,可用标签:{'、'.join(sorted(known_tags))}")
        row.tags = names
    return row
