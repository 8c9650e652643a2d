from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "minqing.assessment"
    label = "assessment"
    verbose_name = _("考核评比")

    def ready(self):
        from minqing.accounts.navigation import register_nav
        from minqing.jobs.registry import register_job

        from . import survey_indicators  # noqa: F401  (registers the indicators read from surveys)
        from .jobs import open_schemes_compute

        register_job("assessment.open_schemes_compute", open_schemes_compute, lease_minutes=30)

        register_nav("assessment:scheme_list", _("考核"), "assessment.view", order=70)
        register_nav("assessment:civility", _("四无评比"), "assessment.check", order=71)
        register_nav("assessment:five_ones", _("五个一"), "assessment.view", order=72)
