#!/usr/bin/env bash
# tests/caps/run.sh - the caps of `whosaid extract` as flags: each cuts or
# refuses and says so (docs/TESTING.md, "Caps").
#   --max-statements N   the first N statements, "truncated": true
#   --max-doc-bytes N    a larger document fails with "input too large",
#                        the other inputs go on (exit 1)
#   --max-record-bytes N a larger WARC record is skipped (too-large), the
#                        others are kept
#   --max-depth N        an HTML page nested deeper is flattened, "truncated"
#   bad sizes            exit 2 with a message
# Usage: bash tests/caps/run.sh BUILD_DIR    (last line "N passed, M failed")
set -u
cd "$(dirname "$0")/../.." || exit 1
W=${1:-build}/whosaid
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S=samples/tass-lavrov.txt

# statements
full=$("$W" extract "$S" | grep -o '"id":"q[0-9]*"' | wc -l)
out=$("$W" extract --max-statements 1 "$S")
n=$(printf '%s' "$out" | grep -o '"id":"q[0-9]*"' | wc -l)
[ "$full" -ge 2 ] && ok || bad "the sample has $full statements, want >= 2"
[ "$n" -eq 1 ] && ok || bad "--max-statements 1 gave $n quotes"
printf '%s' "$out" | grep -q '"truncated":true' && ok || bad "--max-statements 1: no \"truncated\": true"
"$W" extract "$S" | grep -q '"truncated"' && bad "no cap reached but \"truncated\" in the output" || ok

# document size: one input refused with a message, the other analysed
cp "$S" "$T/big.txt"
printf '"We will win," Lavrov said.\n' >"$T/small.txt"
"$W" extract --max-doc-bytes 200 "$T/big.txt" "$T/small.txt" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "--max-doc-bytes: exit $rc, want 1"
grep -q 'big.txt: input too large' "$T/err" && ok || bad "--max-doc-bytes: message: $(cat "$T/err")"
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q '"id":"small"' "$T/out" && ok ||
    bad "--max-doc-bytes: the small input is not in the output"

# record size in a WARC: the 2 KB record skipped, the small one kept
python3 - "$T/x.warc" <<'PY'
import sys
def rec(uri, body):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri +
            b"\r\nContent-Length: " + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
q = b'<p>"We will win," Lavrov said.</p>'
open(sys.argv[1], "wb").write(rec(b"https://example.com/big", b"<html><body>" + q * 60) +
                              rec(b"https://example.com/small", q))
PY
"$W" extract --max-record-bytes 1K "$T/x.warc" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "--max-record-bytes: exit $rc"
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q 'example.com/small' "$T/out" && ok ||
    bad "--max-record-bytes: want only the small record: $(cut -c1-200 "$T/out")"
grep -q 'skipped (too-large 1)' "$T/err" && ok || bad "--max-record-bytes: summary: $(cat "$T/err")"
[ "$("$W" extract "$T/x.warc" 2>/dev/null | wc -l)" -eq 2 ] && ok || bad "without the flag: not 2 records"

# HTML nesting: 300 levels are under the default (512), over --max-depth 100
python3 -c '
import sys
sys.stdout.write("<html><body>" + "<div>" * 300 + "<p>\"We will win,\" Lavrov said.</p>" + "</div>" * 300)
' >"$T/deep.html"
"$W" extract "$T/deep.html" | grep -q '"truncated"' && bad "300 levels: truncated by default" || ok
out=$("$W" extract --max-depth 100 "$T/deep.html")
printf '%s' "$out" | grep -q '"truncated":true' && ok || bad "--max-depth 100: no \"truncated\": true"
printf '%s' "$out" | grep -q '"text":"We will win,"' && ok || bad "--max-depth 100: the quotation is lost"

# bad sizes
for v in 0 -5 12Q "" 99999999999999999999G; do
    "$W" extract --max-statements "$v" "$S" >/dev/null 2>"$T/err"
    rc=$?
    [ "$rc" -eq 2 ] && grep -q 'bad size' "$T/err" && ok || bad "--max-statements '$v': exit $rc: $(cat "$T/err")"
done
"$W" extract --max-doc-bytes 64K "$S" >/dev/null 2>&1 && ok || bad "--max-doc-bytes 64K refused"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
