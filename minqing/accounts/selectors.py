"""Reads of accounts for pages, given the actor."""
from __future__ import annotations

from minqing.core.ttlcache import detached

from .models import RoleAssignment
from .policy import posts_of


def own_posts(actor) -> list[RoleAssignment]:
    """The actor's active role assignments with their place and partner unit loaded: read with the grants
    (accounts.policy.posts_of), so listing them on the home page costs no statement of its own (issue 19).
    Copies: a page may set attributes on them."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    return [detached(post) for post in posts_of(actor)]
