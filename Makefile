# Every target creates and uses a local virtual environment in .venv,
# so `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHECKOV_VERSION := 3.3.30

.PHONY: install demo test test-fast lint fmt bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# checkov (tests/export) in its own environment: it pins boto3 and ships its own hcl2
	$(BIN)/python -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $(STAMP)

install: $(STAMP)

## demo: start the embedded AWS, apply the main example, re-plan, summarize
demo: $(STAMP)
	$(BIN)/lz up

## test: lint, type-check and run the whole test suite (unit + end-to-end)
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadfile

## test-fast: the tests without lint, on one core
test-fast: $(STAMP)
	$(BIN)/pytest -x -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## bench: the scale benchmarks (results go to benchmarks/results/)
bench: $(STAMP)
	$(BIN)/python benchmarks/org_scale.py
	$(BIN)/python benchmarks/export_scale.py
	$(BIN)/python benchmarks/network_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
