"""How personal values look wherever they are not revealed: pages, API, Excel, audit trail.

The masking policy is one rule for every channel, because an attacker combines channels:

* ID number: only the last four characters (``**************7335``). The region and the birth date
  it encodes are hidden: with the old ``5001**********7335`` next to a full birth date, the two
  district digits were the only unknown and the check digit left ~1 candidate (issue 13).
* Birth date: never shown in full beside a masked ID number. Pages, API and Excel show the age
  (and the year, where a list needs it), the full date is part of the audited reveal.
* Phone: ``138****5678`` (10,000 candidates per masked value).
* Exact search by a full ID number or phone confirms a guess, so it is a permission of its own
  (``ledger.search_pii``), audited and rate-limited (``residents.privacy.resident_search_pii``).

docs/security.md counts the candidates this leaves; core/tests/test_attacks.py runs the attacks.
"""
import datetime


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_id_masked(masked: str) -> str:
    """The old stored mask (``5001**********7335``) in today's shape, without decrypting anything."""
    if not masked:
        return ""
    return "*" * (len(masked) - 4) + masked[-4:]


def mask_birth_date(value) -> str:
    """A birth date as the policy shows it: the year only."""
    if isinstance(value, str):
        return value[:4]
    if isinstance(value, datetime.date):
        return f"{value.year:04d}"
    return "" if value is None else str(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*: how names appear where the rules require partial display."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
