"""Visits and help on the household page's timeline (the ledger's registry, see residents/timeline.py)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from minqing.core.userdata import data, with_data
from minqing.residents.timeline import TimelineEntry

from .selectors import help_list, visit_list


def visit_entries(*, actor, household, resident_ids):
    if household is None:
        return []
    entries = [TimelineEntry(when=v.visited_on, kind="visit", title=_("走访 · %(k)s") % {"k": v.get_kind_display()},
                             detail=data(v.notes[:120]), url=reverse("visits:detail", args=[v.pk]))
               for v in visit_list(actor=actor, household_id=household.pk)[:100]]
    entries += [TimelineEntry(when=r.given_on, kind="help", title=_("帮扶 · %(k)s") % {"k": r.get_kind_display()},
                              detail=with_data(_("%(what)s，%(amount)s元") if r.amount else "%(what)s",
                                               {"amount": r.amount}, what=r.description),
                              url=reverse("visits:household", args=[household.pk]))
                for r in help_list(actor=actor, household_id=household.pk)[:100]]
    return entries
