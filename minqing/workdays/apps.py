from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "minqing.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav

        from .selectors import calendar_missing_year_panel

        register_nav("workdays:year", _("工作日历"), "appeal.dispatch", order=92)  # read by dispatchers
        register_home_panel("workdays/_panel_missing_year.html", "calendar.manage",
                            calendar_missing_year_panel, order=5)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
