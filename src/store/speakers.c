/*
 * speakers.c - canonical speakers across the corpus (docs/store.md,
 * "Speakers"): every speaking entity of an article becomes an alias (a
 * name + title as written) of one speaker. The rule that attached each alias
 * is kept, so a merge can be explained and undone (ws_store_unmerge).
 *
 * Rules, in order:
 *   1. "alias"          the same name key and title key seen before;
 *   2. "name" / "transliteration"
 *                       a name of two or more words whose key (casefolded,
 *                       accents and punctuation dropped, Sergei -> sergey)
 *                       equals a known alias key;
 *   3. "surname+title"  a lone surname ("Lavrov") whose title agrees with
 *                       the title of exactly one person of that surname;
 *   4. "new"            otherwise a new speaker. A new full-name speaker
 *                       absorbs earlier lone-surname speakers of the same
 *                       surname and an agreeing title ("surname+title").
 * A lone surname without a title, or with two candidates, is never merged.
 *
 * Inside a batch the writer keeps a memo (ws_spk_batch, cleared at each
 * ws_store_begin and rollback): the name + title pairs it resolved, the
 * speakers whose gender it has set, and the statement counts not yet
 * written. Every resolution leaves the alias (name key, title key) in the
 * store, so the same name + title again is rule 1 with that alias: the memo
 * answers it without the lookup, unless a merge moved aliases since (a
 * merge forgets the merged speaker's entries, an unmerge all). The counts
 * are written once per speaker before the batch's COMMIT (the merged
 * speaker's before a merge; all before an unmerge or a view reads them),
 * in the same transaction: the same rows as one UPDATE per article.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* ---- the batch memo ------------------------------------------------------ */

/* int64 -> int64, open addressing; key 0 is an empty slot (ids are > 0). */
typedef struct i64map {
    int64_t *k, *v;
    size_t cap, n;
} i64map;

typedef struct memo_ent {
    uint64_t h;
    size_t name, title; /* offsets of NUL-terminated strings in str */
    int64_t alias_id, speaker_id;
} memo_ent;

struct ws_spk_batch {
    memo_ent *ent;
    size_t nent, capent;
    uint32_t *slot; /* ent index + 1; 0 empty */
    size_t nslot;
    char *str;
    size_t nstr, capstr;
    i64map gender; /* speakers whose gender is set (non-NULL) */
    i64map count;  /* speaker -> statements not yet added to n_statements */
};

static size_t i64_home(int64_t k, size_t cap) {
    return (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

/* The slot of key k, or the empty slot where it would go (cap > 0). */
static size_t i64_slot(const i64map *m, int64_t k) {
    size_t j = i64_home(k, m->cap);
    while (m->k[j] && m->k[j] != k) j = (j + 1) & (m->cap - 1);
    return j;
}

/* The value slot of key k (added as 0 when absent); NULL when out of memory. */
static int64_t *i64_get(i64map *m, int64_t k) {
    if ((m->n + 1) * 10 > m->cap * 7) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        int64_t *nk = calloc(cap, sizeof *nk), *nv = calloc(cap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->k[i]) continue;
            size_t j = i64_home(m->k[i], cap);
            while (nk[j]) j = (j + 1) & (cap - 1);
            nk[j] = m->k[i];
            nv[j] = m->v[i];
        }
        free(m->k);
        free(m->v);
        m->k = nk;
        m->v = nv;
        m->cap = cap;
    }
    size_t j = i64_slot(m, k);
    if (!m->k[j]) {
        m->k[j] = k;
        m->v[j] = 0;
        m->n++;
    }
    return &m->v[j];
}

static int i64_has(const i64map *m, int64_t k) {
    return m->cap && m->k[i64_slot(m, k)] != 0;
}

static void i64_clear(i64map *m) {
    if (m->n) memset(m->k, 0, m->cap * sizeof *m->k);
    m->n = 0;
}

/* A merge moved the aliases of speaker `from`: its entries are dropped
 * (a hash of 0 never matches: memo_hash sets bit 0). */
static void memo_forget_speaker(ws_spk_batch *b, int64_t from) {
    for (size_t i = 0; i < b->nent; i++)
        if (b->ent[i].speaker_id == from) b->ent[i].h = 0;
}

static void memo_forget(ws_spk_batch *b) {
    if (b->nent) memset(b->slot, 0, b->nslot * sizeof *b->slot);
    b->nent = b->nstr = 0;
}

void ws_spk_batch_reset(ws_spk_batch *b) {
    if (!b) return;
    memo_forget(b);
    i64_clear(&b->gender);
    i64_clear(&b->count);
}

void ws_spk_batch_free(ws_spk_batch *b) {
    if (!b) return;
    free(b->ent);
    free(b->slot);
    free(b->str);
    free(b->gender.k);
    free(b->gender.v);
    free(b->count.k);
    free(b->count.v);
    free(b);
}

static ws_spk_batch *batch_memo(ws_store *s) {
    if (!s->spk) s->spk = calloc(1, sizeof *s->spk);
    return s->spk;
}

static uint64_t memo_hash(const char *name, size_t nn, const char *title, size_t tn) {
    return ws_store_hash(title, tn, ws_store_hash(name, nn, 17)) | 1;
}

/* The memo's entry for name + title (title "" for none), or NULL. */
static const memo_ent *memo_find(const ws_spk_batch *b, uint64_t h, const char *name,
                                 const char *title) {
    if (!b || !b->nent) return NULL;
    size_t mask = b->nslot - 1;
    for (size_t j = (size_t)(h >> 7) & mask; b->slot[j]; j = (j + 1) & mask) {
        const memo_ent *e = &b->ent[b->slot[j] - 1];
        if (e->h == h && !strcmp(b->str + e->name, name) && !strcmp(b->str + e->title, title))
            return e;
    }
    return NULL;
}

static int memo_str(ws_spk_batch *b, const char *p, size_t n, size_t *off) {
    if (b->nstr + n + 1 > b->capstr) {
        size_t c = b->capstr ? b->capstr : 4096;
        while (c < b->nstr + n + 1) c *= 2;
        char *q = realloc(b->str, c);
        if (!q) return -1;
        b->str = q;
        b->capstr = c;
    }
    memcpy(b->str + b->nstr, p, n);
    b->str[b->nstr + n] = 0;
    *off = b->nstr;
    b->nstr += n + 1;
    return 0;
}

/* Remembers a resolution; -1 when out of memory (the memo is only a cache:
 * the caller goes on without it). */
static int memo_add(ws_spk_batch *b, uint64_t h, const char *name, size_t nn, const char *title,
                    size_t tn, const ws_store_spk *r) {
    if ((b->nent + 1) * 10 > b->nslot * 7) {
        size_t ns = b->nslot ? b->nslot * 2 : 1024;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl) return -1;
        for (size_t i = 0; i < b->nent; i++) {
            size_t j = (size_t)(b->ent[i].h >> 7) & (ns - 1);
            while (sl[j]) j = (j + 1) & (ns - 1);
            sl[j] = (uint32_t)(i + 1);
        }
        free(b->slot);
        b->slot = sl;
        b->nslot = ns;
    }
    if (b->nent == b->capent) {
        size_t c = b->capent ? b->capent * 2 : 512;
        memo_ent *e = realloc(b->ent, c * sizeof *e);
        if (!e) return -1;
        b->ent = e;
        b->capent = c;
    }
    memo_ent *e = &b->ent[b->nent];
    if (memo_str(b, name, nn, &e->name) || memo_str(b, title, tn, &e->title)) return -1;
    e->h = h;
    e->alias_id = r->alias_id;
    e->speaker_id = r->speaker_id;
    size_t j = (size_t)(h >> 7) & (b->nslot - 1);
    while (b->slot[j]) j = (j + 1) & (b->nslot - 1);
    b->slot[j] = (uint32_t)(++b->nent);
    return 0;
}

ws_status ws_store_count_speaker(ws_store *s, int64_t speaker_id, int64_t n) {
    ws_spk_batch *b = batch_memo(s);
    int64_t *v = b ? i64_get(&b->count, speaker_id) : NULL;
    if (!v) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    *v += n;
    return WS_OK;
}

/* Writes slot i's count and zeroes it (a retry after a failure skips it). */
static ws_status write_count(ws_store *s, size_t i) {
    ws_spk_batch *b = s->spk;
    if (!b->count.k[i] || !b->count.v[i]) return WS_OK;
    sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_SPK_ADD_COUNT);
    if (!st) return WS_ERR_IO;
    sqlite3_bind_int64(st, 1, b->count.k[i]);
    sqlite3_bind_int64(st, 2, b->count.v[i]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ws_store_sqlfail(s, "speaker count");
    b->count.v[i] = 0;
    return WS_OK;
}

ws_status ws_store_flush_counts(ws_store *s) {
    ws_spk_batch *b = s->spk;
    if (!b || !b->count.n) return WS_OK;
    for (size_t i = 0; i < b->count.cap; i++) {
        ws_status rc = write_count(s, i);
        if (rc) return rc;
    }
    i64_clear(&b->count);
    return WS_OK;
}

/* Writes one speaker's count kept in memory, if any. */
static ws_status flush_count_of(ws_store *s, int64_t id) {
    ws_spk_batch *b = s->spk;
    if (!b || !b->count.n) return WS_OK;
    size_t j = i64_slot(&b->count, id);
    return b->count.k[j] ? write_count(s, j) : WS_OK;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v) {
    if (v && *v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static ws_status step(ws_store *s, sqlite3_stmt *st, const char *what) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WS_OK : ws_store_sqlfail(s, what);
}

static ws_status add_alias(ws_store *s, int64_t speaker, const char *name, const char *key,
                           const char *title, const char *tkey, const char *rule,
                           int64_t article, int64_t *alias) {
    sqlite3_stmt *st = ws_store_stmt(s, WS_ST_ALIAS_INSERT);
    if (!st) return WS_ERR_IO;
    sqlite3_bind_int64(st, 1, speaker);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
    bind_opt(st, 4, title);
    sqlite3_bind_text(st, 5, tkey, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, rule, -1, SQLITE_STATIC);
    if (article) sqlite3_bind_int64(st, 7, article);
    if (step(s, st, "alias")) return WS_ERR_IO;
    *alias = sqlite3_last_insert_rowid(s->db);
    return WS_OK;
}

static ws_status new_speaker(ws_store *s, const char *name, const char *key, const char *surname,
                             int nwords, const char *title, const char *tkey,
                             const char *gender, const char *type, int64_t *id) {
    sqlite3_stmt *st = ws_store_stmt(s, WS_ST_SPK_INSERT);
    if (!st) return WS_ERR_IO;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, surname, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, nwords);
    bind_opt(st, 5, title);
    sqlite3_bind_text(st, 6, tkey, -1, SQLITE_TRANSIENT);
    bind_opt(st, 7, gender);
    sqlite3_bind_text(st, 8, type && *type ? type : "PERSON", -1, SQLITE_TRANSIENT);
    if (step(s, st, "speaker")) return WS_ERR_IO;
    *id = sqlite3_last_insert_rowid(s->db);
    return WS_OK;
}

/* Runs a one-off parameterised statement with two int64 parameters. */
static ws_status exec2(ws_store *s, const char *sql, int64_t a, int64_t b) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "speaker merge");
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? WS_OK : ws_store_sqlfail(s, "speaker merge");
}

static ws_status exec3(ws_store *s, const char *sql, int64_t a, int64_t b, int64_t c) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "speaker merge");
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int64(st, 3, c);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? WS_OK : ws_store_sqlfail(s, "speaker merge");
}

/* Moves speaker `from` (its aliases and statements) into `into`. */
static ws_status merge_into(ws_store *s, int64_t from, int64_t into) {
    /* the count `from` has in memory is written first, to move with the
     * rest (one of `into` is a sum either way); the memo's entries of
     * `from` are out of date */
    ws_status rc = flush_count_of(s, from);
    if (rc) return rc;
    if (s->spk) memo_forget_speaker(s->spk, from);
    if ((rc = exec2(s,
                    "UPDATE aliases SET speaker_id = ?2, previous_speaker = ?1,"
                    " rule = 'surname+title' WHERE speaker_id = ?1",
                    from, into)) ||
        (rc = exec2(s, "UPDATE statements SET speaker_id = ?2 WHERE speaker_id = ?1", from,
                    into)) ||
        (rc = exec2(s,
                    "UPDATE speakers SET n_statements = n_statements +"
                    " (SELECT n_statements FROM speakers WHERE id = ?1) WHERE id = ?2",
                    from, into)) ||
        (rc = exec2(s, "UPDATE speakers SET n_statements = 0, merged_into = ?2 WHERE id = ?1",
                    from, into)))
        return rc;
    return WS_OK;
}

/* Persons of a surname whose title agrees with tkey (full names when
 * full != 0, lone surnames otherwise). Fills up to 2 ids; returns the count
 * (2 means "two or more"), -1 on error. */
static int agreeing(ws_store *s, const char *surname, const char *tkey, int full, int64_t *ids,
                    int max) {
    sqlite3_stmt *st = ws_store_stmt(s, full ? WS_ST_SPK_BY_SURNAME_FULL : WS_ST_SPK_BY_SURNAME_SHORT);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, surname, -1, SQLITE_STATIC);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (!ws_store_titles_agree(tkey, t)) continue;
        if (n < max) ids[n] = sqlite3_column_int64(st, 0);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        ws_store_sqlfail(s, "speaker lookup");
        return -1;
    }
    return n;
}

/* ASCII-casefolded comparison of two names (for "name" vs "transliteration"). */
static int same_spelling(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
        char y = (char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
        if (x != y) return 0;
    }
    return *a == *b;
}

static ws_status resolve(ws_store *s, const char *name, const char *title, const char *gender,
                         const char *type, int64_t article, const char *key, int nwords,
                         const char *surname, const char *tkey, ws_store_spk *out) {
    sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_ALIAS_EXACT);
    if (!st) return WS_ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tkey, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) { /* rule 1 */
        out->alias_id = sqlite3_column_int64(st, 0);
        out->speaker_id = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        return WS_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ws_store_sqlfail(s, "alias lookup");
    int person = !type || !strcmp(type, "PERSON");
    if (nwords >= 2 || !person) { /* rule 2 */
        if (!(st = ws_store_stmt(s, WS_ST_ALIAS_BY_KEY))) return WS_ERR_IO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            int64_t spk = sqlite3_column_int64(st, 1);
            const char *rule =
                same_spelling((const char *)sqlite3_column_text(st, 2), name) ? "name"
                                                                              : "transliteration";
            sqlite3_reset(st);
            out->speaker_id = spk;
            return add_alias(s, spk, name, key, title, tkey, rule, article, &out->alias_id);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return ws_store_sqlfail(s, "alias lookup");
    } else if (*tkey) { /* rule 3 */
        int64_t ids[2];
        int n = agreeing(s, surname, tkey, 1, ids, 2);
        if (n < 0) return WS_ERR_IO;
        if (n == 1) {
            out->speaker_id = ids[0];
            return add_alias(s, ids[0], name, key, title, tkey, "surname+title", article,
                             &out->alias_id);
        }
    }
    /* rule 4 */
    int64_t spk;
    ws_status r = new_speaker(s, name, key, surname, nwords, title, tkey, gender, type, &spk);
    if (!r) r = add_alias(s, spk, name, key, title, tkey, "new", article, &out->alias_id);
    if (r) return r;
    out->speaker_id = spk;
    if (person && nwords >= 2 && *tkey) {
        /* absorb lone surnames with an agreeing title that now have exactly
         * one full-name candidate: this one */
        int64_t ids[64];
        int n = agreeing(s, surname, tkey, 0, ids, 64);
        if (n < 0) return WS_ERR_IO;
        for (int i = 0; i < n && i < 64; i++) {
            /* the lone surname's own title must agree with this person only */
            sqlite3_stmt *q;
            if (sqlite3_prepare_v2(s->db, "SELECT title_key FROM speakers WHERE id = ?1", -1, &q,
                                   NULL) != SQLITE_OK)
                return ws_store_sqlfail(s, "speaker lookup");
            sqlite3_bind_int64(q, 1, ids[i]);
            char *own = NULL;
            if (sqlite3_step(q) == SQLITE_ROW) {
                const char *t = (const char *)sqlite3_column_text(q, 0);
                own = strdup(t ? t : "");
            }
            sqlite3_finalize(q);
            if (!own) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
            int64_t full[2];
            int m = agreeing(s, surname, own, 1, full, 2);
            free(own);
            if (m < 0) return WS_ERR_IO;
            if (m == 1 && full[0] == spk && (r = merge_into(s, ids[i], spk))) return r;
        }
    }
    return WS_OK;
}

ws_status ws_store_resolve_speaker(ws_store *s, const char *name, const char *title,
                                   const char *gender, const char *type, int64_t article,
                                   ws_store_spk *out) {
    out->speaker_id = out->alias_id = 0;
    /* the batch memo: keyed by the name and title as given (the same pair
     * has the same keys); title NULL and "" have the same key "" */
    ws_spk_batch *b = s->in_batch ? batch_memo(s) : NULL;
    const char *tt = title ? title : "";
    size_t nn = strlen(name), tn = strlen(tt);
    uint64_t h = b ? memo_hash(name, nn, tt, tn) : 0;
    const memo_ent *hit = memo_find(b, h, name, tt);
    ws_status rc = WS_OK;
    if (hit) {
        out->alias_id = hit->alias_id;
        out->speaker_id = hit->speaker_id;
    } else {
        int nwords = 0;
        const char *surname = NULL;
        char *key = ws_store_name_key(name, &nwords, &surname);
        char *tkey = ws_store_title_key(title);
        if (!key || !tkey) rc = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        else if (!*key) rc = WS_OK; /* no letters: no speaker */
        else rc = resolve(s, name, title, gender, type, article, key, nwords, surname, tkey, out);
        free(key);
        free(tkey);
        /* out of memory here only costs the memo its entry */
        if (!rc && b) memo_add(b, h, name, nn, tt, tn, out);
    }
    /* the gender, unless this batch has set it (it is never unset) */
    if (!rc && out->speaker_id && gender && *gender &&
        !(b && i64_has(&b->gender, out->speaker_id))) {
        sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_SPK_SET_GENDER);
        if (!st) rc = WS_ERR_IO;
        else {
            sqlite3_bind_int64(st, 1, out->speaker_id);
            sqlite3_bind_text(st, 2, gender, -1, SQLITE_STATIC);
            rc = step(s, st, "speaker");
        }
        int64_t *v;
        if (!rc && b && (v = i64_get(&b->gender, out->speaker_id))) *v = 1;
    }
    return rc;
}

ws_status ws_store_unmerge(ws_store *s, long long alias_id, long long *new_speaker_id) {
    if (!s || alias_id <= 0) return WS_ERR_INVALID;
    s->busy = 0;
    if (s->flags & WS_STORE_READONLY)
        return ws_store_fail(s, WS_ERR_INVALID, "the store is open read-only");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT a.name, a.key, a.title, a.title_key, a.speaker_id, s.type,"
                           " s.gender FROM aliases a JOIN speakers s ON s.id = a.speaker_id"
                           " WHERE a.id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "unmerge");
    sqlite3_bind_int64(st, 1, alias_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return ws_store_fail(s, WS_ERR_INVALID, "no alias with id %lld", alias_id);
    }
    char *name = strdup((const char *)sqlite3_column_text(st, 0));
    char *key = strdup((const char *)sqlite3_column_text(st, 1));
    const char *t = (const char *)sqlite3_column_text(st, 2);
    char *title = t ? strdup(t) : NULL;
    char *tkey = strdup((const char *)sqlite3_column_text(st, 3));
    int64_t old = sqlite3_column_int64(st, 4);
    t = (const char *)sqlite3_column_text(st, 5);
    char *type = t ? strdup(t) : NULL;
    t = (const char *)sqlite3_column_text(st, 6);
    char *gender = t ? strdup(t) : NULL;
    sqlite3_finalize(st);
    ws_status rc = WS_OK;
    if (!name || !key || !tkey) rc = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    int own = !s->in_batch;
    if (!rc && own) rc = ws_store_begin(s);
    /* an open batch's counts are written before the recount below, and
     * its memo forgets the alias that moves */
    if (!rc) rc = ws_store_flush_counts(s);
    if (!rc && s->spk) memo_forget(s->spk);
    int64_t spk = 0;
    if (!rc) {
        int nw = 1;
        for (const char *p = key; *p; p++) nw += *p == ' ';
        const char *sur = strrchr(key, ' ');
        sur = sur ? sur + 1 : key;
        rc = new_speaker(s, name, key, sur, nw, title, tkey, gender, type, &spk);
    }
    if (!rc)
        rc = exec2(s,
                   "UPDATE aliases SET speaker_id = ?2, previous_speaker = speaker_id,"
                   " rule = 'unmerged' WHERE id = ?1",
                   alias_id, spk);
    if (!rc)
        rc = exec3(s, "UPDATE statements SET speaker_id = ?2 WHERE speaker_id = ?3 AND alias_id = ?1",
                   alias_id, spk, old);
    const char *recount = "UPDATE speakers SET n_statements = (SELECT count(*) FROM"
                          " statements st WHERE st.speaker_id = speakers.id)"
                          " WHERE id IN (?1, ?2)";
    if (!rc) rc = exec2(s, recount, spk, old);
    if (own) {
        if (rc) ws_store_rollback(s);
        else rc = ws_store_commit(s);
    }
    if (!rc && new_speaker_id) *new_speaker_id = spk;
    free(name), free(key), free(title), free(tkey), free(type), free(gender);
    return rc;
}
