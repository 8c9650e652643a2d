from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "minqing.training"
    label = "training"
    verbose_name = _("培训与政策问答")

    def ready(self):
        from minqing.accounts.navigation import register_nav
        from minqing.jobs.registry import register_job

        from .jobs import flag_expired_answers_job

        register_nav("training:session_list", _("培训"), "training.view", order=60)
        register_nav("training:answer_list", _("政策问答"), "training.view", order=61)
        register_job("training.flag_expired_answers", flag_expired_answers_job)
