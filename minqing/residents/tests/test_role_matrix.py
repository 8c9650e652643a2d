"""The role matrix for ledger data: for each role in `actors`, exactly what it can see and change.

Resident A1 lives in building A1 (grid A1, community A), A2 in grid A2, B1 in community B.
"""
import datetime
import io

import pytest

from minqing.core.errors import NotFound, PermissionDenied
from minqing.residents import importing, privacy, selectors, services
from minqing.residents.models import CareTag

pytestmark = pytest.mark.django_db

# role: (residents visible, may change A1, may reveal A1's ID, may import)
MATRIX = {
    "admin": ({"a1", "a1_spouse", "a2", "b1"}, True, True, True),
    "street": ({"a1", "a1_spouse", "a2", "b1"}, PermissionDenied, PermissionDenied, False),
    "secretary": ({"a1", "a1_spouse", "a2"}, True, True, True),
    "worker": ({"a1", "a1_spouse", "a2"}, True, True, True),
    "grid": ({"a1", "a1_spouse"}, True, True, False),
    "building": ({"a1", "a1_spouse"}, PermissionDenied, PermissionDenied, False),
    "branch": ({"a2"}, NotFound, NotFound, False),
    "partner": (set(), NotFound, NotFound, False),
    "supervisor": ({"a1", "a1_spouse", "a2", "b1"}, PermissionDenied, PermissionDenied, False),
}


def test_matrix_covers_every_actor(actors):
    assert set(MATRIX) == set(actors)


@pytest.mark.parametrize("role", MATRIX)
def test_what_each_role_sees(actors, ledger, role):
    visible, *_rest = MATRIX[role]
    actor = actors[role]
    assert {key for key in ("a1", "a1_spouse", "a2", "b1")
            if selectors.resident_list(actor=actor, status="").filter(pk=ledger[key].pk).exists()} == visible
    for key in ("a1", "a2", "b1"):
        if key in visible:
            assert selectors.resident_get(actor=actor, resident_id=ledger[key].pk) == ledger[key]
        else:
            with pytest.raises(NotFound):
                selectors.resident_get(actor=actor, resident_id=ledger[key].pk)


@pytest.mark.parametrize("role", MATRIX)
def test_what_each_role_may_change(actors, ledger, role):
    _visible, change, _reveal, _import = MATRIX[role]
    call = lambda: services.resident_update(actor=actors[role], resident_id=ledger["a1"].pk, notes="走访时更新")  # noqa
    if change is True:
        assert call().notes == "走访时更新"
        services.resident_tag_add(actor=actors[role], resident_id=ledger["a1"].pk, tag_id=CareTag.objects.first().pk,
                                  start_date=datetime.date(2020, 1, 1))
    else:
        with pytest.raises(change):
            call()
        with pytest.raises(change):
            services.resident_move_out(actor=actors[role], resident_id=ledger["a1"].pk, date=datetime.date(2026, 1, 1))


@pytest.mark.parametrize("role", MATRIX)
def test_who_may_reveal(actors, ledger, role):
    _visible, _change, reveal, _import = MATRIX[role]
    call = lambda: privacy.resident_reveal(actor=actors[role], resident_id=ledger["a1"].pk, field="phone",  # noqa
                                           reason="核对")
    if reveal is True:
        assert call() == "13812345678"
    else:
        with pytest.raises(reveal):
            call()


@pytest.mark.parametrize("role", MATRIX)
def test_who_may_import(actors, ledger, role):
    may_import = MATRIX[role][3]
    empty = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(empty)
    empty.seek(0)
    if may_import:
        assert importing.ledger_import(actor=actors[role], file=empty, filename="x.xlsx").issues
    else:
        with pytest.raises(PermissionDenied):
            importing.ledger_import(actor=actors[role], file=empty, filename="x.xlsx")
