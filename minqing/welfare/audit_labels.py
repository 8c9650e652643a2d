"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "welfare.application.submit": _("提交救助申请"), "welfare.application.flag": _("标记利益冲突"),
    "welfare.relation.declare": _("申报近亲属关系"), "welfare.programme.create": _("新建救助项目"),
    "welfare.objection.file": _("登记异议"), "welfare.objection.answer": _("答复异议"),
    "welfare.disbursement.record": _("登记发放"),
}


def actions() -> dict:
    """Every verb of the application's state machine as "welfare.application.<verb>", plus the rest."""
    from .models import Verb
    return {**{f"welfare.application.{verb.value}": verb.label for verb in Verb}, **ACTIONS}
