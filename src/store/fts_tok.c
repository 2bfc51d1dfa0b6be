/*
 * fts_tok.c - a faster "unicode61" for the indexer's connection.
 *
 * The text index's tables are declared with tokenize='unicode61
 * remove_diacritics 2'. Most news text is ASCII, and for ASCII unicode61's
 * rule is simple: the bytes 0-9, A-Z and a-z are token characters (folded to
 * lower case), every other ASCII byte ends a token. A token therefore never
 * spans an ASCII separator, and unicode61 carries no state across one. So the
 * text can be cut at ASCII separators into pieces that are tokenized alone:
 * a piece of ASCII letters and digits is one token, lower-cased here; a
 * piece with a byte >= 0x80 in it is handed, as it is, to SQLite's own
 * unicode61 (with the same arguments), whose token offsets are moved by the
 * piece's start. The tokens, their order and their offsets are those of
 * unicode61 itself (tests/unit/test_fts_tok.c compares the two on every
 * ASCII byte and on random mixed UTF-8, valid and not).
 *
 * ws_fts_tok_register() registers this tokenizer under the name
 * "unicode61" on one connection (the indexer's): FTS5 takes the tokenizer
 * registered last under a name, and the index is written with the same
 * tokens, so the FTS file stays a plain FTS5 file that any SQLite reads,
 * and queries (tokenized by the built-in unicode61 on the readers'
 * connections) match it. Arguments other than remove_diacritics (tokenchars,
 * separators, categories) change the ASCII rule: with any of them, this
 * tokenizer only hands the whole text to the built-in one.
 *
 * Nothing here is global: the built-in tokenizer's methods are copied into
 * the registration's own allocation, freed by SQLite with the connection.
 */
#include "store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The registration: the built-in unicode61 found before ours replaced it. */
typedef struct tok_module {
    fts5_tokenizer base;
    void *base_ud;
} tok_module;

/* One tokenizer instance (one per FTS5 table using it). */
typedef struct tok_inst {
    tok_module *m;
    Fts5Tokenizer *base; /* the built-in instance, same arguments */
    int fast;            /* 0: hand everything to base */
    /* the text being tokenized, lower-cased, and one bit per byte: a byte
     * of a piece (an ASCII letter or digit, or a byte >= 0x80), a byte
     * >= 0x80 (high); room for nw words */
    char *low;
    uint64_t *piece, *high;
    size_t nw;
} tok_inst;

/* Keep the buffers of texts up to this many 64-byte words between calls. */
#define TOK_KEEP_WORDS (1u << 14)

/* Frees the per-text buffers (room for no word). */
static void tok_free_bufs(tok_inst *p) {
    free(p->low);
    free(p->piece);
    free(p->high);
    p->low = NULL;
    p->piece = p->high = NULL;
    p->nw = 0;
}

static void tok_delete(Fts5Tokenizer *t) {
    tok_inst *p = (tok_inst *)t;
    if (!p) return;
    if (p->base) p->m->base.xDelete(p->base);
    tok_free_bufs(p);
    free(p);
}

static int tok_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out) {
    tok_module *m = ud;
    tok_inst *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return SQLITE_NOMEM;
    p->m = m;
    int rc = m->base.xCreate(m->base_ud, argv, argc, &p->base);
    if (rc != SQLITE_OK) {
        p->base = NULL;
        tok_delete((Fts5Tokenizer *)p);
        return rc;
    }
    /* the ASCII rule holds with no arguments or remove_diacritics only
     * (the built-in one has checked their values) */
    p->fast = 1;
    for (int i = 0; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "remove_diacritics")) p->fast = 0;
    if (argc % 2) p->fast = 0;
    *out = (Fts5Tokenizer *)p;
    return SQLITE_OK;
}

/* The built-in tokenizer's tokens of one piece, moved by its offset. */
typedef struct tok_shift {
    void *ctx;
    int (*x)(void *, int, const char *, int, int, int);
    int off;
} tok_shift;

static int tok_shifted(void *c, int tflags, const char *tok, int n, int start, int end) {
    tok_shift *s = c;
    return s->x(s->ctx, tflags, tok, n, start + s->off, end + s->off);
}

/* Fills low, piece and high for words [0, nw) of s[0, n) (bytes past n
 * count as separators); nonzero if a byte is >= 0x80. */
static uint64_t tok_classify(tok_inst *p, const unsigned char *s, size_t n, size_t nw) {
    uint64_t any_high = 0;
    for (size_t w = 0; w < nw; w++) {
        uint64_t am = 0, hm = 0;
        for (unsigned k = 0; k < 64; k += 16) {
            size_t at = w * 64 + k;
            unsigned char tmp[16];
            const unsigned char *c = s + at;
            if (at + 16 > n) { /* the tail: zero bytes are separators */
                memset(tmp, 0, sizeof tmp);
                if (at < n) memcpy(tmp, s + at, n - at);
                c = tmp;
            }
#if defined(__SSE2__)
            __m128i v = _mm_loadu_si128((const __m128i *)c);
            /* signed compares: bytes >= 0x80 are negative, outside every range */
            __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
            __m128i lo = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
            __m128i dg = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
            _mm_storeu_si128((__m128i *)(p->low + at),
                             _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32))));
            am |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(up, lo), dg))
                  << k;
            hm |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << k;
#else
            for (unsigned j = 0; j < 16; j++) {
                unsigned char b = c[j];
                p->low[at + j] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
                am |= (uint64_t)tok_alnum[b] << (k + j);
                hm |= (uint64_t)(b >> 7) << (k + j);
            }
#endif
        }
        p->piece[w] = am | hm;
        p->high[w] = hm;
        any_high |= hm;
    }
    return any_high;
}

/* The first bit at or after i that is set (want 1) or clear (want 0) in
 * piece; nw * 64 if none. */
static size_t tok_next(const tok_inst *p, size_t i, size_t nw, int want) {
    if (i >= nw * 64) return nw * 64;
    uint64_t flip = want ? 0 : ~(uint64_t)0;
    size_t w = i >> 6;
    uint64_t b = (p->piece[w] ^ flip) & (~(uint64_t)0 << (i & 63));
    while (!b) {
        if (++w >= nw) return nw * 64;
        b = p->piece[w] ^ flip;
    }
    return w * 64 + (size_t)__builtin_ctzll(b);
}

/* Whether a byte of [a, e) is >= 0x80. */
static int tok_has_high(const tok_inst *p, size_t a, size_t e) {
    for (size_t w = a >> 6; w <= (e - 1) >> 6; w++) {
        uint64_t b = p->high[w];
        if (w == a >> 6) b &= ~(uint64_t)0 << (a & 63);
        if (w == (e - 1) >> 6 && (e & 63)) b &= ((uint64_t)1 << (e & 63)) - 1;
        if (b) return 1;
    }
    return 0;
}

static int tok_grow(tok_inst *p, size_t nw) {
    if (nw <= p->nw) return 0;
    char *low = malloc(nw * 64);
    uint64_t *pm = malloc(nw * sizeof *pm), *hm = malloc(nw * sizeof *hm);
    if (!low || !pm || !hm) {
        free(low);
        free(pm);
        free(hm);
        return -1;
    }
    tok_free_bufs(p);
    p->low = low;
    p->piece = pm;
    p->high = hm;
    p->nw = nw;
    return 0;
}

static int tok_run(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                   int (*x)(void *, int, const char *, int, int, int)) {
    tok_inst *p = (tok_inst *)t;
    if (!p->fast || n <= 0) return p->m->base.xTokenize(p->base, ctx, flags, text, n, x);
    size_t nw = ((size_t)n + 63) / 64;
    if (tok_grow(p, nw)) return SQLITE_NOMEM;
    int high = tok_classify(p, (const unsigned char *)text, (size_t)n, nw) != 0;
    int rc = SQLITE_OK;
    /* a piece is a run of letters, digits and bytes >= 0x80 between ASCII
     * separators: with no byte >= 0x80 it is one token */
    for (size_t i = tok_next(p, 0, nw, 1); rc == SQLITE_OK && i < (size_t)n;
         i = tok_next(p, i, nw, 1)) {
        size_t e = tok_next(p, i, nw, 0);
        if (e > (size_t)n) e = (size_t)n;
        if (high && tok_has_high(p, i, e)) {
            tok_shift sh = {ctx, x, (int)i};
            rc = p->m->base.xTokenize(p->base, &sh, flags, text + i, (int)(e - i), tok_shifted);
        } else {
            rc = x(ctx, 0, p->low + i, (int)(e - i), (int)i, (int)e);
        }
        i = e;
    }
    if (p->nw > TOK_KEEP_WORDS) tok_free_bufs(p); /* a very long text: not kept */
    return rc;
}

static void tok_free_module(void *ud) { free(ud); }

fts5_api *ws_fts5_api(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(q, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    return api && api->iVersion >= 2 ? api : NULL;
}

int ws_fts_tok_register(sqlite3 *db) {
    fts5_api *api = ws_fts5_api(db);
    if (!api) return -1;
    tok_module *m = calloc(1, sizeof *m);
    if (!m) return -1;
    if (api->xFindTokenizer(api, "unicode61", &m->base_ud, &m->base) != SQLITE_OK) {
        free(m);
        return -1;
    }
    fts5_tokenizer mine = {tok_create, tok_delete, tok_run};
    if (api->xCreateTokenizer(api, "unicode61", m, &mine, tok_free_module) != SQLITE_OK) {
        free(m);
        return -1;
    }
    return 0;
}
