"""The rule engine and the 2/3 rules, as plain data — every rule kind, both sides of each boundary."""
from decimal import Decimal

import pytest

from minqing.welfare.eligibility import Facts, RuleSpec, approval_met, compute_amount, evaluate, quorum_met
from minqing.welfare.models import AmountMode, RuleKind

D = Decimal


@pytest.mark.parametrize("income, size, limit, ok", [
    ("2400", 3, "800", True),   # exactly 800 a head: on the line passes
    ("2403", 3, "800", False),  # 801 a head
    ("0", 1, "800", True),
    ("801", 1, "800", False),
])
def test_income_per_capita(income, size, limit, ok):
    result = evaluate([RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, D(limit))], Facts(size, D(income)))
    assert result.eligible is ok


@pytest.mark.parametrize("kind, limit, size, ok", [
    (RuleKind.MIN_HOUSEHOLD_SIZE, 2, 2, True), (RuleKind.MIN_HOUSEHOLD_SIZE, 2, 1, False),
    (RuleKind.MAX_HOUSEHOLD_SIZE, 1, 1, True), (RuleKind.MAX_HOUSEHOLD_SIZE, 1, 2, False),
])
def test_household_size(kind, limit, size, ok):
    assert evaluate([RuleSpec(kind, D(limit))], Facts(size, D(0))).eligible is ok


def test_required_and_excluded_tags():
    needs_illness = RuleSpec(RuleKind.REQUIRES_TAG, tag_code="serious_illness", tag_name="大病")
    not_floating = RuleSpec(RuleKind.EXCLUDES_TAG, tag_code="floating", tag_name="流动人口")
    assert evaluate([needs_illness, not_floating], Facts(2, D(0), frozenset({"serious_illness"}))).eligible
    missing = evaluate([needs_illness], Facts(2, D(0), frozenset()))
    assert missing.failures == ["家庭成员须为“大病”"]
    excluded = evaluate([not_floating], Facts(2, D(0), frozenset({"floating"})))
    assert excluded.failures == ["家庭成员不得为“流动人口”"]


def test_every_failure_is_reported_not_just_the_first():
    rules = [RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, D("500")), RuleSpec(RuleKind.MIN_HOUSEHOLD_SIZE, D(3))]
    result = evaluate(rules, Facts(2, D("2000")))
    assert result.failures == ["人均月收入 1000.00 元，标准为不高于 500.00 元", "家庭人口 2 人，须不少于 3 人"]


def test_unknown_rule_never_passes():
    assert not evaluate([RuleSpec("astrology", D(1))], Facts(1, D(0))).eligible


def test_no_rules_is_eligible():
    assert evaluate([], Facts(1, D(99999))).eligible


@pytest.mark.parametrize("mode, amount, threshold, size, income, expected", [
    (AmountMode.FIXED, "500", None, 4, "0", "500.00"),
    (AmountMode.PER_PERSON, "300", None, 3, "0", "900.00"),
    (AmountMode.GAP, "0", "800", 3, "600", "1800.00"),      # (800 − 200) × 3
    (AmountMode.GAP, "0", "800", 2, "2000", "0.00"),        # above the line: nothing
    (AmountMode.GAP, "500", "800", 3, "300", "1500.00"),    # gap 700 a head capped at 500
    (AmountMode.GAP, "0", "720", 3, "1000", "1160.01"),     # 333.33 a head: (720 − 333.33) × 3
])
def test_amounts(mode, amount, threshold, size, income, expected):
    facts = Facts(size, D(income))
    assert compute_amount(mode=mode, amount=D(amount), threshold=D(threshold) if threshold else None,
                          facts=facts) == D(expected)


@pytest.mark.parametrize("members, attendance, ok", [
    (9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False), (3, 2, True), (3, 1, False), (0, 0, False),
])
def test_two_thirds_attendance(members, attendance, ok):
    assert quorum_met(members=members, attendance=attendance) is ok


@pytest.mark.parametrize("attendance, votes_for, ok", [
    (9, 6, True), (9, 5, False), (7, 5, True), (7, 4, False), (6, 4, True), (0, 0, False),
])
def test_two_thirds_approval(attendance, votes_for, ok):
    assert approval_met(attendance=attendance, votes_for=votes_for) is ok
