#!/usr/bin/env bash
# The whole test suite. Starts the services the tests need (a throwaway PostgreSQL server),
# runs pytest, and stops them again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
.venv/bin/python -m pytest "$@"
