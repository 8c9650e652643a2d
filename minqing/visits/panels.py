"""The visits panel on the home page: how many households are overdue or due soon for the actor."""
from django.utils import timezone

from .plans import due_list


def due_panel_context(request) -> dict:
    rows = due_list(actor=request.user, today=timezone.localdate())
    return {"overdue": sum(r.state == "overdue" for r in rows), "soon": sum(r.state == "soon" for r in rows)}
