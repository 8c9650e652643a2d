"""What the dispute services share: checking a move against TRANSITIONS and required fields."""
from django.utils.translation import gettext as _

from minqing.accounts.policy import can
from minqing.core.errors import TransitionNotAllowed, ValidationError

from ..models import Dispute, Status, Verb, transition_target


def move(dispute: Dispute, verb: str) -> tuple[str, str]:
    """The (from, to) of applying `verb` now, or TransitionNotAllowed naming the state and the verb."""
    target = transition_target(dispute.status, verb)
    if target is None:
        raise TransitionNotAllowed(_("纠纷当前状态为“%(state)s”，不能执行“%(verb)s”。") % {
            "state": Status(dispute.status).label, "verb": Verb(verb).label})
    return dispute.status, target


def require(**values) -> None:
    """Refuse, field by field, any value that is empty."""
    missing = {name: [_("此项为必填项。")] for name, value in values.items() if value in (None, "", [], ())}
    if missing:
        raise ValidationError(fields=missing)


def ensure_serves(user, place_code: str, field: str) -> None:
    """A leader, staff member or mediator must work where the dispute is."""
    if user is None or not can(user, "dispute.view", place_code):
        raise ValidationError(fields={field: [_("所选人员不负责该地区的矛盾纠纷工作。")]})


def shown(**values) -> dict:
    """Audit payload values as (—, value) pairs, the shape the audit trail renders as a change."""
    return {name: [None, value] for name, value in values.items()}
