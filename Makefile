# OpenDocket: `make run` serves the site with demo data; `make test` runs the whole suite.
# Both need only Python 3.11+; PostgreSQL and the Celery broker are embedded unless
# DATABASE_URL / CELERY_BROKER_URL point at real servers.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test lint format check clean-db help

help:
	@echo "make run    - set up, load demo data, serve http://127.0.0.1:$${PORT:-8000}/ with worker and beat"
	@echo "make test   - run the test suite (pytest args: make test ARGS='-k lifecycle')"
	@echo "make lint   - ruff check and format check"
	@echo "make check  - Django system checks and the migrations check"
	@echo "make format - ruff format and autofix"
	@echo "make clean-db - delete the embedded database and broker files (stop make run first)"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "OpenDocket needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.runtime: $(VENV)/.python-ok requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	$(PY) scripts/dev.py run

test: $(VENV)/.dev
	$(PY) scripts/dev.py test $(ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.runtime
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean-db:
	rm -rf var/pgdata var/celery-broker var/celery-broker-test var/celerybeat-schedule*
