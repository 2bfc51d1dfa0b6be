# tests/server/lib.sh - sourced by tests/server/run.sh and tests/e2e/run.sh.
# Needs W (the whosaid binary), ROOT (the repository) and T (a temp dir).

# make_store DB: indexes tests/server/corpus.jsonl (news-please style
# articles we wrote, one of them with <script> and onerror in its title and
# quote) through `whosaid extract --body | whosaid index`.
make_store() {
    "$W" extract --body \
        --fields 'body=maintext;title=title;url=url;date=date_publish;site=source_domain' \
        "$ROOT/tests/server/corpus.jsonl" >"$T/corpus.out.jsonl" &&
        "$W" index --quiet --db "$1" "$T/corpus.out.jsonl"
}

# start_server LOG ARGS...: starts `whosaid serve ARGS` on a free loopback
# port; sets SRV_PID and URL (http://127.0.0.1:PORT, no trailing slash).
# Returns 1 if no URL was printed within 10 s.
start_server() {
    local log=$1
    shift
    "$W" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
    SRV_PID=$!
    URL=
    local i
    for i in $(seq 1 100); do
        URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null | head -n 1)
        [ -n "$URL" ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# stop_server: SIGTERM, then wait; returns the server's exit status.
stop_server() {
    [ -n "${SRV_PID:-}" ] || return 0
    kill -TERM "$SRV_PID" 2>/dev/null
    local rc=0
    wait "$SRV_PID" || rc=$?
    SRV_PID=
    return $rc
}
