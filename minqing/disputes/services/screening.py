"""Filing a grid's screening round: what was found, or an explicit "nothing found"."""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.errors import Conflict, ValidationError
from minqing.places.models import Place, PlaceKind

from ..models import Dispute, Period, ScreeningRound, period_bounds


@transaction.atomic
def screening_round_file(*, actor, grid: Place, day: datetime.date | None = None, found_nothing: bool,
                         summary: str = "", households_visited: int = 0, period: str = Period.WEEK,
                         dispute_ids: list[int] | None = None) -> ScreeningRound:
    """File the round of the period containing `day`. Found disputes are linked to the round."""
    ensure_can(actor, "dispute.change", grid.code)
    if grid.kind != PlaceKind.GRID:
        raise ValidationError(fields={"grid": [_("排查按网格填报，请选择网格。")]})
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError(fields={"day": [_("不能填报未来周期的排查。")]})
    disputes = list(Dispute.objects.filter(pk__in=dispute_ids or [], place__code__startswith=grid.code))
    if len(disputes) != len(set(dispute_ids or [])):
        raise ValidationError(fields={"dispute_ids": [_("所选纠纷不在本网格。")]})
    if found_nothing and (disputes or summary.strip()):
        raise ValidationError(fields={"found_nothing": [_("已勾选“未发现矛盾纠纷”，就不应再填写发现的情况。")]})
    if not found_nothing and not (disputes or summary.strip()):
        raise ValidationError(fields={"summary": [_("请填写排查发现的情况，或勾选“未发现矛盾纠纷”。")]})
    start, end = period_bounds(day, period)
    try:
        with transaction.atomic():
            round_ = ScreeningRound.objects.create(
                grid=grid, period=period, period_start=start, period_end=end, found_nothing=found_nothing,
                summary=summary.strip(), households_visited=households_visited, filed_by=actor)
    except IntegrityError as exc:
        raise Conflict(_("本网格该周期（%(s)s 至 %(e)s）已填报排查。") % {"s": start, "e": end}) from exc
    Dispute.objects.filter(pk__in=[d.pk for d in disputes]).update(screening_round=round_)
    audit_record(actor=actor, action="screening.file", obj=round_, payload={
        "period": f"{start}~{end}", "found_nothing": found_nothing, "disputes": "、".join(d.number for d in disputes)})
    return round_
