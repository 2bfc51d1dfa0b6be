/*
 * clx.c - the writer's in-memory index of quote clusters (docs/store.md,
 * "Quote clusters"): exact text hash -> cluster, and LSH band key ->
 * clusters. Nothing here is global.
 *
 * The maps hold 32-bit fingerprints of the 63-bit keys, not the keys: a
 * slot is one 64-bit word, fingerprint << 32 | cluster id (0 = empty; ids
 * start at 1). A fingerprint match is only a candidate: an exact match is
 * verified against the cluster's row (clusters.hash, one rowid lookup), a
 * band match by the caller, who reads the candidate's signature anyway and
 * recomputes its band. So fingerprint collisions cost a lookup, never a
 * wrong cluster, and the maps may use any fingerprint width (the test hook
 * ws_clx_set_fp_mask narrows it to force collisions).
 *
 * Since schema v6 the fingerprints are also kept in the database, in
 * `cluster_keys`: one row per committed batch (small rows are merged with
 * the next batch's), two packed little-endian BLOBs:
 *   exact: n x (u32 cluster id, u32 fingerprint of clusters.hash)
 *   bands: m x (u32 cluster id, 4 x u32 fingerprint of the band keys),
 *          for the clusters with a signature.
 * A writer builds its maps on its first cluster lookup by reading these
 * few large rows (and, for clusters no row covers yet, the clusters rows
 * themselves: they are packed at the next commit), extends them with each
 * cluster it adds (also kept in `pend`, written at commit by
 * ws_clx_flush), brings them up to date at each ws_store_begin() with what
 * other writers committed (ids only grow: id > known_max), and drops them
 * on rollback.
 *
 * Near-duplicate window: a cluster is a band candidate only while it is
 * among the `window` most recent clusters (id > max id - window, at the
 * time of the lookup), so that the band map is bounded; exact lookups
 * cover every cluster. The rule depends only on the store's content, so a
 * writer kept open and one reopened give the same clusters.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* A row of cluster_keys smaller than this many clusters is merged with the
 * next batch's entries instead of starting a row (one-article commits). */
#define MERGE_BELOW 4096
/* The migration packs the existing clusters this many to a row. */
#define PACK_CHUNK 65536
#define BAND_REC (4 * (1 + WS_MINHASH_BANDS))

typedef struct clmap {
    uint64_t *slot; /* fp << 32 | id; 0 = empty */
    size_t cap, n;  /* cap: any size; at most 80% full */
} clmap;

typedef struct kbuf {
    unsigned char *p;
    size_t n, cap;
} kbuf;

struct ws_clx {
    int loaded;
    int64_t known_max;   /* the largest cluster id in the maps */
    int64_t band_floor;  /* band entries with id <= this were dropped */
    uint32_t fp_mask;    /* fingerprint bits compared (test hook) */
    clmap exact;         /* one entry per cluster */
    clmap bands;         /* WS_MINHASH_BANDS entries per cluster with a signature */
    /* entries not yet in cluster_keys: written by ws_clx_flush */
    kbuf pend_exact, pend_bands;
    int64_t pend_first, pend_last;
    size_t pend_n;
};

static uint32_t fp_of(uint64_t key) { return (uint32_t)(key >> 31); }

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
 * sizes for 70%, so a writer that loaded the maps can add 10% more). */
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

static int grow(kbuf *b, size_t more) {
    if (b->n + more <= b->cap) return 0;
    size_t c = b->cap ? b->cap * 2 : 4096;
    while (c < b->n + more) c *= 2;
    unsigned char *p = realloc(b->p, c);
    if (!p) return -1;
    b->p = p;
    b->cap = c;
    return 0;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void pend_clear(ws_clx *x) {
    x->pend_exact.n = x->pend_bands.n = 0;
    x->pend_first = x->pend_last = 0;
    x->pend_n = 0;
}

/* Appends a cluster's fingerprints to the entries to write. */
static int pend_add(ws_clx *x, uint32_t id, uint32_t efp, const uint32_t *bfp) {
    if (grow(&x->pend_exact, 8) || (bfp && grow(&x->pend_bands, BAND_REC))) return -1;
    put32(x->pend_exact.p + x->pend_exact.n, id);
    put32(x->pend_exact.p + x->pend_exact.n + 4, efp);
    x->pend_exact.n += 8;
    if (bfp) {
        unsigned char *p = x->pend_bands.p + x->pend_bands.n;
        put32(p, id);
        for (int b = 0; b < WS_MINHASH_BANDS; b++) put32(p + 4 + 4 * b, bfp[b]);
        x->pend_bands.n += BAND_REC;
    }
    if (!x->pend_first) x->pend_first = id;
    x->pend_last = id;
    x->pend_n++;
    return 0;
}

/* ---- the handle's index ------------------------------------------------- */

static void clx_drop(ws_clx *x) {
    map_free(&x->exact);
    map_free(&x->bands);
    pend_clear(x);
    x->loaded = 0;
    x->known_max = 0;
    x->band_floor = 0;
}

void ws_clx_free(ws_clx *x) {
    if (!x) return;
    clx_drop(x);
    free(x->pend_exact.p);
    free(x->pend_bands.p);
    free(x);
}

void ws_clx_reset(ws_clx *x) {
    if (x) clx_drop(x);
}

static ws_clx *clx_new(ws_store *s) {
    if (!s->clx && (s->clx = calloc(1, sizeof *s->clx))) s->clx->fp_mask = UINT32_MAX;
    return s->clx;
}

int ws_clx_set_fp_mask(ws_store *s, uint32_t mask) {
    if (s->in_batch || !clx_new(s)) return -1;
    clx_drop(s->clx);
    s->clx->fp_mask = mask;
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

/* Drops the band entries that left the window once a quarter of the
 * window has (the map keeps at most 1.25 windows of clusters). */
static int trim_bands(ws_store *s) {
    ws_clx *x = s->clx;
    int64_t low = band_low(s);
    uint64_t w = ws_store_near_window(s);
    if (low - x->band_floor <= (int64_t)(w / 4)) return 0;
    size_t live = (size_t)(x->known_max - low) * WS_MINHASH_BANDS;
    if (map_rebuild(&x->bands, live * 10 / 7 + 1, x->fp_mask, low)) return -1;
    x->band_floor = low;
    return 0;
}

/* Adds one cluster's fingerprints to the maps (bfp NULL: no signature). */
static int maps_add(ws_store *s, uint32_t id, uint32_t efp, const uint32_t *bfp) {
    ws_clx *x = s->clx;
    if (map_add(&x->exact, efp, id, x->fp_mask)) return -1;
    if ((int64_t)id > x->known_max) x->known_max = id;
    if (bfp && (int64_t)id > band_low(s))
        for (int b = 0; b < WS_MINHASH_BANDS; b++)
            if (map_add(&x->bands, bfp[b], id, x->fp_mask)) return -1;
    return 0;
}

static void sig_fps(const uint32_t *sig, uint32_t bfp[WS_MINHASH_BANDS]) {
    int64_t b[WS_MINHASH_BANDS];
    ws_store_bands(sig, b);
    for (int i = 0; i < WS_MINHASH_BANDS; i++) bfp[i] = fp_of((uint64_t)b[i]);
}

ws_status ws_clx_add(ws_store *s, int64_t id, uint64_t hash, const uint32_t *sig) {
    ws_clx *x = s->clx;
    if (!x || !x->loaded) return WS_OK; /* not built yet: it will read the row */
    if (id <= 0 || id > (int64_t)UINT32_MAX)
        return ws_store_fail(s, WS_ERR_IO, "quote cluster id %lld out of range", (long long)id);
    uint32_t bfp[WS_MINHASH_BANDS];
    if (sig) sig_fps(sig, bfp);
    if (maps_add(s, (uint32_t)id, fp_of(hash), sig ? bfp : NULL) ||
        pend_add(x, (uint32_t)id, fp_of(hash), sig ? bfp : NULL) || trim_bands(s))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    return WS_OK;
}

/* Reads the clusters rows with id > after into the pending entries (and
 * the maps when to_maps): the clusters no cluster_keys row covers. */
static ws_status read_rows(ws_store *s, int64_t after, int to_maps) {
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
        uint32_t efp = fp_of((uint64_t)sqlite3_column_int64(st, 1)), bfp[WS_MINHASH_BANDS];
        uint32_t sig[WS_MINHASH_K];
        int has = sqlite3_column_bytes(st, 2) == (int)sizeof sig;
        if (has) {
            memcpy(sig, sqlite3_column_blob(st, 2), sizeof sig);
            sig_fps(sig, bfp);
        }
        if (id <= 0 || id > (int64_t)UINT32_MAX)
            r = ws_store_fail(s, WS_ERR_IO, "quote cluster id %lld out of range", (long long)id);
        else if (pend_add(x, (uint32_t)id, efp, has ? bfp : NULL) ||
                 (to_maps && maps_add(s, (uint32_t)id, efp, has ? bfp : NULL)))
            r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        else if (!to_maps && x->pend_n >= PACK_CHUNK)
            r = ws_clx_flush(s);
    }
    if (!r && rc != SQLITE_DONE) r = ws_store_sqlfail(s, "quote clusters");
    sqlite3_finalize(st);
    return r;
}

static ws_status bad_row(ws_store *s, int64_t first) {
    return ws_store_fail(s, WS_ERR_IO,
                         "quote cluster keys: the row of cluster %lld is damaged", (long long)first);
}

/* Reads the cluster_keys entries with id > known_max into the maps, then
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
    int64_t from = x->known_max; /* entries above it are new */
    /* the window's floor once every new cluster is in */
    uint64_t w = ws_store_near_window(s);
    int64_t low = max > (int64_t)w ? max - (int64_t)w : 0;
    int64_t nb = max - (from > low ? from : low);
    if (map_reserve(&x->exact, (size_t)(max - from), x->fp_mask) ||
        map_reserve(&x->bands, (size_t)nb * WS_MINHASH_BANDS, x->fp_mask))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
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
        if (ne % 8) {
            r = bad_row(s, first);
            break;
        }
        for (size_t i = 0; i < ne && !r; i += 8) {
            uint32_t id = get32(e + i);
            if ((int64_t)id <= from) continue;
            if (map_add(&x->exact, get32(e + i + 4), id, x->fp_mask))
                r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        }
        if (r || last <= low) continue; /* no band in the window: not read */
        const unsigned char *b = sqlite3_column_blob(st, 3);
        size_t nbytes = (size_t)sqlite3_column_bytes(st, 3);
        if (nbytes % BAND_REC) {
            r = bad_row(s, first);
            break;
        }
        for (size_t i = 0; i < nbytes && !r; i += BAND_REC) {
            uint32_t id = get32(b + i);
            if ((int64_t)id <= from || (int64_t)id <= low) continue;
            for (int k = 0; k < WS_MINHASH_BANDS && !r; k++)
                if (map_add(&x->bands, get32(b + i + 4 + 4 * k), id, x->fp_mask))
                    r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        }
    }
    if (!r && rc != SQLITE_DONE) r = ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_finalize(st);
    if (!r) {
        x->known_max = covered > from ? covered : from;
        /* clusters without keys (none unless a writer failed to pack
         * them): read from their rows, packed at the next commit */
        if (max > x->known_max) r = read_rows(s, x->known_max, 1);
    }
    if (!r) x->known_max = max;
    return r;
}

ws_status ws_clx_refresh(ws_store *s) {
    if (!s->clx || !s->clx->loaded) return WS_OK;
    ws_status r = load_since(s);
    if (!r && trim_bands(s)) r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (r) clx_drop(s->clx);
    return r;
}

static ws_status ensure(ws_store *s) {
    if (!clx_new(s)) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (s->clx->loaded) return WS_OK;
    uint32_t mask = s->clx->fp_mask;
    clx_drop(s->clx);
    s->clx->fp_mask = mask;
    ws_status r = load_since(s);
    if (r) clx_drop(s->clx);
    else {
        s->clx->band_floor = band_low(s);
        s->clx->loaded = 1;
    }
    return r;
}

ws_status ws_clx_flush(ws_store *s) {
    ws_clx *x = s->clx;
    if (!x || !x->pend_n) return WS_OK;
    sqlite3_stmt *st;
    /* a small last row takes these entries instead of a new row */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT first_id, exact, bands FROM cluster_keys"
                           " ORDER BY first_id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote cluster keys");
    int64_t first = x->pend_first;
    int rc = sqlite3_step(st);
    ws_status r = WS_OK;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) < MERGE_BELOW * 8) {
        int ne = sqlite3_column_bytes(st, 1), nb = sqlite3_column_bytes(st, 2);
        first = sqlite3_column_int64(st, 0);
        /* prepend the old row's entries */
        if (grow(&x->pend_exact, (size_t)ne) || grow(&x->pend_bands, (size_t)nb))
            r = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        else {
            memmove(x->pend_exact.p + ne, x->pend_exact.p, x->pend_exact.n);
            if (ne) memcpy(x->pend_exact.p, sqlite3_column_blob(st, 1), (size_t)ne);
            x->pend_exact.n += (size_t)ne;
            memmove(x->pend_bands.p + nb, x->pend_bands.p, x->pend_bands.n);
            if (nb) memcpy(x->pend_bands.p, sqlite3_column_blob(st, 2), (size_t)nb);
            x->pend_bands.n += (size_t)nb;
        }
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_finalize(st);
    if (r) return r;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO cluster_keys(first_id, last_id, exact, bands)"
                           " VALUES(?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, x->pend_last);
    /* zeroblob-free: an empty BLOB is bound as a 0-byte blob, not NULL */
    sqlite3_bind_blob(st, 3, x->pend_exact.n ? (const void *)x->pend_exact.p : "",
                      (int)x->pend_exact.n, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, x->pend_bands.n ? (const void *)x->pend_bands.p : "",
                      (int)x->pend_bands.n, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) r = ws_store_sqlfail(s, "quote cluster keys");
    sqlite3_finalize(st);
    if (!r) pend_clear(x);
    return r;
}

ws_status ws_clx_pack_all(ws_store *s) {
    if (!clx_new(s)) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    clx_drop(s->clx);
    ws_status r = read_rows(s, 0, 0);
    if (!r) r = ws_clx_flush(s);
    clx_drop(s->clx);
    return r;
}

ws_status ws_clx_exact(ws_store *s, uint64_t hash, int64_t *id) {
    *id = 0;
    ws_status r = ensure(s);
    if (r) return r;
    const clmap *m = &s->clx->exact;
    if (!m->cap) return WS_OK;
    uint32_t fp = fp_of(hash) & s->clx->fp_mask;
    for (size_t j = home(fp, m->cap); m->slot[j]; j = j + 1 == m->cap ? 0 : j + 1) {
        if ((uint32_t)(m->slot[j] >> 32) != fp) continue;
        /* a fingerprint match: is it this hash? */
        sqlite3_stmt *st = ws_store_stmt(s, WS_ST_CL_HASH);
        if (!st) return WS_ERR_IO;
        sqlite3_bind_int64(st, 1, (uint32_t)m->slot[j]);
        int rc = sqlite3_step(st);
        int same = rc == SQLITE_ROW && (uint64_t)sqlite3_column_int64(st, 0) == hash;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return ws_store_sqlfail(s, "cluster lookup");
        if (same) {
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

ws_status ws_clx_band(ws_store *s, uint64_t band, uint32_t **ids, size_t *n, size_t *cap) {
    *n = 0;
    ws_status r = ensure(s);
    if (r) return r;
    const clmap *m = &s->clx->bands;
    if (!m->cap) return WS_OK;
    int64_t low = band_low(s);
    uint32_t fp = fp_of(band) & s->clx->fp_mask;
    for (size_t j = home(fp, m->cap); m->slot[j]; j = j + 1 == m->cap ? 0 : j + 1) {
        uint32_t id = (uint32_t)m->slot[j];
        if ((uint32_t)(m->slot[j] >> 32) != fp || (int64_t)id <= low) continue;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            uint32_t *p = realloc(*ids, c * sizeof *p);
            if (!p) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            *ids = p;
            *cap = c;
        }
        (*ids)[(*n)++] = id;
    }
    if (*n > 1) qsort(*ids, *n, sizeof **ids, cmp_u32); /* in cluster id order, as v1 */
    return WS_OK;
}

void ws_clx_mem(const ws_store *s, size_t *clusters, size_t *band_entries, size_t *bytes) {
    const ws_clx *x = s->clx;
    *clusters = x ? x->exact.n : 0;
    *band_entries = x ? x->bands.n : 0;
    *bytes = x ? (x->exact.cap + x->bands.cap) * sizeof(uint64_t) : 0;
}
