"""The reporter proves the phone left on the public page (issue 13.5), from the demand's tracking page:
a one-time code is texted to it (the only text an unproven phone gets), and once the code is entered the
demand's status texts go there. The code, its limits and its audit rows are notifications' PhoneChallenge."""
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.crypto import decrypt
from minqing.core.errors import NotFound, ValidationError
from minqing.notifications.services import phone_challenge_send, phone_challenge_verify

from .events import RESIDENT
from .models import Appeal
from .tokens import token_matches


def _subject(appeal: Appeal) -> str:
    return f"appeal:{appeal.pk}"


def _unverified(appeal_id: int, tracking_token: str) -> Appeal:
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None or not token_matches(appeal, tracking_token):
        raise NotFound()
    if not appeal.phone_cipher:
        raise ValidationError(_("登记时没有留下手机号。"))
    if appeal.phone_verified_at:
        raise ValidationError(_("该手机号已验证，办理进展会短信通知您。"))
    return appeal


def appeal_phone_code_send(*, appeal_id: int, tracking_token: str, address: str):
    """Text a code to the demand's phone; RateLimited (429) past the cool-down or the daily caps."""
    appeal = _unverified(appeal_id, tracking_token)
    return phone_challenge_send(actor=RESIDENT, phone=decrypt(appeal.phone_cipher), subject=_subject(appeal),
                                address=address, place_code=appeal.place_code)


def appeal_phone_verify(*, appeal_id: int, tracking_token: str, code: str) -> Appeal:
    """Enter the code; a right one marks the phone proven in the same transaction. Not inside a caller's
    transaction: a wrong try is committed before it is refused, so guesses are counted."""
    appeal = _unverified(appeal_id, tracking_token)

    def mark_verified(challenge) -> None:
        Appeal.objects.filter(pk=appeal.pk).update(phone_verified_at=challenge.verified_at,
                                                   updated_at=timezone.now())

    phone_challenge_verify(actor=RESIDENT, subject=_subject(appeal), code=code, on_verified=mark_verified)
    appeal.refresh_from_db(fields=["phone_verified_at", "updated_at"])
    return appeal
