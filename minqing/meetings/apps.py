from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "minqing.meetings"
    label = "meetings"
    verbose_name = _("会议与接访")

    def ready(self):
        from minqing.accounts.navigation import register_nav

        register_nav("meetings:list", _("会议"), "meeting.view", order=42)
        register_nav("meetings:receptions", _("接访"), "meeting.view", order=43)
