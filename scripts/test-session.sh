#!/usr/bin/env bash
# Runs inside dbus-run-session: unlocks a throwaway gnome-keyring, then both jest projects.
set -uo pipefail
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
eval "$(echo -n parley-test | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

status=0
npx jest --ci --selectProjects node --maxWorkers=2 --json --outputFile=test-results/node.json "$@" || status=1
npx jest --ci --selectProjects e2e --runInBand --json --outputFile=test-results/e2e.json "$@" || status=1
npx jest --ci --selectProjects electron --runInBand --json --outputFile=test-results/electron.json "$@" || status=1
exit "$status"
