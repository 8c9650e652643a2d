"""Every read of welfare review, given the actor and filtered by scope (welfare.view)."""
from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from minqing.accounts.policy import scope_q
from minqing.core.errors import NotFound

from .models import Application, Objection, Programme, StaffRelation, Status

REVIEW_NOTICE_DAYS = 30


def _applications(actor) -> QuerySet[Application]:
    return Application.objects.filter(scope_q(actor, "welfare.view", field="place_code"))


def application_list(*, actor, status: str = "", programme_id: int | None = None, flagged: bool = False,
                     place_code: str = "", household_id: int | None = None, due: str = "",
                     today: datetime.date | None = None) -> QuerySet[Application]:
    """`due`: "verification" — still awaiting home verification past its 15-day limit;
    "review" — approved files whose periodic re-review falls within the next 30 days or has passed."""
    applications = _applications(actor)
    today = today or timezone.localdate()
    if due == "verification":
        applications = applications.filter(status=Status.RECEIVED, verification_due__lt=today)
    elif due == "review":
        applications = applications.review_due(today + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
    if status:
        applications = applications.filter(status=status)
    if programme_id:
        applications = applications.filter(programme_id=programme_id)
    if flagged:
        applications = applications.flagged()
    if place_code:
        applications = applications.filter(place_code__startswith=place_code)
    if household_id:
        applications = applications.filter(household_id=household_id)
    return applications.select_related("programme", "household__building", "applicant")


def application_get(*, actor, application_id: int) -> Application:
    application = (_applications(actor)
                   .select_related("programme", "household__building", "applicant", "received_by", "decided_by",
                                   "notice")
                   .prefetch_related("verifications__staff_1", "verifications__staff_2", "appraisals__chair",
                                     Prefetch("objections", queryset=Objection.objects.select_related("answered_by")),
                                     "disbursements", "rereviews__reviewer")
                   .filter(pk=application_id).first())
    if application is None:
        raise NotFound()
    return application


def objection_get(*, actor, objection_id: int) -> Objection:
    objection = Objection.objects.select_related("application").filter(pk=objection_id).first()
    if objection is None or not _applications(actor).filter(pk=objection.application_id).exists():
        raise NotFound()
    return objection


def programme_list(*, actor, place_code: str = "") -> QuerySet[Programme]:
    """Programmes that apply to a place in the actor's scope: those defined at or above it."""
    programmes = Programme.objects.filter(is_active=True).select_related("place").prefetch_related("rules__tag")
    if place_code:
        return programmes.filter(pk__in=[p.pk for p in programmes if place_code.startswith(p.place.code)])
    return programmes


def staff_relation_list(*, actor) -> QuerySet[StaffRelation]:
    """Staff see their own declarations; supervisors and approvers see those in their scope."""
    own = StaffRelation.objects.filter(staff=actor)
    scoped = StaffRelation.objects.filter(scope_q(actor, "audit.view", field="place_code"))
    return (own | scoped).distinct().select_related("staff", "household__building")
