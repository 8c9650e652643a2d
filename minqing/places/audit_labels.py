"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {"place.create": _("新建地点"), "place.update": _("修改地点")}
