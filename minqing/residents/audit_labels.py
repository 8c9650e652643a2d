"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "household.create": _("新建住户"), "household.update": _("修改住户"), "household.assign_liaison": _("指定联系人"),
    "household.set_head": _("设置户主"), "resident.register": _("登记居民"), "resident.update": _("修改居民信息"),
    "resident.move_in": _("迁入"), "resident.move_out": _("迁出"), "resident.move_within": _("社区内迁移"),
    "resident.deceased": _("登记死亡"), "resident.tag_add": _("添加关爱标记"), "resident.tag_end": _("结束关爱标记"),
    "resident.reveal_pii": _("查看完整个人信息"), "resident.export_personal_data": _("导出个人数据"),
    "resident.anonymise": _("匿名化"), "ledger.import": _("导入台账"), "ledger.export": _("导出台账"),
}
