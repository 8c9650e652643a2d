"""The ledger's panel on the home page: the figures of the actor's scope, and their own households."""
from .selectors import household_list, ledger_counts


def ledger_panel_context(request) -> dict:
    return {"counts": ledger_counts(actor=request.user),
            "my_households": household_list(actor=request.user, liaison_id=request.user.pk).count()}
