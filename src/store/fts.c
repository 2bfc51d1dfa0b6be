/*
 * fts.c - the text index: the FTS5 tables in their own database file beside
 * the store (`<db>-fts`), written by their own connection on their own
 * thread (docs/store.md, "The text index").
 *
 * While the writer writes a batch in the store, it hands the batch's
 * (rowid, text) rows, in chunks of CHUNK_BYTES, to this handle's indexer
 * thread, which inserts them into an FTS transaction of its own; when the
 * store's COMMIT has succeeded, the writer sends "commit" and the indexer
 * commits the rows together with the watermark (the highest article and
 * statement id indexed): one FTS transaction per batch, committed only
 * after the batch, so the index is never ahead of the store. A failed or
 * rolled-back batch sends "rollback". At most MAX_IN_FLIGHT messages are
 * queued or being indexed (up to 32 MB of text); the writer waits beyond that.
 *
 * Catch-up: every job first indexes, from the store itself, the rows between
 * the watermark and the first row of its batch (rows another writer, or a
 * killed run, committed without indexing them); a writer open submits a job
 * with no rows of its own that catches up to the store's last row (this is
 * also how the v4 -> v5 migration builds the file). The FTS file is created,
 * or deleted and created again, when it is missing, unreadable, of another
 * store (its store id differs from the store's) or ahead of the store.
 *
 * Views attach the FTS file read-only to the handle's connection as schema
 * "fts" (so statements_fts resolves to fts.statements_fts). A writer handle
 * detaches it at ws_store_begin(): an attached file would be held in a read
 * transaction for the whole batch and its WAL could never restart.
 *
 * Nothing here is global: the thread, its connection and its queue belong to
 * one ws_store.
 */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The FTS file's format (PRAGMA user_version of the file) given to new
 * files. 2: statements_fts keeps no column sizes (columnsize=0: about 5%
 * fewer instructions at ingest; docs/store.md, "The text index"). Files of
 * format 1 (with them) are read and written as they are. */
#define FTS_FORMAT 2
#define FTS_FORMAT_OLDEST 1
#define WS_STR_(x) #x
#define WS_STR(x) WS_STR_(x)
#define FTS_FORMAT_OK(v) ((v) >= FTS_FORMAT_OLDEST && (v) <= FTS_FORMAT)
/* Messages in flight at most (queued + being indexed): up to 32 MB of
 * text, about 1.3 batches of 10,000 articles, so that the writer goes on
 * with the next batch while the indexer commits one (FTS5 writes the
 * batch's segment then); 4 chunks of 2 MB made the writer wait there
 * (docs/BENCHMARKS.md, "Store", session 4). */
#ifndef MAX_IN_FLIGHT
#define MAX_IN_FLIGHT 32
#endif
/* A chunk of rows is handed over at this many bytes of text. */
#ifndef CHUNK_BYTES
#define CHUNK_BYTES (1u << 20)
#endif
/* The indexer waits this long at least for the FTS file's write lock
 * (another writer's indexer may hold it for a whole catch-up). */
#define INDEXER_BUSY_MS 60000

typedef struct fts_row {
    int64_t id;
    size_t a, na; /* title / content: offset and length in buf (na SIZE_MAX: NULL) */
    size_t b, nb; /* body (articles only) */
} fts_row;

/* What a message asks of the indexer. */
enum { JOB_ROWS, JOB_COMMIT, JOB_ROLLBACK, JOB_CATCHUP };

struct ws_fts_job {
    int kind;
    int64_t art_lo, art_hi; /* the batch's articles are (art_lo, art_hi] */
    int64_t st_lo, st_hi;   /* its statements (st_lo, st_hi] */
    fts_row *arts, *sts;
    size_t narts, cap_arts, nsts, cap_sts;
    char *buf;
    size_t n, cap;
    struct ws_fts_job *next;
};

struct ws_fts {
    char *path;       /* <db>-fts */
    char *store_uri;  /* the store, read-only, for catch-up */
    sqlite3 *db;      /* the indexer's connection (the FTS file) */
    sqlite3_stmt *ins_art, *ins_st;
    pthread_t th;
    int started;
    pthread_mutex_t m;
    pthread_cond_t cv; /* a job queued, a job done, stop */
    ws_fts_job *head, *tail;
    int in_flight; /* queued + being indexed */
    int busy_ms;   /* the connection's busy timeout */
    int stop;
    ws_status err; /* the last batch's failure (WS_OK once a later one succeeds) */
    char errmsg[600];
    /* the indexer's open FTS transaction (its thread only) */
    int in_txn, txn_failed;
    int store_attached; /* the store is attached as "store" (catch-up) */
    ws_status txn_rc;
    int64_t wa, ws; /* the watermark when it began */
    /* the writer's side (its thread only) */
    int sent; /* rows of the open batch were handed over */
};

#define NO_TEXT ((size_t)-1)

/* ---- file names ------------------------------------------------------------- */

char *ws_fts_path(const char *db_path) {
    size_t n = strlen(db_path);
    char *p = malloc(n + 5);
    if (p) {
        memcpy(p, db_path, n);
        memcpy(p + n, "-fts", 5);
    }
    return p;
}

/* A SQLite URI for path with ?mode=MODE (or none): '%', '?' and '#' are
 * escaped; an absolute path gets an empty authority. */
char *ws_fts_uri(const char *path, const char *mode) {
    size_t n = strlen(path);
    char *u = malloc(3 * n + 32 + (mode ? strlen(mode) : 0));
    if (!u) return NULL;
    char *o = u;
    o += sprintf(o, path[0] == '/' ? "file://" : "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') o += sprintf(o, "%%%02X", (unsigned char)*p);
        else *o++ = *p;
    }
    *o = 0;
    if (mode) sprintf(o, "?mode=%s", mode);
    return u;
}

/* ---- the job the writer fills --------------------------------------------- */

static size_t job_text(ws_fts_job *j, const char *t, size_t n, int *oom) {
    if (!t) return NO_TEXT;
    if (j->n + n + 1 > j->cap) {
        size_t c = j->cap ? j->cap : 1 << 20;
        while (c < j->n + n + 1) c *= 2;
        char *b = realloc(j->buf, c);
        if (!b) {
            *oom = 1;
            return NO_TEXT;
        }
        j->buf = b;
        j->cap = c;
    }
    size_t off = j->n;
    memcpy(j->buf + off, t, n);
    j->buf[off + n] = 0;
    j->n += n + 1;
    return off;
}

static fts_row *job_row(fts_row **rows, size_t *n, size_t *cap) {
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        fts_row *r = realloc(*rows, c * sizeof *r);
        if (!r) return NULL;
        *rows = r;
        *cap = c;
    }
    return &(*rows)[(*n)++];
}

static void job_free(ws_fts_job *j) {
    if (!j) return;
    free(j->arts);
    free(j->sts);
    free(j->buf);
    free(j);
}

static ws_status maybe_flush(ws_store *s);

static ws_fts_job *cur_job(ws_store *s) {
    if (!s->job) s->job = calloc(1, sizeof *s->job);
    return s->job;
}

ws_status ws_fts_add_article(ws_store *s, int64_t id, const char *title, const char *body,
                             size_t blen) {
    if (!s->fts) return WS_OK;
    ws_fts_job *j = cur_job(s);
    fts_row *r = j ? job_row(&j->arts, &j->narts, &j->cap_arts) : NULL;
    if (!r) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    int oom = 0;
    s->fts_art_hi = id;
    r->id = id;
    r->na = title ? strlen(title) : 0;
    r->a = job_text(j, title, r->na, &oom);
    r->nb = body ? blen : 0;
    r->b = job_text(j, body, r->nb, &oom);
    if (oom) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    return maybe_flush(s);
}

ws_status ws_fts_add_statement(ws_store *s, int64_t id, const char *text, size_t n) {
    if (!s->fts) return WS_OK;
    ws_fts_job *j = cur_job(s);
    fts_row *r = j ? job_row(&j->sts, &j->nsts, &j->cap_sts) : NULL;
    if (!r) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    int oom = 0;
    r->id = id;
    r->na = n;
    r->a = job_text(j, text, n, &oom);
    r->b = NO_TEXT;
    r->nb = 0;
    if (oom) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    return maybe_flush(s);
}

static void submit(ws_fts *f, ws_fts_job *j);

/* Hands the open batch's rows collected so far to the indexer. */
static void flush_rows(ws_store *s) {
    ws_fts_job *j = s->job;
    s->job = NULL;
    if (!j) return;
    if (!j->narts && !j->nsts) {
        job_free(j);
        return;
    }
    j->kind = JOB_ROWS;
    j->art_lo = s->fts_art;
    j->st_lo = s->fts_stmt;
    s->fts->sent = 1;
    submit(s->fts, j);
}

static ws_status maybe_flush(ws_store *s) {
    if (s->job && s->job->n >= CHUNK_BYTES) flush_rows(s);
    return WS_OK;
}

static void send_kind(ws_fts *f, int kind, int64_t art_hi, int64_t st_hi) {
    ws_fts_job *j = calloc(1, sizeof *j);
    if (!j) { /* cannot happen often; the next writer open catches up */
        pthread_mutex_lock(&f->m);
        f->err = WS_ERR_NOMEM;
        snprintf(f->errmsg, sizeof f->errmsg, "%.300s: text index: out of memory", f->path);
        pthread_mutex_unlock(&f->m);
        kind = JOB_ROLLBACK;
        j = calloc(1, sizeof *j);
        if (!j) return;
    }
    j->kind = kind;
    j->art_hi = art_hi;
    j->st_hi = st_hi;
    submit(f, j);
}

void ws_fts_discard(ws_store *s) {
    job_free(s->job);
    s->job = NULL;
    if (s->fts && s->fts->sent) {
        s->fts->sent = 0;
        send_kind(s->fts, JOB_ROLLBACK, 0, 0);
    }
}

/* ---- the indexer thread ------------------------------------------------------ */

static ws_status ifail(ws_fts *f, const char *what) {
    int rc = sqlite3_errcode(f->db);
    snprintf(f->errmsg, sizeof f->errmsg, "%.300s: text index: %s: %s", f->path, what,
             (rc & 0xff) == SQLITE_BUSY ? "the text index is locked by another process"
                                        : sqlite3_errmsg(f->db));
    return rc == SQLITE_NOMEM ? WS_ERR_NOMEM : WS_ERR_IO;
}

static int iexec(ws_fts *f, const char *sql) {
    return sqlite3_exec(f->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Indexes rows (lo, hi] of the store's articles and statements, read from
 * the store itself (attached read-only as "store" for the purpose). */
static ws_status catch_up(ws_fts *f, int64_t alo, int64_t ahi, int64_t slo, int64_t shi) {
    if (!f->store_attached) {
        sqlite3_stmt *a;
        if (sqlite3_prepare_v2(f->db, "ATTACH ?1 AS store", -1, &a, NULL) != SQLITE_OK)
            return ifail(f, "catch-up");
        sqlite3_bind_text(a, 1, f->store_uri, -1, SQLITE_STATIC);
        int rc = sqlite3_step(a);
        sqlite3_finalize(a);
        if (rc != SQLITE_DONE) return ifail(f, "opening the store for catch-up");
        f->store_attached = 1; /* detached after the transaction (txn_end) */
    }
    static const char *const sql[2] = {
        "INSERT INTO main.articles_fts(rowid, title, body) SELECT id, title, body"
        " FROM store.articles WHERE id > ?1 AND id <= ?2 ORDER BY id",
        "INSERT INTO main.statements_fts(rowid, content) SELECT id, content"
        " FROM store.statements WHERE id > ?1 AND id <= ?2 ORDER BY id"};
    for (int i = 0; i < 2; i++) {
        int64_t lo = i ? slo : alo, hi = i ? shi : ahi;
        if (hi <= lo) continue;
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(f->db, sql[i], -1, &q, NULL) != SQLITE_OK)
            return ifail(f, "catch-up");
        sqlite3_bind_int64(q, 1, lo);
        sqlite3_bind_int64(q, 2, hi);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) return ifail(f, "catch-up");
    }
    return WS_OK;
}

static void bind_row_text(sqlite3_stmt *st, int i, const ws_fts_job *j, size_t off, size_t n) {
    if (off == NO_TEXT) sqlite3_bind_null(st, i);
    else sqlite3_bind_text(st, i, j->buf + off, (int)n, SQLITE_STATIC);
}

/* Opens the indexer's FTS transaction: the watermark, and the rows
 * between it and the batch (art_lo, st_lo) caught up from the store. */
static ws_status txn_begin(ws_fts *f, int64_t art_lo, int64_t st_lo) {
    if (iexec(f, "BEGIN IMMEDIATE")) return ifail(f, "begin");
    f->in_txn = 1;
    f->txn_failed = 0;
    f->txn_rc = WS_OK;
    f->wa = f->ws = 0;
    sqlite3_stmt *q;
    ws_status rc = WS_OK;
    if (sqlite3_prepare_v2(f->db, "SELECT articles, statements FROM fts_state WHERE id = 1", -1,
                           &q, NULL) != SQLITE_OK)
        return ifail(f, "watermark");
    if (sqlite3_step(q) == SQLITE_ROW) {
        f->wa = sqlite3_column_int64(q, 0);
        f->ws = sqlite3_column_int64(q, 1);
    } else
        rc = ifail(f, "watermark");
    sqlite3_finalize(q);
    if (!rc && (f->wa < art_lo || f->ws < st_lo)) rc = catch_up(f, f->wa, art_lo, f->ws, st_lo);
    return rc;
}

/* Commits the open FTS transaction with the watermark (art_hi, st_hi). */
static ws_status txn_commit(ws_fts *f, int64_t art_hi, int64_t st_hi) {
    sqlite3_stmt *q;
    ws_status rc = WS_OK;
    if (sqlite3_prepare_v2(f->db,
                           "UPDATE fts_state SET articles = max(articles, ?1),"
                           " statements = max(statements, ?2) WHERE id = 1",
                           -1, &q, NULL) != SQLITE_OK)
        return ifail(f, "watermark");
    sqlite3_bind_int64(q, 1, art_hi);
    sqlite3_bind_int64(q, 2, st_hi);
    if (sqlite3_step(q) != SQLITE_DONE) rc = ifail(f, "watermark");
    sqlite3_finalize(q);
    if (!rc && iexec(f, "COMMIT")) rc = ifail(f, "commit");
    return rc;
}

static void txn_end(ws_fts *f) {
    if (f->in_txn && !sqlite3_get_autocommit(f->db))
        sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
    f->in_txn = 0;
    /* the store is detached outside a transaction only */
    if (f->store_attached && sqlite3_exec(f->db, "DETACH store", NULL, NULL, NULL) == SQLITE_OK)
        f->store_attached = 0;
}

/* A chunk of the open batch's rows: those above the watermark. */
static ws_status add_rows(ws_fts *f, ws_fts_job *j) {
    ws_status rc = WS_OK;
    for (size_t i = 0; !rc && i < j->narts; i++) {
        const fts_row *r = &j->arts[i];
        if (r->id <= f->wa) continue;
        sqlite3_reset(f->ins_art);
        sqlite3_bind_int64(f->ins_art, 1, r->id);
        bind_row_text(f->ins_art, 2, j, r->a, r->na);
        bind_row_text(f->ins_art, 3, j, r->b, r->nb);
        if (sqlite3_step(f->ins_art) != SQLITE_DONE) rc = ifail(f, "article");
    }
    for (size_t i = 0; !rc && i < j->nsts; i++) {
        const fts_row *r = &j->sts[i];
        if (r->id <= f->ws) continue;
        sqlite3_reset(f->ins_st);
        sqlite3_bind_int64(f->ins_st, 1, r->id);
        bind_row_text(f->ins_st, 2, j, r->a, r->na);
        if (sqlite3_step(f->ins_st) != SQLITE_DONE) rc = ifail(f, "statement");
    }
    sqlite3_reset(f->ins_art);
    sqlite3_reset(f->ins_st);
    return rc;
}

/* One message; returns the batch's outcome for COMMIT and CATCHUP (the
 * status the writer sees), WS_OK otherwise. */
static ws_status run_job(ws_fts *f, ws_fts_job *j, int *done) {
    ws_status rc = WS_OK;
    *done = 0;
    switch (j->kind) {
    case JOB_ROWS:
        if (!f->in_txn) {
            rc = txn_begin(f, j->art_lo, j->st_lo);
            if (rc && !f->in_txn) { /* BEGIN failed: the batch is lost here */
                f->in_txn = 1;
                f->txn_failed = 1;
                f->txn_rc = rc;
                break;
            }
        }
        if (!rc && !f->txn_failed) rc = add_rows(f, j);
        if (rc && !f->txn_failed) {
            f->txn_failed = 1;
            f->txn_rc = rc;
        }
        return WS_OK;
    case JOB_COMMIT:
        *done = 1;
        if (!f->in_txn) return WS_OK;
        rc = f->txn_failed ? f->txn_rc : txn_commit(f, j->art_hi, j->st_hi);
        txn_end(f);
        return rc;
    case JOB_ROLLBACK:
        txn_end(f);
        return WS_OK;
    case JOB_CATCHUP:
        *done = 1;
        rc = txn_begin(f, j->art_lo, j->st_lo);
        if (!rc) rc = txn_commit(f, j->art_lo, j->st_lo);
        txn_end(f);
        return rc;
    }
    return rc;
}

static void *indexer_main(void *arg) {
    ws_fts *f = arg;
    ws_store_helper_thread_start();
    pthread_mutex_lock(&f->m);
    for (;;) {
        while (!f->head && !f->stop) pthread_cond_wait(&f->cv, &f->m);
        ws_fts_job *j = f->head;
        if (!j) break; /* stopped and drained */
        f->head = j->next;
        if (!f->head) f->tail = NULL;
        pthread_mutex_unlock(&f->m);
        int done;
        ws_status rc = run_job(f, j, &done);
        job_free(j);
        pthread_mutex_lock(&f->m);
        /* a later batch catches up what a failed one left */
        if (done) f->err = rc;
        f->in_flight--;
        pthread_cond_broadcast(&f->cv);
    }
    pthread_mutex_unlock(&f->m);
    /* stopped (the store is closing): the FTS file's WAL is emptied here,
     * while the store's checkpoint thread does the same for the store,
     * instead of one after the other in the two closes (0.3 s at the end
     * of a 125,000-article ingest); the close copies what a reader's
     * snapshot kept */
    ws_store_empty_wal(f->db, f->busy_ms);
    return NULL;
}

/* Queues job (taking it) once fewer than MAX_IN_FLIGHT are in flight. */
static void submit(ws_fts *f, ws_fts_job *j) {
    pthread_mutex_lock(&f->m);
    while (f->in_flight >= MAX_IN_FLIGHT) pthread_cond_wait(&f->cv, &f->m);
    j->next = NULL;
    if (f->tail) f->tail->next = j;
    else f->head = j;
    f->tail = j;
    f->in_flight++;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->m);
}

void ws_fts_submit(ws_store *s, int64_t art_hi, int64_t st_hi) {
    if (!s->fts) {
        ws_fts_discard(s);
        return;
    }
    flush_rows(s);
    if (!s->fts->sent) return; /* nothing added (all duplicates) */
    s->fts->sent = 0;
    send_kind(s->fts, JOB_COMMIT, art_hi, st_hi);
}

ws_status ws_fts_wait(ws_store *s) {
    ws_fts *f = s->fts;
    if (!f) return WS_OK;
    pthread_mutex_lock(&f->m);
    while (f->in_flight) pthread_cond_wait(&f->cv, &f->m);
    ws_status rc = f->err;
    if (rc) ws_store_fail(s, rc, "%s", f->errmsg);
    pthread_mutex_unlock(&f->m);
    return rc;
}

void ws_fts_stop(ws_fts *f) {
    if (!f || !f->started) return;
    pthread_mutex_lock(&f->m);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->m);
}

void ws_fts_free(ws_fts *f) {
    if (!f) return;
    if (f->started) {
        ws_fts_stop(f);
        pthread_join(f->th, NULL);
    }
    pthread_mutex_destroy(&f->m);
    pthread_cond_destroy(&f->cv);
    while (f->head) {
        ws_fts_job *n = f->head->next;
        job_free(f->head);
        f->head = n;
    }
    sqlite3_finalize(f->ins_art);
    sqlite3_finalize(f->ins_st);
    sqlite3_close(f->db);
    free(f->path);
    free(f->store_uri);
    free(f);
}

/* ---- opening the FTS file (writer) ------------------------------------------- */

static const char *const fts_schema =
    "CREATE TABLE IF NOT EXISTS fts_state(id INTEGER PRIMARY KEY CHECK (id = 1),"
    " store TEXT NOT NULL, articles INTEGER NOT NULL, statements INTEGER NOT NULL);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5(content, content='', columnsize=0,"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, content='',"
    " tokenize='unicode61 remove_diacritics 2');"
    /* one segment per batch (see migration 3 of the store) */
    "INSERT INTO statements_fts(statements_fts, rank) VALUES('hashsize', 67108864);"
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 67108864);";

static int query_i64(sqlite3 *db, const char *sql, int64_t *a, int64_t *b) {
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *a = sqlite3_column_int64(q, 0);
        if (b) *b = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static void unlink_fts(const char *path) {
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    size_t n = strlen(path);
    char *p = malloc(n + 10);
    if (!p) return;
    for (int i = 0; i < 4; i++) {
        snprintf(p, n + 10, "%s%s", path, sfx[i]);
        unlink(p);
    }
    free(p);
}

/* 1: the open FTS file is usable for this store (right format, same store
 * id, not ahead of the store); 0: not (recreate it); -1: busy or I/O. */
static int store_max(sqlite3 *db, int64_t *max_art, int64_t *max_st) {
    return query_i64(db,
                     "SELECT (SELECT coalesce(max(id), 0) FROM articles),"
                     " (SELECT coalesce(max(id), 0) FROM statements)",
                     max_art, max_st);
}

/* The watermark is read before the store's last ids: another writer's
 * indexer commits only after its store commit, so a watermark read first
 * is never above ids read after it unless the file really is ahead. */
static int fts_usable(ws_fts *f, sqlite3 *store, const char *store_id) {
    int64_t ver = 0, n = 0;
    int r = query_i64(f->db, "PRAGMA user_version", &ver, NULL);
    if (r < 0) {
        int base = sqlite3_errcode(f->db) & 0xff;
        return base == SQLITE_BUSY || base == SQLITE_LOCKED ? -1 : 0;
    }
    if (ver == 0 && query_i64(f->db, "SELECT count(*) FROM sqlite_schema", &n, NULL) == 0 &&
        n == 0)
        return 1; /* empty: the schema is made below */
    if (!FTS_FORMAT_OK(ver)) return 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(f->db, "SELECT store, articles, statements FROM fts_state WHERE id = 1",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    int ok = 0;
    int64_t wa = 0, ws = 0, max_art = 0, max_st = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        ok = id && !strcmp(id, store_id);
        wa = sqlite3_column_int64(q, 1);
        ws = sqlite3_column_int64(q, 2);
    }
    sqlite3_finalize(q);
    if (ok && store_max(store, &max_art, &max_st) != 0) return -1;
    return ok && wa <= max_art && ws <= max_st;
}

static ws_status open_fts_db(ws_store *s, ws_fts *f, int busy_ms) {
    char *uri = ws_fts_uri(f->path, NULL);
    if (!uri) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    int rc = sqlite3_open_v2(uri, &f->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                                 SQLITE_OPEN_URI,
                             NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return ws_store_fail(s, WS_ERR_IO, "%s: cannot open the text index: %s", f->path,
                             f->db ? sqlite3_errmsg(f->db) : "out of memory");
    sqlite3_extended_result_codes(f->db, 1);
    if (ws_fts_tok_register(f->db) != 0)
        return ws_store_fail(s, WS_ERR_IO, "%s: SQLite has no FTS5 tokenizer unicode61", f->path);
    f->busy_ms = busy_ms > INDEXER_BUSY_MS ? busy_ms : INDEXER_BUSY_MS;
    sqlite3_busy_timeout(f->db, f->busy_ms);
    return WS_OK;
}

ws_status ws_fts_start(ws_store *s, const char *db_path, int busy_ms) {
    char store_id[64] = "";
    int64_t max_art = 0, max_st = 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM store_info WHERE key = 'id'", -1, &q,
                           NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "text index");
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(store_id, sizeof store_id, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (!store_id[0]) return ws_store_fail(s, WS_ERR_IO, "no store id (store_info)");
    ws_fts *f = calloc(1, sizeof *f);
    if (!f) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&f->m, NULL);
    pthread_cond_init(&f->cv, NULL);
    f->path = ws_fts_path(db_path);
    f->store_uri = ws_fts_uri(db_path, "ro");
    ws_status st = f->path && f->store_uri ? WS_OK
                                           : ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    if (!st) st = open_fts_db(s, f, busy_ms);
    int usable = st ? -1 : fts_usable(f, s->db, store_id);
    if (!st && usable == 0) { /* another store's, damaged, or ahead: start over */
        sqlite3_close(f->db);
        f->db = NULL;
        unlink_fts(f->path);
        st = open_fts_db(s, f, busy_ms);
        usable = st ? -1 : 1;
    }
    if (!st && usable < 0)
        st = ws_store_fail(s, WS_ERR_IO, "%s: the text index is locked by another process",
                           f->path);
    /* WAL like the store; NORMAL sync: a crash loses at most the last
     * batches' index, which the next writer open catches up */
    int64_t have = 0, pages = -1, psz = 0;
    /* a new file gets 16 KiB pages, as a new store does: fewer page writes
     * for the same segments (docs/BENCHMARKS.md, "Store", session 5) */
    if (!st && query_i64(f->db, "PRAGMA page_count", &pages, NULL) == 0 && pages == 0 &&
        iexec(f, "PRAGMA page_size = 16384"))
        st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path, sqlite3_errmsg(f->db));
    if (!st && (iexec(f, "PRAGMA journal_mode = WAL") || iexec(f, "PRAGMA synchronous = NORMAL") ||
                iexec(f, "PRAGMA cache_size = -65536") || iexec(f, "PRAGMA secure_delete = OFF") ||
                /* a checkpoint per 40 MB of WAL, whatever the page size */
                query_i64(f->db, "PRAGMA page_size", &psz, NULL) != 0 || psz <= 0 ||
                sqlite3_wal_autocheckpoint(f->db, (int)((40 << 20) / psz)) != SQLITE_OK ||
                query_i64(f->db, "PRAGMA user_version", &have, NULL) != 0 ||
                /* the write lock only to make the schema (another writer's
                 * indexer may hold it for a whole batch) */
                (!FTS_FORMAT_OK(have) && iexec(f, "BEGIN IMMEDIATE"))))
        st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path, sqlite3_errmsg(f->db));
    if (!st && !FTS_FORMAT_OK(have)) {
        int64_t ver = 0;
        if (query_i64(f->db, "PRAGMA user_version", &ver, NULL) == 0 && ver == 0) {
            /* new file (another writer may have made it while we waited) */
            if (iexec(f, fts_schema) ||
                sqlite3_prepare_v2(f->db, "INSERT INTO fts_state VALUES(1, ?1, 0, 0)", -1, &q,
                                   NULL) != SQLITE_OK)
                st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path,
                                   sqlite3_errmsg(f->db));
            else {
                sqlite3_bind_text(q, 1, store_id, -1, SQLITE_STATIC);
                if (sqlite3_step(q) != SQLITE_DONE)
                    st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path,
                                       sqlite3_errmsg(f->db));
                sqlite3_finalize(q);
            }
            if (!st && iexec(f, "PRAGMA user_version = " WS_STR(FTS_FORMAT)))
                st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path,
                                   sqlite3_errmsg(f->db));
        }
        if (st || iexec(f, "COMMIT")) {
            if (!st)
                st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path,
                                   sqlite3_errmsg(f->db));
            sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    if (!st && (sqlite3_prepare_v3(f->db,
                                   "INSERT INTO articles_fts(rowid, title, body) VALUES(?1, ?2, ?3)",
                                   -1, SQLITE_PREPARE_PERSISTENT, &f->ins_art, NULL) != SQLITE_OK ||
                sqlite3_prepare_v3(f->db,
                                   "INSERT INTO statements_fts(rowid, content) VALUES(?1, ?2)", -1,
                                   SQLITE_PREPARE_PERSISTENT, &f->ins_st, NULL) != SQLITE_OK))
        st = ws_store_fail(s, WS_ERR_IO, "%s: text index: %s", f->path, sqlite3_errmsg(f->db));
    if (!st) {
        if (pthread_create(&f->th, NULL, indexer_main, f))
            st = ws_store_fail(s, WS_ERR_NOMEM, "cannot start the text index thread");
        else f->started = 1;
    }
    if (st) {
        ws_fts_free(f);
        return st;
    }
    s->fts = f;
    if (store_max(s->db, &max_art, &max_st) != 0) return ws_store_sqlfail(s, "text index");
    /* catch up whatever the store holds above the watermark */
    ws_fts_job *j = calloc(1, sizeof *j);
    if (!j) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    j->kind = JOB_CATCHUP;
    j->art_lo = j->art_hi = max_art;
    j->st_lo = j->st_hi = max_st;
    submit(f, j);
    return WS_OK;
}

/* ---- views: the FTS file attached read-only ---------------------------------- */

int ws_fts_attach(ws_store *s) {
    if (s->fts_attached) return WS_FTS_OK;
    if (!s->path) return WS_FTS_MISSING;
    char *path = ws_fts_path(s->path);
    struct stat sb;
    int exists = path && stat(path, &sb) == 0;
    char *uri = exists ? ws_fts_uri(path, "ro") : NULL;
    free(path);
    if (!uri) return s->fts_state = WS_FTS_MISSING;
    sqlite3_stmt *q;
    int ok = sqlite3_prepare_v2(s->db, "ATTACH ?1 AS fts", -1, &q, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_finalize(q);
    }
    free(uri);
    if (!ok) return s->fts_state = WS_FTS_MISSING;
    /* the right format, and this store's (not one left by a deleted store) */
    int64_t same = 0, ver = 0;
    int r = query_i64(s->db, "PRAGMA fts.user_version", &ver, NULL);
    if (r == 0 && FTS_FORMAT_OK(ver))
        r = query_i64(s->db,
                      "SELECT (SELECT store FROM fts.fts_state WHERE id = 1) ="
                      " (SELECT value FROM main.store_info WHERE key = 'id')",
                      &same, NULL);
    if (r != 0 || !FTS_FORMAT_OK(ver) || !same) {
        int base = sqlite3_errcode(s->db) & 0xff;
        sqlite3_exec(s->db, "DETACH fts", NULL, NULL, NULL);
        return s->fts_state = (base == SQLITE_BUSY || base == SQLITE_LOCKED)
                                  ? WS_FTS_MISSING
                                  : (ver == 0 ? WS_FTS_MISSING : WS_FTS_OTHER);
    }
    s->fts_attached = 1;
    return s->fts_state = WS_FTS_OK;
}

void ws_fts_detach(ws_store *s) {
    if (s->fts_attached && sqlite3_exec(s->db, "DETACH fts", NULL, NULL, NULL) == SQLITE_OK)
        s->fts_attached = 0;
}

const char *ws_fts_state_msg(ws_store *s) {
    return s->fts_state == WS_FTS_OTHER
               ? "the text index file belongs to another store; run 'whosaid index' to rebuild it"
               : "the text index file is missing; run 'whosaid index' to rebuild it";
}
