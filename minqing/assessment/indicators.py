"""The indicators a scheme can weigh, each computed from live records (definitions: docs/assessment.md).

An indicator turns a period and a street into one Measure per subject (community code or staff user
id): the numerator and denominator it counted, the value, and a 0–100 score. Rates score as the rate
×100; counts that should be low (complaints) score 100 − 20 per complaint, floored at 0; hand scores
(上评下) are taken as entered. A subject with nothing to count gets no score (None): its total is
re-weighted over the indicators that have one, and the page says so.

Apps that hold the records register their indicators here (`register`) from their apps.ready(), so
this module never imports upward and a new source is one function.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minqing.core.dates import days_q
from minqing.dashboard.periods import Period
from minqing.dashboard.selectors import rates_for
from minqing.places.codes import community_code
from minqing.residents.models import Household, ResidentTag
from minqing.visits.coverage import coverage_by_cadre, coverage_by_grid
from minqing.visits.models import HelpRecord

from .models import Subject


@dataclass(frozen=True)
class Measure:
    numerator: float | None
    denominator: float | None
    value: float | None
    score: float | None


@dataclass(frozen=True)
class Context:
    actor: object
    street_code: str
    start: datetime.date
    end: datetime.date
    community_codes: tuple[str, ...]
    scheme_id: int | None = None

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, f"{self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}")


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    label: str
    definition: str
    subjects: tuple[str, ...]
    compute: Callable[[Context, str], dict[str, Measure]]  # (ctx, subject) → {subject key: Measure}
    drill: Callable[[Context, str, str], str] | None = None  # (ctx, subject, key) → URL of the records
    manual: bool = False
    sources: tuple[str, ...] = field(default_factory=tuple)


REGISTRY: dict[str, IndicatorDef] = {}


def register(definition: IndicatorDef) -> IndicatorDef:
    REGISTRY[definition.code] = definition
    return definition


def choices(subject: str | None = None) -> list[tuple[str, str]]:
    return [(d.code, d.label) for d in REGISTRY.values() if subject is None or subject in d.subjects]


def rate_measure(numerator: float, denominator: float) -> Measure:
    if not denominator:
        return Measure(numerator, denominator, None, None)
    value = numerator / denominator
    return Measure(numerator, denominator, value, round(value * 100, 2))


# --- demands (the dashboard's rates; definitions in docs/metrics.md) -------------------------------------

def _demand_rate(key: str, numerator: str, denominator: str):
    def compute(ctx: Context, subject: str) -> dict[str, Measure]:
        rows = rates_for(actor=ctx.actor, period=ctx.period, place_code=ctx.street_code,
                         group_by="place" if subject == Subject.COMMUNITY else "handler")
        found = {}
        for row in rows:
            if subject == Subject.COMMUNITY and row.key not in ctx.community_codes:
                continue
            if subject == Subject.STAFF and not row.key.isdigit():
                continue
            figures = row.figures
            top = figures.rate(key)
            found[row.key] = Measure(round(top * figures.count(denominator), 2) if top is not None else 0,
                                     figures.count(denominator), top, None if top is None else round(top * 100, 2))
        return found
    return compute


def _demand_drill(metric: str):
    def drill(ctx: Context, subject: str, key: str) -> str:
        query = {"metric": metric, "period": ctx.period.code, "place": ctx.street_code}
        if subject == Subject.COMMUNITY:
            query["place"] = key
        else:
            query["handler"] = key
        return f"{reverse('dashboard:demands')}?{urlencode(query)}"
    return drill


for code, label, numerator, denominator, text in (
    ("response_rate", _("诉求响应率"), "responded_in_time", "total",
     _("期内提交的诉求中按时响应的比例（见 docs/metrics.md）。")),
    ("resolution_rate", _("诉求解决率"), "solved", "judged",
     _("已答复且参与解决率计算的诉求中已解决的比例。")),
    ("satisfaction_rate", _("群众满意率"), "satisfied", "rated",
     _("居民评价的诉求中满意（基本满意按 0.8 计）的加权比例。")),
):
    register(IndicatorDef(code=code, label=label, definition=text, subjects=(Subject.COMMUNITY, Subject.STAFF),
                          compute=_demand_rate(code, numerator, denominator), drill=_demand_drill(denominator),
                          sources=("appeals",)))


# --- visits and help --------------------------------------------------------------------------------------

def _visit_coverage(ctx: Context, subject: str) -> dict[str, Measure]:
    if subject == Subject.COMMUNITY:
        sums: dict[str, list[int]] = {code: [0, 0] for code in ctx.community_codes}
        for grid in coverage_by_grid(actor=ctx.actor, start=ctx.start, end=ctx.end, within=ctx.street_code):
            if grid.grid is None:
                continue
            total = sums.setdefault(community_code(grid.grid.code), [0, 0])
            total[0] += grid.visited
            total[1] += grid.households
        return {code: rate_measure(v, h) for code, (v, h) in sums.items() if code in ctx.community_codes}
    return {str(row.cadre.pk): rate_measure(row.visited, row.households)
            for row in coverage_by_cadre(actor=ctx.actor, start=ctx.start, end=ctx.end, within=ctx.street_code)
            if row.households}


def _visit_drill(ctx: Context, subject: str, key: str) -> str:
    return f"{reverse('visits:coverage')}?{urlencode({'start': ctx.start, 'end': ctx.end})}"


register(IndicatorDef(
    code="visit_coverage", label=_("走访覆盖率"), subjects=(Subject.COMMUNITY, Subject.STAFF),
    definition=_("社区：期内至少走访一次的在册户 ÷ 在册户；工作人员：本人包户中期内本人走访过的户 ÷ 本人包户数。"),
    compute=_visit_coverage, drill=_visit_drill, sources=("visits",)))


def _help_coverage(ctx: Context, subject: str) -> dict[str, Measure]:
    tagged = ResidentTag.objects.current(ctx.end).filter(resident__household=OuterRef("pk"))
    helped = HelpRecord.objects.filter(household=OuterRef("pk"), given_on__gte=ctx.start, given_on__lte=ctx.end)
    households = (Household.objects.filter(place_code__startswith=ctx.street_code, is_active=True)
                  .filter(Exists(tagged)).annotate(helped=Exists(helped)).values_list("place_code", "helped"))
    sums: dict[str, list[int]] = {code: [0, 0] for code in ctx.community_codes}
    for place_code, was_helped in households:
        total = sums.get(community_code(place_code))
        if total is not None:
            total[0] += int(was_helped)
            total[1] += 1
    return {code: rate_measure(h, n) for code, (h, n) in sums.items()}


def _help_drill(ctx: Context, subject: str, key: str) -> str:
    return f"{reverse('visits:help_list')}?{urlencode({'place': key, 'start': ctx.start, 'end': ctx.end})}"


register(IndicatorDef(
    code="help_coverage", label=_("重点人群帮扶覆盖率"), subjects=(Subject.COMMUNITY,),
    definition=_("期末有关爱标签居民的在册户中，期内有帮扶记录的户所占比例。"),
    compute=_help_coverage, drill=_help_drill, sources=("visits",)))


# --- disputes and welfare -------------------------------------------------------------------------------

def _disputes_accepted(ctx: Context):
    from minqing.disputes.models import Dispute

    return (Dispute.objects.filter(days_q("accepted_at", ctx.start, ctx.end),
                                   place__code__startswith=ctx.street_code, accepted_at__isnull=False)
            .select_related("place"))


def _disputes_on_time(ctx: Context, subject: str) -> dict[str, Measure]:
    sums: dict[str, list[int]] = {code: [0, 0] for code in ctx.community_codes}
    for dispute in _disputes_accepted(ctx):
        total = sums.get(community_code(dispute.place.code))
        if total is not None:
            total[0] += int(bool(dispute.settled_within_a_month))
            total[1] += 1
    return {code: rate_measure(s, n) for code, (s, n) in sums.items()}


def _dispute_records(ctx: Context, subject: str, key: str):
    rows = [(d.title, d.place.name, d.get_status_display(), f"{d.accepted_at:%Y-%m-%d}",
             f"{d.settled_at:%Y-%m-%d}" if d.settled_at else "—", _("是") if d.settled_within_a_month else _("否"),
             reverse("disputes:detail", args=[d.pk]))
            for d in _disputes_accepted(ctx).filter(place__code__startswith=key)]
    return [_("纠纷"), _("发生地"), _("状态"), _("受理"), _("化解"), _("按期化解")], rows


register(IndicatorDef(
    code="disputes_on_time", label=_("纠纷按期化解率"), subjects=(Subject.COMMUNITY,),
    definition=_("期内受理的纠纷中，受理后 30 日内全部达成调解协议的比例（人民调解法实践口径）。"),
    compute=_disputes_on_time, sources=("disputes",)))


def _welfare_decided(ctx: Context):
    from minqing.welfare.models import Application

    return (Application.objects.filter(days_q("decided_at", ctx.start, ctx.end),
                                       place_code__startswith=ctx.street_code, decided_at__isnull=False)
            .select_related("programme", "household"))


def _welfare_in_time(ctx: Context, subject: str) -> dict[str, Measure]:
    from minqing.welfare.deadlines import within_legal_limits

    sums: dict[str, list[int]] = {code: [0, 0] for code in ctx.community_codes}
    for application in _welfare_decided(ctx):
        total = sums.get(community_code(application.place_code))
        if total is not None:
            total[0] += int(bool(within_legal_limits(application)))
            total[1] += 1
    return {code: rate_measure(s, n) for code, (s, n) in sums.items()}


def _welfare_records(ctx: Context, subject: str, key: str):
    from minqing.welfare.deadlines import within_legal_limits

    rows = [(a.reference, str(a.programme), str(a.household),
             f"{a.decided_at:%Y-%m-%d}", _("是") if within_legal_limits(a) else _("否"),
             reverse("welfare:detail", args=[a.pk]))
            for a in _welfare_decided(ctx).filter(place_code__startswith=key)]
    return [_("编号"), _("项目"), _("家庭"), _("决定日期"), _("在法定时限内")], rows


register(IndicatorDef(
    code="welfare_in_time", label=_("救助审核按时率"), subjects=(Subject.COMMUNITY,),
    definition=_("期内作出决定的救助申请中，入户核查（15 日）与上报（5 个工作日）均在时限内的比例。"),
    compute=_welfare_in_time, sources=("welfare",)))


def _help_records(ctx: Context, subject: str, key: str):
    rows = [(f"{h.given_on:%Y-%m-%d}", str(h.household), h.get_kind_display(), h.description, "")
            for h in HelpRecord.objects.filter(place_code__startswith=key, given_on__gte=ctx.start,
                                               given_on__lte=ctx.end).select_related("household", "household__building")[:500]]
    return [_("日期"), _("户"), _("帮扶方式"), _("内容")], rows


def _unvisited_records(ctx: Context, subject: str, key: str):
    from minqing.visits.models import Visit

    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__gte=ctx.start, visited_on__lte=ctx.end)
    households = (Household.objects.filter(place_code__startswith=key, is_active=True).filter(~Exists(visited))
                  .select_related("building")[:500])
    return [_("期内未走访的户"), _("户主")], [(str(h), "", reverse("residents:household", args=[h.pk]))
                                             for h in households]


# --- the street's own score --------------------------------------------------------------------------

def _top_down(ctx: Context, subject: str) -> dict[str, Measure]:
    from .models import TopDownScore

    scores = TopDownScore.objects.filter(scheme_id=ctx.scheme_id).select_related("place")
    found = {}
    for entry in scores:
        key = entry.place.code if subject == Subject.COMMUNITY and entry.place_id else str(entry.user_id)
        value = float(entry.score)
        found[key] = Measure(value, 100, value / 100, value)
    return found


register(IndicatorDef(
    code="top_down", label=_("上评下（街道评分）"), subjects=(Subject.COMMUNITY, Subject.STAFF),
    definition=_("街道按本期工作情况给出的 0–100 分，由街道在方案页录入。"), compute=_top_down, manual=True,
    sources=("assessment",)))

RECORDS = {
    "disputes_on_time": _dispute_records,
    "welfare_in_time": _welfare_records,
    "help_coverage": _help_records,
    "visit_coverage": _unvisited_records,
}


# --- meetings: opinions reported back (seed 001 "下次会议通报办理结果") -------------------------------------

def _meeting_opinions(ctx: Context, prefix: str):
    from minqing.meetings.models import Opinion

    return Opinion.objects.filter(days_q("meeting__starts_at", ctx.start, ctx.end),
                                  meeting__isnull=False, place_code__startswith=prefix)


def _reported_back(ctx: Context, subject: str) -> dict[str, Measure]:
    from minqing.meetings.selectors import opinion_figures

    found = {}
    for code in ctx.community_codes:
        figures = opinion_figures(_meeting_opinions(ctx, code))
        found[code] = rate_measure(figures["reported_back"], figures["due_report"])
    return found


def _opinion_records(ctx: Context, subject: str, key: str):
    from minqing.meetings.models import ReportBack

    opinions = (_meeting_opinions(ctx, key).select_related("meeting")
                .annotate(reported=Exists(ReportBack.objects.filter(opinion=OuterRef("pk"))))[:500])
    rows = [(f"{o.meeting.starts_at:%Y-%m-%d}", o.meeting.title, o.text[:60], o.get_status_display(),
             _("是") if o.reported else _("否"), reverse("meetings:detail", args=[o.meeting_id]))
            for o in opinions]
    return [_("会议日期"), _("会议"), _("意见"), _("状态"), _("已在下次会议通报")], rows


register(IndicatorDef(
    code="meetings_reported_back", label=_("会议意见反馈率"), subjects=(Subject.COMMUNITY,),
    definition=_("期内会议上提出的意见中，同一会议系列已召开下一次会议的，在下次会议上通报了办理情况的比例。"),
    compute=_reported_back, sources=("meetings",)))
RECORDS["meetings_reported_back"] = _opinion_records
