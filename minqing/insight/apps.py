from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "minqing.insight"
    label = "insight"
    verbose_name = _("研判")

    def ready(self):
        from minqing.accounts.navigation import register_nav
        from minqing.jobs.registry import register_job

        from . import jobs

        register_nav("insight:hot", _("热点问题"), "insight.view", order=15)
        register_nav("insight:accuracy", _("分类建议准确率"), "insight.view", order=16)
        register_job("insight.train", jobs.insight_train, lease_minutes=30)
