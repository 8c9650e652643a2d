"""The rates of the demands loop: the single implementation (definitions in docs/metrics.md).

Everything is expressed over the demands of a *cohort*: those submitted in the period (Beijing
time). A counter is a condition on one Appeal row (COUNTERS); the rollup rows store the counters
and two duration histograms per day, and every rate and median is computed here from summed
counters — by the rollup reader, by the raw recount and by the reports alike, so they cannot drift.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext, gettext_lazy as _

from minqing.appeals.models import Outcome, Satisfaction, Status

NOT_MERGED = ~Q(status=Status.MERGED)
STANDING_REPLY = (Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED)  # a reply nobody has reopened
# A solution stands only while the matter has not come back: a later demand linked as its recurrence
# (复发) counts against the first demand's resolution (docs/metrics.md).
# (Raw SQL because this module is imported while the models load, before a queryset can be built; the
# outer table is never aliased in the demand queries that use the counters.)
RECURRED = Q(RawSQL("EXISTS (SELECT 1 FROM appeals_appeal recurrence WHERE recurrence.recurrence_of_id = "
                    "appeals_appeal.id AND recurrence.status <> %s)", [Status.MERGED.value],
                    output_field=BooleanField()))
SOLVED = Q(outcome=Outcome.SOLVED, status__in=STANDING_REPLY) & ~RECURRED
REPLIED = NOT_MERGED & Q(replied_at__isnull=False)
DISPATCHED = NOT_MERGED & Q(dispatched_at__isnull=False)
RESPONDED_IN_TIME = NOT_MERGED & Q(first_response_at__isnull=False) & (
    Q(response_deadline__isnull=True) | Q(first_response_at__lte=F("response_deadline")))

# The counters stored in every rollup row: name → condition on an Appeal row of the cohort.
COUNTERS: dict[str, Q] = {
    "total": NOT_MERGED,
    "merged": Q(status=Status.MERGED),
    "rejected": Q(status=Status.REJECTED),
    "responded": NOT_MERGED & Q(first_response_at__isnull=False),
    "responded_in_time": RESPONDED_IN_TIME,
    "dispatched": DISPATCHED,
    "overdue": DISPATCHED & Q(is_overdue=True),
    "returned": DISPATCHED & Q(return_count__gt=0),
    "replied": REPLIED,
    "unreasonable": REPLIED & Q(outcome=Outcome.UNREASONABLE),
    "solved": REPLIED & SOLVED,
    "reopened": REPLIED & Q(reopen_count__gt=0),
    "satisfied": NOT_MERGED & Q(satisfaction=Satisfaction.SATISFIED),
    "basic": NOT_MERGED & Q(satisfaction=Satisfaction.BASIC),
    "dissatisfied": NOT_MERGED & Q(satisfaction=Satisfaction.DISSATISFIED),
    "not_rated": NOT_MERGED & Q(satisfaction=Satisfaction.NOT_RATED),
    "closed": Q(status=Status.CLOSED),
    "recurrence": NOT_MERGED & Q(recurrence_of__isnull=False),
}

# Demands behind the numbers that are not stored counters (denominators and shortfalls), for drill-down.
DERIVED: dict[str, Q] = {
    "handled": NOT_MERGED & ~Q(status=Status.REJECTED),
    "judged": REPLIED & ~Q(outcome=Outcome.UNREASONABLE),
    "rated": NOT_MERGED & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC,
                                               Satisfaction.DISSATISFIED]),
    "response_missed": NOT_MERGED & ~RESPONDED_IN_TIME,
    "unsolved": REPLIED & ~Q(outcome=Outcome.UNREASONABLE) & ~SOLVED,
    "unanswered": NOT_MERGED & Q(first_response_at__isnull=True),
    "open": Q(status__in=[s for s in Status.values if s not in (Status.REJECTED, Status.CLOSED, Status.MERGED)]),
}
DRILLS: dict[str, Q] = {**COUNTERS, **DERIVED}

# --- durations: histograms with fixed buckets (hours) ---------------------------------------------------
# Bucket i holds durations in [EDGES[i], EDGES[i+1]); the last bucket is open-ended (30 days or more).
# Width: 1-12 h below one day, 1 day up to 10 days, then 5 or 10 days. A median is read from the
# histogram by linear interpolation inside its bucket (docs/metrics.md).
EDGES_HOURS = (0, 1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 144, 168, 192, 216, 240, 360, 480, 720)
HISTOGRAMS = {
    # prefix → (end timestamp, which demands)
    "rt": ("first_response_at", NOT_MERGED & Q(first_response_at__isnull=False)),
    "ct": ("closed_at", Q(status=Status.CLOSED, closed_at__isnull=False)),
}


def bucket_fields(prefix: str) -> list[str]:
    return [f"{prefix}_{i:02d}" for i in range(len(EDGES_HOURS))]


STORED_FIELDS = [*COUNTERS, *bucket_fields("rt"), *bucket_fields("ct")]


def _bucket_q(end_field: str, base: Q, i: int) -> Q:
    condition = base
    if i > 0:  # bucket 0 also takes the (clock-skew) negative durations
        condition &= Q(**{f"{end_field}__gte": F("submitted_at") + datetime.timedelta(hours=EDGES_HOURS[i])})
    if i + 1 < len(EDGES_HOURS):
        condition &= Q(**{f"{end_field}__lt": F("submitted_at") + datetime.timedelta(hours=EDGES_HOURS[i + 1])})
    return condition


def aggregates(only: tuple[str, ...] | None = None) -> dict:
    """Count(filter=…) for every stored field: one pass over the demands computes a whole rollup row.
    `only`: just these counters, no histograms (a panel that shows a few rates need not count 56 things)."""
    if only is not None:
        return {name: Count("pk", filter=COUNTERS[name]) for name in only}
    exprs = {name: Count("pk", filter=q) for name, q in COUNTERS.items()}
    for prefix, (end_field, base) in HISTOGRAMS.items():
        for i, name in enumerate(bucket_fields(prefix)):
            exprs[name] = Count("pk", filter=_bucket_q(end_field, base, i))
    return exprs


def bucket_of(hours: float) -> int:
    """The bucket a duration falls in (for tests and data checks)."""
    index = 0
    for i, edge in enumerate(EDGES_HOURS):
        if hours >= edge:
            index = i
    return index


def median_hours(histogram: list[int]) -> float | None:
    """Grouped median: L + (n/2 − F) / f × w, in the bucket where the cumulative count reaches n/2.
    In the open-ended last bucket the answer is its lower edge (30 days: "at least")."""
    n = sum(histogram)
    if not n:
        return None
    half, below = n / 2, 0
    for i, count in enumerate(histogram):
        if count and below + count >= half:
            low = EDGES_HOURS[i]
            if i + 1 == len(EDGES_HOURS):
                return float(low)
            return low + (half - below) / count * (EDGES_HOURS[i + 1] - low)
        below += count
    return None  # pragma: no cover


def basic_weight() -> float:
    """How much a "basically satisfied" counts in the satisfaction rate (1 = like satisfied, 0 = not at all)."""
    return float(getattr(settings, "MINQING_SATISFACTION_BASIC_WEIGHT", 0.8))


# --- the rates -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateDef:
    key: str
    label: str
    numerator: str  # a drill name (COUNTERS or DERIVED)
    denominator: str
    shortfall: str  # the demands that keep the rate from being perfect
    higher_is_better: bool = True


RATE_DEFS = (
    RateDef("response_rate", _("响应率"), "responded_in_time", "total", "response_missed"),
    RateDef("resolution_rate", _("解决率"), "solved", "judged", "unsolved"),
    RateDef("satisfaction_rate", _("满意率"), "satisfied", "rated", "dissatisfied"),
    RateDef("closure_rate", _("办结率"), "closed", "handled", "open"),
    RateDef("overdue_rate", _("超期率"), "overdue", "dispatched", "overdue", higher_is_better=False),
    RateDef("return_rate", _("退单率"), "returned", "dispatched", "returned", higher_is_better=False),
    RateDef("reopen_rate", _("重办率"), "reopened", "replied", "reopened", higher_is_better=False),
    RateDef("recurrence_rate", _("复发率"), "recurrence", "total", "recurrence", higher_is_better=False),
)
RATES = {r.key: r for r in RATE_DEFS}
# The stored counters behind the total and the first four rates (numerators, denominators and what the
# derived denominators are summed from), for the home panel (issue 19).
HEADLINE_RATES = RATE_DEFS[:4]
HEADLINE_COUNTERS = ("total", "responded_in_time", "solved", "replied", "unreasonable", "satisfied", "basic",
                     "dissatisfied", "closed", "rejected")
DRILL_LABELS = {
    "total": _("诉求量"), "merged": _("已合并"), "rejected": _("不予受理"), "responded": _("已响应"),
    "responded_in_time": _("按时响应"), "dispatched": _("已派单"), "overdue": _("超期"), "returned": _("被退单"),
    "replied": _("已答复"), "unreasonable": _("不合理已解释"), "solved": _("已解决"), "reopened": _("重办"),
    "satisfied": _("满意"), "basic": _("基本满意"), "dissatisfied": _("不满意"), "not_rated": _("未评价"),
    "closed": _("已办结"), "recurrence": _("复发"), "handled": _("受理办理"), "judged": _("参与解决率"),
    "rated": _("已评价"), "response_missed": _("未按时响应"), "unsolved": _("未解决"), "unanswered": _("待响应"),
    "open": _("未办结"),
}


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Figures:
    """Summed counters and histograms of a set of demands, and every rate computed from them."""

    counts: dict[str, int]

    @classmethod
    def empty(cls) -> Figures:
        return cls({name: 0 for name in STORED_FIELDS})

    @classmethod
    def of(cls, row: dict) -> Figures:
        return cls({name: int(row.get(name) or 0) for name in STORED_FIELDS})

    def __add__(self, other: Figures) -> Figures:
        return Figures({name: self.counts[name] + other.counts[name] for name in STORED_FIELDS})

    def __getitem__(self, name: str) -> int:
        return self.count(name)

    def __post_init__(self):
        c = self.counts
        object.__setattr__(self, "derived", {
            "handled": c["total"] - c["rejected"], "judged": c["replied"] - c["unreasonable"],
            "rated": c["satisfied"] + c["basic"] + c["dissatisfied"],
            "response_missed": c["total"] - c["responded_in_time"],
            "unsolved": c["replied"] - c["unreasonable"] - c["solved"],
            "unanswered": c["total"] - c["responded"],
            "open": c["total"] - c["rejected"] - c["closed"]})

    def count(self, name: str) -> int:
        """A stored counter, or one derived from them (the DERIVED conditions, as sums)."""
        return self.derived[name] if name in self.derived else self.counts[name]

    def numerator(self, key: str) -> float | int:
        """What a rate divides: a count, except the satisfaction rate's weighted 满意 + w × 基本满意."""
        if key == "satisfaction_rate":
            return self.counts["satisfied"] + basic_weight() * self.counts["basic"]
        return self.count(RATES[key].numerator)

    def rate(self, key: str) -> float | None:
        return _ratio(self.numerator(key), self.count(RATES[key].denominator))

    def histogram(self, prefix: str) -> list[int]:
        return [self.counts[name] for name in bucket_fields(prefix)]

    @property
    def median_response_hours(self) -> float | None:
        return median_hours(self.histogram("rt"))

    @property
    def median_close_hours(self) -> float | None:
        return median_hours(self.histogram("ct"))

    def as_dict(self) -> dict:
        """Plain numbers for the API and the reports."""
        return {"counts": {name: self.count(name) for name in [*COUNTERS, *DERIVED]},
                "rates": {key: self.rate(key) for key in RATES},
                "median_response_hours": self.median_response_hours,
                "median_close_hours": self.median_close_hours,
                "satisfaction_basic_weight": basic_weight()}


def format_number(value: float | int) -> str:
    """A count, or a weighted count to two decimals at most: 6.4, 36.2, 7."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def format_rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def format_hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 48:
        return gettext("%(h).1f 小时") % {"h": value}
    return gettext("%(d).1f 天") % {"d": value / 24}
