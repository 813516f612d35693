"""Numbers from the query string or a form. An id filter beyond the database's 64-bit integers (or written in
non-ASCII digits, which str.isdigit accepts and int() may not) is dropped, as any unknown id is: never a 500."""

MAX_DB_ID = 2**63 - 1


def id_param(value) -> int | None:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_DB_ID else None
