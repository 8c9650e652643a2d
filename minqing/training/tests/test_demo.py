"""The demo builder runs through the services on the demo places and accounts (no demands: no suggestions)."""
import pytest

from minqing.core.models import AuditEntry
from minqing.demo.builders import BUILDER_MODULES, DemoContext
from minqing.training.models import PolicyAnswer, QuizAttempt, TrainingSession


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_builds_answers_sessions_and_quizzes():
    from minqing.accounts import demo as accounts_demo
    from minqing.places import demo as places_demo
    from minqing.training import demo

    ctx = DemoContext(log=lambda *_: None)
    for module in (places_demo, accounts_demo, demo):
        module.build(ctx)
    assert PolicyAnswer.objects.count() == 50
    assert PolicyAnswer.objects.filter(expiry_flagged_on__isnull=False).count() == PolicyAnswer.objects.expired().count() > 0
    assert TrainingSession.objects.count() == 12 and QuizAttempt.objects.exists()
    assert AuditEntry.objects.filter(action="training.answer.create").count() == 50
    assert BUILDER_MODULES.index("minqing.training.demo") > BUILDER_MODULES.index("minqing.appeals.demo")
