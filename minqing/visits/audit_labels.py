"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "visit.record": _("记录走访"), "visit.need.add": _("登记需求"), "visit.need.to_demand": _("需求转为诉求"),
    "visit.need.solve": _("需求已解决"), "visit.cycle.set": _("设置走访周期"), "visit.round.create": _("新建走访批次"),
    "help.record": _("记录帮扶"),
}
