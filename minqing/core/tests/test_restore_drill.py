"""The restore drill, automated (issue 13.7): back up a real database, restore it somewhere fresh, and
prove the rows, the photos, the audit chain and the encrypted fields came back — and that a restore
under the wrong key is refused before anything is replaced.

SQLite: a scratch database file built by `migrate` in a child process (not the in-memory test database),
restored into a folder that does not exist yet. PostgreSQL: the test database is dumped with pg_dump and
restored with pg_restore into a scratch database created and dropped here (MINQING_PG_BIN_DIR, setting
or environment, points at the server's client tools). Run: `pytest minqing/core/tests/test_restore_drill.py`
(with DATABASE_URL=postgres://… for the PostgreSQL half).
"""
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command

from . import drill_data

pytestmark = pytest.mark.slow


def drill_env(data_dir: Path, database_url: str, **extra) -> dict:
    """A child process's environment: test settings, its own data folder (MEDIA_ROOT) and database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "minqing.settings.test", "MINQING_DATA_DIR": str(data_dir),
           "DATABASE_URL": database_url, "MINQING_FIELD_ENCRYPTION_KEY": settings.MINQING_FIELD_ENCRYPTION_KEY,
           "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    return {**env, **extra}


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=900)
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result


def drill_facts(env: dict, function: str) -> dict:
    code = f"from minqing.core.tests import drill_data as d; d.emit(d.{function}())"
    out = manage(env, "shell", "-c", code).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith(drill_data.MARK))[len(drill_data.MARK):])


def refused_under_a_wrong_key(env: dict, backup: str) -> subprocess.CompletedProcess:
    wrong = {**env, "MINQING_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    return manage(wrong, "restore", backup, "--yes", check=False)


def assert_restored(before: dict, after: dict) -> None:
    assert after == before
    assert after["counts"]["audit"] >= 2 and after["photos"] and after["audit_verify"].startswith("audit chain intact")
    assert after["resident_phone"] == drill_data.RESIDENT_PHONE and len(after["id_number"]) == 18


def test_sqlite_backup_restores_into_a_fresh_place(tmp_path):
    # given a migrated SQLite database file with rows, a photo and audit rows, backed up
    (tmp_path / "old-server").mkdir()
    source = drill_env(tmp_path / "old-server", f"sqlite:///{tmp_path / 'old-server' / 'minqing.sqlite3'}")
    manage(source, "migrate", "--noinput")
    before = drill_facts(source, "seed")
    backup = manage(source, "backup", str(tmp_path / "backups")).stdout.strip().splitlines()[-1]
    # when it is restored on a new machine whose data folder does not exist yet
    fresh = tmp_path / "new-server" / "var"
    target = drill_env(fresh, f"sqlite:///{fresh / 'db' / 'minqing.sqlite3'}")
    wrong_key = refused_under_a_wrong_key(target, backup)
    assert wrong_key.returncode != 0 and "cannot decrypt" in wrong_key.stderr
    assert not (fresh / "db" / "minqing.sqlite3").exists() and not (fresh / "media").exists()  # nothing replaced
    manage(target, "restore", backup, "--yes")
    # then everything is back: rows, photos in the new MEDIA_ROOT, the audit chain, the personal data
    assert_restored(before, drill_facts(target, "facts"))
    assert oct((fresh / "db" / "minqing.sqlite3").stat().st_mode & 0o777) == "0o600"


def _pg_bin_dir() -> str:
    folder = settings.MINQING_PG_BIN_DIR or os.environ.get("MINQING_PG_BIN_DIR", "")
    found = shutil.which("pg_dump", path=folder or None) and shutil.which("pg_restore", path=folder or None)
    if not found:
        pytest.skip(f"pg_dump/pg_restore not found ({folder or 'PATH'}): set MINQING_PG_BIN_DIR")
    return folder


@pytest.fixture
def scratch_database():
    """An empty database on the test cluster, dropped afterwards."""
    from django.db import connection

    name = f"minqing_drill_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_scratch_database(tmp_path, settings, request):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill runs when the tests run on PostgreSQL (DATABASE_URL=postgres://…)")
    settings.MINQING_PG_BIN_DIR = _pg_bin_dir()
    scratch = request.getfixturevalue("scratch_database")
    # given the test database with rows, a photo and audit rows, dumped by `manage.py backup`
    settings.MEDIA_ROOT = tmp_path / "old-media"
    before = drill_data.seed()
    backup = call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO())
    # when it is restored into an empty database on the same cluster
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{scratch}"
    target = drill_env(tmp_path / "new-server", url, MINQING_PG_BIN_DIR=settings.MINQING_PG_BIN_DIR)
    wrong_key = refused_under_a_wrong_key(target, backup)
    assert wrong_key.returncode != 0 and "cannot decrypt" in wrong_key.stderr
    manage(target, "restore", backup, "--yes")
    # then the scratch database holds the same rows and chain, the photos are in its MEDIA_ROOT
    assert_restored(before, drill_facts(target, "facts"))


def test_photos_are_restored_into_media_root_whatever_its_folder_is_called(tmp_path, settings):
    """The archive holds `media/…`; an install whose MEDIA_ROOT is `uploads/` got them in a sibling
    `media/` before. The photos the folder held are kept aside, not deleted."""
    import tarfile

    from minqing.core.management.commands.restore import Command

    (tmp_path / "backed-up" / "media" / "appeals").mkdir(parents=True)
    (tmp_path / "backed-up" / "media" / "appeals" / "p.jpg").write_bytes(b"photo")
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "backed-up" / "media", arcname="media")
    settings.MEDIA_ROOT = tmp_path / "srv" / "uploads"
    (tmp_path / "srv" / "uploads").mkdir(parents=True)
    (tmp_path / "srv" / "uploads" / "newer.jpg").write_bytes(b"taken after the backup")
    Command()._photos(tmp_path / "media.tar.gz")
    assert (tmp_path / "srv" / "uploads" / "appeals" / "p.jpg").read_bytes() == b"photo"
    assert not (tmp_path / "srv" / "media").exists()
    kept = list((tmp_path / "srv").glob("uploads.before-restore-*"))
    assert len(kept) == 1 and (kept[0] / "newer.jpg").exists()
    assert [p.name for p in (tmp_path / "srv").iterdir() if p.name.startswith(".restore-")] == []
