#!/usr/bin/env bash
# The city benchmark in one command: build the data set on PostgreSQL 15, serve with gunicorn, drive it.
#   bench/run.sh --demands 1000000            (see bench/README.md for the options)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || make .venv/.runtime
.venv/bin/python -c "import matplotlib" 2>/dev/null || .venv/bin/pip install -q -e ".[bench]"
exec .venv/bin/python -m bench.city all "$@"
