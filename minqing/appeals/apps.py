from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "minqing.appeals"
    label = "appeals"
    verbose_name = _("诉求")

    def ready(self):
        from . import taxonomy_services  # noqa: F401 — connects its per-process cache's invalidation (core/ttlcache.py) in every process
        from minqing.accounts.navigation import register_home_panel, register_nav
        from minqing.jobs.registry import register_job

        from . import jobs
        from .events import timeline_write
        from .models import APPEAL
        from .selectors import appeal_home_panel

        APPEAL.on_recorded(timeline_write)

        register_nav("appeals:todo", _("我的待办"), "appeal.view", order=10)
        register_nav("appeals:list", _("诉求"), "appeal.view", order=11)
        register_nav("appeals:intake", _("登记诉求"), "appeal.intake", order=12)
        register_nav("appeals:supervision", _("督办"), "appeal.supervise", order=13)
        register_nav("appeals:overdue", _("超期诉求"), "appeal.supervise", order=14)
        register_nav("appeals:taxonomy", _("分类与时限"), "appeal.dispatch", order=93)  # read by dispatchers
        register_home_panel("appeals/_home_panel.html", "appeal.view", appeal_home_panel, order=10)
        register_job("appeals.mark_overdue", jobs.appeals_mark_overdue)
        register_job("appeals.remind_due_soon", jobs.appeals_remind_due_soon)
        register_job("appeals.close_unrated", jobs.appeals_close_unrated)

        from minqing.core.labels import register_action_labels

        from .audit_labels import actions

        register_action_labels(actions())
