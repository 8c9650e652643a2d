"""Every read of the place tree, filtered by the actor's scope."""
from django.db.models import QuerySet

from minqing.accounts.policy import ensure_can, scope_q
from minqing.core.errors import NotFound
from minqing.core.ttlcache import TtlCache, detached, watch

from .models import Place

_ACTIVE_PLACES = TtlCache("active places by code", ttl=60)
_PLACES = TtlCache("places by code", ttl=60)
watch(Place)


def place_active_by_code(code: str) -> Place | None:
    """The active place with this code, or None. No scope: for intake, whose service checks the actor's
    right at the place. Cached per process (issue 19: every API and Open311 submission names a place)."""
    if not code:
        return None
    return detached(_ACTIVE_PLACES.get(code, lambda: Place.objects.filter(code=code, is_active=True).first()))


def place_by_code(code: str) -> Place | None:
    """The place with this code, active or not, or None; no scope (the caller checks it). Cached per process
    like place_active_by_code: the dashboard's scope and the home page's month figures name their place."""
    if not code:
        return None
    return detached(_PLACES.get(code, lambda: Place.objects.filter(code=code).first()))


def root_place_code() -> str:
    """The code of the first top-level place (the district an administrator's figures start from), or ""."""
    return _PLACES.get(("root",), lambda: Place.objects.filter(depth=0).order_by("code").values_list(
        "code", flat=True).first()) or ""


def place_list(*, actor, kind=None, within: str | None = None) -> QuerySet[Place]:
    places = Place.objects.filter(scope_q(actor, "place.view", field="code"))
    if kind:
        places = places.filter(kind=kind)
    if within:
        places = places.subtree(within)
    return places


def place_get(*, actor, code: str) -> Place:
    place = Place.objects.filter(code=code).first()
    if place is None:
        raise NotFound()
    ensure_can(actor, "place.view", place.code)
    return place


def place_children(*, actor, place: Place) -> QuerySet[Place]:
    return place_list(actor=actor).filter(parent=place)
