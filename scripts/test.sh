#!/usr/bin/env bash
# `npm test`: type-check, lint, build, then every jest test inside a network namespace that has
# only loopback (nothing a test starts can reach another host) with a real Secret Service on a
# private dbus session. Results land in test-results/*.json; test-summary.mjs counts them.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/system-deps.mjs test
echo '== type-check'
npm run --silent typecheck
echo '== lint'
npm run --silent lint
echo '== build'
node scripts/build.mjs

mkdir -p test-results
rm -f test-results/*.json

inner=(dbus-run-session -- bash scripts/test-session.sh "$@")
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  echo '== tests (loopback-only network namespace)'
  status=0
  unshare -n -- bash -c 'ip link set lo up && exec "$@"' _ "${inner[@]}" || status=$?
else
  echo '== tests (no network namespace available: Chromium and Firefox are held to loopback by their flags and prefs)'
  status=0
  "${inner[@]}" || status=$?
fi
node scripts/test-summary.mjs
exit "$status"
