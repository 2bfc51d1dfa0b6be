/*
 * server.h - internal: the HTTP layer of `whosaid serve` (docs/server.md).
 *
 * Three files:
 *   http.c    query strings, JSON strings, limits and responses (no sockets)
 *   api.c     the router: (method, path, query, body) -> (status, type, body)
 *             = ws_server_request(), what the socket glue and the fuzzers call
 *   daemon.c  the libmicrohttpd glue, the store handle and cache pools,
 *             ws_server_new()
 *
 * A ws_server holds no mutable state but its pools of read-only store
 * handles and of analysis caches (behind a mutex) and the daemon; any
 * number of threads may call ws_server_request() on it at once.
 */
#ifndef WS_SERVER_INT_H
#define WS_SERVER_INT_H

#include "whosaid.h"

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

/* Defaults and hard caps (docs/server.md, "Limits"). */
#define WS_SRV_DEFAULT_LISTEN "127.0.0.1:8080"
#define WS_SRV_DEFAULT_DB "whosaid.db"
#define WS_SRV_DEFAULT_THREADS 2u
#define WS_SRV_MAX_THREADS 64u
#define WS_SRV_DEFAULT_CONNECTIONS 64u
#define WS_SRV_DEFAULT_TIMEOUT 30u
#define WS_SRV_DEFAULT_BODY ((size_t)4 << 20)
#define WS_SRV_MAX_HEADERS 64u         /* more request headers: 431 */
#define WS_SRV_HEADER_MEMORY (32u << 10) /* request line + headers: 414/431 */
#define WS_SRV_MAX_QUERY 4096u         /* query string bytes: 414 */
#define WS_SRV_MAX_PARAMS 32u          /* query parameters: 400 */
#define WS_SRV_MAX_Q 1000u             /* search text bytes: 400 */
#define WS_SRV_MAX_LIMIT 500L          /* limit= / top= */
#define WS_SRV_MAX_OFFSET 100000L      /* offset= */
#define WS_SRV_POOL 64u                /* idle store handles kept */

/* The server: immutable after ws_server_new() except the pool. */
struct ws_server {
    const ws_engine *engine;
    char *db_path;
    ws_server_options opts; /* defaults filled in; listen/db_path not kept */
    char url[96];
    void *daemon; /* struct MHD_Daemon *, NULL with WS_SERVER_NO_LISTEN */
    pthread_mutex_t pool_lock;
    void *pool[WS_SRV_POOL]; /* idle read-only store handles */
    unsigned n_pool;
    /* idle ws_cache handles of the extract handler (pool_lock): a request
     * takes one for its analysis and gives it back, so at most one per
     * request running at once is ever made (the thread pool's size) */
    ws_cache *caches[WS_SRV_MAX_THREADS];
    unsigned n_caches;
};

/* ---- http.c ------------------------------------------------------------ */

/* A parsed query string: decoded key/value pairs (NUL-terminated). */
typedef struct ws_srv_query {
    char *keys[WS_SRV_MAX_PARAMS];
    char *vals[WS_SRV_MAX_PARAMS];
    unsigned n;
} ws_srv_query;

/* Parses "a=1&b=x%20y" (NULL or "" is empty). '+' is a space, %XX a byte.
 * Returns WS_OK, WS_ERR_NOMEM, or WS_ERR_FORMAT with *why set (a NUL byte,
 * invalid UTF-8, too many parameters, a repeated key). */
ws_status ws_srv_query_parse(const char *q, ws_srv_query *out, const char **why);
/* The value of key, or NULL if absent. An empty value counts as absent. */
const char *ws_srv_query_get(const ws_srv_query *q, const char *key);
void ws_srv_query_free(ws_srv_query *q);

/* A JSON string of n bytes; each invalid UTF-8 byte becomes U+FFFD
 * (same_len: '?', so byte offsets into it stay right). NULL: json null. */
json_t *ws_srv_jstr(const char *s, size_t n, int same_len);
/* 1 if s[0..n) is valid UTF-8. */
int ws_srv_utf8_ok(const char *s, size_t n);

/* Fills a response. Bodies are malloc'd; each returns WS_OK or
 * WS_ERR_NOMEM (the response is then empty). */
ws_status ws_srv_reply_json(ws_http_response *r, int status, json_t *v);
ws_status ws_srv_reply_error(ws_http_response *r, int status, const char *msg);
/* Copies JSON text (from the store or the engine) with '<', '>' and '&'
 * written as \u003c, \u003e, \u0026: the same JSON value, and no markup
 * in it even if a client mistakes it for HTML. */
ws_status ws_srv_reply_jsontext(ws_http_response *r, int status, const char *json,
                                size_t n);
ws_status ws_srv_reply_raw(ws_http_response *r, int status, const char *type,
                           const char *body, size_t len);

/* Parses a decimal integer in [lo, hi]; 0 ok, -1 bad. */
int ws_srv_parse_long(const char *s, long lo, long hi, long *out);
/* 1 if s is YYYY, YYYY-MM or YYYY-MM-DD with a sane month and day. */
int ws_srv_date_ok(const char *s);

/* The reason phrase of a status ("Not Found"). */
const char *ws_srv_status_text(int status);

/* ---- daemon.c: the read-only store handle pool ------------------------- */

/* Takes an idle handle or opens one; NULL with *err set on failure. */
ws_store *ws_srv_store_get(ws_server *srv, char *err, size_t err_len);
/* Returns a handle to the pool (or closes it when the pool is full). */
void ws_srv_store_put(ws_server *srv, ws_store *st);
/* An idle analysis cache (ws_cache) from the pool, or a new one; NULL
 * without memory (the analysis then runs uncached). */
ws_cache *ws_srv_cache_get(ws_server *srv);
/* Returns a cache to the pool (or frees it when the pool is full). */
void ws_srv_cache_put(ws_server *srv, ws_cache *c);

/* ---- api.c ------------------------------------------------------------- */

/* The embedded web assets (index.html, app.js, style.css). */
typedef struct ws_srv_asset {
    const char *path; /* "/static/app.js" */
    const char *type; /* content type */
    const unsigned char *data;
    size_t size;
} ws_srv_asset;

#endif
