#!/usr/bin/env bash
# Audit the pinned dependencies for known vulnerabilities with pip-audit (PyPI's advisory
# service). Two passes: the pins of pyproject.toml (direct dependencies, as declared), then
# every package installed in .venv (the transitive ones too). The advisory service is online:
# when PyPI cannot be reached this prints "pip-audit: skipped: no network" and exits 0.
# Exit code: 0 when nothing is found (or skipped), 1 when a vulnerability is reported.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
AUDIT=(${PIP_AUDIT:-.venv/bin/pip-audit})

if ! "$PYTHON" - <<'PY'
import sys
import urllib.request

# pip-audit asks PyPI's per-release JSON (/pypi/NAME/VERSION/json) for advisories: probe
# exactly that, with a release that has existed for years. A mirror that only serves the
# package index (404 here) cannot answer it either.
try:
    urllib.request.urlopen("https://pypi.org/pypi/pip/23.2.1/json", timeout=10).read(1)
except OSError:
    sys.exit(1)
PY
then
    echo "pip-audit: skipped: no network (PyPI's advisory service, /pypi/NAME/VERSION/json, cannot be reached)"
    exit 0
fi

pins=$(mktemp --suffix=.txt)
trap 'rm -f "$pins"' EXIT
"$PYTHON" - "$pins" <<'PY'
import sys
import tomllib

with open("pyproject.toml", "rb") as handle:
    project = tomllib.load(handle)["project"]
pins = list(project["dependencies"])
for extra in project.get("optional-dependencies", {}).values():
    pins.extend(extra)
with open(sys.argv[1], "w") as out:
    out.write("\n".join(pins) + "\n")
PY

status=0
echo "== pip-audit: pinned dependencies of pyproject.toml ($(wc -l <"$pins") pins)"
"${AUDIT[@]}" --disable-pip --no-deps --progress-spinner off -r "$pins" || status=1
echo "== pip-audit: every package installed in .venv (transitive dependencies included)"
"${AUDIT[@]}" --skip-editable --progress-spinner off || status=1
exit "$status"
