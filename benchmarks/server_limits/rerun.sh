#!/bin/sh
# Rebuild venv if missing, run all probes against all setups (~13 min), print table.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x venv/bin/python ] || { "$PY" -m venv venv && venv/bin/pip install -q "uvicorn==0.55.0" httptools h11 "granian[uvloop]==2.8.9" hypercorn psutil; }
export RESULTS_DIR="${RESULTS_DIR:-$PWD/results}"
venv/bin/python run_all.py "$@"
venv/bin/python summarize.py
