"""One timeline per household (and per resident) that other modules add to without editing this app.

A module registers a source in its AppConfig.ready():

    from minqing.residents.timeline import TimelineEntry, register_timeline_source

    def visit_entries(*, actor, household, resident_ids):
        for v in Visit.objects.filter(household=household):
            yield TimelineEntry(when=v.visited_at, kind="visit", title="走访", detail=v.summary,
                                url=reverse("visits:detail", args=[v.pk]))

    register_timeline_source("visits", visit_entries, perm="visit.view")

A source is called with the actor, the household (None on a resident's own page) and the ids of the
residents concerned (members and former members, or the one resident); it returns TimelineEntry
objects. It is called only if the actor holds `perm` at the household's place, and it must still
filter by its own scope rules. Entries are merged newest first.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from minqing.accounts.policy import can
from minqing.core.userdata import data, with_data


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date | datetime.datetime
    kind: str  # "move", "tag", "visit", "appeal", "help"… — also the CSS class of the entry
    title: str
    detail: str = ""
    url: str = ""
    resident_id: int | None = None

    @property
    def sort_key(self) -> str:
        when = timezone.localtime(self.when) if isinstance(self.when, datetime.datetime) else self.when
        return when.isoformat()

    @property
    def is_datetime(self) -> bool:
        return isinstance(self.when, datetime.datetime)


TimelineSource = Callable[..., Iterable[TimelineEntry]]
_sources: dict[str, tuple[TimelineSource, str]] = {}


def register_timeline_source(key: str, source: TimelineSource, *, perm: str = "ledger.view") -> None:
    _sources[key] = (source, perm)


def _collect(*, actor, place_code: str, household, resident_ids: list[int], limit: int) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for source, perm in _sources.values():
        if can(actor, perm, place_code):
            entries.extend(source(actor=actor, household=household, resident_ids=resident_ids))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)[:limit]


def household_timeline(*, actor, household, resident_ids: list[int], limit: int = 200) -> list[TimelineEntry]:
    return _collect(actor=actor, place_code=household.place_code, household=household,
                    resident_ids=resident_ids, limit=limit)


def resident_timeline(*, actor, resident, limit: int = 200) -> list[TimelineEntry]:
    return _collect(actor=actor, place_code=resident.place_code, household=None, resident_ids=[resident.pk],
                    limit=limit)


# --- the ledger's own entries: moves and care tags ---------------------------------------------------

def ledger_entries(*, actor, household, resident_ids):
    from .models import Move, ResidentTag

    moves = Move.objects.filter(resident_id__in=resident_ids).select_related("resident")
    for move in moves:
        route = " → ".join(part for part in (move.from_text, move.to_text) if part)
        yield TimelineEntry(when=move.date, kind="move", title=format_html("{} {}", data(move.resident.name), move.get_kind_display()),
                            detail=data("；".join(p for p in (route, move.reason) if p)),
                            url=reverse("residents:detail", args=[move.resident_id]), resident_id=move.resident_id)
    for rt in ResidentTag.objects.filter(resident_id__in=resident_ids).select_related("tag", "resident"):
        yield TimelineEntry(when=rt.start_date, kind="tag", title=with_data(_("%(name)s 标记为「%(tag)s」"),
            name=rt.resident.name, tag=rt.tag.name), detail=data(rt.note), resident_id=rt.resident_id)
        if rt.end_date:
            yield TimelineEntry(when=rt.end_date, kind="tag-end", title=with_data(_("%(name)s 的「%(tag)s」结束"),
                name=rt.resident.name, tag=rt.tag.name), resident_id=rt.resident_id)
