/*
 * json_check.h - a small strict JSON validator for the fuzz targets and
 * tests (RFC 8259): one value with optional surrounding whitespace, strings
 * in valid UTF-8 without raw control characters, escapes checked (including
 * \u surrogate pairs), numbers in the JSON grammar, nesting up to
 * JC_MAX_DEPTH. Header-only; every function is static inline.
 *
 * jc_valid(buf, len) returns 1 when buf[0..len) is exactly one JSON value.
 * jc_utf8_valid(buf, len) returns 1 when buf is well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF).
 */
#ifndef WS_JSON_CHECK_H
#define WS_JSON_CHECK_H

#include <stddef.h>

#define JC_MAX_DEPTH 256

typedef struct jc_parser {
    const unsigned char *s;
    size_t n, i;
    int depth;
} jc_parser;

/* Length of the UTF-8 sequence at s[0..n), or 0 when it is malformed. */
static inline size_t jc_utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;      /* no overlong */
        else if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;      /* no overlong */
        else if (c == 0xF4) hi = 0x8F; /* <= U+10FFFF */
    } else {
        return 0;
    }
    if (n < len) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF) return 0;
    return len;
}

static inline int jc_utf8_valid(const char *buf, size_t len) {
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        size_t k = jc_utf8_seq(s + i, len - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

static inline void jc_ws(jc_parser *p) {
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->i++;
    }
}

static inline int jc_lit(jc_parser *p, const char *w) {
    size_t k = 0;
    for (; w[k]; k++)
        if (p->i + k >= p->n || p->s[p->i + k] != (unsigned char)w[k]) return 0;
    p->i += k;
    return 1;
}

static inline int jc_hex4(jc_parser *p, unsigned *out) {
    if (p->n - p->i < 4) return 0;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = p->s[p->i + (size_t)k];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
        else return 0;
        v = v * 16 + d;
    }
    p->i += 4;
    *out = v;
    return 1;
}

static inline int jc_string(jc_parser *p) {
    if (p->i >= p->n || p->s[p->i] != '"') return 0;
    p->i++;
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c == '"') {
            p->i++;
            return 1;
        }
        if (c < 0x20) return 0;
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n) return 0;
            c = p->s[p->i++];
            if (c == 'u') {
                unsigned u;
                if (!jc_hex4(p, &u)) return 0;
                if (u >= 0xDC00 && u <= 0xDFFF) return 0; /* lone low */
                if (u >= 0xD800 && u <= 0xDBFF) {         /* needs a low */
                    unsigned lo;
                    if (!jc_lit(p, "\\u") || !jc_hex4(p, &lo)) return 0;
                    if (lo < 0xDC00 || lo > 0xDFFF) return 0;
                }
            } else if (!(c == '"' || c == '\\' || c == '/' || c == 'b' ||
                         c == 'f' || c == 'n' || c == 'r' || c == 't')) {
                return 0;
            }
            continue;
        }
        size_t k = jc_utf8_seq(p->s + p->i, p->n - p->i);
        if (!k) return 0;
        p->i += k;
    }
    return 0; /* unterminated */
}

static inline int jc_digit(jc_parser *p) {
    return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static inline int jc_number(jc_parser *p) {
    if (p->i < p->n && p->s[p->i] == '-') p->i++;
    if (!jc_digit(p)) return 0;
    if (p->s[p->i] == '0') {
        p->i++;
    } else {
        while (jc_digit(p)) p->i++;
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!jc_digit(p)) return 0;
        while (jc_digit(p)) p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
        if (!jc_digit(p)) return 0;
        while (jc_digit(p)) p->i++;
    }
    return 1;
}

static inline int jc_value(jc_parser *p);

static inline int jc_container(jc_parser *p, int object) {
    unsigned char close = object ? '}' : ']';
    if (++p->depth > JC_MAX_DEPTH) return 0;
    p->i++; /* the opening bracket */
    jc_ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        p->depth--;
        return 1;
    }
    for (;;) {
        if (object) {
            if (!jc_string(p)) return 0;
            jc_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') return 0;
            p->i++;
        }
        if (!jc_value(p)) return 0;
        jc_ws(p);
        if (p->i >= p->n) return 0;
        if (p->s[p->i] == ',') {
            p->i++;
            jc_ws(p);
            continue;
        }
        if (p->s[p->i] != close) return 0;
        p->i++;
        p->depth--;
        return 1;
    }
}

static inline int jc_value(jc_parser *p) {
    jc_ws(p);
    if (p->i >= p->n) return 0;
    switch (p->s[p->i]) {
    case '{': return jc_container(p, 1);
    case '[': return jc_container(p, 0);
    case '"': return jc_string(p);
    case 't': return jc_lit(p, "true");
    case 'f': return jc_lit(p, "false");
    case 'n': return jc_lit(p, "null");
    default: return jc_number(p);
    }
}

static inline int jc_valid(const char *buf, size_t len) {
    jc_parser p;
    p.s = (const unsigned char *)buf;
    p.n = len;
    p.i = 0;
    p.depth = 0;
    if (!jc_value(&p)) return 0;
    jc_ws(&p);
    return p.i == p.n;
}

#endif /* WS_JSON_CHECK_H */
