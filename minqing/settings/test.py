"""Tests: the database comes from DATABASE_URL (SQLite in memory by default, PostgreSQL in CI)."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
# A fixed Fernet key for tests only; real keys come from the environment.
os.environ.setdefault("MINQING_FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: E402,F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is tested on its own
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
AXES_FAILURE_LIMIT = 5
MINQING_LOGIN_SOFT_DELAY_MAX = 0.01  # the delay is asserted in core/tests/test_attacks.py, not slept through

# A statement that runs away on a plan PostgreSQL chose for tables without statistics fails its test after two
# minutes instead of holding CI until its 90 minutes run out, unnamed (it happened once: docs/performance.md,
# "tenth pass").
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] != "django.db.backends.sqlite3":
        _database.setdefault("OPTIONS", {})["options"] = "-c statement_timeout=120s"
