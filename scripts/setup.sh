#!/usr/bin/env bash
# scripts/setup.sh - installs what whosaid needs to build and test on Debian 12
# (run as root). Installs only the packages that are missing, checked with
# `dpkg -s`; runs `apt-get update` only when something must be installed.
#   bash scripts/setup.sh               what the test suite needs (gcc...)
#   bash scripts/setup.sh --sanitizers  also clang, its sanitizer and libFuzzer
#                                       runtimes and llvm-symbolizer, for the
#                                       sanitizer job of .ci/run and the fuzz
#                                       targets (tests/fuzz/build.sh)
#   bash scripts/setup.sh --browser     also chromium, nodejs and npm (the web
#                                       page's browser test, tests/e2e/)
#   bash scripts/setup.sh --slurm       also slurmctld, slurmd and slurm-client
#                                       (the Slurm end-to-end test)
#   bash scripts/setup.sh --bench       also hyperfine, nodejs and npm (peers
#                                       of bench/)
# Flags combine: bash scripts/setup.sh --browser --slurm
set -euo pipefail

PACKAGES=(gcc make libc6-dev pkg-config libutf8proc-dev libgumbo-dev zlib1g-dev libsqlite3-dev
    libmicrohttpd-dev libjansson-dev python3 time)
for flag in "$@"; do
    case $flag in
    --sanitizers) PACKAGES+=(clang libclang-rt-14-dev llvm) ;;
    --browser) PACKAGES+=(chromium nodejs npm curl) ;;
    --slurm) PACKAGES+=(slurmctld slurmd slurm-client) ;;
    --bench) PACKAGES+=(hyperfine nodejs npm curl) ;;
    *) echo "setup: unknown flag $flag" >&2; exit 2 ;;
    esac
done

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ] && return 0
    # Tools that may come from elsewhere (nodesource's nodejs ships npm and
    # conflicts with Debian's npm package): a working command is enough.
    case $1 in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm | chromium | curl | hyperfine) command -v "$1" >/dev/null 2>&1 ;;
    *) return 1 ;;
    esac
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
