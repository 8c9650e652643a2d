"""五个一 (seed 004): in a period each leader should hold a forum with residents, lead a visit round,
make a study, give a party lesson and personally solve at least one hard problem. Each item is
filled from records already in the system; what is missing is shown as missing.

Each item's source reads its records for every leader on the page at once (one query per source, not one
per leader and source); an item with no source reads "not recorded in the system".
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.accounts.models import Role, RoleAssignment
from minqing.accounts.policy import place_codes
from minqing.appeals.models import Appeal, Outcome
from minqing.appeals.models import Status as AppealStatus
from minqing.core.dates import day_start, days_q
from minqing.core.urlcache import kept_reverse
from minqing.meetings.models import HELD_STATUSES, Meeting, ReceptionDay, ReceptionStatus
from minqing.party.models import OrgSession, SessionKind, SessionStatus
from minqing.visits.models import VisitRound

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


# A source answers for several leaders at once (one query per source for the whole page, whatever the
# number of leaders): leader ids → {leader id: evidence}.
Source = Callable[[list[int], datetime.date, datetime.date], dict[int, list[Evidence]]]
SOURCES: dict[str, list[Source]] = {code: [] for code, _label in (*ITEMS, *EXTRA_ITEMS)}
PER_ITEM = 20  # evidence rows shown per leader and item


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


def checklists_for(leaders, start: datetime.date, end: datetime.date) -> list[Checklist]:
    """One checklist per leader, each item read once for all of them."""
    leaders = list(leaders)
    ids = [leader.pk for leader in leaders]
    found = {code: [source(ids, start, end) for source in SOURCES[code]] for code, _label in (*ITEMS, *EXTRA_ITEMS)}
    checklists = []
    for leader in leaders:
        checklist = Checklist(leader)
        for items, target in ((ITEMS, checklist.items), (EXTRA_ITEMS, checklist.extras)):
            for code, label in items:
                evidence = [e for by_leader in found[code] for e in by_leader.get(leader.pk, ())]
                target.append((code, label, sorted(evidence, key=lambda e: e.on), bool(SOURCES[code])))
        checklists.append(checklist)
    return checklists


def checklist_for(leader, start: datetime.date, end: datetime.date) -> Checklist:
    return checklists_for([leader], start, end)[0]


def _by_leader(rows, *leader_fields: str, evidence: Callable) -> dict[int, list[Evidence]]:
    """Rows (in date order) → {leader id: up to PER_ITEM evidence}, a row counting for each leader field it names.

    The sources read only the columns their evidence shows, as named tuples: a page of 8 leaders made ~400
    model instances of meetings, reception days and party lessons for a date, a title and a link."""
    out: dict[int, list[Evidence]] = {}
    for row in rows:
        for name in leader_fields:
            leader_id = getattr(row, name)
            if leader_id is not None and len(out.setdefault(leader_id, [])) < PER_ITEM:
                out[leader_id].append(evidence(row))
    return out


# --- sources held by apps below this one ---------------------------------------------------------------

def _visit_rounds(leaders, start, end) -> dict[int, list[Evidence]]:
    links = (VisitRound.leaders.through.objects.filter(user_id__in=leaders, visitround__start_date__lte=end,
                                                      visitround__end_date__gte=start)
             .select_related("visitround").order_by("visitround__start_date"))
    return _by_leader(links, "user_id",
                      evidence=lambda link: Evidence(link.visitround.start_date, link.visitround.name,
                                                     kept_reverse("visits:rounds")))


def _studies(leaders, start, end) -> dict[int, list[Evidence]]:
    studies = Study.objects.filter(leader_id__in=leaders, done_on__gte=start, done_on__lte=end).order_by("done_on") \
        .values_list("pk", "done_on", "title", "leader_id", named=True)
    return _by_leader(studies, "leader_id", evidence=lambda s: Evidence(
        s.done_on, s.title, kept_reverse("assessment:five_ones") + f"?study={s.pk}"))


def _problems_solved(leaders, start, end) -> dict[int, list[Evidence]]:
    """A demand closed as solved in the period where the leader was the handler or the 责任领导: the first
    PER_ITEM of each leader per role, chosen in the database (a secretary leads every demand of her
    community: ~88,000 solved in a year at 2,000,000 demands)."""
    solved = Appeal.objects.filter(days_q("closed_at", start, end), status=AppealStatus.CLOSED,
                                   outcome=Outcome.SOLVED)
    out: dict[int, list[Evidence]] = {}
    for role in ("handler_user_id", "leader_id"):
        firsts = sorted(_firsts_per_leader(solved, role, leaders, start, end), key=lambda d: d.closed_at)
        for leader_id, evidence in _by_leader(firsts, role, evidence=lambda d: Evidence(
                timezone.localtime(d.closed_at).date(), str(d), kept_reverse("appeals:detail", args=[d.pk]))).items():
            seen = {e.url for e in out.setdefault(leader_id, [])}
            out[leader_id] += [e for e in evidence if e.url not in seen]
    return out


EVIDENCE_FIELDS = ("pk", "receipt_code", "title", "closed_at", "handler_user_id", "leader_id")


def _firsts_per_leader(solved, role: str, leaders, start, end) -> list[Appeal]:
    """Each leader's first PER_ITEM solved demands, in one query. On PostgreSQL a LATERAL join reads PER_ITEM
    rows per leader from the (role, closed_at) index of solved demands; a window over every solved demand
    of the leaders read ~88,000 rows for 8 leaders (565 ms at 2,000,000 demands). SQLite has no LATERAL:
    the window, over its small data."""
    leaders = [int(pk) for pk in leaders]
    if connection.vendor != "postgresql":
        return list(solved.filter(**{f"{role}__in": leaders}).only(*EVIDENCE_FIELDS)
                    .annotate(rank=Window(RowNumber(), partition_by=F(role), order_by=F("closed_at").asc()))
                    .filter(rank__lte=PER_ITEM))
    assert role in ("handler_user_id", "leader_id")  # a column name in the SQL below, never user input
    columns = ", ".join(f"a.{name}" for name in ("id", *EVIDENCE_FIELDS[1:]))
    sql = (f"SELECT {columns} FROM unnest(%s::bigint[]) AS l(leader) CROSS JOIN LATERAL ("
           f" SELECT * FROM appeals_appeal WHERE {role} = l.leader AND outcome = %s AND status = %s"
           f" AND closed_at >= %s AND closed_at < %s ORDER BY closed_at LIMIT %s) AS a")
    return list(Appeal.objects.raw(sql, [leaders, Outcome.SOLVED, AppealStatus.CLOSED, day_start(start),
                                         day_start(end + datetime.timedelta(days=1)), PER_ITEM]))


FORUM_KINDS = ("residents", "representatives", "forum", "partners")


def _forums(leaders, start, end) -> dict[int, list[Evidence]]:
    """A meeting with residents the leader called (居民会议, 代表会议, 恳谈会, 与协办单位座谈) and that was held."""
    meetings = Meeting.objects.filter(days_q("starts_at", start, end), called_by_id__in=leaders,
                                      kind__in=FORUM_KINDS, status__in=HELD_STATUSES).order_by("starts_at") \
        .values_list("pk", "starts_at", "title", "called_by_id", named=True)
    return _by_leader(meetings, "called_by_id", evidence=lambda m: Evidence(
        timezone.localtime(m.starts_at).date(), m.title, kept_reverse("meetings:detail", args=[m.pk])))


def _receptions(leaders, start, end) -> dict[int, list[Evidence]]:
    held = ReceptionDay.objects.filter(leader_id__in=leaders, status=ReceptionStatus.HELD, day__gte=start,
                                       day__lte=end).order_by("day") \
        .values_list("pk", "day", "location", "visitors_count", "leader_id", named=True)
    return _by_leader(held, "leader_id", evidence=lambda r: Evidence(
        r.day, f"{r.location} · {r.visitors_count}", kept_reverse("meetings:reception", args=[r.pk])))


def _party_lessons(leaders, start, end) -> dict[int, list[Evidence]]:
    lessons = OrgSession.objects.filter(lecturer_id__in=leaders, kind=SessionKind.LESSON, held_on__gte=start,
                                        held_on__lte=end, status__in=(SessionStatus.HELD, SessionStatus.CLOSED)
                                        ).order_by("held_on") \
        .values_list("pk", "held_on", "topic", "lecturer_id", named=True)
    return _by_leader(lessons, "lecturer_id", evidence=lambda s: Evidence(
        s.held_on, s.topic, kept_reverse("party:session", args=[s.pk])))


register_source("forum", _forums)
register_source("party_lesson", _party_lessons)
register_source("reception", _receptions)
register_source("visit_round", _visit_rounds)
register_source("study", _studies)
register_source("problem_solved", _problems_solved)
