# Two commands on a fresh machine with only Python >= 3.11 and make:
#   make demo   migrate, seed a demo catalog, index it and serve http://127.0.0.1:8000
#   make test   the whole test suite
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint clean bench bench-smoke

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: Python >= 3.11 is required" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/skillspring demo

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check search_service indexer migrations tests benchmarks
	$(BIN)/ruff format --check search_service indexer migrations tests benchmarks
	$(BIN)/mypy search_service indexer

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run --sizes 10000,100000

bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks.run --smoke --out bench-results/smoke.json

clean:
	rm -rf $(VENV) .skillspring .pytest_cache
