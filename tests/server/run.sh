#!/usr/bin/env bash
# tests/server/run.sh - `whosaid serve` over loopback with curl: every
# endpoint, the filters, bad requests (400/404/405/413/414/415/431), path
# traversal attempts, XSS payloads coming back as JSON, the security
# headers, the Host check, read-only use of the store while `whosaid index`
# writes to it, concurrent requests, the listen address rules and a clean
# stop on SIGTERM/SIGINT.
# Usage: bash tests/server/run.sh [BUILD_DIR]   (default: build)
# Last line: "N passed, M failed". Exit 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
B=${1:-${B:-build}}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
W=$B/whosaid
T=$(mktemp -d)
SRV_PID=
trap '[ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null; rm -rf "$T"' EXIT
# shellcheck source=tests/server/lib.sh
. "$ROOT/tests/server/lib.sh"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect() {
    local name=$1
    shift
    if "$@"; then ok; else bad "$name"; fi
}
# curl comes with scripts/setup.sh --browser (which the e2e test needs too).
command -v curl >/dev/null || bash scripts/setup.sh --browser >/dev/null 2>&1 || true
for tool in curl python3; do
    if ! command -v $tool >/dev/null; then
        echo "$tool is missing (bash scripts/setup.sh --browser installs curl)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done
if [ ! -x "$W" ]; then
    echo "whosaid binary not found: $W"
    echo "0 passed, 1 failed"
    exit 1
fi

# req CURL_ARGS... URL: body in $T/b, headers in $T/h, status in CODE.
req() { CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' --max-time 20 "$@"); }
# code N: the last status was N.
code() { [ "$CODE" = "$1" ]; }
# The interpreter itself (a pyenv shim costs ~0.1 s per call).
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PY" ] || PY=python3
# jqt EXPR: the last body is JSON and the Python expression EXPR is true
# on it (d: the parsed body). jget EXPR prints the value of EXPR.
jqt() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/b" "$1" 2>/dev/null; }
jget() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2])))' "$T/b" "$1"; }
# jsame A B: files A and B hold the same JSON value.
jsame() { "$PY" -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' "$1" "$2" 2>/dev/null; }
# hdr NAME REGEX: the last response has header NAME matching REGEX.
hdr() { grep -i "^$1:" "$T/h" | tr -d '\r' | grep -Eq "$2"; }
# is_error N: status N with a JSON {"error": "..."} body.
is_error() { code "$1" && jqt 'isinstance(d.get("error"), str) and len(d["error"]) > 0' &&
    hdr Content-Type '^Content-Type: application/json'; }

DB=$T/store.db
if ! make_store "$DB"; then
    echo "could not build the test store"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! start_server "$T/serve.log" --db "$DB" --max-body 65536; then
    cat "$T/serve.log"
    echo "the server did not start"
    echo "0 passed, 1 failed"
    exit 1
fi
expect "the URL is printed on stderr" grep -q "serving .* on http://127.0.0.1:[0-9]*/" "$T/serve.log"

# ---- the page and its assets -------------------------------------------------
req "$URL/"
expect "GET / is the page" code 200
expect "GET / is HTML" hdr Content-Type 'text/html'
expect "CSP default-src 'self'" hdr Content-Security-Policy "default-src 'self'"
expect "CSP has no unsafe-inline" bash -c "! grep -i '^Content-Security-Policy:' '$T/h' | grep -q unsafe"
expect "nosniff" hdr X-Content-Type-Options '^X-Content-Type-Options: nosniff'
expect "frames denied" hdr X-Frame-Options 'DENY'
expect "the page loads only its own script" grep -q '<script src="/static/app.js"' "$T/b"
expect "the page has no inline script" bash -c "! grep -Eq '<script>|<script [^s]' '$T/b'"
req "$URL/static/app.js"
expect "app.js served" code 200
expect "app.js is JavaScript" hdr Content-Type 'text/javascript'
expect "app.js does not use innerHTML" bash -c "! grep -q 'innerHTML\|outerHTML\|insertAdjacentHTML\|document.write\|eval(' '$T/b'"
req "$URL/static/style.css"
expect "style.css served as CSS" bash -c "[ $CODE = 200 ] && grep -qi '^Content-Type: text/css' '$T/h'"
req -I "$URL/"
expect "HEAD / is 200" code 200
req "$URL/favicon.ico"
expect "favicon: 204" code 204

# ---- path traversal: only the embedded assets exist --------------------------
for p in "/static/../../../../etc/passwd" "/static/..%2f..%2f..%2fetc%2fpasswd" \
    "/static/%2e%2e/%2e%2e/Makefile" "/../../../etc/passwd" "/static/app.js/../../Makefile" \
    "//etc/passwd" "/static/" "/static" "/web/app.js" "/web/index.html" "/Makefile" \
    "/static/app.js%00.png" "/static/..\\..\\Makefile" "/index.html/.." "/etc/passwd"; do
    req --path-as-is "$URL$p"
    expect "traversal $p: 404 JSON" is_error 404
    expect "traversal $p: no file content" bash -c "! grep -q 'root:\|^# whosaid - build' '$T/b'"
done

# ---- /api/search ---------------------------------------------------------------
req "$URL/api/search?q=ultimatums"
expect "search: 200" code 200
expect "search: JSON" hdr Content-Type 'application/json'
expect "search: 2 results for ultimatums" jqt 'd["total"] == 2 and len(d["results"]) == 2'
expect "search: results carry speaker, article, spans" \
    jqt 'all(r["speaker"]["name"] and r["article"]["id"] and r["article"]["site"] and len(r["spans"]["content"]) > 0 for r in d["results"])'
CLUSTER=$(jget 'd["results"][0]["cluster"]')
STMT=$(jget 'd["results"][0]["id"]')
req "$URL/api/search?speaker=Lavrov"
expect "search: speaker=Lavrov" jqt 'd["total"] >= 5 and all(r["speaker"]["name"] == "Sergey Lavrov" for r in d["results"])'
req "$URL/api/search?site=reuters.com&type=direct"
expect "search: site + type" jqt 'd["total"] >= 1 and all(r["article"]["site"] == "reuters.com" and r["type"] == "direct" for r in d["results"])'
req "$URL/api/search?since=2021-01&until=2021-01-31"
expect "search: since/until" jqt 'd["total"] == 3 and all(r["article"]["date"].startswith("2021-01") for r in d["results"])'
req "$URL/api/search?until=2020-12"
expect "search: until a month includes the month" jqt 'd["total"] == 6'
req "$URL/api/search?limit=2&offset=1"
expect "search: limit and offset" jqt 'len(d["results"]) == 2 and d["total"] == 17'
req "$URL/api/search?q=%22we+will+not+accept%22"
expect "search: a phrase" jqt 'd["total"] == 2'
req "$URL/api/search?q=Europe+NOT+gas"
expect "search: FTS5 operators" code 200
req "$URL/api/search?q=the+OR+we+OR+sanctions&order=relevance&limit=50"
"$W" search --db "$DB" --order relevance --limit 50 --format json "the OR we OR sanctions" > "$T/rel.json"
expect "search: order=relevance, the library's ranking (ws_bm25)" \
    jqt 'd["total"] >= 8 and [r["id"] for r in d["results"]] == [r["id"] for r in json.load(open("'"$T"'/rel.json"))["results"]] and [r["id"] for r in d["results"]] != sorted([r["id"] for r in d["results"]], reverse=True)'
req "$URL/api/search?q=the+OR+we+OR+sanctions&order=newest&limit=50"
expect "search: order=newest: the latest indexed first" \
    jqt 'd["total"] >= 8 and [r["id"] for r in d["results"]] == sorted([r["id"] for r in d["results"]], reverse=True)'

# bad parameters
for q in "limit=0" "limit=501" "limit=abc" "limit=-1" "offset=x" "since=2020-13" "since=yesterday" \
    "until=2020-02-31x" "type=quote" "q=%22unterminated" "q=a&q=b" "q=a%00b" "q=%ff%fe" \
    "speaker_id=0" "article=x" "order=oldest"; do
    req "$URL/api/search?$q"
    expect "search?$q: 400 JSON" is_error 400
done
req "$URL/api/search?q=$(head -c 1200 /dev/zero | tr '\0' a)"
expect "search: q over 1000 bytes: 400" is_error 400
req "$URL/api/search?q=$(head -c 5000 /dev/zero | tr '\0' a)"
expect "search: query string over 4096 bytes: 414" is_error 414
req "$URL/api/search?$(for i in $(seq 1 40); do printf 'p%d=1&' "$i"; done)"
expect "search: 40 parameters: 400" is_error 400
req "$URL/api/search?q=zzzznotthere"
expect "search: nothing found is 200 with total 0" jqt 'd["total"] == 0 and d["results"] == []'

# ---- speakers, speaker, article, quote, stats ------------------------------------------
req "$URL/api/speakers"
expect "speakers: ranked" jqt 'len(d["speakers"]) >= 5 and d["speakers"][0]["name"] == "Sergey Lavrov" and d["speakers"][0]["statements"] >= d["speakers"][1]["statements"]'
SPK=$(jget 'd["speakers"][0]["id"]')
req "$URL/api/speakers?top=2"
expect "speakers: top=2" jqt 'len(d["speakers"]) == 2'
req "$URL/api/speakers?site=reuters.com"
expect "speakers: site=reuters.com" jqt 'any(x["name"] == "Dmitry Peskov" for x in d["speakers"]) and all(x["name"] != "Mikhail Murashko" for x in d["speakers"])'
req "$URL/api/speakers?top=0"
expect "speakers: top=0 is 400" is_error 400
req "$URL/api/speakers/$SPK"
expect "speaker: name, aliases, timeline per month" \
    jqt 'd["name"] == "Sergey Lavrov" and len(d["aliases"]) >= 1 and len(d["timeline"]) >= 1 and __import__("re").fullmatch("[0-9]{4}-[0-9]{2}", d["timeline"][0]["month"])'
expect "speaker: sites" jqt 'sorted(x["site"] for x in d["sites"]) == ["reuters.com", "tass.com"]'
req "$URL/api/speakers/999999"
expect "speaker: unknown id is 404" is_error 404
for id in abc -1 0 1.5 "1%20" 99999999999999999999; do
    req "$URL/api/speakers/$id"
    expect "speaker/$id: 400" is_error 400
done
req "$URL/api/search?site=example.org"
XART=$(jget 'd["results"][0]["article"]["id"]')
req "$URL/api/articles/$XART"
expect "article: body and statements with spans" \
    jqt 'isinstance(d["body"], str) and len(d["statements"]) == 2 and all(len(x["spans"]["content"]) > 0 for x in d["statements"])'
expect "article: spans point into the body" \
    jqt 'all(x["spans"]["content"][0][1] <= len(d["body"].encode()) for x in d["statements"])'
expect "XSS: the title comes back as a JSON string" jqt '"<script>alert(\"xss-title\")</script>" in d["title"]'
expect "XSS: the quote comes back as a JSON string" jqt 'any("<img src=x onerror=" in x["content"] for x in d["statements"])'
expect "XSS: no raw < or > in the JSON bytes" bash -c "! grep -q '[<>]' '$T/b'"
req "$URL/api/search?q=removed"
expect "XSS: search results escape < and > too" bash -c "grep -q 'u003cscript' '$T/b' && ! grep -q '[<>]' '$T/b'"
# ---- /api/articles?q=: article search (title and body) ---------------------------
req "$URL/api/articles?q=sanctions"
expect "articles: 200 JSON" bash -c "[ $CODE = 200 ] && grep -qi '^Content-Type: application/json' '$T/h'"
expect "articles: 2 about sanctions, newest first" \
    jqt 'd["total"] == 2 and [r["date"][:10] for r in d["results"]] == ["2020-12-11", "2020-12-10"]'
expect "articles: id, url, site, title, n_statements, snippet, speakers" \
    jqt 'all(r["id"] > 0 and r["url"].startswith("https://") and r["site"] and r["title"] and r["n_statements"] >= 1 and "sanction" in r["snippet"].lower() and r["speakers"][0]["name"] == "Sergey Lavrov" for r in d["results"])'
expect "articles: snippet_match marks the word" \
    jqt 'all(r["snippet"].encode()[r["snippet_match"][0]:r["snippet_match"][1]].decode().lower().startswith("sanction") for r in d["results"])'
req "$URL/api/articles?q=sanctions&site=TASS.com"
expect "articles: site" jqt 'd["total"] == 1 and d["results"][0]["site"] == "tass.com"'
req "$URL/api/articles?q=gas+OR+vaccinated&since=2021-03&until=2021-03"
expect "articles: since/until" jqt 'd["total"] == 1 and d["results"][0]["date"].startswith("2021-03-20")'
req "$URL/api/articles?q=Lavrov&order=relevance"
expect "articles: order=relevance (ranking: tests/unit/test_artsearch)" jqt 'd["total"] == 2 and len(d["results"]) == 2'
req "$URL/api/articles?q=%22further+sanctions%22&site=reuters.com&order=newest"
expect "articles: a phrase, order=newest" jqt 'd["total"] == 1 and d["results"][0]["site"] == "reuters.com"'
req "$URL/api/articles?limit=2&offset=1"
expect "articles: no q: every article, paged" jqt 'd["total"] == 6 and len(d["results"]) == 2'
for q in "limit=0" "limit=501" "offset=x" "since=2020-13" "until=x" "order=oldest" \
    "q=%22unterminated" "q=sanctions+AND+(" "q=a&q=b" "q=%ff%fe"; do
    req "$URL/api/articles?$q"
    expect "articles?$q: 400 JSON" is_error 400
done
req "$URL/api/articles?q=sanctions+AND+("
expect "articles: the bad query is named" jqt '"bad search query" in d["error"]'
req "$URL/api/articles?q=$(head -c 1200 /dev/zero | tr '\0' a)"
expect "articles: q over 1000 bytes: 400" is_error 400
req -X POST --data-binary 'x' "$URL/api/articles"
expect "articles: POST is 405" is_error 405
req "$URL/api/articles?q=xss"
expect "XSS: article search returns the title as a JSON string" \
    jqt 'd["total"] == 1 and "<script>alert(\"xss-title\")</script>" in d["results"][0]["title"]'
expect "XSS: article search escapes < and >" bash -c "grep -q 'u003cscript' '$T/b' && ! grep -q '[<>]' '$T/b'"
req "$URL/api/articles/999999"
expect "article: unknown id is 404" is_error 404
req "$URL/api/quotes/$CLUSTER"
expect "quote: cluster with 2 statements on 2 sites, first seen in TASS" \
    jqt 'd["statements_count"] == 2 and d["sites"] == 2 and d["first"]["article"]["site"] == "tass.com" and len(d["variants"]) >= 1'
req "$URL/api/quotes/$STMT?by=statement"
expect "quote: by statement" jqt "d['id'] == $CLUSTER"
req "$URL/api/quotes/$CLUSTER?by=nonsense"
expect "quote: bad by is 400" is_error 400
req "$URL/api/quotes/999999"
expect "quote: unknown id is 404" is_error 404
req "$URL/api/stats"
expect "stats" jqt 'd["articles"] == 6 and d["statements"] == 17'

# ---- POST /api/extract ------------------------------------------------------------------
TEXT='Foreign Minister Ann Linde said on Monday that Sweden would not change its position. "We stand by our decision," Linde told reporters.'
printf '%s' "$TEXT" >"$T/text.txt"
"$W" extract - <"$T/text.txt" >"$T/cli.json"
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/text.txt" "$URL/api/extract"
expect "extract text/plain: 200" code 200
expect "extract: the same JSON as whosaid extract" jsame "$T/b" "$T/cli.json"
expect "extract: statements found" jqt 'len(d["quotes"]) >= 2'
"$PY" -c 'import json, sys; print(json.dumps({"text": sys.argv[1]}))' "$TEXT" >"$T/req.json"
req -X POST -H 'Content-Type: application/json; charset=utf-8' --data-binary @"$T/req.json" "$URL/api/extract"
expect "extract JSON {text}: the same JSON as whosaid extract" eval '[ "$CODE" = 200 ] && jsame "$T/b" "$T/cli.json"'
req -X POST --data-binary @"$T/text.txt" -H 'Content-Type:' "$URL/api/extract"
expect "extract with no Content-Type is text" code 200
printf '<html><head><title>Linde &lt;b&gt;</title></head><body><article><p>%s</p></article></body></html>' "$TEXT" >"$T/page.html"
"$PY" -c 'import json, sys; print(json.dumps({"text": open(sys.argv[1]).read(), "format": "html"}))' "$T/page.html" >"$T/req.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$T/req.json" "$URL/api/extract"
expect "extract format=html: body, title and statements" \
    jqt '"We stand by our decision" in d["body"] and d["title"] == "Linde <b>" and len(d["quotes"]) >= 1'
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/page.html" "$URL/api/extract?format=html"
expect "extract ?format=html with text/plain" jqt 'isinstance(d["body"], str)'
printf 'Bad \xff\xfe bytes "and a quote," he said.\x00 NUL' >"$T/bin.txt"
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/bin.txt" "$URL/api/extract"
expect "extract: invalid UTF-8 and NUL give valid JSON" eval '[ "$CODE" = 200 ] && jqt "\"quotes\" in d"'
printf '{"text": "He said \\"yes\\u0000no\\"."}' >"$T/nul.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$T/nul.json" "$URL/api/extract"
expect "extract: a JSON text with \\u0000 is analysed" code 200
req -X POST -H 'Content-Type: text/plain' --data-binary '' "$URL/api/extract"
expect "extract: empty text gives no statements" jqt 'd["quotes"] == []'
req -X POST -H 'Content-Type: application/json' --data-binary '{"text": ' "$URL/api/extract"
expect "extract: broken JSON is 400" is_error 400
req -X POST -H 'Content-Type: application/json' --data-binary '{"txt": "x"}' "$URL/api/extract"
expect "extract: JSON without text is 400" is_error 400
req -X POST -H 'Content-Type: application/json' --data-binary '[1,2]' "$URL/api/extract"
expect "extract: a JSON array is 400" is_error 400
req -X POST -H 'Content-Type: application/json' --data-binary '{"text": "a", "text": "b"}' "$URL/api/extract"
expect "extract: duplicate keys are 400" is_error 400
req -X POST -H 'Content-Type: application/json' --data-binary '{"text": "a", "format": "pdf"}' "$URL/api/extract"
expect "extract: unknown format is 400" is_error 400
req -X POST -H 'Content-Type: application/xml' --data-binary '<a/>' "$URL/api/extract"
expect "extract: other content types are 415" is_error 415
req "$URL/api/extract"
expect "GET /api/extract is 405" is_error 405
expect "405 says Allow: POST" hdr Allow 'POST'
req -X POST --data-binary 'x' "$URL/api/search"
expect "POST /api/search is 405" is_error 405
req -X DELETE "$URL/api/articles/1"
expect "DELETE is 405" is_error 405
req -X PUT --data-binary 'x' "$URL/"
expect "PUT / is 405" is_error 405
req "$URL/api/nope"
expect "unknown endpoint is 404 JSON" is_error 404

# ---- limits ------------------------------------------------------------------------------
head -c 70000 /dev/zero | tr '\0' a >"$T/big.txt"
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/big.txt" "$URL/api/extract"
expect "a body over --max-body is 413" is_error 413
req -X POST -H 'Content-Type: text/plain' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt" "$URL/api/extract"
expect "a chunked body over --max-body is 413" is_error 413
head -c 60000 /dev/zero | tr '\0' a >"$T/fits.txt"
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/fits.txt" "$URL/api/extract"
expect "a body under --max-body is analysed" code 200
HDRS=()
for i in $(seq 1 70); do HDRS+=(-H "X-Test-$i: $i"); done
req "${HDRS[@]}" "$URL/api/stats"
expect "70 headers: 431" is_error 431
req -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)" "$URL/api/stats"
expect "40 KB of headers is refused" bash -c "[ $CODE -ge 400 ] && [ $CODE -lt 500 ]"
req -H 'Host: evil.example:80' "$URL/api/stats"
expect "a foreign Host is 403 (DNS rebinding)" is_error 403
req -H 'Host: localhost' "$URL/api/stats"
expect "Host: localhost is served" code 200
req -H 'Host: 127.0.0.1.evil.example' "$URL/api/stats"
expect "Host: 127.0.0.1.evil.example is 403" is_error 403

# ---- concurrency and read-only use ---------------------------------------------------------
for i in $(seq 1 24); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 "$URL/api/search?q=sanctions&limit=5&offset=$((i % 3))" &
done >"$T/codes" 2>&1
wait_jobs() { local j; for j in $(jobs -p); do [ "$j" = "$SRV_PID" ] || wait "$j"; done; }
wait_jobs
expect "24 concurrent searches: all 200" bash -c "[ \$(grep -c '^200$' '$T/codes') = 24 ]"
printf '%s\n' '{"url": "https://tass.com/x/2001", "source_domain": "tass.com", "date_publish": "2021-04-01", "title": "Added while serving", "maintext": "\"The talks were useful,\" Deputy Foreign Minister Sergei Ryabkov told TASS on Thursday."}' >"$T/more.jsonl"
"$W" extract --body --fields 'body=maintext;title=title;url=url;date=date_publish;site=source_domain' "$T/more.jsonl" |
    "$W" index --quiet --db "$DB" - &
IDX=$!
for i in $(seq 1 10); do curl -s -o /dev/null --max-time 20 "$URL/api/search?q=talks"; done
wait $IDX
expect "index writes while the server reads" test $? = 0
req "$URL/api/stats"
expect "the server sees the new article" jqt 'd["articles"] == 7'
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T/text.txt" "$URL/api/extract"
req "$URL/api/stats"
expect "POST extract writes nothing" jqt 'd["articles"] == 7'

# ---- stopping ---------------------------------------------------------------------------------
stop_server
expect "SIGTERM stops the server with status 0" test $? = 0
expect "the server says it stops" grep -q "stopping" "$T/serve.log"
if start_server "$T/serve2.log" --db "$DB"; then
    kill -INT "$SRV_PID"
    wait "$SRV_PID"
    expect "SIGINT stops the server with status 0" test $? = 0
    SRV_PID=
else
    bad "second start"
fi

# ---- idle timeout and connection limit ------------------------------------------------------------
if start_server "$T/serve4.log" --db "$DB" --threads 1 --timeout 1 --max-connections 2; then
    PORT=${URL##*:}
    exec 5<>"/dev/tcp/127.0.0.1/$PORT"
    sleep 3
    got=$(timeout 5 cat <&5 | head -c 100; echo "rc=${PIPESTATUS[0]}")
    expect "an idle connection is closed after --timeout" test "$got" = "rc=0"
    exec 5<&-
    exec 5<>"/dev/tcp/127.0.0.1/$PORT" 6<>"/dev/tcp/127.0.0.1/$PORT" 7<>"/dev/tcp/127.0.0.1/$PORT"
    sleep 0.3
    closed=0
    for fd in 5 6 7; do
        if timeout 1.5 bash -c "cat <&$fd >/dev/null" 2>/dev/null; then closed=$((closed + 1)); fi
    done
    expect "a connection over --max-connections is closed at once" test $closed -ge 1
    exec 5<&- 6<&- 7<&-
    sleep 0.2
    req "$URL/api/stats"
    expect "the server answers again after the idle connections go" code 200
    stop_server
else
    bad "fourth start"
fi

# ---- options -----------------------------------------------------------------------------------
"$W" serve --db "$T/missing.db" --listen 127.0.0.1:0 2>"$T/err" && rc=0 || rc=$?
expect "a missing store: status 1" test $rc = 1
expect "a missing store: the message names it" grep -q "missing.db" "$T/err"
"$W" serve --db "$DB" --listen 0.0.0.0:0 2>"$T/err" && rc=0 || rc=$?
expect "0.0.0.0 without --public: status 2" test $rc = 2
expect "0.0.0.0 without --public: says why" grep -q "not a loopback address" "$T/err"
"$W" serve --db "$DB" --listen '[::]:0' 2>"$T/err" && rc=0 || rc=$?
expect "[::] without --public: status 2" test $rc = 2
for a in "nonsense" "127.0.0.1" "127.0.0.1:99999" "127.0.0.1:-1" "example.com:80" ":x"; do
    "$W" serve --db "$DB" --listen "$a" 2>"$T/err" && rc=0 || rc=$?
    expect "--listen '$a': usage error" test $rc = 2
done
"$W" serve --db "$DB" --threads 0 2>/dev/null && rc=0 || rc=$?
expect "--threads 0: usage error" test $rc = 2
"$W" serve --bogus 2>/dev/null && rc=0 || rc=$?
expect "unknown option: usage error" test $rc = 2
"$W" serve --help >"$T/help" && rc=0 || rc=$?
expect "--help" bash -c "[ $rc = 0 ] && grep -q -- '--listen' '$T/help'"
if start_server "$T/serve3.log" --db "$DB"; then
    PORT=${URL##*:}
    "$W" serve --db "$DB" --listen "127.0.0.1:$PORT" 2>"$T/err" && rc=0 || rc=$?
    expect "a port in use: status 1 with the cause" bash -c "[ $rc = 1 ] && grep -qi 'in use' '$T/err'"
    stop_server
else
    bad "third start"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
