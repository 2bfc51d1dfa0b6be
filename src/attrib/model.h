/*
 * model.h - the trained attribution tagger (internal, shared with
 * tools/train_attrib.c).
 *
 * Two linear-chain taggers, trained as averaged structured perceptrons and
 * decoded with Viterbi:
 *   cue tagger:  per sentence, tags O / B-CUE / I-CUE;
 *   role tagger: per cue, over a window (the cue's paragraph, capped), tags
 *                O / B-SRC / I-SRC / B-CON / I-CON with features relative
 *                to the cue.
 * Features are hashed into WS_AM_BITS-bit buckets. The model file keeps
 * only buckets with a non-zero weight, as int16 with one scale per tagger.
 */
#ifndef WS_ATTRIB_MODEL_H
#define WS_ATTRIB_MODEL_H

#include "../doc.h"

#define WS_AM_BITS 22
#define WS_AM_BUCKETS (1u << WS_AM_BITS)
#define WS_AM_MAXF 40      /* features per token, at most */
#define WS_AM_MAXTAGS 5
#define WS_AM_WINDOW 70    /* role window: tokens on each side of the cue */
#define WS_AM_MAXCUE 8     /* cue tokens, at most */
#ifndef WS_AM_CUE_REACH
#define WS_AM_CUE_REACH 8  /* tokens after a candidate word the cue tagger scores */
#endif
#define WS_AM_RWIN (2 * WS_AM_WINDOW + WS_AM_MAXCUE)
#define WS_AM_MAXSENT 2048 /* longer sentences are tagged in pieces */
#define WS_AM_CONF_SCALE 20.0f /* margin that maps to confidence 0.73 */

enum { WS_CUE_O = 0, WS_CUE_B = 1, WS_CUE_I = 2, WS_CUE_NTAGS = 3 };
enum {
    WS_ROLE_O = 0,
    WS_ROLE_BS = 1,
    WS_ROLE_IS = 2,
    WS_ROLE_BC = 3,
    WS_ROLE_IC = 4,
    WS_ROLE_NTAGS = 5
};

/* Per-document token views the features read (built once per doc). */
typedef struct ws_am_toks {
    uint32_t n;
    uint64_t *wh;    /* hash of the lowercased form */
    uint64_t *suf;   /* hash of the last 3 bytes of the lowercased form */
    uint8_t *shape;  /* ws_am_shape */
    uint8_t *pos;    /* POS id */
    uint8_t *qin;    /* inside a quotation */
    uint8_t *cls;    /* coarse class: verb, comma, quote mark, ... */
} ws_am_toks;

ws_status ws_am_toks_build(ws_arena *a, const ws_text *t, ws_am_toks *out);

/* Feature extraction: writes bucket ids into f, returns the count. */
int ws_am_cue_feats(const ws_am_toks *k, uint32_t a, uint32_t b, uint32_t i,
                    int has_quote, uint32_t *f);

/* Role context: the cue and its window, with prefix counts. */
typedef struct ws_am_rctx {
    uint32_t cs, ce;  /* cue tokens [cs, ce) */
    uint32_t a, b;    /* window [a, b) */
    uint32_t cue_sent;
    uint64_t cue_wh;  /* hash of the cue's head word */
    uint32_t *commas; /* prefix counts over the window, b - a + 1 each */
    uint32_t *verbs;
    uint32_t *qmarks;
} ws_am_rctx;

/* pre: scratch for 3 * (WS_AM_RWIN + 1) prefix counts. */
void ws_am_rctx_init(const ws_text *t, const ws_am_toks *k, uint32_t cs,
                     uint32_t ce, uint32_t *pre, ws_am_rctx *r);
int ws_am_role_feats(const ws_text *t, const ws_am_toks *k,
                     const ws_am_rctx *r, uint32_t i, uint32_t *f);

/* Weights: a dense float view (training) or the sparse int16 table. */
/* One slot of the open-addressing table: key and weights in 16 bytes, so a
 * lookup touches one cache line. */
typedef struct ws_am_slot {
    uint32_t key; /* bucket id + 1, 0 = empty */
    int16_t w[WS_AM_MAXTAGS];
    int16_t pad;
} ws_am_slot;

typedef struct ws_am_table {
    uint32_t ntags;
    uint32_t cap;            /* power of two */
    const ws_am_slot *slots; /* cap slots */
    float scale;
    float trans[WS_AM_MAXTAGS + 1][WS_AM_MAXTAGS]; /* [prev or start][tag] */
} ws_am_table;

typedef struct ws_am_weights {
    uint32_t ntags;
    const float *dense;       /* WS_AM_BUCKETS * ntags, or NULL */
    const ws_am_table *table; /* used when dense is NULL */
    const float *trans;       /* [ntags + 1][WS_AM_MAXTAGS] when dense */
} ws_am_weights;

/* Scores of every tag for one token's features. */
void ws_am_score(const ws_am_weights *w, const uint32_t *f, int nf,
                 float *out);
float ws_am_trans(const ws_am_weights *w, int prev, int tag);

/*
 * Viterbi over n positions; emit[i * ntags + tag], under the BIO constraint
 * (an I tag follows its B or I). sc and bp are scratch of n * ntags.
 */
void ws_am_viterbi(const ws_am_weights *w, const float *emit, uint32_t n,
                   float *sc, uint8_t *bp, uint8_t *tags);

/* Counts of the screened cue scoring (model.c, "screened cue scoring"). */
typedef struct ws_am_screen_stats {
    uint64_t reach;   /* tokens within reach of a cue candidate */
    uint64_t scored;  /* of those, fully scored (all their features) */
    uint64_t rounds;  /* Viterbi runs over sentence pieces with such tokens */
    uint64_t pieces;  /* sentence pieces with such tokens */
} ws_am_screen_stats;

/* Per-document scratch, reused for every sentence and cue. */
typedef struct ws_am_scratch {
    float *emit, *emit2, *sc;
    uint8_t *bp, *tags, *tags2;
    uint32_t *pre;
    uint8_t *ruled; /* per token: inside the cue of a rule statement */
    struct ws_am_fx *fx; /* caches of the fast scoring (model.c) */
    /* Screened cue scoring (model.c, "screened cue scoring"): per token of
     * a sentence piece, its split features and state; and counts. */
    struct ws_am_stok *stok;
    uint8_t *sstate;
    ws_am_screen_stats stats;
} ws_am_scratch;
ws_status ws_am_scratch_init(ws_arena *a, ws_am_scratch *x);

/* Word hash as the candidate set keys it (never 0). */
static inline uint32_t ws_am_word_key(uint64_t wh) {
    uint32_t k = (uint32_t)(wh >> 32);
    return k ? k : 1;
}

struct ws_attrib_model {
    ws_am_table cue, role;
    /* Words that ever start or continue a cue often enough in training: the
     * cue tagger scores only these and the few tokens after them. */
    const uint32_t *cand; /* open addressing, 0 = empty */
    uint32_t cand_cap;    /* power of two, or 0: every token is scored */
    void *mem; /* owned allocation for keys and weights (ws_table_alloc) */
    size_t mem_size;
    /* Sums of the features over small domains (POS, direction, distance,
     * counts), built at load time for the fast scoring (model.c). */
    struct ws_am_fast *fast;
    /* Upper bounds of the cue weights' B and I margins over O, by groups of
     * feature ids, for the screened cue scoring (model.c); NULL: none. */
    struct ws_am_screen *screen;
};

/* Is this word (hash of its lowercased form) a cue candidate? */
int ws_am_is_cand(const struct ws_attrib_model *m, uint64_t wh);

/* Parses a model blob (format in model.c). */
ws_status ws_attrib_load_bytes(const ws_mem *m, const unsigned char *p,
                               size_t n, struct ws_attrib_model **out);

/*
 * Checks the fast scoring against the definition (ws_am_cue_feats,
 * ws_am_role_feats, ws_am_score) on a prepared doc: the cue emissions of
 * every token of every sentence, and the role emissions of the window of a
 * cue put at every `step`-th token (and at the few cues tagged). Returns the
 * number of emissions that differ in any bit (0 = identical), or -1 when out
 * of memory or when the doc has no fast path.
 */
long ws_am_fast_check(const struct ws_attrib_model *m, ws_doc *d, uint32_t step);

/*
 * Checks the screened cue scoring against the full one on a prepared doc:
 * every sentence piece is tagged both ways (the fast scoring of every
 * token within reach, then the screened one as ws_attrib_model_run does,
 * each with its own caches). Returns the number of tokens
 * whose cue tag differs plus the number of B-CUE tokens whose emissions
 * differ in any bit (0 = identical), or -1 when out of memory or when the
 * doc has no fast path or the model no screen. Adds the screened run's
 * counts to *st.
 */
long ws_am_screen_check(const struct ws_attrib_model *m, ws_doc *d,
                        ws_am_screen_stats *st);

/* Runs both taggers on a prepared doc and appends MODEL statements. */
ws_status ws_attrib_model_run(const struct ws_attrib_model *m, ws_doc *d);

#endif
