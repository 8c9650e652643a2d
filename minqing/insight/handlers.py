"""Handler suggestion: who usually handles demands of this category at this place, with the evidence.

Plain data in, plain data out, so the appeals app can pass its past dispatches as dicts without this module
touching its models.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

PLACE_WEIGHT = 1.0  # a dispatch in the same category and the same place
CATEGORY_WEIGHT = 0.5  # same category, another place
PARENT_WEIGHT = 0.2  # the demand's place is inside the dispatch's place (or the other way round)


@dataclass(frozen=True)
class HandlerSuggestion:
    handler: object
    score: float
    same_place: int  # past dispatches of this category at this place
    same_category: int  # past dispatches of this category anywhere
    satisfied: int  # of those, how many were rated satisfied
    example_ids: tuple  # a few past demands to show as evidence


def suggest_handlers(*, category: object, place_code: str, dispatches: list[dict], k: int = 3,
                     satisfied_values: tuple = ("satisfied", "very_satisfied")) -> list[HandlerSuggestion]:
    """Rank handlers by weighted past dispatches of the category; `dispatches` items hold
    id, handler, category, place_code and optionally satisfaction. Place codes nest by prefix."""
    scores: Counter = Counter()
    same_place: Counter = Counter()
    same_category: Counter = Counter()
    satisfied: Counter = Counter()
    examples: dict = defaultdict(list)
    for d in dispatches:
        if d.get("category") != category or d.get("handler") is None:
            continue
        handler, code = d["handler"], d.get("place_code") or ""
        weight = CATEGORY_WEIGHT
        if code == place_code:
            weight, same_place[handler] = PLACE_WEIGHT, same_place[handler] + 1
        elif code and (code.startswith(place_code) or place_code.startswith(code)):
            weight += PARENT_WEIGHT
        scores[handler] += weight
        same_category[handler] += 1
        satisfied[handler] += d.get("satisfaction") in satisfied_values
        examples[handler].append(d.get("id"))
    return [HandlerSuggestion(h, round(s, 2), same_place[h], same_category[h], satisfied[h],
                              tuple(examples[h][-3:]))
            for h, s in scores.most_common(k)]
