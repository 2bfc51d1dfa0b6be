#!/usr/bin/env bash
# tests/slurm/run.sh BUILD_DIR - the Slurm job-array recipe end to end, on a
# throwaway single-node cluster (issue 5):
#   - slurmctld and slurmd (Debian's packages; scripts/setup.sh --slurm)
#     run in the foreground (-D) in the background, on 127.0.0.1 with two
#     random free ports, from a slurm.conf in a temporary directory
#     (auth/none, cred/none, proctrack/linuxproc, task/none, SlurmUser=root,
#     batch_sched_delay=0,bf_interval=1); their PIDs are kept;
#   - 16 WARC files built here (two pages each) go through
#     scripts/slurm/submit.sh as an 8-task array (K=2); squeue is polled;
#   - every task leaves a shard and a .done marker; resubmitting with all
#     markers present submits nothing; one task's shard is cut in half and
#     its marker removed (a task killed while writing), plus a stale
#     temporary file: the resubmission runs that task only;
#   - whosaid merge of the shards equals whosaid merge of one
#     single-process run over the same files, byte for byte;
#   - slurmd, then slurmctld, are stopped by PID.
# Needs root (SlurmUser=root): skipped otherwise, as when Slurm cannot be
# installed. Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build}
W=$(cd "$B" 2>/dev/null && pwd)/whosaid
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
    local d=$1
    shift
    if "$@"; then ok; else bad "$d"; fi
}
skip() {
    echo "slurm: skipped: $*"
    echo "0 passed, 0 failed"
    exit 0
}

[ -x "$W" ] || { echo "FAIL: $W not built"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root (SlurmUser=root)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null; then
    bash scripts/setup.sh --slurm >/dev/null 2>&1 || true
fi
PATH=$PATH:/usr/sbin
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null ||
    skip "slurmctld, slurmd or sbatch missing (bash scripts/setup.sh --slurm)"

T=$(mktemp -d /tmp/whosaid-slurm.XXXXXX)
chmod 755 "$T"
CTLD_PID=
SLURMD_PID=
cleanup() {
    [ -n "$SLURMD_PID" ] && kill "$SLURMD_PID" 2>/dev/null && wait "$SLURMD_PID" 2>/dev/null
    [ -n "$CTLD_PID" ] && kill "$CTLD_PID" 2>/dev/null && wait "$CTLD_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' TERM INT HUP

# ---- the cluster ----------------------------------------------------------
read -r P1 P2 < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
mkdir -p "$T/state" "$T/spool" "$T/out"
cat >"$T/slurm.conf" <<CONF
ClusterName=wstest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$P1
SlurmdPort=$P2
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=2
InactiveLimit=0
KillWait=2
NodeName=wsnode NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=wsq Nodes=wsnode Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf
start=$SECONDS
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
CTLD_PID=$!
slurmd -D -N wsnode -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
SLURMD_PID=$!

# wait_idle SECONDS: until the node is idle (ready for jobs).
wait_idle() {
    local end=$((SECONDS + $1)) st
    while [ $SECONDS -lt $end ]; do
        st=$(sinfo -h -n wsnode -o %t 2>/dev/null)
        case $st in idle*) return 0 ;; esac
        sleep 0.2
    done
    return 1
}
if ! wait_idle 20; then
    bad "the cluster did not come up"
    tail -n 20 "$T/slurmctld.log" "$T/slurmd.log" "$T/slurmctld.out" "$T/slurmd.out" 2>/dev/null
    echo "$pass passed, $fail failed"
    exit 1
fi
echo "slurm: cluster up in $((SECONDS - start)) s (ports $P1, $P2)"

# wait_job JOBID SECONDS: polls squeue until the job has left the queue.
wait_job() {
    local end=$((SECONDS + $2))
    while [ $SECONDS -lt $end ]; do
        [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ] && return 0
        sleep 0.2
    done
    return 1
}

# ---- inputs: 16 WARC files of 2 pages each --------------------------------
mkdir -p "$T/in"
python3 - "$T/in" <<'PY'
import gzip, os, sys, glob
out = sys.argv[1]
texts = sorted(glob.glob("samples/*.txt")) or []
paras = []
for f in texts:
    paras += [p.strip() for p in open(f, encoding="utf-8").read().split("\n\n") if p.strip()]
if not paras:
    paras = ['"We will not retreat," the minister said on Tuesday.']
def record(kind, uri, payload, rid):
    head = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
            "WARC-Date: 2026-11-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n") % (kind, uri, rid, len(payload))
    return head.encode() + payload + b"\r\n\r\n"
n = 0
for i in range(16):
    with gzip.open(os.path.join(out, "crawl-%02d.warc.gz" % i), "wb") as w:
        for j in range(2):
            n += 1
            body = "\n".join("<p>%s</p>" % paras[(n * 3 + k) % len(paras)] for k in range(6))
            html = ("<html><head><title>Story %d</title></head><body><article><h1>Story %d</h1>%s"
                    "</article></body></html>") % (n, n, body)
            http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    "Content-Length: %d\r\n\r\n" % len(html.encode())).encode() + html.encode()
            w.write(record("response", "https://news.example/story-%d" % n, http,
                           "00000000-0000-0000-0000-%012d" % n))
PY
ls "$T"/in/*.warc.gz >"$T/list.txt"
check "16 WARC inputs" test "$(wc -l <"$T/list.txt")" -eq 16

# ---- the array --------------------------------------------------------------
export WHOSAID=$W
jid=$(bash scripts/slurm/submit.sh "$T/list.txt" 2 "$T/out" 2>"$T/submit.err")
check "submit prints a job id ($jid)" test -n "$jid"
check "submit asks for tasks 0-7" grep -q "submitting 0-7" "$T/submit.err"
t0=$SECONDS
wait_job "$jid" 40 || bad "job $jid still queued after 40 s"
echo "slurm: 8-task array done in $((SECONDS - t0)) s"
n_shards=$(ls "$T"/out/shard-*.jsonl.gz 2>/dev/null | wc -l)
n_done=$(ls "$T"/out/shard-*.done 2>/dev/null | wc -l)
check "8 shards ($n_shards)" test "$n_shards" -eq 8
check "8 markers ($n_done)" test "$n_done" -eq 8
check "no temporary files left" test -z "$(ls "$T"/out/*.tmp.* 2>/dev/null)"
check "every shard is valid gzip" gzip -t "$T"/out/shard-*.jsonl.gz
docs=$(zcat "$T"/out/shard-*.jsonl.gz | wc -l)
check "32 documents in the shards ($docs)" test "$docs" -eq 32
if [ "$n_done" -ne 8 ]; then
    tail -n 5 "$T"/out/*.log "$T/slurmctld.log" 2>/dev/null
fi

# all done: nothing to submit; a finished task run again exits at once
check "resubmitting a finished array submits nothing" \
    test "$(bash scripts/slurm/submit.sh "$T/list.txt" 2 "$T/out" 2>/dev/null)" = done
before=$(stat -c %Y "$T/out/shard-00003.jsonl.gz")
SLURM_ARRAY_TASK_ID=3 bash scripts/slurm/whosaid-array.sh "$T/list.txt" 2 "$T/out" >"$T/again.out" 2>&1
check "a task with a marker exits at once" grep -q "already done" "$T/again.out"
check "... without touching its shard" test "$(stat -c %Y "$T/out/shard-00003.jsonl.gz")" = "$before"

# task 5 "killed halfway": its shard cut in half, no marker, a stale temp file
s5=$T/out/shard-00005.jsonl.gz
good5=$(zcat "$s5" | md5sum)
size=$(stat -c %s "$s5")
head -c $((size / 2)) "$s5" >"$s5.cut" && mv "$s5.cut" "$s5"
rm -f "$T/out/shard-00005.done"
echo partial >"$T/out/shard-00005.jsonl.gz.tmp.999"
sleep 1 # so that rewritten files get a new mtime
m0=$(stat -c %Y "$T/out/shard-00000.jsonl.gz")
jid2=$(bash scripts/slurm/submit.sh "$T/list.txt" 2 "$T/out" 2>"$T/submit2.err")
check "resubmission asks for task 5 only" grep -q "submitting 5$" "$T/submit2.err"
wait_job "$jid2" 30 || bad "job $jid2 still queued after 30 s"
check "task 5 has its marker again" test -e "$T/out/shard-00005.done"
check "task 5's shard is whole again" test "$(zcat "$s5" 2>/dev/null | md5sum)" = "$good5"
check "other shards untouched" test "$(stat -c %Y "$T/out/shard-00000.jsonl.gz")" = "$m0"

# ---- merge and compare with one process ------------------------------------
"$W" merge -q -o "$T/merged.jsonl" "$T"/out/shard-*.jsonl.gz
check "merge exits 0" test $? -eq 0
xargs "$W" extract --jobs 1 <"$T/list.txt" >"$T/single.jsonl" 2>"$T/single.err"
"$W" merge -q "$T/single.jsonl" >"$T/single-merged.jsonl"
n1=$(wc -l <"$T/merged.jsonl")
n2=$(wc -l <"$T/single.jsonl")
check "merged shards have as many documents as one process ($n1 vs $n2)" test "$n1" -eq "$n2" -a "$n1" -eq 32
s1=$(grep -o '"quotes":\[' "$T/merged.jsonl" | wc -l)
check "merged output equals the single-process output, merged" cmp -s "$T/merged.jsonl" "$T/single-merged.jsonl"
# the merge is independent of shard order
"$W" merge -q $(ls "$T"/out/shard-*.jsonl.gz | sort -r) >"$T/merged-rev.jsonl"
check "merge is independent of shard order" cmp -s "$T/merged.jsonl" "$T/merged-rev.jsonl"
: "$s1"

# ---- stop: slurmd, then slurmctld, by PID ----------------------------------
kill "$SLURMD_PID" && wait "$SLURMD_PID" 2>/dev/null
check "slurmd stopped" test -z "$(ps -o pid= -p "$SLURMD_PID")"
SLURMD_PID=
kill "$CTLD_PID" && wait "$CTLD_PID" 2>/dev/null
check "slurmctld stopped" test -z "$(ps -o pid= -p "$CTLD_PID")"
CTLD_PID=
echo "slurm: whole test $((SECONDS - start)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
