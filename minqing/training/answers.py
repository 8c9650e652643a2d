"""Writes of the policy answer base: create and change answers, flag expired ones to their owner, and
record which answers were suggested while a worker drafted a reply and which were inserted."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minqing.accounts.policy import ensure_can
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import NotFound, ValidationError

from .models import PolicyAnswer, PolicySuggestionLog, PolicyTopic


@dataclass(frozen=True)
class AnswerInput:
    question: str
    answer: str
    source: str
    issuing_body: str
    effective_on: datetime.date
    applies_to: tuple = ()  # places
    expires_on: datetime.date | None = None
    topic: str = PolicyTopic.OTHER
    is_public: bool = True


def _check(actor, place, data: AnswerInput) -> None:
    errors = {}
    for name in ("question", "answer", "source", "issuing_body"):
        if not getattr(data, name).strip():
            errors[name] = [_("此项必填。")]
    if data.expires_on and data.expires_on < data.effective_on:
        errors["expires_on"] = [_("失效日期不能早于生效日期。")]
    if not data.applies_to:
        errors["applies_to"] = [_("请选择适用范围。")]
    elif any(not p.code.startswith(place.code) for p in data.applies_to):
        errors["applies_to"] = [_("适用范围只能在本单位辖区内。")]
    if data.topic not in PolicyTopic.values:
        errors["topic"] = [_("类别无效。")]
    if errors:
        raise ValidationError(fields=errors)


def policy_answer_create(*, actor, place, data: AnswerInput) -> PolicyAnswer:
    """`place` maintains the answer (a street or community where the actor holds training.change)."""
    ensure_can(actor, "training.change", place.code)
    _check(actor, place, data)
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "applies_to"}
    with transaction.atomic():
        answer = object_create(PolicyAnswer(place=place, owner=actor, **values), actor=actor,
                               action="training.answer.create",
                               payload={"applies_to": sorted(p.code for p in data.applies_to)})
        answer.applies_to.set(data.applies_to)
    return answer


def policy_answer_update(*, actor, answer_id: int, expected_version: int | None, data: AnswerInput) -> PolicyAnswer:
    with transaction.atomic():
        answer = lock_for_change(PolicyAnswer.objects.select_related("place"), pk=answer_id,
                                 expected_version=expected_version)
        ensure_can(actor, "training.change", answer.place.code)
        _check(actor, answer.place, data)
        changes = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "applies_to"}
        if data.expires_on != answer.expires_on:
            changes["expiry_flagged_on"] = None  # a new expiry date is flagged again when it passes
        before = sorted(answer.applies_to.values_list("code", flat=True))
        after = sorted(p.code for p in data.applies_to)
        object_update(answer, actor=actor, action="training.answer.change", changes=changes,
                      payload={"applies_to": [before, after]} if before != after else None)
        if before != after:
            answer.applies_to.set(data.applies_to)
    return answer


def policy_answers_flag_expired(*, today: datetime.date) -> int:
    """Tell each owner once about their answers that expired (hidden from suggestions and the public page
    already, by the `current()` filter); one audit row per answer flagged."""
    from minqing.notifications.messages import message
    from minqing.notifications.services import notification_send

    flagged = 0
    for answer in PolicyAnswer.objects.expired(today).filter(expiry_flagged_on__isnull=True).select_related("owner", "place"):
        with transaction.atomic():
            object_update(answer, actor=None, action="training.answer.flag_expired", changes={"expiry_flagged_on": today})
            if answer.owner and answer.owner.is_active:
                notification_send(
                    users=[answer.owner], kind="training.answer_expired", place_code=answer.place.code,
                    message=message(gettext_noop("政策问答“%(q)s”已于 %(d)s 失效，已不再推荐，请更新或确认下架。"),
                                    q=answer.question[:60], d=answer.expires_on.isoformat()),
                    url=reverse("training:answer_edit", args=[answer.pk]),
                    dedupe_key=f"training.answer_expired:{answer.pk}:{answer.expires_on.isoformat()}")
        flagged += 1
    return flagged


def policy_suggestion_shown(*, actor, appeal, answer_ids: list[int]) -> PolicySuggestionLog | None:
    """Remember what this worker was shown for this demand (first showing first; later ones appended)."""
    if not answer_ids:
        return None
    with transaction.atomic():
        log = PolicySuggestionLog.objects.select_for_update().filter(appeal=appeal, actor=actor).first()
        if log is None:
            return object_create(PolicySuggestionLog(appeal=appeal, actor=actor, place_code=appeal.place.code,
                                                     shown=list(answer_ids)), actor=actor,
                                 action="training.suggestion.shown", fields=("appeal", "shown"))
        added = [pk for pk in answer_ids if pk not in log.shown]
        if added:
            object_update(log, actor=actor, action="training.suggestion.shown", changes={"shown": log.shown + added})
        return log


def policy_suggestion_used(*, actor, appeal, answer_id: int) -> PolicySuggestionLog:
    """The worker inserted `answer_id` into the draft; it must be one they were shown for this demand."""
    with transaction.atomic():
        log = PolicySuggestionLog.objects.select_for_update().filter(appeal=appeal, actor=actor).first()
        if log is None or answer_id not in log.shown:
            raise NotFound()
        if answer_id not in log.used:
            object_update(log, actor=actor, action="training.suggestion.used", changes={"used": log.used + [answer_id]})
        return log

