#!/usr/bin/env bash
# tests/fuzz/build.sh [NAME...] - builds the libFuzzer binaries of the fuzz
# targets (default: every tests/fuzz/fuzz_*.c) with clang (Debian: clang,
# libclang-rt-14-dev):
#   library in $B (default build-fuzz) with -fsanitize=fuzzer-no-link,address,undefined,
#   targets in $B/fuzz/NAME (NAME: fuzz_text, fuzz_html, fuzz_warc, ...).
# Run one with, for example (one core, one process):
#   nice -n 19 build-fuzz/fuzz/fuzz_html -max_len=8192 -max_total_time=1800 \
#       -print_final_stats=1 -dict=tests/fuzz/html.dict WORK_DIR tests/fuzz/corpus/html
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build-fuzz}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
LIBS="-lutf8proc -lgumbo -lz -lsqlite3 -lmicrohttpd -ljansson -lm -lpthread"
make -s CC=clang B="$B" OPT="-g -O1" \
    CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $SAN" \
    "$B/libwhosaid.a"
mkdir -p "$B/fuzz"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.c; do names+=("$(basename "$src" .c)"); done
fi
for name in "${names[@]}"; do
    # shellcheck disable=SC2086
    clang -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer $SAN \
        -std=c11 -D_POSIX_C_SOURCE=200809L -DWS_FUZZ_LIBFUZZER -Iinclude -Isrc \
        -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Werror \
        "tests/fuzz/$name.c" "$B/libwhosaid.a" $LIBS -o "$B/fuzz/$name"
    echo "built $B/fuzz/$name"
done
