"""Reading the audit trail. The caller has already shown the actor may see the object itself."""
from minqing.accounts.policy import scope_q

from .models import AuditEntry


def audit_list_for_object(*, actor, obj, limit: int = 200):
    return AuditEntry.objects.for_object(obj).select_related("actor")[:limit]


def audit_list(*, actor, place_code: str | None = None, action: str | None = None):
    """The audit search for supervisors and admins, within their scope."""
    entries = AuditEntry.objects.filter(scope_q(actor, "audit.view", field="place_code"))
    if place_code:
        entries = entries.filter(place_code__startswith=place_code)
    if action:
        entries = entries.filter(action__startswith=action)
    return entries.select_related("actor")
