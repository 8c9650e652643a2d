"""Welfare applications and payments on the household page's timeline."""
from django.urls import reverse
from django.utils.translation import gettext as _

from minqing.accounts.policy import scope_q
from minqing.core.userdata import with_data
from minqing.residents.timeline import TimelineEntry
from minqing.visits.selectors import HistoryEntry

from .models import Disbursement
from .selectors import application_list


def welfare_entries(*, actor, household, resident_ids):
    if household is None:
        return []
    entries = []
    for application in application_list(actor=actor, household_id=household.pk).prefetch_related("disbursements"):
        url = reverse("welfare:detail", args=[application.pk])
        entries.append(TimelineEntry(when=application.received_at, kind="welfare",
                                     title=with_data(_("救助申请 · %(p)s"), p=application.programme.name),
                                     detail=application.get_status_display(), url=url))
        entries += [TimelineEntry(when=p.paid_on, kind="help", title=_("救助金发放"),
                                  detail=with_data(_("%(programme)s %(period)s %(amount)s元"),
                                                   {"period": f"{p.period:%Y-%m}", "amount": p.amount},
                                                   programme=application.programme.name), url=url)
                    for p in application.disbursements.all()]
    return entries


def welfare_payments_history(*, actor, household) -> list:
    """Welfare payments in a household's help history (visits.selectors.household_help_history)."""
    payments = Disbursement.objects.filter(scope_q(actor, "welfare.view", field="application__place_code"),
                                           application__household=household).select_related("application__programme")
    return [HistoryEntry(p.paid_on, _("救助金"), f"{p.application.programme.name} {p.period:%Y-%m}", p.amount)
            for p in payments]
