"""What the restore drill (test_restore_drill.py) writes before the backup and reads after the restore.

Run inside the test process (PostgreSQL: the test database is the source) or in a `manage.py shell`
against a scratch database; both print/return the same facts so the test can compare them.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

MARK = "DRILL:"
ID_NUMBER_SEQUENCE = 7
RESIDENT_PHONE = "13911112222"
REPORTER_PHONE = "13933334444"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _seeded_reference_data() -> None:
    """The calendar and the taxonomy come from data migrations; a flushed test database lacks them."""
    from minqing.appeals.default_taxonomy import seed_default
    from minqing.appeals.taxonomy import Category, ServiceLevel
    from minqing.workdays.models import CalendarDay, CalendarYear
    from minqing.workdays.seed import seed_from_package

    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)
    seed_default(Category, ServiceLevel)


def seed() -> dict:
    """A community, a resident with an encrypted ID number and phone, a public demand with a photo,
    accepted by the secretary: rows, a file in MEDIA_ROOT and audit rows on the chain."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role
    from minqing.appeals import services
    from minqing.places.tests.factories import two_community_tree
    from minqing.residents.tests.factories import HouseholdFactory, make_resident, valid_id_number

    _seeded_reference_data()
    tree = two_community_tree()
    household = HouseholdFactory(building=tree["building_a1"], room="1单元101")
    make_resident(household, "演练", id_number=valid_id_number(sequence=ID_NUMBER_SEQUENCE), phone=RESIDENT_PHONE)
    photo = SimpleUploadedFile("drill.png", _png(), content_type="image/png")
    appeal = services.appeal_submit(actor=None, place=tree["community_a"], channel="web", phone=REPORTER_PHONE,
                                    text="演练：三号楼楼道灯不亮", photos=[photo])
    secretary = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="drill_secretary")
    services.appeal_accept(actor=secretary, appeal_id=appeal.pk)
    return facts()


def facts() -> dict:
    """Row counts, the decrypted personal data, the photos' digests and the audit chain's verdict."""
    from django.conf import settings
    from django.core.management import call_command

    from minqing.appeals.models import Appeal, AppealPhoto
    from minqing.core.crypto import decrypt
    from minqing.core.models import AuditEntry
    from minqing.residents.models import Resident

    verdict = io.StringIO()
    call_command("audit_verify", stdout=verdict)
    resident = Resident.objects.get(name="演练")
    media = Path(settings.MEDIA_ROOT)
    return {
        "counts": {"residents": Resident.objects.count(), "appeals": Appeal.objects.count(),
                   "photos": AppealPhoto.objects.count(), "audit": AuditEntry.objects.count()},
        "id_number": decrypt(resident.id_number_cipher), "resident_phone": decrypt(resident.phone_cipher),
        "reporter_phones": sorted(decrypt(a.phone_cipher) for a in Appeal.objects.all()),
        "photos": {p.image.name: hashlib.sha256((media / p.image.name).read_bytes()).hexdigest()
                   for p in AppealPhoto.objects.all()},
        "audit_verify": verdict.getvalue().strip(),
    }


def emit(payload: dict) -> None:
    print(MARK + json.dumps(payload, ensure_ascii=False))
