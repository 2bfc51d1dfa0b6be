#!/usr/bin/env bash
# tests/run.sh - the whole test suite:
#   1. every unit test (tests/unit/*.c, plus tests/cli/test_json.c),
#   2. the CLI tests (tests/cli/run.sh),
#   3. the spec tests (tests/spec/run_spec.py), when present,
#   4. the fuzz corpus replays (tests/fuzz/*.c on tests/fuzz/corpus/NAME/),
#   5. the pathological inputs with time and memory bounds (tests/patho/run.sh),
#   6. every other tests/NAME/run.sh (web, store, server, e2e, slurm...), run
#      as `bash tests/NAME/run.sh BUILD_DIR`, each printing its own
#      "N passed, M failed". SKIP_PARTS="e2e slurm" skips the named ones
#      (the sanitizer job of .ci/run uses it for the browser and Slurm parts,
#      which the first run covers).
# Each part ends with a line "N passed, M failed"; a part that exits non-zero
# without failures counted (a crash, a build error) counts as 1 failed.
# The last line is the total "N passed, M failed"; exit 1 if anything failed.
# Usage: bash tests/run.sh    (B=build-x bash tests/run.sh for another build dir)
set -u
cd "$(dirname "$0")/.." || exit 1
B=${B:-build}
MAKE=${MAKE:-make}
TIMEOUT=${TEST_TIMEOUT:-240}
total_pass=0
total_fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# run_part NAME COMMAND...: runs a part, shows its output, adds its counts.
run_part() {
    local name=$1
    shift
    echo "== $name"
    local start=$SECONDS
    timeout "$TIMEOUT" "$@" >"$T/part.out" 2>&1
    local rc=$?
    cat "$T/part.out"
    local line p=0 f=0
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$T/part.out" | tail -n 1)
    if [ -n "$line" ]; then
        p=${line%% passed*}
        f=${line#*, }
        f=${f%% failed*}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        [ "$rc" -eq 124 ] && echo "$name: timed out after ${TIMEOUT}s" ||
            echo "$name: exited with status $rc"
        f=1
    fi
    echo "-- $name: $p passed, $f failed ($((SECONDS - start))s)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

# Builds one target; a failing build counts as one failed part.
build() {
    local name=$1
    shift
    if ! $MAKE -s B="$B" "$@" >"$T/build.out" 2>&1; then
        cat "$T/build.out"
        echo "-- build of $name failed: 0 passed, 1 failed"
        total_fail=$((total_fail + 1))
        return 1
    fi
}

build "the library and CLI" all || true

# 1. unit tests, each built on its own so one broken file does not hide the rest.
for src in tests/unit/*.c tests/cli/test_json.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    case $src in
    tests/unit/*) bin=$B/tests/$name ;;
    *) bin=$B/tests/cli/$name ;;
    esac
    build "$src" "$bin" || continue
    run_part "$src" "$bin"
done

# 2. CLI tests.
if [ -x "$B/whosaid" ]; then
    run_part "tests/cli/run.sh" bash tests/cli/run.sh "$B/whosaid"
fi

# 3. spec tests.
if [ -f tests/spec/run_spec.py ]; then
    run_part "tests/spec/run_spec.py" python3 tests/spec/run_spec.py --cli "$B/whosaid"
else
    echo "== tests/spec/run_spec.py: not present, skipped"
fi

# 4. fuzz targets replaying their committed corpora.
for src in tests/fuzz/fuzz_*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    build "$src" "$B/tests/fuzz/$name" || continue
    run_part "$src (corpus replay)" "$B/tests/fuzz/$name" "tests/fuzz/corpus/${name#fuzz_}"
done

# 5. pathological inputs.
if [ -x "$B/whosaid" ] && [ -f tests/patho/run.sh ] &&
    build "tests/patho/json_ok.c" "$B/tests/patho/json_ok"; then
    run_part "tests/patho/run.sh" bash tests/patho/run.sh "$B/whosaid" "$B/tests/patho/json_ok"
fi

# 6. the other parts, in name order.
for script in tests/*/run.sh; do
    part=$(basename "$(dirname "$script")")
    case $part in cli | patho) continue ;; esac
    case " ${SKIP_PARTS:-} " in *" $part "*)
        echo "== $script: skipped (SKIP_PARTS)"
        continue ;;
    esac
    run_part "$script" bash "$script" "$B"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
