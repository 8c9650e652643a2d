"""Disputes in any state, for tests: `dispute_in(status, ...)` writes the row with what that state has."""
import datetime

import factory
from django.utils import timezone

from minqing.disputes.models import (
    Agreement, Dispute, DisputeParty, Kind, PartySide, Responsibility, RiskLevel, ScreeningRound, Status, period_bounds,
)

CONTENTS = {
    "facts": "2026年10月，申请人家卫生间漏水渗至楼下被申请人家，双方因维修费用发生争执。",
    "matters_in_dispute": "漏水维修费用及楼下房屋损失的承担。",
    "responsibilities": "申请人对漏水负主要责任，被申请人未及时告知负次要责任。",
    "terms": "一、申请人于11月30日前修复防水层；二、申请人赔偿被申请人墙面修复费800元；三、双方不再就此事争执。",
    "performance_method": "现金当面支付，维修由申请人自行联系施工",
    "performance_place": "渝阳社区居委会调解室",
}


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    title = factory.Sequence(lambda n: f"邻里漏水纠纷{n}")
    kind = Kind.NEIGHBOUR
    description = "楼上卫生间漏水，楼下墙面受损，双方争吵。"
    people_involved = 2
    risk_level = RiskLevel.GENERAL


def dispute_in(status: str, *, place, reporter, leader=None, staff=None, parties: bool = True, **extra) -> Dispute:
    now = timezone.now()
    fields = {"status": status, "place": place, "reported_by": reporter}
    if status not in (Status.REPORTED, Status.REJECTED):
        fields.update(leader=leader, staff=staff, deadline=timezone.localdate() + datetime.timedelta(days=20),
                      accepted_at=now - datetime.timedelta(days=5))
    if status in (Status.AGREED, Status.CLOSED, Status.PARTIAL):
        fields["settled_at"] = now - datetime.timedelta(days=1)
    fields.update(extra)
    dispute = DisputeFactory(**fields)
    if parties:
        DisputeParty.objects.create(dispute=dispute, side=PartySide.APPLICANT, name="张建华", sex="男", age=56,
                                    address="渝阳社区3栋201")
        DisputeParty.objects.create(dispute=dispute, side=PartySide.RESPONDENT, name="李桂英", sex="女", age=61,
                                    address="渝阳社区3栋101")
    if leader and staff and status not in (Status.REPORTED, Status.REJECTED):
        for kind, owner in zip(Responsibility.Kind.values, (leader, staff, leader, staff)):
            Responsibility.objects.create(dispute=dispute, kind=kind, owner=owner)
    if status in (Status.AGREED, Status.CLOSED, Status.PARTIAL):
        agreement_for(dispute, mediator=staff or reporter,
                      scope=Agreement.Scope.PARTIAL if status == Status.PARTIAL else Agreement.Scope.FULL)
    return dispute


def agreement_for(dispute, *, mediator, scope=Agreement.Scope.FULL, deadline=None) -> Agreement:
    return Agreement.objects.create(
        dispute=dispute, scope=scope, mediator=mediator, committee="渝阳社区人民调解委员会",
        performance_deadline=deadline or timezone.localdate() - datetime.timedelta(days=1), **CONTENTS)


def round_for(grid, *, filed_by, day=None, found_nothing=True) -> ScreeningRound:
    start, end = period_bounds(day or timezone.localdate())
    return ScreeningRound.objects.create(grid=grid, period_start=start, period_end=end, found_nothing=found_nothing,
                                         summary="" if found_nothing else "发现一起邻里纠纷", filed_by=filed_by)
