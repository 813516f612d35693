"""身份证号 (GB 11643-1999): check digit, birth date, masking and the keyed blind index."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CODES = "10X98765432"


class InvalidIdNumber(ValueError):
    pass


def check_digit(first17: str) -> str:
    return CHECK_CODES[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def parse(raw: str) -> tuple[str, datetime.date, str]:
    """Validate and return (normalised number, birth date, gender "M"/"F"); raise InvalidIdNumber in Chinese."""
    number = normalize(raw)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("身份证号应为18位(最后一位可为X)")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("身份证号中的出生日期无效") from exc
    if birth > timezone.localdate() or birth.year < 1890:
        raise InvalidIdNumber("身份证号中的出生日期无效")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号校验位不正确,请核对")
    gender = "M" if int(number[16]) % 2 else "F"
    return number, birth, gender


def make(area: str, birth: datetime.date, sequence: int) -> str:
    """Build a valid number (demo and test data): 6-digit area, birth date, 3-digit sequence, check digit."""
    if not 0 <= sequence < 1000:
        raise ValueError("sequence must be 0–999")
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


MASK_SHOWN_TAIL = 2


def mask(number: str) -> str:
    """371602**********34: the area code and the last two characters stay.

    Whoever may not reveal the number still sees the person's age and gender, and the area code is all but public
    in one community. Age leaves ~366 birth dates and the check digit keeps 1 in 11 of the rest. With the last four
    shown (the whole sequence and the check digit) that leaves 366 / 11 ≈ 33 numbers; with the last two, the two
    hidden sequence digits give 366 × 100 / 11 ≈ 3,300, above the 1,000 the register promises (the gender, the
    17th digit's parity, is the shown digit itself). So every role without register.reveal_id gets this mask and an
    age, never the birth date, and no ID-tail search (people/tests/test_id_candidates.py counts the candidates from
    what each surface sends). Re-masking an older mask (area + last four) gives the same result.
    """
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 6 - MASK_SHOWN_TAIL) + number[-MASK_SHOWN_TAIL:]


def blind_index(number: str, key: str | None = None) -> str:
    """Keyed hash used to match and de-duplicate without decrypting; useless without the server's key."""
    key = (key or settings.BLIND_INDEX_KEY).encode()
    return hmac.new(key, normalize(number).encode(), hashlib.sha256).hexdigest()


def blind_indexes(number: str) -> list[str]:
    """The hash under the current key, then under each fallback: what a lookup matches while `rotate_keys` rebuilds
    the index (rows not reached yet still carry an old key's hash)."""
    keys = [settings.BLIND_INDEX_KEY, *(k for k in settings.BLIND_INDEX_KEY_FALLBACKS if k != settings.BLIND_INDEX_KEY)]
    return [blind_index(number, key) for key in keys]


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return phone or ""
    return phone[:3] + "****" + phone[-4:]
