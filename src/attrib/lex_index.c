/*
 * lex_index.c - the engine's index of every attribution word list, and the
 * per-document lookup of each token in it (lex_index.h).
 *
 * The index is a fixed block: LEX_ENTS entries, an open-addressing table
 * of LEX_SLOTS packed 64-bit slots (about half full) and a pool holding the
 * words' bytes, keyed by the FNV-1a hash of the word that the text layer
 * also keeps for every token. Built once by ws_engine_new() (about 2,000
 * words), read-only afterwards.
 */
#include "lex_index.h"

#define LEX_ENTS 2800u   /* entries, the empty one included */
#define LEX_SLOTS 4096u  /* power of two; entry numbers fit 12 bits */
#define LEX_POOL 32768u  /* bytes of words; offsets fit 16 bits */
#define LEX_MAX_WORD 63  /* longer lowercase forms are in no list (6 bits) */

#define SLOT_ID(v) ((uint16_t)((v) & 0xFFFu))
#define SLOT_OFF(v) ((uint32_t)((v) >> 12) & 0xFFFFu)
#define SLOT_LEN(v) ((uint32_t)((v) >> 28) & 0x3Fu)
#define SLOT_TAG(v) ((v) >> 34)

struct ws_lexb {
    ws_lexidx *x;
};

static size_t block_size(void) {
    return sizeof(ws_lexidx) + LEX_ENTS * sizeof(ws_lexent) +
           LEX_SLOTS * sizeof(uint64_t) + LEX_POOL;
}

/* Number of the entry of word w (hash h), 0 when there is none. */
static inline uint16_t probe_id(const ws_lexidx *x, uint64_t h, const char *w,
                                size_t len) {
    uint32_t i = (uint32_t)h & x->mask;
    for (uint64_t v; (v = x->slot[i]) != 0; i = (i + 1) & x->mask) {
        if (SLOT_TAG(v) != h >> 34 || SLOT_LEN(v) != len) continue;
        const char *p = x->pool + SLOT_OFF(v);
        size_t k = 0; /* the words are short: no memcmp call */
        while (k < len && p[k] == w[k]) k++;
        if (k == len) return SLOT_ID(v);
    }
    return 0;
}

static const ws_lexent *probe(const ws_lexidx *x, uint64_t h, const char *w,
                              size_t len) {
    return &x->ents[probe_id(x, h, w, len)];
}

ws_lexent *ws_lexb_get(ws_lexb *b, const char *w) {
    ws_lexidx *x = b->x;
    size_t len = strlen(w);
    uint64_t h = ws_hash_bytes(WS_HASH_SEED, w, len);
    if (len > LEX_MAX_WORD) return NULL;
    const ws_lexent *e = probe(x, h, w, len);
    if (e != &x->ents[0]) return (ws_lexent *)e;
    if (x->n >= x->cap || x->pool_cap - x->pool_n <= len) return NULL;
    uint32_t i = (uint32_t)h & x->mask;
    while (x->slot[i]) i = (i + 1) & x->mask;
    uint32_t off = x->pool_n;
    memcpy(x->pool + off, w, len + 1);
    x->pool_n += (uint32_t)len + 1;
    ws_lexent *ne = &x->ents[x->n];
    memset(ne, 0, sizeof *ne);
    ne->h = h;
    ne->w = x->pool + off;
    ne->len = (uint32_t)len;
    x->slot[i] = (uint64_t)x->n | (uint64_t)off << 12 | (uint64_t)len << 28 |
                 (h >> 34) << 34;
    x->n++;
    return ne;
}

/* Lays the index out in the zeroed block and fills it. */
static int build(void *block) {
    ws_lexidx *x = block;
    x->ents = (ws_lexent *)(x + 1);
    x->slot = (uint64_t *)(x->ents + LEX_ENTS);
    x->pool = (char *)(x->slot + LEX_SLOTS);
    x->cap = LEX_ENTS;
    x->mask = LEX_SLOTS - 1;
    x->pool_cap = LEX_POOL;
    x->n = 1; /* ents[0]: the empty entry */
    ws_lexb b = {x};
    return ws_lex_cues_fill(&b) || ws_lex_people_fill(&b) ||
           ws_rules_lex_fill(&b) || ws_coref_lex_fill(&b);
}

ws_lexidx *ws_lexidx_new(const ws_mem *mem) {
    size_t n = block_size();
    void *p = ws_mem_alloc(mem, n);
    if (!p) return NULL;
    memset(p, 0, n);
    if (build(p)) {
        ws_mem_free(mem, p, n);
        return NULL;
    }
    return p;
}

void ws_lexidx_free(const ws_mem *mem, ws_lexidx *x) {
    if (x) ws_mem_free(mem, x, block_size());
}

const ws_lexent *ws_lexidx_find(const ws_lexidx *x, const char *w, size_t len) {
    if (len > LEX_MAX_WORD) return &x->ents[0];
    return probe(x, ws_hash_bytes(WS_HASH_SEED, w, len), w, len);
}

ws_status ws_lex_doc(ws_doc *d) {
    ws_text *t = &d->text;
    if (t->lex_id) return WS_OK;
    const ws_lexidx *x = d->engine ? d->engine->lex : NULL;
    if (!x) { /* an engine made by hand: a private index for this document */
        void *p = ws_arena_calloc(&d->arena, block_size());
        WS_RETURN_IF(!p, WS_ERR_NOMEM);
        WS_RETURN_IF(build(p), WS_ERR_NOMEM);
        x = p;
    }
    uint32_t n = (uint32_t)t->toks.n;
    uint16_t *id = ws_arena_alloc(&d->arena, ((size_t)n + 1) * sizeof *id);
    WS_RETURN_IF(!id, WS_ERR_NOMEM);
    for (uint32_t i = 0; i < n; i++) {
        /* the slot table is out of cache after the taggers: fetch ahead */
        if (t->low_hash && i + 8 < n)
            WS_PREFETCH(&x->slot[(uint32_t)t->low_hash[i + 8] & x->mask]);
        if (t->low_hash) {
            uint32_t o = t->low_off[i], len = t->low_off[i + 1] - o - 1;
            id[i] = len > LEX_MAX_WORD ? 0
                                       : probe_id(x, t->low_hash[i], t->low + o, len);
        } else { /* no lowercase view (a document near 4 GiB) */
            char buf[LEX_MAX_WORD + 2];
            size_t len = ws_tok_lower(t, i, buf, sizeof buf);
            /* a cut form is in no list */
            id[i] = len > LEX_MAX_WORD ? 0
                                       : probe_id(x, ws_hash_bytes(WS_HASH_SEED, buf, len),
                                                  buf, len);
        }
    }
    id[n] = 0;
    t->lex = x;
    t->lex_id = id;
    return WS_OK;
}
