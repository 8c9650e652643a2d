# Minqing — two commands: `make run` (set up and serve the demo) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup test-setup serve migrate demo scheduler clean clean-data

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(PY) -m pip install -q -e ".[test]"
	touch $@

setup: $(VENV)/.runtime
	$(PY) bin/localenv.py
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_load --if-empty

## run: install, migrate the embedded SQLite database under var/, load the demo community, serve on :8000
## (gunicorn + the scheduler, DEBUG off, WhiteNoise for static files: bin/serve.py)
run: setup
	$(PY) bin/serve.py

## test: install the test dependencies (and Debian's Chromium for browser tests) and run every test
test: $(VENV)/.test
	bash bin/test-system-deps
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## clean: remove the virtualenv only. The database (var/) and .env (the ONLY copy of the encryption key)
## stay: `make clean-data` deletes them after you type DELETE (back them up first: docs/security.md).
clean:
	rm -rf $(VENV)

clean-data:
	@echo "This deletes var/ (database, photos) and .env (the encryption key: without it the ID numbers and phones in any backup cannot be read)."
	@read -p "Type DELETE to confirm: " answer && [ "$$answer" = DELETE ] && rm -rf var .env && echo deleted || echo "kept"
