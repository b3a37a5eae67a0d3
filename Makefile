# Two commands: `make run` (set up and serve the demo) and `make test` (the whole
# suite). Both work without activating the virtual environment, on the embedded
# default (SQLite and a file-based Celery queue), or on PostgreSQL and Redis when
# DATABASE_URL and REDIS_URL are set in the environment.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD := demo2023

.PHONY: help venv install run serve demo-accounts test faults load benchmark benchmark-intake lint format clean distclean screenshots

help:
	@echo "make run        set up a virtual environment, the database and the demo data;"
	@echo "                serve http://$(HOST):$(PORT) with a Celery worker and beat"
	@echo "make test       ruff, migration and system checks, then the test suite"
	@echo "make faults     the fault tests: throwaway PostgreSQL and Redis stopped under the app"
	@echo "make load       the load test: fresh PostgreSQL database with the demo data,"
	@echo "                gunicorn, 50 simulated users for 60 s (see benchmarks/load.sh)"
	@echo "make install    create $(VENV) and install the project with its dev tools"
	@echo "make lint       ruff check and format check"
	@echo "make format     ruff format and safe fixes"
	@echo "make screenshots  full-page PNGs of each role's main pages at 1366 and 390 px"
	@echo "                in var/screenshots/ (demo data in var/screenshots-demo)"
	@echo "make clean      remove caches; make distclean also removes $(VENV) and var/"
	@echo "make benchmark  dashboard and list latencies at 100k and 1M suggestions over 8"
	@echo "                bodies, as staff of one body (BENCH_ARGS=--bodies 0: one body)"
	@echo "                (DATABASE_URL=postgres://.../ds_bench; BENCH_ARGS=--scales 100k)"
	@echo "make benchmark-intake  the smart intake's similar and recommendation calls with"
	@echo "                a 100,000-suggestion history (DATABASE_URL as above)"

# --- environment ----------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version)." >&2; \
	  echo "Run 'make PYTHON=python3.11 ...' with a newer interpreter." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python

# Reinstalled when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

# --- the app --------------------------------------------------------------------------

# The demo runs as production does (debugging off: the site's Chinese 404 and 500
# pages, never Django's technical ones), over plain HTTP on this machine: see DEMO in
# config/settings.py. DJANGO_DEBUG=true make run brings the debug pages back.
run serve: export DJANGO_DEMO ?= true
run serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost,$(HOST)

run: install
	$(MANAGE) migrate --noinput
	@if [ -d locale ] && command -v msgfmt >/dev/null 2>&1; then \
	  $(MANAGE) compilemessages --ignore=$(VENV) --ignore=var; \
	fi
	$(MANAGE) load_demo
	@# The reminders owed today for the demo's due-soon and overdue work: the inbox,
	@# and e-mail as files in var/mail (beat repeats the sweep hourly; never twice).
	$(MANAGE) send_reminders --deliver
	@$(MAKE) --no-print-directory demo-accounts
	@$(MAKE) --no-print-directory serve

# The Celery worker (with beat embedded) runs in the background and stops with the
# server, however the server ends (Ctrl-C, an error, a kill).
serve: install
	@log="$${DJANGO_VAR_DIR:-var}/celery-worker.log"; mkdir -p "$$(dirname "$$log")"; \
	$(BIN)/celery -A config worker -B -l info --concurrency 2 --logfile "$$log" & \
	worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null && wait $$worker 2>/dev/null; \
	      echo "Celery worker stopped."' EXIT; \
	trap 'exit 0' INT TERM; \
	echo "Celery worker and beat started (pid $$worker, log: $$log)."; \
	echo "Serving on http://$(HOST):$(PORT)/ -- Ctrl-C stops the server and the worker."; \
	$(MANAGE) runserver $(HOST):$(PORT)

demo-accounts:
	@echo
	@echo "Demo accounts (password for all: $(DEMO_PASSWORD)), log in at http://$(HOST):$(PORT)/"
	@printf '  %-9s %s\n' \
	  admin   "superuser: the admin site, everything" \
	  staff   "congress staff: review, file, assign, decide requests, dashboard" \
	  leader  "leader: key suggestions, overdue lists, dashboard (read-only)" \
	  unit    "handling unit clerk: acknowledge, contact the deputy, reply" \
	  unit2   "clerk of another unit: sees only its own unit's assignments" \
	  deputy  "deputy: draft, submit, co-sign, read replies, rate" \
	  deputy2 "another deputy: co-signs, sees only their own suggestions"
	@echo

# Each demo role's main pages (demo/tour.py), in Chinese, at 1366 and 390 px, written to
# var/screenshots/<role>-<page>-<width>.png: look before and after changing a template.
screenshots: install
	$(BIN)/python scripts/screenshots.py

# --- checks ---------------------------------------------------------------------------

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(BIN)/pytest tests

# Throwaway servers of their own (initdb, redis-server on free ports); see tests/ops.
faults: install
	$(BIN)/pytest -m faults tests/ops

# PostgreSQL at LOAD_PG (default postgres://postgres@127.0.0.1:5432); see the script.
load: install
	bash benchmarks/load.sh
# The list and dashboard benchmark on PostgreSQL: generates the data sets when absent (databases
# named after DATABASE_URL's plus _100k and _1m), then prints a Markdown table.
BENCH_ARGS ?=
benchmark: install
	@case "$${DATABASE_URL:-}" in postgres*) ;; *) \
	  echo "Set DATABASE_URL to a PostgreSQL database, e.g." >&2; \
	  echo "  make benchmark DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_bench" >&2; \
	  exit 1;; esac
	$(BIN)/python benchmarks/dashboard_lists.py $(BENCH_ARGS)

# The smart intake's answers with a 100,000-suggestion history on PostgreSQL (database named
# after DATABASE_URL's plus _intake, generated when absent); prints a table.
benchmark-intake: install
	@case "$${DATABASE_URL:-}" in postgres*) ;; *) \
	  echo "Set DATABASE_URL to a PostgreSQL database, e.g." >&2; \
	  echo "  make benchmark-intake DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_bench" >&2; \
	  exit 1;; esac
	$(BIN)/python benchmarks/intake.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .pytest_cache .ruff_cache *.egg-info var/staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
