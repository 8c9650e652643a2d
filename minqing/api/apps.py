from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "minqing.api"
    label = "api"
    verbose_name = _("开放接口")

    def ready(self):
        from . import selectors  # noqa: F401 — connects its per-process cache's invalidation (core/ttlcache.py) in every process
        from minqing.accounts.navigation import register_nav
        from minqing.jobs.registry import register_job

        from .idempotency import idempotency_purge_job

        register_nav("api:token_list", _("接口令牌"), None, order=90)
        register_job("api.idempotency_purge", idempotency_purge_job)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
