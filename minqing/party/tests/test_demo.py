"""The party demo builds on the demo ledger through the services, and leaves the branch secretary of the
second section something on every page: members, floating and edge members, this month's meeting to
record, members absent three times in a row, and last year's appraisal with its one-third list."""
import time

import pytest

from minqing.core.models import AuditEntry
from minqing.demo.builders import DemoContext
from minqing.party import selectors
from minqing.party.models import OrgSession, PartyMember, Relation, SessionStatus


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_builds_a_year_of_party_work():
    from minqing.accounts import demo as accounts_demo
    from minqing.party import demo
    from minqing.places import demo as places_demo
    from minqing.residents import demo as residents_demo

    ctx = DemoContext(log=print)
    for module in (places_demo, accounts_demo, residents_demo):
        module.build(ctx)
    started = time.perf_counter()
    demo.build(ctx)
    print(f"party demo: {time.perf_counter() - started:.1f}s, {AuditEntry.objects.filter(action__startswith='party.').count()} audit rows")
    branch = ctx.shared["users"]["branch"]
    mine = selectors.member_list(actor=branch)
    assert 25 <= mine.count() <= 45
    assert mine.filter(relation=Relation.ELSEWHERE).exists()
    assert selectors.edge_list(actor=branch).count() >= 6
    assert selectors.absent_streak_list(actor=branch)
    assert selectors.session_list(actor=branch, status=SessionStatus.PLANNED).exists()
    appraisal = selectors.appraisal_list(actor=branch).get()
    assert [r for r in selectors.appraisal_results(appraisal) if r.failing]
    assert PartyMember.objects.count() > 150 and OrgSession.objects.count() > 100
