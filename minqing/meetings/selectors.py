"""Every read of meetings, opinions and reception days, given the actor — and two plain selectors
for the assessment's 五个一 checklist, which counts over a place, not over an actor's scope."""
from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from minqing.accounts.policy import scope_q
from minqing.core.dates import days_q
from minqing.core.errors import NotFound

from .models import HELD_STATUSES, Meeting, MeetingSeries, Opinion, ReceptionDay, ReceptionStatus

VIEW = "meeting.view"


def series_list(*, actor, perm: str = VIEW) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.filter(scope_q(actor, perm, field="place_code")).select_related("place")


def meeting_list(*, actor, place_code: str = "", kind: str = "", status: str = "",
                 series_id: int | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(scope_q(actor, VIEW, field="place_code")).select_related("series", "place") \
        .annotate(invited=Count("invitees", distinct=True), opinion_count=Count("opinions", distinct=True)) \
        .order_by("-starts_at", "-id")
    if place_code:
        meetings = meetings.filter(place_code__startswith=place_code)
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    if series_id:
        meetings = meetings.filter(series_id=series_id)
    return meetings


def meeting_get(*, actor, meeting_id: int) -> Meeting:
    meeting = (Meeting.objects.filter(scope_q(actor, VIEW, field="place_code"), pk=meeting_id)
               .select_related("series", "place", "called_by", "call_notice", "decisions_notice").first())
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_invitees(*, meeting: Meeting):
    return meeting.invitees.select_related("resident", "partner_unit", "user")


def meeting_opinions(*, meeting: Meeting) -> QuerySet[Opinion]:
    return meeting.opinions.select_related("resident", "appeal")


def opinion_get(*, actor, opinion_id: int) -> Opinion:
    opinion = (Opinion.objects.filter(scope_q(actor, VIEW, field="place_code"), pk=opinion_id)
               .select_related("meeting", "reception", "resident").first())
    if opinion is None:
        raise NotFound()
    return opinion


def reception_list(*, actor, place_code: str = "", leader_id: int | None = None) -> QuerySet[ReceptionDay]:
    receptions = ReceptionDay.objects.filter(scope_q(actor, VIEW, field="place_code")) \
        .select_related("leader", "place").annotate(request_count=Count("opinions")).order_by("-day", "-id")
    if place_code:
        receptions = receptions.filter(place_code__startswith=place_code)
    if leader_id:
        receptions = receptions.filter(leader_id=leader_id)
    return receptions


def reception_get(*, actor, reception_id: int) -> ReceptionDay:
    reception = (ReceptionDay.objects.filter(scope_q(actor, VIEW, field="place_code"), pk=reception_id)
                 .select_related("leader", "place").first())
    if reception is None:
        raise NotFound()
    return reception


# --- for the assessment (五个一 checklist): counts over a place and a period -------------------------

def meetings_held(place_code: str, kind: str | None, start: datetime.date, end: datetime.date) -> QuerySet[Meeting]:
    """Meetings held (held, minutes approved or closed) at the place or below, start..end inclusive."""
    meetings = Meeting.objects.filter(days_q("starts_at", start, end),
                                      place_code__startswith=place_code, status__in=HELD_STATUSES)
    return meetings.filter(kind=kind) if kind else meetings


def receptions_held(leader, start: datetime.date, end: datetime.date) -> QuerySet[ReceptionDay]:
    """The leader's reception days that took place, start..end inclusive."""
    return ReceptionDay.objects.filter(leader=leader, status=ReceptionStatus.HELD, day__gte=start, day__lte=end)


def opinion_figures(opinions: QuerySet[Opinion]) -> dict:
    """Raised / answered on the spot / made demands / resolved (answered, or demand closed), and the
    share of meeting opinions that a later meeting reported back on."""
    from minqing.appeals.models import Status

    later = Meeting.objects.filter(series_id=OuterRef("meeting__series_id"), status__in=HELD_STATUSES,
                                   starts_at__gt=OuterRef("meeting__starts_at"))
    return opinions.annotate(due=Exists(later)).aggregate(
        raised=Count("id", distinct=True),
        answered=Count("id", filter=Q(status="answered"), distinct=True),
        demands=Count("id", filter=Q(status="demand"), distinct=True),
        open=Count("id", filter=Q(status="open"), distinct=True),
        resolved=Count("id", filter=Q(status="answered") | Q(status="demand", appeal__status=Status.CLOSED), distinct=True),
        reported_back=Count("id", filter=Q(due=True, report_backs__isnull=False), distinct=True),
        due_report=Count("id", filter=Q(due=True), distinct=True),
    )


def meetings_for_consultation(*, actor, place_code: str) -> QuerySet[Meeting]:
    """Held meetings the actor can see, at the place, above it (its street) or below it: the choices
    of a stability assessment's consultation."""
    from minqing.places.codes import lineage

    return (Meeting.objects.filter(scope_q(actor, VIEW, field="place_code"), status__in=HELD_STATUSES)
            .filter(Q(place_code__startswith=place_code) | Q(place_code__in=lineage(place_code)))
            .order_by("-starts_at"))
