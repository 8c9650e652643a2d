from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "minqing.surveys"
    label = "surveys"
    verbose_name = _("测评与民评官")

    def ready(self):
        from minqing.accounts.navigation import register_nav

        register_nav("surveys:list", _("测评问卷"), "assessment.view", order=61)
