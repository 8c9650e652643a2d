"""A small ledger on the shared `tree`: one household in each of buildings A1, A2 and B1."""
import datetime

import pytest

from .factories import HouseholdFactory, make_resident, valid_id_number

ID_A1 = valid_id_number(datetime.date(1950, 6, 15), "M", sequence=11)
ID_A2 = valid_id_number(datetime.date(1982, 1, 30), "F", sequence=12)
ID_B1 = valid_id_number(datetime.date(1990, 12, 1), "M", sequence=13)
PHONE_A1 = "13812345678"


@pytest.fixture(autouse=True)
def care_tags(request):
    """The seeded care tags, restored if a transactional test elsewhere flushed the migration's rows."""
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from minqing.residents.care_tags import seed_care_tags
    from minqing.residents.models import CareTag

    seed_care_tags(CareTag)


@pytest.fixture
def ledger(tree):
    h_a1 = HouseholdFactory(building=tree["building_a1"], room="1单元101")
    h_a2 = HouseholdFactory(building=tree["building_a2"], room="2单元202")
    h_b1 = HouseholdFactory(building=tree["building_b1"], room="3单元303")
    return {
        "h_a1": h_a1, "h_a2": h_a2, "h_b1": h_b1,
        "a1": make_resident(h_a1, "张德明", id_number=ID_A1, phone=PHONE_A1),
        "a1_spouse": make_resident(h_a1, "李秀兰", relation="spouse", id_number=valid_id_number(
            datetime.date(1952, 2, 3), "F", sequence=14)),
        "a2": make_resident(h_a2, "王海燕", id_number=ID_A2, phone="02348751234"),
        "b1": make_resident(h_b1, "陈志强", id_number=ID_B1, phone="13900001111"),
    }


@pytest.fixture
def flushable_audit():
    """Transactional tests end with a flush, which the audit trail's SQLite DELETE trigger refuses
    (PostgreSQL TRUNCATEs, which row triggers do not see): empty it with the trigger lifted briefly."""
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "sqlite":
        triggers = import_module("minqing.core.migrations.0002_audit_append_only")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
            cursor.execute("DELETE FROM core_auditentry")
            cursor.execute(triggers.SQLITE_UP[1])
