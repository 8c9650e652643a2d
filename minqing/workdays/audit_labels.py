"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "calendar.day_set": _("设置工作日"), "calendar.day_clear": _("清除工作日设置"),
    "calendar.year_publish": _("发布年度日历"),
}
