"""From indicator measures to stored scores, totals and rankings.

total(subject) = Σ weight·score ÷ Σ weight, over the scheme's indicators that have a score for the
subject (an indicator with nothing to count — no demands rated, no dispute accepted — is left out
and the remaining weights count in proportion); `coverage` says what share of the weight had data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from minqing.accounts.models import Role, RoleAssignment
from minqing.places.models import Place, PlaceKind

from . import indicators
from .models import Scheme, Score, Subject

STAFF_ROLES = (Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER, Role.STREET_STAFF)


def communities_of(scheme: Scheme) -> list[Place]:
    return list(Place.objects.filter(code__startswith=scheme.street.code, kind=PlaceKind.COMMUNITY).order_by("code"))


def staff_of(scheme: Scheme):
    ids = RoleAssignment.objects.filter(is_active=True, role__in=STAFF_ROLES,
                                        place__code__startswith=scheme.street.code).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username")


def context_of(actor, scheme: Scheme) -> indicators.Context:
    return indicators.Context(actor=actor, street_code=scheme.street.code, start=scheme.period_start,
                              end=scheme.period_end, scheme_id=scheme.pk,
                              community_codes=tuple(p.code for p in communities_of(scheme)))


def compute_scores(*, actor, scheme: Scheme) -> list[Score]:
    ctx = context_of(actor, scheme)
    if scheme.subject == Subject.COMMUNITY:
        places = {p.code: p for p in communities_of(scheme)}
        keys = list(places)
    else:
        users = {str(u.pk): u for u in staff_of(scheme)}
        keys = list(users)
    rows = []
    for indicator in scheme.indicators.all():
        definition = indicators.REGISTRY.get(indicator.code)
        measures = definition.compute(ctx, scheme.subject) if definition else {}
        for key in keys:
            m = measures.get(key) or indicators.Measure(None, None, None, None)
            rows.append(Score(scheme=scheme, code=indicator.code, numerator=m.numerator, denominator=m.denominator,
                              value=m.value, score=m.score,
                              place=places[key] if scheme.subject == Subject.COMMUNITY else None,
                              user=users[key] if scheme.subject == Subject.STAFF else None))
    return rows


@dataclass
class Standing:
    key: str
    name: str
    total: float | None
    coverage: float
    scores: dict[str, Score] = field(default_factory=dict)
    rank: int | None = None


def standings(scheme: Scheme) -> list[Standing]:
    """The ranking, read from the stored scores (a few hundred rows; no recomputation)."""
    weights = {i.code: i.weight for i in scheme.indicators.all()}
    by_subject: dict[str, Standing] = {}
    for score in Score.objects.filter(scheme=scheme).select_related("place", "user"):
        key = score.place.code if score.place_id else str(score.user_id)
        name = score.place.name if score.place_id else (score.user.get_full_name() if score.user_id else "—")
        by_subject.setdefault(key, Standing(key, name, None, 0.0)).scores[score.code] = score
    total_weight = sum(weights.values()) or 1
    for standing in by_subject.values():
        scored = [(weights.get(code, 0), s.score) for code, s in standing.scores.items() if s.score is not None]
        used = sum(w for w, _s in scored)
        standing.total = round(sum(w * s for w, s in scored) / used, 2) if used else None
        standing.coverage = used / total_weight
    ordered = sorted(by_subject.values(), key=lambda s: (s.total is None, -(s.total or 0), s.key))
    rank = 0
    previous = object()
    for position, standing in enumerate(ordered, start=1):
        if standing.total is None:
            break
        if standing.total != previous:
            rank, previous = position, standing.total
        standing.rank = rank
    return ordered


def totals_of(scheme: Scheme) -> dict[str, float | None]:
    return {s.key: s.total for s in standings(scheme)}
