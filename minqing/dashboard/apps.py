from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "minqing.dashboard"
    label = "dashboard"
    verbose_name = _("统计与报表")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav
        from minqing.jobs.registry import register_job

        from minqing.appeals.models import APPEAL

        from .dirty import rollup_mark_dirty
        from .rollups import rollups_refresh
        from .selectors import dashboard_home_panel

        # Every recorded change to a demand marks its cohort day for recomputation, in its transaction.
        # A recurrence also marks the first demand's day: its solution no longer stands (docs/metrics.md).
        APPEAL.on_recorded(lambda move: rollup_mark_dirty(
            move.obj, move.obj.recurrence_of if "recurrence_of" in move.changes else None))

        register_nav("dashboard:index", _("统计分析"), "appeal.view", order=15)
        register_nav("dashboard:report", _("月度报表"), "report.view", order=16)
        register_home_panel("dashboard/_home_panel.html", "appeal.view", dashboard_home_panel, order=12)
        register_job("dashboard.rollups_refresh", rollups_refresh, lease_minutes=30)
