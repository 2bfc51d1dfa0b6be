#!/usr/bin/env bash
# scripts/test.sh - sets up, builds with warnings as errors, and runs the whole
# test suite (tests/run.sh). The last line is "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
make -j2 WERROR=-Werror B="${B:-build}" || echo "test: build failed (tests/run.sh counts it)"
B="${B:-build}" bash tests/run.sh
