"""Stability risk assessment: consult, score risk points, conclude, sign (then frozen), print."""
import datetime

import pytest
from django.urls import reverse

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.core.errors import PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.disputes.documents import assessment_pdf
from minqing.disputes.models import AssessmentLevel, Consultation, StabilityAssessment
from minqing.disputes.services import assessment as services

from .test_agreements import pdf_text

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def heating_fee(tree, actors):
    return services.assessment_open(actor=actors["worker"], place=tree["community_a"], decision="供暖费由每平米4.2元调至5.0元",
                                    decision_maker="渝阳煤矿后勤服务中心", background="燃煤成本上涨，供热站亏损。",
                                    affected_people=2300)


def consult_and_score(assessment, actor):
    services.consultation_add(actor=actor, assessment_id=assessment.pk, method=Consultation.Method.MEETING,
                              held_on=TODAY, people_count=40, support_count=12, summary="多数居民认为涨幅过大，要求分步调整。",
                              link="/meetings/12/")
    services.risk_point_add(actor=actor, assessment_id=assessment.pk, description="低保、困难家庭无力承担",
                            likelihood=4, impact=4, measure="困难家庭给予供暖补贴")
    services.risk_point_add(actor=actor, assessment_id=assessment.pk, description="部分居民拒缴引发停暖纠纷",
                            likelihood=3, impact=2)


@pytest.mark.django_db
def test_full_assessment_signed_and_printed(heating_fee, actors, tmp_path):
    consult_and_score(heating_fee, actors["worker"])
    heating_fee.refresh_from_db()
    assert heating_fee.suggested_level == AssessmentLevel.HIGH  # 4×4 = 16
    with pytest.raises(ValidationError) as caught:
        services.assessment_conclude(actor=actors["worker"], assessment_id=heating_fee.pk, overall_level="high",
                                     measures="分两年调整", conclusion="go", conclusion_reason="成本倒挂")
    assert list(caught.value.fields) == ["conclusion"]
    services.assessment_conclude(actor=actors["worker"], assessment_id=heating_fee.pk, overall_level="high",
                                 measures="分两年调整；困难家庭补贴；召开听证会", conclusion="defer",
                                 conclusion_reason="风险高，待补贴方案落实后再实施")
    with pytest.raises(PermissionDenied):
        services.assessment_sign(actor=actors["worker"], assessment_id=heating_fee.pk)
    signed = services.assessment_sign(actor=actors["secretary"], assessment_id=heating_fee.pk)
    assert signed.state == StabilityAssessment.State.SIGNED and signed.signed_by == actors["secretary"]
    with pytest.raises(TransitionNotAllowed):
        services.risk_point_add(actor=actors["worker"], assessment_id=heating_fee.pk, description="x", likelihood=1,
                                impact=1)
    text = "".join(pdf_text(assessment_pdf(signed), tmp_path).split())
    for expected in ("重大决策社会稳定风险评估报告", "供暖费由每平米4.2元调至5.0元", "座谈会", "低保、困难家庭无力承担", "16",
                     "综合风险等级：高风险", "评估结论：暂缓实施", "签发人"):
        assert expected in text, expected


@pytest.mark.django_db
def test_signing_needs_consultation_risks_and_conclusion(heating_fee, actors):
    with pytest.raises(ValidationError) as caught:
        services.assessment_sign(actor=actors["secretary"], assessment_id=heating_fee.pk)
    assert set(caught.value.fields) == {"consultations", "risk_points", "conclusion"}


@pytest.mark.django_db
def test_inputs_are_checked(heating_fee, actors):
    with pytest.raises(ValidationError) as caught:
        services.risk_point_add(actor=actors["worker"], assessment_id=heating_fee.pk, description="x", likelihood=6,
                                impact=0)
    assert set(caught.value.fields) == {"likelihood", "impact"}
    with pytest.raises(ValidationError) as caught:
        services.consultation_add(actor=actors["worker"], assessment_id=heating_fee.pk, method="visit", held_on=TODAY,
                                  summary="走访", people_count=3, support_count=5, link="javascript:alert(1)")
    assert set(caught.value.fields) == {"support_count", "link"}


@pytest.mark.django_db
def test_pages(client, heating_fee, actors, tree):
    client.force_login(actors["worker"])
    assert client.get(reverse("disputes:assessment_detail", args=[heating_fee.pk])).status_code == 200
    response = client.post(reverse("disputes:assessment_act", args=[heating_fee.pk, "risk_point"]),
                           {"description": "停暖纠纷", "likelihood": "3", "impact": "3"})
    assert response.status_code == 302 and heating_fee.risk_points.count() == 1
    assert client.get(reverse("disputes:assessment_pdf", args=[heating_fee.pk])).content.startswith(b"%PDF")
    client.force_login(user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"]))
    assert client.get(reverse("disputes:assessment_detail", args=[heating_fee.pk])).status_code == 404
