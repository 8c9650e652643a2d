"""Every write of early warning: raising an alert (the rules' only write), handling it, configuring rules."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minqing.accounts.models import Role
from minqing.accounts.policy import can, ensure_can, is_global, nearest_holder
from minqing.core.audit import audit_record, diff, snapshot
from minqing.core.changes import object_update
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import PermissionDenied, ValidationError
from minqing.core.transitions import transition
from minqing.notifications.messages import message, message_text
from minqing.notifications.services import notification_send
from minqing.places.models import Place, PlaceKind

from .models import (ALERT, HANDLE_WITHIN_HOURS, LEVEL_RANK, LEVEL_SHORT, OPEN_STATUSES, Alert, Level, RuleCode,
                     Verb, WarningRule)
from .thresholds import DEFAULTS


def alert_owner_for(*, place: Place, dispute=None):
    """Who must handle it: the dispute's leader, else the community's secretary, else street staff."""
    if dispute is not None and (dispute.leader_id or dispute.staff_id):
        return dispute.leader or dispute.staff
    return nearest_holder("alert.handle", place.code, roles=(Role.COMMUNITY_SECRETARY, Role.STREET_STAFF),
                          highest=PlaceKind.STREET)


def alert_raise(*, rule: str, trigger_key: str, subject_key: str, level: str, place: Place, title: str,
                explanation: str, evidence: dict, dispute=None, owner=None,
                now: datetime.datetime | None = None) -> Alert | None:
    """Raise an alert unless this trigger already raised one or the subject has an open one (idempotent).
    An open one on the same subject grows instead when the trigger finds more residents or a higher level."""
    current = Alert.objects.filter(rule=rule, subject_key=subject_key, status__in=OPEN_STATUSES).first()
    if current is not None:
        alert_grow(alert_id=current.pk, level=level, title=title, explanation=explanation, evidence=evidence,
                   now=now)
        return None
    if Alert.objects.filter(trigger_key=trigger_key).exists():
        return None
    now = now or timezone.now()
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule, trigger_key=trigger_key[:120], subject_key=subject_key[:80], level=level, place=place,
                title=title[:200], explanation=explanation, evidence=evidence, dispute=dispute,
                owner=owner if owner is not None and can(owner, "alert.handle", place.code)
                else alert_owner_for(place=place, dispute=dispute),
                due_at=now + datetime.timedelta(hours=HANDLE_WITHIN_HOURS[level]))
            audit_record(actor=None, action="alert.raise", obj=alert, payload={
                "rule": str(RuleCode(rule).label), "level": str(Level(level).label), "owner": str(alert.owner or "—")})
    except IntegrityError:  # another run raised the same trigger a moment ago
        return None
    return alert


def _size(evidence: dict) -> int:
    return evidence.get("residents") or 0


@transaction.atomic
def alert_grow(*, alert_id: int, level: str, title: str, explanation: str, evidence: dict,
               now: datetime.datetime | None = None) -> Alert | None:
    """More residents joined an open alert's matter, or its level rose: update its size, level and
    explanation, write one audit row, reset the due time when the level rises, tell the owner.
    Nothing changes (and None is returned) unless the trigger is larger or graver than the alert."""
    alert = lock_for_change(Alert.objects.select_related("place"), pk=alert_id)
    grew, rose = _size(evidence) > _size(alert.evidence), LEVEL_RANK[level] > LEVEL_RANK[alert.level]
    if not (grew or rose):
        return None
    now = now or timezone.now()
    changes = {"evidence": {**alert.evidence, **evidence}, "title": title[:200], "explanation": explanation}
    if rose:
        changes |= {"level": level, "due_at": now + datetime.timedelta(hours=HANDLE_WITHIN_HOURS[level])}
    payload = {"residents": [_size(alert.evidence), _size(changes["evidence"])],
               "level": [alert.level, changes.get("level", alert.level)]}
    action = "alert.escalate" if rose else "alert.grow"
    object_update(alert, actor=None, action=action, changes=changes, payload=payload)
    notification_send(users=[alert.owner], kind=action,
                      message=message(gettext_noop("%(change)s：%(t)s"), change=change_message(payload), t=alert.title),
                      url=reverse("alerts:detail", args=[alert.pk]), place_code=alert.place.code)
    return alert


def change_line(payload: dict) -> str:
    """"预警升级：7 人 → 10 人，橙色 → 红色" from an alert.grow/alert.escalate audit payload, in the active language."""
    return message_text(change_message(payload))


def change_message(payload: dict) -> dict:
    """The same line as a stored message (notifications.messages), so its reader reads it in their language."""
    (before, after), (was, now) = payload.get("residents") or [0, 0], payload["level"]
    parts = []
    if after != before:
        parts.append(message(gettext_noop("%(a)d 人 → %(b)d 人"), a=before, b=after))
    if now != was:
        parts.append(message(gettext_noop("%(a)s → %(b)s"), a=_level_message(was), b=_level_message(now)))
    head = message(gettext_noop("预警升级") if now != was else gettext_noop("预警涉及人数增加"))
    joined = parts[0] if len(parts) == 1 else message(gettext_noop("%(first)s，%(second)s"), first=parts[0],
                                                      second=parts[1])
    return message(gettext_noop("%(head)s：%(parts)s"), head=head, parts=joined)


def _level_message(level: str) -> dict:
    with translation.override(settings.LANGUAGE_CODE):  # the Chinese label is the catalogue's msgid
        return message(str(LEVEL_SHORT[level]))


def _lock(actor, alert_id: int, expected_version: int | None) -> Alert:
    alert = lock_for_change(Alert.objects.select_related("place"), pk=alert_id, expected_version=expected_version)
    ensure_can(actor, "alert.handle", alert.place.code)
    return alert


@transaction.atomic
def alert_acknowledge(*, actor, alert_id: int, expected_version: int | None = None) -> Alert:
    alert = _lock(actor, alert_id, expected_version)
    changes = {"acknowledged_at": timezone.now()}
    if alert.owner_id is None:  # whoever signs for an ownerless alert owns it
        changes["owner"] = actor
    transition(alert, table=ALERT, verb=Verb.ACKNOWLEDGE, actor=actor, changes=changes)
    return alert


@transaction.atomic
def alert_handle(*, actor, alert_id: int, action_taken: str, expected_version: int | None = None) -> Alert:
    """Record what was done about it: a visit, a meeting, a dispute opened, a leader informed…"""
    alert = _lock(actor, alert_id, expected_version)
    ALERT.check(alert, Verb.HANDLE)
    if len((action_taken or "").strip()) < 4:
        raise ValidationError(fields={"action_taken": [_("请写明采取了哪些处置措施。")]})
    now = timezone.now()
    transition(alert, table=ALERT, verb=Verb.HANDLE, actor=actor, changes={
        "action_taken": action_taken.strip(), "handled_at": now, "handled_by": actor,
        "acknowledged_at": alert.acknowledged_at or now})
    return alert


@transaction.atomic
def alert_reopen(*, actor, alert_id: int, reason: str, expected_version: int | None = None) -> Alert:
    """Send a handled alert back: what was done is not enough."""
    alert = _lock(actor, alert_id, expected_version)
    ALERT.check(alert, Verb.REOPEN)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请说明退回理由。")]})
    transition(alert, table=ALERT, verb=Verb.REOPEN, actor=actor, changes={"handled_at": None},
               payload={"reason": reason})
    return alert


@transaction.atomic
def alert_close(*, actor, alert_id: int, expected_version: int | None = None) -> Alert:
    alert = _lock(actor, alert_id, expected_version)
    transition(alert, table=ALERT, verb=Verb.CLOSE, actor=actor, changes={"closed_at": timezone.now()})
    return alert


@transaction.atomic
def warning_rule_configure(*, actor, code: str, enabled: bool, level: str, params: dict) -> WarningRule:
    """Change a rule's thresholds. Only system administrators: rules act across every community."""
    if not is_global(actor):
        raise PermissionDenied()
    if code not in DEFAULTS:
        raise ValidationError(fields={"code": [_("未知的预警规则。")]})
    if level not in Level.values:
        raise ValidationError(fields={"level": [_("请选择预警级别。")]})
    defaults = DEFAULTS[code]["params"]
    errors = {name: [_("参数类型应与默认值一致。")] for name, value in params.items()
              if name not in defaults or type(value) is not type(defaults[name])}
    if errors:
        raise ValidationError(fields=errors)
    rule, _created = WarningRule.objects.select_for_update().get_or_create(
        code=code, defaults={"level": DEFAULTS[code]["level"], "params": dict(defaults)})
    before = snapshot(rule, ("enabled", "level", "params"))
    rule.enabled, rule.level, rule.params = enabled, level, {**defaults, **params}
    save_changed(rule, ["enabled", "level", "params"])
    audit_record(actor=actor, action="alert.rule_configure", obj=rule,
                 changes=diff(before, snapshot(rule, ("enabled", "level", "params"))))
    return rule
