"""`manage.py restore DIR --yes`: put a backup made by `manage.py backup` back (issue 13.7).

Nothing is replaced until every check passed: the manifest's SHA-256 of each file, the confirmation, the
database vendor, and that the configured encryption key decrypts an encrypted value of the backup (a
restore under the wrong key would bring back ID numbers and phones nobody can read). Then:
SQLite: the backup API copies the file into the configured database (its folder is created if missing;
stop the server and the scheduler first). PostgreSQL: `pg_restore --clean --if-exists` into
DATABASE_URL's database, run as the owner role (docs/security.md). Photos: unpacked into MEDIA_ROOT
itself, whatever its folder is called; the photos it held before are kept beside it
(`<MEDIA_ROOT>.before-restore-<time>`), never deleted.
"""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minqing.core.crypto import decrypt

from .backup import key_sample, pg_bin, pg_env, sha256


class Command(BaseCommand):
    help = "Restore a backup directory made by `manage.py backup` (overwrites the database and photos)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args, directory, yes=False, **options):
        source = Path(directory)
        manifest = json.loads((source / "manifest.json").read_text())
        for name, facts in manifest["files"].items():
            if sha256(source / name) != facts["sha256"]:
                raise CommandError(f"{name} does not match its checksum: the backup is damaged")
        if not yes:
            raise CommandError("restore replaces the database and the photos: run again with --yes")
        if manifest["vendor"] != connection.vendor:
            raise CommandError(f"backup is {manifest['vendor']}, the configured database is {connection.vendor}")
        self._check_key(source, manifest)
        self._database(source)
        self._photos(source / "media.tar.gz")
        self.stdout.write(f"restored {source}")

    def _check_key(self, source: Path, manifest: dict) -> None:
        sample = manifest.get("key_sample")
        if sample is None and manifest["vendor"] == "sqlite":  # a backup made before the manifest kept one
            with sqlite3.connect(f"file:{source / 'database.sqlite3'}?mode=ro", uri=True) as copy:
                sample = key_sample(copy.cursor())
        try:
            decrypt(sample or "")
        except ValueError as exc:
            raise CommandError("the configured MINQING_FIELD_ENCRYPTION_KEY cannot decrypt this backup's "
                               "personal data: configure the key the backup was made with; nothing was "
                               "replaced") from exc

    def _database(self, source: Path) -> None:
        if connection.vendor == "sqlite":
            name = str(settings.DATABASES["default"]["NAME"])
            on_disk = name not in ("", ":memory:") and not name.startswith("file:")
            if on_disk:  # a fresh machine has no var/ yet
                Path(name).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            connection.ensure_connection()
            with sqlite3.connect(source / "database.sqlite3") as backup:
                backup.backup(connection.connection)
            if on_disk:
                Path(name).chmod(0o600)
            return
        subprocess.run([pg_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--dbname",
                        pg_env()["PGDATABASE"], str(source / "database.pgdump")], env=pg_env(), check=True)

    def _photos(self, archive_path: Path) -> None:
        """The archive holds `media/…` (MEDIA_ROOT's content): unpack beside MEDIA_ROOT, then swap it in."""
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        unpacked = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
        with tarfile.open(archive_path) as archive:
            archive.extractall(unpacked, filter="data")
        restored = unpacked / "media"
        restored.mkdir(exist_ok=True)  # a backup of an install without photos
        if media.exists():
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            media.rename(media.with_name(f"{media.name}.before-restore-{stamp}"))
        os.replace(restored, media)
        shutil.rmtree(unpacked)
