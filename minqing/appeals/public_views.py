"""Pages for residents, no login: submit a demand, track it with the secret link, rate the reply."""
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.core.errors import ApplicationError
from minqing.core.forms import form_add_error
from minqing.core.ratelimit import client_address
from minqing.insight.selectors import intake_category_suggestions

from . import forms
from .abuse import public_intake_guard, public_track_guard
from .intake import appeal_submit
from .models import Channel, Status
from .phone_verification import appeal_phone_code_send, appeal_phone_verify
from .selectors import appeal_events, appeal_get_by_phone, appeal_get_by_token, appeal_rating_rounds
from .services import appeal_follow_up
from .tokens import link_token


def public_intake(request):
    """/appeals/submit/?c=<community code> preselects the community (the QR code on its notice board)."""
    public_intake_guard(request)
    community = forms.PublicIntakeForm.base_fields["place"].queryset.filter(code=request.GET.get("c", "")).first()
    if request.method == "POST" and ("suggest" in request.POST or "pick" in request.POST):
        return _public_suggest(request)
    form = forms.PublicIntakeForm(request.POST or None, request.FILES or None, initial={"place": community})
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_submit(actor=None, channel=Channel.WEB, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            url = reverse("appeals:track", args=[appeal.receipt_code, appeal.tracking_token])
            return redirect(f"{url}?new=1")
    return render(request, "appeals/public_intake.html", {"form": form})


def _public_suggest(request):
    """The "suggest category" step for residents (server-side only: the JSON endpoint needs a login);
    nothing is saved or logged — a resident's pick is not a worker's judgement."""
    draft = request.POST.dict()
    if request.POST.get("pick", "").isdigit():
        draft["category"] = request.POST["pick"]
    return render(request, "appeals/public_intake.html", {
        "form": forms.PublicIntakeForm(initial=draft),
        "suggestions": intake_category_suggestions(text=draft.get("text", "")[:2000])})


def _sms_box(request, appeal, *, code_form=None, error=None) -> dict | None:
    """The "prove this phone to get texts" box of the tracking page (none without a phone)."""
    if not appeal.phone_cipher:
        return None
    return {"phone": appeal.phone_masked, "verified": bool(appeal.phone_verified_at),
            "sent": request.GET.get("sms") == "sent", "form": code_form or forms.PhoneCodeForm(), "error": error}


def _tracking_page(request, appeal, *, token=None, rate_form=None, sms=None, status=200):
    shown = appeal.merged_into if appeal.merged_into_id else appeal  # a merged duplicate follows the survivor
    return render(request, "appeals/track.html", {
        "appeal": appeal, "shown": shown, "events": appeal_events(appeal=shown, public_only=True),
        "token": token, "is_new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(reverse("appeals:track", args=[appeal.receipt_code, token])) if token else "",
        "rate_form": rate_form or (forms.RateForm() if token and appeal.status == Status.REPLIED else None),
        "rounds": appeal_rating_rounds(appeal=shown), "awaiting_rating": shown.status == Status.REPLIED,
        "sms": sms or _sms_box(request, appeal),
    }, status=status)


def public_track(request, code, token):
    public_track_guard(request)
    return _tracking_page(request, appeal_get_by_token(receipt_code=code, token=token), token=token)


@require_POST
def public_rate(request, code, token):
    appeal = appeal_get_by_token(receipt_code=code, token=token)
    form = forms.RateForm(request.POST)
    if form.is_valid():
        try:
            appeal_follow_up(actor=None, appeal_id=appeal.pk, tracking_token=token, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("appeals:track", code, token)
    return _tracking_page(request, appeal, token=token, rate_form=form, status=422)


@require_POST
def public_sms_code(request, code, token):
    """Text a one-time code to the demand's phone (429 with the reason past the cool-down or a daily cap)."""
    public_track_guard(request)
    appeal = appeal_get_by_token(receipt_code=code, token=token)
    try:
        appeal_phone_code_send(appeal_id=appeal.pk, tracking_token=token, address=client_address(request))
    except ApplicationError as error:
        return _tracking_page(request, appeal, token=token, status=error.status,
                              sms=_sms_box(request, appeal, error=error.message))
    return redirect(reverse("appeals:track", args=[code, token]) + "?sms=sent#sms")


@require_POST
def public_sms_verify(request, code, token):
    public_track_guard(request)
    appeal = appeal_get_by_token(receipt_code=code, token=token)
    form = forms.PhoneCodeForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            appeal_phone_verify(appeal_id=appeal.pk, tracking_token=token, code=form.cleaned_data["code"].strip())
        except ApplicationError as error:
            form_add_error(form, error)
            status = error.status
        else:
            return redirect(reverse("appeals:track", args=[code, token]) + "#sms")
    return _tracking_page(request, appeal, token=token, status=status, sms=_sms_box(request, appeal, code_form=form))


def public_lookup(request):
    if request.method == "POST":
        public_track_guard(request)
    form = forms.TrackLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_get_by_phone(**form.cleaned_data)
        except ApplicationError:
            form.add_error(None, _("回执码或手机号不正确。"))
        else:  # the receipt code and the phone prove as much as the link: go on with a link that can rate
            return redirect("appeals:track", appeal.receipt_code, link_token(appeal))
    return render(request, "appeals/public_lookup.html", {"form": form})
