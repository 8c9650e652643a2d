"""Every write to visits, visit cycles and rounds, and help records."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can, is_global
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import TransitionNotAllowed, ValidationError

from . import demands
from .models import HelpKind, HelpRecord, NeedStatus, Visit, VisitCycle, VisitKind, VisitNeed, VisitRound



def _check_date(day: datetime.date | None, field: str) -> None:
    if day is None:
        raise ValidationError(fields={field: [_("请填写日期。")]})
    if day > timezone.localdate():
        raise ValidationError(fields={field: [_("日期不能晚于今天。")]})


@transaction.atomic
def visit_record(*, actor, household, visited_on: datetime.date, kind: str, visitors: list, notes: str = "",
                 met: str = "", needs: list[str] = (), round: VisitRound | None = None) -> Visit:
    """A visit at the door, with the needs found there (each can become a demand later in one step)."""
    ensure_can(actor, "visit.change", household.place_code)
    _check_date(visited_on, "visited_on")
    if kind not in VisitKind.values:
        raise ValidationError(fields={"kind": [_("请选择走访类型。")]})
    visitors = list({v.pk: v for v in visitors}.values()) or [actor]
    if round is not None and not (round.start_date <= visited_on <= round.end_date
                                  and household.place_code.startswith(round.place.code)):
        raise ValidationError(fields={"round": [_("走访日期或地点不在该次民情大走访的范围内。")]})
    visit = Visit.objects.create(household=household, place_code=household.place_code, visited_on=visited_on,
                                 kind=kind, notes=notes.strip(), met=met.strip(), round=round, recorded_by=actor)
    visit.visitors.set(visitors)
    texts = [t.strip() for t in needs if t and t.strip()]
    VisitNeed.objects.bulk_create([VisitNeed(visit=visit, text=t[:500]) for t in texts])
    audit_record(actor=actor, action="visit.record", obj=visit, changes={
        "household": str(household), "visited_on": visited_on, "kind": kind,
        "visitors": "、".join(str(v) for v in visitors), "needs": len(texts)})
    return visit


@transaction.atomic
def visit_need_add(*, actor, visit: Visit, text: str) -> VisitNeed:
    ensure_can(actor, "visit.change", visit.place_code)
    if not (text or "").strip():
        raise ValidationError(fields={"text": [_("请填写需求内容。")]})
    need = VisitNeed.objects.create(visit=visit, text=text.strip()[:500])
    audit_record(actor=actor, action="visit.need.add", obj=need, changes={"text": need.text})
    return need


@transaction.atomic
def visit_need_to_demand(*, actor, need: VisitNeed, category=None, expected_version: int | None = None) -> VisitNeed:
    """Turn a need into a demand 诉求 with channel 'found on a visit', through the demands app's service."""
    need = lock_for_change(VisitNeed.objects.select_related("visit__household"), pk=need.pk,
                           expected_version=expected_version)
    ensure_can(actor, "visit.change", need.visit.place_code)
    if need.status != NeedStatus.OPEN:
        raise TransitionNotAllowed(_("该需求已处理（%(s)s），不能重复转为诉求。") % {"s": need.get_status_display()})
    appeal = demands.submit_from_visit(actor=actor, need=need, category=category)
    need.status, need.appeal_id, need.appeal_label = NeedStatus.DEMAND, appeal.pk, demands.label(appeal)
    save_changed(need, ["status", "appeal_id", "appeal_label"])
    audit_record(actor=actor, action="visit.need.to_demand", obj=need,
                 changes={"status": [NeedStatus.OPEN, NeedStatus.DEMAND], "appeal": need.appeal_label})
    return need


@transaction.atomic
def visit_need_mark_solved(*, actor, need: VisitNeed, expected_version: int | None = None) -> VisitNeed:
    need = lock_for_change(VisitNeed.objects.select_related("visit"), pk=need.pk, expected_version=expected_version)
    ensure_can(actor, "visit.change", need.visit.place_code)
    if need.status != NeedStatus.OPEN:
        raise TransitionNotAllowed(_("该需求已处理，不能再标记。"))
    need.status = NeedStatus.SOLVED
    save_changed(need, ["status"])
    audit_record(actor=actor, action="visit.need.solve", obj=need, changes={"status": [NeedStatus.OPEN, NeedStatus.SOLVED]})
    return need


@transaction.atomic
def visit_cycle_set(*, actor, interval_days: int, community=None, tag=None, is_active: bool = True) -> VisitCycle:
    """Create or change the cycle for a kind of household (tag) in a community (or everywhere)."""
    if community is None:
        if not is_global(actor):
            ensure_can(actor, "visit.change", None)
    else:
        ensure_can(actor, "visit.change", community.code)
    if not interval_days or int(interval_days) < 1 or int(interval_days) > 366:
        raise ValidationError(fields={"interval_days": [_("周期须在 1 到 366 天之间。")]})
    cycle = VisitCycle.objects.filter(community=community, tag=tag).first()
    before = cycle.interval_days if cycle else None
    if cycle is None:
        cycle = VisitCycle.objects.create(community=community, tag=tag, interval_days=interval_days,
                                          is_active=is_active)
    else:
        cycle.interval_days, cycle.is_active = interval_days, is_active
        save_changed(cycle, ["interval_days", "is_active"])
    audit_record(actor=actor, action="visit.cycle.set", obj=cycle,
                 changes={"interval_days": [before, int(interval_days)], "is_active": is_active})
    return cycle


@transaction.atomic
def visit_round_create(*, actor, place, name: str, start_date: datetime.date, end_date: datetime.date,
                       leaders: list = (), notes: str = "") -> VisitRound:
    ensure_can(actor, "visit.change", place.code)
    if not (name or "").strip():
        raise ValidationError(fields={"name": [_("请填写名称。")]})
    if end_date < start_date:
        raise ValidationError(fields={"end_date": [_("结束日期不能早于开始日期。")]})
    visit_round = VisitRound.objects.create(place=place, name=name.strip(), start_date=start_date,
                                            end_date=end_date, notes=notes)
    visit_round.leaders.set(leaders)
    audit_record(actor=actor, action="visit.round.create", obj=visit_round,
                 changes={"name": visit_round.name, "start": start_date, "end": end_date})
    return visit_round


@transaction.atomic
def help_record_create(*, actor, household, kind: str, given_on: datetime.date, description: str,
                       amount: Decimal | None = None, source: str = "", resident=None,
                       visit: Visit | None = None) -> HelpRecord:
    ensure_can(actor, "visit.change", household.place_code)
    _check_date(given_on, "given_on")
    fields = {}
    if kind not in HelpKind.values:
        fields["kind"] = [_("请选择帮扶方式。")]
    if not (description or "").strip():
        fields["description"] = [_("请填写帮扶内容。")]
    if amount is not None and Decimal(amount) < 0:
        fields["amount"] = [_("金额不能为负数。")]
    if kind == HelpKind.MONEY and not amount:
        fields["amount"] = [_("资金帮扶请填写金额。")]
    if resident is not None and resident.household_id != household.pk:
        fields["resident"] = [_("受助人须为该户成员。")]
    if fields:
        raise ValidationError(fields=fields)
    record = HelpRecord.objects.create(household=household, resident=resident, place_code=household.place_code,
                                       kind=kind, given_on=given_on, description=description.strip(),
                                       amount=amount, source=source.strip(), given_by=actor, visit=visit)
    audit_record(actor=actor, action="help.record", obj=record,
                 changes={"kind": kind, "amount": amount, "given_on": given_on})
    return record
