#!/usr/bin/env bash
# The whole test suite. Starts the services the tests need (a throwaway PostgreSQL server),
# runs pytest, and stops them again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
# Two workers, one per core of the CI machine (override with -n 0); each trains the session
# model once, then the ~900 tests run side by side.
.venv/bin/python -m pytest -n 2 "$@"
