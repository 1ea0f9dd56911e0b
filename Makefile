# Two commands on a fresh clone: `make run` and `make test` (see README).
# pyenv picks Python 3.12 from .python-version; PYTHON overrides it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run worker test lint format messages migrate seed bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12+ is needed (see .python-version)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# The demo data, then today's notices (once each; the daily job in production).
seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py send_notices

# The demo logs in with a password only (its login page says so); production keeps REQUIRE_MFA on.
# A background worker (imports, e-mail, exports) runs beside the dev server and stops with it.
run: seed
	REQUIRE_MFA=0 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	REQUIRE_MFA=0 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# One more worker (production runs as many as needed: they share the PostgreSQL queue).
worker: migrate
	$(PY) manage.py db_worker

# The shipped benchmark (docs/PERFORMANCE.md): national data in a scratch PostgreSQL database
# (bench_<scale>, dropped and recreated; DATABASE_URL or BENCH_POSTGRES names the server), the
# app under gunicorn on loopback, every main page per role beside the admin and a bare view, the
# matching pages, the PDFs and a locust load test (50 users, 60 s), then one table.
# BENCH_SCALE=small|demo, BENCH_REQUESTS, BENCH_USERS, BENCH_DURATION, BENCH_GUNICORN_ARGS.
# locust lives in its own virtualenv (bench/requirements.txt): the app never imports it.
BENCH_VENV ?= var/bench/venv
bench: install
	test -x $(BENCH_VENV)/bin/locust || { $(PY) -m venv $(BENCH_VENV) && \
		$(BENCH_VENV)/bin/pip install --quiet -r bench/requirements.txt; }
	BENCH_LOCUST=$(BENCH_VENV)/bin/locust $(PY) -m bench.run

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: install
	$(PY) manage.py makemessages --locale nl --locale en --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var/db.sqlite3 staticfiles
