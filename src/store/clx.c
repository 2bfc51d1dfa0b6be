/*
 * clx.c - the writer's in-memory index of quote clusters (docs/store.md,
 * "Quote clusters"): exact text hash -> cluster, and LSH band key ->
 * clusters. Schema v2 keeps only the clusters table (its hash and minhash
 * signature); these maps replace the v1 hash index and band table, whose
 * random 64-bit keys made every batch rewrite most of their B-tree pages.
 *
 * The maps are built on a writer handle's first cluster lookup from
 * `clusters` (id, hash, sig), extended with each cluster the handle adds,
 * brought up to date at each ws_store_begin() with the clusters other
 * writers committed meanwhile (ids only grow: rows with id > known_max), and
 * dropped on rollback (rebuilt at the next use). Nothing here is global.
 *
 * Both maps are open-addressing tables (linear probing) of a 63-bit key
 * with the top bit set as "used" and a 32-bit cluster id: 12 bytes a slot,
 * at most 70% full.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define USED (1ULL << 63)

typedef struct clmap {
    uint64_t *key; /* key | USED, 0 = empty */
    uint32_t *id;
    size_t cap, n; /* cap: a power of two */
} clmap;

struct ws_clx {
    int loaded;
    int64_t known_max; /* the largest cluster id in the maps */
    clmap exact;       /* unique keys */
    clmap bands;       /* a key may repeat (clusters sharing a band) */
};

static size_t slot_of(uint64_t k, size_t cap) {
    k ^= k >> 31;
    k *= 0x9e3779b97f4a7c15ULL;
    return (size_t)(k >> 17) & (cap - 1);
}

static void map_free(clmap *m) {
    free(m->key);
    free(m->id);
    memset(m, 0, sizeof *m);
}

/* Rehashes into a table of twice the size, or of want slots (a power of
 * two) when that is larger. */
static int map_resize(clmap *m, size_t want) {
    size_t cap = m->cap ? m->cap * 2 : 1 << 12;
    while (cap < want) cap *= 2;
    uint64_t *key = calloc(cap, sizeof *key);
    uint32_t *id = malloc(cap * sizeof *id);
    if (!key || !id) {
        free(key);
        free(id);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i]) continue;
        size_t j = slot_of(m->key[i], cap);
        while (key[j]) j = (j + 1) & (cap - 1);
        key[j] = m->key[i];
        id[j] = m->id[i];
    }
    free(m->key);
    free(m->id);
    m->key = key;
    m->id = id;
    m->cap = cap;
    return 0;
}

/* Adds (k, id); a duplicate key is kept (bands) unless unique is set, when
 * an existing key is left as it is. */
static int map_add(clmap *m, uint64_t k, uint32_t id, int unique) {
    if ((m->n + 1) * 10 > m->cap * 7 && map_resize(m, 0)) return -1;
    k |= USED;
    size_t j = slot_of(k, m->cap);
    while (m->key[j]) {
        if (unique && m->key[j] == k) return 0;
        j = (j + 1) & (m->cap - 1);
    }
    m->key[j] = k;
    m->id[j] = id;
    m->n++;
    return 0;
}

/* ---- the handle's index ------------------------------------------------- */

void ws_clx_free(ws_clx *x) {
    if (!x) return;
    map_free(&x->exact);
    map_free(&x->bands);
    free(x);
}

void ws_clx_reset(ws_clx *x) {
    if (!x) return;
    map_free(&x->exact);
    map_free(&x->bands);
    x->loaded = 0;
    x->known_max = 0;
}

ws_status ws_clx_add(ws_store *s, int64_t id, uint64_t hash, const uint32_t *sig) {
    ws_clx *x = s->clx;
    if (!x || !x->loaded) return WS_OK; /* not built yet: it will read the row */
    if (id <= 0 || id > (int64_t)UINT32_MAX)
        return ws_store_fail(s, WS_ERR_IO, "quote cluster id %lld out of range", (long long)id);
    if (map_add(&x->exact, hash, (uint32_t)id, 1))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (sig) {
        int64_t b[WS_MINHASH_BANDS];
        ws_store_bands(sig, b);
        for (int i = 0; i < WS_MINHASH_BANDS; i++)
            if (map_add(&x->bands, (uint64_t)b[i], (uint32_t)id, 0))
                return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    }
    if (id > x->known_max) x->known_max = id;
    return WS_OK;
}

/* Sizes a map for n more keys at once (no rehash while loading). */
static int map_reserve(clmap *m, size_t n) {
    size_t need = (m->n + n) * 10 / 7 + 1;
    return need > m->cap ? map_resize(m, need) : 0;
}

/* Reads the clusters above known_max into the maps. */
static ws_status load_since(ws_store *s) {
    ws_clx *x = s->clx;
    sqlite3_stmt *st;
    /* at most max(id) - known_max new clusters: size the maps for them */
    if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM clusters", -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote clusters");
    int64_t max = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (max > x->known_max && (map_reserve(&x->exact, (size_t)(max - x->known_max)) ||
                               map_reserve(&x->bands, (size_t)(max - x->known_max) * WS_MINHASH_BANDS)))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(s->db, "SELECT id, hash, sig FROM clusters WHERE id > ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "quote clusters");
    sqlite3_bind_int64(st, 1, x->known_max);
    int rc;
    ws_status r = WS_OK;
    int loaded = x->loaded;
    x->loaded = 1; /* so that ws_clx_add fills the maps */
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint32_t sig[WS_MINHASH_K];
        int has = sqlite3_column_bytes(st, 2) == (int)sizeof sig;
        if (has) memcpy(sig, sqlite3_column_blob(st, 2), sizeof sig);
        r = ws_clx_add(s, sqlite3_column_int64(st, 0), (uint64_t)sqlite3_column_int64(st, 1),
                       has ? sig : NULL);
    }
    if (!r && rc != SQLITE_DONE) r = ws_store_sqlfail(s, "quote clusters");
    sqlite3_finalize(st);
    if (r) {
        x->loaded = loaded;
        ws_clx_reset(x);
    }
    return r;
}

ws_status ws_clx_refresh(ws_store *s) {
    if (!s->clx || !s->clx->loaded) return WS_OK;
    return load_since(s);
}

static ws_status ensure(ws_store *s) {
    if (!s->clx && !(s->clx = calloc(1, sizeof *s->clx)))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (s->clx->loaded) return WS_OK;
    ws_clx_reset(s->clx);
    return load_since(s);
}

ws_status ws_clx_exact(ws_store *s, uint64_t hash, int64_t *id) {
    *id = 0;
    ws_status r = ensure(s);
    if (r) return r;
    const clmap *m = &s->clx->exact;
    if (!m->cap) return WS_OK;
    uint64_t k = hash | USED;
    for (size_t j = slot_of(k, m->cap); m->key[j]; j = (j + 1) & (m->cap - 1))
        if (m->key[j] == k) {
            *id = m->id[j];
            break;
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
    uint64_t k = band | USED;
    for (size_t j = slot_of(k, m->cap); m->key[j]; j = (j + 1) & (m->cap - 1)) {
        if (m->key[j] != k) continue;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            uint32_t *p = realloc(*ids, c * sizeof *p);
            if (!p) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            *ids = p;
            *cap = c;
        }
        (*ids)[(*n)++] = m->id[j];
    }
    if (*n > 1) qsort(*ids, *n, sizeof **ids, cmp_u32); /* in cluster id order, as v1 */
    return WS_OK;
}
