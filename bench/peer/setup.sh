#!/usr/bin/env bash
# The peer of the benchmark (issue 19 item 5): django-helpdesk from PyPI, pinned, in its own
# virtualenv outside the repository (nothing of it is vendored here), with gunicorn and psycopg.
#
#   bench/peer/setup.sh                    # → /tmp/peer/hd-venv (PEER_VENV to put it elsewhere)
#
# 2.6.1 is the latest django-helpdesk on PyPI (December 2026); it requires Django >= 5.2 and is
# classified for 5.2 and 6.0, so the venv takes the Django 5.2 LTS that Minqing runs too — both
# sides of the comparison on the same Django (5.2.19 when this was written).
set -euo pipefail
VENV="${PEER_VENV:-/tmp/peer/hd-venv}"
PYTHON="${PEER_PYTHON:-python3.11}"
HELPDESK_VERSION="2.6.1"
DJANGO_VERSION="5.2.*"

if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q "django-helpdesk==$HELPDESK_VERSION" "Django==$DJANGO_VERSION" \
    "gunicorn>=22" "psycopg[binary]>=3.1"
"$VENV/bin/python" -c "import django, helpdesk, gunicorn, psycopg; \
print('django-helpdesk', __import__('importlib.metadata').metadata.version('django-helpdesk'), \
'Django', django.__version__, 'gunicorn', gunicorn.__version__, 'psycopg', psycopg.__version__)"
