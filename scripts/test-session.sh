#!/usr/bin/env bash
# Runs inside dbus-run-session: unlocks a throwaway gnome-keyring, then the jest projects. The
# netlab project builds network namespaces (ip netns, nftables, TUN): it runs only as root.
set -uo pipefail
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
eval "$(echo -n parley-test | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

status=0
npx jest --ci --selectProjects node --maxWorkers=2 --json --outputFile=test-results/node.json "$@" || status=1
npx jest --ci --selectProjects e2e --runInBand --json --outputFile=test-results/e2e.json "$@" || status=1
if [ "$(id -u)" = 0 ]; then
  npx jest --ci --selectProjects netlab --runInBand --json --outputFile=test-results/netlab.json "$@" || status=1
else
  echo '== netlab: not run (network namespaces need root)'
fi
npx jest --ci --selectProjects electron --runInBand --json --outputFile=test-results/electron.json "$@" || status=1
exit "$status"
