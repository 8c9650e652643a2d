"""The time-based steps, run by `manage.py scheduler` (minqing.jobs). Each is idempotent: a second
run — or a second scheduler at the same moment — finds nothing left to do, because every change is a
conditional update (… WHERE is_overdue = false) or a locked, status-checked service call, and every
notification carries a dedupe key."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from minqing.core.audit import audit_record
from minqing.notifications.messages import message

from . import notices
from .conf import due_soon_hours, follow_up_days
from .events import SYSTEM, appeal_note
from .models import Appeal, Status
from .services import appeal_close_unrated

BATCH = 500


def appeals_mark_overdue(now: datetime.datetime) -> str:
    marked = 0
    ids = list(Appeal.objects.overdue(now).filter(is_overdue=False).values_list("pk", flat=True)[:BATCH])
    for pk in ids:
        with transaction.atomic():
            if not Appeal.objects.filter(pk=pk, is_overdue=False).update(is_overdue=True, version=F("version") + 1):
                continue  # another scheduler got there first
            appeal = Appeal.objects.select_related("handler_user", "leader").get(pk=pk)
            appeal_note(appeal, verb="overdue", actor=SYSTEM, at=now)
            audit_record(actor=SYSTEM, action="appeal.overdue", obj=appeal, changes={"is_overdue": [False, True]})
            users = [*notices.handler_users(appeal), appeal.leader]
            transaction.on_commit(lambda a=appeal, u=users: notices.notify_staff(
                a, kind="appeal.overdue", users=u, text=message(gettext_noop("诉求已超期：%(t)s"), t=a.title),
                dedupe_key=f"appeal-overdue:{a.pk}:{a.handle_deadline:%Y%m%d%H%M}"))
            marked += 1
    return f"marked {marked}"


def appeals_remind_due_soon(now: datetime.datetime) -> str:
    reminded = 0
    due = Appeal.objects.due_within(now, due_soon_hours()).filter(reminded_at__isnull=True)
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            if not Appeal.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            appeal = Appeal.objects.select_related("handler_user").get(pk=pk)
            transaction.on_commit(lambda a=appeal: notices.notify_staff(
                a, kind="appeal.due_soon", users=notices.handler_users(a),
                text=message(gettext_noop("诉求即将到期（%(d)s）：%(t)s"),
                             d=timezone.localtime(a.handle_deadline).strftime("%m-%d %H:%M"), t=a.title),
                dedupe_key=f"appeal-due:{a.pk}:{a.handle_deadline:%Y%m%d%H%M}"))
            reminded += 1
    return f"reminded {reminded}"


def appeals_close_unrated(now: datetime.datetime) -> str:
    cutoff = now - datetime.timedelta(days=follow_up_days())
    ids = list(Appeal.objects.filter(status=Status.REPLIED, replied_at__lte=cutoff)
               .values_list("pk", flat=True)[:BATCH])
    closed = sum(appeal_close_unrated(appeal_id=pk, now=now) is not None for pk in ids)
    return f"closed {closed}"
