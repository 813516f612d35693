"""Imports from Excel (花名册, 房屋): reading an uploaded .xlsx into rows of text, and the per-row report.

Every check here needs nothing from the database: the file's type and size, the header, the row limit. Each
import then checks its own columns and plans its writes."""

import datetime
import re
import secrets
from dataclasses import dataclass

from openpyxl import load_workbook

from .errors import DomainError


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number; the header is row 1
    column: str
    message: str


def read_rows(
    file,
    *,
    sheet_name: str,
    columns: list[str],
    required: list[str],
    max_rows: int,
    max_bytes: int,
    what: str,
    row_hint: str,
    aliases: dict[str, str] | None = None,
) -> tuple[set[str], list[tuple[int, dict]]]:
    """Return (columns present, [(Excel row number, {column: cell value})]) for the non-blank data rows. Header
    titles match with spaces and asterisks dropped ("* 小区" is 小区) and full-width brackets read as ASCII, then
    through `aliases`; unknown columns are ignored."""
    aliases = aliases or {}
    name = (getattr(file, "name", "") or "").lower()
    if name and not name.endswith(".xlsx"):
        raise DomainError("请上传 .xlsx 格式的 Excel 文件(可先下载模板填写)。", field="file")
    if (getattr(file, "size", 0) or 0) > max_bytes:
        raise DomainError(f"文件超过 {max_bytes // 1024 // 1024} MB,请拆分后分批导入。", field="file")
    try:
        magic = file.read(4)
        file.seek(0)
    except (AttributeError, OSError) as exc:
        raise DomainError("无法读取上传的文件,请重新选择。", field="file") from exc
    if magic != b"PK\x03\x04":
        raise DomainError(
            "无法读取该文件:不是有效的 .xlsx 文件。如果是 .xls 或 WPS 格式,请在 Excel 中另存为 .xlsx 后再上传。",
            field="file",
        )
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl surfaces broken files as many unrelated exception types
        raise DomainError("无法读取该文件,文件可能已损坏。请在 Excel 中另存为 .xlsx 后再上传。", field="file") from exc
    try:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        index = {}
        for i, value in enumerate(header):
            title = re.sub(r"[\s*＊]", "", str(value or "")).replace("（", "(").replace("）", ")")
            title = aliases.get(title, title)
            if title in columns:
                index.setdefault(title, i)
        missing = [c for c in required if c not in index]
        if missing:
            raise DomainError(f"第1行表头缺少列:{'、'.join(missing)}。请使用{what}模板,第一行为表头。", field="file")
        rows = []
        for number, line in enumerate(lines, start=2):
            values = {c: line[i] if i < len(line) else None for c, i in index.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            if len(rows) == max_rows:
                raise DomainError(f"文件超过 {max_rows:,} 行数据,请拆分后分批导入。", field="file")
            rows.append((number, values))
    except DomainError:
        raise
    except Exception as exc:
        raise DomainError("读取文件时出错,文件可能已损坏。请在 Excel 中另存为 .xlsx 后再上传。", field="file") from exc
    finally:
        book.close()
    if not rows:
        raise DomainError(f"文件中没有数据行:请从第2行起{row_hint}。", field="file")
    return set(index), rows


def cell_text(value) -> str:
    """A cell as the text a person typed: 302.0 → "302", a date cell → "2026-03-02", full-width spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).replace("\u3000", " ").strip()


class KeptUpload:
    """After a dry run the file is kept for a while, so 正式导入 does not make staff choose it again (browsers clear
    file inputs). One file per user and import, under a random name, deleted once imported."""

    def __init__(self, session_key: str, folder: str):
        self.session_key = session_key
        self.folder = folder

    def keep(self, request, upload) -> None:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        self.discard(request)
        upload.seek(0)
        path = default_storage.save(f"{self.folder}/{secrets.token_hex(16)}.xlsx", ContentFile(upload.read()))
        request.session[self.session_key] = {"path": path, "name": upload.name}

    def get(self, request):
        from django.core.files.storage import default_storage

        kept = request.session.get(self.session_key)
        if kept and default_storage.exists(kept["path"]):
            return kept
        return None

    def open(self, kept):
        from django.core.files.storage import default_storage

        return default_storage.open(kept["path"], "rb")

    def discard(self, request) -> None:
        from django.core.files.storage import default_storage

        kept = request.session.pop(self.session_key, None)
        if kept and default_storage.exists(kept["path"]):
            default_storage.delete(kept["path"])

    def run_import(self, request, form, run, *, missing_message: str, discard_when=lambda report: True):
        """The flow of every Excel import page: 试导入 keeps the file, 正式导入 uses the kept file or a new one.

        `run(file, dry_run)` does the import and returns its report; a DomainError becomes the file field's error.
        `discard_when(report)` says whether a real import is over with the kept file (an all-or-nothing import that
        failed keeps it). Returns the report, or None when nothing ran."""
        if request.method != "POST" or not form.is_valid():
            return None
        dry_run = request.POST.get("mode") != "import"
        upload = form.cleaned_data["file"]
        kept = self.get(request) if upload is None and not dry_run else None
        if upload is None and kept is None:
            form.add_error("file", missing_message)
            return None
        source = upload or self.open(kept)
        try:
            report = run(source, dry_run)
        except DomainError as exc:
            form.add_error("file", exc.message)
            return None
        finally:
            if kept is not None:
                source.close()
        if dry_run:
            self.keep(request, upload)
        elif discard_when(report):
            self.discard(request)
        return report
