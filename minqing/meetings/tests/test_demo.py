"""The demo builder leaves a year of meetings with opinions in every state, and report backs."""
import pytest

from minqing.demo.builders import DemoContext
from minqing.meetings.models import Meeting, MeetingStatus, Opinion, OpinionStatus, ReceptionDay, ReportBack


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_builds_a_year_of_meetings():
    from minqing.accounts import demo as accounts_demo
    from minqing.meetings import demo
    from minqing.places import demo as places_demo
    from minqing.residents import demo as residents_demo

    ctx = DemoContext(log=lambda *_: None)
    for module in (places_demo, accounts_demo, residents_demo, demo):
        module.build(ctx)
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert {MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.APPROVED, MeetingStatus.CLOSED} <= statuses
    assert set(Opinion.objects.values_list("status", flat=True)) == set(OpinionStatus.values)
    demand_states = set(Opinion.objects.filter(status="demand").values_list("appeal__status", flat=True))
    assert {"submitted", "rejected", "closed"} <= demand_states
    assert ReportBack.objects.filter(is_closed=False).exists() and ReportBack.objects.filter(is_closed=True).exists()
    assert ReceptionDay.objects.filter(status="held").count() >= 20
