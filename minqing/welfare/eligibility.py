"""The eligibility rule engine: a programme's rules, evaluated against a household's facts.

Pure functions over plain data, so every rule is tested without a database. Facts come from the
ledger (living members, their current care tags) plus the declared or verified monthly income.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AmountMode, RuleKind

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Facts:
    household_size: int
    monthly_income: Decimal
    tags: frozenset[str] = field(default_factory=frozenset)  # CareTag codes held by any living member

    @property
    def income_per_capita(self) -> Decimal:
        if self.household_size <= 0:
            return self.monthly_income
        return (Decimal(self.monthly_income) / self.household_size).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class RuleSpec:
    """One rule as plain data: kind, numeric value or tag code, tag name for messages."""

    kind: str
    value: Decimal | None = None
    tag_code: str = ""
    tag_name: str = ""


# Each rule's line, kept as a template with its figures (`args`) so a page shows it in the reader's
# language, not in the language of whoever happened to evaluate it.
MESSAGES = {
    RuleKind.MAX_INCOME_PER_CAPITA: gettext_lazy("人均月收入 %(have)s 元，标准为不高于 %(limit)s 元"),
    RuleKind.MIN_HOUSEHOLD_SIZE: gettext_lazy("家庭人口 %(have)s 人，须不少于 %(limit)s 人"),
    RuleKind.MAX_HOUSEHOLD_SIZE: gettext_lazy("家庭人口 %(have)s 人，须不多于 %(limit)s 人"),
    RuleKind.REQUIRES_TAG: gettext_lazy("家庭成员须为“%(tag)s”"),
    RuleKind.EXCLUDES_TAG: gettext_lazy("家庭成员不得为“%(tag)s”"),
}


@dataclass(frozen=True)
class RuleResult:
    kind: str
    passed: bool
    message: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[str]:
        return [r.message for r in self.results if not r.passed]

    def as_dict(self) -> dict:
        return {"eligible": self.eligible,
                "results": [{"kind": r.kind, "passed": r.passed, "message": r.message, "args": r.args}
                            for r in self.results]}


def result_message(result: dict) -> str:
    """A stored result's line in the current language (rows stored before `args` keep their text)."""
    template = MESSAGES.get(result.get("kind"))
    if template is None or "args" not in result:
        return result.get("message", "")
    return str(template) % result["args"]


def _check(rule: RuleSpec, facts: Facts) -> RuleResult:
    value = rule.value
    if rule.kind == RuleKind.MAX_INCOME_PER_CAPITA:
        ok = facts.income_per_capita <= value
        args = {"have": str(facts.income_per_capita), "limit": str(Decimal(value).quantize(CENT))}
    elif rule.kind == RuleKind.MIN_HOUSEHOLD_SIZE:
        ok = facts.household_size >= value
        args = {"have": facts.household_size, "limit": int(value)}
    elif rule.kind == RuleKind.MAX_HOUSEHOLD_SIZE:
        ok = facts.household_size <= value
        args = {"have": facts.household_size, "limit": int(value)}
    elif rule.kind == RuleKind.REQUIRES_TAG:
        ok = rule.tag_code in facts.tags
        args = {"tag": rule.tag_name or rule.tag_code}
    elif rule.kind == RuleKind.EXCLUDES_TAG:
        ok = rule.tag_code not in facts.tags
        args = {"tag": rule.tag_name or rule.tag_code}
    else:  # an unknown rule never passes silently
        return RuleResult(kind=rule.kind, passed=False, message=_("未知条件：%(kind)s") % {"kind": rule.kind})
    return RuleResult(kind=rule.kind, passed=bool(ok), message=str(MESSAGES[rule.kind]) % args, args=args)


def evaluate(rules: list[RuleSpec], facts: Facts) -> Evaluation:
    return Evaluation(results=tuple(_check(rule, facts) for rule in rules))


def compute_amount(*, mode: str, amount: Decimal, threshold: Decimal | None, facts: Facts) -> Decimal:
    """What the household would receive (per month for allowances, once for one-off grants)."""
    amount = Decimal(amount or 0)
    if mode == AmountMode.FIXED:
        result = amount
    elif mode == AmountMode.PER_PERSON:
        result = amount * facts.household_size
    elif mode == AmountMode.GAP:
        gap = max(Decimal(0), Decimal(threshold or 0) - facts.income_per_capita)
        if amount > 0:  # a per-person cap
            gap = min(gap, amount)
        result = gap * facts.household_size
    else:
        raise ValueError(f"unknown amount mode {mode}")
    return result.quantize(CENT, ROUND_HALF_UP)


def rule_specs(programme) -> list[RuleSpec]:
    return [RuleSpec(kind=r.kind, value=r.value, tag_code=r.tag.code if r.tag_id else "",
                     tag_name=r.tag.name if r.tag_id else "")
            for r in programme.rules.select_related("tag").all()]


def household_facts(household, *, monthly_income: Decimal, on: datetime.date | None = None) -> Facts:
    """Living members and their current care tags, from the ledger."""
    from minqing.residents.models import ResidentTag

    members = household.members.living()
    tags = ResidentTag.objects.current(on).filter(resident__in=members).values_list("tag__code", flat=True)
    return Facts(household_size=members.count(), monthly_income=Decimal(monthly_income), tags=frozenset(tags))


# --- the 2/3 rules of the community appraisal 民主评议 ------------------------------------------------

def quorum_met(*, members: int, attendance: int) -> bool:
    """At least two thirds of the panel attend (integer maths: no rounding surprises)."""
    return members > 0 and 3 * attendance >= 2 * members


def approval_met(*, attendance: int, votes_for: int) -> bool:
    """At least two thirds of those attending vote in favour."""
    return attendance > 0 and 3 * votes_for >= 2 * attendance
