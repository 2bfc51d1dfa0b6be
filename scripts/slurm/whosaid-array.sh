#!/bin/bash
#SBATCH --job-name=whosaid
#SBATCH --cpus-per-task=1
#SBATCH --output=whosaid-%A_%a.log
#
# whosaid-array.sh - one task of a Slurm job array running `whosaid extract`
# over a list of input files (WARC, WARC.gz, JSONL, HTML or text paths, one
# per line). Task T takes lines T*K+1 .. T*K+K of the list and writes
#   OUTDIR/shard-T.jsonl.gz   the JSON Lines of those inputs (gzip)
#   OUTDIR/shard-T.done       a marker: the inputs, counts, exit status
# Both are written under a temporary name and renamed, so a task killed
# halfway leaves no shard and no marker, only a *.tmp.* file that the next
# attempt overwrites. A task whose marker exists exits at once, so
# resubmitting the whole array redoes only the unfinished tasks
# (scripts/slurm/submit.sh submits only those in the first place).
#
# Usage: sbatch --array=0-N whosaid-array.sh LIST K OUTDIR [EXTRACT_OPTION...]
# Environment: WHOSAID  the whosaid binary (default: whosaid on PATH)
#              WHOSAID_STRICT=1  also fail the task when some input failed
#                        (exit status 1); by default such a task is done,
#                        its marker records the status and stderr names the
#                        bad inputs in the task's log.
# docs/scale.md has the whole recipe.
set -uo pipefail

list=${1:?usage: whosaid-array.sh LIST K OUTDIR [EXTRACT_OPTION...]}
k=${2:?files per task missing}
outdir=${3:?output directory missing}
shift 3
task=${SLURM_ARRAY_TASK_ID:?not run as an array task (sbatch --array=...)}
ws=${WHOSAID:-whosaid}
jobs=${SLURM_CPUS_PER_TASK:-1}

name=$(printf 'shard-%05d' "$task")
shard=$outdir/$name.jsonl.gz
marker=$outdir/$name.done
if [ -e "$marker" ]; then
    echo "whosaid-array: task $task already done ($marker)"
    exit 0
fi
case $k in '' | *[!0-9]* | 0) echo "whosaid-array: bad K: $k" >&2; exit 2 ;; esac
mkdir -p "$outdir" || exit 1

# This task's inputs: lines task*k+1 .. task*k+k of the list (blank lines
# and lines starting with # are not counted).
mapfile -t inputs < <(grep -v -e '^[[:space:]]*$' -e '^#' "$list" |
    sed -n "$((task * k + 1)),$((task * k + k))p")
if [ "${#inputs[@]}" -eq 0 ]; then
    echo "whosaid-array: task $task has no input in $list (K=$k)" >&2
    exit 2
fi

tmp=$shard.tmp.${SLURM_JOB_ID:-$$}
"$ws" extract --jobs "$jobs" "$@" -- "${inputs[@]}" | gzip -6 >"$tmp"
codes=("${PIPESTATUS[@]}")
st=${codes[0]}
if [ "${codes[1]}" -ne 0 ] || [ "$st" -gt 1 ] || { [ "$st" -eq 1 ] && [ "${WHOSAID_STRICT:-0}" = 1 ]; }; then
    echo "whosaid-array: task $task failed (whosaid exit $st, gzip exit ${codes[1]})" >&2
    rm -f "$tmp"
    exit 1
fi
mv -f "$tmp" "$shard" || exit 1

docs=$(gzip -dc "$shard" | wc -l)
{
    echo "task $task"
    echo "job ${SLURM_ARRAY_JOB_ID:-?}_${task} on $(hostname)"
    echo "exit $st"
    echo "documents $docs"
    printf 'input %s\n' "${inputs[@]}"
} >"$marker.tmp.${SLURM_JOB_ID:-$$}" &&
    mv -f "$marker.tmp.${SLURM_JOB_ID:-$$}" "$marker" || exit 1
echo "whosaid-array: task $task: ${#inputs[@]} inputs, $docs documents -> $shard"
