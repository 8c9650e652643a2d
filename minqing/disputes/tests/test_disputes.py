"""Reporting, parties from the ledger or outside, risk, 三定四包 duties, referral, scope, figures."""
import datetime

import pytest
from django.utils import timezone

from minqing.core.errors import NotFound, PermissionDenied, ValidationError
from minqing.disputes.figures import dispute_figures
from minqing.disputes.models import EscalationSign, Kind, Referral, Responsibility, RiskLevel, Status
from minqing.disputes.selectors import dispute_list
from minqing.disputes.services import disputes, mediation
from minqing.residents.tests.factories import HouseholdFactory, make_resident


@pytest.mark.django_db
def test_report_with_risk_reasons_and_signs(tree, actors):
    dispute = disputes.dispute_report(
        actor=actors["grid"], place=tree["building_a1"], title="改制职工讨薪", kind=Kind.RESTRUCTURING,
        description="原煤机厂改制遗留工资未结清", people_involved=36, risk_level=RiskLevel.MAJOR,
        risk_reasons="涉及36人，扬言越级上访", escalation_signs=[EscalationSign.OVER_LEVEL, EscalationSign.WAGE_ARREARS])
    assert dispute.escalation_sign_labels == ["越级上访", "欠薪讨薪"]
    with pytest.raises(ValidationError) as caught:
        disputes.dispute_report(actor=actors["grid"], place=tree["building_a1"], title="t", kind=Kind.OTHER,
                                description="d", escalation_signs=["riot"])
    assert list(caught.value.fields) == ["escalation_signs"]


@pytest.mark.django_db
def test_scope_of_reporting_and_reading(tree, actors, make_dispute):
    with pytest.raises(NotFound):
        disputes.dispute_report(actor=actors["grid"], place=tree["grid_a2"], title="t", kind=Kind.OTHER,
                                description="d")
    with pytest.raises(PermissionDenied):
        disputes.dispute_report(actor=actors["supervisor"], place=tree["grid_a1"], title="t", kind=Kind.OTHER,
                                description="d")
    a1, a2, b1 = (make_dispute("reported", place=tree[g]) for g in ("grid_a1", "grid_a2", "grid_b1"))
    assert set(dispute_list(actor=actors["grid"])) == {a1}
    assert set(dispute_list(actor=actors["worker"])) == {a1, a2}
    assert set(dispute_list(actor=actors["street"])) == {a1, a2, b1}
    assert list(dispute_list(actor=actors["building"])) == []


@pytest.mark.django_db
def test_parties_from_the_ledger_and_outside(tree, actors, make_dispute):
    dispute = make_dispute("reported", parties=False)
    resident = make_resident(HouseholdFactory(building=tree["building_a1"], room="2单元301"), "王淑芬",
                             phone="13912345678", sex="F", birth_date=datetime.date(1958, 5, 1))
    party = disputes.dispute_party_add(actor=actors["grid"], dispute_id=dispute.pk, side="applicant", resident=resident)
    assert party.is_from_ledger and party.name == "王淑芬" and "2单元301" in party.address
    assert party.phone_masked == "139****5678" and "13912345678" not in party.phone_encrypted
    outside = disputes.dispute_party_add(actor=actors["grid"], dispute_id=dispute.pk, side="respondent",
                                         party_kind="organisation", name="安居物业公司", representative="赵经理")
    assert not outside.is_from_ledger and "法定代表人/负责人：赵经理" in outside.basic_facts
    stranger = make_resident(HouseholdFactory(building=tree["building_b1"]), "外社区居民")
    with pytest.raises(NotFound):
        disputes.dispute_party_add(actor=actors["grid"], dispute_id=dispute.pk, side="other", resident=stranger)


@pytest.mark.django_db
def test_accept_checks_the_people_serve_the_place(tree, actors, make_dispute):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    outsider = user_with_role(Role.COMMUNITY_WORKER, tree["community_b"])
    dispute = make_dispute("reported")
    with pytest.raises(ValidationError) as caught:
        disputes.dispute_accept(actor=actors["worker"], dispute_id=dispute.pk, leader=actors["secretary"],
                                staff=outsider, deadline=timezone.localdate() + datetime.timedelta(days=30))
    assert caught.value.fields == {"staff": ["所选人员不负责该地区的矛盾纠纷工作。"]}
    with pytest.raises(ValidationError) as caught:
        disputes.dispute_accept(actor=actors["worker"], dispute_id=dispute.pk, leader=actors["secretary"],
                                staff=actors["worker"], deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert list(caught.value.fields) == ["deadline"]


@pytest.mark.django_db
def test_duty_progress(actors, make_dispute):
    dispute = make_dispute("accepted")
    duty = dispute.responsibilities.get(kind=Responsibility.Kind.STABILISE)
    disputes.responsibility_update(actor=actors["worker"], responsibility_id=duty.pk, state="done",
                                   note="已与牵头职工谈心三次，情绪稳定。")
    duty.refresh_from_db()
    assert duty.state == "done" and duty.version == 2


@pytest.mark.django_db
def test_referral_is_recorded(actors, make_dispute):
    dispute = make_dispute("failed")
    referral = mediation.dispute_refer(actor=actors["worker"], dispute_id=dispute.pk,
                                       destination=Referral.Destination.ARBITRATION,
                                       receiving_body="区劳动人事争议仲裁委员会", reference="劳人仲案字〔2026〕88号",
                                       note="告知申请仲裁的时效与材料。")
    dispute.refresh_from_db()
    assert dispute.status == Status.REFERRED and referral.referred_by == actors["worker"]


@pytest.mark.django_db
def test_figures(tree, actors, make_dispute, django_assert_max_num_queries):
    now = timezone.now()
    make_dispute("closed", accepted_at=now - datetime.timedelta(days=20), settled_at=now - datetime.timedelta(days=5))
    make_dispute("agreed", accepted_at=now - datetime.timedelta(days=60), settled_at=now - datetime.timedelta(days=1))
    make_dispute("mediating", kind=Kind.LABOUR, risk_level=RiskLevel.MAJOR, risk_reasons="30人")
    make_dispute("reported", place=tree["grid_b1"])
    with django_assert_max_num_queries(16):  # fixed: no query per dispute or grid
        figures = dispute_figures(actor=actors["secretary"], start=timezone.localdate() - datetime.timedelta(days=30),
                                  end=timezone.localdate())
    assert figures.reported == 3 and figures.accepted == 3 and figures.settled == 2
    assert figures.settled_within_month == 1 and figures.within_month_rate == 0.5
    assert dict(figures.by_risk)["重大"] == 1 and dict(figures.by_kind)["劳动争议/欠薪"] == 1
    assert figures.grids == 2 and figures.rounds_filed == 0
