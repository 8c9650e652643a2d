"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "user.create": _("新建用户"), "user.change_password": _("修改密码"),
    "partner_unit.create": _("新建协办单位"), "role.assign": _("授予角色"), "role.revoke": _("撤销角色"),
    "role.change": _("修改角色"), "admin.add": _("后台新建"), "admin.change": _("后台修改"), "admin.delete": _("后台删除"),
}
