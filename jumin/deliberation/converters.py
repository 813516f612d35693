from django.urls import register_converter


class RowId:
    """A row id in a path: digits that fit a 64-bit column (a longer one is simply not found, never a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(RowId, "rowid")
