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
# Seed 004 also asks leaders to receive residents on fixed days (领导干部定期接访); shown beside the five,
# not counted in them.
EXTRA_ITEMS = (("reception", _("按期接访群众（接访日）")),)
LEADER_ROLES = (Role.STREET_STAFF, Role.COMMUNITY_SECRETARY)


@dataclass(frozen=True)
class Evidence:
    on: datetime.date
    label: str
    url: str = ""


Source = Callable[[object, datetime.date, datetime.date], list[Evidence]]
SOURCES: dict[str, list[Source]] = {code: [] for code, _label in (*ITEMS, *EXTRA_ITEMS)}


def register_source(item: str, source: Source) -> Source:
    if source not in SOURCES[item]:
        SOURCES[item].append(source)
    return source


@dataclass
class Checklist:
    leader: object
    items: list[tuple[str, str, list[Evidence], bool]] = field(default_factory=list)  # code, label, evidence, has_source
    extras: list[tuple[str, str, list[Evidence], bool]] = field(default_factory=list)

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
    for items, target in ((ITEMS, checklist.items), (EXTRA_ITEMS, checklist.extras)):
        for code, label in items:
            evidence = [e for source in SOURCES[code] for e in source(leader, start, end)]
            target.append((code, label, sorted(evidence, key=lambda e: e.on), bool(SOURCES[code])))
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


FORUM_KINDS = ("residents", "representatives", "forum", "partners")


def _forums(leader, start, end) -> list[Evidence]:
    """A meeting with residents the leader called (居民会议, 代表会议, 恳谈会, 与协办单位座谈) and that was held."""
    from minqing.meetings.models import Meeting
    from minqing.meetings.models import HELD_STATUSES

    meetings = Meeting.objects.filter(called_by=leader, kind__in=FORUM_KINDS, status__in=HELD_STATUSES,
                                      starts_at__date__gte=start, starts_at__date__lte=end).order_by("starts_at")[:20]
    return [Evidence(m.starts_at.date(), m.title, reverse("meetings:detail", args=[m.pk])) for m in meetings]


def _receptions(leader, start, end) -> list[Evidence]:
    from minqing.meetings.selectors import receptions_held

    return [Evidence(r.day, f"{r.location} · {r.visitors_count}", reverse("meetings:reception", args=[r.pk]))
            for r in receptions_held(leader, start, end).order_by("day")[:20]]


def _party_lessons(leader, start, end) -> list[Evidence]:
    from minqing.party.models import OrgSession, SessionKind, SessionStatus

    lessons = OrgSession.objects.filter(lecturer=leader, kind=SessionKind.LESSON, held_on__gte=start, held_on__lte=end,
                                        status__in=(SessionStatus.HELD, SessionStatus.CLOSED)).order_by("held_on")[:20]
    return [Evidence(s.held_on, s.topic, reverse("party:session", args=[s.pk])) for s in lessons]


register_source("forum", _forums)
register_source("party_lesson", _party_lessons)
register_source("reception", _receptions)
register_source("visit_round", _visit_rounds)
register_source("study", _studies)
register_source("problem_solved", _problems_solved)
