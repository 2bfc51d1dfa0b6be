/*
 * snippet.c - the excerpt of an article body shown by the article search
 * (docs/store.md, "Search"): the words of the FTS5 query are looked for in
 * the body the way the index's unicode61 tokenizer (remove_diacritics 2)
 * compares them: letters and digits make words, case folded, marks removed.
 * The body is read once, word by word; nothing is allocated but the result.
 */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_TERMS 16
#define MAX_TCP 64 /* folded code points of a query word (longer: cut, as a prefix) */

typedef struct term {
    int32_t cp[MAX_TCP];
    int n;
    int prefix;
    int phrase; /* > 0: the words of one "quoted phrase" share it (consecutive terms) */
} term;

/* The next code point of s[0..n) into *cp; its length (invalid: -1, 1). */
static size_t next_cp(const char *s, size_t n, int32_t *cp) {
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    utf8proc_int32_t v;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &v);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return (size_t)k;
}

/* A letter, digit or combining mark (part of a word for the tokenizer). */
static int is_word(int32_t c) {
    if (c < 0) return 0;
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
           cat == UTF8PROC_CATEGORY_CO;
}

/* c case folded, decomposed and without marks into out[0..4); the count
 * (0 for a mark). */
static int fold(int32_t c, int32_t *out) {
    if (c < 0x80) {
        out[0] = c >= 'A' && c <= 'Z' ? c + 32 : c;
        return 1;
    }
    utf8proc_int32_t buf[8];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        c, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
    if (k < 0) {
        out[0] = c;
        return 1;
    }
    if (k > 4) k = 4;
    for (utf8proc_ssize_t i = 0; i < k; i++) out[i] = buf[i];
    return (int)k;
}

/* The words of an FTS5 query, folded. Returns their number. */
static int query_terms(const char *q, term *t) {
    size_t n = strlen(q), i = 0;
    int nt = 0, in_quote = 0, skip_next = 0, skip_quote = 0, after_comma = 0, phrases = 0;
    while (i < n && nt < MAX_TERMS) {
        int32_t cp;
        size_t k = next_cp(q + i, n - i, &cp);
        if (!is_word(cp)) {
            if (cp == '"') {
                in_quote = !in_quote;
                if (in_quote) {
                    phrases++;
                    skip_quote = skip_next; /* NOT "a phrase": all of it */
                    skip_next = 0;
                } else
                    skip_quote = 0;
            }
            if (cp == ',') after_comma = 1;
            else if (cp != ' ') after_comma = 0;
            i += k;
            continue;
        }
        size_t ws = i;
        int digits = 1;
        term *w = &t[nt];
        w->n = 0;
        while (i < n) {
            k = next_cp(q + i, n - i, &cp);
            if (!is_word(cp)) break;
            if (cp < '0' || cp > '9') digits = 0;
            int32_t f[4];
            int m = fold(cp, f);
            for (int j = 0; j < m && w->n < MAX_TCP; j++) w->cp[w->n++] = f[j];
            i += k;
        }
        size_t len = i - ws;
        char next = i < n ? q[i] : 0;
        if (!in_quote) {
            int comma = after_comma;
            after_comma = 0;
            if (next == ':') continue; /* a column name */
            if ((len == 3 && !memcmp(q + ws, "AND", 3)) || (len == 2 && !memcmp(q + ws, "OR", 2)) ||
                (len == 4 && !memcmp(q + ws, "NEAR", 4)))
                continue;
            if (len == 3 && !memcmp(q + ws, "NOT", 3)) {
                skip_next = 1;
                continue;
            }
            if (digits && comma) continue; /* NEAR(a b, 5) */
        }
        if (skip_next || skip_quote) {
            skip_next = 0;
            continue;
        }
        if (!w->n) continue;
        w->prefix = next == '*' || w->n == MAX_TCP;
        w->phrase = in_quote ? phrases : 0;
        nt++;
    }
    return nt;
}

/* The word starting at body[i], folded, with the end of the code point each
 * folded one comes from; *whole: 0 if it was longer than MAX_TCP; *wend:
 * where it ends. Returns the number of folded code points. */
static int fold_word(const char *body, size_t n, size_t i, int32_t *f, size_t *fend, int *whole,
                     size_t *wend) {
    int fn = 0;
    size_t j = i;
    *whole = 1;
    while (j < n) {
        int32_t c2;
        size_t k2 = next_cp(body + j, n - j, &c2);
        if (!is_word(c2)) break;
        if (fn > MAX_TCP) {
            *whole = 0;
            break;
        }
        int32_t tmp[4];
        int m = fold(c2, tmp);
        for (int x = 0; x < m; x++) {
            f[fn] = tmp[x];
            fend[fn++] = j + k2;
        }
        j += k2;
    }
    *wend = j;
    return fn;
}

/* 1 if term t matches the word at body[i] (a word start), with *me its end
 * (a prefix: the end of the whole word). */
static int match_at(const char *body, size_t n, size_t i, const term *t, size_t *me) {
    int32_t f[MAX_TCP + 8];
    size_t fend[MAX_TCP + 8], wend;
    int whole;
    int fn = fold_word(body, n, i, f, fend, &whole, &wend);
    int tn = t->n;
    if (tn > fn || memcmp(f, t->cp, (size_t)tn * sizeof(int32_t))) return 0;
    if (tn < fn && fend[tn - 1] == fend[tn]) return 0; /* inside a code point */
    if (!t->prefix && (tn != fn || !whole)) return 0;
    *me = t->prefix ? wend : fend[tn - 1];
    return 1;
}

/* The start of the next word at or after body[i] (n if none). */
static size_t next_word(const char *body, size_t n, size_t i) {
    while (i < n) {
        int32_t cp;
        size_t k = next_cp(body + i, n - i, &cp);
        if (is_word(cp)) break;
        i += k;
    }
    return i;
}

int ws_snippet_find(const char *query, const char *body, size_t n, size_t *ms, size_t *me) {
    *ms = WS_SNIPPET_NONE;
    *me = 0;
    if (!query || !body) return 0;
    term *t = malloc(MAX_TERMS * sizeof *t);
    if (!t) return 0;
    int nt = query_terms(query, t), found = 0, has_phrase = 0;
    for (int a = 0; a + 1 < nt; a++)
        if (t[a].phrase && t[a + 1].phrase == t[a].phrase) has_phrase = 1;
    /* pass 0: the first whole phrase of two or more words (when the query
     * has one); pass 1: the first word of any term */
    for (int pass = has_phrase ? 0 : 1; pass < 2 && !found; pass++) {
        int prev_word = 0;
        for (size_t i = 0; i < n && nt && !found;) {
            int32_t cp;
            size_t k = next_cp(body + i, n - i, &cp);
            int w = is_word(cp);
            for (int a = 0; w && !prev_word && a < nt && !found; a++) {
                size_t e;
                if (pass == 0 && (!t[a].phrase || (a > 0 && t[a - 1].phrase == t[a].phrase) ||
                                  a + 1 >= nt || t[a + 1].phrase != t[a].phrase))
                    continue; /* not the first word of a phrase of 2+ words */
                if (!match_at(body, n, i, &t[a], &e)) continue;
                int b = a + 1;
                if (pass == 0)
                    for (; b < nt && t[b].phrase == t[a].phrase; b++) {
                        size_t j = next_word(body, n, e);
                        if (j >= n || !match_at(body, n, j, &t[b], &e)) break;
                    }
                if (pass == 0 && b < nt && t[b].phrase == t[a].phrase) continue;
                *ms = i;
                *me = e;
                found = 1;
            }
            prev_word = w;
            i += k;
        }
    }
    free(t);
    return found;
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *ws_snippet_make(const char *query, const char *body, size_t n, size_t width, size_t *hs,
                      size_t *he) {
    *hs = *he = WS_SNIPPET_NONE;
    if (!body) n = 0;
    size_t ms, me;
    int found = query && *query && ws_snippet_find(query, body, n, &ms, &me);
    size_t start = 0, end;
    if (found && ms > width / 3) {
        start = ms - width / 3;
        while (start < ms && ((unsigned char)body[start] & 0xC0) == 0x80) start++;
        /* begin at a word: after the next space before the match */
        size_t t = start;
        while (t < ms && t < start + 40 && !is_space((unsigned char)body[t])) t++;
        if (t < ms && is_space((unsigned char)body[t])) start = t + 1;
    }
    end = start + width;
    if (found && end < me) end = me;
    if (end >= n) end = n;
    else {
        while (end > start && ((unsigned char)body[end] & 0xC0) == 0x80) end--;
        size_t lo = found ? me : start;
        size_t t = end;
        while (t > lo && t + 40 > end && !is_space((unsigned char)body[t])) t--;
        if (t > lo && is_space((unsigned char)body[t])) end = t;
    }
    static const char ell[] = "\xe2\x80\xa6"; /* … */
    char *out = malloc(end - start + 2 * (sizeof ell - 1) + 1);
    if (!out) return NULL;
    size_t o = 0;
    if (start > 0) {
        memcpy(out, ell, sizeof ell - 1);
        o = sizeof ell - 1;
    }
    size_t first = o;
    for (size_t i = start; i < end; i++) {
        if (found && i == ms) *hs = o;
        if (found && i == me) *he = o;
        unsigned char c = (unsigned char)body[i];
        if (is_space(c)) {
            if (o > first && out[o - 1] != ' ') out[o++] = ' ';
        } else
            out[o++] = (char)c;
    }
    if (found && me == end) *he = o;
    while (o > first && out[o - 1] == ' ') o--;
    if (found && *he > o) *he = o;
    if (end < n) {
        memcpy(out + o, ell, sizeof ell - 1);
        o += sizeof ell - 1;
    }
    out[o] = 0;
    return out;
}
