"""The daily reminders of welfare review's time limits, run by the scheduler (`manage.py scheduler`).

Idempotent: each reminder carries a dedupe key (file, kind, due date), so running twice — or two
schedulers at once — sends nothing the second time.
"""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from minqing.accounts.models import Role
from minqing.accounts.policy import holders
from minqing.notifications.messages import message
from minqing.notifications.services import notification_send

from .models import Application, Status

SOON_DAYS = 3
REVIEW_DAYS = 30


def _reminders(today: datetime.date):
    received = Application.objects.filter(status=Status.RECEIVED,
                                          verification_due__lte=today + datetime.timedelta(days=SOON_DAYS))
    for a in received.select_related("programme"):
        text = message(gettext_noop("%(ref)s 入户核查已超过15日时限（%(d)s）") if a.verification_due < today
                       else gettext_noop("%(ref)s 须在 %(d)s 前完成入户核查"), ref=a.reference,
                       d=a.verification_due.isoformat())
        yield a, "verify", a.verification_due, text, (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
    for a in Application.objects.filter(status=Status.NOTICE, notice_end__lt=today).select_related("programme"):
        yield a, "notice", a.notice_end, message(gettext_noop(
            "%(ref)s 公示期已满：答复全部异议后结束公示并在5个工作日内上报"), ref=a.reference), (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)
    for a in Application.objects.review_due(today + datetime.timedelta(days=REVIEW_DAYS)).select_related("programme"):
        yield a, "review", a.next_review_due, message(gettext_noop("%(ref)s 应于 %(d)s 前复核"),
                                                           ref=a.reference, d=a.next_review_due.isoformat()), (Role.COMMUNITY_WORKER,)


def welfare_reminders_job(now: datetime.datetime) -> str:
    due_files = 0
    for application, kind, due, text, roles in _reminders(timezone.localtime(now).date()):
        users = list(holders("welfare.change", application.place_code, roles=roles))
        due_files += 1
        notification_send(users=users, kind=f"welfare.{kind}", message=text,
                                  url=reverse("welfare:detail", args=[application.pk]),
                                  place_code=application.place_code, dedupe_key=f"welfare-{kind}-{application.pk}-{due}")
    return f"{due_files} files with a time limit to remind of"
