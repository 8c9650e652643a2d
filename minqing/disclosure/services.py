"""Every write to the public board."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.places.models import Place, PlaceKind

from .models import Notice, NoticeKind, NoticeRevision, NoticeStatus

EDITABLE_FIELDS = ("title", "body", "display_until")



def _actor_label(actor) -> str:
    return (actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else _("系统")


def _check_text(title: str, body: str) -> None:
    fields = {}
    if not (title or "").strip():
        fields["title"] = [_("请填写标题。")]
    if not (body or "").strip():
        fields["body"] = [_("请填写正文。")]
    if fields:
        raise ValidationError(fields=fields)


def _check_community(community: Place) -> None:
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(fields={"community": [_("居务公开按社区发布，请选择社区。")]})


def _freeze(notice: Notice, *, actor, changed_fields: list[str], reason: str) -> NoticeRevision:
    number = (notice.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return NoticeRevision.objects.create(
        notice=notice, number=number, title=notice.title, body=notice.body,
        changed_fields=changed_fields, reason=reason, actor_label=_actor_label(actor),
    )


@transaction.atomic
def notice_create(*, actor, community: Place, kind: str, title: str, body: str,
                  display_until: datetime.date | None = None) -> Notice:
    ensure_can(actor, "disclosure.publish", community.code)
    _check_community(community)
    _check_text(title, body)
    notice = Notice.objects.create(community=community, kind=kind, title=title.strip(), body=body.strip(),
                                   display_until=display_until, author=actor)
    audit_record(actor=actor, action="disclosure.notice.create", obj=notice,
                 changes={"kind": kind, "title": notice.title})
    return notice


@transaction.atomic
def notice_update(*, actor, notice: Notice, title: str, body: str, display_until: datetime.date | None = None,
                  reason: str = "", expected_version: int | None = None) -> Notice:
    """Edit a draft freely; a published notice gets a new public revision and needs a reason."""
    notice = lock_for_change(Notice.objects.select_related("community"), pk=notice.pk,
                             expected_version=expected_version)
    ensure_can(actor, "disclosure.publish", notice.community.code)
    if notice.status == NoticeStatus.WITHDRAWN:
        raise TransitionNotAllowed(_("已撤回的公开事项不能再修改。"))
    _check_text(title, body)
    before = {name: getattr(notice, name) for name in EDITABLE_FIELDS}
    notice.title, notice.body, notice.display_until = title.strip(), body.strip(), display_until
    changed = [name for name in EDITABLE_FIELDS if getattr(notice, name) != before[name]]
    if not changed:
        return notice
    if notice.is_published:
        if not (reason or "").strip():
            raise ValidationError(fields={"reason": [_("已发布的事项修改后会公开显示修改记录，请填写修改说明。")]})
        _freeze(notice, actor=actor, changed_fields=changed, reason=reason.strip())
    save_changed(notice, changed)
    audit_record(actor=actor, action="disclosure.notice.update", obj=notice,
                 changes={name: [str(before[name]), str(getattr(notice, name))] for name in changed}
                 | ({"reason": reason} if notice.is_published else {}))
    return notice


@transaction.atomic
def notice_publish(*, actor, notice: Notice, expected_version: int | None = None) -> Notice:
    notice = lock_for_change(Notice.objects.select_related("community"), pk=notice.pk,
                             expected_version=expected_version)
    ensure_can(actor, "disclosure.publish", notice.community.code)
    return _publish(notice, actor=actor)


def _publish(notice: Notice, *, actor) -> Notice:
    if notice.status != NoticeStatus.DRAFT:
        raise TransitionNotAllowed(_("只有草稿可以发布。"))
    notice.status, notice.published_at = NoticeStatus.PUBLISHED, timezone.now()
    _freeze(notice, actor=actor, changed_fields=[], reason=_("首次发布"))
    save_changed(notice, ["status", "published_at"])
    audit_record(actor=actor, action="disclosure.notice.publish", obj=notice,
                 changes={"status": [NoticeStatus.DRAFT, NoticeStatus.PUBLISHED]})
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice: Notice, reason: str, expected_version: int | None = None) -> Notice:
    notice = lock_for_change(Notice.objects.select_related("community"), pk=notice.pk,
                             expected_version=expected_version)
    ensure_can(actor, "disclosure.publish", notice.community.code)
    return _withdraw(notice, actor=actor, reason=reason)


def _withdraw(notice: Notice, *, actor, reason: str) -> Notice:
    if notice.status != NoticeStatus.PUBLISHED:
        raise TransitionNotAllowed(_("只有已发布的事项可以撤回。"))
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写撤回原因，撤回原因会公开显示。")]})
    notice.status, notice.withdrawn_at, notice.withdrawn_reason = NoticeStatus.WITHDRAWN, timezone.now(), reason.strip()
    save_changed(notice, ["status", "withdrawn_at", "withdrawn_reason"])
    audit_record(actor=actor, action="disclosure.notice.withdraw", obj=notice,
                 changes={"status": [NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN], "reason": notice.withdrawn_reason})
    return notice


# --- for other apps' services -------------------------------------------------------------------
# Welfare publishes its public notices 公示 here. The calling service has already checked its own
# permission (e.g. welfare.appraise) and runs inside its own transaction; these skip ensure_can only.

def notice_publish_on_behalf(*, actor, community: Place, kind: str, title: str, body: str,
                             display_until: datetime.date | None = None,
                             accepts_objections: bool = False) -> Notice:
    _check_text(title, body)
    notice = Notice.objects.create(community=community, kind=kind, title=title, body=body, author=actor,
                                   display_until=display_until, accepts_objections=accepts_objections)
    audit_record(actor=actor, action="disclosure.notice.create", obj=notice, changes={"kind": kind, "title": title})
    return _publish(notice, actor=actor)


def notice_revise_on_behalf(*, actor, notice: Notice, body: str, reason: str,
                            display_until: datetime.date | None = None) -> Notice:
    notice = lock_for_change(Notice.objects.select_related("community"), pk=notice.pk)
    before = {name: getattr(notice, name) for name in EDITABLE_FIELDS}
    notice.body = body
    if display_until is not None:
        notice.display_until = display_until
    changed = [name for name in EDITABLE_FIELDS if getattr(notice, name) != before[name]]
    if not changed:
        return notice
    _freeze(notice, actor=actor, changed_fields=changed, reason=reason)
    save_changed(notice, changed)
    audit_record(actor=actor, action="disclosure.notice.update", obj=notice,
                 changes={name: [str(before[name]), str(getattr(notice, name))] for name in changed} | {"reason": reason})
    return notice


def notice_withdraw_on_behalf(*, actor, notice: Notice, reason: str) -> Notice:
    notice = lock_for_change(Notice.objects.select_related("community"), pk=notice.pk)
    return _withdraw(notice, actor=actor, reason=reason)


NOTICE_KINDS_FOR_STAFF = [k for k in NoticeKind if k != NoticeKind.WELFARE]
