#!/usr/bin/env bash
# The whole test suite. Starts the services the tests need (a throwaway PostgreSQL server),
# runs pytest, and stops them again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
# Two workers share two cores, and each model fit runs OpenMP threads (LightGBM, torch):
# idle OpenMP threads that spin instead of sleeping made two fits at once 4x slower each
# (measured: 580 s against 147 s alone; 248 s with PASSIVE).
export OMP_WAIT_POLICY=PASSIVE
# Two workers, one per core of the CI machine (override with -n 0); the first to need the
# session model trains it while the other waits (tests/conftest.py), then ~900 tests run.
.venv/bin/python -m pytest -n 2 "$@"
