"""Every (state, verb) pair of the dispute state machine: allowed moves land where DISPUTE says,
everything else is refused with TransitionNotAllowed and leaves the dispute untouched."""
import datetime

import pytest
from django.utils import timezone

from minqing.core.audit import AuditEntry
from minqing.core.errors import TransitionNotAllowed
from minqing.disputes.models import DISPUTE, Agreement, Referral, Status, Verb
from minqing.disputes.services import agreements, disputes, mediation

from .factories import CONTENTS


def _run(verb, dispute, actors):
    actor = actors["worker"]
    common = {"actor": actor, "dispute_id": dispute.pk}
    if verb == Verb.ACCEPT:
        return disputes.dispute_accept(**common, leader=actors["secretary"], staff=actors["worker"],
                                       deadline=timezone.localdate() + datetime.timedelta(days=30))
    if verb == Verb.REJECT:
        return disputes.dispute_reject(**common, reason="不属于人民调解范围，已告知向法院起诉。")
    if verb == Verb.MEDIATE:
        return mediation.mediation_session_record(**common, held_at=timezone.now(), mediator=actors["worker"],
                                                  participants="双方当事人、楼栋长", notes="双方陈述，初步沟通。")
    if verb in (Verb.AGREE, Verb.SETTLE_PARTLY):
        scope = Agreement.Scope.FULL if verb == Verb.AGREE else Agreement.Scope.PARTIAL
        return agreements.agreement_make(**common, scope=scope, mediator=actors["worker"], committee="渝阳社区人民调解委员会",
                                         performance_deadline=timezone.localdate(), **CONTENTS)
    if verb == Verb.FAIL:
        return mediation.dispute_fail(**common, reason="被申请人拒绝继续调解。")
    if verb == Verb.REFER:
        return mediation.dispute_refer(**common, destination=Referral.Destination.COURT, receiving_body="区人民法院",
                                       note="告知当事人诉讼途径并移送材料。")
    if verb in (Verb.FOLLOW_UP_HONOURED, Verb.FOLLOW_UP_BREACHED):
        return agreements.agreement_follow_up(**common, honoured=verb == Verb.FOLLOW_UP_HONOURED, note="上门回访。")
    if verb == Verb.CLOSE:
        return disputes.dispute_close(**common, note="已由法院立案受理。")
    raise AssertionError(verb)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("verb", Verb.values)
def test_every_state_and_verb(make_dispute, actors, status, verb):
    # given
    dispute = make_dispute(status)
    target = DISPUTE.target(status, verb)
    audits_before = AuditEntry.objects.count()
    # when / then
    if target is None:
        with pytest.raises(TransitionNotAllowed) as caught:
            _run(verb, dispute, actors)
        assert caught.value.code == "transition_not_allowed"
        assert str(Status(status).label) in str(caught.value.message)
        dispute.refresh_from_db()
        assert dispute.status == status
        assert AuditEntry.objects.count() == audits_before
    else:
        _run(verb, dispute, actors)
        dispute.refresh_from_db()
        assert dispute.status == target
        assert AuditEntry.objects.count() == audits_before + 1


def test_table_only_names_real_states_and_verbs():
    for (status, verb), target in DISPUTE.moves.items():
        assert status in Status.values and verb in Verb.values and target in Status.values


@pytest.mark.django_db
def test_breached_agreement_reopens_mediation_and_counts(make_dispute, actors):
    dispute = make_dispute(Status.AGREED)
    agreements.agreement_follow_up(actor=actors["worker"], dispute_id=dispute.pk, honoured=False,
                                   note="被申请人未按期支付赔偿。")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.reopen_count, dispute.settled_at) == (Status.MEDIATING, 1, None)


@pytest.mark.django_db
def test_follow_up_before_performance_date_is_refused(make_dispute, actors):
    dispute = make_dispute(Status.AGREED)
    dispute.agreements.update(performance_deadline=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(TransitionNotAllowed) as caught:
        agreements.agreement_follow_up(actor=actors["worker"], dispute_id=dispute.pk, honoured=True, note="提前回访")
    assert "履行期限" in str(caught.value.message)


@pytest.mark.django_db
def test_accept_assigns_four_responsibilities(make_dispute, actors):
    dispute = make_dispute(Status.REPORTED)
    disputes.dispute_accept(actor=actors["worker"], dispute_id=dispute.pk, leader=actors["secretary"],
                            staff=actors["worker"], deadline=timezone.localdate() + datetime.timedelta(days=30),
                            owners={"stabilise": actors["grid"]})
    owners = dict(dispute.responsibilities.values_list("kind", "owner__username"))
    assert owners == {"study": "t_secretary", "coordinate": "t_worker", "supervise": "t_secretary",
                      "stabilise": "t_grid"}
    assert set(dispute.responsibilities.values_list("state", flat=True)) == {"pending"}
