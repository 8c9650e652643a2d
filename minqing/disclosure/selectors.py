"""Every read of the board: staff lists filtered by scope, and the public reads (no login)."""
from __future__ import annotations

import difflib

from django.db.models import QuerySet

from minqing.accounts.policy import ensure_can, scope_q
from minqing.core.errors import NotFound
from minqing.places.models import Place, PlaceKind

from .models import Notice, NoticeRevision, NoticeStatus


def notice_list(*, actor, community_code: str | None = None, status: str | None = None) -> QuerySet[Notice]:
    notices = Notice.objects.filter(scope_q(actor, "disclosure.view", field="community__code"))
    if community_code:
        notices = notices.filter(community__code__startswith=community_code)
    if status:
        notices = notices.filter(status=status)
    return notices.select_related("community")


def notice_get(*, actor, pk: int) -> Notice:
    notice = Notice.objects.select_related("community").filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    ensure_can(actor, "disclosure.view", notice.community.code)
    return notice


# --- public (no login) --------------------------------------------------------------------------

def public_community_list() -> QuerySet[Place]:
    return Place.objects.filter(kind=PlaceKind.COMMUNITY, is_active=True).select_related("parent")


def public_community_get(*, code: str) -> Place:
    community = public_community_list().filter(code=code).first()
    if community is None:
        raise NotFound()
    return community


def public_notice_list(*, community: Place, kind: str | None = None) -> QuerySet[Notice]:
    notices = Notice.objects.public().filter(community=community)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def public_notice_get(*, pk: int) -> Notice:
    """A draft does not exist for the public."""
    notice = Notice.objects.public().select_related("community").filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def public_notice_revisions(*, notice: Notice) -> list[dict]:
    """The revisions newest first, each with the line-by-line change from the one before it."""
    revisions = list(NoticeRevision.objects.filter(notice=notice).order_by("number"))
    out = []
    for previous, revision in zip([None, *revisions], revisions):
        lines = []
        if previous is not None:
            if previous.title != revision.title:
                lines += [("-", previous.title), ("+", revision.title)]
            for line in difflib.ndiff(previous.body.splitlines(), revision.body.splitlines()):
                if line[:1] in "+-":
                    lines.append((line[0], line[2:]))
        out.append({"revision": revision, "diff": lines})
    return list(reversed(out))


def public_is_visible(notice: Notice) -> bool:
    return notice.status != NoticeStatus.DRAFT
