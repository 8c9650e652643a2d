"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {"api_token.create": _("签发接口令牌"), "api_token.revoke": _("吊销接口令牌")}
