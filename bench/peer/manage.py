#!/usr/bin/env python
"""manage.py of the peer project: run it with the helpdesk venv's python (bench/peer/setup.sh)."""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]  # hdsite, and the repository root for bench.querycount
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
from django.core.management import execute_from_command_line  # noqa: E402

execute_from_command_line(sys.argv)
