"""The dispute statistics page: figures per place and period, with SVG charts."""
import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.errors import NotFound
from minqing.places.models import PlaceKind

from ..charts import bar_chart
from ..figures import dispute_figures
from ..forms import FiguresForm
from ..selectors import places_in_scope


@login_required
def figures_page(request):
    if not has_perm_anywhere(request.user, "dispute.view"):
        raise NotFound()
    places = places_in_scope(actor=request.user, perm="dispute.view",
                             kinds=(PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID))
    form = FiguresForm(request.GET or None, places=places)
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or timezone.localdate()
    start = data.get("start") or end - datetime.timedelta(days=364)
    figures = dispute_figures(actor=request.user, start=start, end=end, place_code=data.get("place") or None)
    charts = {
        "kind": bar_chart([row for row in figures.by_kind if row[1]], title=_("按类型")),
        "risk": bar_chart(figures.by_risk, title=_("按风险等级")),
        "status": bar_chart([row for row in figures.by_status if row[1]], title=_("按状态")),
        "rates": bar_chart([(label, value or 0) for label, value in (
            (_("调解成功率"), figures.settlement_rate), (_("一个月内化解"), figures.within_month_rate),
            (_("排查覆盖率"), figures.screening_coverage), (_("预警按时处置"), figures.alerts_in_time_rate))],
            title=_("主要比率"), percent=True),
    }
    return render(request, "disputes/figures.html", {"form": form, "figures": figures, "charts": charts})
