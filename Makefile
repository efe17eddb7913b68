# BACUDA Portal. `make run` sets everything up and starts the portal; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install migrate seed messages test lint format check totp worker beat clean browser-deps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Compiles the French catalogue when GNU gettext is installed; the compiled .mo file is also committed.
messages: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found: using the committed locale/*.mo files"; fi

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo --quiet

# Web server, one Celery worker with beat embedded, on SQLite and the filesystem broker by default.
# Ctrl-C reaches the server and the worker (one process group); the trap, cleared before it acts so that it runs
# once, only waits for the worker's warm shutdown (or ends it when make itself is stopped some other way).
run: seed messages
	@echo "Starting the portal on http://$(HOST):$(PORT)/ with a Celery worker and beat (Ctrl-C stops all)."
	@$(BIN)/celery -A bacuda_portal --quiet worker --beat --loglevel=INFO -Q default,reports,models \
		--concurrency=2 --schedule=var/celerybeat-schedule & worker=$$!; \
	trap 'trap - INT TERM EXIT; kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' INT TERM EXIT; \
	$(PY) manage.py demo_accounts; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(BIN)/celery -A bacuda_portal worker --loglevel=INFO -Q $${QUEUES:-default,reports,models}

beat: install
	$(BIN)/celery -A bacuda_portal beat --loglevel=INFO

totp: install
	@$(PY) manage.py demo_totp

# The browser tests (tests/browser) drive Debian's Chromium and turn a downloaded PDF into a picture with poppler's
# pdftoppm; install them when missing (needs root, as in CI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
		else echo "browser-deps: chromium or pdftoppm is missing and this is not root: the browser tests will be skipped"; fi; \
	fi

test: install messages browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=bacuda_portal.settings.production DJANGO_SECRET_KEY=check-only-$$(date +%s)-a-long-random-secret-value-for-checks \
		DJANGO_ALLOWED_HOSTS=portal.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/broker var/cache
