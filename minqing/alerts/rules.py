"""The early-warning rules. Each reads demands and disputes and yields triggers that explain themselves;
`warning_rules_run()` turns new triggers into alerts (idempotent: see services.alert_raise).

Demands come from the appeals app when it is installed; without it the demand rules find nothing.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.appeals.models import Appeal
from minqing.places.codes import building_code, community_code
from minqing.places.models import Place

from .models import LEVEL_RANK, Level, RuleCode
from .services import alert_raise
from .similarity import groups, similar_pairs
from .thresholds import RuleConfig, rule_configs


@dataclass
class Trigger:
    rule: str
    trigger_key: str
    subject_key: str
    level: str
    place_code: str
    title: str
    explanation: str
    evidence: dict = field(default_factory=dict)
    dispute: object = None
    owner: object = None  # None: the place's default owner (services.alert_owner_for)


def _raise_level(level: str, steps: int = 1) -> str:
    by_rank = {rank: lvl for lvl, rank in LEVEL_RANK.items()}
    return by_rank[min(4, LEVEL_RANK[level] + steps)]


def _appeal_model():
    return Appeal


def _reporter_key(appeal) -> str:
    """Who raised it: the ledger resident, else the phone, else the name given — distinct people, not demands."""
    if appeal.resident_id:
        return f"r{appeal.resident_id}"
    if appeal.phone_hash:
        return f"p{appeal.phone_hash}"
    return f"n{appeal.reporter_name or appeal.pk}"


# --- rule 1: many distinct residents on one matter in one community (or one building) within a window ---
def many_residents_rule(config: RuleConfig, now: datetime.datetime) -> Iterator[Trigger]:
    """A community's group of `min_residents` within `window_days`, else a building's group of
    `building_min_residents` within `building_window_days` (neighbours act together sooner)."""
    Appeal = _appeal_model()
    if Appeal is None:
        return
    params = config.params
    window, threshold = params["window_days"], params["similarity"]
    building_window = params["building_window_days"]
    since = now - datetime.timedelta(days=max(window, building_window))
    recent = list(Appeal.objects.filter(submitted_at__gte=since).exclude(status="rejected").exclude(kind="praise")
                  .only("id", "place_code", "resident_id", "phone_hash", "reporter_name", "title", "text", "matter_id",
                        "submitted_at").order_by("id"))
    community_since = now - datetime.timedelta(days=window)
    by_community: dict[str, list] = {}
    for appeal in recent:
        if appeal.submitted_at >= community_since:
            by_community.setdefault(community_code(appeal.place_code), []).append(appeal)
    covered: set[int] = set()
    for community, appeals in by_community.items():
        for members, people in _groups(appeals, threshold):
            if len(people) >= params["min_residents"]:
                covered.update(a.pk for a in members)
                yield _many_residents_trigger(config, community, members, people)
    yield from _building_groups(config, recent, now, covered)


def _groups(appeals: list, threshold: float) -> Iterator[tuple[list, set[str]]]:
    """The appeals on one matter (linked, same matter, or similar text) and the distinct people behind them."""
    index = {a.pk: i for i, a in enumerate(appeals)}
    matter_links = [(i, index[a.matter_id]) for i, a in enumerate(appeals) if a.matter_id in index]
    text_links = [(i, j) for i, j, _s in similar_pairs([f"{a.title} {a.text}" for a in appeals], threshold)]
    for group in groups(len(appeals), matter_links + _same_matter_roots(appeals) + text_links):
        members = [appeals[i] for i in group]
        yield members, {_reporter_key(a) for a in members}


def _building_groups(config: RuleConfig, recent: list, now, covered: set[int]) -> Iterator[Trigger]:
    params = config.params
    since = now - datetime.timedelta(days=params["building_window_days"])
    by_building: dict[str, list] = {}
    for appeal in recent:
        building = building_code(appeal.place_code)
        if building and appeal.submitted_at >= since:
            by_building.setdefault(building, []).append(appeal)
    names = dict(Place.objects.filter(code__in=list(by_building)).values_list("code", "name"))
    for building, appeals in by_building.items():
        for members, people in _groups(appeals, params["similarity"]):
            if len(people) >= params["building_min_residents"] and not {a.pk for a in members} <= covered:
                yield _many_residents_trigger(config, building, members, people, building_name=names.get(building))


def _same_matter_roots(appeals: list) -> list[tuple[int, int]]:
    """Appeals linked to the same matter whose root fell outside the window are still one matter."""
    first_by_matter: dict[int, int] = {}
    links = []
    for i, appeal in enumerate(appeals):
        if appeal.matter_id is None:
            continue
        if appeal.matter_id in first_by_matter:
            links.append((first_by_matter[appeal.matter_id], i))
        else:
            first_by_matter[appeal.matter_id] = i
    return links


def _many_residents_trigger(config, place_code, members, people, building_name=None) -> Trigger:
    first = members[0]
    linked = sum(1 for a in members if a.matter_id)
    matter = next((a.matter_id for a in members if a.matter_id), first.pk)
    params = config.params
    minimum = params["building_min_residents"] if building_name is not None else params["min_residents"]
    level = _raise_level(config.level) if len(people) >= 2 * minimum else config.level
    numbers = {"people": len(people), "count": len(members), "linked": linked, "sim": params["similarity"],
               "min": minimum, "title": first.title}
    if building_name is None:
        where = _("%(days)d天内，同一社区有 %(people)d 名不同居民反映同一事项") % {
            "days": params["window_days"], "people": len(people)}
        limit = _("阈值：%(min)d 名。") % numbers
    else:
        where = _("%(days)d天内，%(building)s有 %(people)d 名不同居民反映同一事项") % {
            "days": params["building_window_days"], "building": building_name, "people": len(people)}
        limit = _("阈值：同一楼栋 %(min)d 名。") % numbers
    explanation = (where + _("（%(count)d 件诉求：%(linked)d 件已关联为同一事项，其余按文本相似度≥%(sim).2f 归并）。")
                   % numbers + limit + _("代表性诉求：“%(title)s”。可能形成集体上访等群体性事件，请尽快研判、约谈、化解。")
                   % numbers)
    scope = "b" if building_name is not None else "c"
    return Trigger(
        rule=RuleCode.MANY_RESIDENTS, trigger_key=f"many:{scope}:{place_code}:{matter}",
        subject_key=f"matter:{matter}", level=level, place_code=place_code,
        title=_("多名居民反映同一事项：%(t)s") % {"t": first.title},
        explanation=explanation, evidence={"appeals": [a.pk for a in members], "residents": len(people)})


# --- rule 2: escalation keywords in demands and disputes ------------------------------------------------
def keywords_rule(config: RuleConfig, now: datetime.datetime) -> Iterator[Trigger]:
    keywords = [k for k in config.params["keywords"] if k]
    if not keywords:
        return
    since = now - datetime.timedelta(days=config.params["window_days"])
    Appeal = _appeal_model()
    if Appeal is not None:
        text_q = Q()
        for word in keywords:
            text_q |= Q(title__contains=word) | Q(text__contains=word)
        for appeal in Appeal.objects.filter(text_q, submitted_at__gte=since).exclude(status="rejected").only(
                "id", "place_code", "title", "text"):
            found = [w for w in keywords if w in appeal.title or w in appeal.text]
            yield _keyword_trigger(config, "appeal", appeal.pk, appeal.place_code, appeal.title, found)
    yield from _dispute_signs(config, keywords, since)


def _dispute_signs(config: RuleConfig, keywords: list[str], since) -> Iterator[Trigger]:
    """Open disputes whose text holds a keyword or whose recorded escalation signs are among the rule's."""
    from minqing.disputes.models import Dispute, EscalationSign

    labels = dict(EscalationSign.choices)
    watched = set(config.params.get("signs", []))
    for dispute in Dispute.objects.open().filter(updated_at__gte=since).select_related("place"):
        text = f"{dispute.title} {dispute.description} {dispute.risk_reasons}"
        found = [w for w in keywords if w in text]
        found += [str(labels[sign]) for sign in dispute.escalation_signs if sign in watched and sign in labels]
        if found:
            yield _keyword_trigger(config, "dispute", dispute.pk, dispute.place.code, dispute.title,
                                   list(dict.fromkeys(found)), dispute)


def _keyword_trigger(config, source: str, pk: int, place_code: str, title: str, found: list[str],
                     dispute=None) -> Trigger:
    level = _raise_level(config.level) if len(found) >= 2 else config.level
    what = _("诉求") if source == "appeal" else _("矛盾纠纷")
    return Trigger(
        rule=RuleCode.KEYWORDS, trigger_key=f"kw:{source}:{pk}:{'|'.join(sorted(found))}"[:120], subject_key=f"{source}:{pk}", level=level,
        place_code=place_code, title=_("%(what)s出现激化苗头：%(t)s") % {"what": what, "t": title},
        explanation=_("%(what)s“%(t)s”中出现激化关键词或苗头：%(words)s。%(more)s请核实是否有集体行动、越级上访或极端苗头，"
                      "及时稳控。") % {"what": what, "t": title, "words": "、".join(found),
                                     "more": _("同时出现多个关键词，预警级别上调一级。") if len(found) >= 2 else ""},
        evidence={f"{source}s": [pk], "keywords": found}, dispute=dispute)


# --- rule 3: a serious or major dispute past its deadline ----------------------------------------------
def dispute_overdue_rule(config: RuleConfig, now: datetime.datetime) -> Iterator[Trigger]:
    from minqing.disputes.models import Dispute, RiskLevel

    today = timezone.localdate(now)
    overdue = (Dispute.objects.overdue(today).filter(risk_level__in=config.params["risk_levels"])
               .select_related("place", "leader", "staff"))
    for dispute in overdue:
        days = (today - dispute.deadline).days
        level = Level.RED if dispute.risk_level == RiskLevel.MAJOR else config.level
        yield Trigger(
            rule=RuleCode.DISPUTE_OVERDUE, trigger_key=f"overdue:{dispute.pk}:{dispute.deadline.isoformat()}",
            subject_key=f"dispute:{dispute.pk}", level=level, place_code=dispute.place.code,
            title=_("%(risk)s风险纠纷逾期：%(t)s") % {"risk": dispute.get_risk_level_display(), "t": dispute.title},
            explanation=_("纠纷 %(n)s 风险等级为“%(risk)s”，化解时限 %(d)s 已过 %(days)d 天，仍为“%(state)s”。"
                          "责任领导：%(leader)s；责任人员：%(staff)s。请督办落实“四包”责任。") % {
                "n": dispute.number, "risk": dispute.get_risk_level_display(), "d": dispute.deadline.isoformat(),
                "days": days, "state": dispute.get_status_display(), "leader": dispute.leader or "—",
                "staff": dispute.staff or "—"},
            evidence={"disputes": [dispute.pk], "days_overdue": days}, dispute=dispute)


# --- rule 4: a matter reopened repeatedly --------------------------------------------------------------
def reopened_rule(config: RuleConfig, now: datetime.datetime) -> Iterator[Trigger]:
    minimum = config.params["min_reopens"]
    since = now - datetime.timedelta(days=config.params["lookback_days"])
    Appeal = _appeal_model()
    if Appeal is not None:
        candidates = (Appeal.objects.filter(submitted_at__gte=since).exclude(status__in=("rejected", "merged"))
                      .annotate(recurrence_total=Count("recurrences"))
                      .only("id", "place_code", "title", "reopen_count"))
        for appeal in candidates:
            times = appeal.reopen_count + appeal.recurrence_total
            if times >= minimum:
                yield _reopened_trigger(config, "appeal", appeal.pk, appeal.place_code, appeal.title, times,
                                        appeal.reopen_count, appeal.recurrence_total)
    from minqing.disputes.models import Dispute

    for dispute in Dispute.objects.filter(reopen_count__gte=minimum, updated_at__gte=since).select_related("place"):
        yield _reopened_trigger(config, "dispute", dispute.pk, dispute.place.code, dispute.title,
                                dispute.reopen_count, dispute.reopen_count, 0, dispute)


def _reopened_trigger(config, source, pk, place_code, title, times, reopens, recurrences, dispute=None) -> Trigger:
    what = _("诉求") if source == "appeal" else _("矛盾纠纷")
    return Trigger(
        rule=RuleCode.REOPENED, trigger_key=f"reopen:{source}:{pk}:{times}", subject_key=f"{source}:{pk}",
        level=config.level, place_code=place_code, title=_("同一事项反复：%(t)s") % {"t": title},
        explanation=_("%(what)s“%(t)s”已重办/复发 %(times)d 次（重办 %(r)d 次，复发 %(c)d 次；阈值 %(min)d 次）。"
                      "群众不满意在累积，请领导包案、查明症结。") % {
            "what": what, "t": title, "times": times, "r": reopens, "c": recurrences,
            "min": config.params["min_reopens"]},
        evidence={f"{source}s": [pk], "times": times}, dispute=dispute)


# --- rule 5: a care-tagged resident with repeated unsolved demands -------------------------------------
def care_repeated_rule(config: RuleConfig, now: datetime.datetime) -> Iterator[Trigger]:
    Appeal = _appeal_model()
    if Appeal is None:
        return
    from minqing.residents.models import ResidentTag

    since = now - datetime.timedelta(days=config.params["window_days"])
    stale = now - datetime.timedelta(days=config.params["min_age_days"])
    unsolved = (Q(status__in=("submitted", "accepted", "dispatched", "in_progress", "returned", "reopened"),
                  submitted_at__lt=stale)
                | Q(outcome__in=("partly", "pending")) | Q(satisfaction="dissatisfied") | Q(reopen_count__gt=0))
    tagged = ResidentTag.objects.current(timezone.localdate(now)).values("resident_id")
    rows = (Appeal.objects.filter(unsolved, resident_id__in=tagged, submitted_at__gte=since)
            .exclude(status__in=("rejected", "merged")).select_related("resident__household__liaison")
            .order_by("resident_id", "id"))
    by_resident: dict[int, list] = {}
    for appeal in rows:
        by_resident.setdefault(appeal.resident_id, []).append(appeal)
    tags = _current_tag_names([rid for rid, items in by_resident.items()
                               if len(items) >= config.params["min_unsolved"]], now)
    for resident_id, items in by_resident.items():
        if len(items) < config.params["min_unsolved"]:
            continue
        resident = items[0].resident
        liaison = resident.household.liaison if resident.household_id else None
        yield Trigger(
            rule=RuleCode.CARE_REPEATED, trigger_key=f"care:{resident_id}:{items[-1].pk}",
            subject_key=f"resident:{resident_id}", level=config.level, place_code=resident.place_code,
            title=_("重点关爱对象诉求反复未解决：%(n)s") % {"n": resident.name},
            explanation=_("居民%(n)s（%(tags)s）%(days)d天内有 %(k)d 件诉求未解决或不满意（阈值 %(min)d 件）："
                          "%(titles)s。请安排包户干部（%(liaison)s）上门走访、当面解决。") % {
                "n": resident.name, "tags": "、".join(tags.get(resident_id, [])), "days": config.params["window_days"],
                "k": len(items), "min": config.params["min_unsolved"], "liaison": liaison or _("未落实"),
                "titles": "；".join(f"“{a.title}”" for a in items[:5])},
            evidence={"appeals": [a.pk for a in items], "resident": resident_id},
            owner=liaison)


def _current_tag_names(resident_ids: list[int], now) -> dict[int, list[str]]:
    from minqing.residents.models import ResidentTag

    names: dict[int, list[str]] = {}
    for rid, name in (ResidentTag.objects.current(timezone.localdate(now)).filter(resident_id__in=resident_ids)
                      .values_list("resident_id", "tag__name")):
        names.setdefault(rid, []).append(name)
    return names


RULES = {
    RuleCode.MANY_RESIDENTS: many_residents_rule,
    RuleCode.KEYWORDS: keywords_rule,
    RuleCode.DISPUTE_OVERDUE: dispute_overdue_rule,
    RuleCode.REOPENED: reopened_rule,
    RuleCode.CARE_REPEATED: care_repeated_rule,
}


def _place_for(code: str, cache: dict) -> Place | None:
    if code not in cache:
        cache[code] = Place.objects.filter(code=code).first() or Place.objects.ancestors_of(code).order_by(
            "-depth").first()
    return cache[code]


def warning_rules_run(now: datetime.datetime | None = None, *, only: list[str] | None = None) -> dict[str, int]:
    """Evaluate every enabled rule and raise the alerts that are new; {rule: alerts raised}. Safe to repeat."""
    now = now or timezone.now()
    raised: dict[str, int] = {}
    places: dict[str, Place | None] = {}
    for code, config in rule_configs().items():
        if not config.enabled or (only and code not in only):
            continue
        raised[code] = 0
        for trigger in RULES[code](config, now):
            place = _place_for(trigger.place_code, places)
            if place is None:
                continue
            alert = alert_raise(rule=trigger.rule, trigger_key=trigger.trigger_key, subject_key=trigger.subject_key,
                                level=trigger.level, place=place, title=trigger.title,
                                explanation=trigger.explanation, evidence=trigger.evidence,
                                dispute=trigger.dispute, owner=trigger.owner, now=now)
            raised[code] += alert is not None
    return raised


def warning_rules_job(now: datetime.datetime) -> str:
    """The scheduler's entry (minqing.jobs): a one-line summary of what was raised."""
    raised = warning_rules_run(now)
    return "raised " + ", ".join(f"{code}={n}" for code, n in raised.items())
