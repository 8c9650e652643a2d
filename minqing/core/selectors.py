"""Reading the audit trail. The caller has already shown the actor may see the object itself.
(The scoped audit search lives in accounts/audit_views.py: it needs the policy, which sits above core.)"""
from .models import AuditEntry


def audit_list_for_object(*, actor, obj, limit: int = 200):
    return AuditEntry.objects.for_object(obj).select_related("actor")[:limit]
