"""Reads of accounts for pages, given the actor."""
from __future__ import annotations

from minqing.core.ttlcache import TtlCache, detached, watch
from minqing.places.models import Place

from .models import PartnerUnit, RoleAssignment, User

# A user's posts as the home page lists them, per process for a minute: read on every view of the home page,
# changed perhaps once a year (issue 19: one query less on every home page). Any saved post, user, place or
# unit clears it at once on this host (core.ttlcache).
_POSTS = TtlCache("a user's active posts, with place and unit", ttl=60, max_items=5000)
watch(RoleAssignment, User, Place, PartnerUnit)


def own_posts(actor) -> list[RoleAssignment]:
    """The actor's active role assignments with their place and partner unit loaded."""
    posts = _POSTS.get(actor.pk, lambda: list(
        RoleAssignment.objects.filter(user_id=actor.pk, is_active=True).select_related("place", "partner_unit")
        .order_by("role", "id")))
    return [detached(post) for post in posts]
