/*
 * store.h - internals of the SQLite store (src/store/, docs/store.md).
 *
 * One ws_store wraps one sqlite3 connection and a cache of prepared
 * statements (prepared once, reset after each use). Nothing here is global.
 */
#ifndef WS_STORE_INTERNAL_H
#define WS_STORE_INTERNAL_H

#include "whosaid.h"

#include <sqlite3.h>

typedef struct ws_ckpt ws_ckpt;
#include <stdarg.h>
#include <stdint.h>

#define WS_STORE_SCHEMA_VERSION 6

/* ws_store_ingest_file's batch when given 0: at 125,000 articles, 10,000
 * a batch took 22% less CPU than 1,000 (fewer FTS5 segments to merge,
 * fewer rewrites of the same index pages; docs/BENCHMARKS.md, "Store") */
#define WS_STORE_DEFAULT_BATCH 10000

/* The multi-row INSERTs of an article's statements, entities and new
 * clusters take up to this many rows each (an execution of an INSERT costs
 * about 4,000 instructions besides its rows: docs/BENCHMARKS.md, "Session
 * 6: the writer thread of whosaid index"). */
#define WS_STMT_ROWS 16
/* Its parameters per row, in the order of WS_ST_STMT_INSERT's ?1..?13
 * (?13, the id, is not in the SQL: the table gives it). */
#define WS_STMT_COLS 13

/* The cached statements; their SQL is in ws_store_sql[] (store.c). */
enum ws_store_stmt {
    WS_ST_ART_INSERT,
    WS_ST_STMT_INSERT,
    WS_ST_ALIAS_EXACT,
    WS_ST_ALIAS_BY_KEY,
    WS_ST_ALIAS_INSERT,
    WS_ST_SPK_INSERT,
    WS_ST_SPK_ADD_COUNT,
    WS_ST_SPK_GET,
    WS_ST_SPK_BY_SURNAME_FULL,
    WS_ST_SPK_BY_SURNAME_SHORT,
    WS_ST_SPK_SET_GENDER,
    WS_ST_CL_JOIN,
    WS_ST_CL_GET,
    WS_ST_CL_HASH,
    WS_ST_COUNT
};

typedef struct ws_clx ws_clx;

#define WS_MINHASH_K 16
#define WS_MINHASH_BANDS 4

/* A new quote cluster of the article being written, not yet inserted
 * (ingest.c): its id is the next one (clusters' ids are max + 1 in order),
 * its row is written at the end of the article, or before an UPDATE of it. */
typedef struct ws_cl_row {
    int64_t id, hash, stmt, art;
    const char *site, *date; /* the article's, alive while it is written */
    int has_sig;
    uint32_t sig[WS_MINHASH_K];
} ws_cl_row;
typedef struct ws_spk_batch ws_spk_batch; /* speakers.c */
typedef struct ws_fts ws_fts;         /* the text index's indexer (fts.c) */
typedef struct ws_fts_job ws_fts_job; /* one batch's rows for it */
typedef struct ws_store_prep ws_store_prep; /* one parsed input object (ingest.c) */

struct ws_store {
    sqlite3 *db;
    unsigned flags;
    int in_batch; /* 1 inside ws_store_begin() .. commit/rollback */
    int busy;     /* the last failure was SQLITE_BUSY/LOCKED */
    /* the largest article and statement ids when the batch began: the
     * batch's rows are above them (handed to the text index at commit) */
    int64_t fts_art, fts_stmt;
    int64_t fts_art_hi; /* the last article id written in this batch */
    char *path;       /* the store's file name */
    ws_fts *fts;      /* a writer's text-index thread (fts.c), or NULL */
    ws_fts_job *job;  /* the open batch's rows for it */
    int fts_attached; /* the FTS file is attached as schema "fts" */
    int fts_state;    /* WS_FTS_*: what the last attach found */
    int64_t next_stmt; /* the last statement id given in this batch */
    char err[1024];
    sqlite3_stmt *st[WS_ST_COUNT];
    /* INSERT INTO statements of n rows (n = 2..WS_STMT_ROWS), prepared on
     * first use (ws_store_stmt_rows) */
    sqlite3_stmt *st_rows[WS_STMT_ROWS + 1];
    /* INSERT INTO clusters / entities of n rows (n = 1..WS_STMT_ROWS) */
    sqlite3_stmt *st_clrows[WS_STMT_ROWS + 1];
    sqlite3_stmt *st_entrows[WS_STMT_ROWS + 1];
    int64_t next_ent;     /* the last entity id given in this batch */
    ws_cl_row *clrow;     /* the article's new clusters not yet inserted */
    size_t nclrow, capclrow;
    int64_t next_cluster; /* the last cluster id given in this batch */
    ws_store_prep *prep;      /* ws_store_ingest_json's object, reused */
    void *scratch;            /* ingest's per-article entity map, reused (ingest.c) */
    int wal_frames;           /* a writer: frames in the WAL after its last commit */
    int checkpoint_pages;     /* a writer checkpoints at this many (store.c) */
    int ckpt_asked;           /* wal_frames when the last checkpoint was asked for */
    ws_ckpt *ckpt;            /* a writer's checkpoint thread (ckpt.c), or NULL */
    size_t scratch_cap;
    ws_clx *clx;              /* the writer's cluster maps (clx.c), or NULL */
    ws_spk_batch *spk;        /* the open batch's speaker memo (speakers.c), or NULL */
    uint64_t near_window;     /* ws_store_set_near_window (0: the default) */
    uint32_t *cand;           /* band candidates, reused (clx.c) */
    size_t ncand_cap;
    void (*progress)(void *ud, const ws_store_ingest_stats *s, uint64_t bytes);
    void *progress_ud;
};

/* Formats the handle's message; returns code. */
ws_status ws_store_fail(ws_store *s, ws_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Sets the message from the connection's last SQLite error (what: context). */
ws_status ws_store_sqlfail(ws_store *s, const char *what);
/* The cached statement, reset and unbound; NULL on failure (message set). */
sqlite3_stmt *ws_store_stmt(ws_store *s, enum ws_store_stmt which);
/* The cached statement, reset but with its old bindings: for callers that
 * bind every parameter (NULLs too) before each step, which saves clearing
 * them. NULL on failure (message set). */
sqlite3_stmt *ws_store_stmt_rebind(ws_store *s, enum ws_store_stmt which);
/* INSERT INTO statements of n rows (1..WS_STMT_ROWS), reset with its old
 * bindings: row r's parameters are r * WS_STMT_COLS + 1..13, in the order
 * of WS_ST_STMT_INSERT. NULL on failure (message set). */
sqlite3_stmt *ws_store_stmt_rows(ws_store *s, int n);
/* The number of migrations this build has (rows in a new store's
 * migrations table; versions may skip a number). */
int ws_store_n_migrations(void);
/* Runs SQL with no results (schema, pragmas). */
ws_status ws_store_exec(ws_store *s, const char *sql);

/* ingest.c */
void ws_store_prep_free(ws_store_prep *p);
/* The new cluster `id` if its row is not inserted yet, else NULL. */
const ws_cl_row *ws_store_pending_cluster(const ws_store *s, int64_t id);
/* INSERT INTO clusters of n rows (1..WS_STMT_ROWS, 7 parameters a row:
 * id, hash, sig, first_statement, first_article, first_site, first_date;
 * n_statements is 1), reset with its old bindings; NULL on failure. The
 * id (?1 of each row) is not in the SQL: the table gives it. */
sqlite3_stmt *ws_store_cluster_rows(ws_store *s, int n);
/* INSERT INTO entities of n rows (1..WS_STMT_ROWS, 9 parameters a row: id,
 * article_id, ord, type, name, title, gender, alias_id, mentions), reset
 * with its old bindings; NULL on failure. The id (?1 of each row) is not
 * in the SQL: the table gives it. */
sqlite3_stmt *ws_store_entity_rows(ws_store *s, int n);

/* ---- fts.c: the text index in <db>-fts, its own thread ------------------- */

enum { WS_FTS_UNKNOWN, WS_FTS_OK, WS_FTS_MISSING, WS_FTS_OTHER };

/* fts_tok.c: registers on db a tokenizer named "unicode61" that gives the
 * built-in one's tokens faster on ASCII text (the indexer's connection);
 * 0, or -1 if FTS5 is missing. */
int ws_fts_tok_register(sqlite3 *db);
/* db's FTS5 API (version 2 or later), or NULL. */
fts5_api *ws_fts5_api(sqlite3 *db);
/* fts_rank.c: registers the auxiliary function ws_bm25(TABLE[, TEXT]) on
 * db: FTS5's bm25 with the row's length counted from TEXT (statements_fts
 * keeps no column sizes); 0, or -1 if FTS5 is missing. */
int ws_fts_rank_register(sqlite3 *db);
/* "<db_path>-fts" (malloc'd). */
char *ws_fts_path(const char *db_path);
/* A SQLite URI for path, with ?mode=MODE unless mode is NULL (malloc'd). */
char *ws_fts_uri(const char *path, const char *mode);
/* Writer open: opens (creating, or recreating when it is another store's,
 * damaged or ahead of the store) the FTS file, starts the indexer thread
 * and queues a catch-up to the store's last row. */
ws_status ws_fts_start(ws_store *s, const char *db_path, int busy_ms);
/* Waits for the jobs queued, stops the thread, closes its connection. */
void ws_fts_free(ws_fts *f);
/* Tells the indexer to stop once its queue is indexed; returns at once
 * (ws_fts_free waits for it). */
void ws_fts_stop(ws_fts *f);
/* The open batch's rows, copied for the indexer (no-op without s->fts),
 * handed over in chunks while the batch is written. */
ws_status ws_fts_add_article(ws_store *s, int64_t id, const char *title, const char *body,
                             size_t blen);
ws_status ws_fts_add_statement(ws_store *s, int64_t id, const char *text, size_t n);
/* After the store's COMMIT: hands over the batch's last rows and has the
 * indexer commit them with the watermark (art_hi, st_hi). */
void ws_fts_submit(ws_store *s, int64_t art_hi, int64_t st_hi);
/* Drops the open batch's rows; the indexer rolls back what it has of them. */
void ws_fts_discard(ws_store *s);
/* Waits until every queued batch is indexed; the last failure, if any. */
ws_status ws_fts_wait(ws_store *s);
/* Views: attaches the FTS file read-only as "fts" if not yet; WS_FTS_*. */
int ws_fts_attach(ws_store *s);
/* Detaches it (a writer, before a batch). */
void ws_fts_detach(ws_store *s);
/* Why text search is unavailable (state MISSING or OTHER). */
const char *ws_fts_state_msg(ws_store *s);

/* ---- norm.c: keys, hashes, signatures ---------------------------------- */

/* 64-bit hash of bytes (not cryptographic; seed mixes in). */
uint64_t ws_store_hash(const void *data, size_t len, uint64_t seed);

/* Normalised name key: casefold, accents stripped, punctuation dropped,
 * transliteration variants folded per word (Sergei -> sergey). Writes a
 * malloc'd string to *out (NULL on OOM) and the number of words to *nwords;
 * *surname points into *out at the last word. */
char *ws_store_name_key(const char *name, int *nwords, const char **surname);
/* Title key: casefold, accents stripped, punctuation dropped ("" if none). */
char *ws_store_title_key(const char *title);
/* 1 if two title keys agree: equal, or one ends the other at a word
 * boundary ("russian foreign minister" / "foreign minister"). */
int ws_store_titles_agree(const char *a, const char *b);

/* Normalises quote text into words; returns the word count, sets *hash (0
 * if fewer than 4 words) and, when the count allows near-duplicate matching
 * (>= 8 words), the minhash signature (returns count, sig filled) and
 * *has_sig = 1. */
int ws_store_quote_sig(const char *text, size_t len, uint64_t *hash,
                       uint32_t sig[WS_MINHASH_K], int *has_sig);
/* The minhash signature of nw >= 2 word hashes (their bigrams), as
 * ws_store_quote_sig computes it: how 0 takes the fastest path the CPU has,
 * 1 the plain scalar one (for tests); returns the path taken (1 scalar, 2
 * AVX2). Every path gives the same values. */
int ws_store_minhash(const uint64_t *wh, size_t nw, uint32_t sig[WS_MINHASH_K], int how);
/* The band keys of a signature. */
void ws_store_bands(const uint32_t sig[WS_MINHASH_K], int64_t bands[WS_MINHASH_BANDS]);

/* ---- clx.c: the writer's in-memory cluster maps ------------------------- */

/* The cluster with this exact text hash (0 if none); reads cluster_keys
 * on the handle's first lookup (docs/store.md, "Quote clusters"). */
ws_status ws_clx_exact(ws_store *s, uint64_t hash, int64_t *id);
/* The clusters whose fingerprint of band `band` matches this band key and
 * that are in the near-duplicate window, in id order, into *ids (grown as
 * needed; *cap its size). A fingerprint match only: the caller checks the
 * band against the candidate's signature. */
ws_status ws_clx_band(ws_store *s, int band, uint64_t key, uint32_t **ids, size_t *n,
                      size_t *cap);
/* Records a cluster just inserted: its hash and the band keys of its
 * signature (ws_store_bands; NULL: no signature). */
ws_status ws_clx_add(ws_store *s, int64_t id, uint64_t hash, const int64_t *bands);
/* Adds the clusters other writers committed (call inside BEGIN IMMEDIATE). */
ws_status ws_clx_refresh(ws_store *s);
/* Writes the fingerprints of the clusters added since the last flush to
 * cluster_keys (call before COMMIT). */
ws_status ws_clx_flush(ws_store *s);
/* Migration 6: packs every existing cluster into cluster_keys. */
ws_status ws_clx_pack_all(ws_store *s);
/* Forgets the maps (after a rollback); rebuilt on next use. */
void ws_clx_reset(ws_clx *x);
void ws_clx_free(ws_clx *x);
/* The near-duplicate window in effect (clusters). */
uint64_t ws_store_near_window(const ws_store *s);
/* Test hook: compare only the fingerprint bits in mask (e.g. 3: nearly
 * every lookup collides; results must not change) and build the maps after
 * scan_limit scans (0: at once; UINT_MAX: never). Not inside a batch; drops
 * the index. Returns 0, or -1 (in a batch, out of memory). */
int ws_clx_set_test(ws_store *s, uint32_t mask, unsigned scan_limit);
/* The index's size: clusters in it, map mode or not, and bytes of its
 * maps, rows and pending entries. */
void ws_clx_mem(const ws_store *s, size_t *clusters, int *mapped, size_t *bytes);

/* ---- speakers.c -------------------------------------------------------- */

typedef struct ws_store_spk {
    int64_t speaker_id;
    int64_t alias_id;
} ws_store_spk;

/* Resolves a speaking entity to a canonical speaker (creating or merging).
 * Inside a batch, a name + title resolved before in the same batch is
 * answered from memory (the alias it made or found, as rule 1 would). */
ws_status ws_store_resolve_speaker(ws_store *s, const char *name,
                                   const char *title, const char *gender,
                                   const char *type, int64_t article_id,
                                   ws_store_spk *out);
/* Adds n statements to a speaker's count: kept in memory and written by
 * ws_store_flush_counts (before COMMIT, an unmerge or a view; a merged
 * speaker's before the merge). */
ws_status ws_store_count_speaker(ws_store *s, int64_t speaker_id, int64_t n);
/* Writes the counts kept by ws_store_count_speaker (one UPDATE a speaker). */
ws_status ws_store_flush_counts(ws_store *s);
/* Forgets the batch's speaker memo and unwritten counts (at begin, after a
 * rollback; the memo alone after a merge). */
void ws_spk_batch_reset(ws_spk_batch *b);
void ws_spk_batch_free(ws_spk_batch *b);

/* A writer's checkpoint thread (ckpt.c): its own connection to the store
 * at path runs PASSIVE checkpoints when asked. NULL if it cannot start (the
 * writer then checkpoints itself). */
ws_ckpt *ws_ckpt_start(const char *path, int busy_ms);
/* Asks for a checkpoint of everything committed so far; returns at once.
 * final: the writer is done (ws_store_wait_index): a TRUNCATE checkpoint
 * that leaves an empty WAL, or gives up at once if a reader holds frames. */
void ws_ckpt_request(ws_ckpt *c, int final);
/* A TRUNCATE checkpoint of db's WAL with no busy wait (a reader's snapshot
 * makes it give up at once), then busy_ms as the busy timeout again. */
void ws_store_empty_wal(sqlite3 *db, int busy_ms);
/* Waits until every checkpoint asked for is done. */
void ws_ckpt_wait(ws_ckpt *c);
/* Finishes the checkpoints asked for, stops the thread, closes. NULL: no-op. */
void ws_ckpt_stop(ws_ckpt *c);

/* Called first by each helper thread of a store (the JSON reader, the
 * text indexer, the checkpointer): lowers its priority below the writer's
 * (thread.c). */
void ws_store_helper_thread_start(void);

#endif
