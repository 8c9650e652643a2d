"""The figures page 走访救助统计: coverage, help, applications, time to decision, legal limits.

Every number is computed here from the selectors (so it respects the actor's scope); the view only
renders. Charts are server-rendered SVG (minqing.disclosure.charts).
"""
from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.dates import days_q
from minqing.core.userdata import DataText
from minqing.disclosure.charts import bar_chart, column_chart, share_ring
from minqing.visits.coverage import coverage_by_grid, coverage_total, visited_by_month
from minqing.visits.models import HelpKind
from minqing.visits.selectors import help_list, help_totals_by_kind

from .deadlines import within_legal_limits
from .models import Status
from .selectors import application_list


@dataclass
class DecisionStats:
    decided: int
    median_days: float | None
    mean_days: float | None
    within_limits: int

    @property
    def within_share(self) -> float | None:
        return None if not self.decided else self.within_limits / self.decided


def decision_stats(applications) -> DecisionStats:
    decided = list(applications.filter(decided_at__isnull=False))
    days = [(a.decided_at - a.received_at).total_seconds() / 86400 for a in decided]
    return DecisionStats(
        decided=len(decided),
        median_days=round(statistics.median(days), 1) if days else None,
        mean_days=round(statistics.fmean(days), 1) if days else None,
        within_limits=sum(bool(within_legal_limits(a)) for a in decided))


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - datetime.timedelta(days=365)
    try:
        end = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, end


def figures_context(request) -> dict:
    actor = request.user
    start, end = _period(request)
    quarter_start = end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1)
    grids = coverage_by_grid(actor=actor, start=quarter_start, end=end)
    total = coverage_total(grids)
    monthly = visited_by_month(actor=actor, start=start, end=end)
    help_rows = help_totals_by_kind(help_list(actor=actor, start=start, end=end))
    kinds = dict(HelpKind.choices)
    applications = application_list(actor=actor).filter(days_q("received_at", start, end))
    by_state = dict(applications.order_by().values_list("status").annotate(n=Count("id")))
    by_programme = list(applications.order_by().values_list("programme__name").annotate(n=Count("id")).order_by("-n"))
    decisions = decision_stats(applications)
    return {
        "start": start, "end": end, "quarter_start": quarter_start, "grids": grids, "total": total,
        "monthly_chart": column_chart([(_("%(m)d月") % {"m": m.month}, n) for m, n in monthly],
                                      title=_("每月走访户数")),
        "coverage_chart": bar_chart([(DataText(g.grid.name) if g.grid else "—", round((g.share or 0) * 100, 1)) for g in grids],
                                    unit="%", max_value=100, title=_("走访覆盖率")),
        "help_rows": [{"kind": kinds.get(r["kind"], r["kind"]), "count": r["count"], "amount": r["amount"] or 0}
                      for r in help_rows],
        "help_chart": bar_chart([(kinds.get(r["kind"], r["kind"]), float(r["amount"] or 0)) for r in help_rows],
                                unit=_("元"), title=_("帮扶金额")),
        "state_rows": [(Status(s).label, by_state.get(s, 0)) for s in Status],
        "state_chart": bar_chart([(Status(s).label[:8], by_state.get(s, 0)) for s in Status], title=_("申请状态")),
        "programme_rows": by_programme,
        "decisions": decisions,
        "limits_ring": share_ring(decisions.within_share, title=_("法定时限内办结")),
    }
