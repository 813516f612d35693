import datetime

import pytest

from jumin.people import idcard


def test_known_valid_number_passes_check_digit():
    number = idcard.make("371602", datetime.date(1958, 3, 2), 123)
    parsed, birth, gender = idcard.parse(number)
    assert parsed == number
    assert birth == datetime.date(1958, 3, 2)
    assert gender == "M"


def test_lowercase_x_is_normalised():
    # 11010519491231002X is the standard's worked example.
    assert idcard.parse("11010519491231002x")[0] == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12345", "18位"),
        ("110105194912310021", "校验位"),
        ("110105194913310020", "出生日期"),
        ("11010519491231002A", "18位"),
    ],
)
def test_bad_numbers_get_a_chinese_reason(raw, message):
    with pytest.raises(idcard.InvalidIdNumber, match=message):
        idcard.parse(raw)


def test_mask_keeps_area_and_last_four():
    assert idcard.mask("371602195803021234") == "371602**********34"
    assert idcard.mask(idcard.mask("371602195803021234")) == "371602**********34"
    assert idcard.mask_phone("13912345678") == "139****5678"


def test_blind_index_is_keyed_and_stable(settings):
    number = "11010519491231002X"
    first = idcard.blind_index(number)
    assert first == idcard.blind_index(number.lower())
    settings.BLIND_INDEX_KEY = "another-key"
    assert idcard.blind_index(number) != first
