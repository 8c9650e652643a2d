from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "minqing.alerts"
    label = "alerts"
    verbose_name = _("群体性事件预警")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav
        from minqing.disputes.figures import register_figure_source
        from minqing.jobs.registry import register_job

        from .figures import alert_figures
        from .panels import home_panel_context
        from .rules import warning_rules_job

        register_nav("alerts:list", _("预警"), "alert.view", order=32)
        register_home_panel("alerts/_home_panel.html", "alert.view", home_panel_context, order=10)
        register_figure_source(alert_figures)
        register_job("alerts.warning_rules", warning_rules_job, lease_minutes=15)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
