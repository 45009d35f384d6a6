# Two commands on a fresh machine with only Python >= 3.11 and make:
#   make demo   migrate, seed a demo catalog, index it and serve http://127.0.0.1:8000
#   make test   the whole test suite
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

LOCK := requirements/dev.txt

.PHONY: install demo test lint clean bench bench-smoke lock

# Everything is installed from the lock, each file checked against its hash; the project
# itself is installed editable on top, without fetching anything more.
$(STAMP): pyproject.toml $(LOCK)
	@test -n "$(PYTHON)" || { echo "make: Python >= 3.11 is required" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/skillspring demo

# axe-core for the accessibility tests, from tests/browser/package-lock.json (npm checks its
# integrity hash); without npm those tests are skipped and say why.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $(AXE); \
	else echo "make: npm not found, the axe-core accessibility tests will be skipped" >&2; fi

test: lint $(AXE)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check search_service indexer migrations tests benchmarks
	$(BIN)/ruff format --check search_service indexer migrations tests benchmarks
	$(BIN)/mypy search_service indexer

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --plot docs/bench.svg

bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks.run --smoke --out bench-results/smoke.json

# Re-resolve the locks after changing pyproject.toml's dependencies (or to take updates):
# the newest versions the ranges and requirements/constraints.in allow, for every platform.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml requirements/tools.in --extra test --extra bench \
		-c requirements/constraints.in --universal --python-version 3.11 --generate-hashes \
		--index-url https://pypi.org/simple --no-header --upgrade -o requirements/dev.txt
	$(BIN)/uv pip compile pyproject.toml -c requirements/constraints.in -c requirements/dev.txt \
		--universal --python-version 3.11 --generate-hashes \
		--index-url https://pypi.org/simple --no-header -o requirements/runtime.txt

clean:
	rm -rf $(VENV) .skillspring .pytest_cache
