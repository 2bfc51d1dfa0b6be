/*
 * query.c - reading a store: statement search (FTS5 + filters), article
 * search (FTS5 over title and body, with a snippet), speakers,
 * one speaker, one article, one quote cluster, stats. Every result is a
 * JSON string built with jansson (shapes in docs/store.md). Parameterised
 * SQL only: values are bound, never pasted.
 */
#include "snippet.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIMIT 1000

/* A column as a JSON value (NULL -> null). */
static json_t *col_json(sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT: {
        json_t *v = json_stringn_nocheck((const char *)sqlite3_column_text(st, i),
                                         (size_t)sqlite3_column_bytes(st, i));
        return v ? v : json_null();
    }
    default: return json_null();
    }
}

/* Stored text is what ingest wrote (valid UTF-8 from jansson); any other
 * bytes are checked. */
static json_t *col_str(sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return json_null();
    const char *t = (const char *)sqlite3_column_text(st, i);
    json_t *v = json_stringn(t, (size_t)sqlite3_column_bytes(st, i));
    return v ? v : json_string("");
}

/* Serialises and frees o into *json. */
static ws_status finish(ws_store *s, json_t *o, char **json) {
    if (!o) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    *json = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
    json_decref(o);
    return *json ? WS_OK : ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
}

/*
 * Every view reads one snapshot: its queries run inside a savepoint (a read
 * transaction when no batch is open), so a writer committing between two of
 * them cannot make the counts of one answer disagree (articles from before
 * a batch, statements from after it).
 */
static int snap_begin(ws_store *s) {
    if (s) {
        /* a writer reads its own writes: the batches it committed are
         * indexed before its views run (a reader may see a lag) */
        if (s->fts && !s->in_batch) ws_fts_wait(s);
        /* a writer's open batch: its speaker counts kept in memory are
         * written first (a failure leaves them for the commit) */
        if (s->in_batch) ws_store_flush_counts(s);
        ws_fts_attach(s); /* the text index, read-only, as schema "fts" */
    }
    return s && sqlite3_exec(s->db, "SAVEPOINT ws_view", NULL, NULL, NULL) == SQLITE_OK;
}

/* Text search needs the FTS file: a clear error when it is missing or is
 * another store's (the other views work without it). */
static ws_status need_fts(ws_store *s) {
    if (s->fts_attached) return WS_OK;
    return ws_store_fail(s, WS_ERR_IO, "%s-fts: %s", s->path ? s->path : "", ws_fts_state_msg(s));
}

static ws_status snap_end(ws_store *s, int began, ws_status rc) {
    if (began) sqlite3_exec(s->db, "RELEASE ws_view", NULL, NULL, NULL);
    return rc;
}

static ws_status prepare(ws_store *s, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "query");
    return WS_OK;
}

/* Prepares sql (?1 = id) and steps to its row: WS_OK with *st on the row,
 * else *st is finalized and the error says "no WHAT with id N" (or the
 * SQLite failure). */
static ws_status row_by_id(ws_store *s, const char *sql, long long id, const char *what,
                           sqlite3_stmt **st) {
    if (prepare(s, sql, st)) return WS_ERR_IO;
    sqlite3_bind_int64(*st, 1, id);
    int r = sqlite3_step(*st);
    if (r == SQLITE_ROW) return WS_OK;
    sqlite3_finalize(*st);
    *st = NULL;
    if (r == SQLITE_DONE) return ws_store_fail(s, WS_ERR_INVALID, "no %s with id %lld", what, id);
    return ws_store_sqlfail(s, what);
}

/* Turns an FTS5 error into a clear message. */
static ws_status query_error(ws_store *s, const char *text) {
    const char *m = sqlite3_errmsg(s->db);
    int base = sqlite3_errcode(s->db) & 0xff;
    if (base == SQLITE_BUSY || base == SQLITE_LOCKED || base == SQLITE_IOERR ||
        base == SQLITE_CORRUPT || base == SQLITE_NOMEM)
        return ws_store_sqlfail(s, "search");
    if (strstr(m, "fts5") || strstr(m, "syntax") || strstr(m, "no such column") ||
        strstr(m, "unknown special query") || strstr(m, "unterminated"))
        return ws_store_fail(s, WS_ERR_INVALID,
                             "bad search query '%s': %s (FTS5 syntax: words, \"a phrase\","
                             " AND, OR, NOT, prefix*, NEAR(a b, 5))",
                             text, m);
    return ws_store_sqlfail(s, "search");
}

/* Accepts YYYY, YYYY-MM, YYYY-MM-DD (and anything after it, e.g. a time). */
static int valid_date(const char *d) {
    size_t n = strlen(d);
    if (n < 4) return 0;
    for (int i = 0; i < 4; i++)
        if (d[i] < '0' || d[i] > '9') return 0;
    if (n == 4) return 1;
    if (d[4] != '-' || n < 7 || d[5] < '0' || d[5] > '1' || d[6] < '0' || d[6] > '9') return 0;
    if (n == 7) return 1;
    if (d[7] != '-' || n < 10 || d[8] < '0' || d[8] > '3' || d[9] < '0' || d[9] > '9') return 0;
    return 1;
}

/* ---- search --------------------------------------------------------------- */

/* Statement columns shared by the statement lists (alias s, a, p). */
#define STMT_COLS                                                                       \
    "s.id, s.type, s.content, s.cue, s.source, s.speaker_id, p.name, s.article_id,"    \
    " a.title, a.site, a.date, a.url, s.cluster_id, s.confidence, s.spans, s.ord"
#define STMT_FROM                                                                       \
    " FROM statements s JOIN articles a ON a.id = s.article_id"                        \
    " LEFT JOIN speakers p ON p.id = s.speaker_id"

static json_t *stmt_row(sqlite3_stmt *st) {
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "id", col_json(st, 0));
    json_object_set_new(o, "type", col_str(st, 1));
    json_object_set_new(o, "content", col_str(st, 2));
    json_object_set_new(o, "cue", col_str(st, 3));
    json_object_set_new(o, "source", col_str(st, 4));
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) json_object_set_new(o, "speaker", json_null());
    else {
        json_t *sp = json_object();
        json_object_set_new(sp, "id", col_json(st, 5));
        json_object_set_new(sp, "name", col_str(st, 6));
        json_object_set_new(o, "speaker", sp);
    }
    json_t *a = json_object();
    json_object_set_new(a, "id", col_json(st, 7));
    json_object_set_new(a, "title", col_str(st, 8));
    json_object_set_new(a, "site", col_str(st, 9));
    json_object_set_new(a, "date", col_str(st, 10));
    json_object_set_new(a, "url", col_str(st, 11));
    json_object_set_new(o, "article", a);
    json_object_set_new(o, "cluster", col_json(st, 12));
    json_object_set_new(o, "confidence", col_json(st, 13));
    json_t *sp = json_loads((const char *)sqlite3_column_text(st, 14), 0, NULL);
    json_object_set_new(o, "spans", sp ? sp : json_null());
    json_object_set_new(o, "ord", col_json(st, 15));
    return o;
}

typedef struct sqlb {
    char sql[4096];
    size_t n;
} sqlb;

static void sq(sqlb *b, const char *t) {
    size_t l = strlen(t);
    if (b->n + l < sizeof b->sql) {
        memcpy(b->sql + b->n, t, l + 1);
        b->n += l;
    }
}

/* The date bound for "until": a date includes its whole day/month/year. */
static void until_bound(const char *u, char *out, size_t cap) { snprintf(out, cap, "%s~", u); }

/* Speaker filter: "#ID", a numeric id, or a name (any alias of the
 * speaker: key match). Resolves to ids (up to 16). */
static int speaker_ids(ws_store *s, const char *spk, int64_t *ids, int max) {
    if (spk[0] == '#') {
        ids[0] = strtoll(spk + 1, NULL, 10);
        return ids[0] > 0;
    }
    int nw;
    const char *sur;
    char *key = ws_store_name_key(spk, &nw, &sur);
    if (!key) return -1;
    sqlite3_stmt *st;
    int n = 0;
    if (prepare(s,
                "SELECT DISTINCT coalesce(p.merged_into, p.id) FROM aliases a"
                " JOIN speakers p ON p.id = a.speaker_id WHERE a.key = ?1 OR"
                " (?2 = 1 AND p.surname = ?1) ORDER BY 1 LIMIT 16",
                &st)) {
        free(key);
        return -1;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, nw == 1);
    while (sqlite3_step(st) == SQLITE_ROW && n < max) ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    free(key);
    return n;
}

/* At most this many matches are counted for "total" (counting every match
 * of a very common word would cost more than finding the page). */
#define MAX_TOTAL 10000
/* At most this many text matches are joined to apply other filters to the
 * count (see ws_store_search). */
#define MAX_EXAMINE 5000

/* Counts the FTS5 matches of text in table (statements_fts or
 * articles_fts) into *n, up to MAX_TOTAL + 1, within frange: its ?20/?21 id
 * range when ranged, and ?23, at most max_id (the store's last row).
 * A bad query gives query_error's message. */
static ws_status fts_count(ws_store *s, const char *table, const char *text, const char *frange,
                           int64_t max_id, int ranged, int64_t lo, int64_t hi, json_int_t *n) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s f WHERE %s MATCH ?1%s LIMIT ?9)",
             table, table, frange);
    sqlite3_stmt *st;
    if (prepare(s, sql, &st)) return WS_ERR_IO;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, MAX_TOTAL + 1);
    sqlite3_bind_int64(st, 23, max_id);
    if (ranged) {
        sqlite3_bind_int64(st, 20, lo);
        sqlite3_bind_int64(st, 21, hi);
    }
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? WS_OK : query_error(s, text);
}

/* A bad since or until date: the error is set, 1. */
static int bad_dates(ws_store *s, const ws_search_query *q) {
    const char *d = q->since && *q->since && !valid_date(q->since) ? q->since
                    : q->until && *q->until && !valid_date(q->until) ? q->until
                                                                      : NULL;
    if (d) ws_store_fail(s, WS_ERR_INVALID, "bad date '%s' (use YYYY, YYYY-MM or YYYY-MM-DD)", d);
    return d != NULL;
}

/* The store's last id by sql (SELECT coalesce(max(id), 0) FROM ...): the
 * snapshot a text search cuts the index's rows at. */
static ws_status last_id(ws_store *s, const char *sql, int64_t *id) {
    sqlite3_stmt *st;
    if (prepare(s, sql, &st)) return WS_ERR_IO;
    if (sqlite3_step(st) == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return WS_OK;
}

/* A search's answer {"total","total_exact","results"}; the total is capped
 * at MAX_TOTAL, exact only below it with every match examined. On rc the
 * results are dropped and rc returned. */
static ws_status page_json(ws_store *s, ws_status rc, json_t *res, json_int_t total,
                           int examined_all, char **json) {
    if (rc) {
        json_decref(res);
        return rc;
    }
    int exact = total <= MAX_TOTAL && examined_all;
    if (total > MAX_TOTAL) total = MAX_TOTAL;
    return finish(s, json_pack("{s:I,s:b,s:o}", "total", total, "total_exact", exact, "results", res),
                  json);
}

static ws_status search_in(ws_store *s, const ws_search_query *q, char **json) {
    if (!s || !q || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    const char *text = q->text && *q->text ? q->text : NULL;
    if (bad_dates(s, q)) return WS_ERR_INVALID;
    if (q->type && *q->type && strcmp(q->type, "direct") && strcmp(q->type, "indirect") &&
        strcmp(q->type, "mixed"))
        return ws_store_fail(s, WS_ERR_INVALID, "bad type '%s' (direct, indirect or mixed)", q->type);
    int64_t ids[16];
    int nids = 0;
    if (q->speaker_id > 0) ids[nids++] = q->speaker_id;
    else if (q->speaker && *q->speaker) {
        nids = speaker_ids(s, q->speaker, ids, 16);
        if (nids < 0) return WS_ERR_IO;
        if (nids == 0)
            return finish(s, json_pack("{s:i,s:b,s:[]}", "total", 0, "total_exact", 1, "results"), json);
    }
    if (text && need_fts(s)) return WS_ERR_IO;
    /* The snapshot of the store is taken first (its last statement id);
     * the text index, read after it, may already hold a later batch: its
     * rows are cut at that id, so that the count and the results agree. */
    int64_t max_id = 0;
    if (text && last_id(s, "SELECT coalesce(max(id), 0) FROM statements", &max_id)) return WS_ERR_IO;
    size_t limit = q->limit ? q->limit : 20;
    if (limit > MAX_LIMIT) limit = MAX_LIMIT;
    /* filters: fixed fragments with numbered parameters, nothing pasted */
    sqlb w = {.n = 0};
    w.sql[0] = 0;
    if (q->since && *q->since) sq(&w, " AND a.date >= ?2");
    if (q->until && *q->until) sq(&w, " AND a.date < ?3");
    if (q->site && *q->site) sq(&w, " AND a.site = ?4 COLLATE NOCASE");
    if (q->type && *q->type) sq(&w, " AND s.type = ?5");
    if (q->article_id > 0) sq(&w, " AND a.id = ?6");
    if (nids) {
        sq(&w, " AND s.speaker_id IN (");
        for (int i = 0; i < nids; i++) {
            char p[16];
            snprintf(p, sizeof p, "%s?%d", i ? "," : "", 10 + i);
            sq(&w, p);
        }
        sq(&w, ")");
    }
    /* From where: the FTS5 matches (newest first streams in rowid order;
     * relevance ranks every match), or the articles by site/date index with
     * each article's statements as an id range. */
    /* text: FTS5 is always the outer loop (CROSS JOIN fixes the order): a
     * MATCH probed once per row of another table would evaluate the whole
     * query each time */
    const char *from_text = " FROM statements_fts f CROSS JOIN statements s ON s.id = f.rowid"
                            " CROSS JOIN articles a ON a.id = s.article_id"
                            " LEFT JOIN speakers p ON p.id = s.speaker_id"
                            " WHERE statements_fts MATCH ?1";
    const char *from_all = " FROM articles a JOIN statements s ON s.id >= a.first_statement"
                           " AND s.id < a.first_statement + a.n_statements"
                           " LEFT JOIN speakers p ON p.id = s.speaker_id WHERE 1";
    const char *from_spk = " FROM statements s JOIN articles a ON a.id = s.article_id"
                           " LEFT JOIN speakers p ON p.id = s.speaker_id WHERE 1";
    const char *from = text ? from_text : nids ? from_spk : from_all;
    /* A date filter bounds the statement ids: the articles of the dates
     * (by the date index) give the lowest and highest id, and FTS5 reads
     * only that part of each doclist. The date filter itself stays. */
    int64_t lo = 0, hi = 0;
    int ranged = 0;
    if (text && ((q->since && *q->since) || (q->until && *q->until))) {
        sqlite3_stmt *st;
        if (prepare(s,
                    "SELECT min(first_statement), max(first_statement + n_statements)"
                    " FROM articles WHERE date >= ?1 AND date < ?2",
                    &st))
            return WS_ERR_IO;
        char ub[64];
        if (q->until && *q->until) until_bound(q->until, ub, sizeof ub);
        else snprintf(ub, sizeof ub, "~");
        sqlite3_bind_text(st, 1, q->since && *q->since ? q->since : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, ub, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            ranged = 1;
            lo = sqlite3_column_int64(st, 0);
            hi = sqlite3_column_int64(st, 1); /* NULL (no article): 0, nothing matches */
        }
        sqlite3_finalize(st);
        if (ranged) sq(&w, " AND s.id >= ?20 AND s.id < ?21");
    }
    const char *frange = ranged ? " AND f.rowid >= ?20 AND f.rowid < ?21 AND f.rowid <= ?23"
                                : " AND f.rowid <= ?23";
    /* the count needs only the tables its filters read */
    int need_a = (q->since && *q->since) || (q->until && *q->until) || (q->site && *q->site) ||
                 q->article_id > 0;
    int need_s = need_a || (q->type && *q->type) || nids || ranged;
    /* With a text query, the FTS5 matches are counted first (doclists only,
     * up to MAX_TOTAL + 1). Filters on other tables are then applied to at
     * most MAX_EXAMINE of the newest matches: beyond that, total is a lower
     * bound (total_exact false), which keeps a filtered count of a word in a
     * tenth of a large corpus in milliseconds. */
    const char *count_from =
        !text ? (need_a ? from : " FROM statements s WHERE 1")
        : need_a ? " FROM (SELECT rowid AS rid FROM statements_fts f WHERE statements_fts"
                   " MATCH ?1 %s ORDER BY rowid DESC LIMIT ?22) f CROSS JOIN statements s"
                   " ON s.id = f.rid CROSS JOIN articles a ON a.id = s.article_id WHERE 1"
        : need_s ? " FROM (SELECT rowid AS rid FROM statements_fts f WHERE statements_fts"
                   " MATCH ?1 %s ORDER BY rowid DESC LIMIT ?22) f CROSS JOIN statements s"
                   " ON s.id = f.rid WHERE 1"
                 : NULL;
    json_int_t n_fts = 0;
    if (text) {
        ws_status fr = fts_count(s, "statements_fts", text, frange, max_id, ranged, lo, hi, &n_fts);
        if (fr) return fr;
    }
    char until[64] = "";
    if (q->until && *q->until) until_bound(q->until, until, sizeof until);
    json_t *res = json_array();
    json_int_t total = 0;
    ws_status rc = WS_OK;
    int examined_all = 1;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        sqlb b = {.n = 0};
        b.sql[0] = 0;
        if (pass == 1 && text && !count_from) { /* no filter: the FTS5 count */
            total = n_fts;
            break;
        }
        if (pass == 0) {
            sq(&b, "SELECT " STMT_COLS);
            sq(&b, from);
            if (text) sq(&b, frange);
            sq(&b, w.sql);
            /* bm25 with the length counted from the text (fts_rank.c) */
            if (text && q->order == WS_SEARCH_RELEVANCE)
                sq(&b, " ORDER BY ws_bm25(statements_fts, s.content), s.id");
            else if (text) sq(&b, " ORDER BY f.rowid DESC");
            else if (nids) sq(&b, " ORDER BY s.id DESC"); /* the speaker index's order */
            else sq(&b, " ORDER BY a.date DESC, a.id DESC, s.id DESC");
            sq(&b, " LIMIT ?7 OFFSET ?8");
        } else {
            char cf[1024];
            snprintf(cf, sizeof cf, count_from, text ? frange : "");
            sq(&b, "SELECT count(*) FROM (SELECT 1");
            sq(&b, cf);
            sq(&b, w.sql);
            sq(&b, " LIMIT ?9)");
            if (text && n_fts > MAX_EXAMINE) examined_all = 0;
        }
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, b.sql, -1, &st, NULL) != SQLITE_OK) {
            rc = ws_store_sqlfail(s, "search");
            break;
        }
        if (text) {
            sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 23, max_id);
        }
        if (q->since && *q->since) sqlite3_bind_text(st, 2, q->since, -1, SQLITE_TRANSIENT);
        if (*until) sqlite3_bind_text(st, 3, until, -1, SQLITE_TRANSIENT);
        if (q->site && *q->site) sqlite3_bind_text(st, 4, q->site, -1, SQLITE_TRANSIENT);
        if (q->type && *q->type) sqlite3_bind_text(st, 5, q->type, -1, SQLITE_TRANSIENT);
        if (q->article_id > 0) sqlite3_bind_int64(st, 6, q->article_id);
        if (pass == 0) {
            sqlite3_bind_int64(st, 7, (int64_t)limit);
            sqlite3_bind_int64(st, 8, (int64_t)q->offset);
        } else {
            sqlite3_bind_int64(st, 9, MAX_TOTAL + 1);
            if (text) sqlite3_bind_int64(st, 22, MAX_EXAMINE);
        }
        for (int i = 0; i < nids; i++) sqlite3_bind_int64(st, 10 + i, ids[i]);
        if (ranged) {
            sqlite3_bind_int64(st, 20, lo);
            sqlite3_bind_int64(st, 21, hi);
        }
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (pass == 0) json_array_append_new(res, stmt_row(st));
            else total = sqlite3_column_int64(st, 0);
        }
        if (r != SQLITE_DONE) rc = text ? query_error(s, text) : ws_store_sqlfail(s, "search");
        sqlite3_finalize(st);
    }
    return page_json(s, rc, res, total, examined_all, json);
}

/* ---- article search ------------------------------------------------------ */

/* Bytes of body around the first match in an article result. */
#define SNIPPET_BYTES 240
/* Speakers listed per article result. */
#define TOP_SPEAKERS 3

/* One article result: metadata, a snippet of the body, its top speakers. */
static json_t *article_result(ws_store *s, sqlite3_stmt *one, sqlite3_stmt *spk, int64_t id,
                              const char *text, ws_status *rc) {
    sqlite3_reset(one);
    sqlite3_bind_int64(one, 1, id);
    if (sqlite3_step(one) != SQLITE_ROW) {
        *rc = ws_store_sqlfail(s, "article search");
        return NULL;
    }
    json_t *o = json_object();
    if (!o) {
        *rc = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_object_set_new(o, "id", col_json(one, 0));
    json_object_set_new(o, "url", col_str(one, 1));
    json_object_set_new(o, "site", col_str(one, 2));
    json_object_set_new(o, "date", col_str(one, 3));
    json_object_set_new(o, "title", col_str(one, 4));
    json_object_set_new(o, "n_statements", col_json(one, 5));
    size_t hs, he;
    const char *body = (const char *)sqlite3_column_text(one, 6);
    char *snip = ws_snippet_make(text, body, (size_t)sqlite3_column_bytes(one, 6), SNIPPET_BYTES,
                                 &hs, &he);
    if (!snip) {
        json_decref(o);
        *rc = ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *sv = json_string(snip);
    free(snip);
    json_object_set_new(o, "snippet", sv ? sv : json_string(""));
    json_object_set_new(o, "snippet_match", sv && hs != WS_SNIPPET_NONE && he != WS_SNIPPET_NONE
                                                ? json_pack("[I,I]", (json_int_t)hs, (json_int_t)he)
                                                : json_null());
    int64_t first = sqlite3_column_int64(one, 7), cnt = sqlite3_column_int64(one, 5);
    json_t *sp = json_array();
    sqlite3_reset(spk);
    sqlite3_bind_int64(spk, 1, first);
    sqlite3_bind_int64(spk, 2, first + cnt);
    sqlite3_bind_int64(spk, 3, TOP_SPEAKERS);
    int r;
    while ((r = sqlite3_step(spk)) == SQLITE_ROW)
        json_array_append_new(sp, json_pack("{s:o,s:o,s:o}", "id", col_json(spk, 0), "name",
                                            col_str(spk, 1), "statements", col_json(spk, 2)));
    json_object_set_new(o, "speakers", sp);
    if (r != SQLITE_DONE) {
        json_decref(o);
        *rc = ws_store_sqlfail(s, "article search");
        return NULL;
    }
    return o;
}

static ws_status search_articles_in(ws_store *s, const ws_search_query *q, char **json) {
    if (!s || !q || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    const char *text = q->text && *q->text ? q->text : NULL;
    const char *since = q->since && *q->since ? q->since : NULL;
    const char *site = q->site && *q->site ? q->site : NULL;
    if (bad_dates(s, q)) return WS_ERR_INVALID;
    if ((q->speaker && *q->speaker) || q->speaker_id > 0 || (q->type && *q->type) ||
        q->article_id > 0)
        return ws_store_fail(s, WS_ERR_INVALID,
                             "article search takes text, since, until and site only"
                             " (not speaker, type or article)");
    if (text && need_fts(s)) return WS_ERR_IO;
    char until[64] = "";
    if (q->until && *q->until) until_bound(q->until, until, sizeof until);
    size_t limit = q->limit ? q->limit : 20;
    if (limit > MAX_LIMIT) limit = MAX_LIMIT;
    /* the store's snapshot first: index rows of later articles are cut */
    int64_t max_id = 0;
    sqlite3_stmt *st;
    if (last_id(s, "SELECT coalesce(max(id), 0) FROM articles", &max_id)) return WS_ERR_IO;
    /* a date filter bounds the rowids to the ids of the articles of the
     * dates (by the date index), as in the statement search */
    int64_t lo = 0, hi = 0;
    int ranged = 0;
    if (text && (since || *until)) {
        if (prepare(s, "SELECT min(id), max(id) + 1 FROM articles WHERE date >= ?1 AND date < ?2",
                    &st))
            return WS_ERR_IO;
        sqlite3_bind_text(st, 1, since ? since : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, *until ? until : "~", -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            ranged = 1;
            lo = sqlite3_column_int64(st, 0);
            hi = sqlite3_column_int64(st, 1); /* no article: 0, nothing matches */
        }
        sqlite3_finalize(st);
    }
    const char *frange = ranged ? " AND f.rowid >= ?20 AND f.rowid < ?21 AND f.rowid <= ?23"
                                : " AND f.rowid <= ?23";
    sqlb w = {.n = 0};
    w.sql[0] = 0;
    if (since) sq(&w, " AND a.date >= ?2");
    if (*until) sq(&w, " AND a.date < ?3");
    if (site) sq(&w, " AND a.site = ?4 COLLATE NOCASE");
    int filtered = since || *until || site;
    /* FTS5 is the outer loop (CROSS JOIN), as in the statement search */
    const char *from_text = " FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid"
                            " WHERE articles_fts MATCH ?1";
    json_int_t n_fts = 0;
    if (text) {
        ws_status fr = fts_count(s, "articles_fts", text, frange, max_id, ranged, lo, hi, &n_fts);
        if (fr) return fr;
    }
    /* pass 0: the page of ids (only ids go through the sort); pass 1: the
     * total. With a text query and filters, the filters are applied to at
     * most MAX_EXAMINE of the latest matches (total_exact false beyond). */
    json_t *res = json_array();
    json_int_t total = text && !filtered ? n_fts : 0;
    int examined_all = 1;
    ws_status rc = WS_OK;
    sqlite3_stmt *one = NULL, *spk = NULL;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        sqlb b = {.n = 0};
        b.sql[0] = 0;
        if (pass == 0) {
            sq(&b, "SELECT a.id");
            sq(&b, text ? from_text : " FROM articles a WHERE 1");
            if (text) sq(&b, frange);
            sq(&b, w.sql);
            if (text && q->order == WS_SEARCH_RELEVANCE)
                sq(&b, " ORDER BY bm25(articles_fts, 10.0, 1.0), a.id DESC");
            else sq(&b, " ORDER BY a.date DESC, a.id DESC");
            sq(&b, " LIMIT ?7 OFFSET ?8");
        } else {
            if (text && !filtered) break;
            if (text) {
                char cf[512];
                snprintf(cf, sizeof cf,
                         "SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid AS rid FROM"
                         " articles_fts f WHERE articles_fts MATCH ?1%s ORDER BY rowid DESC"
                         " LIMIT ?22) f CROSS JOIN articles a ON a.id = f.rid WHERE 1",
                         frange);
                sq(&b, cf);
                if (n_fts > MAX_EXAMINE) examined_all = 0;
            } else
                sq(&b, "SELECT count(*) FROM (SELECT 1 FROM articles a WHERE 1");
            sq(&b, w.sql);
            sq(&b, " LIMIT ?9)");
        }
        if (sqlite3_prepare_v2(s->db, b.sql, -1, &st, NULL) != SQLITE_OK) {
            rc = ws_store_sqlfail(s, "article search");
            break;
        }
        if (text) {
            sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 23, max_id);
        }
        if (since) sqlite3_bind_text(st, 2, since, -1, SQLITE_TRANSIENT);
        if (*until) sqlite3_bind_text(st, 3, until, -1, SQLITE_TRANSIENT);
        if (site) sqlite3_bind_text(st, 4, site, -1, SQLITE_TRANSIENT);
        if (ranged) {
            sqlite3_bind_int64(st, 20, lo);
            sqlite3_bind_int64(st, 21, hi);
        }
        if (pass == 0) {
            sqlite3_bind_int64(st, 7, (int64_t)limit);
            sqlite3_bind_int64(st, 8, (int64_t)q->offset);
            if (prepare(s,
                        "SELECT id, url, site, date, title, n_statements, body, first_statement"
                        " FROM articles WHERE id = ?1",
                        &one) ||
                prepare(s,
                        "SELECT s.speaker_id, p.name, count(*) FROM statements s"
                        " JOIN speakers p ON p.id = s.speaker_id WHERE s.id >= ?1 AND s.id < ?2"
                        " GROUP BY s.speaker_id ORDER BY count(*) DESC, s.speaker_id LIMIT ?3",
                        &spk)) {
                sqlite3_finalize(st);
                rc = WS_ERR_IO;
                break;
            }
        } else {
            sqlite3_bind_int64(st, 9, MAX_TOTAL + 1);
            if (text) sqlite3_bind_int64(st, 22, MAX_EXAMINE);
        }
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (pass == 1) {
                total = sqlite3_column_int64(st, 0);
                continue;
            }
            json_t *o = article_result(s, one, spk, sqlite3_column_int64(st, 0), text, &rc);
            if (!o) break;
            json_array_append_new(res, o);
        }
        if (!rc && r != SQLITE_DONE)
            rc = text ? query_error(s, text) : ws_store_sqlfail(s, "article search");
        sqlite3_finalize(st);
    }
    sqlite3_finalize(one);
    sqlite3_finalize(spk);
    return page_json(s, rc, res, total, examined_all, json);
}

/* ---- speakers ------------------------------------------------------------ */

static ws_status speakers_in(ws_store *s, size_t top, const char *site, const char *topic,
                              char **json) {
    if (!s || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    if (topic && *topic && need_fts(s)) return WS_ERR_IO;
    if (!top) top = 20;
    if (top > MAX_LIMIT) top = MAX_LIMIT;
    int filtered = (site && *site) || (topic && *topic);
    sqlb b = {.n = 0};
    b.sql[0] = 0;
    if (!filtered)
        sq(&b, "SELECT p.id, p.name, p.title, p.gender, p.type, p.n_statements,"
               " (SELECT count(DISTINCT article_id) FROM statements WHERE speaker_id = p.id)"
               " FROM speakers p WHERE p.merged_into IS NULL AND p.n_statements > 0"
               " ORDER BY p.n_statements DESC, p.id LIMIT ?1");
    else {
        sq(&b, "SELECT p.id, p.name, p.title, p.gender, p.type, count(*),"
               " count(DISTINCT s.article_id) FROM statements s"
               " JOIN articles a ON a.id = s.article_id JOIN speakers p ON p.id = s.speaker_id"
               " WHERE 1");
        if (site && *site) sq(&b, " AND a.site = ?2 COLLATE NOCASE");
        if (topic && *topic)
            sq(&b, " AND s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?3)");
        sq(&b, " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT ?1");
    }
    sqlite3_stmt *st;
    if (prepare(s, b.sql, &st)) return WS_ERR_IO;
    sqlite3_bind_int64(st, 1, (int64_t)top);
    if (site && *site) sqlite3_bind_text(st, 2, site, -1, SQLITE_TRANSIENT);
    if (topic && *topic) sqlite3_bind_text(st, 3, topic, -1, SQLITE_TRANSIENT);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", col_json(st, 0));
        json_object_set_new(o, "name", col_str(st, 1));
        json_object_set_new(o, "title", col_str(st, 2));
        json_object_set_new(o, "gender", col_str(st, 3));
        json_object_set_new(o, "type", col_str(st, 4));
        json_object_set_new(o, "statements", col_json(st, 5));
        json_object_set_new(o, "articles", col_json(st, 6));
        json_array_append_new(arr, o);
    }
    ws_status rc = WS_OK;
    if (r != SQLITE_DONE) rc = topic && *topic ? query_error(s, topic) : ws_store_sqlfail(s, "speakers");
    sqlite3_finalize(st);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    return finish(s, json_pack("{s:o}", "speakers", arr), json);
}

/* Runs sql with ?1 = id and appends each row (named columns) to arr. */
static ws_status rows_into(ws_store *s, const char *sql, int64_t id, const char *const *names,
                           json_t *arr) {
    sqlite3_stmt *st;
    if (prepare(s, sql, &st)) return WS_ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; names[i]; i++)
            json_object_set_new(o, names[i],
                                sqlite3_column_type(st, i) == SQLITE_TEXT ? col_str(st, i)
                                                                          : col_json(st, i));
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? WS_OK : ws_store_sqlfail(s, "query");
}

static ws_status speaker_in(ws_store *s, long long id, char **json) {
    if (!s || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    sqlite3_stmt *st;
    ws_status rs = row_by_id(s,
                             "SELECT id, name, title, gender, type, n_statements, merged_into"
                             " FROM speakers WHERE id = ?1",
                             id, "speaker", &st);
    if (rs != WS_OK) return rs;
    json_t *o = json_object();
    json_object_set_new(o, "id", col_json(st, 0));
    json_object_set_new(o, "name", col_str(st, 1));
    json_object_set_new(o, "title", col_str(st, 2));
    json_object_set_new(o, "gender", col_str(st, 3));
    json_object_set_new(o, "type", col_str(st, 4));
    json_object_set_new(o, "statements", col_json(st, 5));
    json_object_set_new(o, "merged_into", col_json(st, 6));
    sqlite3_finalize(st);
    static const char *const alias_cols[] = {"id", "name", "title", "rule", "first_article",
                                             "previous_speaker", "statements", NULL};
    static const char *const month_cols[] = {"month", "statements", NULL};
    static const char *const site_cols[] = {"site", "statements", NULL};
    json_t *aliases = json_array(), *timeline = json_array(), *sites = json_array();
    ws_status rc =
        rows_into(s,
                  "SELECT a.id, a.name, a.title, a.rule, a.first_article, a.previous_speaker,"
                  " (SELECT count(*) FROM statements WHERE speaker_id = ?1 AND alias_id = a.id)"
                  " FROM aliases a WHERE a.speaker_id = ?1 ORDER BY a.id",
                  id, alias_cols, aliases);
    if (!rc)
        rc = rows_into(s,
                       "SELECT substr(a.date, 1, 7) AS m, count(*) FROM statements s"
                       " JOIN articles a ON a.id = s.article_id WHERE s.speaker_id = ?1"
                       " AND a.date IS NOT NULL GROUP BY m ORDER BY m",
                       id, month_cols, timeline);
    if (!rc)
        rc = rows_into(s,
                       "SELECT a.site, count(*) FROM statements s JOIN articles a"
                       " ON a.id = s.article_id WHERE s.speaker_id = ?1 GROUP BY a.site"
                       " ORDER BY count(*) DESC, a.site",
                       id, site_cols, sites);
    json_object_set_new(o, "aliases", aliases);
    json_object_set_new(o, "timeline", timeline);
    json_object_set_new(o, "sites", sites);
    if (rc) {
        json_decref(o);
        return rc;
    }
    return finish(s, o, json);
}

/* ---- article --------------------------------------------------------------- */

static ws_status article_in(ws_store *s, long long id, char **json) {
    if (!s || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    sqlite3_stmt *st;
    ws_status rs = row_by_id(s,
                             "SELECT id, doc_id, url, site, date, title, lang, author, body, generator,"
                             " n_statements FROM articles WHERE id = ?1",
                             id, "article", &st);
    if (rs != WS_OK) return rs;
    static const char *const names[] = {"id", "doc_id", "url", "site", "date", "title",
                                        "lang", "author", "body", "generator", "n_statements"};
    json_t *o = json_object();
    for (int i = 0; i < 11; i++)
        json_object_set_new(o, names[i], sqlite3_column_type(st, i) == SQLITE_TEXT ? col_str(st, i) : col_json(st, i));
    sqlite3_finalize(st);
    json_t *stmts = json_array();
    ws_status rc = WS_OK;
    if (prepare(s,
                "SELECT " STMT_COLS STMT_FROM " WHERE s.id >= (SELECT first_statement FROM"
                " articles WHERE id = ?1) AND s.id < (SELECT first_statement + n_statements"
                " FROM articles WHERE id = ?1) ORDER BY s.id",
                &st))
        rc = WS_ERR_IO;
    else {
        sqlite3_bind_int64(st, 1, id);
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(stmts, stmt_row(st));
        if (r != SQLITE_DONE) rc = ws_store_sqlfail(s, "article");
        sqlite3_finalize(st);
    }
    static const char *const ent_cols[] = {"id", "type", "name", "title", "gender", "speaker", NULL};
    json_t *ents = json_array();
    if (!rc)
        rc = rows_into(s,
                       "SELECT e.id, e.type, e.name, e.title, e.gender, a.speaker_id FROM entities e"
                       " LEFT JOIN aliases a ON a.id = e.alias_id WHERE e.article_id = ?1"
                       " ORDER BY e.ord",
                       id, ent_cols, ents);
    json_object_set_new(o, "statements", stmts);
    json_object_set_new(o, "entities", ents);
    if (rc) {
        json_decref(o);
        return rc;
    }
    return finish(s, o, json);
}

/* ---- quote cluster ----------------------------------------------------- */

static ws_status quote_cluster_in(ws_store *s, long long id, int by_statement, char **json) {
    if (!s || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    sqlite3_stmt *st;
    if (by_statement) {
        if (prepare(s, "SELECT cluster_id FROM statements WHERE id = ?1", &st)) return WS_ERR_IO;
        sqlite3_bind_int64(st, 1, id);
        int r = sqlite3_step(st);
        long long cid = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        if (r != SQLITE_ROW && r != SQLITE_DONE) return ws_store_sqlfail(s, "quote");
        if (!cid)
            return ws_store_fail(s, WS_ERR_INVALID,
                                 r == SQLITE_ROW ? "statement %lld is too short to cluster (under 4 words)"
                                                 : "no statement with id %lld",
                                 id);
        id = cid;
    }
    ws_status rs = row_by_id(s,
                             "SELECT c.id, c.n_statements, c.first_statement, c.first_article, c.first_site,"
                             " c.first_date, (SELECT count(DISTINCT article_id) FROM statements WHERE cluster_id = c.id),"
                             " (SELECT count(DISTINCT a.site) FROM statements x JOIN articles a ON a.id = x.article_id"
                             "  WHERE x.cluster_id = c.id) FROM clusters c WHERE c.id = ?1",
                             id, "quote cluster", &st);
    if (rs != WS_OK) return rs;
    json_t *o = json_object();
    json_object_set_new(o, "id", col_json(st, 0));
    json_object_set_new(o, "statements_count", col_json(st, 1));
    json_object_set_new(o, "articles", col_json(st, 6));
    json_object_set_new(o, "sites", col_json(st, 7));
    int64_t first = sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
    json_t *stmts = json_array(), *firsto = json_null();
    ws_status rc = WS_OK;
    int r;
    if (prepare(s,
                "SELECT " STMT_COLS STMT_FROM " WHERE s.cluster_id = ?1"
                " ORDER BY a.date IS NULL, a.date, s.id LIMIT 1000",
                &st))
        rc = WS_ERR_IO;
    else {
        sqlite3_bind_int64(st, 1, id);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *row = stmt_row(st);
            if (sqlite3_column_int64(st, 0) == first) {
                json_decref(firsto);
                firsto = json_incref(row);
            }
            json_array_append_new(stmts, row);
        }
        if (r != SQLITE_DONE) rc = ws_store_sqlfail(s, "quote");
        sqlite3_finalize(st);
    }
    /* wording variants: distinct content, with the sites that printed each */
    json_t *variants = json_array();
    if (!rc && prepare(s,
                       "SELECT s.content, group_concat(DISTINCT a.site), count(*), min(a.date),"
                       " min(s.id) FROM statements s JOIN articles a ON a.id = s.article_id"
                       " WHERE s.cluster_id = ?1 GROUP BY s.content ORDER BY min(a.date) IS NULL,"
                       " min(a.date), min(s.id)",
                       &st))
        rc = WS_ERR_IO;
    else if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        const char *firstc = json_string_value(json_object_get(firsto, "content"));
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *v = json_object();
            json_object_set_new(v, "content", col_str(st, 0));
            json_object_set_new(v, "sites", col_str(st, 1));
            json_object_set_new(v, "statements", col_json(st, 2));
            json_object_set_new(v, "first_date", col_str(st, 3));
            json_object_set_new(v, "first_statement", col_json(st, 4));
            const char *c = (const char *)sqlite3_column_text(st, 0);
            json_object_set_new(v, "is_first", json_boolean(firstc && c && !strcmp(c, firstc)));
            json_array_append_new(variants, v);
        }
        if (r != SQLITE_DONE) rc = ws_store_sqlfail(s, "quote");
        sqlite3_finalize(st);
    }
    json_object_set_new(o, "first", firsto);
    json_object_set_new(o, "variants", variants);
    json_object_set_new(o, "statements", stmts);
    if (rc) {
        json_decref(o);
        return rc;
    }
    return finish(s, o, json);
}

/* ---- stats ------------------------------------------------------------- */

static ws_status stats_in(ws_store *s, char **json) {
    if (!s || !json) return WS_ERR_INVALID;
    *json = NULL;
    s->busy = 0;
    static const struct {
        const char *name, *sql;
    } q[] = {
        {"schema_version", "PRAGMA user_version"},
        {"articles", "SELECT count(*) FROM articles"},
        {"statements", "SELECT count(*) FROM statements"},
        {"speakers", "SELECT count(*) FROM speakers WHERE merged_into IS NULL AND n_statements > 0"},
        {"aliases", "SELECT count(*) FROM aliases"},
        {"merged_aliases", "SELECT count(*) FROM aliases WHERE rule NOT IN ('new', 'name', 'unmerged')"},
        {"entities", "SELECT count(*) FROM entities"},
        {"mentions", "SELECT coalesce(sum(json_array_length(mentions)), 0) FROM entities"},
        {"clusters", "SELECT count(*) FROM clusters"},
        {"clusters_multi", "SELECT count(*) FROM clusters WHERE n_statements > 1"},
        {"sites", "SELECT count(DISTINCT site) FROM articles"},
        {"db_bytes", "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"},
    };
    json_t *o = json_object();
    json_t *dates = NULL;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st;
        if (prepare(s, q[i].sql, &st)) {
            json_decref(o);
            return WS_ERR_IO;
        }
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) json_object_set_new(o, q[i].name, col_json(st, 0));
        sqlite3_finalize(st);
        if (r != SQLITE_ROW) {
            json_decref(o);
            return ws_store_sqlfail(s, "stats");
        }
    }
    sqlite3_stmt *st;
    if (!prepare(s, "SELECT min(date), max(date) FROM articles", &st)) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            dates = json_object();
            json_object_set_new(dates, "first", col_str(st, 0));
            json_object_set_new(dates, "last", col_str(st, 1));
        }
        sqlite3_finalize(st);
    }
    json_object_set_new(o, "dates", dates ? dates : json_null());
    /* the text index: how far it has caught up with the store (rows
     * committed in the store whose text is not indexed yet) */
    json_int_t behind_a = -1, behind_s = -1, fbytes = 0;
    if (s->fts_attached &&
        !prepare(s,
                 "SELECT (SELECT count(*) FROM articles WHERE id > f.articles),"
                 " (SELECT count(*) FROM statements WHERE id > f.statements),"
                 " (SELECT c.page_count * z.page_size FROM pragma_page_count('fts') c,"
                 "  pragma_page_size('fts') z) FROM fts.fts_state f WHERE f.id = 1",
                 &st)) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            behind_a = sqlite3_column_int64(st, 0);
            behind_s = sqlite3_column_int64(st, 1);
            fbytes = sqlite3_column_int64(st, 2);
        }
        sqlite3_finalize(st);
    }
    if (behind_s < 0) { /* no usable text index: nothing is searchable */
        behind_a = json_integer_value(json_object_get(o, "articles"));
        behind_s = json_integer_value(json_object_get(o, "statements"));
    }
    json_object_set_new(o, "text_index",
                        json_string(s->fts_attached ? "ok"
                                    : s->fts_state == WS_FTS_OTHER ? "other store" : "missing"));
    json_object_set_new(o, "fts_behind", json_integer(behind_s));
    json_object_set_new(o, "fts_articles_behind", json_integer(behind_a));
    json_object_set_new(o, "fts_bytes", json_integer(fbytes));
    return finish(s, o, json);
}

/* ---- the public views, each on one snapshot ------------------------------ */

ws_status ws_store_search(ws_store *s, const ws_search_query *q, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, search_in(s, q, json));
}

ws_status ws_store_search_articles(ws_store *s, const ws_search_query *q, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, search_articles_in(s, q, json));
}

ws_status ws_store_speakers(ws_store *s, size_t top, const char *site, const char *topic,
                            char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, speakers_in(s, top, site, topic, json));
}

ws_status ws_store_speaker(ws_store *s, long long id, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, speaker_in(s, id, json));
}

ws_status ws_store_article(ws_store *s, long long id, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, article_in(s, id, json));
}

ws_status ws_store_quote_cluster(ws_store *s, long long id, int by_statement, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, quote_cluster_in(s, id, by_statement, json));
}

ws_status ws_store_stats(ws_store *s, char **json) {
    int b = snap_begin(s);
    return snap_end(s, b, stats_in(s, json));
}
