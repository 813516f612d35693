"""Text from outside. Control characters are refused where text comes in (forms and API schemas share the one
check below) and stripped where it goes out to Excel, which cannot hold them (openpyxl raises
IllegalCharacterError and the whole ledger fails)."""

import re

# C0 controls, DEL and C1 controls. Multi-line text keeps tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LAYOUT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "不能包含控制字符"


def has_control_chars(value: str, *, multiline: bool = False) -> bool:
    pattern = _CONTROL_EXCEPT_LAYOUT if multiline else _CONTROL
    return bool(pattern.search(value))
