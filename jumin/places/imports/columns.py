"""What a places file looks like, what an import reports, and the checks on one row that need no database."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jumin.core.sheets import RowError, cell_text
from jumin.core.text import CONTROL_MESSAGE, has_control_chars

from ..models import DwellingKind

AREA = "建筑面积(㎡)"
TEMPLATE_COLUMNS = ["服务站", "网格", "小区", "楼栋", "单元", "房号", AREA, "产权人", "房屋类型"]
REQUIRED_COLUMNS = ["服务站", "网格", "小区", "楼栋", "单元", "房号"]
# Header spellings people type for the area column (spaces and asterisks are dropped before matching).
HEADER_ALIASES = {"建筑面积(㎡)": AREA, "建筑面积": AREA, "建筑面积(m2)": AREA, "建筑面积(平方米)": AREA, "面积": AREA}
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
SHEET_NAME = "房屋"
MAX_LENGTHS = {"服务站": 50, "网格": 50, "小区": 50, "楼栋": 20, "单元": 20, "房号": 20}
OWNER_MAX = 50
OWNERS_PER_DWELLING = 10
OWNER_SEPARATORS = re.compile(r"[、,，;；/]")
KINDS = {label: value for value, label in DwellingKind.choices} | {
    "车位": DwellingKind.GARAGE,
    "门面": DwellingKind.SHOP,
}
# Names that Excel would run as a formula when the sheet is opened again (exports neutralise them, but a name that
# starts so is a pasted formula, not a place).
FORMULA_STARTS = ("=", "+", "@")
GRID_NUMBER = re.compile(r"第?(\d{1,4})号?(?:网格)?")
MAX_AREA = Decimal("99999.99")


@dataclass
class PlacesReport:
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    dry_run: bool
    rows: int = 0
    # Buildings the file puts in another grid: {"building", "from", "to", "households"}; made only when confirmed.
    moves: list[dict] = field(default_factory=list)
    moves_applied: bool = False
    # New places the file brings: {"服务站": n, "网格": n, "小区": n, "楼栋": n, "单元": n}.
    new_places: dict = field(default_factory=dict)

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
            "moves": self.moves,
            "moves_applied": self.moves_applied,
        }


@dataclass(slots=True)
class Row:
    number: int
    texts: dict
    errors: list = field(default_factory=list)
    has_area: bool = False  # the file has the area column: a blank cell clears the area on record
    area: Decimal | None = None
    owners: tuple[str, ...] | None = None  # None: the column is absent, keep what is on file
    kind: str | None = None  # likewise
    grid_number: int | None = None
    # Filled by the plan: the grid's key in the file, (compound, building, unit, building name, unit name) with
    # None for what does not exist yet, the dwelling on record (a dict) and created / updated / unchanged.
    grid_key: tuple | None = None
    place: tuple | None = None
    dwelling: dict | None = None
    outcome: str = ""

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def __getitem__(self, column: str) -> str:
        return self.texts[column]


def parse_area(text: str) -> Decimal:
    """ "89.5", "89.50㎡", "89.5 m2" → Decimal("89.50"); ValueError otherwise."""
    cleaned = re.sub(r"\s*(㎡|m2|m²|平方米|平米)$", "", text, flags=re.IGNORECASE)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or value <= 0 or value > MAX_AREA or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def building_name(text: str) -> str:
    return f"{text}号楼" if text.isdigit() else text


def unit_name(text: str) -> str:
    return f"{text}单元" if text.isdigit() else text


def clean_row(number: int, values: dict, columns: set[str]) -> Row:
    row = Row(number, {c: cell_text(values.get(c)) for c in TEMPLATE_COLUMNS})
    for column, text in row.texts.items():
        if has_control_chars(text):
            row.error(column, f"{column}{CONTROL_MESSAGE}")
        elif text.startswith(FORMULA_STARTS):
            row.error(column, f"{column}不能以 = + @ 开头(像是 Excel 公式),请填写名称本身")
    for column, limit in MAX_LENGTHS.items():
        if not row[column]:
            row.error(column, f"请填写{column}")
        elif len(row[column]) > limit:
            row.error(column, f"{column}过长(最多 {limit} 个字)")
    match = GRID_NUMBER.fullmatch(row["网格"])
    row.grid_number = int(match.group(1)) if match else None
    if row.grid_number == 0:
        row.error("网格", "网格号应从 1 开始")
    if AREA in columns:
        row.has_area = True
        raw = values.get(AREA)
        if row[AREA]:
            try:
                row.area = parse_area(row[AREA]) if not isinstance(raw, int | float) else parse_area(str(raw))
            except ValueError:
                row.error(AREA, "建筑面积应为大于 0 的数字(平方米,最多两位小数),如 89.5")
    if "产权人" in columns:
        names = [n.strip() for n in OWNER_SEPARATORS.split(row["产权人"]) if n.strip()]
        if len(names) != len(set(names)):
            row.error("产权人", "同一房屋的产权人重复")
        elif len(names) > OWNERS_PER_DWELLING:
            row.error("产权人", f"一套房屋最多填写 {OWNERS_PER_DWELLING} 位产权人")
        elif any(len(n) > OWNER_MAX for n in names):
            row.error("产权人", f"产权人姓名过长(每位最多 {OWNER_MAX} 个字)")
        row.owners = tuple(names)
    if "房屋类型" in columns:
        if not row["房屋类型"]:
            row.kind = DwellingKind.RESIDENTIAL
        elif row["房屋类型"] in KINDS:
            row.kind = KINDS[row["房屋类型"]]
        else:
            row.error("房屋类型", f"房屋类型应为:{'、'.join(label for _v, label in DwellingKind.choices)}")
    return row
