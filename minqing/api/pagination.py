"""Cursor pagination for every list: stable under inserts, no COUNT(*), opaque `cursor` tokens.

Ninja's CursorPagination positions on the first ordering field; we check the decoded position
against that field's type, so a tampered cursor is a 422, never a database error.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination


class Cursor(CursorPagination):
    def __init__(self, *, ordering=("-created_at",), page_size=50, max_page_size=200, **kwargs):
        super().__init__(ordering=ordering, page_size=page_size, max_page_size=max_page_size, **kwargs)

    def _find_position(self, queryset, cursor):
        if cursor.p is not None:
            field = queryset.model._meta.get_field(self._order_attribute)
            try:
                field.to_python(cursor.p)
            except (DjangoValidationError, ValueError, TypeError):
                raise ValidationError([{"cursor": "Invalid Cursor"}]) from None  # translated by error_handlers
        return super()._find_position(queryset, cursor)
