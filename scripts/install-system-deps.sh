#!/usr/bin/env bash
# Installs the Debian packages the test suites need and that npm cannot provide: redis-server (the Redis store
# tests start a real server on a free loopback port), chromium (the browser tests drive it with playwright-core;
# a test tool's own browser download does not work here) and a CJK font (so screenshots show Chinese text).
# Skips what is already there; needs root (or sudo) otherwise.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "system deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
