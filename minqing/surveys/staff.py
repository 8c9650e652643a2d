"""Who may be named in a rating question: the people who serve residents at a survey's place."""
from django.contrib.auth import get_user_model
from django.db.models import Q

from minqing.accounts.models import Role
from minqing.accounts.policy import holders

SERVING_PERM = "appeal.intake"  # held by every role that meets residents (street to building head)


def staff_choices(place_code: str):
    """Holders at the place or above it (up to the street), and the grid workers and building heads
    assigned below it: a community survey may rate its secretary and its grid workers alike."""
    below = get_user_model().objects.filter(
        is_active=True, assignments__is_active=True, assignments__place__code__startswith=place_code,
    ).exclude(assignments__role__in=[Role.PARTNER_UNIT, Role.SUPERVISOR, Role.ADMIN])
    above = holders(SERVING_PERM, place_code)
    return get_user_model().objects.filter(
        Q(pk__in=above.order_by().values("pk")) | Q(pk__in=below.values("pk"))).order_by("display_name", "username")
