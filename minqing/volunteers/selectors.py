"""Every read of the volunteers app, given the acting user (or, for the public pages, nothing but
what residents may see). `volunteer_figures` is the reading the assessment app builds on."""
from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from minqing.accounts.policy import ensure_can, scope_q
from minqing.core.dates import days_q
from minqing.core.errors import NotFound

from .models import Activity, ActivityStatus, Membership, SignUp, SignUpStatus, Team


def team_list(*, actor, kind: str = ""):
    teams = Team.objects.filter(scope_q(actor, "volunteer.view", field="place_code")).select_related(
        "community", "leader").annotate(members=Count("memberships", filter=Q(memberships__left_on=None)))
    return teams.filter(kind=kind) if kind else teams


def team_get(*, actor, team_id: int) -> Team:
    team = Team.objects.select_related("community", "leader").filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    ensure_can(actor, "volunteer.view", team.place_code)
    return team


def team_members(*, team):
    return Membership.objects.filter(team=team, left_on=None).select_related("resident")


def activity_list(*, actor, team_id: int | None = None, status: str = ""):
    rows = Activity.objects.filter(scope_q(actor, "volunteer.view", field="place_code")).select_related(
        "team").annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED)),
                         attended=Count("signups", filter=Q(signups__status=SignUpStatus.ATTENDED)))
    if team_id:
        rows = rows.filter(team_id=team_id)
    return rows.filter(status=status) if status else rows


def activity_get(*, actor, activity_id: int) -> Activity:
    activity = Activity.objects.select_related("team", "posted_by").filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    ensure_can(actor, "volunteer.view", activity.place_code)
    return activity


def activity_signups(*, activity):
    return activity.signups.exclude(status=SignUpStatus.CANCELLED).select_related("resident").order_by("id")


# --- public ---------------------------------------------------------------------------------

def public_activity_list(*, now: datetime.datetime | None = None):
    """Activities residents may still sign up for, soonest first, with the places left."""
    return (Activity.objects.filter(status=ActivityStatus.OPEN, starts_at__gt=now or timezone.now())
            .select_related("team", "team__community")
            .annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED)))
            .order_by("starts_at", "id"))


def public_activity_get(*, activity_id: int) -> Activity:
    activity = public_activity_list().filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    return activity


def volunteer_record_by_hash(*, phone_hash: str, actor=None):
    """A volunteer's record: every sign-up of the same phone, newest first, with the totals.
    Given an actor, only the activities in their scope."""
    rows = SignUp.objects.filter(phone_hash=phone_hash).exclude(status=SignUpStatus.CANCELLED)
    if actor is not None:
        rows = rows.filter(scope_q(actor, "volunteer.view", field="place_code"))
    rows = rows.select_related("activity", "activity__team").order_by("-activity__starts_at")
    totals = rows.filter(status=SignUpStatus.ATTENDED).aggregate(hours=Sum("hours"), points=Sum("points"),
                                                                 times=Count("id"))
    return list(rows), {"hours": totals["hours"] or Decimal(0), "points": totals["points"] or 0,
                        "times": totals["times"]}


def honour_roll(*, place_code: str, year: int, limit: int = 20) -> list[dict]:
    """The year's volunteers by hours served (ties: more activities, then earlier first sign-up)."""
    rows = (SignUp.objects.filter(place_code__startswith=place_code, status=SignUpStatus.ATTENDED,
                                  activity__starts_at__year=year)
            .values("phone_hash").annotate(hours=Sum("hours"), points=Sum("points"), times=Count("id"))
            .order_by("-hours", "-times", "phone_hash")[:limit])
    rows = list(rows)
    names = dict(SignUp.objects.filter(phone_hash__in=[r["phone_hash"] for r in rows], place_code__startswith=place_code)
                 .order_by("phone_hash", "-id").values_list("phone_hash", "name"))
    for rank, row in enumerate(rows, start=1):
        row["rank"], row["name"] = rank, names.get(row["phone_hash"], "")
    return rows


def volunteer_figures(place_code: str, start: datetime.date, end: datetime.date) -> dict:
    """Volunteer work under a place between two dates (activities starting in [start, end]).

    For the assessment app; the caller checks the actor's right to `place_code`. Returns
    {"total": {...}, "communities": {code: {...}}, "teams": {team_id: {...}}}, each with
    activities (held, i.e. done), volunteers (distinct phones attending), attendances, hours, points
    and members (active members of teams there, at `end`).
    """
    signups = SignUp.objects.filter(days_q("activity__starts_at", start, end),
                                    place_code__startswith=place_code, status=SignUpStatus.ATTENDED)
    held = Activity.objects.filter(days_q("starts_at", start, end),
                                   place_code__startswith=place_code, status=ActivityStatus.DONE)
    members = Membership.objects.filter(place_code__startswith=place_code, joined_on__lte=end).filter(
        Q(left_on=None) | Q(left_on__gt=end))
    out = {"total": _blank(), "communities": defaultdict(_blank), "teams": defaultdict(_blank)}
    _add_attendances(out, signups)
    for key, group in (("communities", "place_code"), ("teams", "team_id")):
        for row in held.values(group).annotate(n=Count("id")):
            out[key][row[group]]["activities"] = row["n"]
        for row in members.values(group).annotate(n=Count("resident", distinct=True)):
            out[key][row[group]]["members"] = row["n"]
    # every held activity has one place code, so the communities' counts add up to the total
    out["total"].update(activities=sum(c["activities"] for c in out["communities"].values()),
                        members=members.values("resident").distinct().count())
    out["communities"], out["teams"] = dict(out["communities"]), dict(out["teams"])
    return out


def _add_attendances(out: dict, signups) -> None:
    """Attendances, hours, points and distinct volunteers of the total, each community and each team, from one
    pass over the sign-ups grouped by (community, team, phone): four grouped scans of the same join were ~60 ms
    of a street's figures page at city scale (issue 19)."""
    phones = {"total": set(), "communities": defaultdict(set), "teams": defaultdict(set)}
    rows = signups.values("place_code", "activity__team_id", "phone_hash").annotate(
        n=Count("id"), h=Sum("hours"), p=Sum("points")).order_by()
    for row in rows:
        parts = (("total", None), ("communities", row["place_code"]), ("teams", row["activity__team_id"]))
        for key, group in parts:
            figure, seen = (out[key], phones[key]) if group is None else (out[key][group], phones[key][group])
            figure["attendances"] += row["n"]
            figure["hours"] += row["h"] or 0
            figure["points"] += row["p"] or 0
            if row["phone_hash"] is not None:
                seen.add(row["phone_hash"])
    out["total"]["volunteers"] = len(phones["total"])
    for key in ("communities", "teams"):
        for group, seen in phones[key].items():
            out[key][group]["volunteers"] = len(seen)


def _blank() -> dict:
    return {"activities": 0, "volunteers": 0, "attendances": 0, "hours": Decimal(0), "points": 0, "members": 0}
