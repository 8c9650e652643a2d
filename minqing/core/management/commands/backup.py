"""`manage.py backup DIR`: a consistent copy of the database and the uploaded photos (issue 13.7).

SQLite: the online backup API (consistent while the server and the scheduler keep writing).
PostgreSQL: `pg_dump --format=custom` (needs the client tools — MINQING_PG_BIN_DIR when they are not on
PATH or not the server's version — and DATABASE_URL's credentials).
Photos: MEDIA_ROOT as a .tar.gz. A manifest.json records sizes and SHA-256 of each file, and one
encrypted value from the data (`key_sample`) so `restore` can tell before replacing anything whether
the configured key opens this backup.

The encryption key is NOT in the backup, on purpose: a stolen backup stays unreadable. Keep the key
(MINQING_FIELD_ENCRYPTION_KEY, in .env for `make run`) apart — printed on paper in the office safe,
or in a password manager — because without it a backup's ID numbers and phones are lost for good.
"""
import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_env() -> dict:
    db = settings.DATABASES["default"]
    return {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": db.get("USER") or "", "PGPASSWORD": db.get("PASSWORD") or "", "PGDATABASE": db["NAME"]}


def pg_bin(name: str) -> str:
    """pg_dump/pg_restore from MINQING_PG_BIN_DIR (setting or environment) when given, else from PATH."""
    folder = getattr(settings, "MINQING_PG_BIN_DIR", "") or os.environ.get("MINQING_PG_BIN_DIR", "")
    return str(Path(folder) / name) if folder else name


def cipher_columns() -> list[tuple[str, str]]:
    """(table, column) of every encrypted field (the `*_cipher` convention of core/crypto.py)."""
    return [(model._meta.db_table, field.column) for model in apps.get_models()
            for field in model._meta.concrete_fields if field.name.endswith("_cipher")]


def key_sample(cursor) -> str:
    """The first encrypted value found through a DB-API cursor ("" when the data holds none)."""
    for table, column in cipher_columns():
        try:
            cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\' LIMIT 1')
        except sqlite3.OperationalError:  # a backup from before this table existed
            continue
        row = cursor.fetchone()
        if row:
            return row[0]
    return ""


class Command(BaseCommand):
    help = "Back up the database and the photos into DIR (the encryption key is deliberately not included)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        old_umask = os.umask(0o077)
        try:
            target = Path(directory) / datetime.datetime.now().strftime("minqing-%Y%m%d-%H%M%S")
            target.mkdir(parents=True)
            files = [self._database(target), self._photos(target)]
            with connection.cursor() as cursor:
                sample = key_sample(cursor)
            manifest = {"created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                        "vendor": connection.vendor, "key_sample": sample,
                        "files": {p.name: {"bytes": p.stat().st_size, "sha256": sha256(p)} for p in files},
                        "key_included": False}
            (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        finally:
            os.umask(old_umask)
        self.stdout.write(f"backup written to {target}\n"
                          "The encryption key is not in it: keep MINQING_FIELD_ENCRYPTION_KEY safe elsewhere.")
        return str(target)

    def _database(self, target: Path) -> Path:
        if connection.vendor == "sqlite":
            path = target / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            return path
        if connection.vendor == "postgresql":
            path = target / "database.pgdump"
            subprocess.run([pg_bin("pg_dump"), "--format=custom", "--no-owner", "--file", str(path)], env=pg_env(), check=True)
            return path
        raise CommandError(f"no backup method for {connection.vendor}")

    def _photos(self, target: Path) -> Path:
        path = target / "media.tar.gz"
        with tarfile.open(path, "w:gz") as archive:
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
        return path
