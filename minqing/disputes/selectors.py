"""Every read of the disputes app, given the actor and filtered by their scope."""
from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from minqing.accounts.models import User
from minqing.accounts.policy import ensure_can, holders, scope_q
from minqing.core.errors import NotFound
from minqing.places.models import Place, PlaceKind

from .models import (
    Agreement, Dispute, MediationSession, Period, Responsibility, ScreeningRound, StabilityAssessment, period_bounds,
)


def dispute_list(*, actor, place_code: str | None = None, status: str | None = None, kind: str | None = None,
                 risk_level: str | None = None, overdue: bool = False, query: str = "") -> QuerySet[Dispute]:
    disputes = Dispute.objects.filter(scope_q(actor, "dispute.view")).select_related("place", "leader", "staff")
    if place_code:
        disputes = disputes.filter(place__code__startswith=place_code)
    if status:
        disputes = disputes.filter(status=status)
    if kind:
        disputes = disputes.filter(kind=kind)
    if risk_level:
        disputes = disputes.filter(risk_level=risk_level)
    if overdue:
        disputes = disputes.overdue()
    if query:
        disputes = disputes.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return disputes


def dispute_get(*, actor, dispute_id: int) -> Dispute:
    dispute = (Dispute.objects.select_related("place", "leader", "staff", "reported_by", "screening_round")
               .prefetch_related("parties", "recusals__mediator",
                                 Prefetch("responsibilities",
                                          Responsibility.objects.select_related("owner").order_by("id")),
                                 Prefetch("sessions", MediationSession.objects.select_related("mediator")),
                                 "referrals", Prefetch("agreements", Agreement.objects.select_related("mediator")
                                                       .prefetch_related("follow_ups")))
               .filter(pk=dispute_id).first())
    if dispute is None:
        raise NotFound()
    ensure_can(actor, "dispute.view", dispute.place.code)
    return dispute


def agreement_latest(*, actor, dispute_id: int) -> Agreement:
    dispute = dispute_get(actor=actor, dispute_id=dispute_id)
    agreement = dispute.agreements.order_by("-created_at", "-id").first()
    if agreement is None:
        raise NotFound()
    return agreement


def agreements_due_follow_up(*, actor, today: datetime.date | None = None) -> QuerySet[Dispute]:
    """Agreed disputes whose performance date has come: someone must check they were honoured."""
    today = today or timezone.localdate()
    return (dispute_list(actor=actor, status="agreed")
            .filter(agreements__performance_deadline__lte=today).distinct())


def staff_serving(*, place_code: str) -> QuerySet[User]:
    """Users who may work on disputes at this place: the choices for leader, staff, mediator, owners."""
    return holders("dispute.change", place_code)


def screening_round_list(*, actor, grid_code: str | None = None, since: datetime.date | None = None,
                         ) -> QuerySet[ScreeningRound]:
    rounds = (ScreeningRound.objects.filter(scope_q(actor, "dispute.view", field="grid__code"))
              .select_related("grid", "filed_by").prefetch_related("disputes"))
    if grid_code:
        rounds = rounds.filter(grid__code__startswith=grid_code)
    if since:
        rounds = rounds.filter(period_start__gte=since)
    return rounds


def grids_in_scope(*, actor) -> QuerySet[Place]:
    return Place.objects.filter(scope_q(actor, "dispute.view", field="code"), kind=PlaceKind.GRID, is_active=True)


def silent_grids(*, actor, day: datetime.date | None = None, period: str = Period.WEEK) -> QuerySet[Place]:
    """Grids in the actor's scope that have not filed the round of the period containing `day`."""
    start, _end = period_bounds(day or timezone.localdate(), period)
    filed = ScreeningRound.objects.filter(period=period, period_start=start).values("grid_id")
    return grids_in_scope(actor=actor).exclude(pk__in=filed).select_related("parent")


def assessment_list(*, actor, place_code: str | None = None) -> QuerySet[StabilityAssessment]:
    assessments = StabilityAssessment.objects.filter(scope_q(actor, "dispute.view")).select_related("place",
                                                                                                    "signed_by")
    if place_code:
        assessments = assessments.filter(place__code__startswith=place_code)
    return assessments


def assessment_get(*, actor, assessment_id: int) -> StabilityAssessment:
    assessment = (StabilityAssessment.objects.select_related("place", "created_by", "signed_by")
                  .prefetch_related("consultations__meeting", "risk_points").filter(pk=assessment_id).first())
    if assessment is None:
        raise NotFound()
    ensure_can(actor, "dispute.view", assessment.place.code)
    return assessment


def place_labels(places) -> dict[str, str]:
    """code → "渝阳社区 / 第三地段" for each place, from one query (Place.full_name queries per place)."""
    places = list(places)
    lengths = (12, 15, 18)
    prefixes = {p.code[:n] for p in places for n in lengths if n < len(p.code)}
    names = dict(Place.objects.filter(code__in=prefixes).values_list("code", "name"))
    return {p.code: " / ".join([*(names[p.code[:n]] for n in lengths if n < len(p.code) and p.code[:n] in names),
                                p.name]) for p in places}


def places_in_scope(*, actor, perm: str, kinds) -> QuerySet[Place]:
    """Active places of these kinds where the actor holds `perm`: the choices of a place picker."""
    return Place.objects.filter(scope_q(actor, perm, field="code"), kind__in=kinds, is_active=True)


def mediation_committee_name(*, place: Place) -> str:
    """The people's mediation committee sits at the community (居委会): named after the community."""
    code = place.ancestor_code(PlaceKind.COMMUNITY) or place.code
    community = Place.objects.filter(code=code).first() or place
    return gettext("%(c)s人民调解委员会") % {"c": community.name}
