from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from minqing.accounts.policy import can, place_codes
from minqing.core.selectors import audit_list_for_object

from .models import Place
from .selectors import place_children, place_get, place_list


@login_required
def place_tree(request):
    """The top of the actor's scope: their assigned places (or the districts, for global actors)."""
    codes = place_codes(request.user, "place.view")
    roots = place_list(actor=request.user, kind="district") if codes is None else Place.objects.filter(code__in=codes)
    return render(request, "places/tree.html", {"roots": roots.annotate(child_count=Count("children"))})


@login_required
def place_detail(request, code):
    place = place_get(actor=request.user, code=code)
    return render(request, "places/detail.html", {
        "place": place,
        "ancestors": Place.objects.ancestors_of(place.code),
        "children": place_children(actor=request.user, place=place).annotate(child_count=Count("children")),
        "audit_entries": audit_list_for_object(actor=request.user, obj=place),
        "can_change": can(request.user, "place.change", place.code),
    })
