from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "minqing.residents"
    label = "residents"
    verbose_name = _("民情台账")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav

        from .panels import ledger_panel_context
        from .timeline import ledger_entries, register_timeline_source

        register_nav("residents:search", _("民情台账"), "ledger.view", order=10)
        register_nav("residents:care_tags", _("关爱对象"), "ledger.view", order=11)
        register_nav("residents:liaison", _("包户联系"), "ledger.view", order=12)
        register_home_panel("residents/_home_panel.html", "ledger.view", ledger_panel_context, order=10)
        register_timeline_source("residents", ledger_entries, perm="ledger.view")

        from minqing.jobs.registry import register_job

        from .tally import ledger_tally_refresh

        register_job("residents.ledger_tally", ledger_tally_refresh)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
