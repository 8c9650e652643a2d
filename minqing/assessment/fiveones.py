"""五个一 (seed 004): in a period each leader should hold a forum with residents, lead a visit round,
make a study, give a party lesson and personally solve at least one hard problem. Each item is
filled from records already in the system; what is missing is shown as missing.

Apps that hold a kind of record register a source for an item (`register_source`) from their
apps.ready(); an item with no source installed reads "not recorded in the system".
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minqing.accounts.models import Role, RoleAssignment
from minqing.accounts.policy import place_codes

from .models import Study

ITEMS = (
    ("forum", _("召开一次群众座谈会")),
    ("visit_round", _("搞好一次民情大走访")),
    ("study", _("开展一次专题调研")),
    ("party_lesson", _("为基层党员干部上一堂党课")),
    ("problem_solved", _("解决至少一个难题")),
)
LEADER_ROLES = (Role.STREET_STAFF, Role.COMMUNITY_SECRETARY)


@dataclass(frozen=True)
class Evidence:
    on: datetime.date
    label: str
    url: str = ""


Source = Callable[[object, datetime.date, datetime.date], list[Evidence]]
SOURCES: dict[str, list[Source]] = {code: [] for code, _label in ITEMS}


def register_source(item: str, source: Source) -> Source:
    if source not in SOURCES[item]:
        SOURCES[item].append(source)
    return source


@dataclass
class Checklist:
    leader: object
    items: list[tuple[str, str, list[Evidence], bool]] = field(default_factory=list)  # code, label, evidence, has_source

    @property
    def done(self) -> int:
        return sum(1 for _c, _l, evidence, _s in self.items if evidence)

    @property
    def missing(self) -> list[str]:
        return [str(label) for _c, label, evidence, _s in self.items if not evidence]


def leaders_in_scope(actor):
    codes = place_codes(actor, "assessment.view")
    grants = RoleAssignment.objects.filter(is_active=True, role__in=LEADER_ROLES)
    if codes is not None:
        condition = Q(pk__in=[])
        for code in codes:
            condition |= Q(place__code__startswith=code)
        grants = grants.filter(condition)
    return get_user_model().objects.filter(pk__in=grants.values("user_id"), is_active=True) \
        .order_by("display_name", "username")


def checklist_for(leader, start: datetime.date, end: datetime.date) -> Checklist:
    checklist = Checklist(leader)
    for code, label in ITEMS:
        evidence = [e for source in SOURCES[code] for e in source(leader, start, end)]
        checklist.items.append((code, label, sorted(evidence, key=lambda e: e.on), bool(SOURCES[code])))
    return checklist


# --- sources held by apps below this one ---------------------------------------------------------------

def _visit_rounds(leader, start, end) -> list[Evidence]:
    from minqing.visits.models import VisitRound

    rounds = VisitRound.objects.filter(leaders=leader, start_date__lte=end, end_date__gte=start)
    return [Evidence(r.start_date, r.name, reverse("visits:rounds")) for r in rounds]


def _studies(leader, start, end) -> list[Evidence]:
    return [Evidence(s.done_on, s.title, reverse("assessment:five_ones") + f"?study={s.pk}")
            for s in Study.objects.filter(leader=leader, done_on__gte=start, done_on__lte=end)]


def _problems_solved(leader, start, end) -> list[Evidence]:
    """A demand closed as solved in the period where the leader was the handler or the 责任领导."""
    from minqing.appeals.models import Appeal, Outcome, Status

    demands = (Appeal.objects.filter(Q(handler_user=leader) | Q(leader=leader), status=Status.CLOSED,
                                     outcome=Outcome.SOLVED, closed_at__date__gte=start, closed_at__date__lte=end)
               .order_by("closed_at")[:20])
    return [Evidence(d.closed_at.date(), str(d),
                     reverse("appeals:detail", args=[d.pk])) for d in demands]


register_source("visit_round", _visit_rounds)
register_source("study", _studies)
register_source("problem_solved", _problems_solved)
