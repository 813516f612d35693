"""ISBN as the desk's scanner types it: hyphens and spaces dropped, check digit verified (ISBN-10 and EAN-13)."""

import re

from jumin.core.errors import DomainError


def normalise(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


def is_valid(isbn: str) -> bool:
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", isbn):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
        return total % 10 == 0
    return False


def clean(raw: str) -> str:
    """'' stays '' (older donated books often have none); anything else must be a valid ISBN."""
    isbn = normalise(raw)
    if isbn and not is_valid(isbn):
        raise DomainError("ISBN 不正确:应为 10 位或 13 位,请核对条码", field="isbn")
    return isbn


def make13(body12: str) -> str:
    """Complete a 12-digit EAN body with its check digit (demo catalogue)."""
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)
