"""What the dispute services share: required fields, people who serve the place.

Moves go through core.transitions.transition with the DISPUTE table (models/disputes.py)."""
from django.utils.translation import gettext as _

from minqing.accounts.policy import can
from minqing.core.errors import ValidationError


def require(**values) -> None:
    """Refuse, field by field, any value that is empty."""
    missing = {name: [_("此项为必填项。")] for name, value in values.items() if value in (None, "", [], ())}
    if missing:
        raise ValidationError(fields=missing)


def ensure_serves(user, place_code: str, field: str) -> None:
    """A leader, staff member or mediator must work where the dispute is."""
    if user is None or not can(user, "dispute.view", place_code):
        raise ValidationError(fields={field: [_("所选人员不负责该地区的矛盾纠纷工作。")]})
