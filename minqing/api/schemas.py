"""Schemas shared by every router: the error shape and the status codes every operation may answer."""
from typing import Annotated

from ninja import Field, Schema


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
