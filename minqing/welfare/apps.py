from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "minqing.welfare"
    label = "welfare"
    verbose_name = _("救助审核")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav
        from minqing.disclosure.models import NoticeKind
        from minqing.disclosure.objections import register_objection_handler
        from minqing.jobs.registry import register_job
        from minqing.residents.timeline import register_timeline_source
        from minqing.visits.selectors import register_help_history_source

        from .jobs import welfare_reminders_job
        from .panels import home_panel_context
        from .services import objection_file_public
        from .timeline import welfare_entries, welfare_payments_history

        register_nav("welfare:list", _("救助审核"), "welfare.view", order=40)
        register_nav("welfare:figures", _("走访救助统计"), "welfare.view", order=41)
        register_home_panel("welfare/_home_panel.html", "welfare.view", home_panel_context, order=40)
        register_objection_handler(NoticeKind.WELFARE, objection_file_public)
        register_timeline_source("welfare", welfare_entries, perm="welfare.view")
        register_job("welfare.reminders", welfare_reminders_job)
        register_help_history_source(welfare_payments_history)

        from minqing.core.labels import register_action_labels

        from .audit_labels import actions

        register_action_labels(actions())
