from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "minqing.open311"
    label = "open311"
    verbose_name = _("Open311 接口")

    def ready(self):
        from . import selectors  # noqa: F401 — connects its per-process cache's invalidation (core/ttlcache.py) in every process
        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
