/*
 * jparse.c - a small JSON reader for ingest: one whole object per call into
 * an arena that is reused from object to object. It accepts RFC 8259 JSON
 * only (strings must be valid UTF-8, depth at most 64) and keeps what
 * ingest needs: objects, arrays, strings (unescaped, NUL-terminated),
 * numbers, true, false, null. jansson builds hash tables and a heap
 * allocation per value; ingest spent a fifth of its time there.
 */
#include "jparse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define CHUNK (1u << 16)

struct ws_jarena {
    char *chunk;            /* the current chunk */
    size_t used, cap;
    char **old;             /* earlier chunks of this parse */
    size_t n_old, cap_old;
    ws_jv *scratch;         /* children being collected */
    size_t n_scratch, cap_scratch;
};

ws_jarena *ws_jarena_new(void) { return calloc(1, sizeof(ws_jarena)); }

static void drop_old(ws_jarena *a) {
    for (size_t i = 0; i < a->n_old; i++) free(a->old[i]);
    a->n_old = 0;
}

void ws_jarena_free(ws_jarena *a) {
    if (!a) return;
    drop_old(a);
    free(a->old);
    free(a->chunk);
    free(a->scratch);
    free(a);
}

static void *jalloc(ws_jarena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (a->used + n > a->cap) {
        size_t cap = n > CHUNK ? n : CHUNK;
        char *c = malloc(cap);
        if (!c) return NULL;
        if (a->chunk) {
            if (a->n_old == a->cap_old) {
                size_t nc = a->cap_old ? a->cap_old * 2 : 8;
                char **o = realloc(a->old, nc * sizeof *o);
                if (!o) {
                    free(c);
                    return NULL;
                }
                a->old = o;
                a->cap_old = nc;
            }
            a->old[a->n_old++] = a->chunk;
        }
        a->chunk = c;
        a->cap = cap;
        a->used = 0;
    }
    void *p = a->chunk + a->used;
    a->used += n;
    return p;
}

typedef struct parser {
    const unsigned char *p, *end;
    ws_jarena *a;
    int depth;
    const char *err;
} parser;

static void ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

static int fail(parser *ps, const char *msg) {
    if (!ps->err) ps->err = msg;
    return -1;
}

static int hex4(const unsigned char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of a valid UTF-8 sequence at p, 0 if invalid. */
static size_t utf8_ok(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0];
    size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (!n || (size_t)(end - p) < n) return 0;
    for (size_t k = 1; k < n; k++)
        if ((p[k] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
    if (c == 0xF0 && p[1] < 0x90) return 0; /* overlong */
    if (c == 0xF4 && p[1] >= 0x90) return 0; /* > U+10FFFF */
    return n;
}

/* Eight bytes at a time: a word of the input (any alignment). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static uint64_t word_at(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}
/* Nonzero when a byte of w is zero (exact as a whole: it may flag bytes
 * after a zero byte, never a word without one). */
static uint64_t zero_byte(uint64_t w) { return (w - ONES) & ~w & HIGHS; }
/* Nonzero when a byte of w is '"' or '\\'. */
static uint64_t quote_or_bs(uint64_t w) {
    return zero_byte(w ^ (ONES * '"')) | zero_byte(w ^ (ONES * '\\'));
}
/* Nonzero when a byte of w needs more than a copy: '"', '\\', a control
 * character (< 0x20) or a byte of a multibyte UTF-8 sequence (>= 0x80). */
static uint64_t special(uint64_t w) {
    return quote_or_bs(w) | ((w - ONES * 0x20) & ~w & HIGHS) | (w & HIGHS);
}

/* Parses a string at ps->p (after the quote) into s/n. Plain runs of
 * printable ASCII are found and copied a word at a time (this was the
 * reader thread's largest cost). */
static int pstring(parser *ps, const char **s, size_t *n) {
    const unsigned char *q = ps->p, *end = ps->end;
    for (;;) { /* the closing quote; escapes never grow */
        while (end - q >= 8 && !quote_or_bs(word_at(q))) q += 8;
        while (q < end && *q != '"' && *q != '\\') q++;
        if (q >= end) return fail(ps, "unterminated string");
        if (*q == '"') break;
        q += 2; /* a backslash and the byte it escapes */
    }
    char *o = jalloc(ps->a, (size_t)(q - ps->p) + 1);
    if (!o) return fail(ps, "out of memory");
    size_t k = 0;
    const unsigned char *p = ps->p;
    while (p < q) {
        while (q - p >= 8) {
            uint64_t w = word_at(p);
            if (special(w)) break;
            memcpy(o + k, &w, 8);
            k += 8;
            p += 8;
        }
        if (p >= q) break;
        unsigned c = *p;
        if (c < 0x20) return fail(ps, "control character in a string");
        if (c == '\\') {
            p++;
            switch (*p) {
            case '"': o[k++] = '"'; break;
            case '\\': o[k++] = '\\'; break;
            case '/': o[k++] = '/'; break;
            case 'b': o[k++] = '\b'; break;
            case 'f': o[k++] = '\f'; break;
            case 'n': o[k++] = '\n'; break;
            case 'r': o[k++] = '\r'; break;
            case 't': o[k++] = '\t'; break;
            case 'u': {
                unsigned cp, lo;
                if (ps->end - p < 5 || hex4(p + 1, &cp)) return fail(ps, "bad \\u escape");
                p += 4;
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (ps->end - p < 7 || p[1] != '\\' || p[2] != 'u' || hex4(p + 3, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF)
                        return fail(ps, "lone surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else if (cp >= 0xDC00 && cp < 0xE000)
                    return fail(ps, "lone surrogate");
                k += put_utf8(o + k, cp); /* at most 6 input bytes -> 4 */
                break;
            }
            default: return fail(ps, "bad escape");
            }
            p++;
        } else if (c < 0x80) {
            o[k++] = (char)c;
            p++;
        } else {
            size_t m = utf8_ok(p, ps->end);
            if (!m) return fail(ps, "invalid UTF-8 in a string");
            memcpy(o + k, p, m);
            k += m;
            p += m;
        }
    }
    o[k] = 0;
    *s = o;
    *n = k;
    ps->p = p + 1;
    return 0;
}

static int push(parser *ps, const ws_jv *v) {
    ws_jarena *a = ps->a;
    if (a->n_scratch == a->cap_scratch) {
        size_t nc = a->cap_scratch ? a->cap_scratch * 2 : 256;
        ws_jv *s = realloc(a->scratch, nc * sizeof *s);
        if (!s) return fail(ps, "out of memory");
        a->scratch = s;
        a->cap_scratch = nc;
    }
    a->scratch[a->n_scratch++] = *v;
    return 0;
}

static int pvalue(parser *ps, ws_jv *v);

/* Collects children from scratch[top..] into v's kids. */
static int close_kids(parser *ps, ws_jv *v, size_t top) {
    size_t n = ps->a->n_scratch - top;
    v->n = n;
    v->kids = NULL;
    if (n) {
        v->kids = jalloc(ps->a, n * sizeof(ws_jv));
        if (!v->kids) return fail(ps, "out of memory");
        memcpy(v->kids, ps->a->scratch + top, n * sizeof(ws_jv));
    }
    ps->a->n_scratch = top;
    return 0;
}

static int pcontainer(parser *ps, ws_jv *v, int obj) {
    if (++ps->depth > MAX_DEPTH) return fail(ps, "nested too deep");
    ps->p++;
    size_t top = ps->a->n_scratch;
    v->type = obj ? WS_JV_OBJECT : WS_JV_ARRAY;
    ws(ps);
    if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
        ps->p++;
        ps->depth--;
        return close_kids(ps, v, top);
    }
    for (;;) {
        ws_jv kid;
        memset(&kid, 0, sizeof kid);
        ws(ps);
        if (obj) {
            if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a key");
            ps->p++;
            if (pstring(ps, &kid.key, &kid.klen)) return -1;
            ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') return fail(ps, "expected ':'");
            ps->p++;
        }
        const char *key = kid.key;
        size_t klen = kid.klen;
        if (pvalue(ps, &kid)) return -1;
        kid.key = key;
        kid.klen = klen;
        if (push(ps, &kid)) return -1;
        ws(ps);
        if (ps->p >= ps->end) return fail(ps, "unexpected end");
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == (obj ? '}' : ']')) {
            ps->p++;
            break;
        }
        return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    ps->depth--;
    return close_kids(ps, v, top);
}

static int pnumber(parser *ps, ws_jv *v) {
    const unsigned char *s = ps->p, *q = s;
    if (q < ps->end && *q == '-') q++;
    if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad value");
    if (*q == '0') q++;
    else while (q < ps->end && *q >= '0' && *q <= '9') q++;
    int isint = 1;
    if (q < ps->end && *q == '.') {
        isint = 0;
        q++;
        if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad number");
        while (q < ps->end && *q >= '0' && *q <= '9') q++;
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        isint = 0;
        q++;
        if (q < ps->end && (*q == '+' || *q == '-')) q++;
        if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad number");
        while (q < ps->end && *q >= '0' && *q <= '9') q++;
    }
    /* Fast path, exact: at most 15 digits (so the digits are an integer
     * below 2^53) and no exponent. An integer is its value; a decimal
     * m / 10^k with k <= 22 is one correctly rounded division of two exact
     * doubles, the value strtod gives. The rest goes to strtod. */
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const unsigned char *d = s + (*s == '-');
    int64_t m = 0;
    int digits = 0, frac = -1, simple = 1;
    for (; d < q && simple; d++) {
        if (*d == '.') frac = 0;
        else if (*d < '0' || *d > '9' || ++digits > 15) simple = 0;
        else {
            m = m * 10 + (*d - '0');
            if (frac >= 0) frac++;
        }
    }
    if (simple) {
        double x = (double)m;
        if (frac > 0) x /= pow10[frac];
        v->type = isint ? WS_JV_INT : WS_JV_REAL;
        v->num = *s == '-' ? -x : x;
        v->inum = isint ? (*s == '-' ? -m : m) : (int64_t)v->num;
        ps->p = q;
        return 0;
    }
    char buf[64];
    size_t n = (size_t)(q - s);
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
    v->type = isint ? WS_JV_INT : WS_JV_REAL;
    v->num = strtod(buf, NULL);
    /* strtoll saturates; a real outside the int64 range (or 1e999 = inf)
     * has no integer value */
    v->inum = isint ? strtoll(buf, NULL, 10)
                    : (isfinite(v->num) && fabs(v->num) < 9.2e18 ? (int64_t)v->num : 0);
    ps->p = q;
    return 0;
}

static int lit(parser *ps, const char *w, int type, ws_jv *v) {
    size_t n = strlen(w);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n)) return fail(ps, "bad value");
    ps->p += n;
    v->type = type;
    return 0;
}

static int pvalue(parser *ps, ws_jv *v) {
    ws(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end");
    switch (*ps->p) {
    case '{': return pcontainer(ps, v, 1);
    case '[': return pcontainer(ps, v, 0);
    case '"':
        ps->p++;
        v->type = WS_JV_STRING;
        return pstring(ps, &v->s, &v->n);
    case 't': return lit(ps, "true", WS_JV_TRUE, v);
    case 'f': return lit(ps, "false", WS_JV_FALSE, v);
    case 'n': return lit(ps, "null", WS_JV_NULL, v);
    default: return pnumber(ps, v);
    }
}

const ws_jv *ws_jparse(ws_jarena *a, const char *text, size_t len, const char **err,
                       size_t *err_off) {
    drop_old(a);
    a->used = 0;
    a->n_scratch = 0;
    parser ps = {(const unsigned char *)text, (const unsigned char *)text + len, a, 0, NULL};
    ws_jv *root = jalloc(a, sizeof *root);
    if (!root) {
        *err = "out of memory";
        *err_off = 0;
        return NULL;
    }
    memset(root, 0, sizeof *root);
    if (pvalue(&ps, root) == 0) {
        ws(&ps);
        if (ps.p == ps.end) return root;
        ps.err = "text after the value";
    }
    *err = ps.err ? ps.err : "bad JSON";
    *err_off = (size_t)(ps.p - (const unsigned char *)text);
    return NULL;
}

const ws_jv *ws_jget(const ws_jv *o, const char *key) {
    if (!o || o->type != WS_JV_OBJECT) return NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i < o->n; i++)
        if (o->kids[i].klen == kl && !memcmp(o->kids[i].key, key, kl)) return &o->kids[i];
    return NULL;
}

const char *ws_jstr(const ws_jv *v) { return v && v->type == WS_JV_STRING ? v->s : NULL; }

const char *ws_jgets(const ws_jv *o, const char *key) { return ws_jstr(ws_jget(o, key)); }

size_t ws_jcount(const ws_jv *v) {
    return v && (v->type == WS_JV_ARRAY || v->type == WS_JV_OBJECT) ? v->n : 0;
}

const ws_jv *ws_jat(const ws_jv *v, size_t i) {
    return v && v->type == WS_JV_ARRAY && i < v->n ? &v->kids[i] : NULL;
}

int64_t ws_jint(const ws_jv *v) {
    return v && (v->type == WS_JV_INT || v->type == WS_JV_REAL) ? v->inum : 0;
}
