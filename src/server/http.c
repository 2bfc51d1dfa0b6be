/*
 * http.c - the socket-free pieces of the HTTP layer: query strings, JSON
 * strings from untrusted bytes, parameter checks and responses.
 */
#include "server/server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (n < len) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

int ws_srv_utf8_ok(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(u + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

json_t *ws_srv_jstr(const char *s, size_t n, int same_len) {
    if (!s) return json_null();
    if (ws_srv_utf8_ok(s, n)) return json_stringn(s, n);
    /* Each invalid byte: U+FFFD (3 bytes) or '?' (1 byte). */
    char *t = malloc(n * 3 + 1);
    if (!t) return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(u + i, n - i);
        if (k) {
            memcpy(t + j, s + i, k);
            j += k;
            i += k;
        } else if (same_len) {
            t[j++] = '?';
            i++;
        } else {
            memcpy(t + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
        }
    }
    json_t *v = json_stringn(t, j);
    free(t);
    return v;
}

/* ---- query strings ----------------------------------------------------- */

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' and %XX) into a new string; *len gets its length. */
static char *url_decode(const char *s, size_t n, size_t *len) {
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '+') o[j++] = ' ';
        else if (s[i] == '%' && i + 2 < n &&
                 (h = hexval((unsigned char)s[i + 1])) >= 0 &&
                 (l = hexval((unsigned char)s[i + 2])) >= 0) {
            o[j++] = (char)(h * 16 + l);
            i += 2;
        } else
            o[j++] = s[i];
    }
    o[j] = '\0';
    *len = j;
    return o;
}

void ws_srv_query_free(ws_srv_query *q) {
    for (unsigned i = 0; i < q->n; i++) {
        free(q->keys[i]);
        free(q->vals[i]);
    }
    q->n = 0;
}

/* Decodes one "key=value" piece and checks it; adds it to q. */
static ws_status add_param(ws_srv_query *q, const char *p, size_t n,
                           const char **why) {
    const char *eq = memchr(p, '=', n);
    size_t kn = eq ? (size_t)(eq - p) : n;
    size_t klen, vlen;
    char *k = url_decode(p, kn, &klen);
    char *v = eq ? url_decode(eq + 1, n - kn - 1, &vlen) : (vlen = 0, calloc(1, 1));
    if (!k || !v) {
        free(k);
        free(v);
        return WS_ERR_NOMEM;
    }
    const char *bad = NULL;
    if (strlen(k) != klen || strlen(v) != vlen) bad = "a NUL byte in the query";
    else if (!ws_srv_utf8_ok(k, klen) || !ws_srv_utf8_ok(v, vlen))
        bad = "invalid UTF-8 in the query";
    else if (q->n == WS_SRV_MAX_PARAMS) bad = "too many query parameters";
    else
        for (unsigned i = 0; i < q->n && !bad; i++)
            if (!strcmp(q->keys[i], k)) bad = "a repeated query parameter";
    if (bad) {
        free(k);
        free(v);
        *why = bad;
        return WS_ERR_FORMAT;
    }
    q->keys[q->n] = k;
    q->vals[q->n++] = v;
    return WS_OK;
}

ws_status ws_srv_query_parse(const char *s, ws_srv_query *q, const char **why) {
    q->n = 0;
    *why = NULL;
    if (!s) return WS_OK;
    size_t n = strlen(s);
    if (n > WS_SRV_MAX_QUERY) {
        *why = "the query string is too long";
        return WS_ERR_FORMAT;
    }
    for (size_t i = 0; i < n;) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - s) : n;
        if (end > i) {
            ws_status st = add_param(q, s + i, end - i, why);
            if (st != WS_OK) {
                ws_srv_query_free(q);
                return st;
            }
        }
        i = end + 1;
    }
    return WS_OK;
}

const char *ws_srv_query_get(const ws_srv_query *q, const char *key) {
    for (unsigned i = 0; i < q->n; i++)
        if (!strcmp(q->keys[i], key)) return q->vals[i][0] ? q->vals[i] : NULL;
    return NULL;
}

/* ---- parameters -------------------------------------------------------- */

int ws_srv_parse_long(const char *s, long lo, long hi, long *out) {
    if (!s || !*s || strlen(s) > 18) return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    if (v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int digits(const char *s, int n) {
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int ws_srv_date_ok(const char *s) {
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) return 0;
    if (!digits(s, 4)) return 0;
    if (n >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2)) return 0;
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12) return 0;
    }
    if (n == 10) {
        if (s[7] != '-' || !digits(s + 8, 2)) return 0;
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > 31) return 0;
    }
    return 1;
}

/* ---- responses --------------------------------------------------------- */

const char *ws_srv_status_text(int status) {
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

ws_status ws_srv_reply_jsontext(ws_http_response *r, int status, const char *json,
                                size_t n) {
    size_t extra = 0;
    for (size_t i = 0; i < n; i++)
        if (json[i] == '<' || json[i] == '>' || json[i] == '&') extra += 5;
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    r->len = 0;
    r->body = malloc(n + extra + 1);
    if (!r->body) return WS_ERR_NOMEM;
    char *o = r->body;
    for (size_t i = 0; i < n; i++) {
        const char *rep = json[i] == '<' ? "\\u003c" : json[i] == '>' ? "\\u003e"
                          : json[i] == '&' ? "\\u0026" : NULL;
        if (rep) {
            memcpy(o, rep, 6);
            o += 6;
        } else
            *o++ = json[i];
    }
    *o = '\0';
    r->len = (size_t)(o - r->body);
    return WS_OK;
}

ws_status ws_srv_reply_raw(ws_http_response *r, int status, const char *type,
                           const char *body, size_t len) {
    r->status = status;
    r->content_type = type;
    r->body = malloc(len + 1);
    r->len = 0;
    if (!r->body) return WS_ERR_NOMEM;
    memcpy(r->body, body, len);
    r->body[len] = '\0';
    r->len = len;
    return WS_OK;
}

ws_status ws_srv_reply_json(ws_http_response *r, int status, json_t *v) {
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    r->body = NULL;
    r->len = 0;
    if (!v) return WS_ERR_NOMEM;
    char *s = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    if (!s) return WS_ERR_NOMEM;
    ws_status st = ws_srv_reply_jsontext(r, status, s, strlen(s));
    free(s);
    return st;
}

ws_status ws_srv_reply_error(ws_http_response *r, int status, const char *msg) {
    json_t *o = json_object();
    if (o && json_object_set_new(o, "error", ws_srv_jstr(msg, strlen(msg), 0))) {
        json_decref(o);
        o = NULL;
    }
    return ws_srv_reply_json(r, status, o);
}

void ws_http_response_free(ws_http_response *r) {
    if (!r) return;
    free(r->body);
    r->body = NULL;
    r->len = 0;
}
