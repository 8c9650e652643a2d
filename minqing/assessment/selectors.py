"""Every read of the assessment app, given the actor: what they may see is what their grants cover."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from minqing.accounts.policy import can, ensure_can, place_codes, scope_q
from minqing.core.errors import NotFound
from minqing.places.codes import lineage
from minqing.places.models import Place, PlaceKind

from .models import FOUR_NOS, CivilityCheck, Nomination, Scheme, Study

QUARTERS = (1, 2, 3, 4)


def _covers(actor, perm: str, field: str) -> Q:
    """Rows whose place lies in the actor's scope, or above it: a community sees its street's schemes."""
    codes = place_codes(actor, perm)
    if codes is None:
        return Q()
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(**{f"{field}__startswith": code}) | Q(**{f"{field}__in": lineage(code)[1:]})
    return condition


def scheme_list(*, actor):
    return (Scheme.objects.filter(_covers(actor, "assessment.view", "street__code"))
            .select_related("street", "created_by").prefetch_related("indicators"))


def scheme_get(*, actor, pk: int) -> Scheme:
    scheme = scheme_list(actor=actor).filter(pk=pk).first()
    if scheme is None:
        raise NotFound()
    return scheme


def streets_for(actor):
    """The streets where the actor may define schemes."""
    return Place.objects.filter(scope_q(actor, "assessment.change", "code"), kind=PlaceKind.STREET)


def visible_keys(actor, scheme: Scheme, standings: list) -> list:
    """A community sees the whole street's ranking (it is published to them); staff rankings show
    only the people in the actor's own scope plus the actor."""
    if scheme.subject == "community" or can(actor, "assessment.view", scheme.street.code):
        return standings
    return [s for s in standings if s.key == str(actor.pk)]


def check_list(*, actor, year: int | None = None, quarter: int | None = None):
    checks = CivilityCheck.objects.filter(scope_q(actor, "assessment.view", "building__code")) \
        .select_related("building", "checked_by")
    if year:
        checks = checks.filter(year=year)
    if quarter:
        checks = checks.filter(quarter=quarter)
    return checks


@dataclass
class BoardRow:
    """One building's year on the 四无 board: its check of each quarter, None where none was filed."""
    building: Place
    checks: list[CivilityCheck | None]


def board_buildings(*, actor):
    """The board's rows: every building whose checks the actor sees, in code order — the ones never checked
    included, since a building missing from a quarter is what the board is for."""
    return Place.objects.filter(scope_q(actor, "assessment.view", "code"), kind=PlaceKind.BUILDING) \
        .only("id", "code", "name").order_by("code")


def check_board(*, actor, buildings, year: int) -> list[BoardRow]:
    """The checks of `year` for these buildings (a page of board_buildings), one row per building."""
    by_slot = {(check.building_id, check.quarter): check for check in
               check_list(actor=actor, year=year).filter(building__in=[b.pk for b in buildings])
               .select_related(None).select_related("checked_by")}
    return [BoardRow(building, [by_slot.get((building.pk, q)) for q in QUARTERS]) for building in buildings]


def check_figures(*, actor, year: int) -> list[dict]:
    """Per quarter of `year`, over the actor's whole scope: buildings checked and buildings that met all four."""
    met = Q(**{name: True for name, _label in FOUR_NOS})
    counted = {row["quarter"]: row for row in check_list(actor=actor, year=year).order_by()
               .values("quarter").annotate(checked=Count("pk"), passed=Count("pk", filter=met))}
    return [{"quarter": q, "checked": counted.get(q, {}).get("checked", 0),
             "passed": counted.get(q, {}).get("passed", 0)} for q in QUARTERS]


def check_get(*, actor, pk: int) -> CivilityCheck:
    check = check_list(actor=actor).filter(pk=pk).first()
    if check is None:
        raise NotFound()
    return check


def nomination_list(*, actor, year: int | None = None):
    nominations = Nomination.objects.filter(scope_q(actor, "assessment.view", "civility_check__building__code")) \
        .select_related("civility_check__building", "resident", "household__building", "household__head", "nominated_by")
    if year:
        nominations = nominations.filter(civility_check__year=year)
    return nominations


def nomination_get(*, actor, pk: int) -> Nomination:
    nomination = nomination_list(actor=actor).filter(pk=pk).first()
    if nomination is None:
        raise NotFound()
    return nomination


def honour_roll(*, actor, year: int):
    """The year-end roll: every award approved or published in the year."""
    return nomination_list(actor=actor, year=year).filter(status__in=("approved", "published")) \
        .order_by("kind", "civility_check__building__code", "civility_check__quarter")


def buildings_for_check(*, actor):
    return Place.objects.filter(scope_q(actor, "assessment.check", "code"), kind=PlaceKind.BUILDING) \
        .order_by("code")


def study_list(*, actor, leader=None):
    studies = Study.objects.filter(scope_q(actor, "assessment.view", "place__code")).select_related("leader", "place")
    return studies.filter(leader=leader) if leader else studies


def ensure_viewer(actor, place_code: str) -> None:
    ensure_can(actor, "assessment.view", place_code)
