#!/usr/bin/env bash
# scripts/demo.sh - sets up, builds, and runs whosaid on the bundled sample:
# first the readable table (`show`), then the JSON Lines (`extract`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
make -j2
SAMPLE=samples/tass-lavrov.txt
if [ ! -f "$SAMPLE" ]; then
    echo "demo: $SAMPLE is missing" >&2
    exit 1
fi
echo
echo "== build/whosaid show $SAMPLE"
build/whosaid show "$SAMPLE"
echo
echo "== build/whosaid extract $SAMPLE"
build/whosaid extract "$SAMPLE"
