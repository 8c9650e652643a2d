from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "minqing.disputes"
    label = "disputes"
    verbose_name = _("矛盾纠纷排查化解")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel, register_nav

        from .panels import home_panel_context

        register_nav("disputes:list", _("矛盾纠纷"), "dispute.view", order=30)
        register_nav("disputes:screening_list", _("排查"), "dispute.view", order=31)
        register_nav("disputes:assessment_list", _("稳评"), "dispute.view", order=33)
        register_nav("disputes:figures", _("纠纷统计"), "dispute.view", order=34)
        register_home_panel("disputes/_home_panel.html", "dispute.view", home_panel_context, order=12)

        from minqing.core.labels import register_action_labels

        from .audit_labels import actions

        register_action_labels(actions())
        from minqing.jobs.registry import register_job

        from .jobs import follow_ups_due_notify

        register_job("disputes.follow_ups_due", follow_ups_due_notify)
