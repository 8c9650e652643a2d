"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "disclosure.notice.create": _("新建公开事项"), "disclosure.notice.update": _("修改公开事项"),
    "disclosure.notice.publish": _("发布公开事项"), "disclosure.notice.withdraw": _("撤回公开事项"),
}
