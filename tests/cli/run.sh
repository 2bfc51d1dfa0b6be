#!/usr/bin/env bash
# tests/cli/run.sh - command-line tests of whosaid: options, exit codes,
# batches with failing inputs, stdin, directories, hostile bytes, `show`.
# Usage: bash tests/cli/run.sh [PATH/TO/whosaid]   (default: $B/whosaid, B=build)
# Last line: "N passed, M failed". Exit 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
W=${1:-${WHOSAID:-$ROOT/${B:-build}/whosaid}}
case $W in /*) ;; *) W=$ROOT/$W ;; esac
CHECK="python3 $ROOT/tests/cli/check_json.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect NAME CONDITION...: runs the condition (a command), counts the result.
expect() {
    local name=$1
    shift
    if "$@"; then ok; else bad "$name"; fi
}

if [ ! -x "$W" ]; then
    echo "whosaid binary not found: $W"
    echo "0 passed, 1 failed"
    exit 1
fi

# ---- inputs ----------------------------------------------------------------
cat >"$T/lavrov.txt" <<'EOF'
Lavrov warns of response to new sanctions

MOSCOW, March 3. Russia will respond to any new sanctions, Russian Foreign Minister Sergey Lavrov said on Tuesday.

"We will not leave this without an answer," Lavrov told reporters in Moscow.
EOF
printf 'Plain text with "a quote", and no speaker.\n' >"$T/plain.txt"
: >"$T/empty.txt"
printf 'He said "ab\0cd" \xff\xfe\xc3 and\r\n\x01 \xe2\x80\x9cok\xe2\x80\x9d she said.\0' >"$T/hostile.txt"
mkdir -p "$T/dir/sub/deeper" "$T/dir/b.d"
printf 'One said "x".\n' >"$T/dir/b.txt"
printf 'Two said "y".\n' >"$T/dir/a.txt"
printf 'Three.\n' >"$T/dir/sub/c.txt"
printf 'Four.\n' >"$T/dir/sub/deeper/d.txt"
printf 'Five.\n' >"$T/dir/b.d/e.txt"
printf 'not text\n' >"$T/dir/notes.md"
printf 'Dots.\n' >"$T/dir/x.y.txt"

ids() { python3 -c 'import json,sys; print(" ".join(json.loads(l)["id"] for l in sys.stdin))'; }

# ---- version and help ------------------------------------------------------
out=$("$W" --version); rc=$?
expect "--version exits 0" test $rc -eq 0
expect "--version prints 'whosaid 0.1.0'" test "$out" = "whosaid 0.1.0"
for args in "--help" "-h" "extract --help" "extract -h" "show --help" "show -h"; do
    # shellcheck disable=SC2086
    out=$("$W" $args); rc=$?
    expect "$args exits 0" test $rc -eq 0
    expect "$args prints usage" grep -q "^Usage: whosaid" <<<"$out"
done
expect "--help documents exit codes" grep -q "usage error" <<<"$("$W" --help)"

# ---- usage errors ----------------------------------------------------------
"$W" --bogus >/dev/null 2>"$T/err"; rc=$?
expect "unknown global option exits 2" test $rc -eq 2
"$W" extract --bogus "$T/plain.txt" >"$T/out" 2>"$T/err"; rc=$?
expect "unknown extract option exits 2" test $rc -eq 2
expect "unknown option writes nothing on stdout" test ! -s "$T/out"
expect "unknown option is named on stderr" grep -q -- "--bogus" "$T/err"
"$W" show --bogus "$T/plain.txt" >/dev/null 2>&1; rc=$?
expect "unknown show option exits 2" test $rc -eq 2
"$W" frobnicate >/dev/null 2>&1; rc=$?
expect "unknown command exits 2" test $rc -eq 2
"$W" >/dev/null 2>&1; rc=$?
expect "no command exits 2" test $rc -eq 2
"$W" extract -o >/dev/null 2>&1; rc=$?
expect "-o without FILE exits 2" test $rc -eq 2
"$W" show >/dev/null 2>&1; rc=$?
expect "show without FILE exits 2" test $rc -eq 2

# ---- batches and failing inputs --------------------------------------------
"$W" extract "$T/plain.txt" "$T/missing.txt" "$T/lavrov.txt" >"$T/out" 2>"$T/err"; rc=$?
expect "a missing file exits 1" test $rc -eq 1
expect "a missing file is reported as 'whosaid: PATH: cause'" \
    grep -q "^whosaid: $T/missing.txt: No such file or directory" "$T/err"
expect "the other files of the batch are output" \
    test "$(ids <"$T/out")" = "plain lavrov"
expect "batch output is valid" $CHECK --lines 2 --input "$T/plain.txt" --input "$T/lavrov.txt" <"$T/out"
"$W" extract "$T/plain.txt" "$T/lavrov.txt" >"$T/out" 2>"$T/err"; rc=$?
expect "a good batch exits 0" test $rc -eq 0
expect "a good batch prints nothing on stderr" test ! -s "$T/err"
expect "documents come in the order given" test "$(ids <"$T/out")" = "plain lavrov"

# ---- stdin -----------------------------------------------------------------
"$W" extract - <"$T/lavrov.txt" >"$T/out"; rc=$?
expect "stdin '-' exits 0" test $rc -eq 0
expect "stdin has id '-'" test "$(ids <"$T/out")" = "-"
expect "stdin output is valid" $CHECK --lines 1 --input "$T/lavrov.txt" <"$T/out"
"$W" extract <"$T/lavrov.txt" >"$T/out2"; rc=$?
expect "no argument reads stdin" test $rc -eq 0
expect "no argument equals '-'" cmp -s "$T/out" "$T/out2"
"$W" extract "$T/lavrov.txt" >"$T/out3"
expect "stdin and file give the same quotes" \
    test "$(sed 's/"id":"[^"]*"//' "$T/out")" = "$(sed 's/"id":"[^"]*"//' "$T/out3")"

# ---- directories -----------------------------------------------------------
"$W" extract "$T/dir" >"$T/out" 2>"$T/err"; rc=$?
expect "a directory exits 0" test $rc -eq 0
expect "a directory is walked recursively in byte order, .txt only" \
    test "$(ids <"$T/out")" = "a e b c d x.y"
expect "directory output is valid" $CHECK --lines 6 <"$T/out"
"$W" extract "$T/nodir/" >/dev/null 2>"$T/err"; rc=$?
expect "a missing directory exits 1" test $rc -eq 1

# ---- empty and hostile inputs ----------------------------------------------
"$W" extract "$T/empty.txt" >"$T/out"; rc=$?
expect "an empty file exits 0" test $rc -eq 0
expect "an empty file gives one valid object" $CHECK --lines 1 --input "$T/empty.txt" <"$T/out"
expect "an empty file has no quotes" grep -q '"quotes":\[\]' "$T/out"
for flags in "" "--tokens" "--no-text" "--tokens --no-text"; do
    # shellcheck disable=SC2086
    "$W" extract $flags "$T/hostile.txt" >"$T/out"; rc=$?
    expect "NUL and invalid UTF-8 ($flags) exits 0" test $rc -eq 0
    expect "NUL and invalid UTF-8 ($flags): valid JSON, spans in bounds" \
        $CHECK --lines 1 --input "$T/hostile.txt" <"$T/out"
done
expect "--tokens adds tokens" grep -q '"tokens":\[' "$T/out"
"$W" extract "$T/lavrov.txt" >"$T/out"
"$W" extract "$T/lavrov.txt" >"$T/out2"
expect "output is deterministic" cmp -s "$T/out" "$T/out2"
"$W" extract --tokens "$T/lavrov.txt" | $CHECK --lines 1 --input "$T/lavrov.txt"
expect "--tokens on news text: valid, spans in bounds and on boundaries" test "${PIPESTATUS[1]}" -eq 0
"$W" extract --no-text "$T/lavrov.txt" >"$T/out"
expect "--no-text has no text fields" test "$(grep -c '"text":' "$T/out")" -eq 0

if [ -f samples/tass-lavrov.txt ]; then
    "$W" extract --tokens samples/tass-lavrov.txt | $CHECK --lines 1 --input samples/tass-lavrov.txt
    expect "the bundled sample: valid, spans in bounds and on boundaries" test "${PIPESTATUS[1]}" -eq 0
fi
cp "$T/plain.txt" "$T/-dash.txt"
(cd "$T" && "$W" extract -- -dash.txt) >"$T/out"; rc=$?
expect "-- ends the options" test $rc -eq 0
expect "a file after -- is read" test "$(ids <"$T/out")" = "-dash"

# ---- -o and --pretty -------------------------------------------------------
"$W" extract -o "$T/o.jsonl" "$T/lavrov.txt" "$T/plain.txt" >"$T/out"; rc=$?
expect "-o exits 0" test $rc -eq 0
expect "-o leaves stdout empty" test ! -s "$T/out"
expect "-o writes the documents" $CHECK --lines 2 <"$T/o.jsonl"
"$W" extract -o "$T/no/such/dir/o.jsonl" "$T/lavrov.txt" >/dev/null 2>&1; rc=$?
expect "an unwritable -o exits 3" test $rc -eq 3
"$W" extract --pretty "$T/lavrov.txt" >"$T/out"; rc=$?
expect "--pretty exits 0" test $rc -eq 0
expect "--pretty is valid JSON" $CHECK --pretty --input "$T/lavrov.txt" <"$T/out"
expect "--pretty indents with 2 spaces" grep -q '^  "version": 1,$' "$T/out"

# ---- show ------------------------------------------------------------------
"$W" show "$T/lavrov.txt" >"$T/out" 2>"$T/err"; rc=$?
expect "show exits 0" test $rc -eq 0
expect "show names the speaker" grep -q "Lavrov" "$T/out"
expect "show prints a speaker summary" grep -q "^Speakers" "$T/out"
expect "show uses no colour when not a terminal" test "$(grep -c $'\033' "$T/out")" -eq 0
"$W" show - <"$T/lavrov.txt" >"$T/out2"; rc=$?
expect "show - reads stdin" test $rc -eq 0
expect "show - equals show FILE" cmp -s "$T/out" "$T/out2"
"$W" show "$T/hostile.txt" >"$T/out"; rc=$?
expect "show on hostile bytes exits 0" test $rc -eq 0
expect "show output is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/out"
"$W" show "$T/missing.txt" >/dev/null 2>"$T/err"; rc=$?
expect "show on a missing file exits 1" test $rc -eq 1
expect "show reports the missing file" grep -q "^whosaid: $T/missing.txt:" "$T/err"
# A terminal comes from script(1); a chroot or container without /dev/pts
# cannot give one, and then the two terminal checks are skipped.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "COLUMNS=80 '$W' show '$T/lavrov.txt'" /dev/null >"$T/tty" 2>&1
    expect "show colours a terminal" grep -q $'\033\[' "$T/tty"
    script -qec "NO_COLOR=1 '$W' show '$T/lavrov.txt'" /dev/null >"$T/tty" 2>&1
    expect "NO_COLOR turns colour off" test "$(grep -c $'\033\[' "$T/tty")" -eq 0
else
    echo "note: no pseudo-terminal here; terminal colour checks skipped"
fi

# The wire story's dateline (after its headline line) is parsed and points
# at the body's own bytes; a text without one gives "dateline": null.
if [ -f samples/tass-lavrov.txt ]; then
    "$W" extract samples/tass-lavrov.txt >"$T/tass.json"
    expect "text: the TASS dateline is found after the headline (place, date, agency, span)" \
        python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); dl = d.get("dateline") or {}
body = open(sys.argv[2], "rb").read()
ok = (dl.get("place"), dl.get("date"), dl.get("agency")) == ("Moscow", "December 30", "TASS")
ok = ok and body[dl["start"]:dl["end"]].decode() == dl["text"] == "MOSCOW, December 30. /TASS/."
sys.exit(0 if ok and d.get("format") == "text" else 1)' "$T/tass.json" samples/tass-lavrov.txt
fi
"$W" extract "$T/lavrov.txt" >"$T/out"
expect "text without a dateline: \"dateline\": null" grep -q '"dateline":null' "$T/out"

# ---- output through a pipe (one writev per document) ------------------------
# a document whose line is far larger than a pipe's buffer, read slowly: the
# bytes through the pipe equal the bytes written to a file (partial writes)
for _ in $(seq 400); do cat "$T/lavrov.txt"; done >"$T/big.txt"
"$W" extract -q -o "$T/big.file" "$T/lavrov.txt" "$T/big.txt" "$T/plain.txt"
"$W" extract -q "$T/lavrov.txt" "$T/big.txt" "$T/plain.txt" | (sleep 0.3; cat) >"$T/big.pipe"
expect "a pipe gets the bytes a file gets ($(wc -c <"$T/big.file") bytes, 3 lines)" \
    cmp -s "$T/big.file" "$T/big.pipe"
expect "the big line is larger than a pipe buffer" test "$(wc -c <"$T/big.file")" -gt 200000

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
