/*
 * api.c - the router of `whosaid serve`: ws_server_request() maps
 * (method, path, query, body) to (status, content type, body), with no
 * socket involved. Store answers are the store's JSON (docs/store.md),
 * passed through; errors are {"error": "..."} (docs/server.md).
 */
#include "server/server.h"
#include "model/blobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The web assets, compiled in by tools/bin2c (Makefile: gen/web_data.c). */
extern const ws_blob ws_web_blobs[];

static const struct {
    const char *path, *blob, *type;
} asset_map[] = {
    {"/", "index", "text/html; charset=utf-8"},
    {"/index.html", "index", "text/html; charset=utf-8"},
    {"/static/app.js", "app", "text/javascript; charset=utf-8"},
    {"/static/style.css", "style", "text/css; charset=utf-8"},
};

/* Looks a request path up among the embedded assets: exact names only. */
static int asset_lookup(const char *path, ws_srv_asset *out) {
    for (size_t i = 0; i < sizeof asset_map / sizeof asset_map[0]; i++) {
        if (strcmp(path, asset_map[i].path)) continue;
        for (const ws_blob *b = ws_web_blobs; b->name; b++)
            if (!strcmp(b->name, asset_map[i].blob)) {
                out->path = asset_map[i].path;
                out->type = asset_map[i].type;
                out->data = b->data;
                out->size = b->size;
                return 1;
            }
    }
    return 0;
}

/* ---- a request in progress ---------------------------------------------- */

typedef struct req {
    ws_server *srv;
    ws_srv_query q;
    const char *ctype;
    const char *body;
    size_t body_len;
    ws_http_response *out;
} req;

static ws_status bad(req *r, const char *fmt, const char *arg) {
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    return ws_srv_reply_error(r->out, 400, msg);
}

/* Maps a failed store call to a response. not_found: WS_ERR_INVALID means
 * an unknown id (404) rather than a bad query (400). */
static ws_status store_error(req *r, ws_store *st, ws_status s, int not_found) {
    const char *m = ws_store_errmsg(st);
    char msg[512];
    if (s == WS_ERR_INVALID)
        return ws_srv_reply_error(r->out, not_found ? 404 : 400,
                                  *m ? m : (not_found ? "not found" : "bad query"));
    if (s == WS_ERR_NOMEM) return ws_srv_reply_error(r->out, 500, "out of memory");
    if (ws_store_is_busy(st))
        return ws_srv_reply_error(r->out, 503, "the database is busy; try again");
    snprintf(msg, sizeof msg, "database error: %s", *m ? m : ws_strerror(s));
    return ws_srv_reply_error(r->out, 500, msg);
}

/* Replies with a JSON string from the store (freed here). */
static ws_status pass_json(req *r, char *json) {
    ws_status s = ws_srv_reply_jsontext(r->out, 200, json, strlen(json));
    ws_store_json_free(json);
    return s;
}

/* Takes a store handle; on failure the reply is already made (NULL). */
static ws_store *get_store(req *r, ws_status *s) {
    char err[512];
    ws_store *st = ws_srv_store_get(r->srv, err, sizeof err);
    if (!st) *s = ws_srv_reply_error(r->out, 503, err);
    return st;
}

/* Reads an optional integer parameter; -1 (reply made) when bad. */
static int opt_long(req *r, const char *key, long lo, long hi, long *v,
                    ws_status *s) {
    const char *t = ws_srv_query_get(&r->q, key);
    if (!t) return 0;
    if (ws_srv_parse_long(t, lo, hi, v)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be an integer from %ld to %ld", key, lo, hi);
        *s = ws_srv_reply_error(r->out, 400, msg);
        return -1;
    }
    return 1;
}

/* ---- handlers ------------------------------------------------------------ */

/* Sets up *sq from q, since, until, site and order (the rest zero),
 * checking the text's length, the dates and the order: -1 with the 400
 * reply in *s on a bad one. */
static int query_text_dates(req *r, ws_search_query *sq, ws_status *s) {
    memset(sq, 0, sizeof *sq);
    sq->text = ws_srv_query_get(&r->q, "q");
    sq->since = ws_srv_query_get(&r->q, "since");
    sq->until = ws_srv_query_get(&r->q, "until");
    sq->site = ws_srv_query_get(&r->q, "site");
    const char *order = ws_srv_query_get(&r->q, "order");
    sq->order = order && !strcmp(order, "relevance") ? WS_SEARCH_RELEVANCE : WS_SEARCH_NEWEST;
    if (order && strcmp(order, "newest") && strcmp(order, "relevance"))
        *s = bad(r, "order must be newest or relevance, not '%.40s'", order);
    else if (sq->text && strlen(sq->text) > WS_SRV_MAX_Q)
        *s = bad(r, "q is too long (at most %s bytes)", "1000");
    else if (sq->since && !ws_srv_date_ok(sq->since))
        *s = bad(r, "since must be YYYY, YYYY-MM or YYYY-MM-DD, not '%.40s'", sq->since);
    else if (sq->until && !ws_srv_date_ok(sq->until))
        *s = bad(r, "until must be YYYY, YYYY-MM or YYYY-MM-DD, not '%.40s'", sq->until);
    else
        return 0;
    return -1;
}

/* Reads limit (default 20) and offset into *sq: -1 with the 400 reply in
 * *s on a bad one. */
static int query_page(req *r, ws_search_query *sq, ws_status *s) {
    long v;
    int k;
    if ((k = opt_long(r, "limit", 1, WS_SRV_MAX_LIMIT, &v, s)) < 0) return -1;
    sq->limit = k ? (size_t)v : 20;
    if ((k = opt_long(r, "offset", 0, WS_SRV_MAX_OFFSET, &v, s)) < 0) return -1;
    sq->offset = k ? (size_t)v : 0;
    return 0;
}

/* Runs search (statements or articles) on a pooled store and replies. */
static ws_status run_search(req *r, const ws_search_query *sq,
                            ws_status (*search)(ws_store *, const ws_search_query *, char **)) {
    ws_status s = WS_OK;
    ws_store *st = get_store(r, &s);
    if (!st) return s;
    char *json = NULL;
    ws_status rc = search(st, sq, &json);
    s = rc == WS_OK ? pass_json(r, json) : store_error(r, st, rc, 0);
    ws_srv_store_put(r->srv, st);
    return s;
}

static ws_status h_search(req *r) {
    ws_search_query sq;
    ws_status s = WS_OK;
    if (query_text_dates(r, &sq, &s)) return s;
    sq.speaker = ws_srv_query_get(&r->q, "speaker");
    sq.type = ws_srv_query_get(&r->q, "type");
    if (sq.type && strcmp(sq.type, "direct") && strcmp(sq.type, "indirect") &&
        strcmp(sq.type, "mixed"))
        return bad(r, "type must be direct, indirect or mixed, not '%.40s'", sq.type);
    if (query_page(r, &sq, &s)) return s;
    long v;
    int k;
    if ((k = opt_long(r, "speaker_id", 1, 0x7fffffffL, &v, &s)) < 0) return s;
    if (k) sq.speaker_id = v;
    if ((k = opt_long(r, "article", 1, 0x7fffffffL, &v, &s)) < 0) return s;
    if (k) sq.article_id = v;
    return run_search(r, &sq, ws_store_search);
}

/* GET /api/articles?q=&since=&until=&site=&order=&limit=&offset=: the
 * articles whose title or body match (ws_store_search_articles). */
static ws_status h_articles(req *r) {
    ws_search_query sq;
    ws_status s = WS_OK;
    if (query_text_dates(r, &sq, &s)) return s;
    if (query_page(r, &sq, &s)) return s;
    return run_search(r, &sq, ws_store_search_articles);
}

static ws_status h_speakers(req *r) {
    ws_status s = WS_OK;
    long top = 20;
    if (opt_long(r, "top", 1, WS_SRV_MAX_LIMIT, &top, &s) < 0) return s;
    const char *site = ws_srv_query_get(&r->q, "site");
    const char *topic = ws_srv_query_get(&r->q, "q");
    if (topic && strlen(topic) > WS_SRV_MAX_Q)
        return bad(r, "q is too long (at most %s bytes)", "1000");
    ws_store *st = get_store(r, &s);
    if (!st) return s;
    char *json = NULL;
    ws_status rc = ws_store_speakers(st, (size_t)top, site, topic, &json);
    s = rc == WS_OK ? pass_json(r, json) : store_error(r, st, rc, 0);
    ws_srv_store_put(r->srv, st);
    return s;
}

static ws_status h_stats(req *r) {
    ws_status s = WS_OK;
    ws_store *st = get_store(r, &s);
    if (!st) return s;
    char *json = NULL;
    ws_status rc = ws_store_stats(st, &json);
    s = rc == WS_OK ? pass_json(r, json) : store_error(r, st, rc, 0);
    ws_srv_store_put(r->srv, st);
    return s;
}

enum { ONE_SPEAKER, ONE_ARTICLE, ONE_QUOTE };

/* GET /api/speakers/ID, /api/articles/ID, /api/quotes/ID. */
static ws_status h_one(req *r, int kind, const char *idstr) {
    long id;
    ws_status s = WS_OK;
    if (ws_srv_parse_long(idstr, 1, 0x7fffffffL, &id))
        return bad(r, "the id must be a positive integer, not '%.40s'", idstr);
    int by_statement = 0;
    if (kind == ONE_QUOTE) {
        const char *by = ws_srv_query_get(&r->q, "by");
        if (by && strcmp(by, "statement") && strcmp(by, "cluster"))
            return bad(r, "by must be cluster or statement, not '%.40s'", by);
        by_statement = by && !strcmp(by, "statement");
    }
    ws_store *st = get_store(r, &s);
    if (!st) return s;
    char *json = NULL;
    ws_status rc = kind == ONE_SPEAKER ? ws_store_speaker(st, id, &json)
                   : kind == ONE_ARTICLE ? ws_store_article(st, id, &json)
                                         : ws_store_quote_cluster(st, id, by_statement, &json);
    s = rc == WS_OK ? pass_json(r, json) : store_error(r, st, rc, 1);
    ws_srv_store_put(r->srv, st);
    return s;
}

/* 1 if the content type is `want` (ignoring parameters and case). */
static int ctype_is(const char *ct, const char *want) {
    size_t n = strlen(want);
    if (!ct) return 0;
    while (*ct == ' ') ct++;
    return !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Extracts from HTML through a reader and the article layer. */
static ws_status extract_html(req *r, const char *text, size_t len, char **json,
                              size_t *n, char *err, size_t err_len) {
    ws_reader_options ro;
    memset(&ro, 0, sizeof ro);
    ro.format = WS_FORMAT_HTML;
    ws_reader *rd = NULL;
    ws_status s = ws_reader_open_mem(text, len, "request", &ro, &rd);
    ws_record rec;
    if (s == WS_OK) s = ws_reader_next(rd, &rec);
    if (s == WS_OK) {
        ws_cache *c = ws_srv_cache_get(r->srv);
        s = ws_record_to_json_cached(r->srv->engine, c, &rec, WS_JSON_TEXT | WS_JSON_BODY,
                                     json, n);
        ws_srv_cache_put(r->srv, c);
    } else if (rd)
        snprintf(err, err_len, "%s", s == WS_DONE ? "no document in the HTML"
                                                   : ws_reader_errmsg(rd));
    ws_reader_free(rd);
    return s;
}

/* Extracts from plain text: the same object as `whosaid extract` (with the
 * article fields, a dateline among them). */
static ws_status extract_text(req *r, const char *text, size_t len, char **json,
                              size_t *n) {
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.format = WS_FORMAT_TEXT;
    rec.id = "-";
    rec.source = "request";
    rec.data = text;
    rec.len = len;
    ws_cache *c = ws_srv_cache_get(r->srv);
    ws_status s = ws_record_to_json_cached(r->srv->engine, c, &rec, WS_JSON_TEXT, json, n);
    ws_srv_cache_put(r->srv, c);
    return s;
}

/* POST /api/extract: text/plain, or JSON {"text":..., "format":"text|html"}. */
static ws_status h_extract(req *r) {
    const char *text = r->body;
    size_t len = r->body_len;
    const char *format = ws_srv_query_get(&r->q, "format");
    json_t *root = NULL;
    if (ctype_is(r->ctype, "application/json")) {
        json_error_t je;
        root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
        if (!root || !json_is_object(root)) {
            json_decref(root);
            return bad(r, "the body is not a JSON object: %.200s",
                       root ? "another JSON value" : je.text);
        }
        json_t *t = json_object_get(root, "text"), *f = json_object_get(root, "format");
        if (!json_is_string(t)) {
            json_decref(root);
            return bad(r, "%s", "the JSON body needs a string \"text\"");
        }
        if (f && !json_is_string(f)) {
            json_decref(root);
            return bad(r, "%s", "\"format\" must be a string");
        }
        text = json_string_value(t);
        len = json_string_length(t);
        if (f) format = json_string_value(f);
    } else if (r->ctype && !ctype_is(r->ctype, "text/plain")) {
        return ws_srv_reply_error(r->out, 415,
                                  "send text/plain or application/json");
    }
    ws_status s;
    if (format && strcmp(format, "text") && strcmp(format, "html")) {
        s = bad(r, "format must be text or html, not '%.40s'", format);
        json_decref(root);
        return s;
    }
    char *json = NULL, err[300] = "";
    size_t n = 0;
    ws_status rc = format && !strcmp(format, "html")
                       ? extract_html(r, text, len, &json, &n, err, sizeof err)
                       : extract_text(r, text, len, &json, &n);
    if (rc == WS_OK) {
        s = ws_srv_reply_jsontext(r->out, 200, json, n);
        ws_free(r->srv->engine, json);
    } else if (rc == WS_ERR_TOO_LARGE) {
        s = ws_srv_reply_error(r->out, 413, "the text is too large");
    } else if (rc == WS_ERR_FORMAT || rc == WS_DONE || *err) {
        s = ws_srv_reply_error(r->out, 422, *err ? err : "the document could not be read");
    } else {
        s = ws_srv_reply_error(r->out, 500, ws_strerror(rc));
    }
    json_decref(root);
    return s;
}

/* ---- routing -------------------------------------------------------------- */

static ws_status not_allowed(req *r, const char *allow) {
    char msg[80];
    snprintf(msg, sizeof msg, "method not allowed (allowed: %s)", allow);
    return ws_srv_reply_error(r->out, 405, msg);
}

/* The id after a prefix such as "/api/speakers/", or NULL. */
static const char *after(const char *path, const char *prefix) {
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) ? NULL : path + n;
}

static ws_status route(req *r, const char *method, const char *path) {
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    int post = !strcmp(method, "POST");
    const char *id;
    if (!strcmp(path, "/api/extract"))
        return post ? h_extract(r) : not_allowed(r, "POST");
    if (!strncmp(path, "/api/", 5) && !get) return not_allowed(r, "GET, HEAD");
    if (!strcmp(path, "/api/search")) return h_search(r);
    if (!strcmp(path, "/api/articles")) return h_articles(r);
    if (!strcmp(path, "/api/speakers")) return h_speakers(r);
    if (!strcmp(path, "/api/stats")) return h_stats(r);
    if ((id = after(path, "/api/speakers/"))) return h_one(r, ONE_SPEAKER, id);
    if ((id = after(path, "/api/articles/"))) return h_one(r, ONE_ARTICLE, id);
    if ((id = after(path, "/api/quotes/"))) return h_one(r, ONE_QUOTE, id);
    if (!strncmp(path, "/api/", 5) || !strcmp(path, "/api"))
        return ws_srv_reply_error(r->out, 404, "no such API endpoint");
    if (!get) return not_allowed(r, "GET, HEAD");
    if (!strcmp(path, "/favicon.ico")) return ws_srv_reply_raw(r->out, 204, "text/plain", "", 0);
    ws_srv_asset a;
    if (asset_lookup(path, &a))
        return ws_srv_reply_raw(r->out, 200, a.type, (const char *)a.data, a.size);
    return ws_srv_reply_error(r->out, 404, "not found");
}

ws_status ws_server_request(ws_server *srv, const char *method, const char *path,
                            const char *query, const char *content_type,
                            const char *body, size_t body_len, ws_http_response *out) {
    if (!out) return WS_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!srv || !method || !path || (!body && body_len)) return WS_ERR_INVALID;
    req r;
    memset(&r, 0, sizeof r);
    r.srv = srv;
    r.ctype = content_type;
    r.body = body ? body : "";
    r.body_len = body_len;
    r.out = out;
    if (body_len > srv->opts.max_body_bytes)
        return ws_srv_reply_error(out, 413, "the request body is too large");
    if (query && strlen(query) > WS_SRV_MAX_QUERY)
        return ws_srv_reply_error(out, 414, "the query string is too long");
    const char *why = NULL;
    ws_status s = ws_srv_query_parse(query, &r.q, &why);
    if (s == WS_ERR_NOMEM) return s;
    if (s != WS_OK) return ws_srv_reply_error(out, 400, why);
    s = route(&r, method, path);
    ws_srv_query_free(&r.q);
    if (s != WS_OK) ws_http_response_free(out);
    return s;
}
