#!/usr/bin/env bash
# tests/parallel/run.sh BUILD_DIR - whosaid extract --jobs, streaming,
# progress and summary, EPIPE, merge, and the memory limit (issue 5):
#   - --jobs 1, 2, 4 and 7 give byte-identical stdout and stderr on a
#     directory of texts (with a missing input and a bad byte file among
#     them), on a WARC file, and on JSONL piped through stdin;
#   - `whosaid extract -` streams: the first record's line comes out while
#     stdin is still open;
#   - a closed output pipe (| head) stops whosaid quietly;
#   - progress shows on a terminal only; --stats prints the summary line;
#   - whosaid merge spilling sorted runs to disk (--memory 1) gives the same
#     bytes as merging in memory, whatever the shard order;
#   - the memory test: a generated 1 GB WARC stream on stdin (mostly
#     records the reader skips, plus real pages and records over the size
#     cap) runs under /usr/bin/time -v with --jobs 2, and its peak RSS stays
#     under the documented limit, WS_RSS_LIMIT_MB (128 MB, docs/scale.md).
#     Skipped under the sanitizers (PATHO_SAN=1), whose shadow memory
#     makes RSS meaningless.
# Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build}
W=$(cd "$B" 2>/dev/null && pwd)/whosaid
LIMIT_MB=${WS_RSS_LIMIT_MB:-128}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
    local d=$1
    shift
    if "$@"; then ok; else bad "$d"; fi
}
[ -x "$W" ] || { echo "FAIL: $W not built"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ---- inputs ---------------------------------------------------------------
mkdir -p "$T/dir/sub"
if compgen -G "../shared/data/polnear/dev/*.txt" >/dev/null; then
    ls ../shared/data/polnear/dev/*.txt | head -n 60 | while read -r f; do cp "$f" "$T/dir/"; done
else # paragraphs of the sample, shuffled into 60 documents
    python3 - "$T/dir" <<'PY'
import sys, random
paras = [p for p in open("samples/tass-lavrov.txt", encoding="utf-8").read().split("\n\n") if p.strip()]
r = random.Random(5)
for i in range(60):
    open("%s/doc%02d.txt" % (sys.argv[1], i), "w", encoding="utf-8").write("\n\n".join(r.choice(paras) for _ in range(8)))
PY
fi
cp samples/tass-lavrov.txt "$T/dir/sub/lavrov.txt"
printf 'Bad \xff\xfe bytes, "said" he said.\x00\n' >"$T/dir/sub/bytes.txt"
: >"$T/dir/sub/empty.txt"

# compare_jobs NAME ARGS...: --jobs 1 and each of $JOBS give the same
# stdout, stderr and exit status.
JOBS="2 4 7"
compare_jobs() {
    local name=$1
    shift
    "$W" extract --jobs 1 "$@" >"$T/j1.out" 2>"$T/j1.err"
    local rc1=$?
    check "$name: --jobs 1 writes documents" test -s "$T/j1.out"
    for j in $JOBS; do
        "$W" extract --jobs $j "$@" >"$T/jn.out" 2>"$T/jn.err"
        local rcn=$?
        check "$name: --jobs $j stdout byte-identical to --jobs 1" cmp -s "$T/j1.out" "$T/jn.out"
        check "$name: --jobs $j stderr identical" cmp -s "$T/j1.err" "$T/jn.err"
        check "$name: --jobs $j exit status $rcn = $rc1" test "$rcn" -eq "$rc1"
    done
}

compare_jobs "directory" "$T/dir"
check "directory: one line per document" test "$(wc -l <"$T/j1.out")" -eq "$(find "$T/dir" -type f | wc -l)"
compare_jobs "files and a missing one" "$T/dir/sub/lavrov.txt" "$T/missing.txt" "$T/dir/sub/bytes.txt"
check "the missing input is named" grep -q "missing.txt" "$T/j1.err"
WARC=../shared/data/warc/aeb-dev.warc.gz
if [ -f "$WARC" ]; then
    JOBS=4 compare_jobs "WARC" "$WARC"
fi
# JSONL on stdin: one article per line
python3 - "$T/dir" >"$T/in.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
for n in sorted(os.listdir(d)):
    p = os.path.join(d, n)
    if os.path.isfile(p):
        print(json.dumps({"id": n, "url": "https://example.org/" + n,
                          "maintext": open(p, encoding="utf-8", errors="replace").read()}))
PY
"$W" extract --jobs 1 "$T/in.jsonl" >"$T/file.out" 2>/dev/null
for j in 1 4; do
    "$W" extract --jobs $j - <"$T/in.jsonl" >"$T/stdin.out" 2>/dev/null
    check "JSONL on stdin, --jobs $j: same as the file" cmp -s "$T/file.out" "$T/stdin.out"
done
check "JSONL: one line per article" test "$(wc -l <"$T/file.out")" -eq "$(wc -l <"$T/in.jsonl")"

# ---- streaming: output before the end of the input -----------------------
mkfifo "$T/fifo"
("$W" extract --jobs 2 - <"$T/fifo" >"$T/stream.out" 2>/dev/null) &
spid=$!
exec 7>"$T/fifo"
# the first lines, past the 4 KB the reader looks at to detect the format
python3 - "$T/in.jsonl" >&7 <<'PY'
import sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    sys.stdout.write(line)
    n += len(line.encode())
    if n > 5000:
        break
PY
first=$(python3 -c '
import sys
n = k = 0
for line in open(sys.argv[1], encoding="utf-8"):
    k += 1; n += len(line.encode())
    if n > 5000: break
print(k)' "$T/in.jsonl")
got=0
for _ in $(seq 100); do # up to 10 s
    [ -s "$T/stream.out" ] && { got=1; break; }
    sleep 0.1
done
check "stdin is streamed: the first line is out while stdin is open" test "$got" -eq 1
tail -n +$((first + 1)) "$T/in.jsonl" >&7
exec 7>&-
wait "$spid"
check "streamed output equals the file's" cmp -s "$T/file.out" "$T/stream.out"

# ---- a closed pipe --------------------------------------------------------
for _ in 1 2 3 4; do cat "$T/in.jsonl"; done >"$T/in4.jsonl"
timeout 120 "$W" extract --jobs 2 "$T/in4.jsonl" 2>"$T/pipe.err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
check "closed pipe: whosaid ends (status $rc, not killed by a timeout)" test "$rc" -ne 124
check "closed pipe: nothing on stderr" test ! -s "$T/pipe.err"

# ---- progress and summary -------------------------------------------------
"$W" extract --jobs 2 "$T/dir/sub/lavrov.txt" >/dev/null 2>"$T/quiet.err"
check "no progress or summary when stderr is not a terminal" test ! -s "$T/quiet.err"
"$W" extract --jobs 2 --stats "$T/dir" >/dev/null 2>"$T/stats.err"
ndocs=$(find "$T/dir" -type f | wc -l)
check "--stats: the summary line" grep -Eq "^whosaid: $ndocs documents, [0-9]+ statements, [0-9]+ skipped.*, 0 errors" "$T/stats.err"
"$W" extract --jobs 1 --stats "$T/dir" >/dev/null 2>"$T/stats1.err"
check "--stats: the same counts with --jobs 1" cmp -s "$T/stats.err" "$T/stats1.err"
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$W' extract --jobs 2 '$T/in4.jsonl' 2>&1 >/dev/null" /dev/null >"$T/tty.err" 2>&1
    check "progress on a terminal: documents and MB/s" grep -q "documents.*MB/s" "$T/tty.err"
    check "progress on a terminal: ETA when the size is known" grep -q "ETA" "$T/tty.err"
    check "a summary line at the end on a terminal" grep -Eq "whosaid: [0-9]+ documents, [0-9]+ statements" "$T/tty.err"
    script -qec "'$W' extract --quiet --jobs 2 '$T/dir/sub/lavrov.txt' 2>&1 >/dev/null" /dev/null >"$T/ttyq.err" 2>&1
    check "--quiet: nothing on a terminal" test ! -s "$T/ttyq.err"
else
    echo "parallel: no pseudo-terminal here: progress checks skipped"
fi

# ---- merge: runs on disk give the same bytes -------------------------------
python3 - "$T" <<'PY'
import json, random, sys
t = sys.argv[1]
r = random.Random(7)
pad = "x" * 300
lines = []
for i in range(6000):
    u = "https://example.org/a%d" % r.randrange(4000)  # about 1,900 duplicates
    lines.append(json.dumps({"id": "d%d" % i, "url": u, "pad": pad, "n": r.randrange(3)}))
for k in range(3):
    with open("%s/shard%d.jsonl" % (t, k), "w") as f:
        f.write("\n".join(lines[k::3]) + "\n")
PY
gzip -k "$T/shard1.jsonl" && rm "$T/shard1.jsonl"
"$W" merge -q "$T/shard0.jsonl" "$T/shard1.jsonl.gz" "$T/shard2.jsonl" >"$T/m1.jsonl"
"$W" merge -q --memory 1 --tmpdir "$T" "$T/shard2.jsonl" "$T/shard0.jsonl" "$T/shard1.jsonl.gz" >"$T/m2.jsonl"
check "merge: sorted runs on disk give the same bytes, in any shard order" cmp -s "$T/m1.jsonl" "$T/m2.jsonl"
nu=$(zcat -f "$T"/shard*.jsonl* | python3 -c 'import json,sys; print(len({json.loads(l)["url"] for l in sys.stdin}))')
check "merge: one line per url ($nu)" test "$(wc -l <"$T/m1.jsonl")" -eq "$nu"
check "merge: no run files left" test -z "$(ls "$T"/whosaid-merge-* 2>/dev/null)"
"$W" merge -o "$T/m3.jsonl.gz" "$T/shard0.jsonl" "$T/shard1.jsonl.gz" "$T/shard2.jsonl" 2>"$T/merge.err"
check "merge -o FILE.gz: gzip of the same bytes" test "$(zcat "$T/m3.jsonl.gz" | md5sum)" = "$(md5sum <"$T/m1.jsonl")"
check "merge: summary line" grep -q "merged 3 shards: 6000 lines, $nu kept" "$T/merge.err"
"$W" merge -q "$T/shard0.jsonl" "$T/nope.jsonl" >/dev/null 2>"$T/merge2.err"
rc=$?
check "merge: a missing shard is named, exit 1 ($rc)" test "$rc" -eq 1 -a -s "$T/merge2.err"

# merge --db: into a store, once (a second merge adds nothing)
nf=$(wc -l <"$T/file.out")
"$W" merge --db "$T/m.db" "$T/file.out" "$T/file.out" 2>"$T/db1.err"
rc=$?
check "merge --db: exit 0 ($rc)" test "$rc" -eq 0
check "merge --db: $nf articles added" grep -q "m.db: $nf articles added" "$T/db1.err"
"$W" merge --db "$T/m.db" "$T/file.out" 2>"$T/db2.err"
check "merge --db again: nothing added" grep -q "m.db: 0 articles added, $nf already there" "$T/db2.err"

# ---- the memory test: 1 GB through stdin ----------------------------------
if [ "${PATHO_SAN:-0}" = 1 ]; then
    echo "parallel: memory test skipped under the sanitizers"
elif [ ! -x /usr/bin/time ]; then
    echo "parallel: /usr/bin/time missing: memory test skipped"
else
    # 1 GiB of WARC: 900 request records of 1 MiB (skipped: not responses),
    # 2 responses of 66 MiB (skipped: over the 64 MiB record cap) and 600
    # HTML pages of news text (analysed), interleaved.
    python3 - "$T/dir" <<'PY' | /usr/bin/time -v "$W" extract --jobs 2 - 2>"$T/mem.err" | wc -l >"$T/mem.count"
import os, sys
d = sys.argv[1]
texts = [open(os.path.join(d, n), encoding="utf-8", errors="replace").read()
         for n in sorted(os.listdir(d)) if os.path.isfile(os.path.join(d, n))]
texts = [t for t in texts if t.strip()]
out = sys.stdout.buffer
def rec(kind, n, payload, ctype):
    head = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: https://example.org/%d\r\n"
            "WARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\n\r\n") % (kind, n, n, ctype, len(payload))
    out.write(head.encode()); out.write(payload); out.write(b"\r\n\r\n")
filler = (b"GET /x HTTP/1.1\r\nHost: example.org\r\n\r\n" + b"z" * 2**20)[:2**20]
huge = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"<p>big</p>" * (66 * 2**20 // 10)
n = 0
for i in range(900):
    n += 1
    rec("request", n, filler, "application/http; msgtype=request")
    if i in (300, 600):
        n += 1
        rec("response", n, huge, "application/http; msgtype=response")
    if i % 3 == 0:
        for _ in range(2):
            n += 1
            t = texts[n % len(texts)]
            html = "<html><body><article>%s</article></body></html>" % "".join(
                "<p>%s</p>" % p for p in t.split("\n\n"))
            body = html.encode()
            rec("response", n, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body,
                "application/http; msgtype=response")
PY
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/mem.err")
    st=$(awk -F': ' '/Exit status/ { print $2 }' "$T/mem.err")
    echo "parallel: 1 GB stream: $(cat "$T/mem.count") documents, peak RSS $((rss_kb / 1024)) MB (limit $LIMIT_MB MB), exit $st"
    check "1 GB stream: exit 0 ($st)" test "$st" = 0
    check "1 GB stream: 600 documents ($(cat "$T/mem.count"))" test "$(cat "$T/mem.count")" -eq 600
    check "1 GB stream: peak RSS $((rss_kb / 1024)) MB under $LIMIT_MB MB" test "$rss_kb" -lt $((LIMIT_MB * 1024))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
