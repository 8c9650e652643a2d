"""Schemes, checks and nominations for tests, built through the services."""
import datetime

from minqing.assessment import services
from minqing.assessment.models import CivilityCheck
from minqing.assessment.services import WeightedIndicator


def scheme_for(actor, street, *, weights=None, subject="community", start=None, end=None, name="2026年度社区考核"):
    today = datetime.date.today()
    weights = weights or {"resolution_rate": 40, "disputes_on_time": 30, "top_down": 30}
    return services.scheme_create(actor=actor, street=street, name=name, subject=subject, period_kind="year",
                                  period_start=start or today.replace(month=1, day=1), period_end=end or today,
                                  lines=[WeightedIndicator(c, w) for c, w in weights.items()])


def check_for(actor, building, *, passed=True, year=None, quarter=1) -> CivilityCheck:
    year = year or datetime.date.today().year
    return services.civility_check_file(actor=actor, building=building, year=year, quarter=quarter, no_mess=True,
                                        no_vice=True, no_theft_fire=True, no_quarrels=passed,
                                        checked_on=datetime.date(year, 3 * quarter - 2, 15),
                                        note="" if passed else "3楼两户口角")
