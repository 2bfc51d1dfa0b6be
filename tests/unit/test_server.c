/*
 * test_server.c - ws_server_request() without sockets (WS_SERVER_NO_LISTEN):
 * the routes, statuses and JSON of a small store; the query-string parser;
 * hostile requests (random bytes and mutations of real requests: every
 * answer has a known status, a content type, and API answers are valid JSON
 * with no raw '<' or '>'); the same from 4 threads at once on one server
 * (no global state: run it under the sanitizers).
 */
#include "harness.h"
#include "server/server.h"
#include "whosaid.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const article =
    "Russia will respond to any new sanctions, Foreign Minister Sergey Lavrov "
    "said on Thursday. \"We will not accept <script>alert(1)</script> "
    "ultimatums,\" Lavrov told reporters.";

/* Makes a store at path with one analysed article. */
static int make_store(const ws_engine *e, const char *path) {
    char *json = NULL;
    size_t n = 0;
    if (ws_extract_json(e, article, strlen(article), "a1", WS_JSON_TEXT, &json, &n)) return -1;
    json_t *o = json_loadb(json, n, 0, NULL);
    ws_free(e, json);
    if (!o) return -1;
    json_object_set_new(o, "url", json_string("https://example.org/1"));
    json_object_set_new(o, "site", json_string("example.org"));
    json_object_set_new(o, "date", json_string("2020-12-10"));
    json_object_set_new(o, "title", json_string("<img src=x onerror=alert(2)> title"));
    json_object_set_new(o, "body", json_string(article));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    ws_store *st = NULL;
    int rc = -1;
    if (s && ws_store_open(path, WS_STORE_CREATE, 0, &st, NULL) == WS_OK &&
        ws_store_ingest_json(st, s, strlen(s), NULL) == WS_OK)
        rc = 0;
    ws_store_close(st);
    free(s);
    return rc;
}

/* One request; returns the status (-1 if no response) and keeps the body. */
static int ask(ws_server *srv, const char *method, const char *path, const char *query,
               const char *ctype, const char *body, json_t **out) {
    ws_http_response r;
    if (out) *out = NULL;
    ws_status s = ws_server_request(srv, method, path, query, ctype, body,
                                    body ? strlen(body) : 0, &r);
    if (s != WS_OK) return -1;
    if (out && r.content_type && !strncmp(r.content_type, "application/json", 16))
        *out = json_loadb(r.body, r.len, 0, NULL);
    int st = r.status;
    ws_http_response_free(&r);
    return st;
}

static void test_routes(ws_server *srv) {
    json_t *j;
    CHECK(ask(srv, "GET", "/api/search", "q=ultimatums", NULL, NULL, &j) == 200, "search");
    CHECK(j && json_integer_value(json_object_get(j, "total")) == 1, "one hit");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/search", "q=%22unterminated", NULL, NULL, &j) == 400, "fts error");
    CHECK(j && json_is_string(json_object_get(j, "error")), "error message");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/search", "limit=0", NULL, NULL, NULL) == 400, "limit 0");
    CHECK(ask(srv, "GET", "/api/search", "q=a&q=b", NULL, NULL, NULL) == 400, "repeated key");
    CHECK(ask(srv, "GET", "/api/search", "q=%00", NULL, NULL, NULL) == 400, "NUL");
    CHECK(ask(srv, "GET", "/api/speakers", NULL, NULL, NULL, &j) == 200, "speakers");
    CHECK(j && json_array_size(json_object_get(j, "speakers")) >= 1, "a speaker");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/speakers/1", NULL, NULL, NULL, &j) == 200, "speaker");
    CHECK(j && json_is_array(json_object_get(j, "timeline")), "timeline");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/speakers/77", NULL, NULL, NULL, NULL) == 404, "unknown speaker");
    CHECK(ask(srv, "GET", "/api/speakers/x", NULL, NULL, NULL, NULL) == 400, "bad id");
    CHECK(ask(srv, "GET", "/api/articles/1", NULL, NULL, NULL, &j) == 200, "article");
    CHECK(j && !strcmp(json_string_value(json_object_get(j, "body")), article), "body");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/articles", "q=ultimatums&order=relevance", NULL, NULL, &j) == 200,
          "article search");
    CHECK(j && json_integer_value(json_object_get(j, "total")) == 1 &&
              json_is_string(json_object_get(json_array_get(json_object_get(j, "results"), 0),
                                             "snippet")),
          "one article, with a snippet");
    json_decref(j);
    CHECK(ask(srv, "GET", "/api/articles", "order=oldest", NULL, NULL, NULL) == 400, "bad order");
    CHECK(ask(srv, "GET", "/api/articles", "q=%22a", NULL, NULL, NULL) == 400, "article fts error");
    CHECK(ask(srv, "GET", "/api/quotes/1", NULL, NULL, NULL, NULL) == 200, "quote");
    CHECK(ask(srv, "HEAD", "/api/stats", NULL, NULL, NULL, NULL) == 200, "HEAD stats");
    CHECK(ask(srv, "POST", "/api/extract", NULL, "text/plain", article, &j) == 200, "extract");
    CHECK(j && json_array_size(json_object_get(j, "quotes")) >= 2, "quotes");
    json_decref(j);
    CHECK(ask(srv, "POST", "/api/extract", NULL, "application/json", "{\"text\":1}", NULL) == 400,
          "text not a string");
    CHECK(ask(srv, "POST", "/api/extract", NULL, "image/png", "x", NULL) == 415, "415");
    CHECK(ask(srv, "GET", "/api/extract", NULL, NULL, NULL, NULL) == 405, "405");
    CHECK(ask(srv, "GET", "/", NULL, NULL, NULL, NULL) == 200, "page");
    CHECK(ask(srv, "GET", "/static/app.js", NULL, NULL, NULL, NULL) == 200, "app.js");
    CHECK(ask(srv, "GET", "/static/../Makefile", NULL, NULL, NULL, NULL) == 404, "traversal");
    CHECK(ask(srv, "GET", "/static/app", NULL, NULL, NULL, NULL) == 404, "blob name is not a path");
    /* Body limit: the server was made with max_body_bytes = 4096. */
    char *big = malloc(5000);
    memset(big, 'a', 4999);
    big[4999] = '\0';
    CHECK(ask(srv, "POST", "/api/extract", NULL, "text/plain", big, NULL) == 413, "413");
    free(big);
    ws_http_response r;
    CHECK(ws_server_request(NULL, "GET", "/", NULL, NULL, NULL, 0, &r) == WS_ERR_INVALID, "NULL srv");
    CHECK(ws_server_request(srv, "GET", "/", NULL, NULL, NULL, 5, &r) == WS_ERR_INVALID,
          "NULL body with a length");
}

static void test_query(void) {
    ws_srv_query q;
    const char *why;
    CHECK(ws_srv_query_parse("a=1&b=x%20y+z&c&&d=", &q, &why) == WS_OK, "parse");
    CHECK(q.n == 4, "4 params, got %u", q.n);
    CHECK(!strcmp(ws_srv_query_get(&q, "b"), "x y z"), "decoded");
    CHECK(ws_srv_query_get(&q, "c") == NULL && ws_srv_query_get(&q, "d") == NULL, "empty = absent");
    ws_srv_query_free(&q);
    CHECK(ws_srv_query_parse("a=%zz%4", &q, &why) == WS_OK && !strcmp(ws_srv_query_get(&q, "a"), "%zz%4"),
          "bad escapes kept");
    ws_srv_query_free(&q);
    CHECK(ws_srv_query_parse("a=%C3%A9", &q, &why) == WS_OK, "UTF-8 ok");
    ws_srv_query_free(&q);
    CHECK(ws_srv_query_parse("a=%C3", &q, &why) == WS_ERR_FORMAT, "truncated UTF-8");
    CHECK(ws_srv_query_parse("a=%ED%A0%80", &q, &why) == WS_ERR_FORMAT, "surrogate");
    CHECK(ws_srv_date_ok("2020") && ws_srv_date_ok("2020-12") && ws_srv_date_ok("2020-12-31"), "dates");
    CHECK(!ws_srv_date_ok("2020-00") && !ws_srv_date_ok("2020-1-1") && !ws_srv_date_ok("20201231"),
          "bad dates");
    long v;
    CHECK(ws_srv_parse_long("42", 1, 100, &v) == 0 && v == 42, "long");
    CHECK(ws_srv_parse_long("-1", 0, 9, &v) && ws_srv_parse_long("", 0, 9, &v) &&
          ws_srv_parse_long("99999999999999999999", 0, 9, &v), "bad longs");
}

/* ---- hostile requests ------------------------------------------------------- */

static uint64_t rnd(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "", "get"};
static const char *const paths[] = {
    "/", "/api/search", "/api/speakers", "/api/speakers/1", "/api/articles/1",
    "/api/quotes/1", "/api/extract", "/api/stats", "/static/app.js", "/api/", "/api/speakers/",
    "/static/style.css", "/api/articles/00000000000000000001", "/api/articles"};
static const char *const queries[] = {
    "q=sanctions", "q=%22a", "speaker=Lavrov&since=2020&until=2021-01-31", "limit=500&offset=3",
    "type=mixed&site=example.org", "q=NEAR(a%20b,%205)", "q=*", "q=a%20OR", "speaker=%23%31",
    "by=statement", "q=%E2%80%9C", "top=500&site=x", "q=title:a*&order=relevance"};
static const char *const ctypes[] = {NULL, "text/plain", "application/json",
                                     "application/json; charset=utf-8", "text/html", ""};

/* A mutated copy of src (random byte flips, insertions of special bytes). */
static char *mutate(uint64_t *s, const char *src) {
    static const char specials[] = "%&=+#?/\\\"'<>*()\xff\xc3\x80";
    size_t n = src ? strlen(src) : 0;
    char *o = malloc(n * 2 + 16);
    size_t j = 0;
    if (rnd(s) % 2) { /* half the time: unchanged */
        memcpy(o, src, n + 1);
        return o;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rnd(s) % 16;
        if (r == 0) continue;
        if (r == 1) o[j++] = specials[rnd(s) % (sizeof specials - 1)];
        o[j++] = r == 2 ? (char)(rnd(s) % 255 + 1) : src[i];
    }
    if (rnd(s) % 4 == 0) o[j++] = specials[rnd(s) % (sizeof specials - 1)];
    o[j] = '\0';
    return o;
}

typedef struct fuzz_arg {
    ws_server *srv;
    uint64_t seed;
    int iters;
    int bad; /* answers that broke an invariant */
    int n200, n400; /* answers with status 200, 400 (coverage) */
} fuzz_arg;

static int known_status(int s) {
    static const int ok[] = {200, 204, 400, 404, 405, 413, 414, 415, 422, 500, 503};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (s == ok[i]) return 1;
    return 0;
}

static void *fuzz(void *p) {
    fuzz_arg *a = p;
    uint64_t s = a->seed;
    for (int i = 0; i < a->iters; i++) {
        const char *m = methods[rnd(&s) % (sizeof methods / sizeof methods[0])];
        char *path = mutate(&s, paths[rnd(&s) % (sizeof paths / sizeof paths[0])]);
        char *query = mutate(&s, queries[rnd(&s) % (sizeof queries / sizeof queries[0])]);
        const char *ct = ctypes[rnd(&s) % (sizeof ctypes / sizeof ctypes[0])];
        char *body = mutate(&s, rnd(&s) % 2 ? article : "{\"text\":\"He said \\\"yes\\\".\",\"format\":\"html\"}");
        ws_http_response r;
        ws_status st = ws_server_request(a->srv, m, path, query, ct, body, strlen(body), &r);
        if (st != WS_OK || !known_status(r.status) || !r.content_type) {
            a->bad++;
            printf("bad answer %d/%d to %s %s ? %s\n", (int)st, r.status, m, path, query);
        } else if (a->n200 += r.status == 200, a->n400 += r.status == 400,
                   !strncmp(r.content_type, "application/json", 16)) {
            json_t *j = json_loadb(r.body, r.len, 0, NULL);
            if (!j || memchr(r.body, '<', r.len) || memchr(r.body, '>', r.len)) {
                a->bad++;
                printf("bad JSON to %s %s ? %s: %.200s\n", m, path, query, r.body);
            }
            json_decref(j);
        }
        ws_http_response_free(&r);
        free(path);
        free(query);
        free(body);
    }
    return NULL;
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    if (!e) return TEST_REPORT();
    char dir[] = "/tmp/ws_test_server_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char db[sizeof dir + 16];
    snprintf(db, sizeof db, "%s/t.db", dir);
    CHECK(make_store(e, db) == 0, "store");

    ws_server_options o;
    memset(&o, 0, sizeof o);
    o.db_path = db;
    o.flags = WS_SERVER_NO_LISTEN;
    o.max_body_bytes = 4096;
    ws_server *srv = NULL;
    char err[256];
    CHECK(ws_server_new(e, &o, &srv, err, sizeof err) == WS_OK, "server: %s", err);
    CHECK(srv && !strcmp(ws_server_url(srv), ""), "no URL without a socket");
    if (srv) {
        test_routes(srv);
        fuzz_arg one = {srv, 0x9e3779b97f4a7c15ull, 1500, 0, 0, 0};
        fuzz(&one);
        CHECK(one.bad == 0, "%d bad answers to 1500 hostile requests", one.bad);
        CHECK(one.n200 >= 100 && one.n400 >= 100, "hostile requests reach the handlers: %d ok, %d 400",
              one.n200, one.n400);
        printf("hostile requests: 1500, %d answered 200, %d answered 400\n", one.n200, one.n400);
        pthread_t th[4];
        fuzz_arg args[4];
        for (int i = 0; i < 4; i++) {
            args[i] = (fuzz_arg){srv, 1234567ull * (uint64_t)(i + 1), 300, 0, 0, 0};
            pthread_create(&th[i], NULL, fuzz, &args[i]);
        }
        int bad = 0;
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            bad += args[i].bad;
        }
        CHECK(bad == 0, "%d bad answers from 4 threads", bad);
    }
    ws_server_free(srv);
    test_query();

    /* Option checks (no socket is opened: they fail before). */
    o.flags = 0;
    o.listen = "0.0.0.0:0";
    CHECK(ws_server_new(e, &o, &srv, err, sizeof err) == WS_ERR_INVALID && !srv, "public refused");
    CHECK(strstr(err, "loopback") != NULL, "says loopback: %s", err);
    o.listen = "nonsense";
    CHECK(ws_server_new(e, &o, &srv, err, sizeof err) == WS_ERR_INVALID, "bad address");
    o.listen = "127.0.0.1:0";
    o.db_path = "/nonexistent/x.db";
    CHECK(ws_server_new(e, &o, &srv, err, sizeof err) == WS_ERR_IO && !srv, "missing store");
    o.db_path = NULL;
    o.flags = WS_SERVER_NO_LISTEN;
    CHECK(ws_server_new(NULL, &o, &srv, err, sizeof err) == WS_ERR_INVALID, "no engine");
    /* Without a store, store endpoints are 503 and extract still works. */
    o.db_path = "/nonexistent/x.db";
    CHECK(ws_server_new(e, &o, &srv, err, sizeof err) == WS_OK, "no-listen server without store");
    if (srv) {
        CHECK(ask(srv, "GET", "/api/stats", NULL, NULL, NULL, NULL) == 503, "503 without a store");
        CHECK(ask(srv, "POST", "/api/extract", NULL, NULL, "He said \"yes\".", NULL) == 200,
              "extract without a store");
    }
    ws_server_free(srv);
    ws_server_free(NULL);

    char cmd[sizeof dir + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0, "cleanup");
    ws_engine_free(e);
    return TEST_REPORT();
}
