"""The demo community builds as promised, and no page or export of it shows an unmasked ID number or phone.

The scan is exact: every ID number and phone in the ledger is decrypted once, and every 15/18-digit
and phone-shaped token in the rendered output is checked against that set (building codes are 18
digits too, so a bare pattern match would cry wolf).
"""
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minqing.accounts.models import User
from minqing.core import crypto
from minqing.demo.builders import DemoContext
from minqing.residents.models import Household, Resident, ResidentStatus, ResidentTag

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
TOKENS = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15}|1[3-9]\d{9}|0\d{9,11})(?![\d])")


@pytest.fixture
def demo(db):
    from minqing.accounts import demo as accounts_demo
    from minqing.places import demo as places_demo
    from minqing.residents import demo as residents_demo

    ctx = DemoContext(log=lambda message: None)
    for module in (places_demo, accounts_demo, residents_demo):
        module.build(ctx)
    return ctx


def plain_values() -> set[str]:
    values = set()
    for id_cipher, phone_cipher in Resident.objects.values_list("id_number_cipher", "phone_cipher"):
        values.add(crypto.decrypt(id_cipher))
        if phone_cipher:
            values.add(crypto.decrypt(phone_cipher))
    return values


def leaks(text: str, secrets: set[str]) -> list[str]:
    return [token for token in TOKENS.findall(text) if token.upper() in secrets]


def assert_demo_is_realistic(demo):
    living = Resident.objects.filter(status=ResidentStatus.LIVING)
    assert 2900 <= Household.objects.count() <= 3400
    assert 7400 <= Resident.objects.count() <= 8600
    assert Resident.objects.filter(status=ResidentStatus.MOVED_OUT).count() >= 100
    assert Resident.objects.filter(status=ResidentStatus.DECEASED).exists()
    assert 300 <= living.filter(is_floating=True).count() <= 1200
    households = Household.objects.filter(is_active=True)
    assert households.filter(liaison__isnull=False).count() / households.count() > 0.85
    assert households.filter(head__isnull=True).count() == 0
    current = ResidentTag.objects.current()
    for code in ("retired", "elder_alone", "veteran_party", "hardship", "dibao", "floating"):
        assert current.filter(tag__code=code).exists(), code
    # every demo ID number is valid, and the one build is repeatable in its plain data
    from minqing.residents.identity import parse_id_number

    sample = Resident.objects.order_by("id")[:200]
    for resident in sample:
        parsed = parse_id_number(crypto.decrypt(resident.id_number_cipher))
        assert (parsed.birth_date, parsed.sex) == (resident.birth_date, resident.sex)
    assert Resident.objects.order_by("id").first().name == demo.shared["residents"]["residents"][0].name


def test_the_demo_is_realistic_and_no_page_or_export_shows_an_unmasked_id_or_phone(demo, client):
    # One test, not two: building the demo is the expensive part, so both checks share one build.
    assert_demo_is_realistic(demo)
    secrets = plain_values()
    assert len(secrets) > 10000
    pages = []
    for username in ("secretary", "grid1", "building1", "xincun", "inspector"):
        user = User.objects.get(username=username)
        client.force_login(user)
        resident = Resident.objects.filter(place_code__startswith=user.assignments.first().place.code).first()
        urls = [reverse("home"), reverse("residents:search"), reverse("residents:search") + "?page=3",
                reverse("residents:search") + "?status=all&tag=elder_alone", reverse("residents:care_tags"),
                reverse("residents:liaison"), reverse("residents:my_households"),
                reverse("residents:detail", args=[resident.pk])]
        if resident.household_id:
            urls.append(reverse("residents:household", args=[resident.household_id]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            pages.append(response.content.decode())
        export = client.get(reverse("residents:export") + "?status=all")
        workbook = load_workbook(io.BytesIO(export.content))
        pages.append(" ".join(str(c.value) for row in workbook.active.iter_rows() for c in row if c.value))
    client.force_login(User.objects.get(username="worker"))
    template = load_workbook(io.BytesIO(client.get(reverse("residents:import_template")).content))
    pages.append(" ".join(str(c.value) for ws in template for row in ws.iter_rows() for c in row if c.value))
    found = [leak for page in pages for leak in leaks(page, secrets)]
    assert found == []
    # and the scan does see masked values, so it is reading real pages
    assert any("**********" in page for page in pages)
