"""Scheduled work of the disputes app: tell the owner when an agreement's follow-up is due."""
from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from minqing.notifications.messages import message
from minqing.notifications.models import Notification
from minqing.notifications.services import notification_send

from .models import Agreement, Dispute, Status


def follow_ups_due_notify(now: datetime.datetime) -> str:
    """Agreed disputes whose (latest) agreement's performance date has come: the dispute's responsible
    worker (else its leader) is told once per agreement to visit and record whether it was honoured."""
    today = timezone.localdate(now)
    latest = Agreement.objects.filter(dispute=OuterRef("pk")).order_by("-created_at", "-id")
    disputes = (Dispute.objects.filter(status=Status.AGREED)
                .annotate(agreement_id=Subquery(latest.values("pk")[:1]),
                          performance_deadline=Subquery(latest.values("performance_deadline")[:1]))
                .filter(performance_deadline__lte=today).select_related("place", "staff", "leader"))
    sent = 0
    for dispute in disputes:
        owner = dispute.staff or dispute.leader
        key = f"dispute:{dispute.agreement_id}:follow_up_due"
        if owner is None or Notification.objects.filter(dedupe_key=f"{key}:{owner.pk}").exists():
            continue
        sent += notification_send(
            users=[owner], kind="dispute.follow_up_due", place_code=dispute.place.code,
            url=reverse("disputes:detail", args=[dispute.pk]), dedupe_key=key,
            message=message(gettext_noop("调解协议履行期限（%(d)s）已到，请回访确认履行情况：%(t)s"),
                            d=dispute.performance_deadline.isoformat(), t=dispute.title))
    return f"notified {sent}"
