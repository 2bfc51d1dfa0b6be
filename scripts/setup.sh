#!/usr/bin/env bash
# scripts/setup.sh - installs what whosaid needs to build and test on Debian 12
# (run as root). Installs only the packages that are missing, checked with
# `dpkg -s`; runs `apt-get update` only when something must be installed.
#   bash scripts/setup.sh               what the test suite needs (gcc...)
#   bash scripts/setup.sh --sanitizers  also clang, its sanitizer and libFuzzer
#                                       runtimes and llvm-symbolizer, for the
#                                       sanitizer job of .ci/run and the fuzz
#                                       targets (tests/fuzz/build.sh)
set -euo pipefail

PACKAGES=(gcc make libc6-dev libutf8proc-dev python3 time)
if [ "${1:-}" = "--sanitizers" ]; then
    PACKAGES+=(clang libclang-rt-14-dev llvm)
fi

installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

if ! command -v dpkg >/dev/null 2>&1; then
    echo "setup: not a Debian system; please install: ${PACKAGES[*]}" >&2
    exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all packages present (${PACKAGES[*]})"
    exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "setup: missing ${missing[*]}; run as root to install them" >&2
        exit 1
    fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
