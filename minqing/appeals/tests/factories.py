"""Demands in any state, for tests. `appeal_in(status, ...)` writes the row directly with the fields a
demand in that state has (the transition tests then drive the services from there)."""
import datetime

import factory
from django.utils import timezone

from minqing.appeals.models import Appeal, Channel, Status
from minqing.appeals.taxonomy import Category
from minqing.appeals.tokens import receipt_code_new, token_hash
from minqing.core.crypto import encrypt, lookup_hash
from minqing.core.masking import mask_phone

TOKEN = "test-token-0123456789"
PHONE = "13800138000"


def _receipt_code(n: int) -> str:
    """Today's prefix and the factory's sequence number in the code's alphabet: unique among the demands a test
    makes. Random codes (receipt_code_new, which intake retries on a clash) met in a test making hundreds of
    demands on one day about once in a few dozen full runs (a UniqueViolation in a rollup test)."""
    from minqing.appeals.tokens import ALPHABET

    digits = []
    for _ in range(5):
        n, rest = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return receipt_code_new()[:6] + "".join(reversed(digits))


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    receipt_code = factory.Sequence(_receipt_code)
    token_hash = token_hash(TOKEN)
    place_code = factory.LazyAttribute(lambda o: o.place.code)
    channel = Channel.WALK_IN
    title = factory.Sequence(lambda n: f"暖气不热 {n}")
    text = "家里暖气一直不热，室温只有十四度。"
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    phone_cipher = factory.LazyFunction(lambda: encrypt(PHONE))
    phone_hash = lookup_hash(PHONE)
    phone_masked = mask_phone(PHONE)
    phone_verified_at = factory.LazyFunction(timezone.now)  # registered by staff, who checked the caller
    category = factory.LazyFunction(lambda: Category.objects.get(parent__name="水电暖气", name="供暖"))


def appeal_in(status: str, *, place, handler=None, leader=None, **extra) -> Appeal:
    now = timezone.now()
    fields = {"status": status}
    reached = [Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED, Status.REPLIED,
               Status.FOLLOWED_UP, Status.CLOSED, Status.REOPENED]
    if status in reached:
        fields.update(accepted_at=now - datetime.timedelta(days=2), first_response_at=now - datetime.timedelta(days=2))
    if status in (Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED):
        fields.update(handler_user=handler, leader=leader, dispatched_at=now - datetime.timedelta(days=1),
                      handle_deadline=now + datetime.timedelta(days=3))
    if status in (Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED):
        fields.update(outcome="solved", reply_text="已修复", replied_at=now - datetime.timedelta(hours=2))
    if status in (Status.FOLLOWED_UP, Status.CLOSED):
        fields.update(satisfaction="satisfied", follow_up_by="staff", followed_up_at=now - datetime.timedelta(hours=1))
    if status == Status.CLOSED:
        fields["closed_at"] = now - datetime.timedelta(minutes=30)
    if status == Status.MERGED:
        fields["merged_into"] = AppealFactory(place=place)
    fields.update(extra)
    return AppealFactory(place=place, **fields)
