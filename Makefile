# Two entry points for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install system-deps run predict test lint format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Debian packages the tests need: Chromium (browser tests) and PostgreSQL (store tests).
system-deps:
	bash scripts/install-system-deps.sh

# The main job: score the bundled prospects, then open the manager's web app on them.
run: install
	$(BIN)/segmentor predict src/segmentor/data/test.csv --out out/prospects.segments.csv
	$(BIN)/segmentor app

predict: install
	$(BIN)/segmentor predict src/segmentor/data/test.csv --out out/prospects.segments.csv

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-logo --no-cache

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: install system-deps lint
	bash scripts/run-tests.sh
	bash scripts/pip-audit.sh

bench: install
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/books.py
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
