"""The resident's political status 政治面貌, which the edge-member finder reads: editable on the ledger
form (through resident_update, audited) and importable from Excel (checked like every column)."""
import datetime

import pytest

from minqing.residents import services as ledger
from minqing.residents.importing import ledger_import
from minqing.residents.models import Resident
from minqing.residents.tests.factories import valid_id_number
from minqing.residents.tests.test_import import row, xlsx

from .factories import resident

pytestmark = pytest.mark.django_db


def test_political_status_is_a_ledger_profile_field(tree, actors):
    person = resident(tree["building_a1"], "王建华")
    ledger.resident_update(actor=actors["worker"], resident_id=person.pk, political_status="party")
    person.refresh_from_db()
    assert person.political_status == "party"


def test_import_reads_political_status_and_reports_an_unknown_one(tree, actors):
    a1 = tree["building_a1"].code
    good = row(a1, "1单元101", "赵党员", "户主", valid_id_number(datetime.date(1950, 1, 1), sequence=301), 政治面貌="中共党员")
    bad = row(a1, "1单元102", "钱某", "户主", valid_id_number(datetime.date(1951, 1, 1), sequence=302), 政治面貌="党员吧")
    report = ledger_import(actor=actors["worker"], file=xlsx([good, bad]), filename="x.xlsx", dry_run=True)
    assert [(i.row, i.message[:6]) for i in report.issues] == [(3, "政治面貌应为")]
    report = ledger_import(actor=actors["worker"], file=xlsx([good]), filename="x.xlsx", dry_run=False)
    assert report.applied and Resident.objects.get(name="赵党员").political_status == "party"
