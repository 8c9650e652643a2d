"""ID numbers (GB 11643-1999) and phone numbers: validation, and sealing them for storage.

`parse_id_number` checks an ID number and derives the birth date and sex from it; `parse_phone`
checks a mobile or landline number. `seal` turns a validated value into the three stored forms
(Fernet ciphertext, keyed lookup hash, masked text), so no caller ever writes a plain value.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from minqing.core import crypto, masking

# GB 11643-1999: weights of the first 17 digits, and the check character for (sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")  # area code 0xx/0xxx + 7–8 digits, dashes removed
EARLIEST_BIRTH = datetime.date(1890, 1, 1)
# Province-level codes (GB/T 2260) an ID number can begin with; 83 is Taiwan residents' permits.
PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                      "61 62 63 64 65 71 81 82 83".split())


class IdentityError(ValueError):
    """A value that is not a valid ID number or phone; the message is shown to the user as is."""


@dataclass(frozen=True)
class IdNumber:
    value: str  # always the 18-digit form
    birth_date: datetime.date
    sex: str  # "M" or "F"
    upgraded_from_15: bool = False


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _birth_date(digits: str) -> datetime.date:
    try:
        born = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise IdentityError(_("身份证号中的出生日期 %(d)s 不存在。") % {"d": digits}) from exc
    if not EARLIEST_BIRTH <= born <= datetime.date.today():
        raise IdentityError(_("身份证号中的出生日期 %(d)s 不合理。") % {"d": born.isoformat()})
    return born


def parse_id_number(raw: str) -> IdNumber:
    """Validate an 18-digit ID number (or a legacy 15-digit one, upgraded to 18 digits)."""
    value = (raw or "").strip().upper().replace(" ", "")
    if _ID15.match(value):
        # Legacy 15-digit numbers (before 1999): 2-digit year of the 1900s, no check character.
        if value[:2] not in PROVINCES:
            raise IdentityError(_("身份证号的地区码不正确。"))
        first17 = value[:6] + "19" + value[6:]
        born = _birth_date(first17[6:14])
        return IdNumber(first17 + check_character(first17), born, "M" if int(value[14]) % 2 else "F", True)
    if not _ID18.match(value):
        raise IdentityError(_("身份证号应为18位（末位可为X）或15位数字。"))
    if value[:2] not in PROVINCES:
        raise IdentityError(_("身份证号的地区码不正确。"))
    born = _birth_date(value[6:14])
    if check_character(value[:17]) != value[17]:
        raise IdentityError(_("身份证号校验位不正确，请核对。"))
    return IdNumber(value, born, "M" if int(value[16]) % 2 else "F")


def parse_phone(raw: str) -> str:
    """A mobile (11 digits starting 13–19) or a landline with area code; returns the digits only."""
    value = re.sub(r"[\s()（）\-—]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return value
    raise IdentityError(_("电话号码格式不正确：手机号为11位，固定电话需带区号。"))


@dataclass(frozen=True)
class Sealed:
    cipher: str
    hash: str
    masked: str


EMPTY = Sealed("", "", "")


def seal_id_number(value: str) -> Sealed:
    if not value:
        return EMPTY
    return Sealed(crypto.encrypt(value), crypto.lookup_hash(value), masking.mask_id_number(value))


def seal_phone(value: str) -> Sealed:
    if not value:
        return EMPTY
    return Sealed(crypto.encrypt(value), crypto.lookup_hash(value), masking.mask_phone(value))


def id_number_lookup_hash(raw: str) -> str:
    """The hash to search with: a valid number is normalised (15→18 digits) first."""
    try:
        return crypto.lookup_hash(parse_id_number(raw).value)
    except IdentityError:
        return crypto.lookup_hash(raw)


def phone_lookup_hash(raw: str) -> str:
    try:
        return crypto.lookup_hash(parse_phone(raw))
    except IdentityError:
        return crypto.lookup_hash(raw)
