"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "alert.raise": _("发出预警"), "alert.acknowledge": _("确认预警"), "alert.handle": _("处置预警"),
    "alert.reopen": _("重新打开预警"), "alert.close": _("关闭预警"), "alert.rule_configure": _("设置预警规则"),
    "alert.escalate": _("预警升级"), "alert.grow": _("预警涉及人数增加"),
}
