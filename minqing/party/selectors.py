"""Every read of the party app, given the actor and filtered by scope (party.view at the place)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from minqing.accounts.policy import scope_q
from minqing.core.counts import CountSql, count_all
from minqing.core.errors import NotFound
from minqing.residents.models import PoliticalStatus, Resident, ResidentStatus

from .models import (AppraisalRound, AppraisalVote, Attendance, EdgeContact, ModelPost, OrgKind, OrgSession,
                     PartyMember, PartyOrg, Presence, Rating, Relation, ServiceRecord, SessionStatus)

VIEW = "party.view"
ABSENCE_STREAK = 3  # absent from this many held sessions in a row (leave excused) → flagged to the branch


def _get(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def org_list(*, actor, place_code: str = "") -> QuerySet[PartyOrg]:
    orgs = PartyOrg.objects.filter(scope_q(actor, VIEW, field="place_code"))
    if place_code:
        orgs = orgs.filter(place_code__startswith=place_code)
    return orgs.select_related("place", "secretary__resident", "parent")


def org_get(*, actor, org_id: int) -> PartyOrg:
    return _get(org_list(actor=actor), org_id)


@dataclass
class OrgNode:
    org: PartyOrg
    members: int = 0
    children: list = field(default_factory=list)


def org_tree(*, actor, place_code: str = "") -> list[OrgNode]:
    """The organisations in scope as a forest (an org whose parent is out of scope is a root), with
    their active member counts: two queries."""
    orgs = list(org_list(actor=actor, place_code=place_code))
    counts = dict(PartyMember.objects.filter(org__in=orgs).exclude(relation=Relation.OUT)
                  .values_list("org").annotate(n=Count("id")).order_by())
    group_counts = dict(PartyMember.objects.filter(group__in=orgs).exclude(relation=Relation.OUT)
                        .values_list("group").annotate(n=Count("id")).order_by())
    nodes = {o.pk: OrgNode(o, counts.get(o.pk, 0) or group_counts.get(o.pk, 0)) for o in orgs}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.org.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def member_list(*, actor, org_id: int | None = None, category: str = "", work_status: str = "", relation: str = "",
                q: str = "", place_code: str = "", active: bool = True) -> QuerySet[PartyMember]:
    members = PartyMember.objects.filter(scope_q(actor, VIEW, field="place_code"))
    if active:
        members = members.exclude(relation=Relation.OUT)
    if org_id:
        members = members.filter(Q(org_id=org_id) | Q(group_id=org_id))
    if place_code:
        members = members.filter(place_code__startswith=place_code)
    for name, value in (("category", category), ("work_status", work_status), ("relation", relation)):
        if value:
            members = members.filter(**{name: value})
    if q:
        members = members.filter(Q(resident__name__contains=q) | Q(resident__name_initials__startswith=q.lower()))
    return members.select_related("resident__household__building", "org", "group")


def member_get(*, actor, member_id: int) -> PartyMember:
    return _get(member_list(actor=actor, active=False), member_id)


def edge_list(*, actor, place_code: str = "") -> QuerySet[Resident]:
    """Residents who say they are party members (政治面貌) and are not on the roster here: never
    registered, or transferred out while still living here. Each with the last contact's outcome."""
    last = EdgeContact.objects.filter(resident=OuterRef("pk")).order_by("-contacted_on", "-id")
    residents = (Resident.objects.filter(scope_q(actor, VIEW, field="place_code"), status=ResidentStatus.LIVING,
                                         political_status__in=[PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY])
                 .exclude(party_membership__relation__in=[Relation.HERE, Relation.ELSEWHERE]))
    if place_code:
        residents = residents.filter(place_code__startswith=place_code)
    return (residents.annotate(last_outcome=Subquery(last.values("outcome")[:1]),
                               last_contacted_on=Subquery(last.values("contacted_on")[:1]))
            .select_related("household__building").order_by("place_code", "household_id", "id"))


def edge_get(*, actor, resident_id: int) -> Resident:
    return _get(edge_list(actor=actor), resident_id)


def session_list(*, actor, org_id: int | None = None, status: str = "", year: int | None = None) -> QuerySet[OrgSession]:
    sessions = OrgSession.objects.filter(scope_q(actor, VIEW, field="place_code"))
    if org_id:
        sessions = sessions.filter(org_id=org_id)
    if status:
        sessions = sessions.filter(status=status)
    if year:
        sessions = sessions.filter(planned_on__year=year)
    return sessions.select_related("org").annotate(
        present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
        expected=Count("attendance")).order_by("-planned_on", "-id")


def session_get(*, actor, session_id: int) -> OrgSession:
    return _get(session_list(actor=actor), session_id)


def session_attendance(session: OrgSession) -> list[Attendance]:
    return list(session.attendance.select_related("member__resident").order_by("member__resident__name"))


@dataclass
class AttendanceRate:
    present: int = 0
    leave: int = 0
    absent: int = 0
    streak: int = 0  # absences in a row, newest first, leave excused

    @property
    def total(self) -> int:
        return self.present + self.leave + self.absent

    @property
    def rate(self) -> float | None:
        return round(100 * self.present / self.total, 1) if self.total else None

    @property
    def flagged(self) -> bool:
        return self.streak >= ABSENCE_STREAK


def attendance_rates(member_ids, *, year: int | None = None) -> dict[int, AttendanceRate]:
    """member id → attendance at held sessions (one query), with the run of absences at the newest end."""
    members = member_ids if isinstance(member_ids, QuerySet) else list(member_ids)  # a queryset: one statement
    rows = Attendance.objects.filter(member_id__in=members,
                                     session__status__in=[SessionStatus.HELD, SessionStatus.CLOSED])
    if year:
        rows = rows.filter(session__held_on__year=year)
    rates: dict[int, AttendanceRate] = defaultdict(AttendanceRate)
    streak_open: dict[int, bool] = defaultdict(lambda: True)
    for member_id, presence in rows.order_by("-session__held_on", "-session_id").values_list("member_id", "presence"):
        rate = rates[member_id]
        setattr(rate, presence, getattr(rate, presence) + 1)
        if streak_open[member_id]:
            if presence == Presence.ABSENT:
                rate.streak += 1
            elif presence == Presence.PRESENT:
                streak_open[member_id] = False
    return rates


def absent_streak_count(*, actor) -> int:
    """len(absent_streak_list(actor=actor)), counted in the database (absent_streak_rows)."""
    return count_all({"flagged": absent_streak_rows(actor=actor)})["flagged"]


def absent_streak_rows(*, actor) -> CountSql | None:
    """The actor's members flagged for absences in a row, one row each, as SQL for a count (core.counts): each
    member's held sessions' rows other than leave are ranked newest first (as attendance_rates orders them), and a
    member whose newest ABSENCE_STREAK of them are all absences is flagged — the same members as walking the
    history (leave bridges a run, a presence ends it). So the home panel counts them with its other counts, in the
    page's one count statement, instead of reading a community's attendance history into Python (issue 19)."""
    members = member_list(actor=actor).select_related(None).values("pk")
    ranked = (Attendance.objects.filter(member_id__in=members,
                                        session__status__in=[SessionStatus.HELD, SessionStatus.CLOSED])
              .exclude(presence=Presence.LEAVE).order_by()
              .values(who=F("member_id"), mark=F("presence"),
                      newest=Window(RowNumber(), partition_by=[F("member_id")],
                                    order_by=[F("session__held_on").desc(), F("session_id").desc()])))
    try:
        ranked_sql, params = ranked.query.sql_with_params()
    except EmptyResultSet:
        return None
    sql = (f"SELECT r.who FROM ({ranked_sql}) r WHERE r.newest <= %s GROUP BY r.who "
           f"HAVING SUM(CASE WHEN r.mark = %s THEN 1 ELSE 0 END) = %s")
    return CountSql(sql, (*params, ABSENCE_STREAK, Presence.ABSENT.value, ABSENCE_STREAK), ranked.db)


def absent_streak_list(*, actor, org_id: int | None = None) -> list[tuple[PartyMember, AttendanceRate]]:
    members = list(member_list(actor=actor, org_id=org_id))
    rates = attendance_rates([m.pk for m in members])
    return [(m, rates[m.pk]) for m in members if rates[m.pk].flagged]


def member_records(member: PartyMember) -> dict:
    return {
        "transfers": list(member.transfers.all()),
        "posts": list(member.posts.all()),
        "services": list(member.services.all()[:20]),
        "attendance": list(member.attendance.select_related("session").order_by("-session__planned_on")[:12]),
        "appraisals": appraisal_results_of(member),
    }


def post_list(*, actor) -> QuerySet[ModelPost]:
    return (ModelPost.objects.filter(scope_q(actor, VIEW, field="place_code"), end_date__isnull=True)
            .select_related("member__resident", "member__org"))


def service_list(*, actor) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(scope_q(actor, VIEW, field="place_code")).select_related("member__resident")


# --- appraisal -----------------------------------------------------------------------------------

def appraisal_list(*, actor) -> QuerySet[AppraisalRound]:
    return (AppraisalRound.objects.filter(scope_q(actor, VIEW, field="place_code")).select_related("org")
            .annotate(ballots=Count("votes__ballot_no", distinct=True)).order_by("-year", "org_id"))


def appraisal_get(*, actor, appraisal_id: int) -> AppraisalRound:
    return _get(appraisal_list(actor=actor), appraisal_id)


@dataclass
class MemberAppraisal:
    member: PartyMember
    counts: dict
    total: int
    comments: list

    @property
    def failing(self) -> bool:
        """Rated 不合格 by more than a third of those who rated the member."""
        return self.total > 0 and 3 * self.counts.get(Rating.UNQUALIFIED, 0) > self.total


def appraisal_results(appraisal: AppraisalRound) -> list[MemberAppraisal]:
    members = {m.pk: m for m in PartyMember.objects.filter(Q(org=appraisal.org) | Q(ratings__round=appraisal))
               .distinct().select_related("resident")}
    counts: dict[int, dict] = defaultdict(dict)
    comments: dict[int, list] = defaultdict(list)
    for member_id, rating, comment in appraisal.votes.values_list("member_id", "rating", "comment"):
        counts[member_id][rating] = counts[member_id].get(rating, 0) + 1
        if comment:
            comments[member_id].append(comment)
    return [MemberAppraisal(m, counts[pk], sum(counts[pk].values()), comments[pk])
            for pk, m in sorted(members.items(), key=lambda item: item[1].resident.name)
            if counts[pk] or m.is_active]


def appraisal_results_of(member: PartyMember) -> list[dict]:
    rows = (AppraisalVote.objects.filter(member=member).values("round__year", "rating")
            .annotate(n=Count("id")).order_by("-round__year"))
    years: dict[int, dict] = {}
    for row in rows:
        years.setdefault(row["round__year"], {})[row["rating"]] = row["n"]
    return [{"year": year, "counts": [(Rating(r).label, c.get(r, 0)) for r in Rating.values],
             "failing": 3 * c.get(Rating.UNQUALIFIED, 0) > sum(c.values())} for year, c in years.items()]


def org_members_for_ballot(appraisal: AppraisalRound) -> list[PartyMember]:
    return list(PartyMember.objects.filter(org=appraisal.org).exclude(relation=Relation.OUT)
                .select_related("resident").order_by("resident__name"))


def branches(*, actor, perm: str = VIEW) -> QuerySet[PartyOrg]:
    return (PartyOrg.objects.filter(scope_q(actor, perm, field="place_code"), kind=OrgKind.BRANCH)
            .select_related("place"))
