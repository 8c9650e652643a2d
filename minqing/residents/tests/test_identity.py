"""ID numbers (GB 11643), phones, and the sealed forms they are stored in."""
import datetime

import pytest

from minqing.core import crypto
from minqing.residents.identity import (IdentityError, parse_id_number, parse_phone, seal_id_number,
                                        seal_phone)


@pytest.mark.parametrize("raw, value, born, sex", [
    # The standard's own example: female, check character X.
    ("11010519491231002X", "11010519491231002X", datetime.date(1949, 12, 31), "F"),
    ("11010519491231002x", "11010519491231002X", datetime.date(1949, 12, 31), "F"),  # lower-case x
    (" 500110196503021238 ", "500110196503021238", datetime.date(1965, 3, 2), "M"),  # spaces trimmed
    ("500110200002290025", "500110200002290025", datetime.date(2000, 2, 29), "F"),  # a leap day
    # Legacy 15-digit numbers: the century is added and the check character computed.
    ("110105491231002", "11010519491231002X", datetime.date(1949, 12, 31), "F"),
    ("500110650302123", "500110196503021238", datetime.date(1965, 3, 2), "M"),
])
def test_valid_id_numbers_give_birth_date_and_sex(raw, value, born, sex):
    parsed = parse_id_number(raw)
    assert (parsed.value, parsed.birth_date, parsed.sex) == (value, born, sex)
    assert parsed.upgraded_from_15 == (len(raw.strip()) == 15)


@pytest.mark.parametrize("raw, message", [
    ("110105194912310021", "身份证号校验位不正确，请核对。"),  # check character should be X
    ("500110196503021239", "身份证号校验位不正确，请核对。"),
    ("500110196502301234", "身份证号中的出生日期 19650230 不存在。"),  # 30 February
    ("500110190002290011", "身份证号中的出生日期 19000229 不存在。"),  # 1900 was not a leap year
    ("500110188001010014", "身份证号中的出生日期 1880-01-01 不合理。"),
    ("500110209901010013", "身份证号中的出生日期 2099-01-01 不合理。"),  # in the future
    ("990110196503021234", "身份证号的地区码不正确。"),
    ("50011019650302123", "身份证号应为18位（末位可为X）或15位数字。"),  # 17 digits
    ("5001101965030212345", "身份证号应为18位（末位可为X）或15位数字。"),
    ("50011019650302123Y", "身份证号应为18位（末位可为X）或15位数字。"),
    ("500110651302123", "身份证号中的出生日期 19651302 不存在。"),  # 15-digit, month 13
    ("", "身份证号应为18位（末位可为X）或15位数字。"),
])
def test_invalid_id_numbers_are_refused_with_the_reason(raw, message):
    with pytest.raises(IdentityError) as caught:
        parse_id_number(raw)
    assert str(caught.value) == message


@pytest.mark.parametrize("raw, value", [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"),
    ("023-48751234", "02348751234"), ("(023)48751234", "02348751234"), ("010-12345678", "01012345678"),
])
def test_valid_phones_are_normalised(raw, value):
    assert parse_phone(raw) == value


@pytest.mark.parametrize("raw", ["1381234567", "12812345678", "138123456789", "48751234", "abc", ""])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(IdentityError) as caught:
        parse_phone(raw)
    assert str(caught.value) == "电话号码格式不正确：手机号为11位，固定电话需带区号。"


def test_sealing_encrypts_hashes_and_masks():
    sealed = seal_id_number("11010519491231002X")
    assert "11010519491231002X" not in sealed.cipher
    assert crypto.decrypt(sealed.cipher) == "11010519491231002X"  # round trip
    assert sealed.hash == crypto.lookup_hash("11010519491231002x")  # lookup is case-insensitive
    assert sealed.masked == "**************002X"
    assert seal_id_number("11010519491231002X").cipher != sealed.cipher  # fresh IV every time
    phone = seal_phone("13812345678")
    assert crypto.decrypt(phone.cipher) == "13812345678"
    assert phone.masked == "138****5678"
    assert seal_phone("").cipher == seal_phone("").hash == ""
