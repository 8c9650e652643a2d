from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "minqing.volunteers"
    label = "volunteers"
    verbose_name = _("志愿服务与协会")

    def ready(self):
        from minqing.accounts.navigation import register_nav

        register_nav("volunteers:index", _("志愿服务"), "volunteer.view", order=60)
