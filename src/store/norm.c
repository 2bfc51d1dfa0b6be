/*
 * norm.c - normalised keys for speaker names and titles, content hashes and
 * minhash signatures of quotes (docs/store.md, "Keys" and "Quote clusters").
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t ws_store_hash(const void *data, size_t len, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = mix64(seed ^ (0x9e3779b97f4a7c15ULL * (len + 1)));
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i + k < len; k++) tail |= (uint64_t)p[i + k] << (8 * k);
    return mix64(h ^ tail ^ (uint64_t)len);
}

/* Casefolds, strips accents and maps every code point that is not a letter
 * or digit to a space; collapses spaces. Apostrophes are dropped (O'Brien ->
 * obrien). Returns malloc'd UTF-8 or NULL. */
/* The same for ASCII text, without utf8proc (most names and quotes). */
static char *fold_ascii(const char *s, size_t len) {
    char *out = malloc(len + 1);
    if (!out) return NULL;
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[o++] = c;
            space = 0;
        } else if (c != '\'' && !space) {
            out[o++] = ' ';
            space = 1;
        }
    }
    if (o && out[o - 1] == ' ') o--;
    out[o] = 0;
    return out;
}

static char *fold_words(const char *s, size_t len) {
    size_t a = 0;
    while (a < len && (unsigned char)s[a] < 0x80) a++;
    if (a == len) return fold_ascii(s, len);
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0) { /* invalid UTF-8: keep ASCII letters and digits only */
        m = malloc(len + 1);
        if (!m) return NULL;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            m[i] = c < 0x80 ? (utf8proc_uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c) : ' ';
        }
        m[len] = 0;
        n = (utf8proc_ssize_t)len;
    }
    char *out = malloc((size_t)n + 1);
    if (!out) {
        free(m);
        return NULL;
    }
    size_t o = 0;
    int space = 1;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(m + i, n - i, &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        int word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                   (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        int apos = cp == '\'' || cp == 0x2019;
        if (word) {
            memcpy(out + o, m + i, (size_t)k);
            o += (size_t)k;
            space = 0;
        } else if (!apos && !space) {
            out[o++] = ' ';
            space = 1;
        }
        i += k;
    }
    if (o && out[o - 1] == ' ') o--;
    out[o] = 0;
    free(m);
    return out;
}

static int is_vowel(char c) { return c && strchr("aeiouy", c) != NULL; }

/* Folds common romanisations of one lower-case ASCII word in place (the
 * word may shrink). Sergei/Sergey, Dmitri/Dmitriy/Dmitry, Yuri/Yury,
 * Iulia/Yulia, Evgeny/Yevgeny, Aleksei/Alexei/Alexey. */
static size_t translit_word(char *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80) return n; /* only ASCII words */
    if (n >= 2 && w[0] == 'i' && (w[1] == 'u' || w[1] == 'a')) w[0] = 'y'; /* Iulia */
    if (n >= 3 && w[0] == 'y' && w[1] == 'e') {                             /* Yevgeny */
        memmove(w, w + 1, n - 1);
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if (w[i] == 'x' && i + 1 < n) { /* Alexei -> Aleksei (not a final x) */
            w[i] = 'k';
            memmove(w + i + 2, w + i + 1, n - i - 1);
            w[i + 1] = 's';
            n++;
            i++;
        }
    if (n >= 4) { /* final -iy, -ii, -yi, -ij -> -y */
        char a = w[n - 2], b = w[n - 1];
        if ((a == 'i' && (b == 'y' || b == 'i' || b == 'j')) || (a == 'y' && b == 'i')) {
            w[n - 2] = 'y';
            n--;
        }
    }
    if (n >= 3 && w[n - 1] == 'i' && !is_vowel(w[n - 2])) w[n - 1] = 'y'; /* Dmitri, Yuri */
    else if (n >= 3 && w[n - 1] == 'i' && w[n - 2] == 'e') w[n - 1] = 'y'; /* Sergei */
    return n;
}

char *ws_store_name_key(const char *name, int *nwords, const char **surname) {
    size_t len = name ? strlen(name) : 0;
    char *f = fold_words(name ? name : "", len);
    if (!f) return NULL;
    /* each word can grow by its x's: allocate twice the size */
    size_t fl = strlen(f);
    char *out = malloc(fl * 2 + 1);
    if (!out) {
        free(f);
        return NULL;
    }
    size_t o = 0, last = 0;
    int words = 0;
    for (size_t i = 0; i < fl;) {
        size_t j = i;
        while (j < fl && f[j] != ' ') j++;
        if (o) out[o++] = ' ';
        last = o;
        memcpy(out + o, f + i, j - i);
        o += translit_word(out + o, j - i);
        words++;
        i = j + 1;
    }
    out[o] = 0;
    free(f);
    if (nwords) *nwords = words;
    if (surname) *surname = out + last;
    return out;
}

char *ws_store_title_key(const char *title) {
    return fold_words(title ? title : "", title ? strlen(title) : 0);
}

static int ends_with_words(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (lb == 0 || lb > la) return 0;
    if (strcmp(a + la - lb, b) != 0) return 0;
    return la == lb || a[la - lb - 1] == ' ';
}

int ws_store_titles_agree(const char *a, const char *b) {
    if (!a || !b || !*a || !*b) return 0;
    return ends_with_words(a, b) || ends_with_words(b, a);
}

int ws_store_quote_sig(const char *text, size_t len, uint64_t *hash,
                       uint32_t sig[WS_MINHASH_K], int *has_sig) {
    *hash = 0;
    *has_sig = 0;
    char *f = fold_words(text, len);
    if (!f) return -1;
    size_t fl = strlen(f);
    /* word starts */
    size_t nw = 0, cap = 64, *ws = malloc(cap * sizeof *ws);
    uint64_t *wh = malloc(cap * sizeof *wh);
    if (!ws || !wh) goto oom;
    for (size_t i = 0; i < fl;) {
        size_t j = i;
        while (j < fl && f[j] != ' ') j++;
        if (nw == cap) {
            cap *= 2;
            size_t *n1 = realloc(ws, cap * sizeof *ws);
            if (n1) ws = n1;
            uint64_t *n2 = realloc(wh, cap * sizeof *wh);
            if (n2) wh = n2;
            if (!n1 || !n2) goto oom;
        }
        ws[nw] = i;
        wh[nw] = ws_store_hash(f + i, j - i, 7);
        nw++;
        i = j + 1;
    }
    if (nw >= 4) *hash = ws_store_hash(f, fl, 1) | 1; /* never 0 */
    if (nw >= 8) {
        for (int k = 0; k < WS_MINHASH_K; k++) sig[k] = UINT32_MAX;
        for (size_t i = 0; i + 2 <= nw; i++) { /* word bigrams */
            uint64_t sh = mix64(wh[i] ^ mix64(wh[i + 1] + 0x9e3779b97f4a7c15ULL));
            for (int k = 0; k < WS_MINHASH_K; k++) {
                uint32_t v = (uint32_t)(mix64(sh + 0x9e3779b97f4a7c15ULL * (uint64_t)(k + 1)) >> 32);
                if (v < sig[k]) sig[k] = v;
            }
        }
        *has_sig = 1;
    }
    free(ws);
    free(wh);
    free(f);
    return (int)nw;
oom:
    free(ws);
    free(wh);
    free(f);
    return -1;
}

void ws_store_bands(const uint32_t sig[WS_MINHASH_K], int64_t bands[WS_MINHASH_BANDS]) {
    int rows = WS_MINHASH_K / WS_MINHASH_BANDS;
    for (int b = 0; b < WS_MINHASH_BANDS; b++) {
        uint64_t h = ws_store_hash(sig + b * rows, (size_t)rows * sizeof *sig, (uint64_t)b + 101);
        bands[b] = (int64_t)(h >> 1);
    }
}
