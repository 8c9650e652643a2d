from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "minqing.visits"
    label = "visits"
    verbose_name = _("走访与帮扶")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav
        from minqing.residents.timeline import register_timeline_source

        from .panels import due_panel_context
        from .timeline import visit_entries

        register_nav("visits:due", _("走访"), "visit.view", order=30)
        register_timeline_source("visits", visit_entries, perm="visit.view")
        register_nav("visits:help_list", _("帮扶"), "visit.view", order=31)
        register_home_panel("visits/_home_panel.html", "visit.change", due_panel_context, order=30)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
