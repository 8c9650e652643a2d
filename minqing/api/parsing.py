"""Input no database column can hold is refused up front: NUL characters (PostgreSQL text cannot store
them; they only arrive from broken or hostile clients) anywhere in the body, query or path."""
import json

from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _refuse(where: str):
    raise ValidationError([{"loc": [where], "msg": _("不能包含空字符（NUL）。"), "type": "nul"}])


class StrictParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if has_nul(data):
            _refuse("body")
        return data

    def parse_querydict(self, data, list_fields, request):
        if request.path and "\x00" in request.path:
            _refuse("path")
        result = super().parse_querydict(data, list_fields, request)
        if has_nul(result):
            _refuse("query")
        return result
