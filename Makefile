# Everything a fresh Debian machine needs is installed by these targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps run test lint validate bench

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

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m indicators validate
	$(BIN)/python -m pytest -q

validate: $(STAMP)
	$(BIN)/python -m indicators validate

bench: setup
	$(BIN)/python -m benchmarks
