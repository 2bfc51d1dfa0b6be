#!/usr/bin/env bash
# tests/e2e/run.sh - the browser test of the web page: builds a small store
# from tests/server/corpus.jsonl (one article has <script> and
# "><img onerror=...> in its title and quote), starts `whosaid serve` on a
# free loopback port, and drives Debian's /usr/bin/chromium headless with
# playwright-core (tests/e2e/browser.mjs): search with filters, open an
# article and check its highlights against the API, the XSS payloads render
# as text (no element injected, no dialog, no page error), a speaker's
# timeline, paste text and analyse it. Saves tests/e2e/out/screenshot.png
# (and screenshot-analyze.png) and prints their path.
# Usage: bash tests/e2e/run.sh [BUILD_DIR]   (default: build)
# Last line: "N passed, M failed". Exit 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
B=${1:-${B:-build}}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
W=$B/whosaid
E2E=$ROOT/tests/e2e
T=$(mktemp -d)
SRV_PID=
trap '[ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null; rm -rf "$T"' EXIT
# shellcheck source=tests/server/lib.sh
. "$ROOT/tests/server/lib.sh"
fail_setup() {
    echo "e2e: $*"
    echo "0 passed, 1 failed"
    exit 1
}

[ -x "$W" ] || fail_setup "whosaid binary not found: $W"
# scripts/setup.sh --browser installs chromium, nodejs, npm and curl when one
# is missing. (When it fails but the tools are there anyway, e.g. Debian's
# npm conflicting with a nodejs that bundles npm, go on.)
have_tools() {
    [ -x /usr/bin/chromium ] && command -v node >/dev/null && command -v npm >/dev/null &&
        command -v curl >/dev/null
}
if ! have_tools && ! bash "$ROOT/scripts/setup.sh" --browser >"$T/setup.log" 2>&1; then
    tail -n 20 "$T/setup.log"
    have_tools || fail_setup "scripts/setup.sh --browser failed"
fi
[ -x /usr/bin/chromium ] || fail_setup "/usr/bin/chromium is missing"
command -v node >/dev/null || fail_setup "node is missing"
# playwright-core from npm, pinned by package-lock.json, into the git-ignored
# tests/e2e/node_modules (once).
if [ ! -f "$E2E/node_modules/playwright-core/package.json" ]; then
    (cd "$E2E" && npm ci --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { tail -n 20 "$T/npm.log"; fail_setup "npm ci failed (is the npm registry reachable?)"; }
fi

make_store "$T/store.db" || fail_setup "could not build the test store"
start_server "$T/serve.log" --db "$T/store.db" ||
    { cat "$T/serve.log"; fail_setup "the server did not start"; }
mkdir -p "$E2E/out"
rm -f "$E2E/out/screenshot.png" "$E2E/out/screenshot-analyze.png"
timeout 90 node "$E2E/browser.mjs" "$URL/" "$E2E/out/screenshot.png" "$T/chromium-profile"
rc=$?
stop_server || true
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "e2e: the browser script exited with status $rc"
    echo "0 passed, 1 failed"
    exit 1
fi
exit $rc
