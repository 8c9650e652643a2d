"""Demo early warnings: run the rules over the demo's demands and disputes (after minqing.disputes.demo);
the street signs for the overdue wage dispute's alert, handling is left to the demo user."""
from .models import Alert
from .rules import warning_rules_run
from .services import alert_acknowledge


def build(ctx):
    raised = warning_rules_run()
    ctx.log(f"alerts raised: {raised}")
    wage_alert = Alert.objects.filter(dispute__title__startswith="原渝阳机修厂", rule="dispute_overdue").first()
    if wage_alert:
        alert_acknowledge(actor=ctx.shared["users"]["street"], alert_id=wage_alert.pk)
