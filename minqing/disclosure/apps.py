from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "minqing.disclosure"
    label = "disclosure"
    verbose_name = _("居务公开")

    def ready(self):
        from minqing.accounts.navigation import register_nav

        register_nav("disclosure:manage", _("居务公开"), "disclosure.view", order=60)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
