/*
 * test_quote_sig.c - the quote hashes and minhash signatures of the store
 * (src/store/norm.c, ws_store_quote_sig and ws_store_minhash) against a
 * copy of their first implementation, kept below as the reference. Stores
 * hold these values (clusters.hash, clusters.sig, cluster_keys), so a
 * faster path must give them bit for bit: the word count, the text hash,
 * whether there is a signature and all 16 values, on random ASCII and
 * non-ASCII texts (every word length 1..40, long texts past the stack
 * buffers, invalid UTF-8, NUL bytes) and on every line and many windows of
 * the PolNeAR texts when ../shared is there; the minhash's scalar and
 * vector paths against the reference loop on random word hashes.
 */
#include "harness.h"
#include "store/store.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- the reference: norm.c as it was before session 6 ------------------- */

static uint64_t ref_mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t ref_hash(const void *data, size_t len, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = ref_mix64(seed ^ (0x9e3779b97f4a7c15ULL * (len + 1)));
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = ref_mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i + k < len; k++) tail |= (uint64_t)p[i + k] << (8 * k);
    return ref_mix64(h ^ tail ^ (uint64_t)len);
}

static char *ref_fold_ascii(const char *s, size_t len) {
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

static char *ref_fold_words(const char *s, size_t len) {
    size_t a = 0;
    while (a < len && (unsigned char)s[a] < 0x80) a++;
    if (a == len) return ref_fold_ascii(s, len);
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0) {
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

/* The reference minhash of word hashes (the loop of ref_quote_sig). */
static void ref_minhash(const uint64_t *wh, size_t nw, uint32_t sig[WS_MINHASH_K]) {
    for (int k = 0; k < WS_MINHASH_K; k++) sig[k] = UINT32_MAX;
    for (size_t i = 0; i + 2 <= nw; i++) {
        uint64_t sh = ref_mix64(wh[i] ^ ref_mix64(wh[i + 1] + 0x9e3779b97f4a7c15ULL));
        for (int k = 0; k < WS_MINHASH_K; k++) {
            uint32_t v =
                (uint32_t)(ref_mix64(sh + 0x9e3779b97f4a7c15ULL * (uint64_t)(k + 1)) >> 32);
            if (v < sig[k]) sig[k] = v;
        }
    }
}

static int ref_quote_sig(const char *text, size_t len, uint64_t *hash,
                         uint32_t sig[WS_MINHASH_K], int *has_sig) {
    *hash = 0;
    *has_sig = 0;
    char *f = ref_fold_words(text, len);
    if (!f) return -1;
    size_t fl = strlen(f);
    size_t nw = 0, cap = 64;
    uint64_t *wh = malloc(cap * sizeof *wh);
    if (!wh) {
        free(f);
        return -1;
    }
    for (size_t i = 0; i < fl;) {
        size_t j = i;
        while (j < fl && f[j] != ' ') j++;
        if (nw == cap) {
            cap *= 2;
            uint64_t *n2 = realloc(wh, cap * sizeof *wh);
            if (!n2) {
                free(wh);
                free(f);
                return -1;
            }
            wh = n2;
        }
        wh[nw++] = ref_hash(f + i, j - i, 7);
        i = j + 1;
    }
    if (nw >= 4) *hash = ref_hash(f, fl, 1) | 1;
    if (nw >= 8) {
        ref_minhash(wh, nw, sig);
        *has_sig = 1;
    }
    free(wh);
    free(f);
    return (int)nw;
}

/* ---- comparisons ------------------------------------------------------------ */

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static unsigned next_rand(unsigned n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static size_t compared, with_sig, differ;

/* One text through both; counts a difference (the first few printed). */
static void compare(const char *text, size_t len) {
    uint64_t h1 = 1, h2 = 2;
    uint32_t s1[WS_MINHASH_K], s2[WS_MINHASH_K];
    int g1 = -1, g2 = -2;
    memset(s1, 0xAA, sizeof s1);
    memset(s2, 0xAA, sizeof s2);
    int n1 = ws_store_quote_sig(text, len, &h1, s1, &g1);
    int n2 = ref_quote_sig(text, len, &h2, s2, &g2);
    int same = n1 == n2 && h1 == h2 && g1 == g2 && (!g1 || !memcmp(s1, s2, sizeof s1));
    compared++;
    with_sig += g2 == 1;
    if (!same && differ++ < 5)
        printf("differs (%d/%d words, hash %llx/%llx, sig %d/%d) on %zu bytes: %.80s\n", n1, n2,
               (unsigned long long)h1, (unsigned long long)h2, g1, g2, len, text);
}

static const char *const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const char *const seps[] = {" ", "  ", ", ", ". ", "'", " '", "-", "\n", "\t", "!?", "\"", "\x7f"};
static const char *const nonascii[] = {"\xc3\xa9", "\xc3\x9f", "\xef\xac\x81", "\xd0\x96\xd0\xb8",
                                       "\xe4\xb8\xad", "\xe2\x80\x99", "\xe2\x80\x94", "\xcc\x81",
                                       "\xff", "\xc3", "\xf0\x9f\x98\x80"};

/* Random texts: words of every length 1..40 and separators; with
 * `uni`, non-ASCII pieces and invalid bytes too; sometimes a NUL byte. */
static void random_texts(int rounds, int uni) {
    size_t cap = 12000;
    char *t = malloc(cap);
    if (!t) return;
    for (int r = 0; r < rounds; r++) {
        size_t n = 0;
        /* mostly quote-sized texts, some long ones (past 1 KB and past 256
         * words: the heap paths) */
        size_t want = r % 50 == 0 ? 2000 + next_rand(9000) : 1 + next_rand(400);
        while (n + 64 < cap && n < want) {
            if (uni && next_rand(6) == 0) {
                const char *p = nonascii[next_rand(sizeof nonascii / sizeof nonascii[0])];
                memcpy(t + n, p, strlen(p));
                n += strlen(p);
            } else {
                unsigned wl = r % 7 == 0 ? 1 + next_rand(40) : 1 + next_rand(9);
                for (unsigned k = 0; k < wl; k++) t[n++] = letters[next_rand(62)];
            }
            if (next_rand(40) == 0) t[n++] = 0;
            const char *s = seps[next_rand(sizeof seps / sizeof seps[0])];
            memcpy(t + n, s, strlen(s));
            n += strlen(s);
        }
        compare(t, n);
        /* every prefix length of a few: the word at the end cut anywhere */
        if (r % 200 == 0)
            for (size_t k = 0; k < n && k < 300; k++) compare(t, k);
    }
    free(t);
}

/* Every word length 1..40 at the end, in the middle and alone. */
static void word_lengths(void) {
    char t[1024];
    for (int l = 1; l <= 40; l++)
        for (int pos = 0; pos < 3; pos++) {
            size_t n = 0;
            int before = pos == 0 ? 0 : pos == 1 ? 5 : 9;
            for (int w = 0; w < before; w++) n += (size_t)sprintf(t + n, "w%d ", w);
            for (int k = 0; k < l; k++) t[n++] = (char)('a' + (k * 5 + l) % 26);
            for (int w = 0; w < 9 - before; w++) n += (size_t)sprintf(t + n, " x%d", w);
            compare(t, n);
        }
}

/* PolNeAR texts (dev and train) when the shared data is there: every line
 * and windows of 40..1200 bytes from every 97th byte. */
static void polnear_texts(void) {
    static const char *const dirs[] = {"../shared/data/polnear/dev", "../shared/data/polnear/train"};
    size_t files = 0;
    for (size_t d = 0; d < 2; d++) {
        DIR *dp = opendir(dirs[d]);
        if (!dp) {
            printf("note: %s not found; its texts skipped\n", dirs[d]);
            continue;
        }
        struct dirent *de;
        while ((de = readdir(dp))) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            size_t n = 0;
            char *text = test_read_file(path, &n);
            if (!text) continue;
            files++;
            for (size_t i = 0; i < n;) {
                size_t j = i;
                while (j < n && text[j] != '\n') j++;
                if (j > i) compare(text + i, j - i);
                i = j + 1;
            }
            for (size_t i = 0; i + 40 < n; i += 97) {
                size_t w = 40 + (i * 31) % 1160;
                compare(text + i, i + w <= n ? w : n - i);
            }
            free(text);
        }
        closedir(dp);
    }
    printf("note: %zu PolNeAR texts compared\n", files);
}

/* The minhash paths against the reference loop on random word hashes. */
static void minhash_paths(void) {
    uint64_t wh[700];
    size_t bad_auto = 0, bad_scalar = 0;
    int path = 0;
    for (int r = 0; r < 3000; r++) {
        size_t nw = 2 + next_rand(r % 10 == 0 ? 698 : 40);
        for (size_t i = 0; i < nw; i++) {
            wh[i] = (uint64_t)next_rand(1u << 31) << 33 ^ (uint64_t)next_rand(1u << 31) << 2 ^
                    next_rand(4);
            if (next_rand(10) == 0 && i) wh[i] = wh[i - 1]; /* repeated words */
        }
        uint32_t want[WS_MINHASH_K], a[WS_MINHASH_K], s[WS_MINHASH_K];
        ref_minhash(wh, nw, want);
        path = ws_store_minhash(wh, nw, a, 0);
        CHECK(ws_store_minhash(wh, nw, s, 1) == 1, "how 1 takes the scalar path");
        bad_auto += memcmp(a, want, sizeof want) != 0;
        bad_scalar += memcmp(s, want, sizeof want) != 0;
    }
    printf("note: the fastest minhash path here is %s\n", path == 2 ? "AVX2" : "scalar");
    CHECK(bad_auto == 0, "fastest path: %zu of 3000 signatures differ from the reference", bad_auto);
    CHECK(bad_scalar == 0, "scalar path: %zu of 3000 signatures differ from the reference",
          bad_scalar);
}

int main(void) {
    minhash_paths();
    word_lengths();
    CHECK(differ == 0, "word lengths 1..40: %zu of %zu texts differ", differ, compared);
    differ = compared = with_sig = 0;
    random_texts(20000, 0);
    CHECK(differ == 0 && with_sig > 1000, "random ASCII: %zu of %zu differ (%zu with a signature)",
          differ, compared, with_sig);
    differ = compared = with_sig = 0;
    random_texts(20000, 1);
    CHECK(differ == 0 && with_sig > 1000,
          "random non-ASCII: %zu of %zu differ (%zu with a signature)", differ, compared, with_sig);
    differ = compared = with_sig = 0;
    polnear_texts();
    CHECK(differ == 0, "PolNeAR texts: %zu of %zu differ (%zu with a signature)", differ, compared,
          with_sig);
    printf("note: %zu PolNeAR lines and windows, %zu with a signature\n", compared, with_sig);
    return TEST_REPORT();
}
