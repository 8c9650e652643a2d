from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "minqing.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from .navigation import register_nav

        register_nav("home", _("工作台"), None, order=0)
        register_nav("audit:list", _("审计日志"), "audit.view", order=95)
        register_nav("admin:index", _("系统管理"), "admin.site", order=99)

        from minqing.core.labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
