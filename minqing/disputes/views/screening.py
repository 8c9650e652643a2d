"""Screening rounds: the rounds in scope, the grids still silent this week, filing a round."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_holds_somewhere, has_perm_anywhere
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.models import PlaceKind

from ..forms import ScreeningForm
from ..models import Period, period_bounds
from ..selectors import dispute_list, places_in_scope, screening_round_list, silent_grids
from ..services.screening import screening_round_file


@login_required
def screening_index(request):
    if not has_perm_anywhere(request.user, "dispute.view"):
        raise NotFound()
    start, end = period_bounds(timezone.localdate(), Period.WEEK)
    rounds = Paginator(screening_round_list(actor=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "disputes/screening_list.html", {
        "page": rounds, "silent": silent_grids(actor=request.user), "week_start": start, "week_end": end,
        "can_file": has_perm_anywhere(request.user, "dispute.change"),
    })


@login_required
def screening_file(request):
    ensure_holds_somewhere(request.user, "dispute.change")
    grids = places_in_scope(actor=request.user, perm="dispute.change", kinds=(PlaceKind.GRID,))
    since = timezone.now() - datetime.timedelta(days=14)
    recent = dispute_list(actor=request.user).filter(created_at__gte=since, screening_round__isnull=True)[:30]
    form = ScreeningForm(request.POST or None, grids=grids, disputes=recent,
                         initial={"grid": grids.first() if grids.count() == 1 else None})
    if request.method == "POST" and form.is_valid():
        try:
            screening_round_file(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("本周期排查已填报。"))
            return redirect("disputes:screening_list")
    return render(request, "disputes/screening_form.html", {"form": form})
