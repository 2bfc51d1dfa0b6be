#!/usr/bin/env bash
# tests/web/run.sh BUILD_DIR - readers, encodings, WARC, JSONL and articles
# through `whosaid extract`. Inputs are written by make_inputs.py into a
# temporary folder (pages in windows-1251, KOI8-R, UTF-16, ISO-8859-1, a BOM,
# invalid bytes; WARC files with every skip case; JSONL), then checked by
# check_web.py, which also reads the samples in ../shared/data/warc/.
# Last line: "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-${B:-build}}
case $B in /*) ;; *) B=$PWD/$B ;; esac
W=$B/whosaid
[ -x "$W" ] || W=$B # a path to the binary itself
DATA=${WS_DATA:-../shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! python3 tests/web/make_inputs.py "$T/in"; then
    echo "web: writing the inputs failed"
    echo "0 passed, 1 failed"
    exit 1
fi
python3 tests/web/check_web.py "$W" "$T/in" "$DATA"
