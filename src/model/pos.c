/*
 * pos.c - part-of-speech tagger: tag table, feature extraction (shared with
 * tools/train_pos.c), model loading and greedy tagging of a ws_doc.
 *
 * A token is first reduced to hashes of its lowercased form, shape,
 * prefixes and suffixes (ws_pos_tok). Features combine those hashes of the
 * token and its neighbours with the two previous predicted tags; each
 * feature hash selects its (tag, weight) pairs in an open-addressing table
 * built at load time (up to 4 pairs inline in the 16-byte slot, more in a
 * dense row). Frequent unambiguous words take their tag from a dictionary
 * and skip the features. Scores are int32 sums of the int16 weights, so
 * tagging allocates nothing and is deterministic.
 */
#include "pos.h"

#include "../doc.h"
#include "blobs.h"
#include "models.h"

#include <utf8proc.h>

/* ---- Tag table ---- */

static const char *const tag_names[WS_POS_NTAGS] = {
    "",    "NN",  "NNS", "NNP", "NNPS", "VB",  "VBD",   "VBG",   "VBN",
    "VBP", "VBZ", "PRP", "PRP$", "DT",  "IN",  "JJ",    "RB",    "CC",
    "MD",  "TO",  "POS", "WP",  "WDT",  "CD",  "JJR",   "JJS",   "RBR",
    "RBS", "RP",  "EX",  "PDT", "UH",   "WRB", "WP$",   "FW",    "SYM",
    "LS",  "``",  "''",  ",",   ".",    ":",   "-LRB-", "-RRB-", "HYPH",
    "NFP", "ADD", "GW",  "XX",  "AFX",  "$",   "#"};

const char *ws_pos_name(unsigned id) {
    return id < WS_POS_NTAGS ? tag_names[id] : "";
}

unsigned ws_pos_id(const char *name) {
    if (!name || !*name) return 0;
    for (unsigned i = 1; i < WS_POS_NTAGS; i++)
        if (strcmp(tag_names[i], name) == 0) return i;
    return 0;
}

/* ---- Lowercasing ---- */

static size_t put_cp(utf8proc_int32_t cp, char *buf, size_t o, size_t cap) {
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, tmp);
    if (k <= 0 || o + (size_t)k >= cap) return 0;
    memcpy(buf + o, tmp, (size_t)k);
    return (size_t)k;
}

size_t ws_pos_lower(const char *s, size_t n, char *buf, size_t cap) {
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if (o + 1 >= cap) break;
            buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* invalid byte: kept as is */
            if (o + 1 >= cap) break;
            buf[o++] = (char)c;
            i++;
            continue;
        }
        cp = (cp == 0x2019 || cp == 0x2018) ? '\'' : utf8proc_tolower(cp);
        size_t w = put_cp(cp, buf, o, cap);
        if (!w) break;
        o += w;
        i += (size_t)k;
    }
    if (cap) buf[o] = 0;
    return o;
}

/* ---- Quote marks ---- */

/* 1 = opening mark, 2 = closing mark, 3 = neutral, 0 = not a mark. */
static int quote_class(utf8proc_int32_t cp) {
    switch (cp) {
    case 0x201C: case 0x2018: case 0xAB: case 0x201E: case 0x2039: case '`':
        return 1;
    case 0x201D: case 0x2019: case 0xBB: case 0x203A:
        return 2;
    case '"': case '\'':
        return 3;
    }
    return 0;
}

const char *ws_pos_quote_form(const char *s, size_t n, int open,
                              int space_before) {
    const unsigned char *u = (const unsigned char *)s;
    int first = 0, count = 0, apos = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        int c = k > 0 ? quote_class(cp) : 0;
        if (!c || ++count > 2) return NULL;
        if (!first) first = c;
        apos = (cp == '\'' || cp == 0x2019);
        i += (size_t)k;
    }
    if (!count) return NULL;
    if (open >= 0) return open ? "``" : "''";
    if (count == 1 && apos) return NULL;
    if (first == 1) return "``";
    if (first == 2) return "''";
    return space_before ? "``" : "''";
}

/* ---- Token reduction ---- */

#define FNV_PRIME 1099511628211ULL

/* Character class for the shape: 'X', 'x', 'd', the ASCII char, or 'u'. */
static char shape_class(const unsigned char *u, size_t n, size_t *adv,
                        uint32_t *flags) {
    unsigned char c = u[0];
    *adv = 1;
    if (c >= 'A' && c <= 'Z') return *flags |= WS_POS_F_ALPHA, 'X';
    if (c >= 'a' && c <= 'z') return *flags |= WS_POS_F_ALPHA, 'x';
    if (c >= '0' && c <= '9') return *flags |= WS_POS_F_DIGIT, 'd';
    if (c < 0x80) {
        if (c == '-') *flags |= WS_POS_F_HYPHEN;
        return (char)c;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(u, (utf8proc_ssize_t)n, &cp);
    if (k <= 0) return 'u';
    *adv = (size_t)k;
    if (utf8proc_isupper(cp)) return *flags |= WS_POS_F_ALPHA, 'X';
    if (utf8proc_islower(cp)) return *flags |= WS_POS_F_ALPHA, 'x';
    if (cp == 0x2013 || cp == 0x2014) return '-';
    return 'u';
}

/* Shape hash of the raw bytes with runs cut at 2; sets the flags. */
static uint64_t shape_of(const char *s, size_t n, uint32_t *flags) {
    const unsigned char *u = (const unsigned char *)s;
    uint64_t h = WS_HASH_SEED;
    char prev = 0;
    int run = 0, letters = 0, uppers = 0, len = 0;
    for (size_t i = 0, adv; i < n && len < 16; i += adv) {
        char c = shape_class(u + i, n - i, &adv, flags);
        if (c == 'X' || c == 'x') letters++, uppers += c == 'X';
        if (i == 0 && c == 'X') *flags |= WS_POS_F_CAP;
        run = c == prev ? run + 1 : 1;
        prev = c;
        if (run > 2) continue;
        h = (h ^ (unsigned char)c) * FNV_PRIME;
        len++;
    }
    if (letters >= 2 && uppers == letters) *flags |= WS_POS_F_ALLCAPS;
    if (!(*flags & (WS_POS_F_ALPHA | WS_POS_F_DIGIT))) *flags |= WS_POS_F_PUNCT;
    return h;
}

void ws_pos_tok_init(ws_pos_tok *t, const char *s, size_t n) {
    char low[WS_POS_WORD_MAX + 1];
    size_t m = ws_pos_lower(s, n, low, sizeof low);
    t->flags = 0;
    t->shape = shape_of(s, n, &t->flags);
    /* One pass: the prefixes are the word hash's first states. */
    uint64_t h = WS_HASH_SEED;
    for (size_t k = 0; k < m; k++) {
        h = (h ^ (unsigned char)low[k]) * FNV_PRIME;
        if (k < 3) t->pre[k] = h;
    }
    for (size_t k = m; k < 3; k++) t->pre[k] = h;
    t->word = h;
    for (size_t k = 0; k < 4; k++) {
        size_t l = WS_MIN(m, k + 1);
        t->suf[k] = ws_hash_bytes(WS_HASH_SEED, low + m - l, l);
    }
}

/* ---- Features ---- */

static const ws_pos_tok pad_tok[2] = {
    {0x1111111111111111ULL, 0x1111ULL, {1, 1, 1}, {1, 1, 1, 1}, 0x40},
    {0x2222222222222222ULL, 0x2222ULL, {2, 2, 2}, {2, 2, 2, 2}, 0x80}};

static inline const ws_pos_tok *tok_at(const ws_pos_tok *toks, size_t n,
                                       size_t i, int d) {
    if (d < 0 && i < (size_t)-d) return &pad_tok[0];
    if (d > 0 && i + (size_t)d >= n) return &pad_tok[1];
    return &toks[(ptrdiff_t)i + d];
}

static inline uint64_t fmix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static inline uint64_t ft(unsigned id, uint64_t v) {
    return fmix(v ^ ((uint64_t)id * 0x9E3779B97F4A7C15ULL));
}

static inline uint64_t pair(uint64_t a, uint64_t b) {
    return (a * FNV_PRIME) ^ (b + 0x632BE59BD9B4E019ULL + (b >> 29));
}

size_t ws_pos_features_static(const ws_pos_tok *toks, size_t n, size_t i,
                              unsigned known, uint64_t *out) {
    const ws_pos_tok *t = &toks[i];
    const ws_pos_tok *l1 = tok_at(toks, n, i, -1), *l2 = tok_at(toks, n, i, -2);
    const ws_pos_tok *r1 = tok_at(toks, n, i, 1), *r2 = tok_at(toks, n, i, 2);
    size_t k = 0;
    out[k++] = ft(1, 0);
    out[k++] = ft(2, t->word);
    out[k++] = ft(3, l1->word);
    out[k++] = ft(4, r1->word);
    out[k++] = ft(5, l2->word);
    out[k++] = ft(6, r2->word);
    for (unsigned s = 0; s < 4; s++) out[k++] = ft(7 + s, t->suf[s]);
    for (unsigned s = 0; s < 3; s++) out[k++] = ft(11 + s, t->pre[s]);
    out[k++] = ft(14, t->shape);
    out[k++] = ft(15, l1->shape);
    out[k++] = ft(16, r1->shape);
    /* The neighbours' short suffixes and the shape and suffix-3 of the
     * words two away (version 2: in place of the word bigrams 21 and 22,
     * which needed a table lookup per token; these fall into the word
     * types' part sums, see "Tagging a document"). */
    out[k++] = ft(30, l1->suf[0]);
    out[k++] = ft(31, l1->suf[1]);
    out[k++] = ft(32, r1->suf[0]);
    out[k++] = ft(33, r1->suf[1]);
    out[k++] = ft(34, l2->shape);
    out[k++] = ft(35, l2->suf[2]);
    out[k++] = ft(36, r2->shape);
    out[k++] = ft(37, r2->suf[2]);
    out[k++] = ft(23, l1->suf[2]);
    out[k++] = ft(24, r1->suf[2]);
    out[k++] = ft(25, t->flags | (i == 0 ? 0x100u : 0u));
    out[k++] = ft(28, t->flags | (i == 0 ? 0x100u : 0u) | (known ? 0x200u : 0u));
    out[k++] = ft(29, pair(known, t->suf[2]));
    return k;
}

/* The dynamic features use only the tags (the tagger looks their slots up
 * once, at load time). Version 1 also combined the previous tag with words
 * (features 20, 26, 27): a lookup per token that waited for its tag. */
static inline uint64_t ft_p1(unsigned p1) { return ft(17, p1); }
static inline uint64_t ft_p2(unsigned p2) { return ft(18, p2); }
static inline uint64_t ft_p12(unsigned p1, unsigned p2) { return ft(19, p1 * 64u + p2); }

size_t ws_pos_features_dyn(const ws_pos_tok *toks, size_t n, size_t i,
                           unsigned p1, unsigned p2, uint64_t *out) {
    (void)toks, (void)n, (void)i;
    size_t k = 0;
    out[k++] = ft_p1(p1);
    out[k++] = ft_p2(p2);
    out[k++] = ft_p12(p1, p2);
    return k;
}

size_t ws_pos_features(const ws_pos_tok *toks, size_t n, size_t i,
                       unsigned known, unsigned p1, unsigned p2, uint64_t *out) {
    size_t k = ws_pos_features_static(toks, n, i, known, out);
    return k + ws_pos_features_dyn(toks, n, i, p1, p2, out + k);
}

/* ---- Model ---- */

/*
 * One slot of the feature table: 16 bytes, so that a feature costs one
 * cache line. A feature with at most INLINE pairs keeps them in the slot
 * (unused pairs have tag 0 and weight 0: adding them touches only the
 * ignored score of tag 0). Others keep a dense int16 row of ROW weights,
 * added with vector code; tag[0] == ROW_MARK and row holds its index.
 */
#define INLINE 4
#define ROW_MARK 0xFFu
#define ROW 56 /* >= WS_POS_NTAGS, a multiple of 8 (vector width) */
#define STRIDE 64 /* int16 per stored row: 128 bytes, two whole cache lines */

typedef struct pos_slot {
    uint32_t fp; /* fingerprint (high hash bits | 1); 0 = empty */
    uint8_t tag[INLINE];
    union {
        int16_t w[INLINE];
        uint32_t row;
    } u;
} pos_slot;

struct ws_pos_model {
    pos_slot *slots;
    void *slots_mem; /* their allocation (ws_table_alloc) */
    size_t mask;     /* slots - 1 (a power of two minus one) */
    int16_t *rows;   /* dense rows, STRIDE apart, 128-byte aligned */
    void *rows_mem;  /* their allocation */
    size_t n_rows;
    uint64_t *dkeys; /* tag dictionary: word hash -> tag (0 = empty) */
    uint8_t *dtags;
    size_t dmask;
    /* Slots of the tag-only features, looked up at load time (NULL when
     * absent): previous tag, the tag before it, and both. */
    const pos_slot *s_bias; /* the feature every token has */
    const pos_slot *s_p1[WS_POS_NTAGS];
    const pos_slot *s_p2[WS_POS_NTAGS];
    const pos_slot *s_p12[WS_POS_NTAGS][WS_POS_NTAGS];
    /* The bias and the two flag features summed, by BASE_INDEX(flags,
     * sentence-initial, known) (see "Tagging a document"). */
    int32_t base[256][ROW];
    /* Word types prepared at load time: the padding and the frequent
     * words of the pos_words blob (see "Tagging a document"). */
    struct pos_types *words;
    /* The three tag-only features summed, by previous tag * NTAGS + the
     * tag before it: NTAGS * NTAGS rows of ROW int32. */
    int32_t (*tagsum)[ROW];
    /* One bit per hash of a fingerprint present in the slots (FP_BITS
     * bits, small enough to stay in cache): a clear bit proves that a
     * lookup would find nothing (see fp_maybe). */
    uint64_t *fpbits;
};

#define FP_LOG 21
#define FP_BITS ((size_t)1 << FP_LOG)

static inline size_t fp_bit(uint32_t fp) {
    return (size_t)((fp * 0x9E3779B1u) >> (32 - FP_LOG));
}

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p) {
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

typedef struct pos_header {
    uint32_t nfeat, npairs, ndict;
    size_t n_rows; /* records stored as dense rows */
} pos_header;

static ws_status check_header(const unsigned char *p, size_t size,
                              pos_header *h) {
    WS_RETURN_IF(size < WS_POS_HEADER, WS_ERR_MODEL);
    WS_RETURN_IF(memcmp(p, WS_POS_MAGIC, 8) != 0, WS_ERR_MODEL);
    WS_RETURN_IF(rd32(p + 8) != WS_POS_VERSION, WS_ERR_MODEL);
    WS_RETURN_IF(rd32(p + 12) != WS_POS_NTAGS, WS_ERR_MODEL);
    h->nfeat = rd32(p + 16);
    h->npairs = rd32(p + 20);
    h->ndict = rd32(p + 28);
    size_t body = size - WS_POS_HEADER;
    WS_RETURN_IF(h->nfeat > body / 12 || h->npairs > body / 3, WS_ERR_MODEL);
    WS_RETURN_IF(h->ndict > body / 9, WS_ERR_MODEL);
    WS_RETURN_IF(h->npairs < h->nfeat, WS_ERR_MODEL);
    return WS_OK;
}

/* Walks the records: every one in bounds, counts and tags valid, totals
 * matching the header, no trailing bytes. */
static ws_status check_records(const unsigned char *p, size_t size,
                               pos_header *h) {
    size_t at = WS_POS_HEADER, pairs = 0;
    h->n_rows = 0;
    for (uint32_t f = 0; f < h->nfeat; f++) {
        WS_RETURN_IF(size - at < 9, WS_ERR_MODEL);
        unsigned c = p[at + 8];
        WS_RETURN_IF(c == 0 || c >= WS_POS_NTAGS, WS_ERR_MODEL);
        at += 9;
        WS_RETURN_IF(size - at < 3 * (size_t)c, WS_ERR_MODEL);
        for (unsigned j = 0; j < c; j++, at += 3)
            WS_RETURN_IF(p[at] == 0 || p[at] >= WS_POS_NTAGS, WS_ERR_MODEL);
        pairs += c;
        h->n_rows += c > INLINE;
    }
    WS_RETURN_IF(pairs != h->npairs, WS_ERR_MODEL);
    WS_RETURN_IF(size - at != 9 * (size_t)h->ndict, WS_ERR_MODEL);
    for (uint32_t d = 0; d < h->ndict; d++, at += 9)
        WS_RETURN_IF(p[at + 8] >= WS_POS_NTAGS, WS_ERR_MODEL);
    return WS_OK;
}

/* The free slot for feature h, or NULL on a fingerprint clash with a
 * feature already stored (the first one is kept). */
static pos_slot *new_slot(struct ws_pos_model *pm, uint64_t h) {
    uint32_t fp = (uint32_t)(h >> 32) | 1u;
    size_t i = (size_t)h & pm->mask;
    while (pm->slots[i].fp) {
        if (pm->slots[i].fp == fp) return NULL;
        i = (i + 1) & pm->mask;
    }
    pm->slots[i].fp = fp;
    size_t b = fp_bit(fp);
    pm->fpbits[b >> 6] |= (uint64_t)1 << (b & 63);
    return &pm->slots[i];
}

static int16_t rd16(const unsigned char *p) {
    return (int16_t)(uint16_t)((unsigned)p[0] | (unsigned)p[1] << 8);
}

/* Stores one record's c pairs at p in its slot or in dense row *r. */
static void store_record(struct ws_pos_model *pm, uint64_t h,
                         const unsigned char *p, unsigned c, size_t *r) {
    pos_slot *sl = new_slot(pm, h);
    if (c > INLINE) {
        int16_t *row = pm->rows + *r * STRIDE;
        for (unsigned j = 0; j < c; j++) row[p[3 * j]] = rd16(p + 3 * j + 1);
        if (sl) sl->tag[0] = ROW_MARK, sl->u.row = (uint32_t)*r;
        (*r)++;
        return;
    }
    for (unsigned j = 0; sl && j < c; j++) {
        sl->tag[j] = p[3 * j];
        sl->u.w[j] = rd16(p + 3 * j + 1);
    }
}

static void dict_insert(struct ws_pos_model *pm, uint64_t h, uint8_t tag) {
    size_t i = (size_t)h & pm->dmask;
    while (pm->dtags[i] && pm->dkeys[i] != h) i = (i + 1) & pm->dmask;
    pm->dkeys[i] = h;
    pm->dtags[i] = (uint8_t)(WS_POS_KNOWN | tag);
}

static void fill_model(struct ws_pos_model *pm, const unsigned char *p,
                       const pos_header *h) {
    size_t at = WS_POS_HEADER, r = 0;
    for (uint32_t f = 0; f < h->nfeat; f++) {
        unsigned c = p[at + 8];
        store_record(pm, rd64(p + at), p + at + 9, c, &r);
        at += 9 + 3 * (size_t)c;
    }
    for (uint32_t d = 0; d < h->ndict; d++, at += 9)
        dict_insert(pm, rd64(p + at), p[at + 8]);
}

/* Sizes the tables of a model whose header is h. Returns 0 if out of
 * memory (what was allocated is freed by ws_pos_free). */
static int alloc_tables(const ws_mem *m, struct ws_pos_model *pm,
                        const pos_header *h) {
    size_t nslots = 16, ndict = 16;
    while (nslots < (size_t)h->nfeat + h->nfeat / 2) nslots *= 2;
    while (ndict < (size_t)h->ndict * 2) ndict *= 2;
    pm->mask = nslots - 1;
    pm->dmask = ndict - 1;
    pm->n_rows = h->n_rows ? h->n_rows : 1;
    pm->slots = ws_table_alloc(m, nslots * sizeof *pm->slots, &pm->slots_mem);
    pm->rows = ws_table_alloc(m, pm->n_rows * STRIDE * sizeof *pm->rows, &pm->rows_mem);
    pm->dkeys = ws_mem_alloc(m, ndict * sizeof *pm->dkeys);
    pm->dtags = ws_mem_alloc(m, ndict);
    pm->fpbits = ws_mem_alloc(m, FP_BITS / 8);
    if (!pm->slots || !pm->rows || !pm->dkeys || !pm->dtags || !pm->fpbits)
        return 0;
    memset(pm->fpbits, 0, FP_BITS / 8);
    memset(pm->slots, 0, nslots * sizeof *pm->slots);
    memset(pm->rows, 0, pm->n_rows * STRIDE * sizeof *pm->rows);
    memset(pm->dtags, 0, ndict);
    return 1;
}

static inline const pos_slot *lookup(const struct ws_pos_model *pm,
                                     uint64_t h);

static void fill_base(struct ws_pos_model *pm);
static int fill_tagsum(const ws_mem *m, struct ws_pos_model *pm);
struct pos_types;
static int load_words(const ws_mem *m, struct ws_pos_model *pm);
static void words_free(const ws_mem *m, struct pos_types *ws);

static void cache_tag_features(struct ws_pos_model *pm) {
    pm->s_bias = lookup(pm, ft(1, 0));
    for (unsigned a = 0; a < WS_POS_NTAGS; a++) {
        pm->s_p1[a] = lookup(pm, ft_p1(a));
        pm->s_p2[a] = lookup(pm, ft_p2(a));
        for (unsigned b = 0; b < WS_POS_NTAGS; b++)
            pm->s_p12[a][b] = lookup(pm, ft_p12(a, b));
    }
}

ws_status ws_pos_load_blob(const ws_mem *m, const void *data, size_t size,
                           struct ws_pos_model **out) {
    const unsigned char *p = (const unsigned char *)data;
    pos_header h;
    *out = NULL;
    WS_RETURN_IF(!p, WS_ERR_MODEL);
    WS_FORWARD_IF_ERROR(check_header(p, size, &h));
    WS_FORWARD_IF_ERROR(check_records(p, size, &h));
    struct ws_pos_model *pm = ws_mem_alloc(m, sizeof *pm);
    WS_RETURN_IF(!pm, WS_ERR_NOMEM);
    memset(pm, 0, sizeof *pm);
    if (!alloc_tables(m, pm, &h)) {
        ws_pos_free(m, pm);
        return WS_ERR_NOMEM;
    }
    fill_model(pm, p, &h);
    cache_tag_features(pm);
    fill_base(pm);
    if (!fill_tagsum(m, pm) || !load_words(m, pm)) {
        ws_pos_free(m, pm);
        return WS_ERR_NOMEM;
    }
    *out = pm;
    return WS_OK;
}

ws_status ws_pos_load(const ws_mem *m, struct ws_pos_model **out) {
    const ws_blob *b = ws_blob_find("pos");
    *out = NULL;
    if (!b) return WS_OK; /* no model: the tagger is disabled */
    return ws_pos_load_blob(m, b->data, b->size, out);
}

void ws_pos_free(const ws_mem *m, struct ws_pos_model *pm) {
    if (!pm) return;
    words_free(m, pm->words);
    ws_mem_free(m, pm->tagsum, WS_POS_NTAGS * WS_POS_NTAGS * sizeof *pm->tagsum);
    ws_mem_free(m, pm->slots_mem, ws_table_alloc_size((pm->mask + 1) * sizeof *pm->slots));
    ws_mem_free(m, pm->rows_mem, ws_table_alloc_size(pm->n_rows * STRIDE * sizeof *pm->rows));
    ws_mem_free(m, pm->dkeys, (pm->dmask + 1) * sizeof *pm->dkeys);
    ws_mem_free(m, pm->dtags, pm->dmask + 1);
    ws_mem_free(m, pm->fpbits, FP_BITS / 8);
    ws_mem_free(m, pm, sizeof *pm);
}

/* ---- Tagging ---- */

/* The tagging loop is compiled twice on x86-64 Linux with gcc (plain and
 * AVX2, chosen once at load time by the dynamic linker); its helpers are
 * inlined into both. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WS_POS_CLONES __attribute__((target_clones("avx2", "default")))
#define WS_POS_INLINE static inline __attribute__((always_inline))
#else
#define WS_POS_CLONES
#define WS_POS_INLINE static inline
#endif

/* The slot of feature h, or NULL if absent. */
static inline const pos_slot *lookup(const struct ws_pos_model *pm,
                                     uint64_t h) {
    uint32_t fp = (uint32_t)(h >> 32) | 1u;
    size_t i = (size_t)h & pm->mask;
    for (;;) {
        const pos_slot *s = &pm->slots[i];
        if (s->fp == fp) return s;
        if (!s->fp) return NULL;
        i = (i + 1) & pm->mask;
    }
}


static inline const int16_t *row_of(const struct ws_pos_model *pm,
                                    const pos_slot *s) {
    return pm->rows + (size_t)s->u.row * STRIDE;
}

WS_POS_INLINE void add_weights(const struct ws_pos_model *pm,
                               const pos_slot *s, int32_t *sc) {
    if (s->tag[0] == ROW_MARK) {
        const int16_t *row = row_of(pm, s);
        for (int t = 0; t < ROW; t++) sc[t] += row[t];
        return;
    }
    for (int j = 0; j < INLINE; j++) sc[s->tag[j]] += s->u.w[j];
}

/* Finds the slots of features f[0..nf), prefetching dense rows. */
WS_POS_INLINE void find_all(const struct ws_pos_model *pm, const uint64_t *f,
                     size_t nf, const pos_slot **sl) {
    for (size_t k = 0; k < nf; k++) {
        sl[k] = lookup(pm, f[k]);
        if (sl[k] && sl[k]->tag[0] == ROW_MARK) {
            WS_PREFETCH(row_of(pm, sl[k]));
            WS_PREFETCH(row_of(pm, sl[k]) + 32);
        }
    }
}

/* 0 if a lookup of feature h surely finds nothing: no stored slot has its
 * fingerprint. (1 does not mean it is there.) */
static inline int fp_maybe(const struct ws_pos_model *pm, uint64_t h) {
    size_t b = fp_bit((uint32_t)(h >> 32) | 1u);
    return (int)(pm->fpbits[b >> 6] >> (b & 63) & 1u);
}

/* Prefetches the slot of feature h unless it is surely absent. */
static inline void prefetch_maybe(const struct ws_pos_model *pm, uint64_t h) {
    if (fp_maybe(pm, h)) WS_PREFETCH(&pm->slots[(size_t)h & pm->mask]);
}

/* find_all for features that are often absent: the bit test first. */
WS_POS_INLINE void find_maybe(const struct ws_pos_model *pm, const uint64_t *f,
                              size_t nf, const pos_slot **sl) {
    for (size_t k = 0; k < nf; k++) {
        sl[k] = fp_maybe(pm, f[k]) ? lookup(pm, f[k]) : NULL;
        if (sl[k] && sl[k]->tag[0] == ROW_MARK) {
            WS_PREFETCH(row_of(pm, sl[k]));
            WS_PREFETCH(row_of(pm, sl[k]) + 32);
        }
    }
}

WS_POS_INLINE void add_all(const struct ws_pos_model *pm, const pos_slot *const *sl,
                    size_t nf, int32_t *sc) {
    for (size_t k = 0; k < nf; k++)
        if (sl[k]) add_weights(pm, sl[k], sc);
}

/*
 * Tagging works on blocks of BLK tokens so that the cache misses of many
 * features overlap: first the static features (which do not depend on
 * predicted tags) of the whole block are hashed and their slots
 * prefetched, then looked up, then summed per token; the greedy pass then
 * adds only the few tag-dependent features.
 */
#ifndef BLK
#define BLK 16
#endif
#define NSTATIC WS_POS_NSTATIC

typedef struct pos_block {
    uint8_t dict[BLK]; /* dict_tag() of each token */
    uint8_t nf[BLK];   /* static features of each token */
    uint64_t f[BLK][NSTATIC];
    const pos_slot *sl[BLK][NSTATIC];
    int32_t sc[BLK][ROW];
} pos_block;

/* WS_POS_KNOWN | the tag of an unambiguous frequent word, WS_POS_KNOWN
 * alone for another word of the vocabulary, 0 for an unknown word. */
static unsigned dict_tag(const struct ws_pos_model *pm, uint64_t word) {
    size_t i = (size_t)word & pm->dmask;
    while (pm->dtags[i]) {
        if (pm->dkeys[i] == word) return pm->dtags[i];
        i = (i + 1) & pm->dmask;
    }
    return 0;
}

WS_POS_INLINE void block_static(const struct ws_pos_model *pm, const ws_pos_tok *toks,
                         size_t n, size_t i0, size_t m, pos_block *b) {
    for (size_t j = 0; j < m; j++) {
        b->dict[j] = (uint8_t)dict_tag(pm, toks[i0 + j].word);
        if (b->dict[j] & ~WS_POS_KNOWN) continue;
        b->nf[j] = (uint8_t)ws_pos_features_static(toks, n, i0 + j,
                                                   b->dict[j] != 0, b->f[j]);
        for (size_t k = 1; k < b->nf[j]; k++) /* f[0] is the bias */
            WS_PREFETCH(&pm->slots[(size_t)b->f[j][k] & pm->mask]);
    }
    for (size_t j = 0; j < m; j++) {
        if (b->dict[j] & ~WS_POS_KNOWN) continue;
        b->sl[j][0] = pm->s_bias;
        find_all(pm, b->f[j] + 1, b->nf[j] - 1u, b->sl[j] + 1);
    }
    for (size_t j = 0; j < m; j++) {
        if (b->dict[j] & ~WS_POS_KNOWN) continue;
        memset(b->sc[j], 0, sizeof b->sc[j]);
        add_all(pm, b->sl[j], b->nf[j], b->sc[j]);
    }
}

/* The lowest tag id with the highest score; two simple passes (the
 * maximum vectorises, and no loop carries a load through `best`). */
WS_POS_INLINE unsigned argmax(const int32_t *sc) {
    int32_t m = sc[1];
    for (unsigned t = 2; t < WS_POS_NTAGS; t++) m = sc[t] > m ? sc[t] : m;
    unsigned t = 1;
    while (sc[t] != m) t++;
    return t;
}

WS_POS_CLONES
void ws_pos_tag_toks(const struct ws_pos_model *pm, const ws_pos_tok *toks,
                     size_t n, uint8_t *tags) {
    pos_block b;
    const pos_slot *sl[3];
    unsigned p1 = 0, p2 = 0;
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        size_t m = WS_MIN((size_t)BLK, n - i0);
        block_static(pm, toks, n, i0, m, &b);
        for (size_t j = 0; j < m; j++) {
            unsigned t = b.dict[j] & ~WS_POS_KNOWN;
            if (!t) {
                size_t nf = 0;
                sl[nf++] = pm->s_p1[p1];
                sl[nf++] = pm->s_p2[p2];
                sl[nf++] = pm->s_p12[p1][p2];
                add_all(pm, sl, nf, b.sc[j]);
                t = argmax(b.sc[j]);
            }
            p2 = p1;
            p1 = t;
            tags[i0 + j] = (uint8_t)t;
        }
    }
}

void ws_pos_tag_words(const struct ws_pos_model *pm, const char *const *words,
                      const size_t *lens, size_t n, ws_pos_tok *scratch,
                      uint8_t *tags) {
    for (size_t i = 0; i < n; i++) {
        const char *s = words[i];
        size_t len = lens[i];
        const char *q = ws_pos_quote_form(s, len, -1, i == 0);
        if (q) s = q, len = 2;
        ws_pos_tok_init(&scratch[i], s, len);
    }
    ws_pos_tag_toks(pm, scratch, n, tags);
}

/* Quote-normalised bytes of document token i (the string the model sees):
 * a quotation mark becomes `` or '' by its role, others are unchanged. */
static const char *tok_form(const ws_text *t, uint32_t i, size_t *n) {
    const ws_token *k = &t->toks.v[i];
    const char *s = ws_tok_ptr(t, i);
    *n = ws_tok_len(t, i);
    if (k->kind == WS_TOK_QUOTE) {
        int open = k->qrole == WS_Q_OPEN ? 1 : k->qrole == WS_Q_CLOSE ? 0 : -1;
        int sp = (k->flags & (WS_TF_SPACE_BEFORE | WS_TF_SENT_START)) != 0;
        const char *q = ws_pos_quote_form(s, *n, open, sp);
        if (q) s = q, *n = 2;
    }
    return s;
}

/* The reference path: every token reduced, then ws_pos_tag_toks. Used for
 * sentences too long for the word-type cache below. */
static void tag_range(const struct ws_pos_model *pm, ws_text *t, uint32_t a,
                      uint32_t b, ws_pos_tok *buf, uint8_t *tags) {
    for (uint32_t i = a; i < b; i++) {
        size_t n;
        const char *s = tok_form(t, i, &n);
        ws_pos_tok_init(&buf[i - a], s, n);
    }
    ws_pos_tag_toks(pm, buf, b - a, tags);
    for (uint32_t i = a; i < b; i++) t->toks.v[i].pos = tags[i - a];
}

ws_status ws_pos_tag_reference(const ws_engine *e, ws_doc *d) {
    ws_text *t = &d->text;
    const struct ws_pos_model *pm = e && e->models ? e->models->pos : NULL;
    for (size_t i = 0; i < t->toks.n; i++) t->toks.v[i].pos = 0;
    if (!pm || !t->toks.n) return WS_OK;
    ws_pos_tok *buf = ws_arena_alloc(&d->arena, t->toks.n * sizeof *buf);
    uint8_t *tags = ws_arena_alloc(&d->arena, t->toks.n);
    WS_RETURN_IF(!buf || !tags, WS_ERR_NOMEM);
    if (!t->sents.n) tag_range(pm, t, 0, (uint32_t)t->toks.n, buf, tags);
    for (size_t s = 0; s < t->sents.n; s++) {
        const ws_sentence *se = &t->sents.v[s];
        if (se->tok_end > se->tok_start && se->tok_end <= t->toks.n)
            tag_range(pm, t, se->tok_start, se->tok_end, buf, tags);
    }
    return WS_OK;
}

/*
 * ---- Tagging a document: per word type ----
 *
 * The 29 static features of a token split by the token they are computed
 * from (ws_pos_features_static):
 *   - the token itself (PART_CUR): word, 4 suffixes, 3 prefixes, shape, and
 *     (known, suffix-3);
 *   - its left neighbour (PART_L1 of token i-1): word, shape, suffixes of
 *     1, 2 and 3 bytes; likewise the right neighbour (PART_R1); the word,
 *     shape and suffix-3 of the tokens two away (PART_L2, PART_R2);
 *   - the bias and the two flag features, which depend only on the token's
 *     flags, whether it starts the sentence and whether it is known: summed
 *     once at load time in pm->base.
 * Every distinct token string (a word type) is reduced once and its five
 * part sums are added up once into vectors (PART_CUR in int32, the others
 * in int16); a token's static score is then base + 5 vectors instead of
 * 29 lookups. Integer sums in another order give the same int32
 * scores, so the tags are exactly those of ws_pos_tag_toks. A neighbour
 * part whose sum does not fit in int16 is marked wide and summed from its
 * features each time it is used. The types of frequent words (the
 * pos_words blob) are prepared at load time and shared read-only; each
 * document prepares its other words in its arena.
 */
enum { PART_CUR, PART_L1, PART_R1, PART_L2, PART_R2, NPARTS };
#define PART_MAXF 10 /* features in the largest part (PART_CUR) */
#define BASE_INDEX(flags, first, known) \
    (((flags) & 0x3Fu) | ((first) ? 0x40u : 0u) | ((known) ? 0x80u : 0u))

/* The feature hashes of one part of token t; returns how many. */
static size_t part_feats(const ws_pos_tok *t, unsigned known, unsigned part,
                         uint64_t *out) {
    size_t k = 0;
    switch (part) {
    case PART_CUR:
        out[k++] = ft(2, t->word);
        for (unsigned s = 0; s < 4; s++) out[k++] = ft(7 + s, t->suf[s]);
        for (unsigned s = 0; s < 3; s++) out[k++] = ft(11 + s, t->pre[s]);
        out[k++] = ft(14, t->shape);
        out[k++] = ft(29, pair(known, t->suf[2]));
        break;
    case PART_L1:
        out[k++] = ft(3, t->word);
        out[k++] = ft(15, t->shape);
        out[k++] = ft(23, t->suf[2]);
        out[k++] = ft(30, t->suf[0]);
        out[k++] = ft(31, t->suf[1]);
        break;
    case PART_R1:
        out[k++] = ft(4, t->word);
        out[k++] = ft(16, t->shape);
        out[k++] = ft(24, t->suf[2]);
        out[k++] = ft(32, t->suf[0]);
        out[k++] = ft(33, t->suf[1]);
        break;
    case PART_L2:
        out[k++] = ft(5, t->word);
        out[k++] = ft(34, t->shape);
        out[k++] = ft(35, t->suf[2]);
        break;
    default:
        out[k++] = ft(6, t->word);
        out[k++] = ft(36, t->shape);
        out[k++] = ft(37, t->suf[2]);
        break;
    }
    return k;
}

/* Adds the weights of slot s (or of nothing) to the int32 scores sc. */
static void add_slot(const struct ws_pos_model *pm, const pos_slot *s,
                     int32_t *sc) {
    if (s) add_weights(pm, s, sc);
}

static int fill_tagsum(const ws_mem *m, struct ws_pos_model *pm) {
    pm->tagsum = ws_mem_alloc(m, WS_POS_NTAGS * WS_POS_NTAGS * sizeof *pm->tagsum);
    if (!pm->tagsum) return 0;
    for (unsigned a = 0; a < WS_POS_NTAGS; a++)
        for (unsigned b = 0; b < WS_POS_NTAGS; b++) {
            int32_t *v = pm->tagsum[a * WS_POS_NTAGS + b];
            memset(v, 0, sizeof *pm->tagsum);
            add_slot(pm, pm->s_p1[a], v);
            add_slot(pm, pm->s_p2[b], v);
            add_slot(pm, pm->s_p12[a][b], v);
        }
    return 1;
}

static void fill_base(struct ws_pos_model *pm) {
    for (unsigned x = 0; x < 256; x++) {
        unsigned fl = (x & 0x3Fu) | (x & 0x40u ? 0x100u : 0u);
        int32_t *b = pm->base[x];
        memset(b, 0, sizeof pm->base[x]);
        add_slot(pm, pm->s_bias, b);
        add_slot(pm, lookup(pm, ft(25, fl)), b);
        add_slot(pm, lookup(pm, ft(28, fl | (x & 0x80u ? 0x200u : 0u))), b);
    }
}

/* One word type (792 bytes). Its first 56 bytes hold what the lookup and
 * the tagging loop read besides the vectors, the key's first bytes
 * included, so that a lookup touches one cache line of the type. (Aligning
 * every vector to whole cache lines, 832 bytes, measured no faster.) */
#define KEY_INLINE 24 /* key bytes kept next to the other fields */
#define TYPE_ALIGN 64 /* of a table's first type */
typedef struct pos_type {
    uint64_t word;  /* tok.word */
    uint64_t suf3;  /* tok.suf[2] */
    const char *s;  /* the key: the token's quote-normalised bytes */
    uint32_t n;     /* its length */
    uint8_t flags;  /* tok.flags */
    uint8_t dict;   /* dict_tag() */
    uint8_t wide;   /* bit p: part p does not fit in int16 */
    uint8_t pad;    /* 1 + k for the padding pad_tok[k], else 0 */
    char key[KEY_INLINE]; /* s[0..min(n, KEY_INLINE)) */
    int32_t cur[ROW];            /* PART_CUR's sum (often beyond int16) */
    int16_t v[NPARTS - 1][STRIDE]; /* part p's sum (p >= PART_L1) in v[p-1] */
} pos_type;

/* The reduced token of a type (recomputed: only wide parts need it). */
static void type_tok(const pos_type *ty, ws_pos_tok *tok) {
    if (ty->pad) *tok = pad_tok[ty->pad - 1];
    else ws_pos_tok_init(tok, ty->s, ty->n);
}

#define PART_V(ty, p) ((ty)->v[(p) - 1])

/* Sums part p of type ty into sc (int32). */
static void part_sum(const struct ws_pos_model *pm, const pos_type *ty,
                     unsigned p, int32_t *sc) {
    uint64_t f[PART_MAXF];
    ws_pos_tok tok;
    type_tok(ty, &tok);
    size_t nf = part_feats(&tok, ty->dict != 0, p, f);
    for (size_t k = 0; k < nf; k++) add_slot(pm, lookup(pm, f[k]), sc);
}

/*
 * Filling the part sums of types whose key, flags and dict are set:
 * PART_CUR's in int32 (a word with a fixed dictionary tag is never scored:
 * its PART_CUR is left 0), the others in int16 unless they do not fit (then
 * the part is marked wide). Tags 0 and NTAGS.. of a sum are always 0: no
 * weight is stored there. Done in three steps over a batch of types, so
 * that their lookups overlap: hash and prefetch (fill_start), look up and
 * prefetch the dense rows (fill_find), add (fill_sums).
 */
typedef struct pos_fill {
    pos_type *ty;
    uint8_t first, nf[NPARTS];
    uint64_t f[NPARTS][PART_MAXF];
    const pos_slot *sl[NPARTS][PART_MAXF];
} pos_fill;

#define FILL_BATCH 32

static void fill_start(const struct ws_pos_model *pm, pos_fill *x,
                       pos_type *ty, const ws_pos_tok *tok) {
    x->ty = ty;
    x->first = (ty->dict & ~WS_POS_KNOWN) ? PART_L1 : PART_CUR;
    for (unsigned p = x->first; p < NPARTS; p++) {
        x->nf[p] = (uint8_t)part_feats(tok, ty->dict != 0, p, x->f[p]);
        for (size_t k = 0; k < x->nf[p]; k++) prefetch_maybe(pm, x->f[p][k]);
    }
}

WS_POS_CLONES
static void fill_sums(const struct ws_pos_model *pm, pos_fill *x) {
    pos_type *ty = x->ty;
    ty->wide = 0;
    memset(ty->cur, 0, sizeof ty->cur);
    memset(ty->v, 0, sizeof ty->v);
    if (x->first == PART_CUR) add_all(pm, x->sl[PART_CUR], x->nf[PART_CUR], ty->cur);
    for (unsigned p = PART_L1; p < NPARTS; p++) {
        int32_t acc[ROW] = {0};
        add_all(pm, x->sl[p], x->nf[p], acc);
        int32_t lo = 0, hi = 0;
        for (unsigned t = 0; t < ROW; t++) {
            lo = acc[t] < lo ? acc[t] : lo;
            hi = acc[t] > hi ? acc[t] : hi;
        }
        if (lo < INT16_MIN || hi > INT16_MAX) {
            ty->wide |= (uint8_t)(1u << p);
            continue;
        }
        for (unsigned t = 0; t < ROW; t++) PART_V(ty, p)[t] = (int16_t)acc[t];
    }
}

/* Finishes the types of x[0..n) (fill_start done on each). */
static void fill_batch(const struct ws_pos_model *pm, pos_fill *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (unsigned p = x[i].first; p < NPARTS; p++)
            find_maybe(pm, x[i].f[p], x[i].nf[p], x[i].sl[p]);
    for (size_t i = 0; i < n; i++) fill_sums(pm, &x[i]);
}

/* A table of word types: an open-addressing hash table from token strings
 * to entries of v (id 0 = empty slot). The model holds one, read-only
 * after load, with the padding (PAD_BEFORE, PAD_AFTER) and the frequent
 * words of the pos_words blob; each document builds one for its other
 * words in its arena. */
typedef struct pos_types {
    pos_type *v;    /* TYPE_ALIGN-aligned, inside v_mem */
    void *v_mem;
    size_t n, cap;
    uint64_t *slot; /* high 32 bits of the key's hash << 32 | type id; 0 = empty */
    size_t mask;
    /* Key bytes owned by the table (a ws_cache's, which outlives the
     * documents), or NULL: the keys point into the text (a document's). */
    char *pool;
    size_t pool_n, pool_cap;
    /* A ws_cache's: uses[id] = how often type id was found again since it
     * was added (saturating), to keep those when the table is full
     * (types_renew); NULL in other tables. */
    uint8_t *uses;
    size_t renewed; /* types kept by types_renew, in all (tests) */
} pos_types;

enum { PAD_BEFORE = 0, PAD_AFTER = 1, FIRST_ID = 2 };
#define TYPES_MAX 4096 /* types kept per document before the cache restarts */

static size_t types_slots(size_t cap) {
    size_t slots = 16;
    while (slots < 2 * cap) slots *= 2;
    return slots;
}

/* Bytes of keys that tokens [a, b) of t may add to a table (a quote mark's
 * form has 2 bytes, others are the token's bytes). */
static size_t key_room(const ws_text *t, uint32_t a, uint32_t b) {
    size_t r = 0;
    for (uint32_t i = a; i < b; i++) r += ws_tok_len(t, i) + 2;
    return r;
}

/* Sets the fields of a type that follow from its reduced token, given its
 * dictionary entry, and starts filling its sums in *x. */
static void type_set(const struct ws_pos_model *pm, pos_type *ty,
                     const ws_pos_tok *tok, unsigned dict, pos_fill *x) {
    ty->word = tok->word;
    ty->suf3 = tok->suf[2];
    ty->flags = (uint8_t)tok->flags;
    ty->dict = (uint8_t)dict;
    fill_start(pm, x, ty, tok);
}

/* Forgets every type (the padding stays). */
static void types_clear(pos_types *ts) {
    memset(ts->slot, 0, (ts->mask + 1) * sizeof *ts->slot);
    ts->n = FIRST_ID;
    ts->pool_n = 0;
}

/* Makes room in a full table. A ws_cache's keeps the types found again
 * since they were added (moved to the front, keys included, and indexed
 * again), unless they fill more than half of it; other tables forget every
 * type. A type's sums depend only on its key, so what is kept changes no
 * tag. */
static void types_renew(pos_types *ts) {
    size_t keep = 0;
    for (size_t id = FIRST_ID; ts->uses && id < ts->n; id++) keep += ts->uses[id] > 0;
    if (!ts->uses || keep > (ts->cap - FIRST_ID) / 2) {
        types_clear(ts);
        return;
    }
    memset(ts->slot, 0, (ts->mask + 1) * sizeof *ts->slot);
    size_t w = FIRST_ID, pool_w = 0;
    for (size_t id = FIRST_ID; id < ts->n; id++) {
        if (!ts->uses[id]) continue;
        pos_type *ty = &ts->v[w];
        if (w != id) memcpy(ty, &ts->v[id], sizeof *ty);
        if (ts->pool) { /* keys were appended in id order: front to front */
            memmove(ts->pool + pool_w, ty->s, ty->n);
            ty->s = ts->pool + pool_w;
            pool_w += ty->n;
        }
        uint64_t h = ws_hash_bytes(WS_HASH_SEED, ty->s, ty->n);
        size_t i = (size_t)h & ts->mask;
        while (ts->slot[i]) i = (i + 1) & ts->mask;
        ts->slot[i] = (h >> 32 << 32) | w;
        ts->uses[w] = 0;
        w++;
    }
    ts->renewed += w - FIRST_ID;
    ts->n = w;
    ts->pool_n = pool_w;
}

/* Bytes to allocate for cap types, and their aligned start in it. */
static size_t types_bytes(size_t cap) { return cap * sizeof(pos_type) + TYPE_ALIGN; }
static pos_type *types_align(void *mem) {
    uintptr_t a = ((uintptr_t)mem + TYPE_ALIGN - 1) & ~(uintptr_t)(TYPE_ALIGN - 1);
    return (pos_type *)a;
}

static int key_eq(const pos_type *ty, const char *s, size_t n) {
    if (ty->n != n) return 0;
    size_t k = WS_MIN(n, (size_t)KEY_INLINE);
    return memcmp(ty->key, s, k) == 0 &&
           (n == k || memcmp(ty->s + k, s + k, n - k) == 0);
}

/* The id of string s[0..n) whose hash is h, or 0 with *slot set to the
 * empty slot where it would go. */
static uint32_t type_find(const pos_types *ts, const char *s, size_t n,
                          uint64_t h, size_t *slot) {
    uint64_t hi = h >> 32 << 32;
    size_t i = (size_t)h & ts->mask;
    for (;; i = (i + 1) & ts->mask) {
        uint64_t e = ts->slot[i];
        if (!e) break;
        uint32_t id = (uint32_t)e;
        if ((e & ~(uint64_t)UINT32_MAX) == hi && key_eq(&ts->v[id], s, n)) return id;
    }
    *slot = i;
    return 0;
}

/* Adds string s[0..n) (hash h) at the empty slot `slot`; the caller makes
 * sure ts->n < ts->cap, and finishes *x with fill_batch before the type is
 * used. The string must outlive the table. */
static const pos_type *type_add(const struct ws_pos_model *pm, pos_types *ts,
                                const char *s, size_t n, uint64_t h,
                                size_t slot, pos_fill *x) {
    uint32_t id = (uint32_t)ts->n++;
    pos_type *ty = &ts->v[id];
    ts->slot[slot] = (h >> 32 << 32) | id;
    if (ts->pool) { /* the caller made room: see key_room */
        char *k = ts->pool + ts->pool_n;
        memcpy(k, s, n);
        ts->pool_n += n;
        s = k;
    }
    ty->s = s;
    ty->n = (uint32_t)n;
    ty->pad = 0;
    if (ts->uses) ts->uses[id] = 0;
    memcpy(ty->key, s, WS_MIN(n, (size_t)KEY_INLINE));
    ws_pos_tok tok;
    ws_pos_tok_init(&tok, s, n);
    type_set(pm, ty, &tok, dict_tag(pm, tok.word), x);
    return ty;
}

/* ---- The model's table: padding and frequent words ---- */

static void words_free(const ws_mem *m, pos_types *ws) {
    if (!ws) return;
    ws_mem_free(m, ws->v_mem, ws_table_alloc_size(types_bytes(ws->cap)));
    ws_mem_free(m, ws->slot, (ws->mask + 1) * sizeof *ws->slot);
    ws_mem_free(m, ws, sizeof *ws);
}

/* Builds pm->words from the "pos_words" blob (one word per line; any
 * content is valid: it only decides which words are prepared at load
 * time, not their tags). Returns 0 if out of memory. */
static int load_words(const ws_mem *m, struct ws_pos_model *pm) {
    const ws_blob *b = ws_blob_find("pos_words");
    const char *p = b ? (const char *)b->data : NULL, *end = p ? p + b->size : NULL;
    size_t lines = 0;
    for (const char *q = p; q && q < end; q++) lines += *q == '\n';
    pos_types *ws = ws_mem_alloc(m, sizeof *ws);
    if (!ws) return 0;
    memset(ws, 0, sizeof *ws);
    pm->words = ws;
    ws->cap = lines + 1 + FIRST_ID;
    ws->mask = types_slots(ws->cap) - 1;
    /* huge pages where the system has them: every token reads five
     * vectors of its neighbours' types */
    void *v = ws_table_alloc(m, types_bytes(ws->cap), &ws->v_mem);
    ws->slot = ws_mem_alloc(m, (ws->mask + 1) * sizeof *ws->slot);
    if (!v || !ws->slot) return 0;
    ws->v = types_align(v);
    types_clear(ws);
    for (unsigned k = 0; k < 2; k++) { /* the padding: never scored */
        pos_type *ty = &ws->v[k == 0 ? PAD_BEFORE : PAD_AFTER];
        memset(ty, 0, sizeof *ty);
        ty->pad = (uint8_t)(1 + k);
        pos_fill x;
        type_set(pm, ty, &pad_tok[k], WS_POS_KNOWN | WS_POS_NN, &x);
        fill_batch(pm, &x, 1);
    }
    pos_fill x[FILL_BATCH];
    size_t nx = 0;
    while (p && p < end && ws->n < ws->cap) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        uint64_t h = ws_hash_bytes(WS_HASH_SEED, p, n);
        size_t slot;
        if (n && !type_find(ws, p, n, h, &slot))
            type_add(pm, ws, p, n, h, slot, &x[nx++]);
        if (nx == FILL_BATCH) fill_batch(pm, x, nx), nx = 0;
        p += n + 1;
    }
    fill_batch(pm, x, nx);
    return 1;
}

/* ---- Tagging a document through the tables ---- */

/* The type of string s[0..n) (hash h): the model's, else the document's
 * (added if new, its sums started in x[(*nx)++]; the caller makes sure
 * there is room, and calls fill_batch on x before using the type). */
static const pos_type *type_of(const struct ws_pos_model *pm, pos_types *ts,
                               const char *s, size_t n, uint64_t h,
                               pos_fill *x, size_t *nx) {
    size_t slot;
    uint32_t id = type_find(pm->words, s, n, h, &slot);
    if (id) return &pm->words->v[id];
    id = type_find(ts, s, n, h, &slot);
    if (id) {
        if (ts->uses && ts->uses[id] < UINT8_MAX) ts->uses[id]++;
        return &ts->v[id];
    }
    return type_add(pm, ts, s, n, h, slot, &x[(*nx)++]);
}

WS_POS_INLINE void add_cur(const pos_type *ty, int32_t *sc) {
    for (int t = 0; t < ROW; t++) sc[t] += ty->cur[t];
}

WS_POS_INLINE void add_part(const struct ws_pos_model *pm, const pos_type *ty,
                            unsigned p, int32_t *sc) {
    if (ty->wide >> p & 1u) {
        part_sum(pm, ty, p, sc);
        return;
    }
    const int16_t *v = PART_V(ty, p);
    for (int t = 0; t < ROW; t++) sc[t] += v[t];
}

/* Prefetches the vectors that token *t's static score reads. */
WS_POS_INLINE void prefetch_parts(const pos_type *const *t) {
    const char *c = (const char *)t[0]->cur;
    for (int k = 0; k < 4; k++) WS_PREFETCH(c + 64 * k);
    WS_PREFETCH(PART_V(t[-1], PART_L1));
    WS_PREFETCH(PART_V(t[-1], PART_L1) + 32);
    WS_PREFETCH(PART_V(t[1], PART_R1));
    WS_PREFETCH(PART_V(t[1], PART_R1) + 32);
    WS_PREFETCH(PART_V(t[-2], PART_L2));
    WS_PREFETCH(PART_V(t[-2], PART_L2) + 32);
    WS_PREFETCH(PART_V(t[2], PART_R2));
    WS_PREFETCH(PART_V(t[2], PART_R2) + 32);
}

#ifndef TBLK
#define TBLK 32 /* tokens per block of tag_types */
#endif

/*
 * Greedy tagging of one sentence given as types ty[0..n), with ty[-2],
 * ty[-1] the padding before and ty[n], ty[n+1] the padding after, in
 * blocks of TBLK tokens: the type vectors of the block are prefetched,
 * each token's static score summed (base + 5 type vectors), then the
 * greedy pass adds the tag-only sums of the two previous tags and takes
 * the best tag. No feature of the model (version 2) combines a tag with a
 * word, so there is no lookup in the feature table here.
 */
WS_POS_CLONES
static void tag_types(const struct ws_pos_model *pm,
                      const pos_type *const *ty, size_t n, uint8_t *tags) {
    uint8_t fixed[TBLK];
    int32_t sc[TBLK][ROW];
    unsigned p1 = 0, p2 = 0;
    for (size_t i0 = 0; i0 < n; i0 += TBLK) {
        size_t m = WS_MIN((size_t)TBLK, n - i0);
        for (size_t j = 0; j < m; j++) {
            fixed[j] = ty[i0 + j]->dict & ~WS_POS_KNOWN;
            if (!fixed[j]) prefetch_parts(ty + i0 + j);
        }
        for (size_t j = 0; j < m; j++) {
            if (fixed[j]) continue;
            const pos_type *const *tj = ty + i0 + j;
            const pos_type *t = tj[0];
            memcpy(sc[j], pm->base[BASE_INDEX(t->flags, i0 + j == 0, t->dict)],
                   sizeof sc[j]);
            add_cur(t, sc[j]);
            add_part(pm, tj[-1], PART_L1, sc[j]);
            add_part(pm, tj[1], PART_R1, sc[j]);
            add_part(pm, tj[-2], PART_L2, sc[j]);
            add_part(pm, tj[2], PART_R2, sc[j]);
        }
        for (size_t j = 0; j < m; j++) {
            unsigned tg = fixed[j];
            if (!tg) {
                const int32_t *tv = pm->tagsum[p1 * WS_POS_NTAGS + p2];
                for (int t = 0; t < ROW; t++) sc[j][t] += tv[t];
                tg = argmax(sc[j]);
            }
            p2 = p1;
            p1 = tg;
            tags[i0 + j] = (uint8_t)tg;
        }
    }
}

/* Tags document tokens [a, b) through the tables; tp has room for
 * b - a + 4 entries, tags for b - a; room: key_room(t, a, b) when the table
 * owns its keys. */
static void tag_sentence(const struct ws_pos_model *pm, ws_text *t,
                         pos_types *ts, uint32_t a, uint32_t b, size_t room,
                         const pos_type **tp, uint8_t *tags) {
    size_t n = b - a;
    if (ts->n + n > ts->cap || ts->pool_n + room > ts->pool_cap) {
        types_renew(ts);
        if (ts->n + n > ts->cap || ts->pool_n + room > ts->pool_cap) types_clear(ts);
    }
    tp[0] = tp[1] = &pm->words->v[PAD_BEFORE];
    const pos_types *ws = pm->words;
    for (uint32_t i0 = a; i0 < b; i0 += TBLK) { /* prefetch, then find */
        const char *s[TBLK];
        size_t len[TBLK];
        uint64_t h[TBLK];
        uint32_t m = WS_MIN((uint32_t)TBLK, b - i0);
        for (uint32_t j = 0; j < m; j++) {
            s[j] = tok_form(t, i0 + j, &len[j]);
            h[j] = ws_hash_bytes(WS_HASH_SEED, s[j], len[j]);
            WS_PREFETCH(&ws->slot[(size_t)h[j] & ws->mask]);
        }
        for (uint32_t j = 0; j < m; j++) {
            uint32_t id = (uint32_t)ws->slot[(size_t)h[j] & ws->mask];
            WS_PREFETCH(&ws->v[id]);
        }
        pos_fill x[TBLK];
        size_t nx = 0;
        for (uint32_t j = 0; j < m; j++)
            tp[2 + i0 + j - a] = type_of(pm, ts, s[j], len[j], h[j], x, &nx);
        fill_batch(pm, x, nx);
    }
    tp[n + 2] = tp[n + 3] = &pm->words->v[PAD_AFTER];
    tag_types(pm, tp + 2, n, tags);
    for (uint32_t i = a; i < b; i++) t->toks.v[i].pos = tags[i - a];
}

/* Tags tokens [a, b): through the tables, or the reference path for a
 * range longer than the document's table. */
static ws_status tag_any(const struct ws_pos_model *pm, ws_doc *d,
                         pos_types *ts, uint32_t a, uint32_t b,
                         const pos_type **tp, uint8_t *tags, ws_pos_tok **buf,
                         size_t longest) {
    size_t room = ts->pool ? key_room(&d->text, a, b) : 0;
    if (b - a + FIRST_ID <= ts->cap && room <= ts->pool_cap) {
        tag_sentence(pm, &d->text, ts, a, b, room, tp, tags);
        return WS_OK;
    }
    if (!*buf) *buf = ws_arena_alloc(&d->arena, longest * sizeof **buf);
    WS_RETURN_IF(!*buf, WS_ERR_NOMEM);
    tag_range(pm, &d->text, a, b, *buf, tags);
    return WS_OK;
}

/* A ws_cache's word types (made by ws_pos_cache_new below). */
struct ws_pos_cache {
    const struct ws_pos_model *pm; /* the model whose sums the types hold */
    pos_types ts;
};

ws_status ws_pos_tag(const ws_engine *e, ws_doc *d) {
    ws_text *t = &d->text;
    const struct ws_pos_model *pm = e && e->models ? e->models->pos : NULL;
    for (size_t i = 0; i < t->toks.n; i++) t->toks.v[i].pos = 0;
    if (!pm || !t->toks.n) return WS_OK;
    size_t longest = t->sents.n ? 0 : t->toks.n;
    for (size_t s = 0; s < t->sents.n; s++) {
        const ws_sentence *se = &t->sents.v[s];
        if (se->tok_end > se->tok_start && se->tok_end <= t->toks.n)
            longest = WS_MAX(longest, (size_t)(se->tok_end - se->tok_start));
    }
    if (!longest) return WS_OK;
    /* The caller's types (kept across documents, keys copied), else the
     * document's own (their strings point into the text). */
    pos_types local, *ts = &local;
    struct ws_pos_cache *pc = d->cache ? d->cache->pos : NULL;
    if (pc && pc->pm == pm) {
        ts = &pc->ts;
    } else {
        memset(&local, 0, sizeof local);
        local.cap = WS_MIN(t->toks.n, (size_t)TYPES_MAX) + FIRST_ID;
        local.mask = types_slots(local.cap) - 1;
        local.v_mem = ws_arena_alloc(&d->arena, types_bytes(local.cap));
        local.v = local.v_mem ? types_align(local.v_mem) : NULL;
        local.slot = ws_arena_alloc(&d->arena, (local.mask + 1) * sizeof *local.slot);
        WS_RETURN_IF(!local.v || !local.slot, WS_ERR_NOMEM);
        types_clear(&local);
    }
    size_t ntp = WS_MIN(longest, ts->cap) + 4;
    const pos_type **tp = ws_arena_alloc(&d->arena, ntp * sizeof *tp);
    uint8_t *tags = ws_arena_alloc(&d->arena, longest);
    WS_RETURN_IF(!tp || !tags, WS_ERR_NOMEM);
    ws_pos_tok *buf = NULL;
    if (!t->sents.n)
        return tag_any(pm, d, ts, 0, (uint32_t)t->toks.n, tp, tags, &buf, longest);
    for (size_t s = 0; s < t->sents.n; s++) {
        const ws_sentence *se = &t->sents.v[s];
        if (se->tok_end > se->tok_start && se->tok_end <= t->toks.n)
            WS_FORWARD_IF_ERROR(tag_any(pm, d, ts, se->tok_start, se->tok_end,
                                        tp, tags, &buf, longest));
    }
    return WS_OK;
}

/* ---- Word types kept across documents (a ws_cache's part) ---- */

#ifndef WS_POS_CACHE_TYPES
#define WS_POS_CACHE_TYPES 8192 /* types of a ws_cache, padding ids included */
#endif
#define CACHE_KEY_BYTES 16 /* pool bytes per type */


size_t ws_pos_cache_bytes(const struct ws_pos_cache *c) {
    if (!c) return 0;
    return sizeof *c + types_bytes(c->ts.cap) + (c->ts.mask + 1) * sizeof *c->ts.slot +
           c->ts.pool_cap + c->ts.cap;
}

size_t ws_pos_cache_types(const struct ws_pos_cache *c) {
    return c ? c->ts.n - FIRST_ID : 0;
}

size_t ws_pos_cache_kept(const struct ws_pos_cache *c) {
    return c ? c->ts.renewed : 0;
}

void ws_pos_cache_free(const ws_engine *e, struct ws_pos_cache *c) {
    if (!c) return;
    const ws_mem *m = &e->mem;
    ws_mem_free(m, c->ts.v_mem, ws_table_alloc_size(types_bytes(c->ts.cap)));
    ws_mem_free(m, c->ts.slot, (c->ts.mask + 1) * sizeof *c->ts.slot);
    ws_mem_free(m, c->ts.pool, c->ts.pool_cap);
    ws_mem_free(m, c->ts.uses, c->ts.cap);
    ws_mem_free(m, c, sizeof *c);
}

ws_status ws_pos_cache_new(const ws_engine *e, struct ws_pos_cache **out) {
    *out = NULL;
    const struct ws_pos_model *pm = e->models ? e->models->pos : NULL;
    if (!pm) return WS_OK; /* no tagger: nothing to keep */
    const ws_mem *m = &e->mem;
    struct ws_pos_cache *c = ws_mem_alloc(m, sizeof *c);
    WS_RETURN_IF(!c, WS_ERR_NOMEM);
    memset(c, 0, sizeof *c);
    c->pm = pm;
    c->ts.cap = WS_POS_CACHE_TYPES;
    c->ts.mask = types_slots(c->ts.cap) - 1;
    c->ts.pool_cap = (size_t)WS_POS_CACHE_TYPES * CACHE_KEY_BYTES;
    void *v = ws_table_alloc(m, types_bytes(c->ts.cap), &c->ts.v_mem); /* huge pages */
    c->ts.slot = ws_mem_alloc(m, (c->ts.mask + 1) * sizeof *c->ts.slot);
    c->ts.pool = ws_mem_alloc(m, c->ts.pool_cap);
    c->ts.uses = ws_mem_alloc(m, c->ts.cap);
    if (!v || !c->ts.slot || !c->ts.pool || !c->ts.uses) {
        ws_pos_cache_free(e, c);
        return WS_ERR_NOMEM;
    }
    c->ts.v = types_align(v);
    types_clear(&c->ts);
    *out = c;
    return WS_OK;
}
