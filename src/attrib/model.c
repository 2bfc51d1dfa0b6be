/*
 * model.c - the trained cue and role taggers: features, decoding, model
 * loading, and the pipeline stage that turns tags into statements.
 *
 * Model blob format (little-endian), name "attrib" in data/models/:
 *   "WSAM" u32:version(=2)
 *   twice (cue tagger, then role tagger):
 *     u32 ntags, u32 nentries, f32 scale,
 *     f32 trans[(ntags + 1) * ntags]   (row 0 = start, row p+1 = after tag p)
 *     nentries * { u32 bucket, i16 w[ntags] }
 *   u32 ncand, ncand * u32 word key (ws_am_word_key): cue candidates
 */
#include "model.h"
#include "../model/blobs.h"
#include "../model/models.h"
#include "../model/pos.h"

#include <float.h>
#include <math.h>

/* ---- hashing ---------------------------------------------------------- */

static inline uint64_t mix2(uint64_t a, uint64_t b) {
    a ^= b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2);
    return a * 0xff51afd7ed558ccdULL;
}

static inline uint32_t bucket(uint64_t h) {
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    return (uint32_t)(h & (WS_AM_BUCKETS - 1));
}

#define SEED(t) ((uint64_t)(t) * 0x100000001B3ULL)
#define F1(t, x) bucket(mix2(SEED(t), (x)))
#define F2(t, x, y) bucket(mix2(mix2(SEED(t), (x)), (y)))
#define F3(t, x, y, z) \
    bucket(mix2(mix2(mix2(SEED(t), (x)), (y)), (z)))

#define H_BOS 0x5bd1e9955bd1e995ULL
#define H_EOS 0x27d4eb2f165667c5ULL

/* ---- token views ------------------------------------------------------ */

enum { SH_LOWER, SH_CAP, SH_ALLCAPS, SH_NUM, SH_PUNCT, SH_QUOTE, SH_OTHER };
enum {
    CL_NONE = 0,
    CL_COMMA = 1,
    CL_QUOTE = 2,
    CL_VERB = 4,
    CL_COLON = 8,
    CL_DASH = 16
};

static uint8_t shape_of(const ws_token *tk) {
    switch (tk->kind) {
    case WS_TOK_NUM: return SH_NUM;
    case WS_TOK_PUNCT: return SH_PUNCT;
    case WS_TOK_QUOTE: return SH_QUOTE;
    case WS_TOK_SYM: return SH_OTHER;
    default: break;
    }
    if (tk->flags & WS_TF_ALLCAPS) return SH_ALLCAPS;
    return (tk->flags & WS_TF_CAP) ? SH_CAP : SH_LOWER;
}

static uint8_t class_of(const ws_token *tk, const char *low, size_t len) {
    uint8_t c = CL_NONE;
    if (tk->kind == WS_TOK_QUOTE) c |= CL_QUOTE;
    if (tk->kind == WS_TOK_PUNCT) {
        if (len == 1 && low[0] == ',') c |= CL_COMMA;
        if (len == 1 && (low[0] == ':' || low[0] == ';')) c |= CL_COLON;
        if (len >= 2 || (len == 1 && low[0] == '-')) c |= CL_DASH;
    }
    if (WS_POS_IS_VERB(tk->pos)) c |= CL_VERB;
    return c;
}

ws_status ws_am_toks_build(ws_arena *a, const ws_text *t, ws_am_toks *k) {
    uint32_t n = (uint32_t)t->toks.n;
    k->n = n;
    k->wh = ws_arena_alloc(a, (size_t)n * sizeof *k->wh + 8);
    k->suf = ws_arena_alloc(a, (size_t)n * sizeof *k->suf + 8);
    k->shape = ws_arena_alloc(a, (size_t)n * 4 + 4);
    WS_RETURN_IF(!k->wh || !k->suf || !k->shape, WS_ERR_NOMEM);
    k->pos = k->shape + n;
    k->qin = k->pos + n;
    k->cls = k->qin + n;
    char buf[64];
    for (uint32_t i = 0; i < n; i++) {
        const ws_token *tk = &t->toks.v[i];
        size_t len;
        const char *low = ws_tok_lowp(t, i, buf, sizeof buf, &len);
        /* from the view: the text's hash of the same bytes (a longer
         * token is cut to the buffer, as training saw it) */
        k->wh[i] = t->low_hash && low != buf ? t->low_hash[i]
                                             : ws_hash_bytes(WS_HASH_SEED, low, len);
        size_t s = len > 3 ? len - 3 : 0;
        k->suf[i] = ws_hash_bytes(WS_HASH_SEED ^ 0x5u, low + s, len - s);
        k->shape[i] = shape_of(tk);
        k->pos[i] = tk->pos;
        k->qin[i] = tk->qdepth > 0 && tk->kind != WS_TOK_QUOTE;
        k->cls[i] = class_of(tk, low, len);
    }
    return WS_OK;
}

static inline uint64_t W(const ws_am_toks *k, uint32_t a, uint32_t b, int64_t i) {
    if (i < (int64_t)a) return H_BOS;
    if (i >= (int64_t)b) return H_EOS;
    return k->wh[i];
}
static inline uint64_t P(const ws_am_toks *k, uint32_t a, uint32_t b, int64_t i) {
    if (i < (int64_t)a) return 250;
    if (i >= (int64_t)b) return 251;
    return k->pos[i];
}

/* ---- cue features ----------------------------------------------------- */

int ws_am_cue_feats(const ws_am_toks *k, uint32_t a, uint32_t b, uint32_t i,
                    int has_quote, uint32_t *f) {
    int n = 0;
    int64_t j = i;
    uint64_t w0 = W(k, a, b, j), wm1 = W(k, a, b, j - 1), wp1 = W(k, a, b, j + 1);
    uint64_t p0 = P(k, a, b, j), pm1 = P(k, a, b, j - 1), pp1 = P(k, a, b, j + 1);
    uint64_t pm2 = P(k, a, b, j - 2), pp2 = P(k, a, b, j + 2);
    uint64_t q = k->qin[i];
    uint64_t place = i == a ? 0 : (i + 1 == b ? 1 : 2);
    uint64_t clm1 = i > a ? k->cls[i - 1] : 99, clp1 = i + 1 < b ? k->cls[i + 1] : 99;
    f[n++] = F1(1, 0);
    f[n++] = F1(2, w0);
    f[n++] = F1(3, wm1);
    f[n++] = F1(4, wp1);
    f[n++] = F1(5, W(k, a, b, j - 2));
    f[n++] = F1(6, W(k, a, b, j + 2));
    f[n++] = F2(7, wm1, w0);
    f[n++] = F2(8, w0, wp1);
    f[n++] = F1(9, p0);
    f[n++] = F2(10, pm1, p0);
    f[n++] = F2(11, p0, pp1);
    f[n++] = F2(12, p0, wp1);
    f[n++] = F2(13, wm1, p0);
    f[n++] = F2(14, k->shape[i], q);
    f[n++] = F2(15, w0, q);
    f[n++] = F1(16, k->suf[i]);
    f[n++] = F2(17, place, p0);
    f[n++] = F2(18, clp1, w0);
    f[n++] = F2(19, clm1, w0);
    f[n++] = F3(20, pm2, pm1, p0);
    f[n++] = F2(21, w0, (uint64_t)has_quote);
    f[n++] = F3(22, p0, pp1, pp2);
    f[n++] = F3(23, w0, p0, q);
    f[n++] = F2(24, k->suf[i], p0);
    f[n++] = F3(25, wm1, w0, wp1);
    return n;
}

/* ---- role features ---------------------------------------------------- */

static void prefix(const ws_am_toks *k, uint32_t a, uint32_t b, uint8_t mask,
                   uint32_t *p) {
    p[0] = 0;
    for (uint32_t i = a; i < b; i++) p[i - a + 1] = p[i - a] + !!(k->cls[i] & mask);
}

/* The role window: the cue's paragraph, capped around the cue. */
#ifndef WS_AM_SENTS_BEFORE
#define WS_AM_SENTS_BEFORE 1
#endif

static void role_window(const ws_text *t, uint32_t cs, uint32_t ce,
                        uint32_t *a, uint32_t *b) {
    uint32_t si = t->toks.v[cs].sent;
    const ws_sentence *s = &t->sents.v[si];
    const ws_paragraph *p = &t->paras.v[s->para];
    uint32_t first = si >= p->sent_start + WS_AM_SENTS_BEFORE ? si - WS_AM_SENTS_BEFORE : p->sent_start;
#ifdef WS_AM_BEFORE_NEAR
    /* experiment (off): the sentences before only for a cue at most this
     * many tokens after its sentence's start (docs/BENCHMARKS.md) */
    if (cs - s->tok_start > WS_AM_BEFORE_NEAR) first = si;
#endif
    uint32_t pa = t->sents.v[first].tok_start;
#ifdef WS_AM_SENTS_AFTER
    uint32_t last = si + WS_AM_SENTS_AFTER < p->sent_end ? si + WS_AM_SENTS_AFTER : p->sent_end - 1;
#else
    uint32_t last = p->sent_end - 1;
#endif
    uint32_t pb = t->sents.v[last].tok_end;
    *a = cs > pa + WS_AM_WINDOW ? cs - WS_AM_WINDOW : pa;
    *b = ce + WS_AM_WINDOW < pb ? ce + WS_AM_WINDOW : pb;
}

void ws_am_rctx_init(const ws_text *t, const ws_am_toks *k, uint32_t cs,
                     uint32_t ce, uint32_t *pre, ws_am_rctx *r) {
    if (ce - cs > WS_AM_MAXCUE) ce = cs + WS_AM_MAXCUE;
    r->cs = cs;
    r->ce = ce;
    role_window(t, cs, ce, &r->a, &r->b);
    r->cue_sent = t->toks.v[cs].sent;
    r->cue_wh = k->wh[ce - 1];
    uint32_t m = WS_AM_RWIN + 1;
    r->commas = pre;
    r->verbs = pre + m;
    r->qmarks = pre + 2 * m;
    prefix(k, r->a, r->b, CL_COMMA, r->commas);
    prefix(k, r->a, r->b, CL_VERB, r->verbs);
    prefix(k, r->a, r->b, CL_QUOTE, r->qmarks);
}

static uint64_t dist_bucket(uint32_t d) {
    if (d <= 3) return d;
    if (d <= 5) return 4;
    if (d <= 10) return 5;
    if (d <= 20) return 6;
    return 7;
}

/* The commas, verbs and question marks between token i and the cue (none
 * for a token of the cue), each count capped at 3: c[0], c[1], c[2]. */
static inline void between3(const ws_am_rctx *r, uint32_t i, uint64_t c[3]) {
    c[0] = c[1] = c[2] = 0;
    uint32_t lo, hi;
    if (i < r->cs) {
        lo = i + 1;
        hi = r->cs;
    } else if (i >= r->ce) {
        lo = r->ce;
        hi = i;
    } else {
        return;
    }
    if (hi <= lo) return;
    const uint32_t *pre[3] = {r->commas, r->verbs, r->qmarks};
    for (int k = 0; k < 3; k++) {
        uint32_t n = pre[k][hi - r->a] - pre[k][lo - r->a];
        c[k] = n > 3 ? 3 : n;
    }
}

int ws_am_role_feats(const ws_text *t, const ws_am_toks *k,
                     const ws_am_rctx *r, uint32_t i, uint32_t *f) {
    int n = 0;
    uint32_t a = r->a, b = r->b;
    int64_t j = i;
    uint64_t dir = i < r->cs ? 0 : (i < r->ce ? 1 : 2);
    uint64_t dist = dist_bucket(i < r->cs ? r->cs - i : (i >= r->ce ? i - r->ce + 1 : 0));
    int64_t sr = (int64_t)t->toks.v[i].sent - (int64_t)r->cue_sent;
    uint64_t srel = (uint64_t)(sr < -2 ? -2 : (sr > 2 ? 2 : sr)) + 2;
    uint64_t w0 = k->wh[i], p0 = k->pos[i], q = k->qin[i];
    uint64_t pm1 = P(k, a, b, j - 1), pp1 = P(k, a, b, j + 1);
    uint64_t bc[3];
    between3(r, i, bc);
    uint64_t cm = bc[0], vb = bc[1], qm = bc[2];
    uint64_t first = (t->toks.v[i].flags & WS_TF_SENT_START) ? 1 : 0;
    uint64_t d = dir * 16 + dist, ds = dir * 8 + srel;
    f[n++] = F1(101, dir);
    f[n++] = F1(102, d);
    f[n++] = F2(103, dir, w0);
    f[n++] = F2(104, dir, p0);
    f[n++] = F2(105, d, p0);
    f[n++] = F2(106, dir, W(k, a, b, j - 1));
    f[n++] = F2(107, dir, W(k, a, b, j + 1));
    f[n++] = F3(108, dir, pm1, p0);
    f[n++] = F3(109, dir, p0, pp1);
    f[n++] = F3(110, ds, q, k->shape[i]);
    f[n++] = F2(111, dir, r->cue_wh);
    f[n++] = F3(112, dir, r->cue_wh, p0);
    f[n++] = F2(113, dir, cm);
    f[n++] = F2(114, dir, vb);
    f[n++] = F2(115, ds, 0);
    f[n++] = F3(116, dir, q, dist);
    f[n++] = F1(117, w0);
    f[n++] = F3(118, dir, qm, q);
    f[n++] = F3(119, dir, first, p0);
    f[n++] = F2(120, dir, W(k, a, b, (int64_t)r->ce));
    f[n++] = F2(121, dir, W(k, a, b, (int64_t)r->cs - 1));
    f[n++] = F3(122, dir, p0, q * 4 + cm);
    f[n++] = F3(123, dir, vb, cm);
    f[n++] = F3(124, d, r->cue_wh, 0);
    f[n++] = F3(125, dir, k->suf[i], 0);
    f[n++] = F3(126, dir, p0, vb);
    f[n++] = F3(127, ds, cm, qm);
    f[n++] = F3(128, dir, w0, q);
    f[n++] = F3(129, dir, p0, P(k, a, b, (int64_t)r->ce));
    return n;
}

/* ---- scoring and Viterbi ---------------------------------------------- */

/* The first slot of key k in an open-addressing table of cap slots (a
 * power of two): the weight tables, the candidate set, and their loading. */
static inline uint32_t am_home(uint32_t k, uint32_t cap) {
    return (k * 2654435761u) & (cap - 1);
}

/* The slot of feature f: its own, or the empty slot that ends its probe,
 * whose weights are zero, so callers add it without a branch. */
static inline const ws_am_slot *t_find(const ws_am_table *t, uint32_t f) {
    const uint32_t key = f + 1, mask = t->cap - 1;
    const ws_am_slot *slots = t->slots;
    uint32_t h = am_home(f, t->cap);
    while (slots[h].key != key && slots[h].key != 0) h = (h + 1) & mask;
    return &slots[h];
}

/* Adds the weights of feature f (NT of them) to acc. */
static inline void t_add(const ws_am_table *t, uint32_t f, int32_t *acc,
                         const uint32_t NT) {
    const ws_am_slot *s = t_find(t, f);
    for (uint32_t k = 0; k < NT; k++) acc[k] += s->w[k];
}

/* Adds the weights of features f[0..nf) to acc, summing in locals (acc may
 * alias the feature ids as far as the compiler knows). */
static inline void t_sum(const ws_am_table *t, const uint32_t *f, int nf,
                         int32_t *acc, const uint32_t NT) {
    int32_t s[WS_AM_MAXTAGS] = {0};
    for (int n = 0; n < nf; n++) {
        const ws_am_slot *sl = t_find(t, f[n]);
        for (uint32_t k = 0; k < NT; k++) s[k] += sl->w[k];
    }
    for (uint32_t k = 0; k < NT; k++) acc[k] += s[k];
}

/* The scores of features f[0..nf) for NT tags. NT is a constant in each
 * caller, so the loops unroll. */
static inline void table_score(const ws_am_table *t, const uint32_t *f, int nf,
                               float *out, const uint32_t NT) {
    int32_t acc[WS_AM_MAXTAGS] = {0};
    t_sum(t, f, nf, acc, NT);
    for (uint32_t k = 0; k < NT; k++) out[k] = (float)acc[k] * t->scale;
}

void ws_am_score(const ws_am_weights *w, const uint32_t *f, int nf,
                 float *out) {
    uint32_t nt = w->ntags;
    if (w->dense) {
        for (uint32_t t = 0; t < nt; t++) out[t] = 0;
        for (int i = 0; i < nf; i++) {
            const float *row = w->dense + (size_t)f[i] * nt;
            for (uint32_t t = 0; t < nt; t++) out[t] += row[t];
        }
        return;
    }
    if (nt == WS_CUE_NTAGS) table_score(w->table, f, nf, out, WS_CUE_NTAGS);
    else if (nt == WS_ROLE_NTAGS) table_score(w->table, f, nf, out, WS_ROLE_NTAGS);
    else table_score(w->table, f, nf, out, nt);
}

/* Block scoring: the features of AM_BLK tokens are computed first and
 * their table slots prefetched, so that the cache misses of a block
 * overlap instead of following one another. */
#define AM_BLK 8

typedef struct am_blk {
    uint32_t f[AM_BLK][WS_AM_MAXF];
    int nf[AM_BLK];
    float *out[AM_BLK];
    int n;
} am_blk;

static void blk_flush(const ws_am_weights *w, am_blk *b) {
    if (!w->dense) {
        const ws_am_table *t = w->table;
        for (int j = 0; j < b->n; j++)
            for (int k = 0; k < b->nf[j]; k++)
                WS_PREFETCH(&t->slots[am_home(b->f[j][k], t->cap)]);
    }
    for (int j = 0; j < b->n; j++) ws_am_score(w, b->f[j], b->nf[j], b->out[j]);
    b->n = 0;
}

float ws_am_trans(const ws_am_weights *w, int prev, int tag) {
    if (w->dense) return w->trans[(prev + 1) * WS_AM_MAXTAGS + tag];
    return w->table->trans[prev + 1][tag];
}

/* BIO: an I tag follows its B or I. Tags come in (B, I) pairs from 1. */
static int allowed(int prev, int tag) {
    if (tag == 0 || tag % 2 == 1) return 1;
    return prev == tag - 1 || prev == tag;
}

/* Disallowed transitions score this; it survives additions of weights. */
#define NEG (-1e30f)

/* The decoder; nt is a constant in each caller below, so the loops over
 * tags unroll (same operations in the same order as with a variable nt). */
static inline void viterbi_nt(const ws_am_weights *w, const float *emit,
                              uint32_t n, float *sc, uint8_t *bp,
                              uint8_t *tags, const int nt) {
    float tr[WS_AM_MAXTAGS + 1][WS_AM_MAXTAGS];
    for (int p = -1; p < nt; p++)
        for (int t = 0; t < nt; t++)
            tr[p + 1][t] = allowed(p, t) ? ws_am_trans(w, p, t) : NEG;
    for (int t = 0; t < nt; t++) sc[t] = emit[t] + tr[0][t];
    for (uint32_t i = 1; i < n; i++) {
        const float *prev = sc + (i - 1) * nt;
        for (int t = 0; t < nt; t++) {
            float best;
            int arg;
            if (t > 0 && t % 2 == 0) {
                /* an I tag: only its B (t - 1) and itself may precede it.
                 * The others score prev + NEG, about -1e30, which never
                 * beats an allowed one (scores stay far above -1e30: an
                 * emission is at least -1e9), so the loop below would
                 * give the same best and argument. */
                best = prev[t - 1] + tr[t][t];
                arg = t - 1;
                float v = prev[t] + tr[t + 1][t];
                if (v > best) best = v, arg = t;
            } else {
                best = prev[0] + tr[1][t];
                arg = 0;
                for (int p = 1; p < nt; p++) {
                    float v = prev[p] + tr[p + 1][t];
                    if (v > best) best = v, arg = p;
                }
            }
            sc[i * nt + t] = best + emit[i * nt + t];
            bp[i * nt + t] = (uint8_t)arg;
        }
    }
    int best = 0;
    for (int t = 1; t < nt; t++)
        if (sc[(n - 1) * nt + t] > sc[(n - 1) * nt + best]) best = t;
    for (uint32_t i = n; i-- > 0;) {
        tags[i] = (uint8_t)best;
        best = bp[i * nt + best];
    }
}

void ws_am_viterbi(const ws_am_weights *w, const float *emit, uint32_t n,
                   float *sc, uint8_t *bp, uint8_t *tags) {
    if (n == 0) return;
    if (w->ntags == WS_CUE_NTAGS) viterbi_nt(w, emit, n, sc, bp, tags, WS_CUE_NTAGS);
    else if (w->ntags == WS_ROLE_NTAGS) viterbi_nt(w, emit, n, sc, bp, tags, WS_ROLE_NTAGS);
    else viterbi_nt(w, emit, n, sc, bp, tags, (int)w->ntags);
}

/* ---- fast scoring (run time) -------------------------------------------
 *
 * A token's emission is the integer sum of the weights of its features,
 * times the tagger's scale. Integer sums do not depend on their order, so
 * parts of them can be summed once and shared without changing a bit of the
 * result (ws_am_fast_check compares both ways):
 *   - features over small domains (POS id, direction, distance bucket,
 *     sentence offset, counts, shape) are summed at load time into dense
 *     tables (struct ws_am_fast) indexed by those values;
 *   - role features of the token and its direction alone are cached per
 *     document and shared by every cue whose window holds the token;
 *   - role features of the cue (with the direction, the distance bucket or
 *     the token's POS) are summed once per cue;
 *   - cue features of the word alone (form, suffix, POS, quote flags) are
 *     cached per document by word.
 * Only the remaining features (neighbouring words, word pairs and triples,
 * POS trigrams of the cue tagger) are hashed and looked up per token; their
 * table slots are prefetched well before they are read (cue tokens in
 * blocks, role windows in two passes), as most are not in the L2 cache.
 * ws_am_cue_feats and
 * ws_am_role_feats stay the definition (training uses them). The token
 * cache holds a token's sums as an inner token of a window; a token at the
 * edge of a window (whose neighbour is the window's BOS/EOS instead of the
 * real token) has its word features looked up directly.
 */

#define NP WS_POS_NTAGS        /* POS ids 0 .. NP - 1 */
#define NPX (WS_POS_NTAGS + 2) /* and "before" (250) and "after" (251) */
#define AM_TC 256              /* token cache entries (> WS_AM_RWIN) */
#define AM_WC 512              /* word cache entries (per document) */
#ifndef AM_WC_CACHE
#define AM_WC_CACHE 8192       /* word cache entries of a ws_cache (per thread) */
#endif
#define AM_RWC 256             /* role word cache entries (per document) */
#ifndef AM_RWC_CACHE
#define AM_RWC_CACHE 4096      /* role word cache entries of a ws_cache */
#endif

#define AM_NCL 100 /* token classes (CL_*, < 32) and 99 (no neighbour) */

/* A compact POS index (NP = before the range, NP + 1 = after) as the
 * feature value P() gives. */
static inline uint64_t posx(uint32_t c) { return c < NP ? c : (c == NP ? 250 : 251); }

struct ws_am_fast {
    /* role tagger, 5 weights each */
    int32_t ga[3][8][2][NP][5];   /* dir, dist, q, p0: 101, 102, 105, 116 */
    int32_t gb[3][5][2][7][5];    /* dir, srel, q, shape: 110, 115 */
    int32_t gc[3][4][4][4][2][5]; /* dir, cm, vb, qm, q: 113, 114, 118, 123 */
    int32_t gd[3][5][4][4][5];    /* dir, srel, cm, qm: 127 */
    int32_t ge[3][NP][2][4][5];   /* dir, p0, q, cm: 122 */
    int32_t gf[3][NP][4][5];      /* dir, p0, vb: 126 */
    int32_t gg[3][2][NP][5];      /* dir, first, p0: 104, 119 */
    int16_t r108[3][NPX][NP][8];  /* dir, pm1, p0: 108 (5 used) */
    int16_t r109[3][NP][NPX][8];  /* dir, p0, pp1: 109 (5 used) */
    /* cue tagger, 3 weights each */
    int32_t ca[3][NP][3];         /* place, p0: 1, 9, 17 */
    int32_t cs[7][2][3];          /* shape, q: 14 */
    int32_t cb[NPX][NP][3];       /* pm1, p0: 10 */
    int32_t cc[NP][NPX][3];       /* p0, pp1: 11 */
    /* cue tagger: the hash states of features whose first values have
     * small domains, so that only the last value is mixed per token (the
     * same ids: F2(t, x, y) = bucket(mix2(mix2(seed, x), y))) */
    uint64_t h12[NP];             /* p0: 12 (with wp1) */
    uint64_t h18[AM_NCL], h19[AM_NCL]; /* clp1, clm1: 18, 19 (with w0) */
    uint64_t h20[NPX][NPX];       /* pm2, pm1: 20 (with p0) */
    uint64_t h22[NP][NPX];        /* p0, pp1: 22 (with pp2) */
    /* role tagger: hash states after the direction (and the distance
     * bucket or POS) of the features hashed per token or per cue */
    uint64_t h103[3], h106[3], h107[3], h125[3], h128[3], h112[3];
    uint64_t h124[3][8], h129[3][NP];
};

/* Word cache entry: the cue features 2, 15, 16, 21, 23, 24. */
typedef struct am_wce {
    uint64_t wh, suf;
    uint8_t p0, q, hq, ok;
    int32_t v[WS_CUE_NTAGS];
} am_wce;

/* Role word cache entry: the role features of a word alone (103, 117,
 * 125, 128: its hash, suffix and quote flag) summed for each direction
 * whose bit is set in ok. */
typedef struct am_rwce {
    uint64_t wh, suf;
    uint8_t q, ok;
    int32_t v[3][WS_ROLE_NTAGS];
} am_rwce;

struct ws_am_fx {
    /* role: token cache, direct-mapped by token index */
    uint32_t tc_tok[AM_TC]; /* token + 1, 0 = empty */
    uint8_t tc_ok[AM_TC];   /* bit dir: tc_v[.][dir] is filled */
    int32_t tc_v[AM_TC][3][WS_ROLE_NTAGS];
    /* role: per cue */
    int32_t cd[3][8][WS_ROLE_NTAGS]; /* dir, dist: 111, 120, 121, 124 */
    int32_t cp[3][NP][WS_ROLE_NTAGS]; /* dir, p0: 112, 129 */
    uint8_t cd_ok[3][8], cp_ok[3][NP]; /* 0 missing, 2 to fill, 1 filled */
    uint32_t cdf[3][8], cpf[3][NP][2];  /* their feature ids, when 2 */
    /* role: per window token, 0 cached, 1 to fill the cache, 2 direct;
     * with the feature ids when not 0 */
    uint8_t need[WS_AM_RWIN];
    uint32_t tf[WS_AM_RWIN][6];
    uint8_t dd[WS_AM_RWIN]; /* per window token: direction * 16 + distance bucket */
    /* ... of which the first 2 (106, 107) are the neighbours'; the word's
     * own 4 are in wv (copied from the role word cache) when rw is
     * UINT32_MAX, else they follow and are summed into entry rw */
    uint32_t rw[WS_AM_RWIN];
    int32_t wv[WS_AM_RWIN][WS_ROLE_NTAGS];
    am_rwce *rwc; /* AM_RWC entries in the arena, or a ws_cache's */
    uint32_t rwc_mask;
    /* cue: word cache, AM_WC entries in the document's arena or those of
     * the caller's ws_cache (kept across documents: an entry depends only
     * on its key and the model) */
    am_wce *wc;
    uint32_t wc_mask; /* entries - 1 */
};

/* The word caches of a ws_cache (doc.h): cue and role. */
struct ws_am_wcache {
    const struct ws_attrib_model *m; /* the model whose sums it holds */
    am_wce wc[AM_WC_CACHE];
    am_rwce rwc[AM_RWC_CACHE];
};

ws_status ws_am_wcache_new(const ws_engine *e, struct ws_am_wcache **out) {
    *out = ws_mem_alloc(&e->mem, sizeof **out);
    WS_RETURN_IF(!*out, WS_ERR_NOMEM);
    (*out)->m = e->models ? e->models->attrib : NULL;
    for (uint32_t i = 0; i < AM_WC_CACHE; i++) (*out)->wc[i].ok = 0;
    for (uint32_t i = 0; i < AM_RWC_CACHE; i++) (*out)->rwc[i].ok = 0;
    return WS_OK;
}

void ws_am_wcache_free(const ws_engine *e, struct ws_am_wcache *c) {
    if (c) ws_mem_free(&e->mem, c, sizeof *c);
}

size_t ws_am_wcache_bytes(const struct ws_am_wcache *c) { return c ? sizeof *c : 0; }

size_t ws_am_wcache_used(const struct ws_am_wcache *c) {
    size_t n = 0;
    for (uint32_t i = 0; c && i < AM_WC_CACHE; i++) n += c->wc[i].ok;
    for (uint32_t i = 0; c && i < AM_RWC_CACHE; i++) n += c->rwc[i].ok != 0;
    return n;
}

static inline void t_prefetch(const ws_am_table *t, uint32_t f) {
    WS_PREFETCH(&t->slots[am_home(f, t->cap)]);
}

static inline void v_add(int32_t *acc, const int32_t *v, const uint32_t NT) {
    for (uint32_t k = 0; k < NT; k++) acc[k] += v[k];
}

static void build_fast(const struct ws_attrib_model *m, struct ws_am_fast *F) {
    const ws_am_table *R = &m->role, *C = &m->cue;
    memset(F, 0, sizeof *F);
    for (uint64_t dir = 0; dir < 3; dir++) {
        for (uint64_t dist = 0; dist < 8; dist++)
            for (uint64_t q = 0; q < 2; q++)
                for (uint64_t p = 0; p < NP; p++) {
                    int32_t *v = F->ga[dir][dist][q][p];
                    uint64_t d = dir * 16 + dist;
                    t_add(R, F1(101, dir), v, 5);
                    t_add(R, F1(102, d), v, 5);
                    t_add(R, F2(105, d, p), v, 5);
                    t_add(R, F3(116, dir, q, dist), v, 5);
                }
        for (uint64_t srel = 0; srel < 5; srel++) {
            uint64_t ds = dir * 8 + srel;
            for (uint64_t q = 0; q < 2; q++)
                for (uint64_t sh = 0; sh < 7; sh++) {
                    t_add(R, F3(110, ds, q, sh), F->gb[dir][srel][q][sh], 5);
                    t_add(R, F2(115, ds, 0), F->gb[dir][srel][q][sh], 5);
                }
            for (uint64_t cm = 0; cm < 4; cm++)
                for (uint64_t qm = 0; qm < 4; qm++)
                    t_add(R, F3(127, ds, cm, qm), F->gd[dir][srel][cm][qm], 5);
        }
        for (uint64_t cm = 0; cm < 4; cm++)
            for (uint64_t vb = 0; vb < 4; vb++)
                for (uint64_t qm = 0; qm < 4; qm++)
                    for (uint64_t q = 0; q < 2; q++) {
                        int32_t *v = F->gc[dir][cm][vb][qm][q];
                        t_add(R, F2(113, dir, cm), v, 5);
                        t_add(R, F2(114, dir, vb), v, 5);
                        t_add(R, F3(118, dir, qm, q), v, 5);
                        t_add(R, F3(123, dir, vb, cm), v, 5);
                    }
        for (uint64_t p = 0; p < NP; p++) {
            for (uint64_t q = 0; q < 2; q++)
                for (uint64_t cm = 0; cm < 4; cm++)
                    t_add(R, F3(122, dir, p, q * 4 + cm), F->ge[dir][p][q][cm], 5);
            for (uint64_t vb = 0; vb < 4; vb++)
                t_add(R, F3(126, dir, p, vb), F->gf[dir][p][vb], 5);
            for (uint64_t first = 0; first < 2; first++) {
                t_add(R, F2(104, dir, p), F->gg[dir][first][p], 5);
                t_add(R, F3(119, dir, first, p), F->gg[dir][first][p], 5);
            }
            for (uint32_t o = 0; o < NPX; o++) {
                int32_t v[5] = {0}, u[5] = {0};
                t_add(R, F3(108, dir, posx(o), p), v, 5);
                t_add(R, F3(109, dir, p, posx(o)), u, 5);
                for (int g = 0; g < 5; g++) {
                    F->r108[dir][o][p][g] = (int16_t)v[g];
                    F->r109[dir][p][o][g] = (int16_t)u[g];
                }
            }
        }
    }
    for (uint64_t p = 0; p < NP; p++) {
        for (uint64_t place = 0; place < 3; place++) {
            t_add(C, F1(1, 0), F->ca[place][p], 3);
            t_add(C, F1(9, p), F->ca[place][p], 3);
            t_add(C, F2(17, place, p), F->ca[place][p], 3);
        }
        for (uint32_t o = 0; o < NPX; o++) {
            t_add(C, F2(10, posx(o), p), F->cb[o][p], 3);
            t_add(C, F2(11, p, posx(o)), F->cc[p][o], 3);
        }
    }
    for (uint64_t sh = 0; sh < 7; sh++)
        for (uint64_t q = 0; q < 2; q++) t_add(C, F2(14, sh, q), F->cs[sh][q], 3);
    for (uint32_t p = 0; p < NP; p++) {
        F->h12[p] = mix2(SEED(12), p);
        for (uint32_t o = 0; o < NPX; o++) F->h22[p][o] = mix2(mix2(SEED(22), p), posx(o));
    }
    for (uint32_t o = 0; o < NPX; o++)
        for (uint32_t o2 = 0; o2 < NPX; o2++)
            F->h20[o][o2] = mix2(mix2(SEED(20), posx(o)), posx(o2));
    for (uint64_t c = 0; c < AM_NCL; c++) {
        F->h18[c] = mix2(SEED(18), c);
        F->h19[c] = mix2(SEED(19), c);
    }
    for (uint64_t dir = 0; dir < 3; dir++) {
        F->h103[dir] = mix2(SEED(103), dir);
        F->h106[dir] = mix2(SEED(106), dir);
        F->h107[dir] = mix2(SEED(107), dir);
        F->h125[dir] = mix2(SEED(125), dir);
        F->h128[dir] = mix2(SEED(128), dir);
        F->h112[dir] = mix2(SEED(112), dir);
        for (uint64_t dist = 0; dist < 8; dist++) F->h124[dir][dist] = mix2(SEED(124), dir * 16 + dist);
        for (uint64_t p = 0; p < NP; p++) F->h129[dir][p] = mix2(mix2(SEED(129), dir), p);
    }
}

/* ---- fast role scoring ---- */

/* The role word cache entry of token i (in a cache of mask + 1 entries). */
static inline uint32_t rwc_entry(const ws_am_toks *k, uint32_t i, uint32_t mask) {
    uint64_t w0 = k->wh[i], q = k->qin[i], suf = k->suf[i];
    uint32_t e = (uint32_t)((w0 ^ (w0 >> 29) ^ suf * 0x9E3779B97F4A7C15ULL) >> 40) ^ (uint32_t)q * 977u;
    return e & mask;
}

/* Role features of token i and dir alone (103, 106, 107, 117, 125, 128),
 * with the window [a, b) deciding its neighbours: their ids, prefetched. */
/* The features of window token i that the role token cache holds for
 * direction dir: its neighbours' (106, 107) into f[0..2), and its own word's
 * (103, 117, 125, 128): copied from the role word cache into wv when there
 * (*rw = UINT32_MAX), else into f[2..6) with *rw the entry to fill. */
static void role_tok_feats(const ws_am_table *R, const struct ws_am_fast *F,
                           const ws_am_toks *k, uint32_t a,
                           uint32_t b, uint32_t i, uint64_t dir,
                           am_rwce *rwc, uint32_t e, uint32_t *f,
                           uint32_t *rw, int32_t *wv) {
    int64_t j = i;
    uint64_t w0 = k->wh[i], q = k->qin[i], suf = k->suf[i];
    f[0] = bucket(mix2(F->h106[dir], W(k, a, b, j - 1))); /* F2(106, dir, .) */
    f[1] = bucket(mix2(F->h107[dir], W(k, a, b, j + 1))); /* F2(107, dir, .) */
    t_prefetch(R, f[0]);
    t_prefetch(R, f[1]);
    const am_rwce *c = &rwc[e];
    if ((c->ok >> dir & 1u) && c->wh == w0 && c->suf == suf && c->q == q) {
        memcpy(wv, c->v[dir], sizeof c->v[dir]);
        *rw = UINT32_MAX;
        return;
    }
    *rw = e;
    f[2] = bucket(mix2(F->h103[dir], w0));                 /* F2(103, dir, w0) */
    f[3] = F1(117, w0);
    f[4] = bucket(mix2(mix2(F->h125[dir], suf), 0));       /* F3(125, dir, suf, 0) */
    f[5] = bucket(mix2(mix2(F->h128[dir], w0), q));        /* F3(128, dir, w0, q) */
    for (int n = 2; n < 6; n++) t_prefetch(R, f[n]);
}

/* Adds window token i's cached-kind role features (see role_tok_feats)
 * to acc, filling the role word cache entry when it missed. */
static void role_tok_sum(const ws_am_table *R, const ws_am_toks *k, uint32_t i,
                         uint64_t dir, am_rwce *rwc, const uint32_t *f,
                         uint32_t rw, const int32_t *wv, int32_t *acc) {
    t_sum(R, f, 2, acc, WS_ROLE_NTAGS);
    if (rw == UINT32_MAX) {
        v_add(acc, wv, WS_ROLE_NTAGS);
        return;
    }
    am_rwce *c = &rwc[rw];
    uint64_t w0 = k->wh[i], suf = k->suf[i];
    uint8_t q = (uint8_t)k->qin[i];
    if (!(c->ok && c->wh == w0 && c->suf == suf && c->q == q)) {
        c->wh = w0, c->suf = suf, c->q = q, c->ok = 0;
    }
    memset(c->v[dir], 0, sizeof c->v[dir]);
    t_sum(R, f + 2, 4, c->v[dir], WS_ROLE_NTAGS);
    c->ok |= (uint8_t)(1u << dir);
    v_add(acc, c->v[dir], WS_ROLE_NTAGS);
}

static inline uint64_t role_dir(const ws_am_rctx *r, uint32_t i) {
    return i < r->cs ? 0 : (i < r->ce ? 1 : 2);
}
static inline uint64_t role_dist(const ws_am_rctx *r, uint32_t i) {
    return dist_bucket(i < r->cs ? r->cs - i : (i >= r->ce ? i - r->ce + 1 : 0));
}

/* Role emissions of the window of r into emit, from the fast tables and
 * caches; equal to ws_am_role_feats + ws_am_score token by token. A first
 * pass finds the sums the caches lack and prefetches their table slots; the
 * second fills them and adds up. */
static void role_emit_fast(const struct ws_attrib_model *m, const ws_text *t,
                           const ws_am_toks *k, const ws_am_rctx *r,
                           struct ws_am_fx *x, float *emit) {
    const struct ws_am_fast *F = m->fast;
    const ws_am_table *R = &m->role;
    const uint32_t a = r->a, b = r->b;
    const uint64_t cue_wh = r->cue_wh;
    const uint64_t wce = W(k, a, b, (int64_t)r->ce), wcs = W(k, a, b, (int64_t)r->cs - 1);
    const uint64_t pce = P(k, a, b, (int64_t)r->ce);
    uint32_t cf[3][3];
    for (uint64_t dir = 0; dir < 3; dir++) {
        cf[dir][0] = F2(111, dir, cue_wh);
        cf[dir][1] = F2(120, dir, wce);
        cf[dir][2] = F2(121, dir, wcs);
        for (int n = 0; n < 3; n++) t_prefetch(R, cf[dir][n]);
    }
    memset(x->cd_ok, 0, sizeof x->cd_ok);
    memset(x->cp_ok, 0, sizeof x->cp_ok);
    /* pass 1: what is missing (2 = to fill), its feature ids, prefetched */
    for (uint32_t i = a; i < b; i++) {
        uint64_t dir = role_dir(r, i), dist = role_dist(r, i);
        uint32_t p0 = k->pos[i];
        x->dd[i - a] = (uint8_t)(dir * 16 + dist);
        if (!x->cd_ok[dir][dist]) {
            x->cdf[dir][dist] = bucket(mix2(mix2(F->h124[dir][dist], cue_wh), 0)); /* F3(124, ...) */
            t_prefetch(R, x->cdf[dir][dist]);
            x->cd_ok[dir][dist] = 2;
        }
        if (!x->cp_ok[dir][p0]) {
            x->cpf[dir][p0][0] = bucket(mix2(mix2(F->h112[dir], cue_wh), p0)); /* F3(112, ...) */
            x->cpf[dir][p0][1] = bucket(mix2(F->h129[dir][p0], pce));          /* F3(129, ...) */
            t_prefetch(R, x->cpf[dir][p0][0]);
            t_prefetch(R, x->cpf[dir][p0][1]);
            x->cp_ok[dir][p0] = 2;
        }
        uint8_t need = 0;
        if (i == a || i + 1 == b) {
            need = 2; /* a neighbour is BOS/EOS: not from the cache */
        } else {
            uint32_t e = i & (AM_TC - 1); /* a window's tokens have distinct entries */
            if (x->tc_tok[e] != i + 1) x->tc_tok[e] = i + 1, x->tc_ok[e] = 0;
            if (!(x->tc_ok[e] & (1u << dir))) {
                need = 1;
                x->tc_ok[e] |= (uint8_t)(1u << dir); /* filled in pass 2 */
            }
        }
        x->need[i - a] = need;
        if (need) { /* its role word cache entry, looked up below */
            x->rw[i - a] = rwc_entry(k, i, x->rwc_mask);
            WS_PREFETCH(&x->rwc[x->rw[i - a]]);
        }
        /* the POS pair rows read in pass 2 */
        uint32_t pm1c = i > a ? k->pos[i - 1] : NP, pp1c = i + 1 < b ? k->pos[i + 1] : NP + 1;
        WS_PREFETCH(F->r108[dir][pm1c][p0]);
        WS_PREFETCH(F->r109[dir][p0][pp1c]);
    }
    for (uint32_t i = a; i < b; i++)
        if (x->need[i - a])
            role_tok_feats(R, F, k, a, b, i, x->dd[i - a] >> 4, x->rwc, x->rw[i - a],
                           x->tf[i - a], &x->rw[i - a], x->wv[i - a]);
    int32_t cdir[3][WS_ROLE_NTAGS];
    memset(cdir, 0, sizeof cdir);
    for (int dir = 0; dir < 3; dir++) t_sum(R, cf[dir], 3, cdir[dir], WS_ROLE_NTAGS);
    /* pass 2 */
    const float scale = R->scale;
    for (uint32_t i = a; i < b; i++) {
        uint64_t dir = x->dd[i - a] >> 4, dist = x->dd[i - a] & 15u;
        int64_t sr = (int64_t)t->toks.v[i].sent - (int64_t)r->cue_sent;
        uint64_t srel = (uint64_t)(sr < -2 ? -2 : (sr > 2 ? 2 : sr)) + 2;
        uint32_t p0 = k->pos[i], q = k->qin[i];
        uint64_t bc[3];
        between3(r, i, bc);
        uint64_t cm = bc[0], vb = bc[1], qm = bc[2];
        uint32_t first = (t->toks.v[i].flags & WS_TF_SENT_START) ? 1 : 0;
        int32_t acc[WS_ROLE_NTAGS];
        memcpy(acc, F->ga[dir][dist][q][p0], sizeof acc);
        v_add(acc, F->gb[dir][srel][q][k->shape[i]], WS_ROLE_NTAGS);
        v_add(acc, F->gc[dir][cm][vb][qm][q], WS_ROLE_NTAGS);
        v_add(acc, F->gd[dir][srel][cm][qm], WS_ROLE_NTAGS);
        v_add(acc, F->ge[dir][p0][q][cm], WS_ROLE_NTAGS);
        v_add(acc, F->gf[dir][p0][vb], WS_ROLE_NTAGS);
        v_add(acc, F->gg[dir][first][p0], WS_ROLE_NTAGS);
        uint32_t pm1c = i > a ? k->pos[i - 1] : NP, pp1c = i + 1 < b ? k->pos[i + 1] : NP + 1;
        for (uint32_t g = 0; g < WS_ROLE_NTAGS; g++)
            acc[g] += F->r108[dir][pm1c][p0][g] + F->r109[dir][p0][pp1c][g];
        if (x->cd_ok[dir][dist] == 2) {
            int32_t *v = x->cd[dir][dist];
            memcpy(v, cdir[dir], sizeof cdir[dir]);
            t_sum(R, &x->cdf[dir][dist], 1, v, WS_ROLE_NTAGS);
            x->cd_ok[dir][dist] = 1;
        }
        v_add(acc, x->cd[dir][dist], WS_ROLE_NTAGS);
        if (x->cp_ok[dir][p0] == 2) {
            int32_t *v = x->cp[dir][p0];
            memset(v, 0, sizeof x->cp[dir][p0]);
            t_sum(R, x->cpf[dir][p0], 2, v, WS_ROLE_NTAGS);
            x->cp_ok[dir][p0] = 1;
        }
        v_add(acc, x->cp[dir][p0], WS_ROLE_NTAGS);
        uint8_t need = x->need[i - a];
        if (need == 2) {
            role_tok_sum(R, k, i, dir, x->rwc, x->tf[i - a], x->rw[i - a], x->wv[i - a], acc);
        } else {
            uint32_t e = i & (AM_TC - 1);
            if (need == 1) {
                memset(x->tc_v[e][dir], 0, sizeof x->tc_v[e][dir]);
                role_tok_sum(R, k, i, dir, x->rwc, x->tf[i - a], x->rw[i - a], x->wv[i - a],
                             x->tc_v[e][dir]);
            }
            v_add(acc, x->tc_v[e][dir], WS_ROLE_NTAGS);
        }
        float *out = emit + (size_t)(i - a) * WS_ROLE_NTAGS;
        for (uint32_t g = 0; g < WS_ROLE_NTAGS; g++) out[g] = (float)acc[g] * scale;
    }
}

/* ---- fast cue scoring ---- */

/* A block of tokens whose hashed features are looked up together, each
 * token's prefetched as soon as its features are known. The
 * first nw[j] features of token j are its word's (cue features 2, 15, 16,
 * 21, 23, 24) when the word cache missed: their sum is stored in the cache
 * entry went[j] after the lookups. */
typedef struct am_cblk {
    uint32_t f[AM_BLK][WS_AM_MAXF];
    const uint32_t *fp[AM_BLK]; /* token j's features: f[j], or elsewhere */
    int nf[AM_BLK], nw[AM_BLK];
    int32_t acc[AM_BLK][WS_CUE_NTAGS];
    am_wce key[AM_BLK];
    uint32_t went[AM_BLK];
    float *out[AM_BLK];
    int n;
} am_cblk;

/* Fills word-cache entry went (key *key) with the sum of a word's own nw
 * features f, and adds it to acc. */
static inline void wc_fill(const ws_am_table *C, struct ws_am_fx *x, uint32_t went,
                           const am_wce *key, const uint32_t *f, int nw, int32_t *acc) {
    am_wce *e = &x->wc[went];
    *e = *key;
    memset(e->v, 0, sizeof e->v);
    t_sum(C, f, nw, e->v, WS_CUE_NTAGS);
    e->ok = 1;
    v_add(acc, e->v, WS_CUE_NTAGS);
}

static void cblk_flush(const ws_am_table *C, struct ws_am_fx *x, am_cblk *b) {
    for (int j = 0; j < b->n; j++) {
        int32_t *acc = b->acc[j];
        if (b->nw[j]) wc_fill(C, x, b->went[j], &b->key[j], b->fp[j], b->nw[j], acc);
        t_sum(C, b->fp[j] + b->nw[j], b->nf[j] - b->nw[j], acc, WS_CUE_NTAGS);
        for (uint32_t g = 0; g < WS_CUE_NTAGS; g++) b->out[j][g] = (float)acc[g] * C->scale;
    }
    b->n = 0;
}

/* The cue word cache entry of token i (in a cache of mask + 1 entries). */
static inline uint32_t wc_entry(const ws_am_toks *k, uint32_t i, int has_quote, uint32_t mask) {
    uint64_t w0 = k->wh[i], suf = k->suf[i];
    uint32_t p0 = k->pos[i], q = k->qin[i];
    uint32_t e = (uint32_t)((w0 ^ (w0 >> 31) ^ suf) * 0x9E3779B1u >> 7) ^ p0 * 7u ^ q * 131u ^ (uint32_t)has_quote * 257u;
    return e & mask;
}

/* The cue features of token i of the sentence [a, b), split: sums from
 * the load-time tables and the word cache go to acc, the rest to f (the
 * word's own features first, *nw of them, when the word cache missed: their
 * sum goes to cache entry *went, with key *key, once looked up). Returns
 * the count in f. acc + the weights of f = ws_am_cue_feats + ws_am_score. */
static int cue_feats_fast(const struct ws_attrib_model *m, const ws_am_toks *k,
                          uint32_t a, uint32_t b, uint32_t i, int has_quote,
                          const struct ws_am_fx *x, uint32_t *f, int32_t *acc,
                          int *nw, uint32_t *went, am_wce *key) {
    const struct ws_am_fast *F = m->fast;
    int n = 0;
    int64_t ji = i;
    uint64_t w0 = k->wh[i], wm1 = W(k, a, b, ji - 1), wp1 = W(k, a, b, ji + 1);
    uint32_t p0 = k->pos[i];
    uint32_t pm1c = i > a ? k->pos[i - 1] : NP, pp1c = i + 1 < b ? k->pos[i + 1] : NP + 1;
    uint32_t pm2c = i > a + 1 ? k->pos[i - 2] : NP;
    uint64_t pp2 = P(k, a, b, ji + 2);
    uint32_t q = k->qin[i];
    uint32_t place = i == a ? 0 : (i + 1 == b ? 1 : 2);
    uint64_t clm1 = i > a ? k->cls[i - 1] : 99, clp1 = i + 1 < b ? k->cls[i + 1] : 99;
    memcpy(acc, F->ca[place][p0], sizeof F->ca[place][p0]);
    v_add(acc, F->cs[k->shape[i]][q], WS_CUE_NTAGS);
    v_add(acc, F->cb[pm1c][p0], WS_CUE_NTAGS);
    v_add(acc, F->cc[p0][pp1c], WS_CUE_NTAGS);
    /* the word's features: cached, or queued first */
    uint64_t suf = k->suf[i];
    uint32_t e = wc_entry(k, i, has_quote, x->wc_mask);
    const am_wce *c = &x->wc[e];
    if (c->ok && c->wh == w0 && c->suf == suf && c->p0 == p0 && c->q == q && c->hq == (uint8_t)has_quote) {
        v_add(acc, c->v, WS_CUE_NTAGS);
        *nw = 0;
    } else {
        uint64_t p = p0, qq = q;
        f[n++] = F1(2, w0);
        f[n++] = F2(15, w0, qq);
        f[n++] = F1(16, suf);
        f[n++] = F2(21, w0, (uint64_t)has_quote);
        f[n++] = F3(23, w0, p, qq);
        f[n++] = F2(24, suf, p);
        *nw = n;
        *went = e;
        am_wce *kk = key;
        kk->wh = w0, kk->suf = suf, kk->p0 = (uint8_t)p0, kk->q = (uint8_t)q;
        kk->hq = (uint8_t)has_quote, kk->ok = 0;
    }
    uint64_t p = p0;
    f[n++] = F1(3, wm1);
    f[n++] = F1(4, wp1);
    f[n++] = F1(5, W(k, a, b, ji - 2));
    f[n++] = F1(6, W(k, a, b, ji + 2));
    f[n++] = F2(7, wm1, w0);
    f[n++] = F2(8, w0, wp1);
    f[n++] = bucket(mix2(F->h12[p0], wp1));         /* F2(12, p, wp1) */
    f[n++] = F2(13, wm1, p);
    f[n++] = bucket(mix2(F->h18[clp1], w0));        /* F2(18, clp1, w0) */
    f[n++] = bucket(mix2(F->h19[clm1], w0));        /* F2(19, clm1, w0) */
    f[n++] = bucket(mix2(F->h20[pm2c][pm1c], p));   /* F3(20, pm2, pm1, p) */
    f[n++] = bucket(mix2(F->h22[p0][pp1c], pp2));   /* F3(22, p, pp1, pp2) */
    f[n++] = F3(25, wm1, w0, wp1);
    return n;
}

/* Queues the cue features of token i of the sentence [a, b) in the block,
 * its table slots prefetched (read at the flush). */
static void cue_queue_fast(const struct ws_attrib_model *m, const ws_am_toks *k,
                           uint32_t a, uint32_t b, uint32_t i, int has_quote,
                           struct ws_am_fx *x, am_cblk *blk, float *out) {
    int j = blk->n;
    int n = cue_feats_fast(m, k, a, b, i, has_quote, x, blk->f[j], blk->acc[j],
                           &blk->nw[j], &blk->went[j], &blk->key[j]);
    blk->nf[j] = n;
    blk->fp[j] = blk->f[j];
    for (int u = 0; u < n; u++) t_prefetch(&m->cue, blk->f[j][u]); /* read at the flush */
    blk->out[j] = out;
    blk->n++;
}

/* ---- screened cue scoring ----------------------------------------------
 *
 * Most tokens within reach of a cue candidate end up tagged O, and most of
 * a token's cost is the 13 features of its context (with 6 more of its
 * word on a word-cache miss) looked up in the multi-MB weight table. The
 * screen looks up, instead, an upper bound of each context feature's B and
 * I margins over O in a small table (struct ws_am_screen, 256 KB), and
 * scores a token fully only when the decoder needs it. It is exact (same
 * tags, same emissions for the cues found):
 *
 * Bounds. The table keeps, for each group of 16 consecutive feature ids
 * (id >> AM_SG_SHIFT), one byte: the largest of wB - wO and wI - wO over
 * the model's entries in the group, and 0 (an absent feature adds 0), in
 * units of AM_SQ rounded up. Any feature, seen in training or not, is one id,
 * so both its margins are at most its group's bound. A token's bound U(B)
 * is the exact B - O of its cheap parts (load-time tables, and its word's
 * features: from the word cache, or looked up and cached) plus the bounds
 * of its 13 context features; U(I) likewise with I - O; U(O) = 0. (Groups of 16 and one byte for both margins: of the sizes measured,
 * the best trade between the tokens screened and the table's cache misses,
 * docs/BENCHMARKS.md, "Speed work, session 4".)
 *
 * Decoding. Adding a constant to the three emissions of one token adds it
 * to every path's score, so the decoder's best path does not change when a
 * token's emissions are taken relative to its O emission. Let a token be
 * "bounded" when its emissions are (0, U(B), U(I)) and "scored" when they
 * are its true ones; tokens out of reach keep (0, -1e9, -1e9) as before.
 * For any tag path y, with E the true emissions (relative to O at the
 * bounded tokens) and E' those used: E'(y) >= E(y), since at a bounded token
 * U(t) >= E(t) - E(O) for every tag t, and at the others E' = E. If the
 * best path y* under E' tags every bounded token O, then E'(y*) = E(y*),
 * so for every y: E(y) <= E'(y) <= E'(y*) = E(y*): y* is a best path under
 * E, whatever the transitions (BIO constraints included: they are in
 * both). So: decode with E'; score fully the bounded tokens the best path
 * tags B or I; repeat until it tags none (each round scores at least one
 * token, so it ends). The cues found are then scored tokens, and their
 * emissions (the confidence) are the true ones.
 *
 * Floating point: the argument holds in real arithmetic. The decoder adds
 * floats, and a bounded token's O emission is 0 instead of its own, so
 * sums round differently; two paths whose scores differ by a rounding
 * error could in principle swap. ws_am_screen_check and the PolNeAR output
 * (identical md5, docs/BENCHMARKS.md) check that this does not happen.
 */

#ifndef AM_SG_SHIFT
#define AM_SG_SHIFT 4 /* feature ids per group: 16 */
#endif
#define AM_SG (WS_AM_BUCKETS >> AM_SG_SHIFT)
#define AM_CUE_NH 19 /* hashed cue features of a token, at most */
#ifndef AM_WC_AHEAD
#define AM_WC_AHEAD 4 /* tokens ahead whose word cache entry is prefetched */
#endif
#define AM_SQ 257    /* unit of the bounds: any int16 difference / 257 fits a byte */

struct ws_am_screen {
    uint8_t ub[AM_SG]; /* max(0, wB - wO, wI - wO) over the group, in units
                        * of AM_SQ, rounded up */
};

/* One token within reach, as cue_feats_fast splits it. */
typedef struct ws_am_stok {
    uint32_t f[AM_CUE_NH];
    int32_t acc[WS_CUE_NTAGS];
    int nf, nw;
    uint32_t went;
    am_wce key;
} ws_am_stok;

enum { AM_ST_OUT = 0, AM_ST_BOUND = 1, AM_ST_SCORED = 2 };

static void build_screen(const ws_am_table *C, struct ws_am_screen *S) {
    memset(S, 0, sizeof *S);
    for (uint32_t h = 0; h < C->cap; h++) {
        const ws_am_slot *sl = &C->slots[h];
        if (!sl->key) continue;
        int32_t d = (int32_t)sl->w[WS_CUE_B] - sl->w[WS_CUE_O];
        int32_t di = (int32_t)sl->w[WS_CUE_I] - sl->w[WS_CUE_O];
        if (di > d) d = di;
        if (d <= 0) continue;
        uint32_t g = (sl->key - 1) >> AM_SG_SHIFT;
        uint8_t u = (uint8_t)((d + AM_SQ - 1) / AM_SQ); /* d <= 65535: u <= 255 */
        if (u > S->ub[g]) S->ub[g] = u;
    }
}

/* Queues token s in the block (its slots prefetched), to be scored into
 * out; flushes a full block. */
static void score_now(const ws_am_table *C, const ws_am_stok *s, float *out,
                      struct ws_am_fx *fx, am_cblk *blk) {
    int j = blk->n;
    blk->fp[j] = s->f;
    memcpy(blk->acc[j], s->acc, sizeof s->acc);
    blk->nf[j] = s->nf, blk->nw[j] = s->nw, blk->went[j] = s->went;
    blk->key[j] = s->key;
    blk->out[j] = out;
    for (int u = 0; u < s->nf; u++) t_prefetch(C, s->f[u]);
    blk->n++;
    if (blk->n == AM_BLK) cblk_flush(C, fx, blk);
}

/* The cue tags of the sentence piece [a, b) into x->tags (and the true
 * emissions of every token tagged B or I into x->emit), scoring fully only
 * the tokens the decoder needs (see above). */
static void cue_tag_screened(const struct ws_attrib_model *m, const ws_am_toks *k,
                             uint32_t a, uint32_t b, int hq, ws_am_scratch *x) {
    const ws_am_table *C = &m->cue;
    const struct ws_am_screen *S = m->screen;
    const ws_am_weights w = {WS_CUE_NTAGS, NULL, C, NULL};
    const float scale = C->scale;
    float *emit = x->emit;
    uint8_t *state = x->sstate, *tags = x->tags;
    uint32_t last = UINT32_MAX, nreach = 0;
    for (uint32_t i = a; i < b; i++) {
        float *e = emit + (size_t)(i - a) * WS_CUE_NTAGS;
        if (ws_am_is_cand(m, k->wh[i])) last = i;
        if (last == UINT32_MAX || i - last >= WS_AM_CUE_REACH) {
            e[WS_CUE_O] = 0, e[WS_CUE_B] = e[WS_CUE_I] = -1e9f;
            state[i - a] = AM_ST_OUT;
            continue;
        }
        ws_am_stok *s = &x->stok[i - a];
        if (i + AM_WC_AHEAD < b) /* a later token's word cache entry */
            WS_PREFETCH(&x->fx->wc[wc_entry(k, i + AM_WC_AHEAD, hq, x->fx->wc_mask)]);
        s->nf = cue_feats_fast(m, k, a, b, i, hq, x->fx, s->f, s->acc, &s->nw,
                               &s->went, &s->key);
        for (int u = 0; u < s->nw; u++) t_prefetch(C, s->f[u]);
        for (int u = s->nw; u < s->nf; u++) WS_PREFETCH(&S->ub[s->f[u] >> AM_SG_SHIFT]);
        state[i - a] = AM_ST_BOUND;
        nreach++;
    }
    /* the bounds, in a second pass: their table lines were prefetched; a
     * word-cache miss is looked up here and fills the cache entry, so the
     * word's own features are exact and later tokens of the word hit */
    for (uint32_t i = a; nreach && i < b; i++) {
        if (state[i - a] != AM_ST_BOUND) continue;
        ws_am_stok *s = &x->stok[i - a];
        if (s->nw) {
            wc_fill(C, x->fx, s->went, &s->key, s->f, s->nw, s->acc);
            memmove(s->f, s->f + s->nw, (size_t)(s->nf - s->nw) * sizeof *s->f);
            s->nf -= s->nw;
            s->nw = 0;
        }
        int32_t ub = 0;
        for (int u = 0; u < s->nf; u++) ub += S->ub[s->f[u] >> AM_SG_SHIFT];
        int32_t mb = s->acc[WS_CUE_B] - s->acc[WS_CUE_O] + AM_SQ * ub;
        int32_t mi = s->acc[WS_CUE_I] - s->acc[WS_CUE_O] + AM_SQ * ub;
        float *e = emit + (size_t)(i - a) * WS_CUE_NTAGS;
        e[WS_CUE_O] = 0, e[WS_CUE_B] = (float)mb * scale, e[WS_CUE_I] = (float)mi * scale;
        /* a token whose bound is above O will likely be scored: its
         * table slots are fetched while the decoder runs */
        if (mb > 0 || mi > 0)
            for (int u = 0; u < s->nf; u++) t_prefetch(C, s->f[u]);
    }
    x->stats.reach += nreach;
    if (nreach) x->stats.pieces++;
    for (;;) {
        ws_am_viterbi(&w, emit, b - a, x->sc, x->bp, tags);
        if (!nreach) return;
        x->stats.rounds++;
        am_cblk blk;
        blk.n = 0;
        uint32_t nnew = 0;
        for (uint32_t i = a; i < b; i++) {
            if (tags[i - a] == WS_CUE_O || state[i - a] != AM_ST_BOUND) continue;
            score_now(C, &x->stok[i - a], emit + (size_t)(i - a) * WS_CUE_NTAGS, x->fx, &blk);
            state[i - a] = AM_ST_SCORED;
            nnew++;
        }
        cblk_flush(C, x->fx, &blk);
        if (!nnew) return;
        x->stats.scored += nnew;
    }
}

/* ---- loading ---------------------------------------------------------- */

typedef struct rd {
    const unsigned char *p;
    size_t n, off;
    int bad;
} rd;

static uint32_t rd_u32(rd *r) {
    if (r->n - r->off < 4) {
        r->bad = 1;
        return 0;
    }
    const unsigned char *p = r->p + r->off;
    r->off += 4;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static float rd_f32(rd *r) {
    uint32_t u = rd_u32(r);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static size_t table_cap(uint32_t n) {
    size_t cap = 16;
    while (cap < (size_t)n * 2) cap *= 2;
    return cap;
}

static ws_status read_table(rd *r, ws_am_table *t, unsigned char **mem) {
    t->ntags = rd_u32(r);
    uint32_t ne = rd_u32(r);
    t->scale = rd_f32(r);
    WS_RETURN_IF(r->bad || t->ntags < 2 || t->ntags > WS_AM_MAXTAGS, WS_ERR_MODEL);
    WS_RETURN_IF(!isfinite(t->scale), WS_ERR_MODEL);
    for (uint32_t p = 0; p <= t->ntags; p++)
        for (uint32_t q = 0; q < t->ntags; q++) t->trans[p][q] = rd_f32(r);
    WS_RETURN_IF(r->bad || (r->n - r->off) / (4 + 2 * t->ntags) < ne, WS_ERR_MODEL);
    size_t cap = table_cap(ne);
    ws_am_slot *slots = (ws_am_slot *)*mem;
    *mem += cap * sizeof *slots;
    memset(slots, 0, cap * sizeof *slots);
    t->cap = (uint32_t)cap;
    t->slots = slots;
    for (uint32_t e = 0; e < ne; e++) {
        uint32_t key = rd_u32(r);
        WS_RETURN_IF(key >= WS_AM_BUCKETS, WS_ERR_MODEL);
        uint32_t h = am_home(key, (uint32_t)cap);
        while (slots[h].key) {
            WS_RETURN_IF(slots[h].key == key + 1, WS_ERR_MODEL);
            h = (h + 1) & (uint32_t)(cap - 1);
        }
        slots[h].key = key + 1;
        for (uint32_t q = 0; q < t->ntags; q++) {
            const unsigned char *p = r->p + r->off;
            slots[h].w[q] = (int16_t)(uint16_t)(p[0] | p[1] << 8);
            r->off += 2;
        }
    }
    return WS_OK;
}

static ws_status read_cand(rd *r, struct ws_attrib_model *am, unsigned char *mem) {
    uint32_t nc = rd_u32(r);
    WS_RETURN_IF(r->bad || (r->n - r->off) / 4 < nc, WS_ERR_MODEL);
    size_t cap = table_cap(nc);
    uint32_t *set = (uint32_t *)mem;
    memset(set, 0, cap * 4);
    for (uint32_t i = 0; i < nc; i++) {
        uint32_t k = rd_u32(r);
        WS_RETURN_IF(k == 0, WS_ERR_MODEL);
        uint32_t h = am_home(k, (uint32_t)cap);
        while (set[h] && set[h] != k) h = (h + 1) & (uint32_t)(cap - 1);
        set[h] = k;
    }
    am->cand = set;
    am->cand_cap = nc ? (uint32_t)cap : 0;
    return WS_OK;
}

int ws_am_is_cand(const struct ws_attrib_model *m, uint64_t wh) {
    if (!m->cand_cap) return 1;
    uint32_t k = ws_am_word_key(wh), mask = m->cand_cap - 1;
    for (uint32_t h = am_home(k, m->cand_cap);; h = (h + 1) & mask) {
        if (m->cand[h] == k) return 1;
        if (m->cand[h] == 0) return 0;
    }
}

/* Size of the tables a blob needs, from a first pass over its headers. */
static size_t blob_need(const unsigned char *p, size_t n) {
    rd r = {p, n, 8, 0};
    size_t need = 0;
    for (int k = 0; k < 2 && !r.bad; k++) {
        uint32_t nt = rd_u32(&r), ne = rd_u32(&r);
        if (r.bad || nt < 2 || nt > WS_AM_MAXTAGS) return 0;
        size_t skip = 4 + (size_t)(nt + 1) * nt * 4;
        if ((r.n - r.off) / (4 + 2 * nt) < ne || r.n - r.off < skip) return 0;
        r.off += skip + (size_t)ne * (4 + 2 * nt);
        if (r.off > r.n) return 0;
        need += table_cap(ne) * sizeof(ws_am_slot);
    }
    uint32_t nc = rd_u32(&r);
    if (r.bad || (r.n - r.off) / 4 < nc) return 0;
    return need + table_cap(nc) * 4;
}

ws_status ws_attrib_load_bytes(const ws_mem *m, const unsigned char *p,
                               size_t n, struct ws_attrib_model **out) {
    *out = NULL;
    WS_RETURN_IF(n < 8 || memcmp(p, "WSAM", 4) != 0, WS_ERR_MODEL);
    rd r = {p, n, 4, 0};
    WS_RETURN_IF(rd_u32(&r) != 2, WS_ERR_MODEL);
    size_t need = blob_need(p, n);
    WS_RETURN_IF(need == 0, WS_ERR_MODEL);
    struct ws_attrib_model *am = ws_mem_alloc(m, sizeof *am);
    WS_RETURN_IF(!am, WS_ERR_NOMEM);
    memset(am, 0, sizeof *am);
    am->mem_size = need;
    unsigned char *cur = ws_table_alloc(m, need, &am->mem);
    if (!cur) {
        ws_attrib_free(m, am);
        return WS_ERR_NOMEM;
    }
    ws_status st = read_table(&r, &am->cue, &cur);
    if (st == WS_OK) st = read_table(&r, &am->role, &cur);
    if (st == WS_OK && (am->cue.ntags != WS_CUE_NTAGS || am->role.ntags != WS_ROLE_NTAGS))
        st = WS_ERR_MODEL;
    if (st == WS_OK) st = read_cand(&r, am, cur);
    if (st == WS_OK && (r.bad || r.off != r.n)) st = WS_ERR_MODEL;
    if (st == WS_OK) {
        am->fast = ws_mem_alloc(m, sizeof *am->fast);
        if (am->fast) build_fast(am, am->fast);
        else st = WS_ERR_NOMEM;
    }
    if (st == WS_OK) {
        am->screen = ws_mem_alloc(m, sizeof *am->screen);
        if (am->screen) build_screen(&am->cue, am->screen);
        else st = WS_ERR_NOMEM;
    }
    if (st != WS_OK) {
        ws_attrib_free(m, am);
        return st;
    }
    *out = am;
    return WS_OK;
}

ws_status ws_attrib_load(const ws_mem *m, struct ws_attrib_model **out) {
    *out = NULL;
    const ws_blob *b = ws_blob_find("attrib");
    if (!b) return WS_OK; /* no model built in: the stage does nothing */
    return ws_attrib_load_bytes(m, b->data, b->size, out);
}

void ws_attrib_free(const ws_mem *m, struct ws_attrib_model *am) {
    if (!am) return;
    ws_mem_free(m, am->fast, sizeof *am->fast);
    ws_mem_free(m, am->screen, sizeof *am->screen);
    ws_mem_free(m, am->mem, ws_table_alloc_size(am->mem_size));
    ws_mem_free(m, am, sizeof *am);
}

/* ---- the pipeline stage ----------------------------------------------- */

static ws_sp tok_span(const ws_text *t, uint32_t a, uint32_t b) {
    ws_sp s = {t->toks.v[a].start, t->toks.v[b - 1].end};
    return s;
}

/* Turns the role tags of one cue into a statement. */
static ws_status emit_stmt(ws_doc *d, const ws_am_rctx *r, const uint8_t *tags,
                           float conf) {
    const ws_text *t = &d->text;
    ws_stmt s;
    memset(&s, 0, sizeof s);
    s.entity = -1;
    s.origin = WS_ORIGIN_MODEL;
    s.pattern = "model";
    s.cue = tok_span(t, r->cs, r->ce);
    s.cue_tok = r->cs;
    uint32_t best_src = 0, best_len = 0, best_dist = UINT32_MAX;
    for (uint32_t i = r->a; i < r->b;) {
        uint8_t g = tags[i - r->a];
        if (g != WS_ROLE_BS && g != WS_ROLE_BC) {
            i++;
            continue;
        }
        uint32_t j = i + 1;
        while (j < r->b && tags[j - r->a] == g + 1) j++;
        if (g == WS_ROLE_BC && s.n_content < WS_MAX_SEGMENTS) {
            s.content[s.n_content++] = tok_span(t, i, j);
        } else if (g == WS_ROLE_BS) {
            uint32_t dist = i < r->cs ? r->cs - j : i - r->ce;
            if (dist < best_dist) best_dist = dist, best_src = i, best_len = j - i;
        }
        i = j;
    }
    if (s.n_content == 0) return WS_OK;
    if (best_len) {
        s.source = tok_span(t, best_src, best_src + best_len);
        s.src_tok_start = best_src;
        s.src_tok_end = best_src + best_len;
    }
    s.score = conf;
    return WS_VEC_PUSH(&d->arena, d->stmts, s) ? WS_ERR_NOMEM : WS_OK;
}

static ws_status tag_roles(const struct ws_attrib_model *m, ws_doc *d,
                           const ws_am_toks *k, uint32_t cs, uint32_t ce,
                           float conf, ws_am_scratch *x) {
    ws_am_rctx r;
    ws_am_rctx_init(&d->text, k, cs, ce, x->pre, &r);
    ws_am_weights w = {WS_ROLE_NTAGS, NULL, &m->role, NULL};
    if (x->fx) {
        role_emit_fast(m, &d->text, k, &r, x->fx, x->emit2);
    } else {
        am_blk blk;
        blk.n = 0;
        for (uint32_t i = r.a; i < r.b; i++) {
            blk.nf[blk.n] = ws_am_role_feats(&d->text, k, &r, i, blk.f[blk.n]);
            blk.out[blk.n++] = x->emit2 + (size_t)(i - r.a) * WS_ROLE_NTAGS;
            if (blk.n == AM_BLK) blk_flush(&w, &blk);
        }
        blk_flush(&w, &blk);
    }
    ws_am_viterbi(&w, x->emit2, r.b - r.a, x->sc, x->bp, x->tags2);
    return emit_stmt(d, &r, x->tags2, conf);
}

/* Confidence of a cue: a logistic squash of the B-CUE margin over O. The
 * scale makes the margins of the shipped model spread over 0..1. */
static float cue_confidence(const float *e) {
    float margin = e[WS_CUE_B] - e[WS_CUE_O];
    return 1.0f / (1.0f + expf(-margin / WS_AM_CONF_SCALE));
}

static int sent_has_quote(const ws_text *t, const ws_sentence *s) {
    for (uint32_t i = s->tok_start; i < s->tok_end; i++)
        if (t->toks.v[i].qdepth) return 1;
    return 0;
}

static int covered(const uint8_t *ruled, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++)
        if (ruled[i]) return 1;
    return 0;
}

/* Marks the cue tokens of rule statements that have a source. A model cue
 * on them would lose to the rule in ws_attrib_finish() (same cue, and no
 * source to lend), so its roles need not be tagged. */
static ws_status mark_ruled(ws_doc *d, uint8_t **out) {
    const ws_text *t = &d->text;
    uint8_t *r = ws_arena_calloc(&d->arena, t->toks.n + 1);
    WS_RETURN_IF(!r, WS_ERR_NOMEM);
    for (size_t si = 0; si < d->stmts.n; si++) {
        const ws_stmt *s = &d->stmts.v[si];
        if (s->origin != WS_ORIGIN_RULE || s->source.end == s->source.start) continue;
        for (size_t i = ws_tok_after(t, s->cue.start); i < t->toks.n && t->toks.v[i].start < s->cue.end; i++) r[i] = 1;
    }
    *out = r;
    return WS_OK;
}

/* Tags the roles of each cue of the sentence piece [a, b) (its cue tags
 * in x->tags, their emissions in x->emit). */
static ws_status tag_cues_roles(const struct ws_attrib_model *m, ws_doc *d,
                                const ws_am_toks *k, uint32_t a, uint32_t b,
                                ws_am_scratch *x) {
    const uint8_t *tags = x->tags;
    for (uint32_t i = a; i < b; i++) {
        if (tags[i - a] != WS_CUE_B) continue;
        uint32_t j = i + 1;
        while (j < b && tags[j - a] == WS_CUE_I) j++;
        if (covered(x->ruled, i, j)) continue; /* merge would keep the rule's */
        WS_FORWARD_IF_ERROR(tag_roles(m, d, k, i, j, cue_confidence(x->emit + (size_t)(i - a) * WS_CUE_NTAGS), x));
    }
    return WS_OK;
}

/* Tags the cues of one sentence, then the roles of each cue found. */
static ws_status tag_sentence(const struct ws_attrib_model *m, ws_doc *d,
                              const ws_am_toks *k, const ws_sentence *s,
                              ws_am_scratch *x) {
    float *emit = x->emit;
    uint8_t *tags = x->tags;
    uint32_t a = s->tok_start, b = s->tok_end;
    ws_am_weights w = {WS_CUE_NTAGS, NULL, &m->cue, NULL};
    int hq = sent_has_quote(&d->text, s);
    if (x->fx && m->screen) {
        cue_tag_screened(m, k, a, b, hq, x);
        return tag_cues_roles(m, d, k, a, b, x);
    }
    uint32_t last = UINT32_MAX;
    am_blk blk;
    am_cblk cblk;
    blk.n = cblk.n = 0;
    for (uint32_t i = a; i < b; i++) {
        float *e = emit + (size_t)(i - a) * WS_CUE_NTAGS;
        if (ws_am_is_cand(m, k->wh[i])) last = i;
        if (last == UINT32_MAX || i - last >= WS_AM_CUE_REACH) {
            e[WS_CUE_O] = 0, e[WS_CUE_B] = e[WS_CUE_I] = -1e9f;
            continue;
        }
        if (x->fx) {
            cue_queue_fast(m, k, a, b, i, hq, x->fx, &cblk, e);
            if (cblk.n == AM_BLK) cblk_flush(&m->cue, x->fx, &cblk);
            continue;
        }
        blk.nf[blk.n] = ws_am_cue_feats(k, a, b, i, hq, blk.f[blk.n]);
        blk.out[blk.n++] = e;
        if (blk.n == AM_BLK) blk_flush(&w, &blk);
    }
    if (x->fx) cblk_flush(&m->cue, x->fx, &cblk);
    blk_flush(&w, &blk);
    ws_am_viterbi(&w, emit, b - a, x->sc, x->bp, tags);
    return tag_cues_roles(m, d, k, a, b, x);
}

ws_status ws_am_scratch_init(ws_arena *a, ws_am_scratch *x) {
    size_t n = WS_AM_MAXSENT;
    x->emit = ws_arena_alloc(a, n * WS_CUE_NTAGS * sizeof *x->emit);
    x->emit2 = ws_arena_alloc(a, WS_AM_RWIN * WS_ROLE_NTAGS * sizeof *x->emit2);
    x->sc = ws_arena_alloc(a, n * WS_AM_MAXTAGS * sizeof *x->sc);
    x->bp = ws_arena_alloc(a, n * WS_AM_MAXTAGS);
    x->tags = ws_arena_alloc(a, n);
    x->tags2 = ws_arena_alloc(a, WS_AM_RWIN);
    x->pre = ws_arena_alloc(a, 3 * (WS_AM_RWIN + 1) * sizeof *x->pre);
    x->fx = NULL; /* fast_init() sets it */
    x->stok = ws_arena_alloc(a, n * sizeof *x->stok);
    x->sstate = ws_arena_alloc(a, n);
    memset(&x->stats, 0, sizeof x->stats);
    WS_RETURN_IF(!x->emit || !x->emit2 || !x->sc || !x->bp || !x->tags ||
                     !x->tags2 || !x->pre || !x->stok || !x->sstate,
                 WS_ERR_NOMEM);
    return WS_OK;
}

/* Sets up the fast scoring for doc d when the model has its tables and
 * every POS id is in range (x->fx stays NULL otherwise). */
static ws_status fast_init(const struct ws_attrib_model *m, ws_doc *d,
                           const ws_am_toks *k, ws_am_scratch *x) {
    x->fx = NULL;
    if (!m->fast) return WS_OK;
    for (uint32_t i = 0; i < k->n; i++)
        if (k->pos[i] >= NP) return WS_OK;
    struct ws_am_fx *fx = ws_arena_alloc(&d->arena, sizeof *fx);
    WS_RETURN_IF(!fx, WS_ERR_NOMEM);
    memset(fx->tc_tok, 0, sizeof fx->tc_tok);
    if (d->cache && d->cache->cue && d->cache->cue->m == m) { /* the caller's */
        fx->wc = d->cache->cue->wc;
        fx->wc_mask = AM_WC_CACHE - 1;
        fx->rwc = d->cache->cue->rwc;
        fx->rwc_mask = AM_RWC_CACHE - 1;
    } else {
        fx->wc = ws_arena_alloc(&d->arena, AM_WC * sizeof *fx->wc);
        fx->rwc = ws_arena_alloc(&d->arena, AM_RWC * sizeof *fx->rwc);
        WS_RETURN_IF(!fx->wc || !fx->rwc, WS_ERR_NOMEM);
        fx->wc_mask = AM_WC - 1;
        fx->rwc_mask = AM_RWC - 1;
        for (uint32_t e = 0; e < AM_WC; e++) fx->wc[e].ok = 0;
        for (uint32_t e = 0; e < AM_RWC; e++) fx->rwc[e].ok = 0;
    }
    x->fx = fx;
    return WS_OK;
}

/* A sentence longer than WS_AM_MAXSENT tokens is tagged in pieces. */
ws_status ws_attrib_model_run(const struct ws_attrib_model *m, ws_doc *d) {
    if (!m || d->text.toks.n == 0) return WS_OK;
    ws_am_toks k;
    ws_am_scratch x;
    WS_FORWARD_IF_ERROR(ws_am_toks_build(&d->arena, &d->text, &k));
    WS_FORWARD_IF_ERROR(ws_am_scratch_init(&d->arena, &x));
    WS_FORWARD_IF_ERROR(mark_ruled(d, &x.ruled));
    WS_FORWARD_IF_ERROR(fast_init(m, d, &k, &x));
    for (size_t si = 0; si < d->text.sents.n; si++) {
        ws_sentence s = d->text.sents.v[si];
        uint32_t end = s.tok_end;
        for (uint32_t a = s.tok_start; a < end; a += WS_AM_MAXSENT) {
            s.tok_start = a;
            s.tok_end = end - a > WS_AM_MAXSENT ? a + WS_AM_MAXSENT : end;
            WS_FORWARD_IF_ERROR(tag_sentence(m, d, &k, &s, &x));
        }
    }
    return WS_OK;
}

/* ---- self-check of the fast scoring ---------------------------------- */

static long diff_emit(const float *a, const float *b, uint32_t nt) {
    return memcmp(a, b, nt * sizeof *a) != 0;
}

long ws_am_fast_check(const struct ws_attrib_model *m, ws_doc *d, uint32_t step) {
    if (!m || !m->fast || d->text.toks.n == 0) return -1;
    const ws_text *t = &d->text;
    ws_am_toks k;
    ws_am_scratch x;
    if (ws_am_toks_build(&d->arena, t, &k) != WS_OK ||
        ws_am_scratch_init(&d->arena, &x) != WS_OK ||
        fast_init(m, d, &k, &x) != WS_OK || !x.fx)
        return -1;
    ws_am_weights wc = {WS_CUE_NTAGS, NULL, &m->cue, NULL};
    ws_am_weights wr = {WS_ROLE_NTAGS, NULL, &m->role, NULL};
    uint32_t f[WS_AM_MAXF];
    float ref[WS_AM_MAXTAGS];
    long bad = 0;
    for (size_t si = 0; si < t->sents.n; si++) {
        const ws_sentence *s = &t->sents.v[si];
        int hq = sent_has_quote(t, s);
        for (uint32_t a = s->tok_start; a < s->tok_end; a += WS_AM_MAXSENT) {
            uint32_t b = s->tok_end - a > WS_AM_MAXSENT ? a + WS_AM_MAXSENT : s->tok_end;
            am_cblk cb;
            cb.n = 0;
            for (uint32_t i = a; i < b; i++) {
                cue_queue_fast(m, &k, a, b, i, hq, x.fx, &cb, x.emit + (size_t)(i - a) * WS_CUE_NTAGS);
                if (cb.n == AM_BLK) cblk_flush(&m->cue, x.fx, &cb);
            }
            cblk_flush(&m->cue, x.fx, &cb);
            for (uint32_t i = a; i < b; i++) {
                ws_am_score(&wc, f, ws_am_cue_feats(&k, a, b, i, hq, f), ref);
                bad += diff_emit(ref, x.emit + (size_t)(i - a) * WS_CUE_NTAGS, WS_CUE_NTAGS);
            }
        }
    }
    if (step == 0) step = 1;
    for (uint32_t cs = 0; cs < k.n; cs += step) {
        uint32_t send = t->sents.v[t->toks.v[cs].sent].tok_end;
        uint32_t ce = cs + 1 + cs % 3;
        if (ce > send) ce = send;
        ws_am_rctx r;
        ws_am_rctx_init(t, &k, cs, ce, x.pre, &r);
        role_emit_fast(m, t, &k, &r, x.fx, x.emit2);
        for (uint32_t i = r.a; i < r.b; i++) {
            ws_am_score(&wr, f, ws_am_role_feats(t, &k, &r, i, f), ref);
            bad += diff_emit(ref, x.emit2 + (size_t)(i - r.a) * WS_ROLE_NTAGS, WS_ROLE_NTAGS);
        }
    }
    return bad;
}

long ws_am_screen_check(const struct ws_attrib_model *m, ws_doc *d,
                        ws_am_screen_stats *st) {
    if (!m || !m->fast || !m->screen || d->text.toks.n == 0) return -1;
    const ws_text *t = &d->text;
    ws_am_toks k;
    ws_am_scratch x, xr; /* screened; reference, with its own caches, so
                          * that the screened run's word cache evolves as
                          * in ws_attrib_model_run and its counts are those */
    if (ws_am_toks_build(&d->arena, t, &k) != WS_OK ||
        ws_am_scratch_init(&d->arena, &x) != WS_OK ||
        fast_init(m, d, &k, &x) != WS_OK || !x.fx ||
        ws_am_scratch_init(&d->arena, &xr) != WS_OK ||
        fast_init(m, d, &k, &xr) != WS_OK || !xr.fx)
        return -1;
    float *ref = xr.emit;
    uint8_t *rtags = xr.tags;
    ws_am_weights wc = {WS_CUE_NTAGS, NULL, &m->cue, NULL};
    long bad = 0;
    for (size_t si = 0; si < t->sents.n; si++) {
        const ws_sentence *s = &t->sents.v[si];
        int hq = sent_has_quote(t, s);
        for (uint32_t a = s->tok_start; a < s->tok_end; a += WS_AM_MAXSENT) {
            uint32_t b = s->tok_end - a > WS_AM_MAXSENT ? a + WS_AM_MAXSENT : s->tok_end;
            /* every token within reach scored fully, as without the screen */
            am_cblk cb;
            cb.n = 0;
            uint32_t last = UINT32_MAX;
            for (uint32_t i = a; i < b; i++) {
                float *e = ref + (size_t)(i - a) * WS_CUE_NTAGS;
                if (ws_am_is_cand(m, k.wh[i])) last = i;
                if (last == UINT32_MAX || i - last >= WS_AM_CUE_REACH) {
                    e[WS_CUE_O] = 0, e[WS_CUE_B] = e[WS_CUE_I] = -1e9f;
                    continue;
                }
                cue_queue_fast(m, &k, a, b, i, hq, xr.fx, &cb, e);
                if (cb.n == AM_BLK) cblk_flush(&m->cue, xr.fx, &cb);
            }
            cblk_flush(&m->cue, xr.fx, &cb);
            ws_am_viterbi(&wc, ref, b - a, xr.sc, xr.bp, rtags);
            cue_tag_screened(m, &k, a, b, hq, &x);
            for (uint32_t i = a; i < b; i++) {
                bad += rtags[i - a] != x.tags[i - a];
                if (rtags[i - a] == WS_CUE_B)
                    bad += diff_emit(ref + (size_t)(i - a) * WS_CUE_NTAGS,
                                     x.emit + (size_t)(i - a) * WS_CUE_NTAGS, WS_CUE_NTAGS);
            }
        }
    }
    st->reach += x.stats.reach;
    st->scored += x.stats.scored;
    st->rounds += x.stats.rounds;
    st->pieces += x.stats.pieces;
    return bad;
}

ws_status ws_attrib_model(const ws_engine *e, ws_doc *d) {
    return ws_attrib_model_run(e->models->attrib, d);
}
