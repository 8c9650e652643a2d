"""Labels of this app's audit action codes, registered with `core.labels` in AppConfig.ready()."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "dispute.report": _("登记纠纷"), "dispute.assess_risk": _("评估风险"), "dispute.recuse": _("回避"),
    "dispute.party_add": _("添加当事人"), "dispute.responsibility_update": _("调整三定四包"),
    "dispute.follow_up": _("回访"), "screening.file": _("登记排查"),
    "stability.open": _("启动稳评"), "stability.consult": _("征求意见"), "stability.risk_point": _("登记风险点"),
    "stability.conclude": _("作出评估结论"), "stability.sign": _("签署稳评"),
}


def actions() -> dict:
    """Every verb of the dispute's state machine as "dispute.<verb>", plus the rest."""
    from .models import Verb
    return {**{f"dispute.{verb.value}": verb.label for verb in Verb}, **ACTIONS}
