#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing:
# chromium (real-browser test of the web app) and postgresql (store tests).
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
[ -x /usr/lib/postgresql/*/bin/postgres ] 2>/dev/null || needed+=(postgresql)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
