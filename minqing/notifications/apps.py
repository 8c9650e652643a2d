from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "minqing.notifications"
    label = "notifications"
    verbose_name = _("消息")

    def ready(self):
        from minqing.accounts.navigation import register_home_panel
        from minqing.core.labels import register_action_labels
        from minqing.jobs.registry import register_job

        from .selectors import notification_panel
        from .services import outbox_deliver_pending

        register_home_panel("notifications/_panel.html", None, notification_panel, order=1)
        register_job("notifications.outbox_deliver", outbox_deliver_pending)
        register_action_labels({"phone.code_send": _("发送手机验证码"), "phone.verify": _("验证手机号"),
                                "phone.verify_failed": _("手机验证码错误")})
