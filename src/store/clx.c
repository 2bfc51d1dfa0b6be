/*
 * clx.c - the writer's index of quote clusters (docs/store.md, "Quote
 * clusters"): exact text hash -> cluster, and LSH band key -> clusters.
 * Nothing here is global.
 *
 * Keys are 32-bit fingerprints (bits 31..62 of the 63-bit hash or band
 * key), not the keys: a fingerprint match is only a candidate. An exact
 * match is verified against the cluster's row (clusters.hash, one rowid
 * lookup), a band match by the caller, who reads the candidate's signature
 * anyway and recomputes its band. So fingerprint collisions cost a lookup,
 * never a wrong cluster (the test hook ws_clx_set_test narrows the
 * fingerprints to force collisions).
 *
 * Since schema v6 the fingerprints are kept in the database, in
 * `cluster_keys`: one row per committed batch (a row of fewer than
 * MERGE_BELOW clusters takes the next batch's instead of a new row), two
 * BLOBs of little-endian u32 columns:
 *   exact: n ids, then n fingerprints of clusters.hash
 *   bands: m ids (the clusters with a signature), then for each of the
 *          WS_MINHASH_BANDS bands the m fingerprints of that band's key.
 *
 * A writer handle reads these rows on its first cluster lookup (a few
 * large BLOBs, not a row per cluster) and starts in SCAN mode: a lookup
 * scans the fingerprint column it needs (4 bytes a cluster, sequential),
 * which is cheaper than building hash maps for a handle that adds one
 * article. After SCAN_LIMIT scans it builds the MAP mode's open-addressing
 * tables (one 64-bit slot per entry: fingerprint << 32 | id; 0 = empty)
 * and frees the rows. Either way, the clusters the handle adds are kept in
 * `pend` (and the maps), written as a row by ws_clx_flush at commit; at
 * each ws_store_begin() the index takes in what other writers committed
 * (ids only grow: id > known_max); a rollback drops everything.
 *
 * Near-duplicate window: a cluster is a band candidate only while it is
 * among the `window` most recent clusters (id > largest id - window, at
 * the time of the lookup), so the band entries are bounded; exact lookups
 * cover every cluster. The rule depends only on the store's content, so a
 * writer kept open and one reopened give the same clusters.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* A cluster_keys row smaller than this many clusters is merged with the
 * next batch's entries instead of starting a row (one-article commits). */
#define MERGE_BELOW 4096
/* The migration packs the existing clusters this many to a row. */
#define PACK_CHUNK 65536
/* Scans before building the maps: a scan reads 4 bytes a cluster in
 * order, a map entry costs about a cache miss; on the 1M-statement store
 * (915,444 clusters) a scan took 0.4-0.7 ms, building the maps 0.45-0.52 s
 * of CPU (docs/BENCHMARKS.md, "Session 4: quote-cluster maps"). */
#define SCAN_LIMIT 512
#define NB WS_MINHASH_BANDS

typedef struct clmap {
    uint64_t *slot; /* fp << 32 | id; 0 = empty */
    size_t cap, n;  /* cap: any size; at most 80% full */
} clmap;

typedef struct u32v {
    uint32_t *p;
    size_t n, cap;
} u32v;

/* One cluster_keys row in memory (scan mode): its two BLOBs. */
typedef struct krow {
    int64_t first, last;
    size_t n, m; /* exact entries, band entries */
    unsigned char *e, *b;
} krow;

struct ws_clx {
    int loaded;          /* rows (scan mode) or maps ready */
    int mapped;          /* map mode */
    unsigned scans, scan_limit;
    int64_t known_max;   /* the largest cluster id in the index */
    int64_t band_floor;  /* map mode: band entries with id <= this dropped */
    uint32_t fp_mask;    /* fingerprint bits compared (test hook) */
    clmap exact;         /* map mode: one entry per cluster */
    clmap bands;         /* map mode: NB entries per cluster with a signature */
    krow *rows;          /* scan mode: the committed rows, in id order */
    /* the first load's check of cluster_keys: entries read, the largest
     * id covered, a row of the wrong length seen */
    int64_t keys_seen, keys_covered;
    int damaged;
    size_t nrows, caprows;
    /* clusters not yet in cluster_keys (written by ws_clx_flush) */
    u32v pe_id, pe_fp, pb_id, pb_fp[NB];
};

static uint32_t fp_of(uint64_t key) { return (uint32_t)(key >> 31); }

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A u32 of a BLOB column (little-endian): a plain load on a little-endian
 * machine, so that the scan loop below vectorises. */
static uint32_t load32(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return get32(p);
#endif
}

/* The index of the first entry >= i of a fingerprint column whose masked
 * fingerprint is fp, or n: blocks of 64 are tested with a loop without
 * exits (vectorised), and only a block with a match is walked. */
static size_t next_match(const unsigned char *col, size_t i, size_t n, uint32_t fp,
                         uint32_t mask) {
    while (i < n) {
        size_t end = n - i > 64 ? i + 64 : n;
        int any = 0;
        for (size_t j = i; j < end; j++) any |= (load32(col + 4 * j) & mask) == fp;
        if (any)
            for (size_t j = i; j < end; j++)
                if ((load32(col + 4 * j) & mask) == fp) return j;
        i = end;
    }
    return n;
}

/* ---- open-addressing maps (map mode) ------------------------------------ */

static size_t home(uint32_t fp, size_t cap) {
    return (size_t)(((uint64_t)(uint32_t)(fp * 0x9E3779B1u) * cap) >> 32);
}

static void map_free(clmap *m) {
    free(m->slot);
    memset(m, 0, sizeof *m);
}

static void put(clmap *m, uint32_t fp, uint32_t id) {
    size_t j = home(fp, m->cap);
    while (m->slot[j]) j = j + 1 == m->cap ? 0 : j + 1;
    m->slot[j] = (uint64_t)fp << 32 | id;
}

/* Rehashes into cap slots, keeping the entries whose id > floor. */
static int map_rebuild(clmap *m, size_t cap, uint32_t mask, int64_t floor) {
    uint64_t *old = m->slot;
    size_t oldcap = m->cap;
    if (cap < 1024) cap = 1024;
    if (!(m->slot = calloc(cap, sizeof *m->slot))) {
        m->slot = old;
        return -1;
    }
    m->cap = cap;
    m->n = 0;
    for (size_t i = 0; i < oldcap; i++) {
        uint32_t id = (uint32_t)old[i];
        if (!old[i] || (int64_t)id <= floor) continue;
        put(m, (uint32_t)(old[i] >> 32) & mask, id);
        m->n++;
    }
    free(old);
    return 0;
}

/* Room for n more entries without a rehash (at most 80% full; a rehash
 * sizes for 70%, so a handle can add 10% more before the next). */
static int map_reserve(clmap *m, size_t n, uint32_t mask) {
    if ((m->n + n) * 5 <= m->cap * 4) return 0;
    size_t want = (m->n + n) * 10 / 7 + 1, grow = m->cap + m->cap / 2;
    return map_rebuild(m, want > grow ? want : grow, mask, 0);
}

static int map_add(clmap *m, uint32_t fp, uint32_t id, uint32_t mask) {
    if (map_reserve(m, 1, mask)) return -1;
    put(m, fp & mask, id);
    m->n++;
    return 0;
}

/* ---- the pending entries -------------------------------------------------- */

static int v_push(u32v *v, uint32_t x) {
    if (v->n == v->cap) {
        size_t c = v->cap ? v->cap * 2 : 1024;
        uint32_t *p = realloc(v->p, c * sizeof *p);
        if (!p) return -1;
        v->p = p;
        v->cap = c;
    }
    v->p[v->n++] = x;
    return 0;
}

static void pend_clear(ws_clx *x) {
    x->pe_id.n = x->pe_fp.n = x->pb_id.n = 0;
    for (int b = 0; b < NB; b++) x->pb_fp[b].n = 0;
}

static int pend_add(ws_clx *x, uint32_t id, uint32_t efp, const uint32_t *bfp) {
    if (v_push(&x->pe_id, id) || v_push(&x->pe_fp, efp)) return -1;
    if (bfp) {
        if (v_push(&x->pb_id, id)) return -1;
        for (int b = 0; b < NB; b++)
            if (v_push(&x->pb_fp[b], bfp[b])) return -1;
    }
    return 0;
}

/* ---- the handle's index ------------------------------------------------- */

static void rows_free(ws_clx *x) {
    for (size_t i = 0; i < x->nrows; i++) {
        free(x->rows[i].e);
        free(x->rows[i].b);
    }
    x->nrows = 0;
}

static void clx_drop(ws_clx *x) {
    map_free(&x->exact);
    map_free(&x->bands);
    rows_free(x);
    pend_clear(x);
    x->loaded = x->mapped = 0;
    x->scans = 0;
    x->known_max = 0;
    x->band_floor = 0;
    x->keys_seen = x->keys_covered = 0;
    x->damaged = 0;
}

void ws_clx_free(ws_clx *x) {
    if (!x) return;
    clx_drop(x);
    free(x->rows);
    free(x->pe_id.p);
    free(x->pe_fp.p);
    free(x->pb_id.p);
    for (int b = 0; b < NB; b++) free(x->pb_fp[b].p);
    free(x);
}

void ws_clx_reset(ws_clx *x) {
    if (x) clx_drop(x);
}

static ws_clx *clx_new(ws_store *s) {
    if (!s->clx && (s->clx = calloc(1, sizeof *s->clx))) {
        s->clx->fp_mask = UINT32_MAX;
        s->clx->scan_limit = SCAN_LIMIT;
    }
    return s->clx;
}

int ws_clx_set_test(ws_store *s, uint32_t mask, unsigned scan_limit) {
    if (s->in_batch || !clx_new(s)) return -1;
    clx_drop(s->clx);
    s->clx->fp_mask = mask;
    s->clx->scan_limit = scan_limit;
    return 0;
}

uint64_t ws_store_near_window(const ws_store *s) {
    return s->near_window ? s->near_window : WS_STORE_DEFAULT_NEAR_WINDOW;
}

/* The largest id that is no longer a band candidate. */
static int64_t band_low(const ws_store *s) {
    uint64_t w = ws_store_near_window(s);
    return s->clx->known_max > (int64_t)w ? s->clx->known_max - (int64_t)w : 0;
}

/* Map mode: drops the band entries that left the window once a quarter
 * of the window has (the map keeps at most 1.25 windows of clusters). */
static int trim_bands(ws_store *s) {
    ws_clx *x = s->clx;
    if (!x->mapped) return 0;
    int64_t low = band_low(s);
    uint64_t w = ws_store_near_window(s);
    if (low - x->band_floor <= (int64_t)(w / 4)) return 0;
    size_t live = (size_t)(x->known_max - low) * NB;
    if (map_rebuild(&x->bands, live * 10 / 7 + 1, x->fp_mask, low)) return -1;
    x->band_floor = low;
    return 0;
}

/* Map mode: adds one cluster's fingerprints (bfp NULL: no signature). */
static int maps_add(ws_store *s, uint32_t id, uint32_t efp, const uint32_t *bfp) {
    ws_clx *x = s->clx;
    if (map_add(&x->exact, efp, id, x->fp_mask)) return -1;
    if (!bfp || (int64_t)id <= band_low(s)) return 0;
    if (map_reserve(&x->bands, NB, x->fp_mask)) return -1;
    for (int b = 0; b < NB; b++) put(&x->bands, bfp[b] & x->fp_mask, id);
    x->bands.n += NB;
    return 0;
}

static void bands_fps(const int64_t b[NB], uint32_t bfp[NB]) {
    for (int i = 0; i < NB; i++) bfp[i] = fp_of((uint64_t)b[i]);
}

static void sig_fps(const uint32_t *sig, uint32_t bfp[NB]) {
    int64_t b[NB];
    ws_store_bands(sig, b);
    bands_fps(b, bfp);
}

/* Adds a cluster to the pending entries and, in map mode, the maps. */
static int add_one(ws_store *s, uint32_t id, uint32_t efp, const uint32_t *bfp) {
    ws_clx *x = s->clx;
    if ((int64_t)id > x->known_max) x->known_max = id;
    if (pend_add(x, id, efp, bfp)) return -1;
    return x->mapped ? maps_add(s, id, efp, bfp) || trim_bands(s) : 0;
}

ws_status ws_clx_add(ws_store *s, int64_t id, uint64_t hash, const int64_t *bands) {
    ws_clx *x = s->clx;
    if (!x || !x->loaded) return WS_OK; /* not read yet: it will read the row */
    if (id <= 0 || id > (int64_t)UINT32_MAX)
        return ws_store_fail(s, WS_ERR_IO, "quote cluster id %lld out of range", (long long)id);
    uint32_t bfp[NB];
    if (bands) bands_fps(bands, bfp);
    if (add_one(s, (uint32_t)id, fp_of(hash), bands ? bfp : NULL))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    return WS_OK;
}

/* Reads the clusters rows with id > after (the clusters no cluster_keys
 * row covers) into the pending entries; with pack set (the migration),
 * flushes them PACK_CHUNK at a time. */
static ws_status read_rows(ws_store *s, int64_t after, int pack) {
    ws_clx *x = s->clx;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, hash, sig FROM clusters WHERE id > ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote clusters");
    sqlite3_bind_int64(st, 1, after);
    int rc;
    ws_status r = WS_OK;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        uint32_t efp = fp_of((uint64_t)sqlite3_column_int64(st, 1)), bfp[NB];
        uint32_t sig[WS_MINHASH_K];
        int has = sqlite3_column_bytes(st, 2) == (int)sizeof sig;
        if (has) {
            memcpy(sig, sqlite3_column_blob(st, 2), sizeof sig);
            sig_fps(sig, bfp);
        }
        if (id <= 0 || id > (int64_t)UINT32_MAX)
            r = ws_store_fail(s, WS_ERR_IO, "quote cluster id %lld out of range", (long long)id);
        else if (add_one(s, (uint32_t)id, efp, has ? bfp : NULL))
            r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        else if (pack && x->pe_id.n >= PACK_CHUNK)
            r = ws_clx_flush(s);
    }
    if (!r && rc != SQLITE_DONE) r = ws_store_sqlfail(s, "quote clusters");
    sqlite3_finalize(st);
    return r;
}

/* Map mode: adds a row's entries with id > from. */
static int row_to_maps(ws_store *s, const unsigned char *e, size_t n, const unsigned char *b,
                       size_t m, int64_t from, int64_t low) {
    ws_clx *x = s->clx;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = get32(e + 4 * i);
        if ((int64_t)id > from && map_add(&x->exact, get32(e + 4 * (n + i)), id, x->fp_mask))
            return -1;
    }
    for (size_t i = 0; i < m; i++) {
        uint32_t id = get32(b + 4 * i);
        if ((int64_t)id <= from || (int64_t)id <= low) continue;
        for (int k = 0; k < NB; k++)
            if (map_add(&x->bands, get32(b + 4 * (m * (1 + k) + i)), id, x->fp_mask)) return -1;
    }
    return 0;
}

/* Takes in the clusters above known_max: in map mode the cluster_keys
 * entries above it; in scan mode (rows only ever grow at the end, but the
 * last one may have been merged with new entries) every row again. Then
 * the clusters rows that no cluster_keys row covers. */
static ws_status load_since(ws_store *s) {
    ws_clx *x = s->clx;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT coalesce(max(id), 0) FROM clusters),"
                           " (SELECT coalesce(max(last_id), 0) FROM cluster_keys)",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote clusters");
    int64_t max = 0, covered = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        max = sqlite3_column_int64(st, 0);
        covered = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (max <= x->known_max) return WS_OK;
    if (!x->mapped) {
        rows_free(x);
        x->known_max = 0;
    }
    int64_t from = x->known_max; /* entries above it are new */
    x->keys_seen = x->keys_covered = 0;
    x->damaged = 0;
    uint64_t w = ws_store_near_window(s);
    int64_t low = max > (int64_t)w ? max - (int64_t)w : 0;
    if (x->mapped) {
        int64_t nb = max - (from > low ? from : low);
        if (map_reserve(&x->exact, (size_t)(max - from), x->fp_mask) ||
            map_reserve(&x->bands, (size_t)nb * NB, x->fp_mask))
            return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT first_id, last_id, exact, bands FROM cluster_keys"
                           " WHERE last_id > ?1 ORDER BY first_id",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_bind_int64(st, 1, from);
    int rc;
    ws_status r = WS_OK;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t first = sqlite3_column_int64(st, 0), last = sqlite3_column_int64(st, 1);
        const unsigned char *e = sqlite3_column_blob(st, 2);
        size_t ne = (size_t)sqlite3_column_bytes(st, 2);
        /* a row without band in the window: its bands are not read */
        int want_b = last > low;
        const unsigned char *b = want_b ? sqlite3_column_blob(st, 3) : NULL;
        size_t nbytes = want_b ? (size_t)sqlite3_column_bytes(st, 3) : 0;
        if (ne % 8 || nbytes % (4 * (1 + NB))) {
            x->damaged = 1; /* ensure() rebuilds cluster_keys */
            continue;
        }
        size_t n = ne / 8, m = nbytes / (4 * (1 + NB));
        x->keys_seen += (int64_t)n;
        if (x->mapped) {
            if (row_to_maps(s, e, n, b, m, from, low))
                r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            continue;
        }
        if (x->nrows == x->caprows) {
            size_t c = x->caprows ? x->caprows * 2 : 64;
            krow *p = realloc(x->rows, c * sizeof *p);
            if (!p) {
                r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
                break;
            }
            x->rows = p;
            x->caprows = c;
        }
        krow *k = &x->rows[x->nrows];
        memset(k, 0, sizeof *k);
        k->first = first;
        k->last = last;
        k->n = n;
        k->m = m;
        if ((ne && !(k->e = malloc(ne))) || (nbytes && !(k->b = malloc(nbytes)))) {
            free(k->e);
            r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            break;
        }
        if (ne) memcpy(k->e, e, ne);
        if (nbytes) memcpy(k->b, b, nbytes);
        x->nrows++;
    }
    if (!r && rc != SQLITE_DONE) r = ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_finalize(st);
    if (!r) {
        if (!from) x->keys_covered = covered;
        x->known_max = covered > from ? covered : from;
        /* clusters without keys (none unless a writer failed to pack
         * them): read from their rows, packed at the next commit */
        if (max > x->known_max) r = read_rows(s, x->known_max, 0);
    }
    if (!r) x->known_max = max;
    return r;
}

/* Scan mode -> map mode: the rows and pending entries into the maps. */
static ws_status build_maps(ws_store *s) {
    ws_clx *x = s->clx;
    int64_t low = band_low(s);
    size_t n = x->pe_id.n, m = 0;
    for (size_t i = 0; i < x->nrows; i++) {
        n += x->rows[i].n;
        if (x->rows[i].last > low) m += x->rows[i].m;
    }
    m += x->pb_id.n;
    x->mapped = 1;
    x->band_floor = low;
    int bad = map_reserve(&x->exact, n, x->fp_mask) || map_reserve(&x->bands, m * NB, x->fp_mask);
    for (size_t i = 0; i < x->nrows && !bad; i++) {
        const krow *k = &x->rows[i];
        bad = row_to_maps(s, k->e, k->n, k->last > low ? k->b : NULL, k->last > low ? k->m : 0,
                          0, low);
    }
    for (size_t i = 0; i < x->pe_id.n && !bad; i++)
        bad = map_add(&x->exact, x->pe_fp.p[i], x->pe_id.p[i], x->fp_mask);
    for (size_t i = 0; i < x->pb_id.n && !bad; i++) {
        if ((int64_t)x->pb_id.p[i] <= low) continue;
        for (int b = 0; b < NB && !bad; b++)
            bad = map_add(&x->bands, x->pb_fp[b].p[i], x->pb_id.p[i], x->fp_mask);
    }
    rows_free(x);
    if (bad) {
        clx_drop(x);
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    }
    return WS_OK;
}

ws_status ws_clx_refresh(ws_store *s) {
    if (!s->clx || !s->clx->loaded) return WS_OK;
    ws_status r = load_since(s);
    if (!r && trim_bands(s)) r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (r) clx_drop(s->clx);
    return r;
}

/* After a first load: does cluster_keys miss clusters or hold some
 * twice (ids are 1..max without gaps unless rows were deleted by hand, so
 * the cheap test is the count; a full count confirms), or hold a damaged
 * row? 1 yes, 0 no, -1 error. */
static int keys_stale(ws_store *s) {
    ws_clx *x = s->clx;
    if (x->damaged) return 1;
    if (x->keys_seen == x->keys_covered) return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM clusters WHERE id <= ?1", -1, &st,
                           NULL) != SQLITE_OK) {
        ws_store_sqlfail(s, "quote clusters");
        return -1;
    }
    sqlite3_bind_int64(st, 1, x->keys_covered);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n != x->keys_seen;
}

/* Loads the index on first use (rebuilding cluster_keys from the clusters
 * rows if it is damaged: it only caches them); builds the maps after
 * scan_limit scans. */
static ws_status ensure(ws_store *s) {
    if (!clx_new(s)) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    ws_clx *x = s->clx;
    if (!x->loaded) {
        clx_drop(x);
        ws_status r = load_since(s);
        int stale = r ? 0 : keys_stale(s);
        if (stale < 0) r = WS_ERR_IO;
        else if (stale) {
            clx_drop(x);
            r = ws_store_exec(s, "DELETE FROM cluster_keys");
            if (!r) r = ws_clx_pack_all(s);
            if (!r) r = load_since(s);
        }
        if (r) {
            clx_drop(x);
            return r;
        }
        x->loaded = 1;
    }
    if (!x->mapped && x->scans >= x->scan_limit) return build_maps(s);
    return WS_OK;
}

/* Is cluster id's stored hash this one? (-1: error) */
static int verify(ws_store *s, uint32_t id, uint64_t hash) {
    /* a cluster of the article being written may wait for its row */
    const ws_cl_row *w = ws_store_pending_cluster(s, id);
    if (w) return (uint64_t)w->hash == hash;
    sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_CL_HASH);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int same = rc == SQLITE_ROW && (uint64_t)sqlite3_column_int64(st, 0) == hash;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ws_store_sqlfail(s, "cluster lookup");
        return -1;
    }
    return same;
}

/* Scan mode: the first id in ids[0..n) whose fingerprint (fps[]) matches
 * and whose hash is this one; 0 none, -1 error. */
static int64_t scan_exact(ws_store *s, const unsigned char *ids, const unsigned char *fps,
                          const uint32_t *pid, const uint32_t *pfp, size_t n, uint32_t fp,
                          uint64_t hash) {
    uint32_t mask = s->clx->fp_mask;
    for (size_t i = 0; i < n; i++) {
        if (pfp) {
            if ((pfp[i] & mask) != fp) continue;
        } else if ((i = next_match(fps, i, n, fp, mask)) == n)
            break;
        uint32_t id = pid ? pid[i] : get32(ids + 4 * i);
        int v = verify(s, id, hash);
        if (v) return v < 0 ? -1 : (int64_t)id;
    }
    return 0;
}

ws_status ws_clx_exact(ws_store *s, uint64_t hash, int64_t *id) {
    *id = 0;
    ws_status r = ensure(s);
    if (r) return r;
    ws_clx *x = s->clx;
    uint32_t fp = fp_of(hash) & x->fp_mask;
    if (!x->mapped) {
        x->scans++;
        int64_t got = 0;
        for (size_t i = 0; i < x->nrows && !got; i++) {
            const krow *k = &x->rows[i];
            if (!k->n) continue;
            got = scan_exact(s, k->e, k->e + 4 * k->n, NULL, NULL, k->n, fp, hash);
        }
        if (!got) got = scan_exact(s, NULL, NULL, x->pe_id.p, x->pe_fp.p, x->pe_id.n, fp, hash);
        if (got < 0) return WS_ERR_IO;
        *id = got;
        return WS_OK;
    }
    const clmap *m = &x->exact;
    if (!m->cap) return WS_OK;
    for (size_t j = home(fp, m->cap); m->slot[j]; j = j + 1 == m->cap ? 0 : j + 1) {
        if ((uint32_t)(m->slot[j] >> 32) != fp) continue;
        int v = verify(s, (uint32_t)m->slot[j], hash);
        if (v < 0) return WS_ERR_IO;
        if (v) {
            *id = (uint32_t)m->slot[j];
            break;
        }
    }
    return WS_OK;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cand_push(uint32_t **ids, size_t *n, size_t *cap, uint32_t id) {
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        uint32_t *p = realloc(*ids, c * sizeof *p);
        if (!p) return -1;
        *ids = p;
        *cap = c;
    }
    (*ids)[(*n)++] = id;
    return 0;
}

ws_status ws_clx_band(ws_store *s, int band, uint64_t key, uint32_t **ids, size_t *n,
                      size_t *cap) {
    *n = 0;
    ws_status r = ensure(s);
    if (r) return r;
    ws_clx *x = s->clx;
    int64_t low = band_low(s);
    uint32_t fp = fp_of(key) & x->fp_mask, mask = x->fp_mask;
    int oom = 0;
    if (!x->mapped) {
        x->scans++;
        for (size_t i = 0; i < x->nrows && !oom; i++) {
            const krow *k = &x->rows[i];
            if (k->last <= low || !k->m) continue;
            const unsigned char *col = k->b + 4 * k->m * (size_t)(1 + band);
            for (size_t j = 0; !oom && (j = next_match(col, j, k->m, fp, mask)) < k->m; j++) {
                uint32_t id = get32(k->b + 4 * j);
                if ((int64_t)id > low) oom = cand_push(ids, n, cap, id);
            }
        }
        const u32v *col = &x->pb_fp[band];
        for (size_t j = 0; j < col->n && !oom; j++)
            if ((col->p[j] & mask) == fp && (int64_t)x->pb_id.p[j] > low)
                oom = cand_push(ids, n, cap, x->pb_id.p[j]);
    } else if (x->bands.cap) {
        /* every band's entries share the map: the caller checks the band */
        const clmap *m = &x->bands;
        for (size_t j = home(fp, m->cap); m->slot[j] && !oom; j = j + 1 == m->cap ? 0 : j + 1) {
            uint32_t id = (uint32_t)m->slot[j];
            if ((uint32_t)(m->slot[j] >> 32) == fp && (int64_t)id > low)
                oom = cand_push(ids, n, cap, id);
        }
    }
    if (oom) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (*n > 1) qsort(*ids, *n, sizeof **ids, cmp_u32); /* in cluster id order, as v1 */
    return WS_OK;
}

/* Writes c columns of old (on entries each) followed by the same columns of
 * the new entries into one buffer of c x (on + nn) u32. */
static unsigned char *columns(const unsigned char *old, size_t on, const u32v *const *cols, int c,
                              size_t nn) {
    size_t tot = on + nn;
    unsigned char *p = malloc(tot * 4 * (size_t)c + 1);
    if (!p) return NULL;
    for (int k = 0; k < c; k++) {
        unsigned char *o = p + 4 * tot * (size_t)k;
        if (on) memcpy(o, old + 4 * on * (size_t)k, 4 * on);
        for (size_t i = 0; i < nn; i++) put32(o + 4 * (on + i), cols[k]->p[i]);
    }
    return p;
}

ws_status ws_clx_flush(ws_store *s) {
    ws_clx *x = s->clx;
    if (!x || !x->pe_id.n) return WS_OK;
    sqlite3_stmt *st;
    /* a small last row takes these entries instead of a new row (a large
     * one's BLOBs are not read: length() reads only the record header) */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT first_id, CASE WHEN length(exact) < ?1 THEN exact END,"
                           " CASE WHEN length(exact) < ?1 THEN bands END FROM cluster_keys"
                           " ORDER BY first_id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_bind_int(st, 1, MERGE_BELOW * 8);
    int64_t first = x->pe_id.p[0];
    size_t on = 0, om = 0;
    const unsigned char *oe = NULL, *ob = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL) {
        first = sqlite3_column_int64(st, 0);
        on = (size_t)sqlite3_column_bytes(st, 1) / 8;
        om = (size_t)sqlite3_column_bytes(st, 2) / (4 * (1 + NB));
        oe = sqlite3_column_blob(st, 1);
        ob = sqlite3_column_blob(st, 2);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        return ws_store_sqlfail(s, "quote cluster keys");
    }
    const u32v *ec[2] = {&x->pe_id, &x->pe_fp};
    const u32v *bc[1 + NB] = {&x->pb_id};
    for (int b = 0; b < NB; b++) bc[1 + b] = &x->pb_fp[b];
    unsigned char *e = columns(oe, on, ec, 2, x->pe_id.n);
    unsigned char *b = columns(ob, om, bc, 1 + NB, x->pb_id.n);
    sqlite3_finalize(st);
    size_t n = on + x->pe_id.n, m = om + x->pb_id.n;
    int64_t last = x->pe_id.p[x->pe_id.n - 1];
    ws_status r = WS_OK;
    if (!e || !b) r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    else if (sqlite3_prepare_v2(s->db,
                                "INSERT OR REPLACE INTO cluster_keys(first_id, last_id, exact, bands)"
                                " VALUES(?1, ?2, ?3, ?4)",
                                -1, &st, NULL) != SQLITE_OK)
        r = ws_store_sqlfail(s, "quote cluster keys");
    else {
        sqlite3_bind_int64(st, 1, first);
        sqlite3_bind_int64(st, 2, last);
        sqlite3_bind_blob(st, 3, e, (int)(n * 8), SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, b, (int)(m * 4 * (1 + NB)), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) r = ws_store_sqlfail(s, "quote cluster keys");
        sqlite3_finalize(st);
    }
    /* scan mode: the row replaces the last one (merged) or is added */
    if (!r && x->loaded && !x->mapped) {
        if (x->nrows && x->rows[x->nrows - 1].first == first) {
            x->nrows--;
            free(x->rows[x->nrows].e);
            free(x->rows[x->nrows].b);
        }
        if (x->nrows == x->caprows) {
            size_t c = x->caprows ? x->caprows * 2 : 64;
            krow *p = realloc(x->rows, c * sizeof *p);
            if (!p) r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            else {
                x->rows = p;
                x->caprows = c;
            }
        }
        if (!r) {
            x->rows[x->nrows++] = (krow){first, last, n, m, e, b};
            e = b = NULL;
        }
    }
    free(e);
    free(b);
    if (!r) pend_clear(x);
    return r;
}

ws_status ws_clx_pack_all(ws_store *s) {
    if (!clx_new(s)) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    clx_drop(s->clx);
    ws_status r = read_rows(s, 0, 1);
    if (!r) r = ws_clx_flush(s);
    clx_drop(s->clx);
    return r;
}

void ws_clx_mem(const ws_store *s, size_t *clusters, int *mapped, size_t *bytes) {
    const ws_clx *x = s->clx;
    *clusters = 0;
    *mapped = x ? x->mapped : 0;
    *bytes = 0;
    if (!x) return;
    *clusters = x->mapped ? x->exact.n : x->pe_id.n;
    *bytes = (x->exact.cap + x->bands.cap) * sizeof(uint64_t) +
             (x->pe_id.cap + x->pe_fp.cap + x->pb_id.cap) * 4 + x->caprows * sizeof(krow);
    for (int b = 0; b < NB; b++) *bytes += x->pb_fp[b].cap * 4;
    for (size_t i = 0; i < x->nrows; i++) {
        *clusters += x->rows[i].n;
        *bytes += x->rows[i].n * 8 + x->rows[i].m * 4 * (1 + NB);
    }
}
