/*
 * daemon.c - ws_server: options, the listening socket, the pool of
 * read-only store handles and the libmicrohttpd glue that feeds every
 * request to ws_server_request() and adds the security headers.
 */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static void set_err(char *err, size_t n, const char *fmt, ...) {
    if (!err || !n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* ---- the store pool -------------------------------------------------------- */

ws_store *ws_srv_store_get(ws_server *srv, char *err, size_t err_len) {
    ws_store *st = NULL;
    pthread_mutex_lock(&srv->pool_lock);
    if (srv->n_pool) st = srv->pool[--srv->n_pool];
    pthread_mutex_unlock(&srv->pool_lock);
    if (st) return st;
    char *msg = NULL;
    ws_status s = ws_store_open(srv->db_path, WS_STORE_READONLY, 2000, &st, &msg);
    if (s != WS_OK) {
        set_err(err, err_len, "database unavailable: %s", msg ? msg : ws_strerror(s));
        ws_store_json_free(msg);
        return NULL;
    }
    return st;
}

void ws_srv_store_put(ws_server *srv, ws_store *st) {
    if (!st) return;
    pthread_mutex_lock(&srv->pool_lock);
    if (srv->n_pool < WS_SRV_POOL) {
        srv->pool[srv->n_pool++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&srv->pool_lock);
    ws_store_close(st);
}

/* ---- the analysis cache pool ------------------------------------------------ */

ws_cache *ws_srv_cache_get(ws_server *srv) {
    ws_cache *c = NULL;
    pthread_mutex_lock(&srv->pool_lock);
    if (srv->n_caches) c = srv->caches[--srv->n_caches];
    pthread_mutex_unlock(&srv->pool_lock);
    if (!c && ws_cache_new(srv->engine, &c) != WS_OK) c = NULL;
    return c;
}

void ws_srv_cache_put(ws_server *srv, ws_cache *c) {
    if (!c) return;
    pthread_mutex_lock(&srv->pool_lock);
    if (srv->n_caches < WS_SRV_MAX_THREADS) {
        srv->caches[srv->n_caches++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&srv->pool_lock);
    ws_cache_free(c);
}

/* ---- the listen address ------------------------------------------------------ */

typedef struct addr {
    struct sockaddr_storage ss;
    socklen_t len;
    int loopback;
} addr;

/* Parses "HOST:PORT", "[V6]:PORT" or "localhost:PORT". */
static int parse_listen(const char *s, addr *a, char *err, size_t n) {
    char host[64];
    const char *colon;
    memset(a, 0, sizeof *a);
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof host) goto bad;
        memcpy(host, s + 1, (size_t)(rb - s - 1));
        host[rb - s - 1] = '\0';
        colon = rb + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host) goto bad;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    long port;
    if (ws_srv_parse_long(colon + 1, 0, 65535, &port)) goto bad;
    if (!strcmp(host, "localhost") || !host[0]) strcpy(host, "127.0.0.1");
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a->ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((unsigned short)port);
        a->len = sizeof *v4;
        a->loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((unsigned short)port);
        a->len = sizeof *v6;
        a->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
        return 0;
    }
bad:
    set_err(err, n, "bad listen address '%s' (want HOST:PORT, e.g. 127.0.0.1:8080, "
                    "or [::1]:8080; HOST is a numeric address or localhost)", s);
    return -1;
}

/* Binds and listens; fills srv->url with the bound port. -1 on failure. */
static int open_socket(ws_server *srv, const addr *a, char *err, size_t n) {
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        set_err(err, n, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (a->ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    struct sockaddr_storage got;
    socklen_t gl = sizeof got;
    if (bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, 64) ||
        getsockname(fd, (struct sockaddr *)&got, &gl)) {
        set_err(err, n, "cannot listen on %s: %s", srv->url, strerror(errno));
        close(fd);
        return -1;
    }
    char host[INET6_ADDRSTRLEN];
    if (got.ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&got;
        inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
        snprintf(srv->url, sizeof srv->url, "http://[%s]:%u/", host, ntohs(v6->sin6_port));
    } else {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&got;
        inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
        snprintf(srv->url, sizeof srv->url, "http://%s:%u/", host, ntohs(v4->sin_port));
    }
    return fd;
}

/* ---- the libmicrohttpd glue --------------------------------------------------- */

/* One request in progress (MHD's *req_cls). */
typedef struct conn_req {
    char *query; /* the raw query string (after '?'), or NULL */
    int nul_path; /* the raw path holds %00 (MHD would cut it there) */
    char *body;
    size_t len, cap;
    int too_large;
    int started; /* the headers-only first call is done */
} conn_req;

/* MHD_OPTION_URI_LOG_CALLBACK: sees the raw URI first; keeps its query. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    (void)c;
    conn_req *cr = calloc(1, sizeof *cr);
    const char *q = uri ? strchr(uri, '?') : NULL;
    if (cr && q) cr->query = strdup(q + 1);
    if (cr && uri)
        for (const char *p = uri; *p && p != q; p++)
            if (p[0] == '%' && p[1] == '0' && p[2] == '0') cr->nul_path = 1;
    return cr;
}

static void on_done(void *cls, struct MHD_Connection *c, void **req_cls,
                    enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    conn_req *cr = *req_cls;
    if (!cr) return;
    free(cr->query);
    free(cr->body);
    free(cr);
    *req_cls = NULL;
}

static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
     "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Cache-Control", "no-store"},
};

/* Queues resp (body taken over) with the security headers. */
static enum MHD_Result send_resp(struct MHD_Connection *c, ws_http_response *r,
                                 const char *path) {
    struct MHD_Response *m =
        MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!m) {
        ws_http_response_free(r);
        return MHD_NO;
    }
    r->body = NULL;
    MHD_add_response_header(m, "Content-Type", r->content_type);
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(m, security_headers[i][0], security_headers[i][1]);
    if (r->status == 405)
        MHD_add_response_header(m, "Allow",
                                path && !strcmp(path, "/api/extract") ? "POST" : "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg) {
    ws_http_response r;
    if (ws_srv_reply_error(&r, status, msg) != WS_OK) return MHD_NO;
    return send_resp(c, &r, NULL);
}

/* Without WS_SERVER_PUBLIC the Host header must name a loopback host (a
 * page elsewhere cannot reach the API through DNS rebinding). */
static int host_ok(const ws_server *srv, struct MHD_Connection *c) {
    if (srv->opts.flags & WS_SERVER_PUBLIC) return 1;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!h) return 1; /* HTTP/1.0 */
    char host[64];
    size_t n = strlen(h);
    const char *colon = h[0] == '[' ? strstr(h, "]:") : strrchr(h, ':');
    if (colon) n = (size_t)(colon - h) + (h[0] == '[');
    if (n == 0 || n >= sizeof host) return 0;
    memcpy(host, h, n);
    host[n] = '\0';
    if (!strcasecmp(host, "localhost") || !strcmp(host, "[::1]")) return 1;
    struct in_addr a4;
    return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

/* Appends upload bytes up to the body limit. */
static void take_body(const ws_server *srv, conn_req *cr, const char *data, size_t n) {
    if (cr->too_large) return;
    if (n > srv->opts.max_body_bytes - cr->len) {
        cr->too_large = 1;
        return;
    }
    if (cr->len + n + 1 > cr->cap) {
        size_t cap = cr->cap ? cr->cap : 4096;
        while (cap < cr->len + n + 1) cap *= 2;
        char *b = realloc(cr->body, cap);
        if (!b) {
            cr->too_large = 1;
            return;
        }
        cr->body = b;
        cr->cap = cap;
    }
    memcpy(cr->body + cr->len, data, n);
    cr->len += n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **req_cls) {
    (void)version;
    ws_server *srv = cls;
    conn_req *cr = *req_cls;
    if (!cr) return send_error(c, 500, "out of memory");
    if (!cr->started) {
        /* First call (headers only): checks that need no body. */
        cr->started = 1;
        if (MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL) > (int)WS_SRV_MAX_HEADERS)
            return send_error(c, 431, "too many request headers");
        if (!host_ok(srv, c)) return send_error(c, 403, "this Host is not served");
        if (cr->nul_path) return send_error(c, 404, "not found");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        long v;
        if (cl && (ws_srv_parse_long(cl, 0, 0x7fffffffL, &v) ||
                   (size_t)v > srv->opts.max_body_bytes))
            return send_error(c, 413, "the request body is too large");
        return MHD_YES;
    }
    if (*upload_size) {
        take_body(srv, cr, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (cr->too_large) return send_error(c, 413, "the request body is too large");
    ws_http_response r;
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    ws_status s = ws_server_request(srv, method, url, cr->query, ct, cr->body, cr->len, &r);
    if (s != WS_OK) return send_error(c, 500, ws_strerror(s));
    return send_resp(c, &r, url);
}

/* ---- lifecycle ------------------------------------------------------------------ */

static void fill_defaults(ws_server_options *o) {
    if (!o->threads) o->threads = WS_SRV_DEFAULT_THREADS;
    if (o->threads > WS_SRV_MAX_THREADS) o->threads = WS_SRV_MAX_THREADS;
    if (!o->max_connections) o->max_connections = WS_SRV_DEFAULT_CONNECTIONS;
    if (!o->timeout_s) o->timeout_s = WS_SRV_DEFAULT_TIMEOUT;
    if (!o->max_body_bytes) o->max_body_bytes = WS_SRV_DEFAULT_BODY;
}

static ws_status start_daemon(ws_server *srv, const char *listen, char *err, size_t n) {
    addr a;
    if (parse_listen(listen, &a, err, n)) return WS_ERR_INVALID;
    if (!a.loopback && !(srv->opts.flags & WS_SERVER_PUBLIC)) {
        set_err(err, n, "%s is not a loopback address; pass --public (WS_SERVER_PUBLIC) "
                        "to serve other machines", listen);
        return WS_ERR_INVALID;
    }
    snprintf(srv->url, sizeof srv->url, "%s", listen);
    int fd = open_socket(srv, &a, err, n);
    if (fd < 0) return WS_ERR_IO;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD;
    if (a.ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, srv->opts.threads, MHD_OPTION_CONNECTION_LIMIT,
        srv->opts.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WS_SRV_HEADER_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done,
        NULL, MHD_OPTION_END);
    if (!d) {
        close(fd);
        set_err(err, n, "cannot start the HTTP daemon on %s", srv->url);
        return WS_ERR_IO;
    }
    srv->daemon = d;
    return WS_OK;
}

ws_status ws_server_new(const ws_engine *engine, const ws_server_options *opts,
                        ws_server **out, char *err, size_t err_len) {
    if (err && err_len) err[0] = '\0';
    if (!out) return WS_ERR_INVALID;
    *out = NULL;
    if (!engine) {
        set_err(err, err_len, "no engine");
        return WS_ERR_INVALID;
    }
    ws_server *srv = calloc(1, sizeof *srv);
    if (!srv) return WS_ERR_NOMEM;
    if (opts) srv->opts = *opts;
    fill_defaults(&srv->opts);
    srv->engine = engine;
    srv->db_path = strdup(srv->opts.db_path ? srv->opts.db_path : WS_SRV_DEFAULT_DB);
    const char *listen = srv->opts.listen ? srv->opts.listen : WS_SRV_DEFAULT_LISTEN;
    srv->opts.db_path = NULL;
    srv->opts.listen = NULL;
    if (!srv->db_path || pthread_mutex_init(&srv->pool_lock, NULL)) {
        free(srv->db_path);
        free(srv);
        return WS_ERR_NOMEM;
    }
    ws_status s = WS_OK;
    if (!(srv->opts.flags & WS_SERVER_NO_LISTEN)) {
        char msg[512];
        ws_store *st = ws_srv_store_get(srv, msg, sizeof msg);
        if (!st) {
            set_err(err, err_len, "%s", msg);
            s = WS_ERR_IO;
        } else {
            ws_srv_store_put(srv, st);
            s = start_daemon(srv, listen, err, err_len);
        }
    }
    if (s != WS_OK) {
        ws_server_free(srv);
        return s;
    }
    *out = srv;
    return WS_OK;
}

const char *ws_server_url(const ws_server *srv) {
    return srv && srv->daemon ? srv->url : "";
}

void ws_server_free(ws_server *srv) {
    if (!srv) return;
    if (srv->daemon) MHD_stop_daemon(srv->daemon);
    for (unsigned i = 0; i < srv->n_pool; i++) ws_store_close(srv->pool[i]);
    for (unsigned i = 0; i < srv->n_caches; i++) ws_cache_free(srv->caches[i]);
    pthread_mutex_destroy(&srv->pool_lock);
    free(srv->db_path);
    free(srv);
}
