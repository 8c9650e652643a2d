"""Welfare test data: a 低保-like programme, a household with members, and applications in any state."""
import datetime
from decimal import Decimal

from django.utils import timezone

from minqing.residents.models import CareTag, ResidentTag
from minqing.residents.tests.factories import HouseholdFactory, make_resident
from minqing.welfare import services
from minqing.welfare.eligibility import RuleSpec
from minqing.welfare.models import AmountMode, Programme, ProgrammeKind, RuleKind


def dibao_programme(place, *, threshold="800", notice_days=7, requires_notice=True, actor=None, rules=None) -> Programme:
    programme = Programme.objects.create(
        place=place, name="城市最低生活保障", kind=ProgrammeKind.DIBAO, amount_mode=AmountMode.GAP,
        income_threshold=Decimal(threshold), period_months=12, review_interval_months=6, notice_days=notice_days,
        requires_notice=requires_notice)
    for spec in rules if rules is not None else [RuleSpec(RuleKind.MAX_INCOME_PER_CAPITA, Decimal(threshold))]:
        tag = CareTag.objects.get(code=spec.tag_code) if spec.tag_code else None
        programme.rules.create(kind=spec.kind, value=spec.value, tag=tag)
    return programme


def household_with_members(building, names=("王建国", "李秀英", "王小明"), tags=()):
    household = HouseholdFactory(building=building)
    members = [make_resident(household, name, relation="head" if i == 0 else "spouse") for i, name in enumerate(names)]
    for code in tags:
        ResidentTag.objects.create(resident=members[0], tag=CareTag.objects.get(code=code),
                                   start_date=datetime.date(2020, 1, 1), place_code=household.place_code)
    return household, members


def submit(actor, programme, household, income="600", **kw):
    return services.application_submit(actor=actor, programme=programme, household=household,
                                       applicant=household.head, reason="下岗多年，妻子患病", declared_income=Decimal(income), **kw)


def verify(actor, application, staff_2, income="600", recommends=True):
    return services.application_verify(actor=actor, application=application, visited_on=timezone.localdate(),
                                       staff_1=actor, staff_2=staff_2, findings="家中确实困难",
                                       verified_income=Decimal(income), recommends=recommends)


def appraise(actor, application, members=9, attendance=7, votes_for=6, votes_against=1, abstentions=0):
    return services.application_appraise(actor=actor, application=application, held_on=timezone.localdate(),
                                         members=members, attendance=attendance, votes_for=votes_for,
                                         votes_against=votes_against, abstentions=abstentions)
