/*
 * jparse.c - a small JSON reader for ingest: one whole object per call into
 * an arena that is reused from object to object. It accepts RFC 8259 JSON
 * only (strings must be valid UTF-8, depth at most 64) and keeps what
 * ingest needs: objects, arrays, strings (unescaped, NUL-terminated),
 * numbers, true, false, null. jansson builds hash tables and a heap
 * allocation per value; ingest spent a fifth of its time there.
 *
 * The text is first copied into the arena with NUL bytes after it, then
 * parsed in place: a string's bytes stay where they are (unescaped in place
 * when it has escapes, which never grow) and its closing quote becomes its
 * NUL, so a string costs no allocation and, without escapes, no copy. The
 * NUL padding also lets the scanners read 16 bytes at a time up to the end
 * of the text without a bounds check: a zero byte stops every scanner, and
 * only then is the end tested.
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
    char *in;               /* the copy of the text being parsed, padded */
    size_t cap_in;
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
    free(a->in);
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

/* NUL bytes after the copy of the text: 16 bytes read at any position up
 * to the end stay inside the buffer. */
#define PAD 16

typedef struct parser {
    unsigned char *p, *end; /* in the arena's padded copy of the text */
    ws_jarena *a;
    int depth;
    const char *err;
} parser;

static int is_ws(unsigned c) {
    return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}

/* The padding's NUL is not white space: no bounds check needed. */
static void ws(parser *ps) {
    while (is_ws(*ps->p)) ps->p++;
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

static size_t put_utf8(unsigned char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
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

#if defined(__SSE2__)
#include <emmintrin.h>
/* The first byte at or after p that needs more than a copy: '"', '\\', a
 * control character (< 0x20, the padding's NUL among them) or a byte of a
 * multibyte UTF-8 sequence (>= 0x80). Sixteen bytes at a time (SSE2 is part
 * of every x86-64): a signed compare with 0x20 flags both the control
 * characters and the bytes >= 0x80. Reads up to 15 bytes past the byte it
 * returns: the padding covers that. */
static inline unsigned char *skip_plain(unsigned char *p) {
    const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(0x20);
    for (;;) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bs)),
                                   _mm_cmplt_epi8(x, space));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m) return p + __builtin_ctz(m);
        p += 16;
    }
}
#else
/* The same eight bytes at a time in a 64-bit word. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* The high bit of each byte of w that is zero. A borrow can also flag a
 * byte after a zero byte, never one before the first: the lowest flag is
 * exact. */
static uint64_t zero_byte(uint64_t w) { return (w - ONES) & ~w & HIGHS; }
static inline unsigned char *skip_plain(unsigned char *p) {
    for (;;) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t m = zero_byte(w ^ (ONES * '"')) | zero_byte(w ^ (ONES * '\\')) |
                     ((w - ONES * 0x20) & ~w & HIGHS) | (w & HIGHS);
        if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return p + ((unsigned)__builtin_clzll(m) >> 3);
#else
            return p + ((unsigned)__builtin_ctzll(m) >> 3);
#endif
        }
        p += 8;
    }
}
#endif

/* A string's error at p: "unterminated string" when no closing quote
 * follows (whatever else is wrong inside it, as before the in-place
 * parse), else msg. The bytes from p on are still the text's. */
static int str_fail(parser *ps, const unsigned char *p, const char *msg) {
    for (const unsigned char *q = p; q < ps->end;) {
        if (*q == '"') return fail(ps, msg);
        q += *q == '\\' ? 2 : 1;
    }
    return fail(ps, "unterminated string");
}

/* Decodes the escape at p (a backslash) to o (o <= p: escapes never
 * grow); returns the input bytes used and sets *out to the bytes written,
 * or returns 0 and sets *msg. */
static size_t unescape(const parser *ps, const unsigned char *p, unsigned char *o, size_t *out,
                       const char **msg) {
    *out = 1;
    switch (p[1]) {
    case '"': *o = '"'; return 2;
    case '\\': *o = '\\'; return 2;
    case '/': *o = '/'; return 2;
    case 'b': *o = '\b'; return 2;
    case 'f': *o = '\f'; return 2;
    case 'n': *o = '\n'; return 2;
    case 'r': *o = '\r'; return 2;
    case 't': *o = '\t'; return 2;
    case 'u': {
        unsigned cp, lo;
        if (ps->end - p < 6 || hex4(p + 2, &cp)) return *msg = "bad \\u escape", 0;
        if (cp >= 0xD800 && cp < 0xDC00) {
            if (ps->end - p < 12 || p[6] != '\\' || p[7] != 'u' || hex4(p + 8, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return *msg = "lone surrogate", 0;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            *out = put_utf8(o, cp); /* 12 input bytes -> 4 */
            return 12;
        }
        if (cp >= 0xDC00 && cp < 0xE000) return *msg = "lone surrogate", 0;
        *out = put_utf8(o, cp); /* 6 input bytes -> at most 3 */
        return 6;
    }
    default: return *msg = "bad escape", 0;
    }
}

/* pstring from p, the string's first byte that needs more than a copy. */
static int pstring_rest(parser *ps, unsigned char *p, const char **s, size_t *n) {
    unsigned char *const end = ps->end, *o = NULL;
    for (;;) {
        unsigned c = *p;
        if (c == '"') {
            unsigned char *e = o ? o : p;
            *e = 0;
            *s = (const char *)ps->p;
            *n = (size_t)(e - ps->p);
            ps->p = p + 1;
            return 0;
        }
        if (c == '\\') {
            if (!o) o = p;
            size_t out;
            const char *msg;
            size_t used = unescape(ps, p, o, &out, &msg);
            if (!used) return str_fail(ps, p, msg);
            p += used;
            o += out;
        } else {
            if (c < 0x20) return str_fail(ps, p, "control character in a string");
            size_t k = utf8_ok(p, end);
            if (!k) return str_fail(ps, p, "invalid UTF-8 in a string");
            if (o) {
                memmove(o, p, k);
                o += k;
            }
            p += k;
        }
        unsigned char *q = skip_plain(p);
        if (o) {
            memmove(o, p, (size_t)(q - p));
            o += q - p;
        }
        p = q;
    }
}

/* Parses a string at ps->p (after the quote) in place: *s points at its
 * first byte, its closing quote becomes its NUL. Plain runs are skipped
 * (strings were the reader thread's largest cost); after an escape they
 * move down to the end of the unescaped bytes. The usual string, plain up
 * to its quote, is done here (inlined); the rest in pstring_rest. On error
 * ps->p stays at the string's start. */
static inline int pstring(parser *ps, const char **s, size_t *n) {
    unsigned char *p = skip_plain(ps->p);
    if (*p != '"') return pstring_rest(ps, p, s, n);
    *p = 0;
    *s = (const char *)ps->p;
    *n = (size_t)(p - ps->p);
    ps->p = p + 1;
    return 0;
}

static int pvalue(parser *ps, ws_jv *v);

/* A free slot on top of the scratch stack (it may move the stack). */
static ws_jv *push(parser *ps) {
    ws_jarena *a = ps->a;
    if (a->n_scratch == a->cap_scratch) {
        size_t nc = a->cap_scratch ? a->cap_scratch * 2 : 256;
        ws_jv *s = realloc(a->scratch, nc * sizeof *s);
        if (!s) return fail(ps, "out of memory"), NULL;
        a->scratch = s;
        a->cap_scratch = nc;
    }
    return &a->scratch[a->n_scratch++];
}

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
    const unsigned char close = obj ? '}' : ']';
    ws(ps);
    if (*ps->p == close) {
        ps->p++;
        ps->depth--;
        return close_kids(ps, v, top);
    }
    for (;;) {
        ws_jv kid;
        memset(&kid, 0, sizeof kid);
        ws(ps);
        if (obj) {
            if (*ps->p != '"') return fail(ps, "expected a key");
            ps->p++;
            if (pstring(ps, &kid.key, &kid.klen)) return -1;
            ws(ps);
            if (*ps->p != ':') return fail(ps, "expected ':'");
            ps->p++;
        }
        if (pvalue(ps, &kid)) return -1;
        ws_jv *slot = push(ps);
        if (!slot) return -1;
        *slot = kid;
        ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            break;
        }
        if (ps->p >= ps->end) return fail(ps, "unexpected end");
        return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    ps->depth--;
    return close_kids(ps, v, top);
}

static int digit(unsigned c) { return c - '0' < 10; }

/* A number, in one pass. Fast path, exact: at most 15 digits (so the
 * digits are an integer below 2^53) and no exponent. An integer is its
 * value; a decimal m / 10^k with k <= 22 is one correctly rounded division
 * of two exact doubles, the value strtod gives. The rest goes to strtod.
 * The padding's NUL is no digit: no bounds checks. */
static int pnumber(parser *ps, ws_jv *v) {
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    unsigned char *s = ps->p, *q = s;
    int neg = *q == '-';
    q += neg;
    if (!digit(*q)) return fail(ps, "bad value");
    int64_t m = 0;
    int digits = 0, frac = -1;
    if (*q == '0') {
        q++;
        digits = 1;
    } else
        for (; digit(*q); q++)
            if (++digits <= 15) m = m * 10 + (*q - '0');
    if (*q == '.') {
        q++;
        if (!digit(*q)) return fail(ps, "bad number");
        for (frac = 0; digit(*q); q++, frac++)
            if (++digits <= 15) m = m * 10 + (*q - '0');
    }
    int isint = frac < 0, simple = digits <= 15;
    if (*q == 'e' || *q == 'E') {
        isint = simple = 0;
        q++;
        if (*q == '+' || *q == '-') q++;
        if (!digit(*q)) return fail(ps, "bad number");
        while (digit(*q)) q++;
    }
    v->type = isint ? WS_JV_INT : WS_JV_REAL;
    ps->p = q;
    if (simple) {
        double x = (double)m;
        if (frac > 0) x /= pow10[frac];
        v->num = neg ? -x : x;
        v->inum = isint ? (neg ? -m : m) : (int64_t)v->num;
        return 0;
    }
    char buf[64];
    size_t n = (size_t)(q - s);
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
    v->num = strtod(buf, NULL);
    /* strtoll saturates; a real outside the int64 range (or 1e999 = inf)
     * has no integer value */
    v->inum = isint ? strtoll(buf, NULL, 10)
                    : (isfinite(v->num) && fabs(v->num) < 9.2e18 ? (int64_t)v->num : 0);
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
    default:
        if (ps->p >= ps->end) return fail(ps, "unexpected end");
        return pnumber(ps, v);
    }
}

const ws_jv *ws_jparse(ws_jarena *a, const char *text, size_t len, const char **err,
                       size_t *err_off) {
    drop_old(a);
    a->used = 0;
    a->n_scratch = 0;
    *err_off = 0;
    /* the copy parsed in place, kept for the next text (given back when
     * a long text is followed by short ones) */
    if (len + PAD > a->cap_in || (a->cap_in > 16 * CHUNK && len + PAD <= CHUNK)) {
        size_t cap = CHUNK;
        while (cap < len + PAD) cap *= 2;
        char *in = malloc(cap);
        if (!in) {
            *err = "out of memory";
            return NULL;
        }
        free(a->in);
        a->in = in;
        a->cap_in = cap;
    }
    memcpy(a->in, text, len);
    memset(a->in + len, 0, PAD);
    unsigned char *base = (unsigned char *)a->in;
    parser ps = {base, base + len, a, 0, NULL};
    ws_jv *root = jalloc(a, sizeof *root);
    if (!root) {
        *err = "out of memory";
        return NULL;
    }
    memset(root, 0, sizeof *root);
    if (pvalue(&ps, root) == 0) {
        ws(&ps);
        if (ps.p == ps.end) return root;
        ps.err = "text after the value";
    }
    *err = ps.err ? ps.err : "bad JSON";
    *err_off = (size_t)(ps.p - base);
    return NULL;
}
