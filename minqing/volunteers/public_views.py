"""Pages for residents, no login: open activities, sign up with a phone, cancel with the secret link,
and the year's honour roll. POSTs are rate-limited per client address."""
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minqing.core.ratelimit import client_address, rate_hit
from minqing.core.errors import ApplicationError, NotFound, RateLimited
from minqing.core.forms import form_add_error
from minqing.core.masking import mask_name
from minqing.places.models import Place, PlaceKind

from . import selectors, services
from .forms import SignUpForm


def rate_limit(request, scope: str) -> None:
    """The public forms' per-address rate ("public_form_address"), counted per form and shared by every
    web process (core/ratelimit.py)."""
    allowed, _wait = rate_hit("public_form_address", f"{scope}:{client_address(request)}")
    if not allowed:
        raise RateLimited()


def public_activities(request):
    """/volunteers/join/?c=<community code> shows one community's (the QR code on its notice board)."""
    activities = selectors.public_activity_list()
    if request.GET.get("c", "").isdigit():
        activities = activities.filter(place_code__startswith=request.GET["c"])
    return render(request, "volunteers/public_list.html", {"activities": activities[:50]})


def public_activity(request, pk):
    activity = selectors.public_activity_get(activity_id=pk)
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        rate_limit(request, "volunteer-signup")
        if form.is_valid():
            try:
                signup, token = services.signup_create(activity_id=activity.pk, **form.cleaned_data)
            except ApplicationError as error:
                form_add_error(form, error)
            else:
                return redirect(reverse("volunteers:public_signup", args=[signup.pk, token]) + "?new=1")
        status = 422
    return render(request, "volunteers/public_activity.html", {"activity": activity, "form": form}, status=status)


def public_signup(request, pk, token):
    signup = services.signup_by_token(signup_id=pk, token=token)
    rows, totals = selectors.volunteer_record_by_hash(phone_hash=signup.phone_hash)
    return render(request, "volunteers/public_signup.html", {
        "signup": signup, "token": token, "rows": rows, "totals": totals, "is_new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(reverse("volunteers:public_signup", args=[pk, token])),
        "can_cancel": signup.status == "signed" and signup.activity.starts_at > timezone.now()})


@require_POST
def public_cancel(request, pk, token):
    rate_limit(request, "volunteer-cancel")
    services.signup_cancel(signup_id=pk, token=token)
    return redirect("volunteers:public_signup", pk, token)


def public_honour(request, code, year):
    community = Place.objects.filter(code=code, kind=PlaceKind.COMMUNITY).first()
    if community is None:
        raise NotFound()
    rows = selectors.honour_roll(place_code=code, year=year)
    for row in rows:
        row["name"] = mask_name(row["name"])
    return render(request, "volunteers/public_honour.html", {"community": community, "year": year, "rows": rows})
