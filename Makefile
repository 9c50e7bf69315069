# copkit: `make run` for a local demo, `make test` for the whole check, `make bench` for figures.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-dates lint bench install demo clean fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
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
	COPKIT_TEST_DATES="$(TEST_DATES)" COPKIT_DATE_TESTS="$(DATE_TESTS)" \
		$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The date-sensitive tests with the clock set to a DST change (01:30 in New York on the day
# clocks spring forward), a leap day and a year's end: a test that passes only today fails here.
DATE_TESTS := tests/test_meetings.py tests/test_schedule.py tests/test_calendar.py \
	tests/test_plans.py tests/test_plan_review.py tests/test_surveys.py \
	tests/test_survey_sending.py tests/test_formation_rounds.py tests/test_participation.py \
	tests/test_meeting_reminders.py tests/test_outbox.py tests/test_time_zones.py \
	tests/test_schedule_skip.py tests/test_leader_next_steps.py tests/test_wording.py \
	tests/test_formation_answer.py tests/test_suite.py \
	tests/test_checkins_cycle.py tests/test_checkins_views.py \
	tests/test_support_agenda.py tests/test_support_services.py \
	tests/test_support_views.py tests/test_deeper_services.py tests/test_deeper_reminders.py \
	tests/test_goals_services.py tests/test_goals_pages.py tests/test_evidence_figures.py
TEST_DATES := 2027-03-14T06:30:00+00:00 2028-02-29T12:00:00+00:00 2026-12-31T23:30:00+00:00

# `make test` runs these within its one parallel run (tests/conftest.py); alone:
test-dates: install var
	COPKIT_TEST_DATES="$(TEST_DATES)" COPKIT_DATE_TESTS="$(DATE_TESTS)" \
		$(BIN)/python -m pytest -n auto -q $(DATE_TESTS) $(PYTEST_ARGS)

bench: install var
	$(BIN)/python manage.py bench $(BENCH_ARGS)
	$(BIN)/python manage.py formbench $(FORMBENCH_ARGS)
	$(BIN)/python manage.py outboxbench $(OUTBOXBENCH_ARGS)

clean:
	rm -rf var staticfiles

# The form fuzz test with many more random posts per form than `make test` makes.
fuzz: install var
	COPKIT_FUZZ_CASES=$${COPKIT_FUZZ_CASES:-40} $(BIN)/python -m pytest -n auto -q \
		tests/test_form_fuzz.py $(PYTEST_ARGS)
