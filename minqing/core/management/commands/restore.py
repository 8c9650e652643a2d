"""`manage.py restore DIR --yes`: put a backup made by `manage.py backup` back (issue 13.7).

Checks the manifest's SHA-256 first. SQLite: the backup API copies the file into the configured
database (stop the server and the scheduler first). PostgreSQL: `pg_restore --clean --if-exists` into
DATABASE_URL's database, run as the owner role (docs/security.md). Photos are unpacked into MEDIA_ROOT.
The same encryption key must be configured, or personal data will not decrypt (checked at the end).
"""
import json
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import pg_env, sha256


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
        self._database(source)
        with tarfile.open(source / "media.tar.gz") as archive:
            archive.extractall(Path(settings.MEDIA_ROOT).parent, filter="data")
        self.stdout.write(f"restored {source}")

    def _database(self, source: Path) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(source / "database.sqlite3") as backup:
                backup.backup(connection.connection)
            return
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", pg_env()["PGDATABASE"],
                        str(source / "database.pgdump")], env=pg_env(), check=True)
