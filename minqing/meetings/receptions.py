"""Reception days 领导干部定期接访 (seed 004): the duty roster, and the record of each reception.

Each request heard there is an Opinion of the reception (services.opinion_add with reception=…),
answered on the spot or made a demand (channel 来访) in one step.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minqing.accounts.policy import ensure_can, holders
from minqing.core.changes import object_create
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import ValidationError
from minqing.core.transitions import TransitionTable, transition
from minqing.places.models import Place, PlaceKind

from .models import ReceptionDay, ReceptionStatus

R = ReceptionStatus
RECEPTION = TransitionTable(
    name="meeting.reception", noun=gettext_lazy("接访"), states=ReceptionStatus,  # lazy: read in the reader's language
    verbs={"record": gettext_lazy("登记接访"), "cancel": gettext_lazy("取消")},
    moves={(R.SCHEDULED, "record"): R.HELD, (R.SCHEDULED, "cancel"): R.CANCELLED},
)


def leader_choices(place: Place):
    """Who may be on the roster of a place: those who hold meetings there (its leaders and staff)."""
    return holders("meeting.change", place.code)


@transaction.atomic
def reception_schedule(*, actor, leader, place: Place, day: datetime.date, location: str,
                       hours: str = "9:00-11:30") -> ReceptionDay:
    ensure_can(actor, "meeting.change", place.code)
    errors = {}
    if place.kind not in (PlaceKind.STREET, PlaceKind.COMMUNITY):
        errors["place"] = [_("接访日按社区或街道排班。")]
    if leader is None or not leader_choices(place).filter(pk=leader.pk).exists():
        errors["leader"] = [_("接访领导须为该社区或街道的工作人员。")]
    if day is None:
        errors["day"] = [_("请填写接访日期。")]
    elif ReceptionDay.objects.filter(leader=leader, day=day).exclude(status=R.CANCELLED).exists():
        errors["day"] = [_("该领导当天已有接访安排。")]
    if not (location or "").strip():
        errors["location"] = [_("请填写接访地点。")]
    if errors:
        raise ValidationError(fields=errors)
    reception = ReceptionDay(leader=leader, place=place, place_code=place.code, day=day, location=location.strip(),
                             hours=(hours or "").strip()[:40])
    return object_create(reception, actor=actor, action="meeting.reception.schedule",
                         fields=("leader", "place", "day", "hours", "location"))


@transaction.atomic
def reception_record(*, actor, reception: ReceptionDay, visitors_count: int, summary: str = "",
                     expected_version: int | None = None) -> ReceptionDay:
    """The reception took place: how many people came and what it was like. Requests are added after."""
    reception = lock_for_change(ReceptionDay.objects.all(), pk=reception.pk, expected_version=expected_version)
    ensure_can(actor, "meeting.change", reception.place_code)
    RECEPTION.check(reception, "record")
    if reception.day > timezone.localdate():
        raise ValidationError(fields={"day": [_("接访日还未到，不能登记。")]})
    if visitors_count is None or int(visitors_count) < 0:
        raise ValidationError(fields={"visitors_count": [_("请填写来访人次。")]})
    transition(reception, table=RECEPTION, verb="record", actor=actor,
               changes={"visitors_count": int(visitors_count), "summary": (summary or "").strip()})
    return reception


@transaction.atomic
def reception_cancel(*, actor, reception: ReceptionDay, expected_version: int | None = None) -> ReceptionDay:
    reception = lock_for_change(ReceptionDay.objects.all(), pk=reception.pk, expected_version=expected_version)
    ensure_can(actor, "meeting.change", reception.place_code)
    transition(reception, table=RECEPTION, verb="cancel", actor=actor)
    return reception
