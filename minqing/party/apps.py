from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "minqing.party"
    label = "party"
    verbose_name = _("党建")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav

        from .panels import party_panel_context

        register_nav("party:index", _("党建"), "party.view", order=40)
        register_nav("party:sessions", _("组织生活"), "party.view", order=41)
        register_home_panel("party/_home_panel.html", "party.view", party_panel_context, order=20)
