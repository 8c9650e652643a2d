"""The demo builder runs on the demo place tree and accounts (without the ledger: the stories that need
residents are skipped) and leaves the story's key facts behind."""
import pytest

from minqing.alerts.models import Alert
from minqing.demo.builders import DemoContext
from minqing.disputes.models import Dispute, RiskLevel, ScreeningRound, StabilityAssessment, Status


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_builds_the_story():
    from minqing.accounts import demo as accounts_demo
    from minqing.alerts import demo as alerts_demo
    from minqing.disputes import demo
    from minqing.places import demo as places_demo

    ctx = DemoContext(log=lambda *_: None)
    for module in (places_demo, accounts_demo, demo, alerts_demo):
        module.build(ctx)
    wage = Dispute.objects.get(title="原渝阳机修厂改制遗留欠薪")
    assert wage.risk_level == RiskLevel.MAJOR and wage.is_overdue and wage.responsibilities.count() == 4
    assert Alert.objects.filter(dispute=wage, rule="dispute_overdue", level="red", status="acknowledged").exists()
    assert Dispute.objects.filter(status=Status.CLOSED).count() >= 10
    assert ScreeningRound.objects.filter(found_nothing=True).count() > 250
    assert StabilityAssessment.objects.filter(state="signed", conclusion="defer").count() == 1
