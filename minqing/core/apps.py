from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "minqing.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import lookups  # noqa: F401  registers `__under` (the scope filter's prefix) on text fields
