"""Every read of visits and help, given the actor and filtered by scope (visit.view)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, QuerySet, Sum

from minqing.accounts.policy import scope_q
from minqing.core.errors import NotFound

from minqing.residents.models import Household

from .models import HelpKind, HelpRecord, Visit, VisitCycle, VisitNeed, VisitRound


def visited_household_list(*, actor) -> QuerySet[Household]:
    """The ledger's active households in the actor's visiting scope: what the due list, the panel counts and the
    coverage are counted over."""
    return Household.objects.filter(scope_q(actor, "visit.view", field="place_code"), is_active=True)


def visit_list(*, actor, household_id: int | None = None, place_code: str = "", start: datetime.date | None = None,
               end: datetime.date | None = None, kind: str = "", visitor=None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(scope_q(actor, "visit.view", field="place_code"))
    if household_id:
        visits = visits.filter(household_id=household_id)
    if place_code:
        visits = visits.filter(place_code__startswith=place_code)
    if start:
        visits = visits.filter(visited_on__gte=start)
    if end:
        visits = visits.filter(visited_on__lte=end)
    if kind:
        visits = visits.filter(kind=kind)
    if visitor is not None:
        visits = visits.filter(visitors=visitor)
    return visits.select_related("household__building").prefetch_related("visitors", "needs")


def visit_get(*, actor, visit_id: int) -> Visit:
    visit = visit_list(actor=actor).select_related("recorded_by", "round").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    return visit


def need_get(*, actor, need_id: int) -> VisitNeed:
    need = VisitNeed.objects.select_related("visit__household").filter(
        scope_q(actor, "visit.view", field="visit__place_code"), pk=need_id).first()
    if need is None:
        raise NotFound()
    return need


def need_list_open(*, actor, place_code: str = "") -> QuerySet[VisitNeed]:
    needs = VisitNeed.objects.filter(scope_q(actor, "visit.view", field="visit__place_code"), status="open")
    if place_code:
        needs = needs.filter(visit__place_code__startswith=place_code)
    return needs.select_related("visit__household__building")


def help_list(*, actor, household_id: int | None = None, place_code: str = "", kind: str = "",
              start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[HelpRecord]:
    records = HelpRecord.objects.filter(scope_q(actor, "visit.view", field="place_code"))
    if household_id:
        records = records.filter(household_id=household_id)
    if place_code:
        records = records.filter(place_code__startswith=place_code)
    if kind:
        records = records.filter(kind=kind)
    if start:
        records = records.filter(given_on__gte=start)
    if end:
        records = records.filter(given_on__lte=end)
    return records.select_related("household__building", "resident", "given_by")


def help_totals_by_kind(records: QuerySet[HelpRecord]) -> list[dict]:
    """Per kind: {"kind", "label" (the kind's name in the current language), "count", "amount"}."""
    totals = list(records.order_by().values("kind").annotate(count=Count("id"), amount=Sum("amount")).order_by("kind"))
    labels = dict(HelpKind.choices)
    return [{**row, "label": labels.get(row["kind"], row["kind"])} for row in totals]


@dataclass
class HistoryEntry:
    day: datetime.date
    kind: str
    text: str
    amount: Decimal | None
    url: str = ""


# Help given by apps above visits (welfare's payments): each registers `source(actor=, household=)` →
# [HistoryEntry] in its apps.ready(), so visits does not import them.
HELP_HISTORY_SOURCES: list = []


def register_help_history_source(source) -> None:
    if source not in HELP_HISTORY_SOURCES:
        HELP_HISTORY_SOURCES.append(source)


def household_help_history(*, actor, household) -> list[HistoryEntry]:
    """Everything given to one household: help records, care visits, and welfare payments — newest first."""
    entries = [HistoryEntry(r.given_on, r.get_kind_display(), r.description, r.amount)
               for r in help_list(actor=actor, household_id=household.pk)]
    entries += [HistoryEntry(v.visited_on, v.get_kind_display(), v.notes[:80], None)
                for v in visit_list(actor=actor, household_id=household.pk).exclude(kind="routine")]
    for source in HELP_HISTORY_SOURCES:
        entries += source(actor=actor, household=household)
    return sorted(entries, key=lambda e: e.day, reverse=True)


def cycle_list(*, actor) -> QuerySet[VisitCycle]:
    return VisitCycle.objects.select_related("community", "tag")


def round_list(*, actor) -> QuerySet[VisitRound]:
    return (VisitRound.objects.filter(scope_q(actor, "visit.view", field="place__code"))
            .select_related("place").prefetch_related("leaders"))


def round_get(*, actor, round_id: int) -> VisitRound:
    visit_round = round_list(actor=actor).filter(pk=round_id).first()
    if visit_round is None:
        raise NotFound()
    return visit_round


def household_search(*, actor, perm: str, q: str, limit: int = 20):
    """Households in the actor's scope for `perm`, matched by head's name, building or room ('3栋201')."""
    from django.db.models import Q

    from minqing.residents.models import Household

    q = (q or "").strip()
    if not q:
        return Household.objects.none()
    households = Household.objects.filter(scope_q(actor, perm, field="place_code"), is_active=True)
    condition = Q(head__name__contains=q) | Q(room__contains=q) | Q(building__name=q)
    if "栋" in q:
        building, _sep, room = q.partition("栋")
        condition |= Q(building__name=f"{building}栋", room__contains=room.strip())
    return households.filter(condition).select_related("building", "head")[:limit]
