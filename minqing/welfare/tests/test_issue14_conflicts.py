"""Issue 14, item 8: withdrawal and disbursement check the conflict of interest; a declaration flags the
household's approved (still paid) applications too; the household search on /welfare/relations/ finds
"3栋201"-style addresses, as its hint says."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.core.errors import PermissionDenied
from minqing.places.tests.factories import child_of
from minqing.places.models import PlaceKind
from minqing.residents.tests.factories import HouseholdFactory
from minqing.welfare import services
from minqing.welfare.models import Application, Kinship, Status

from .factories import household_with_members, submit

pytestmark = pytest.mark.django_db


def _declare(staff, household, kinship=Kinship.PARENT):
    return services.staff_relation_declare(actor=staff, staff=staff, household=household, kinship=kinship,
                                           relative_name="王母")


def _approved(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    application.refresh_from_db()
    return application


def test_a_relative_cannot_withdraw_the_application(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    _declare(welfare["worker2"], welfare["household"])
    with pytest.raises(PermissionDenied) as info:
        services.application_withdraw(actor=welfare["worker2"], application=application, reason="申请人要求撤回")
    assert info.value.code == "conflict_of_interest"
    services.application_withdraw(actor=welfare["worker"], application=application, reason="申请人要求撤回")


def test_a_relative_cannot_record_a_disbursement(welfare):
    application = _approved(welfare)
    _declare(welfare["worker2"], welfare["household"], Kinship.CHILD)
    month = timezone.localdate().replace(day=1)
    with pytest.raises(PermissionDenied) as info:
        services.disbursement_record(actor=welfare["worker2"], application=application, period=month,
                                     amount=Decimal("800"), paid_on=timezone.localdate())
    assert info.value.code == "conflict_of_interest" and not application.disbursements.exists()
    services.disbursement_record(actor=welfare["worker"], application=application, period=month,
                                 amount=Decimal("800"), paid_on=timezone.localdate())


def test_a_declaration_flags_an_approved_application_still_paid(welfare):
    application = _approved(welfare)
    _declare(welfare["worker2"], welfare["household"])
    application.refresh_from_db()
    assert application.flagged_relative and str(welfare["worker2"]) in application.flag_note


def test_the_household_search_finds_building_and_room(client, tree, welfare):
    building3 = child_of(tree["grid_a1"], PlaceKind.BUILDING, 3, "3栋")
    household = HouseholdFactory(building=building3, room="201")
    other = HouseholdFactory(building=building3, room="502")
    client.force_login(welfare["worker"])
    page = client.get(reverse("welfare:relations"), {"q": "3栋201"}).content.decode()
    assert f'value="{household.pk}"' in page or f"household={household.pk}" in page
    assert f"household={other.pk}" not in page and f'value="{other.pk}"' not in page
