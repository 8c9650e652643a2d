"""Dispute figures per place and period, for the statistics page and the dashboard.

Definitions (documented here, next to the code that computes them):
- reported: disputes registered in the period (created_at within it).
- settlement rate 调解成功率: of the disputes accepted in the period, the share with a full agreement
  reached and not broken (settled_at set; a breached agreement clears it when mediation re-opens).
- settled within a month: of those settled, the share settled within 30 days of acceptance
  (People's Mediation Law practice: a case is normally concluded within a month).
- screening coverage 排查覆盖率: rounds filed ÷ (grids × weeks in the period), weekly rounds.
- alerts handled in time: of the alerts raised in the period that are decided — handled, or past their
  due time unhandled — the share handled before the due time (24/48/72/168 hours by level, see
  alerts.models.HANDLE_WITHIN_HOURS). An alert still inside its window counts neither way.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from minqing.accounts.policy import scope_q
from minqing.places.models import Place

from .models import SETTLE_WITHIN_DAYS, Agreement, Dispute, Kind, Period, RiskLevel, ScreeningRound, Status
from .selectors import grids_in_scope


@dataclass
class DisputeFigures:
    start: datetime.date
    end: datetime.date
    reported: int = 0
    accepted: int = 0
    settled: int = 0
    settled_within_month: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_risk: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    grids: int = 0
    weeks: int = 0
    rounds_filed: int = 0
    rounds_nothing_found: int = 0
    alerts_raised: int = 0
    alerts_handled: int = 0
    alerts_handled_in_time: int = 0
    alerts_decided: int = 0
    by_place: list[dict] = field(default_factory=list)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def settlement_rate(self):
        return self._share(self.settled, self.accepted)

    @property
    def within_month_rate(self):
        return self._share(self.settled_within_month, self.settled)

    @property
    def screening_coverage(self):
        return self._share(self.rounds_filed, self.grids * self.weeks)

    @property
    def alerts_in_time_rate(self):
        return self._share(self.alerts_handled_in_time, self.alerts_decided)


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def _counts(disputes, name: str, choices) -> list[tuple[str, int]]:
    found = dict(disputes.order_by().values_list(name).annotate(n=Count("id")))
    return [(str(label), found.get(value, 0)) for value, label in choices]


def dispute_figures(*, actor, start: datetime.date, end: datetime.date,
                    place_code: str | None = None) -> DisputeFigures:
    low, high = _bounds(start, end)
    figures = DisputeFigures(start=start, end=end)
    disputes = Dispute.objects.filter(scope_q(actor, "dispute.view"), created_at__gte=low, created_at__lt=high)
    if place_code:
        disputes = disputes.filter(place__code__startswith=place_code)
    figures.reported = disputes.count()
    figures.by_kind = _counts(disputes, "kind", Kind.choices)
    figures.by_risk = _counts(disputes, "risk_level", RiskLevel.choices)
    figures.by_status = _counts(disputes, "status", Status.choices)
    _settlement(figures, disputes)
    _screening(figures, actor, place_code)
    _alerts(figures, actor, place_code, low, high)
    figures.by_place = _by_place(disputes, place_code)
    return figures


def settlement_querysets(*, actor, days: int = 90) -> dict[str, QuerySet]:
    """The settlement figures of the last `days` as querysets ("accepted", "settled", "within"; as _settlement
    counts them): for the home panel, which counts them with the page's other counts
    (accounts.navigation.kept_counts) instead of in a statement of its own."""
    low, high = _bounds(*last_days(days))
    accepted = Dispute.objects.filter(scope_q(actor, "dispute.view"), created_at__gte=low, created_at__lt=high,
                                      accepted_at__isnull=False)
    return {"accepted": accepted, "settled": accepted.filter(_settled()),
            "within": accepted.filter(_settled() & _settled_within())}


def last_days(days: int) -> tuple[datetime.date, datetime.date]:
    """(first, last) of the `days` days ending today."""
    end = timezone.localdate()
    return end - datetime.timedelta(days=days - 1), end


def _settled() -> Q:
    """Settled in full: an agreement covering the whole dispute, and the settlement recorded."""
    return Q(Exists(Agreement.objects.filter(dispute=OuterRef("pk"), scope=Agreement.Scope.FULL)),
             settled_at__isnull=False)


def _settled_within() -> Q:
    return Q(settled_at__lte=F("accepted_at") + datetime.timedelta(days=SETTLE_WITHIN_DAYS))


def _settlement(figures: DisputeFigures, disputes) -> None:
    """Accepted, settled in full, and settled within SETTLE_WITHIN_DAYS of acceptance: one query (the home panel
    counts the same conditions through settlement_querysets)."""
    settled = _settled()
    totals = disputes.filter(accepted_at__isnull=False).aggregate(
        accepted=Count("pk"), settled=Count("pk", filter=settled),
        within=Count("pk", filter=settled & _settled_within()))
    figures.accepted, figures.settled, figures.settled_within_month = (
        totals["accepted"], totals["settled"], totals["within"])


def _screening(figures: DisputeFigures, actor, place_code: str | None) -> None:
    grids = grids_in_scope(actor=actor)
    if place_code:
        grids = grids.filter(code__startswith=place_code)
    first_monday = figures.start - datetime.timedelta(days=figures.start.weekday())
    last_monday = min(figures.end, timezone.localdate()) - datetime.timedelta(
        days=min(figures.end, timezone.localdate()).weekday())
    figures.weeks = max(0, (last_monday - first_monday).days // 7 + 1)
    figures.grids = grids.count()
    rounds = ScreeningRound.objects.filter(grid__in=grids, period=Period.WEEK, period_start__gte=first_monday,
                                           period_start__lte=last_monday)
    figures.rounds_filed = rounds.count()
    figures.rounds_nothing_found = rounds.filter(found_nothing=True).count()


# Figures other apps add to the page (early warning fills the alert counts: alerts.apps registers it),
# so disputes, below alerts, does not import it.
FIGURE_SOURCES: list[Callable] = []


def register_figure_source(func: Callable) -> Callable:
    """`func(figures, actor, place_code, low, high)` sets its fields on DisputeFigures."""
    if func not in FIGURE_SOURCES:
        FIGURE_SOURCES.append(func)
    return func


def _alerts(figures: DisputeFigures, actor, place_code: str | None, low, high) -> None:
    for source in FIGURE_SOURCES:
        source(figures, actor, place_code, low, high)


def _by_place(disputes, place_code: str | None) -> list[dict]:
    """One row per community (or per grid, when a community is chosen)."""
    length = 15 if place_code and len(place_code) >= 12 else 12
    rows: dict[str, dict] = {}
    full = Agreement.objects.filter(dispute=OuterRef("pk"), scope=Agreement.Scope.FULL)
    for code, status, settled in (disputes.annotate(full=Exists(full))
                                  .values_list("place__code", "status", "full")):
        row = rows.setdefault(code[:length], {"code": code[:length], "total": 0, "open": 0, "settled": 0})
        row["total"] += 1
        row["open"] += status in ("reported", "accepted", "mediating", "partial", "failed")
        row["settled"] += bool(settled)
    names = dict(Place.objects.filter(code__in=rows).values_list("code", "name"))
    return [{**row, "name": names.get(code, code)} for code, row in sorted(rows.items())]
