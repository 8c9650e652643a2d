"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {"open311_key.create": _("签发 Open311 密钥"), "open311_key.revoke": _("停用 Open311 密钥")}
