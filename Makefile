# Everything a fresh Debian machine needs is installed by these targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps run serve serve-celery export-worker test lint validate bench reliability baselines

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
# request-line and header limits; the reason for each value is there). WORKERS page processes
# of THREADS threads; each page worker hands image and pack exports to its own pool of
# EXPORT_WORKERS export processes (EXPORT_JOBS=local, the default) or to Celery workers
# (make serve-celery with make export-worker). All can be set: make serve WORKERS=4.
WORKERS ?= 2
THREADS ?= 8
EXPORT_WORKERS ?= 1
EXPORT_BROKER_URL ?= redis://127.0.0.1:6379/0
BIND ?= 127.0.0.1:8050
serve: setup
	WORKERS=$(WORKERS) THREADS=$(THREADS) EXPORT_WORKERS=$(EXPORT_WORKERS) BIND=$(BIND) $(BIN)/gunicorn --config gunicorn.conf.py app:server

serve-celery: setup
	EXPORT_JOBS=celery EXPORT_WORKERS=$(EXPORT_WORKERS) EXPORT_BROKER_URL=$(EXPORT_BROKER_URL) WORKERS=$(WORKERS) THREADS=$(THREADS) BIND=$(BIND) $(BIN)/gunicorn --config gunicorn.conf.py app:server

export-worker: setup
	EXPORT_BROKER_URL=$(EXPORT_BROKER_URL) $(BIN)/celery -A indicators.exports.celery_app worker --concurrency $(EXPORT_WORKERS) --loglevel INFO

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

# After an intended change of the look: rewrite the screenshots the visual regression test
# compares with (tests/baselines), then review the changed images before committing them.
baselines: setup
	UPDATE_BASELINES=1 $(BIN)/python -m pytest -q tests/browser/test_visual_regression.py
