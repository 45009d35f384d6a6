# Two commands on a fresh machine with only Python >= 3.11 and make:
#   make demo   migrate, seed a demo catalog, index it and serve http://127.0.0.1:8000
#   make test   the whole test suite
# The first of these that runs and is 3.11 or newer (a pyenv shim of a version that is not
# installed fails quietly here); or PYTHON=/path/to/python.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

LOCK := requirements/dev.txt

.PHONY: install demo test test-fast lint clean bench bench-hybrid bench-smoke lock

# Exactly the lock is installed, nothing resolved: --no-deps installs the pinned lines as they
# are (each file checked against its hash), pip check proves the set complete, and the project
# itself goes on top editable, without fetching anything more. Packages come from pip's own
# default index or the user's pip configuration. The same steps work with the pip that
# Python 3.11, 3.12 and 3.13 ship and with the newest pip (the lock pins pip itself too).
# PYTHONWARNINGS quiets setuptools' notice that an editable install is one.
$(STAMP): pyproject.toml $(LOCK)
	@test -n "$(PYTHON)" || { echo "make: no Python 3.11 or newer found (supported: 3.11, 3.12, 3.13); set PYTHON=/path/to/python3" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(LOCK)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
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

# Test order is random (pytest-randomly prints its seed; `pytest -p randomly --randomly-seed=N`
# repeats an order, `-p no:randomly` runs in file order): every test stands alone.
test: lint $(AXE)
	$(BIN)/python -m pytest

# The tests that start no server process and no browser and sweep nothing: the quick loop
# while working.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m fast -n auto

lint: $(STAMP)
	$(BIN)/ruff check search_service indexer migrations tests benchmarks
	$(BIN)/ruff format --check search_service indexer migrations tests benchmarks
	$(BIN)/mypy search_service indexer

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --plot docs/bench.svg

# Hybrid against lexical search at 100,000 courses, in one run (docs/performance.md).
bench-hybrid: $(STAMP)
	$(BIN)/python -m benchmarks.hybrid --courses 100000

bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks.run --smoke --out bench-results/smoke.json

# Re-resolve the locks after changing pyproject.toml's dependencies (or to take updates):
# the newest versions the ranges and requirements/constraints.in allow, for every platform.
# uv (pinned in the lock itself) resolves; its default index or UV_INDEX_URL decides where from.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml requirements/tools.in --extra test --extra bench \
		-c requirements/constraints.in --universal --python-version 3.11 --generate-hashes \
		--no-header --upgrade -o requirements/dev.txt
	$(BIN)/uv pip compile pyproject.toml -c requirements/constraints.in -c requirements/dev.txt \
		--universal --python-version 3.11 --generate-hashes --no-header -o requirements/runtime.txt

clean:
	rm -rf $(VENV) .skillspring .pytest_cache
