# Soft Landing: `make run` to start everything, `make test` to check everything.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

# A working uv on PATH, or one installed into .tools on first use.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv)
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATA := .test-data

.PHONY: run dev test lint typecheck migrations-check test-sqlite test-postgres test-browser \
        bench venv data migrate static clean container-test messages

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

# Synced again only when the lock file or pyproject.toml changed since the last sync.
venv: .venv/.synced

.venv/.synced: uv.lock pyproject.toml | $(if $(filter uv,$(UV)),,.tools/bin/uv)
	$(UV) sync --frozen --quiet
	touch $@

data: venv
	$(PY) softlanding/bootstrap.py

migrate: data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py migrate --database keys --noinput
	$(PY) manage.py createcachetable

static: venv
	$(PY) manage.py collectstatic --noinput --verbosity 0

## Start the web server and the background workers; Ctrl-C stops all of them.
## One process prepares everything first (secrets, migrations, static files), skipping what
## is already done; when nothing it depends on changed since, not even that process starts
## (scripts/prepared.py), so that a second start answers within seconds.
run: venv
	@$(PY) scripts/prepared.py check || { $(PY) softlanding/prepare.py && $(PY) scripts/prepared.py write; }
	HOST=$(HOST) PORT=$(PORT) scripts/run

## The development server with DEBUG and autoreload (workers not included).
dev: migrate
	DEBUG=1 SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

## Everything CI checks: lint, types, migrations, tests on SQLite and PostgreSQL, browser.
## Two at a time: one pytest keeps one core busy, and the runs share no database or data folder.
## Each run's output is printed whole when it ends.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target \
	  lint typecheck migrations-check test-sqlite test-postgres test-browser

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: venv $(TEST_DATA)/kek
	SOFTLANDING_DATA_DIR=$(TEST_DATA) $(PY) -m mypy .

$(TEST_DATA)/kek $(TEST_DATA)-postgres/kek $(TEST_DATA)-browser/kek: | venv
	SOFTLANDING_DATA_DIR=$(@D) $(PY) softlanding/bootstrap.py >/dev/null

migrations-check: venv $(TEST_DATA)/kek
	SOFTLANDING_DATA_DIR=$(TEST_DATA) $(PY) manage.py makemigrations --check --dry-run

test-sqlite: venv $(TEST_DATA)/kek
	SOFTLANDING_DATA_DIR=$(TEST_DATA) $(PY) -m pytest -q -m "not browser" --durations=25

# Each run has a data folder of its own (keys, VAPID key, backups): they run side by side.
test-postgres: venv $(TEST_DATA)-postgres/kek
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "Running the suite on PostgreSQL"; \
	  SOFTLANDING_DATA_DIR=$(TEST_DATA)-postgres DATABASE_URL="$$TEST_DATABASE_URL" \
	    $(PY) -m pytest -q -m "not browser" --durations=25; \
	else echo "TEST_DATABASE_URL is not set: skipping PostgreSQL"; fi

test-browser: venv $(TEST_DATA)-browser/kek
	@if [ -x /usr/bin/chromium ]; then \
	  SOFTLANDING_DATA_DIR=$(TEST_DATA)-browser $(PY) -m pytest -q -m browser --durations=25; \
	elif [ -n "$$CI" ]; then echo "CI needs /usr/bin/chromium for the browser tests"; exit 1; \
	else echo "No /usr/bin/chromium: skipping browser tests"; fi

## Throughput and latency of key pages under the production server; writes docs/performance.md.
bench: venv
	$(PY) bench/run.py
	$(PY) bench/dispatcher.py

## Build the container image and try it against the local PostgreSQL (needs podman; docs/deploy.md).
container-test:
	scripts/container-test

clean:
	rm -rf .venv .tools $(TEST_DATA) $(TEST_DATA)-postgres $(TEST_DATA)-browser staticfiles

## Catalogues: collect every translatable string into locale/<code>/LC_MESSAGES/django.po for
## each folder in locale/ (new strings come in empty), then compile the .mo files the app reads.
messages: venv $(TEST_DATA)/kek
	SOFTLANDING_DATA_DIR=$(TEST_DATA) $(PY) manage.py makemessages --all
	SOFTLANDING_DATA_DIR=$(TEST_DATA) $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools
