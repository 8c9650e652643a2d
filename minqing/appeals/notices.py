"""Who hears about a demand's change: staff in-app notifications and resident text messages.

Called through transaction.on_commit by the services, so nothing is sent for a rolled-back change; the
submission's notices are written inside its own transaction (outbox rows), which commits or rolls back with it.
Resident messages carry no personal data beyond the receipt code; merged duplicates' reporters hear
about the demand they were merged into ("duplicates merged without losing any reporter").
"""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minqing.accounts.models import User
from minqing.accounts.policy import holder_ids, holders
from minqing.notifications.messages import message
from minqing.notifications.services import StoredPhone, notification_send, outbox_enqueue
from minqing.places.models import PlaceKind

from .models import Appeal
from .tokens import link_token


def community_holders(perm: str, place_code: str) -> list[User]:
    """Who holds `perm` at the demand's place, up to its community (street staff are told through their
    own lists, not pinged for every demand)."""
    return list(holders(perm, place_code, highest=PlaceKind.COMMUNITY))


def community_holder_ids(perm: str, place_code: str) -> list[int]:
    """The same people's ids, for notices (no query while the process has the grants)."""
    return holder_ids(perm, place_code, highest=PlaceKind.COMMUNITY)


def unit_users(unit_id: int | None) -> list[User]:
    if not unit_id:
        return []
    return list(User.objects.filter(is_active=True, assignments__partner_unit_id=unit_id,
                                    assignments__is_active=True).distinct())


def handler_users(appeal: Appeal) -> list[User]:
    return [appeal.handler_user] if appeal.handler_user_id else unit_users(appeal.handler_unit_id)


def _url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


def notify_staff(appeal: Appeal, *, kind: str, text: dict, users, dedupe_key: str | None = None) -> None:
    """`text` is a message (notifications.messages): each reader reads it in their own language."""
    notification_send(users=users, kind=kind, message=message("%(code)s %(text)s", code=appeal.receipt_code, text=text),
                      url=_url(appeal), place_code=appeal.place_code, dedupe_key=dedupe_key)


def notify_new(appeal: Appeal) -> None:
    notify_staff(appeal, kind="appeal.new", text=message(gettext_noop("新诉求待受理：%(t)s"), t=appeal.title),
                 users=community_holder_ids("appeal.accept", appeal.place_code))


def notify_dispatched(appeal: Appeal) -> None:
    notify_staff(appeal, kind="appeal.dispatch", users=handler_users(appeal),
                 text=message(gettext_noop("派给您的诉求：%(t)s，办理时限 %(d)s"), t=appeal.title,
                              d=timezone.localtime(appeal.handle_deadline).strftime("%m-%d %H:%M")))


def notify_returned(appeal: Appeal) -> None:
    notify_staff(appeal, kind="appeal.return", users=[appeal.dispatched_by],
                 text=message(gettext_noop("诉求被退单：%(r)s"), r=appeal.return_reason[:60]))


def notify_reopened(appeal: Appeal) -> None:
    users = ([appeal.dispatched_by_id] if appeal.dispatched_by_id
             else community_holder_ids("appeal.dispatch", appeal.place_code))
    notify_staff(appeal, kind="appeal.reopen", users=users, text=message(gettext_noop("居民不满意，诉求需重办：%(t)s"), t=appeal.title))


def notify_supervised(appeal: Appeal, users) -> None:
    notify_staff(appeal, kind="appeal.supervise", users=users, text=message(gettext_noop("督办：%(t)s"), t=appeal.title))


def notify_submitted(appeal: Appeal) -> None:
    """A new demand: the community's receivers are told, the reporter gets the receipt. Called inside the
    demand's own transaction (intake), so they commit with it."""
    notify_new(appeal)
    notify_resident(appeal, event="submit", text=_("已收到，请保存回执码以便查询。"), merged=False)


def _texted_reporters(appeal: Appeal, *, merged: bool) -> list[Appeal]:
    """The reporter and (merged) the reporters of duplicates merged into it whose phone is proven: an
    unproven phone typed on the public page gets no text (issue 13.5; the tracking page says so)."""
    reporters = [appeal, *(Appeal.objects.filter(merged_into=appeal) if merged else [])]
    return [r for r in reporters if r.phone_cipher and r.phone_verified_at]


def notify_resident(appeal: Appeal, *, event: str, text: str, merged: bool = True) -> None:
    """A status text to the reporter and to the reporters of duplicates merged into this demand."""
    for reporter in _texted_reporters(appeal, merged=merged):
        outbox_enqueue(phone=StoredPhone(reporter.phone_cipher, reporter.phone_masked), place_code=appeal.place_code,
                       text=_("【民情】您反映的问题（回执码 %(code)s）%(text)s") % {
                           "code": reporter.receipt_code, "text": text},
                       dedupe_key=f"appeal:{reporter.pk}:{event}:{appeal.version}")


def tracking_url(appeal: Appeal) -> str:
    """The absolute secret link to the demand's tracking page (a derived token: see tokens.link_token)."""
    path = reverse("appeals:track", args=[appeal.receipt_code, link_token(appeal)])
    return settings.MINQING_PUBLIC_BASE_URL.rstrip("/") + path


def notify_replied(appeal: Appeal) -> None:
    """The reply, with the link where the resident reads it and rates it. A merged duplicate's reporter gets
    the link to their own page (it follows the surviving demand)."""
    for reporter in _texted_reporters(appeal, merged=True):
        outbox_enqueue(phone=StoredPhone(reporter.phone_cipher, reporter.phone_masked), place_code=appeal.place_code,
                       text=_("【民情】您反映的问题（回执码 %(code)s）已答复（%(o)s），请查看并评价：%(url)s") % {
                           "code": reporter.receipt_code, "o": appeal.get_outcome_display(),
                           "url": tracking_url(reporter)},
                       dedupe_key=f"appeal:{reporter.pk}:reply:{appeal.version}")
