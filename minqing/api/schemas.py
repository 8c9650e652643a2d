"""Schemas shared by every router: the error shape and the status codes every operation may answer."""
import datetime
import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value):
    """Pydantic reads `0` or "0" as 1970-01-01 (a Unix time); the schema says `format: date`."""
    if isinstance(value, datetime.date) or value is None:
        return value
    if not (isinstance(value, str) and _ISO_DATE.match(value)):
        raise ValueError(_("须为日期，格式如 2026-11-17。"))
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]
# A text someone must write: at least one character that is not a space (the schema says so too).
REQUIRED_TEXT = r"\S"


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """{"error": {"code": "not_found", "message": "…", "fields": {"name": ["…"]}}}"""

    error: ErrorDetail


# What any authenticated operation may answer besides success: documented so clients (and the
# schemathesis run in the tests) know every status they can get.
ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
READ_ERRORS = frozenset({400, 401, 403, 404, 422, 429})

# Row ids as the database can hold them (bigint): a larger number is a 422, not an overflow in the driver.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
