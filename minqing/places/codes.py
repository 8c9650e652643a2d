"""Reading a place code: which community, grid or street it lies in, and its ancestors' codes.

A place code *is* the materialised path (see models.py), so "the community of X" is a prefix of X's
code of a known length. These helpers name that length once instead of slicing `[:12]` everywhere;
the lengths come from KIND_SHAPE, the one definition of the code's shape.
"""
from __future__ import annotations

from .models import KIND_SHAPE, PlaceKind


def code_length(kind: str) -> int:
    return KIND_SHAPE[kind][1]


def code_at(code: str, kind: str) -> str:
    """The code of the place of `kind` that contains `code`; "" when `code` lies above that level."""
    length = code_length(kind)
    return code[:length] if code and len(code) >= length else ""


def prefix_at(code: str, kind: str) -> str:
    """The code cut at `kind`'s level: the code of the place of that kind containing it, or the code itself
    when it lies above that level (a street staff's scope stays the street's). For grouping and scope
    prefixes, where a code above the level must not widen to "everything"."""
    return code[:code_length(kind)]


def street_code(code: str) -> str:
    return code_at(code, PlaceKind.STREET)


def community_code(code: str) -> str:
    return code_at(code, PlaceKind.COMMUNITY)


def grid_code(code: str) -> str:
    return code_at(code, PlaceKind.GRID)


def building_code(code: str) -> str:
    return code_at(code, PlaceKind.BUILDING)


def lineage(code: str, *, highest: str | None = None) -> list[str]:
    """The code and its ancestors' codes, nearest first, up to the level `highest` (default: the root).

    `lineage("110105003001002", highest=COMMUNITY)` → ["110105003001002", "110105003001"].
    """
    top = code_length(highest) if highest else 0
    lengths = sorted({length for _depth, length, _parent in KIND_SHAPE.values()
                      if top <= length <= len(code)}, reverse=True)
    return [code[:length] for length in lengths]


def within(code: str, prefix: str) -> bool:
    """Is the place `code` in the subtree of `prefix` (itself included)?"""
    return bool(code) and code.startswith(prefix)
