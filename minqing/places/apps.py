from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "minqing.places"
    label = "places"
    verbose_name = _("行政区划与网格")

    def ready(self):
        from . import selectors  # noqa: F401 — connects its per-process cache's invalidation (core/ttlcache.py) in every process
        from minqing.accounts.navigation import register_nav

        register_nav("places:tree", _("区划网格"), "place.view", order=90)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)

        from minqing.core.postgresql.base import scope_prefix_register

        from .codes import code_length
        from .models import PlaceKind

        scope_prefix_register(code_length(PlaceKind.COMMUNITY))  # a community's scope may be prepared
