import datetime

import pytest

from minqing.core.errors import ValidationError
from minqing.dashboard.periods import period_choices, period_parse

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize("code, start, end, label", [
    ("2026-10", "2026-10-01", "2026-10-31", "2026年10月"),
    ("2026-02", "2026-02-01", "2026-02-28", "2026年2月"),
    ("2026-Q4", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("2025", "2025-01-01", "2025-12-31", "2025年"),
    ("", "2025-12-01", "2026-11-23", "2025-12-01 ~ 2026-11-23"),
    ("2026-01-05~2026-02-10", "2026-01-05", "2026-02-10", "2026-01-05 ~ 2026-02-10"),
])
def test_parse(code, start, end, label):
    p = period_parse(code, TODAY)
    assert (p.start.isoformat(), p.end.isoformat(), p.label) == (start, end, label)


@pytest.mark.parametrize("code", ["2026-13", "2026-Q5", "yesterday", "2026-02-10~2026-01-05", "2020-01-01~2026-01-01"])
def test_refused(code):
    with pytest.raises(ValidationError) as info:
        period_parse(code, TODAY)
    assert info.value.fields["period"][0].startswith("无法识别的统计期间")


def test_full_months_and_month_slices():
    p = period_parse("2026-01-15~2026-04-10", TODAY)
    assert p.full_months() == [datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    assert [p.month(m).code for m in p.months] == ["2026-01-15~2026-01-31", "2026-02", "2026-03",
                                                  "2026-04-01~2026-04-10"]


def test_choices_start_with_the_last_12_months():
    choices = period_choices(TODAY)
    assert choices[0] == ("12m", "最近12个月") and ("2026-Q4", "2026年第4季度") in choices
    assert ("2024-12", "2024年12月") in choices
