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

/* ---- quote signatures ------------------------------------------------------
 * ws_store_quote_sig runs once a quote in the reader thread of ingest; it
 * was a third of that thread's work. The values it gives are stored (the
 * clusters' hashes and signatures): whatever the path, they must stay bit
 * for bit those of the plain definition, kept below as the scalar path and
 * checked against a copy of the original code in test_store. */

#define GOLDEN 0x9e3779b97f4a7c15ULL

/* What fold_ascii does with each byte: a letter or digit gives its lower
 * case, an apostrophe (1) is dropped, the rest (0) separates words. */
#define LU(c) [c] = (c) + 32, [(c) + 32] = (c) + 32
static const unsigned char fold_byte[256] = {
    LU('A'), LU('B'), LU('C'), LU('D'), LU('E'), LU('F'), LU('G'), LU('H'), LU('I'),
    LU('J'), LU('K'), LU('L'), LU('M'), LU('N'), LU('O'), LU('P'), LU('Q'), LU('R'),
    LU('S'), LU('T'), LU('U'), LU('V'), LU('W'), LU('X'), LU('Y'), LU('Z'),
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['\''] = 1};
#undef LU

/* fold_ascii into out (len + 1 bytes at least); returns its length. The
 * words' ends go to end (at most len / 2 + 1 of them: the folded text has
 * one space between two words, so a word starts one byte after the end of
 * the one before), their number to *nw. */
static size_t fold_ascii_words(const char *s, size_t len, char *out, uint64_t *end, size_t *nw) {
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, n = 0, i = 0;
    for (;;) {
        while (i < len && fold_byte[u[i]] <= 1) i++; /* between words */
        if (i == len) break;
        if (n) out[o++] = ' ';
        for (; i < len; i++) { /* a word: apostrophes inside it dropped */
            unsigned char t = fold_byte[u[i]];
            if (t > 1) out[o++] = (char)t;
            else if (!t) break;
        }
        end[n++] = o;
    }
    *nw = n;
    return o;
}

/* The ends of the words of folded text f into end; their number. */
static size_t split_words(const char *f, size_t fl, uint64_t *end) {
    size_t n = 0;
    for (size_t i = 0; i < fl;) {
        size_t j = i;
        while (j < fl && f[j] != ' ') j++;
        end[n++] = j;
        i = j + 1;
    }
    return n;
}

/* 1 if s has no byte >= 0x80; eight at a time. */
static int all_ascii(const char *s, size_t len) {
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        any |= w;
    }
    for (; i < len; i++) any |= (unsigned char)s[i];
    return !(any & 0x8080808080808080ULL);
}

/* ws_store_hash(p, len, seed) given h0 = its first step for this seed and
 * length, for a p that can be read 8 bytes past len (the bytes past len
 * are masked out). */
static uint64_t hash_padded(const unsigned char *p, size_t len, uint64_t h) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = mix64(h ^ w) + GOLDEN;
    }
    uint64_t tail = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (len > i) { /* the word's first bytes are its low bytes, as below */
        memcpy(&tail, p + i, 8);
        tail &= ~0ULL >> (64 - 8 * (len - i));
    }
#else
    for (size_t k = 0; i + k < len; k++) tail |= (uint64_t)p[i + k] << (8 * k);
#endif
    return mix64(h ^ tail ^ (uint64_t)len);
}

/* The minhash of the word bigrams: sig[k] is the least, over the bigrams,
 * of the high half of mix64(sh + GOLDEN * (k + 1)), sh the bigram's hash. */
static void minhash_scalar(const uint64_t *wh, size_t nw, uint32_t sig[WS_MINHASH_K]) {
    for (int k = 0; k < WS_MINHASH_K; k++) sig[k] = UINT32_MAX;
    for (size_t i = 0; i + 2 <= nw; i++) {
        uint64_t sh = mix64(wh[i] ^ mix64(wh[i + 1] + GOLDEN));
        for (int k = 0; k < WS_MINHASH_K; k++) {
            uint32_t v = (uint32_t)(mix64(sh + GOLDEN * (uint64_t)(k + 1)) >> 32);
            if (v < sig[k]) sig[k] = v;
        }
    }
}

#if defined(__GNUC__) && defined(__x86_64__) && WS_MINHASH_K == 16
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* x * c mod 2^64 in each 64-bit lane: AVX2 multiplies 32 x 32 -> 64 bits
 * only, so lo*lo + ((hi*lo + lo*hi) << 32); hi*hi falls past bit 63. */
__attribute__((target("avx2"))) static inline __m256i mul64(__m256i x, uint64_t c) {
    const __m256i lo = _mm256_set1_epi64x((long long)(c & 0xffffffffu));
    const __m256i hi = _mm256_set1_epi64x((long long)(c >> 32));
    __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), lo),
                                     _mm256_mul_epu32(x, hi));
    return _mm256_add_epi64(_mm256_mul_epu32(x, lo), _mm256_slli_epi64(cross, 32));
}
__attribute__((target("avx2"))) static inline __m256i vmix64(__m256i x) {
    x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 30));
    x = mul64(x, 0xbf58476d1ce4e5b9ULL);
    x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 27));
    x = mul64(x, 0x94d049bb133111ebULL);
    return _mm256_xor_si256(x, _mm256_srli_epi64(x, 31));
}
/* minhash_scalar, four values of k per vector: the same integer steps,
 * so the same values. Each 64-bit lane holds a value in its low half (the
 * high half is 0), so a 32-bit unsigned min is the min of the values. */
__attribute__((target("avx2"))) static void minhash_avx2(const uint64_t *wh, size_t nw,
                                                         uint32_t sig[WS_MINHASH_K]) {
    __m256i add[4], m[4];
    for (int j = 0; j < 4; j++) {
        add[j] = _mm256_set_epi64x((long long)(GOLDEN * (uint64_t)(4 * j + 4)),
                                   (long long)(GOLDEN * (uint64_t)(4 * j + 3)),
                                   (long long)(GOLDEN * (uint64_t)(4 * j + 2)),
                                   (long long)(GOLDEN * (uint64_t)(4 * j + 1)));
        m[j] = _mm256_set1_epi64x(0xffffffffLL);
    }
    for (size_t i = 0; i + 2 <= nw; i++) {
        __m256i sh = _mm256_set1_epi64x((long long)mix64(wh[i] ^ mix64(wh[i + 1] + GOLDEN)));
        for (int j = 0; j < 4; j++) {
            __m256i v = vmix64(_mm256_add_epi64(sh, add[j]));
            m[j] = _mm256_min_epu32(m[j], _mm256_srli_epi64(v, 32));
        }
    }
    for (int j = 0; j < 4; j++) {
        uint64_t lanes[4];
        _mm256_storeu_si256((__m256i *)lanes, m[j]);
        for (int l = 0; l < 4; l++) sig[4 * j + l] = (uint32_t)lanes[l];
    }
}
#endif

int ws_store_minhash(const uint64_t *wh, size_t nw, uint32_t sig[WS_MINHASH_K], int how) {
#ifdef HAVE_AVX2_PATH
    if (how != 1 && __builtin_cpu_supports("avx2")) {
        minhash_avx2(wh, nw, sig);
        return 2;
    }
#endif
    (void)how;
    minhash_scalar(wh, nw, sig);
    return 1;
}

int ws_store_quote_sig(const char *text, size_t len, uint64_t *hash,
                       uint32_t sig[WS_MINHASH_K], int *has_sig) {
    *hash = 0;
    *has_sig = 0;
    /* the folded text with 8 readable bytes after it (zeros) and its words
     * (their ends, then their hashes): on the stack for the usual quote,
     * else on the heap */
    char fstack[1024], *f = fstack, *heap_f = NULL;
    uint64_t whstack[256], *wh = whstack;
    size_t fl, nw;
    if (all_ascii(text, len)) {
        if (len + 9 > sizeof fstack && !(f = heap_f = malloc(len + 9))) return -1;
        if (len / 2 + 1 > sizeof whstack / sizeof whstack[0] &&
            !(wh = malloc((len / 2 + 1) * sizeof *wh))) {
            free(heap_f);
            return -1;
        }
        fl = fold_ascii_words(text, len, f, wh, &nw);
    } else {
        if (!(heap_f = fold_words(text, len))) return -1;
        fl = strlen(heap_f);
        if (fl + 9 > sizeof fstack) {
            char *g = realloc(heap_f, fl + 9);
            if (!g) {
                free(heap_f);
                return -1;
            }
            f = heap_f = g;
        } else {
            memcpy(fstack, heap_f, fl);
            free(heap_f);
            heap_f = NULL;
        }
        if (fl / 2 + 1 > sizeof whstack / sizeof whstack[0] &&
            !(wh = malloc((fl / 2 + 1) * sizeof *wh))) {
            free(heap_f);
            return -1;
        }
        nw = split_words(f, fl, wh);
    }
    memset(f + fl, 0, 9);
    /* a word's hash starts from its length's: once per length a quote */
    uint64_t h0[32];
    uint32_t known = 0;
    for (size_t k = 0, i = 0; k < nw; k++) {
        size_t e = (size_t)wh[k], n = e - i;
        uint64_t h;
        if (n < 32) {
            if (!(known >> n & 1)) {
                h0[n] = mix64(7 ^ (GOLDEN * (n + 1)));
                known |= 1u << n;
            }
            h = h0[n];
        } else
            h = mix64(7 ^ (GOLDEN * (n + 1)));
        wh[k] = hash_padded((const unsigned char *)f + i, n, h);
        i = e + 1;
    }
    if (nw >= 4) *hash = ws_store_hash(f, fl, 1) | 1; /* never 0 */
    if (nw >= 8) {
        ws_store_minhash(wh, nw, sig, 0);
        *has_sig = 1;
    }
    if (wh != whstack) free(wh);
    free(heap_f);
    return (int)nw;
}

void ws_store_bands(const uint32_t sig[WS_MINHASH_K], int64_t bands[WS_MINHASH_BANDS]) {
    int rows = WS_MINHASH_K / WS_MINHASH_BANDS;
    for (int b = 0; b < WS_MINHASH_BANDS; b++) {
        uint64_t h = ws_store_hash(sig + b * rows, (size_t)rows * sizeof *sig, (uint64_t)b + 101);
        bands[b] = (int64_t)(h >> 1);
    }
}
