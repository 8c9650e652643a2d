"""Test settings with a SQLite *file* test database, for the rollup concurrency test's subprocess."""
import os
import tempfile

from minqing.settings.test import *  # noqa: F401,F403
from minqing.settings.test import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"minqing-dashboard-concurrency-{os.getpid()}.sqlite3")}
