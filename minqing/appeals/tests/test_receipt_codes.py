"""Receipt codes: a clash with an existing code is caught by the unique index and retried."""
from unittest import mock

import pytest

from minqing.appeals import intake
from minqing.appeals.models import Appeal

from .factories import appeal_in


@pytest.mark.django_db(transaction=True)
def test_clash_outside_a_transaction_is_retried(tree, flushable_audit):
    taken = appeal_in("submitted", place=tree["building_a1"]).receipt_code
    codes = iter([taken, taken, "261124ABCDE"])
    with mock.patch.object(intake, "receipt_code_new", side_effect=lambda now=None: next(codes)):
        appeal = intake.appeal_submit(actor=None, place=tree["community_a"], channel="web",
                                      phone="13912345678", text="楼道堆放杂物很危险")
    assert appeal.receipt_code == "261124ABCDE"
    assert Appeal.objects.filter(receipt_code="261124ABCDE").count() == 1


@pytest.mark.django_db
def test_clash_inside_a_transaction_is_avoided_by_looking_first(tree):
    taken = appeal_in("submitted", place=tree["building_a1"]).receipt_code
    codes = iter([taken, "261124FGHJK"])
    with mock.patch.object(intake, "receipt_code_new", side_effect=lambda now=None: next(codes)):
        appeal = intake.appeal_submit(actor=None, place=tree["community_a"], channel="web",
                                      phone="13912345678", text="楼道堆放杂物很危险")
    assert appeal.receipt_code == "261124FGHJK"
