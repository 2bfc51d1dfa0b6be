#!/bin/bash
# submit.sh - submits whosaid-array.sh as a Slurm job array over a list of
# input paths, K per task, for the tasks that have no .done marker yet.
# Run it again after failures, preemption or a time limit: only the
# unfinished tasks are submitted. Prints the job id (nothing to do: "done").
#
# Usage: scripts/slurm/submit.sh LIST K OUTDIR [SBATCH_OPTION... [-- EXTRACT_OPTION...]]
#   e.g. scripts/slurm/submit.sh warcs.txt 4 out --cpus-per-task=4 --time=2:00:00
# Environment: WHOSAID (the whosaid binary, passed on to the tasks),
#              MAX_ARRAY (largest task id Slurm accepts; default 1000, the
#              default MaxArraySize is 1001: larger lists need a larger K
#              or MaxArraySize).
# docs/scale.md has the whole recipe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=${1:?usage: submit.sh LIST K OUTDIR [SBATCH_OPTION... [-- EXTRACT_OPTION...]]}
k=${2:?files per task missing}
outdir=${3:?output directory missing}
shift 3
sb=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do sb+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
case $k in '' | *[!0-9]* | 0) echo "submit: bad K: $k" >&2; exit 2 ;; esac
[ -r "$list" ] || { echo "submit: $list: cannot read" >&2; exit 2; }

n=$(grep -c -v -e '^[[:space:]]*$' -e '^#' "$list" || true)
[ "$n" -gt 0 ] || { echo "submit: $list: no input paths" >&2; exit 2; }
tasks=$(((n + k - 1) / k))
[ $((tasks - 1)) -le "${MAX_ARRAY:-1000}" ] ||
    { echo "submit: $tasks tasks: over MAX_ARRAY=${MAX_ARRAY:-1000}; use a larger K" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
list=$(cd "$(dirname "$list")" && pwd)/$(basename "$list")

# The array spec of the tasks without a marker, as ranges: 0-3,5,7-9.
spec=$(for ((t = 0; t < tasks; t++)); do
    [ -e "$(printf '%s/shard-%05d.done' "$outdir" "$t")" ] || echo "$t"
done | awk 'NR == 1 { a = b = $1; next }
    $1 == b + 1 { b = $1; next }
    { printf "%s%s,", a, (a == b ? "" : "-" b); a = b = $1 }
    END { if (NR) printf "%s%s\n", a, (a == b ? "" : "-" b) }')
if [ -z "$spec" ]; then
    echo "done"
    exit 0
fi
echo "submit: $n inputs, $tasks tasks of $k; submitting $spec" >&2
if [ -n "${WHOSAID:-}" ]; then export WHOSAID; fi
sbatch --parsable --array="$spec" --chdir="$outdir" "${sb[@]}" \
    "$here/whosaid-array.sh" "$list" "$k" "$outdir" "$@"
