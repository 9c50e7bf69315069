# copkit: `make run` for a local demo, `make test` for the whole check, `make bench` for figures.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint bench install demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var/broker/processed var/broker/control var/mail

demo: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo

# Web server, Celery worker and beat together; Ctrl-C stops all three.
run: demo
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A copkit worker --loglevel=INFO --concurrency=1 & \
	$(BIN)/celery -A copkit beat --loglevel=INFO --schedule var/celerybeat-schedule & \
	$(BIN)/python manage.py runserver $${PORT:-8000}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install var
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: running in $(CHROMIUM)"; \
	else echo "Browser tests: SKIPPED, no Chromium at $(CHROMIUM) (apt-get install chromium)"; fi
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

bench: install var
	$(BIN)/python manage.py bench $(BENCH_ARGS)
	$(BIN)/python manage.py formbench $(FORMBENCH_ARGS)

clean:
	rm -rf var staticfiles
