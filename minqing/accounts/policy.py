"""The one place that decides what an actor may read and do.

A permission is "<area>.<verb>". A role grants a set of permissions; an assignment grants them at a
place and everything under it. Selectors filter with `scope_q`; services check with `ensure_can`.
Partner units are the exception to place scope: they see only what was sent to them, which the
demand selectors express with `partner_unit_ids`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q

from minqing.core.errors import NotFound, PermissionDenied
from minqing.core.ttlcache import TtlCache, bookkeeping_fields, watch

from .models import Role, RoleAssignment, User

AREAS = (
    "place", "ledger", "appeal", "dispute", "alert", "visit", "welfare", "party", "volunteer",
    "meeting", "disclosure", "assessment", "report", "audit", "insight", "training",
)


def _view(*areas: str) -> set[str]:
    return {f"{area}.view" for area in areas}


EVERY_VIEW = _view(*AREAS)

# What each role may do, within the places it is assigned to. Rejects by default: a permission not
# listed here is not held. Supervisors (discipline inspection) read everything and change nothing
# but supervision itself.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STREET_STAFF: frozenset(EVERY_VIEW | {
        "appeal.intake", "appeal.accept", "appeal.dispatch", "appeal.supervise", "appeal.follow_up",
        "dispute.change", "dispute.sign", "alert.handle", "welfare.approve", "disclosure.publish", "assessment.change",
        "visit.change", "meeting.change", "assessment.approve", "training.change",
    }),
    Role.COMMUNITY_SECRETARY: frozenset(EVERY_VIEW | {
        "ledger.change", "ledger.import", "ledger.reveal_pii", "ledger.search_pii",
        "appeal.intake", "appeal.accept", "appeal.dispatch", "appeal.reply", "appeal.supervise",
        "appeal.follow_up", "dispute.change", "dispute.sign", "alert.handle", "visit.change",
        "welfare.change", "welfare.appraise", "disclosure.publish", "party.change", "volunteer.change",
        "meeting.change", "assessment.change", "assessment.check", "assessment.approve", "training.change",
        "training.take",
    }),
    Role.COMMUNITY_WORKER: frozenset(EVERY_VIEW - {"audit.view"} | {
        "ledger.change", "ledger.import", "ledger.reveal_pii", "ledger.search_pii",
        "appeal.intake", "appeal.accept", "appeal.dispatch", "appeal.reply", "appeal.follow_up",
        "dispute.change", "visit.change", "welfare.change", "volunteer.change", "meeting.change",
        "assessment.check", "training.change", "training.take",
    }),
    Role.GRID_WORKER: frozenset(_view("place", "ledger", "appeal", "dispute", "visit", "welfare", "report",
                                     "assessment", "training") | {
        "ledger.change", "ledger.reveal_pii", "ledger.search_pii", "appeal.intake", "appeal.reply", "dispute.change",
        "visit.change", "assessment.check", "training.take",
    }),
    Role.BUILDING_HEAD: frozenset(_view("place", "ledger", "visit", "training") | {
        "appeal.intake", "visit.change", "training.take"}),
    Role.BRANCH_SECRETARY: frozenset(_view("place", "ledger", "party", "volunteer", "meeting") | {
        "party.change", "appeal.intake", "volunteer.change",
    }),
    # Scope for partner units is "what was sent to us", not a place: see partner_unit_ids().
    Role.PARTNER_UNIT: frozenset({"appeal.view", "appeal.reply"}),
    Role.SUPERVISOR: frozenset(EVERY_VIEW | {"appeal.supervise"}),
    Role.ADMIN: frozenset(EVERY_VIEW | {f"{area}.change" for area in AREAS} | {
        "ledger.import", "ledger.reveal_pii", "ledger.search_pii", "appeal.intake", "appeal.accept", "appeal.dispatch",
        "appeal.reply", "appeal.supervise", "appeal.follow_up", "alert.handle", "dispute.sign", "welfare.appraise",
        "welfare.approve", "disclosure.publish", "assessment.check", "assessment.approve", "admin.site", "calendar.manage", "taxonomy.manage",
        "accounts.manage",
    }),
}
ALL = None  # sentinel: "every place"


@dataclass(frozen=True)
class Grant:
    role: str
    place_code: str
    partner_unit_id: int | None


def grants_of(actor) -> tuple[Grant, ...]:
    """The actor's active assignments, loaded once per request and cached on the user object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ()
    cached = getattr(actor, "_minqing_grants", None)
    if cached is None:
        posts = posts_of(actor)
        cached = tuple(Grant(post.role, post.place.code if post.place_id else None, post.partner_unit_id)
                       for post in posts)
        actor._minqing_grants = cached
    return cached


def posts_of(actor) -> tuple:
    """The actor's active assignments as rows, with their place and partner unit: the grants are made from them,
    and the home page lists them — one statement for both, kept with the signed-in user (accounts.backends)."""
    posts = getattr(actor, "_minqing_posts", None)
    if posts is None:
        posts = actor._minqing_posts = tuple(actor.assignments.filter(is_active=True)
                                             .select_related("place", "partner_unit").order_by("role", "id"))
    return posts


def roles_of(actor) -> set[str]:
    return {grant.role for grant in grants_of(actor)}


def is_global(actor) -> bool:
    """System administrators (and Django superusers) act everywhere."""
    return bool(getattr(actor, "is_superuser", False)) or Role.ADMIN in roles_of(actor)


def has_perm_anywhere(actor, perm: str) -> bool:
    return is_global(actor) or any(perm in ROLE_PERMISSIONS[g.role] for g in grants_of(actor))


def place_codes(actor, perm: str) -> list[str] | None:
    """Code prefixes where the actor holds `perm`; ALL (None) for global actors; [] for nowhere."""
    if is_global(actor):
        return ALL
    codes = sorted({g.place_code for g in grants_of(actor)
                    if g.role != Role.PARTNER_UNIT and perm in ROLE_PERMISSIONS[g.role]})
    # Drop codes already covered by a shorter prefix: a street grant covers its communities.
    return [c for i, c in enumerate(codes) if not any(c.startswith(p) for p in codes[:i])]


def scope_key(actor, perm: str) -> str:
    """Where the actor holds `perm`, as text ("*": everywhere): a cache key part, so that everyone who sees
    the same places shares one cached figure (a community's staff, a street's)."""
    codes = place_codes(actor, perm)
    key = "*" if codes is ALL else ",".join(codes)
    # Django's caches warn about keys over 250 characters (memcached refuses them): many grants are hashed
    return key if len(key) <= 200 else hashlib.sha1(key.encode()).hexdigest()


def scope_q(actor, perm: str, field: str = "place__code") -> Q:
    """A filter keeping the rows whose place (reached through `field`) lies in the actor's scope."""
    codes = place_codes(actor, perm)
    if codes is ALL:
        return Q()
    if not codes:
        return Q(pk__in=[])
    condition = Q()
    for code in codes:  # `under`: a prefix the planner estimates cheaply (core/lookups.py)
        condition |= Q(**{f"{field}__under": code})
    return condition


def can(actor, perm: str, place_code: str | None) -> bool:
    codes = place_codes(actor, perm)
    if codes is ALL:
        return True
    return place_code is not None and any(place_code.startswith(code) for code in codes)


def ensure_can(actor, perm: str, place_code: str | None) -> None:
    """Refuse an action. What the actor cannot even see is 'not found', so existence is not leaked."""
    if can(actor, perm, place_code):
        return
    area = perm.split(".")[0]
    if can(actor, f"{area}.view", place_code):
        raise PermissionDenied()
    raise NotFound()


def ensure_holds_somewhere(actor, perm: str) -> None:
    """A page that only serves `perm` (a create form): whoever holds it somewhere may open it; whoever
    only reads the area (an inspector) is refused with the permission message; anyone else: not found."""
    if has_perm_anywhere(actor, perm):
        return
    if has_perm_anywhere(actor, f"{perm.split('.')[0]}.view"):
        raise PermissionDenied()
    raise NotFound()


def roles_with(perm: str) -> list[str]:
    """The roles whose permission set includes `perm`."""
    return [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def _place_roles(perm: str, include_admins: bool = False, roles: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The roles whose holders at a place hold `perm` there (partner units are scoped by what was sent to
    them, never by place; administrators only when asked), narrowed to `roles` when given."""
    return tuple(sorted(r for r in roles_with(perm) if r != Role.PARTNER_UNIT and (include_admins or r != Role.ADMIN)
                        and (not roles or r in roles)))


def holders(perm: str, place_code: str, *, highest: str | None = None, include_admins: bool = False,
            roles: tuple[str, ...] = ()):
    """Who holds `perm` at this place: active users with an active grant at the place or an ancestor.

    The one answer to "who may do X here", used by every dropdown (so it offers only people the
    service will accept), every notification and every owner lookup. `highest` stops the climb at a
    level (PlaceKind): `highest=COMMUNITY` leaves out street and district grants. System
    administrators hold everything everywhere, but are people to notify or pick only when asked
    (`include_admins`). Partner units are scoped by what was sent to them, so never place holders.
    `roles` narrows to those roles' holders (a notice meant for the supervisors, say).
    """
    from django.contrib.auth import get_user_model

    from minqing.places.codes import lineage

    grants = RoleAssignment.objects.filter(is_active=True, role__in=_place_roles(perm, include_admins, roles),
                                           place__code__in=lineage(place_code, highest=highest))
    return (get_user_model().objects.filter(is_active=True, pk__in=grants.values("user_id"))
            .order_by("display_name", "username"))


# Every grant of the roles that hold a permission, place code → user ids, per process: a new demand's
# receivers are looked up on every submission (issue 19: ~15 % of an API submission's CPU went to building
# that list from the database). Kept like the grants themselves (core.ttlcache): a changed assignment or
# user clears it in every process on the host within about a second, and it expires after ten.
_GRANTS_BY_PLACE = TtlCache("active grants by place, per set of roles", ttl=10)
watch(RoleAssignment, User)  # a revoked grant, a deactivated user
# Django writes last_login at every sign-in: were that a change, a morning's sign-ins would empty every worker's
# caches over and over (the stamp), each next request reading its grants, posts and places again.
bookkeeping_fields(User, "last_login")


def _grants_by_place(roles: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    by_place: dict[str, set[int]] = {}
    rows = RoleAssignment.objects.filter(is_active=True, user__is_active=True, role__in=roles)
    for code, user_id in rows.values_list("place__code", "user_id"):
        by_place.setdefault(code, set()).add(user_id)
    return {code: tuple(sorted(ids)) for code, ids in by_place.items()}


def holder_ids(perm: str, place_code: str, *, highest: str | None = None) -> list[int]:
    """The ids of `holders(perm, place_code, highest=highest)` (administrators left out), without a query
    when the process has the grants: for notices, which need whom to tell, not the people themselves."""
    from minqing.places.codes import lineage

    roles = _place_roles(perm)
    grants = _GRANTS_BY_PLACE.get(roles, lambda: _grants_by_place(roles))
    return sorted({user_id for code in lineage(place_code, highest=highest) for user_id in grants.get(code, ())})


def nearest_holder(perm: str, place_code: str, *, roles: tuple[str, ...] = (), highest: str | None = None):
    """The holder of `perm` whose grant is closest to the place (a grid's worker before the community's),
    preferring `roles` in the order given; None when nobody holds it. For "who owns this" lookups."""
    from minqing.places.codes import lineage

    chain = lineage(place_code, highest=highest)
    candidates = roles or tuple(r for r in roles_with(perm) if r not in (Role.PARTNER_UNIT, Role.ADMIN))
    for role in candidates:
        if perm not in ROLE_PERMISSIONS[role]:
            continue
        grant = (RoleAssignment.objects.filter(is_active=True, role=role, place__code__in=chain, user__is_active=True)
                 .select_related("user").order_by("-place__code", "id").first())
        if grant:
            return grant.user
    return None


def partner_unit_ids(actor) -> set[int]:
    return {g.partner_unit_id for g in grants_of(actor) if g.role == Role.PARTNER_UNIT and g.partner_unit_id}


def forget_grants(actor) -> None:
    """Call after changing someone's assignments within the same request."""
    for loaded in ("_minqing_grants", "_minqing_posts"):
        if hasattr(actor, loaded):
            delattr(actor, loaded)
