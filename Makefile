# Everything a fresh Debian machine needs is installed by these targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps run serve test lint validate bench reliability

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

setup: system-deps $(STAMP)

# Debian's Chromium serves the browser tests and kaleido's image export.
system-deps:
	@bash scripts/install-system-deps.sh

run: setup
	$(BIN)/python app.py

# Production: gunicorn with gunicorn.conf.py (gthread workers, time limits, worker recycling,
# request-line and header limits; the reason for each value is there). WORKERS processes (one
# export browser each) of THREADS threads, so that an export or a briefing pack waiting on
# Chromium does not hold up other requests; all three can be set: make serve WORKERS=4.
WORKERS ?= 2
THREADS ?= 4
BIND ?= 127.0.0.1:8050
serve: setup
	WORKERS=$(WORKERS) THREADS=$(THREADS) BIND=$(BIND) $(BIN)/gunicorn --config gunicorn.conf.py app:server

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m indicators validate
	$(BIN)/python -m pytest -q

validate: $(STAMP)
	$(BIN)/python -m indicators validate

bench: setup
	$(BIN)/python -m benchmarks

reliability: setup
	$(BIN)/python -m reliability
