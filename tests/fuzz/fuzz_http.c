/*
 * fuzz_http.c - fuzz target for the server's request handling without
 * sockets (ws_server_request on a server made with WS_SERVER_NO_LISTEN):
 * routing, query-string decoding, the store queries behind /api/search,
 * /api/speakers, /api/speakers/ID, /api/articles/ID, /api/quotes/ID,
 * /api/stats, POST /api/extract (the engine on the body), and the assets.
 *
 * The store is made once per process in a temporary directory: a few short
 * articles analysed by the engine and ingested (ws_store_ingest_json).
 *
 * Input: "METHOD\nPATH\nQUERY\nCONTENT-TYPE\nBODY..." (missing lines are
 * empty; BODY is the rest, any bytes). An empty method is "GET".
 *
 * Invariants (abort() on a violation):
 *   - ws_server_request returns WS_OK with a status in 100..599 and a
 *     content type; the body is NUL-terminated at len;
 *   - every JSON answer (content type application/json) is valid UTF-8 and
 *     parses; an error status (>= 400) answers JSON with an "error" member;
 *   - the same request twice gives the same status, type and body.
 *
 * Builds: see fuzz_common.h (replay: `fuzz_http DIR|FILE...`).
 */
#define FUZZ_NAME "fuzz_http"
static void fz_init(void);
#define FUZZ_INIT() fz_init()
#include "fuzz_common.h"

#include <sys/stat.h>
#include <unistd.h>

static char fz_dir[64];
static char fz_db[96];

static const char *const fz_articles[] = {
    "{\"url\":\"https://tass.com/politics/1\",\"site\":\"tass.com\",\"date\":\"2020-12-30\","
    "\"title\":\"Lavrov on sanctions\"}",
    "MOSCOW, December 30. /TASS/. Russia will respond to any new sanctions, Foreign "
    "Minister Sergei Lavrov said on Wednesday. \"We will not accept this,\" Lavrov told "
    "reporters. Maria Zakharova added that the ministry had \"no illusions\".",
    "{\"url\":\"https://reuters.com/world/2\",\"site\":\"reuters.com\",\"date\":\"2021-01-15\","
    "\"title\":\"Vaccination\"}",
    "Health Minister Mikhail Murashko said on Friday that more than two million people had "
    "been vaccinated. \"The pace is growing,\" he said. According to Anna Popova, \"the "
    "situation is stable\".",
};

/* Removes the store (by the process that made it, not the replay's children). */
static void fz_cleanup(void) {
    if (!fz_dir[0] || getpid() != (pid_t)strtol(strrchr(fz_dir, '-') + 1, NULL, 10)) return;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", fz_db, suffix[i]);
        remove(p);
    }
    rmdir(fz_dir);
}

/* Makes the store once (in the replay: in the parent, before the forks). */
static void fz_make_store(ws_engine *eng) {
    if (fz_db[0]) return;
    snprintf(fz_dir, sizeof fz_dir, "/tmp/ws-fuzz-http-%ld", (long)getpid());
    if (mkdir(fz_dir, 0700) != 0) {
        perror(fz_dir);
        abort();
    }
    atexit(fz_cleanup);
    snprintf(fz_db, sizeof fz_db, "%s/store.db", fz_dir);
    ws_store *st = NULL;
    char *err = NULL;
    if (ws_store_open(fz_db, WS_STORE_CREATE, 0, &st, &err) != WS_OK) {
        fprintf(stderr, "fuzz_http: cannot make the store: %s\n", err ? err : "");
        abort();
    }
    for (size_t i = 0; i + 1 < sizeof fz_articles / sizeof *fz_articles; i += 2) {
        ws_record rec;
        memset(&rec, 0, sizeof rec);
        /* a JSONL record: the metadata object with the text as "maintext" */
        const char *meta = fz_articles[i];
        size_t ml = strlen(meta);
        char line[4096], esc[2048];
        size_t o = 0;
        for (const char *p = fz_articles[i + 1]; *p && o + 2 < sizeof esc; p++) {
            if (*p == '"') esc[o++] = '\\';
            esc[o++] = *p;
        }
        esc[o] = 0;
        snprintf(line, sizeof line, "%.*s,\"maintext\":\"%s\"}", (int)(ml - 1), meta, esc);
        rec.format = WS_FORMAT_JSONL;
        rec.id = "fuzz";
        rec.data = line;
        rec.len = strlen(line);
        char *json = NULL;
        size_t len = 0;
        if (ws_record_to_json(eng, &rec, WS_JSON_TEXT | WS_JSON_BODY, &json, &len) != WS_OK ||
            ws_store_ingest_json(st, json, len, NULL) != WS_OK) {
            fprintf(stderr, "fuzz_http: ingest failed: %s\n", ws_store_errmsg(st));
            abort();
        }
        ws_free(eng, json);
    }
    ws_store_close(st);
}

typedef struct fz_srv {
    ws_engine *eng;
    ws_server *srv;
} fz_srv;

static fz_srv fz_s;

/* The engine is loaded once (in the replay: in the parent, before the
 * forks; it is read-only); the server, with its store handles, per process. */
static void fz_free(void) {
    ws_server_free(fz_s.srv);
    ws_engine_free(fz_s.eng);
    fz_s.srv = NULL;
    fz_s.eng = NULL;
}

static void fz_init(void) {
    if (fz_s.eng) return;
    if (ws_engine_new(NULL, &fz_s.eng) != WS_OK) abort();
    atexit(fz_free); /* runs in every process: nothing left for LeakSanitizer */
    fz_make_store(fz_s.eng);
}

static fz_srv *fz_server(void) {
    if (fz_s.srv) return &fz_s;
    fz_init();
    ws_server_options o;
    memset(&o, 0, sizeof o);
    o.db_path = fz_db;
    o.flags = WS_SERVER_NO_LISTEN;
    o.max_body_bytes = 65536;
    char err[256] = "";
    if (ws_server_new(fz_s.eng, &o, &fz_s.srv, err, sizeof err) != WS_OK) {
        fprintf(stderr, "fuzz_http: ws_server_new: %s\n", err);
        abort();
    }
    return &fz_s;
}

/* The next line of data[*pos..size) as a malloc'd C string. */
static char *fz_line(const uint8_t *data, size_t size, size_t *pos) {
    size_t s = *pos, e = s;
    while (e < size && data[e] != '\n') e++;
    char *p = malloc(e - s + 1);
    if (!p) abort();
    memcpy(p, data + s, e - s);
    p[e - s] = 0;
    *pos = e < size ? e + 1 : e;
    return p;
}

static void fz_check_resp(const ws_http_response *r) {
    if (r->status < 100 || r->status > 599) fz_violation("status", (size_t)r->status, 0);
    if (!r->content_type) fz_violation("content type NULL", 0, 0);
    if (!r->body && r->len) fz_violation("body NULL", r->len, 0);
    if (r->body && r->body[r->len] != 0) fz_violation("body not NUL-terminated", r->len, 0);
    int json = !strncmp(r->content_type, "application/json", 16);
    if (json && r->len) fz_check_json(r->body, r->len, "JSON answer");
    if (r->status >= 400 && r->len &&
        (!json || !strstr(r->body, "\"error\"")))
        fz_violation("error answer without an error member", (size_t)r->status, r->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_srv *s = fz_server();
    size_t pos = 0;
    char *method = fz_line(data, size, &pos);
    char *path = fz_line(data, size, &pos);
    char *query = fz_line(data, size, &pos);
    char *ctype = fz_line(data, size, &pos);
    char *body = fz_copy(data + pos, size - pos);
    const char *m = method[0] ? method : "GET";
    ws_http_response a, b;
    if (ws_server_request(s->srv, m, path, query, ctype[0] ? ctype : NULL, body, size - pos,
                          &a) != WS_OK)
        fz_violation("ws_server_request failed", size, 0);
    fz_check_resp(&a);
    if (getenv("FZ_VERBOSE")) /* debugging: what the request got */
        fprintf(stderr, "%s %s?%s -> %d %s %.300s\n", m, path, query, a.status,
                a.content_type, a.body ? a.body : "");
    if (ws_server_request(s->srv, m, path, query, ctype[0] ? ctype : NULL, body, size - pos,
                          &b) != WS_OK)
        fz_violation("second ws_server_request failed", size, 0);
    if (a.status != b.status || strcmp(a.content_type, b.content_type) != 0 || a.len != b.len ||
        (a.len && memcmp(a.body, b.body, a.len) != 0))
        fz_violation("two runs differ", a.len, b.len);
    ws_http_response_free(&a);
    ws_http_response_free(&b);
    free(method);
    free(path);
    free(query);
    free(ctype);
    free(body);
    return 0;
}

#ifdef WS_FUZZ_LIBFUZZER
/* no FINI under libFuzzer: the process exits */
#endif
