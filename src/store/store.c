/*
 * store.c - opening a store, the schema and its migrations, the cache of
 * prepared statements, batches and errors (docs/store.md).
 */
#include "jparse.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the schema --------------------------------------------------------- */

/* Migration N takes a store from user_version N-1 to N. Never edit a
 * released migration: add a new one. */
static const struct migration {
    int version;
    const char *description;
    const char *sql;
} migrations[] = {
    {1, "articles, statements, speakers, aliases, entities, mentions, "
        "quote clusters, FTS5 over statements and articles",
     "CREATE TABLE articles("
     " id INTEGER PRIMARY KEY,"
     " doc_id TEXT, url TEXT, site TEXT, date TEXT, title TEXT, lang TEXT,"
     " author TEXT, hash INTEGER NOT NULL, body TEXT, generator TEXT,"
     " first_statement INTEGER NOT NULL, n_statements INTEGER NOT NULL);"
     "CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;"
     "CREATE UNIQUE INDEX articles_hash ON articles(hash);"
     "CREATE INDEX articles_site ON articles(site COLLATE NOCASE, date);"
     "CREATE INDEX articles_date ON articles(date);"
     "CREATE TABLE speakers("
     " id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL,"
     " surname TEXT NOT NULL, nwords INTEGER NOT NULL, title TEXT,"
     " title_key TEXT NOT NULL DEFAULT '', gender TEXT, type TEXT,"
     " n_statements INTEGER NOT NULL DEFAULT 0,"
     " merged_into INTEGER REFERENCES speakers(id));"
     "CREATE INDEX speakers_surname ON speakers(surname, nwords);"
     "CREATE TABLE aliases("
     " id INTEGER PRIMARY KEY,"
     " speaker_id INTEGER NOT NULL REFERENCES speakers(id),"
     " name TEXT NOT NULL, key TEXT NOT NULL, title TEXT,"
     " title_key TEXT NOT NULL DEFAULT '', rule TEXT NOT NULL,"
     " first_article INTEGER REFERENCES articles(id),"
     " previous_speaker INTEGER REFERENCES speakers(id));"
     "CREATE UNIQUE INDEX aliases_key ON aliases(key, title_key);"
     "CREATE INDEX aliases_speaker ON aliases(speaker_id);"
     "CREATE TABLE entities("
     " id INTEGER PRIMARY KEY,"
     " article_id INTEGER NOT NULL REFERENCES articles(id),"
     " ord INTEGER NOT NULL, type TEXT, name TEXT, title TEXT, gender TEXT,"
     " alias_id INTEGER REFERENCES aliases(id));"
     "CREATE INDEX entities_article ON entities(article_id);"
     "CREATE TABLE mentions("
     " entity_id INTEGER NOT NULL REFERENCES entities(id),"
     " start INTEGER NOT NULL, end INTEGER NOT NULL,"
     " PRIMARY KEY(entity_id, start, end)) WITHOUT ROWID;"
     "CREATE TABLE clusters("
     " id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, sig BLOB,"
     " first_statement INTEGER, first_article INTEGER, first_site TEXT,"
     " first_date TEXT, n_statements INTEGER NOT NULL DEFAULT 0);"
     "CREATE UNIQUE INDEX clusters_hash ON clusters(hash);"
     "CREATE TABLE cluster_bands("
     " band INTEGER NOT NULL, cluster_id INTEGER NOT NULL REFERENCES clusters(id),"
     " PRIMARY KEY(band, cluster_id)) WITHOUT ROWID;"
     "CREATE TABLE statements("
     " id INTEGER PRIMARY KEY,"
     " article_id INTEGER NOT NULL REFERENCES articles(id),"
     " ord INTEGER NOT NULL, type TEXT NOT NULL, content TEXT NOT NULL,"
     " cue TEXT, source TEXT, spans TEXT NOT NULL,"
     " speaker_id INTEGER REFERENCES speakers(id),"
     " alias_id INTEGER REFERENCES aliases(id),"
     " entity_id INTEGER REFERENCES entities(id),"
     " confidence REAL,"
     " cluster_id INTEGER REFERENCES clusters(id));"
     "CREATE INDEX statements_speaker ON statements(speaker_id);"
     "CREATE INDEX statements_cluster ON statements(cluster_id);"
     "CREATE VIRTUAL TABLE statements_fts USING fts5(content,"
     " content='statements', content_rowid='id',"
     " tokenize='unicode61 remove_diacritics 2');"
     "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
     " content='articles', content_rowid='id',"
     " tokenize='unicode61 remove_diacritics 2');"},
    {2, "quote cluster lookups in the writer's memory: no clusters_hash index,"
        " no cluster_bands table (rebuilt from clusters.hash and clusters.sig)",
     "DROP TABLE cluster_bands;"
     "DROP INDEX clusters_hash;"},
    {3, "FTS5 in-memory term buffer of 64 MiB ('hashsize'): one segment per batch",
     /* at the 1 MiB default a batch of 1,000 articles flushed several
      * small segments that automerge then rewrote: 2x the FTS5 time */
     "INSERT INTO statements_fts(statements_fts, rank) VALUES('hashsize', 67108864);"
     "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 67108864);"},
    {4, "an entity's mentions as one JSON column (entities.mentions: [[start,end],...])"
        " instead of a row each in the mentions table",
     "ALTER TABLE entities ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';"
     "UPDATE entities SET mentions = (SELECT json_group_array(json_array(start, end))"
     " FROM (SELECT start, end FROM mentions m WHERE m.entity_id = entities.id"
     " ORDER BY start, end));"
     "DROP TABLE mentions;"},
    {5, "the FTS5 indexes move to their own file, <db>-fts, written by their own"
        " thread (docs/store.md, 'The text index'); store_info holds the store id"
        " that the FTS file names",
     /* the FTS file is built from the rows by the first writer open's
      * catch-up (fts.c) */
     "DROP TABLE statements_fts;"
     "DROP TABLE articles_fts;"
     "CREATE TABLE store_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "INSERT INTO store_info VALUES('id', lower(hex(randomblob(16))));"},
    {6, "quote-cluster lookup keys packed per batch (cluster_keys: 32-bit"
        " fingerprints of each cluster's hash and band keys) so that a writer"
        " loads its cluster maps from a few BLOBs instead of every clusters row",
     "CREATE TABLE cluster_keys("
     " first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL,"
     " exact BLOB NOT NULL, bands BLOB NOT NULL);"},
};
#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

int ws_store_n_migrations(void) { return (int)N_MIGRATIONS; }

/* ---- the cached statements --------------------------------------------- */

/* No id column: a row takes max(id) + 1, which is the id the writer gave
 * it (s->next_stmt; checked after each INSERT: rows_done in ingest.c). With
 * the id given, SQLite seeks each row's rowid to check it is free: that
 * seek was about a tenth of the writer thread's samples (docs/BENCHMARKS.md,
 * "Store", session 7). Parameter ?13 of each row (the id) stays unused. */
#define STMT_COLUMNS                                                                      \
    " statements(article_id, ord, type, content, cue, source, spans,"                      \
    " speaker_id, alias_id, entity_id, confidence, cluster_id)"
#define STMT_INSERT_INTO "INSERT INTO" STMT_COLUMNS
/* Rows: OR FAIL, not the default ABORT, so that SQLite keeps no statement
 * journal to undo the rows before a failing one (a failure rolls the whole
 * batch back anyway); with it, 8 rows in one INSERT cost more than 8
 * INSERTs (docs/BENCHMARKS.md, "Session 6: the writer thread of whosaid index"). */
#define STMT_ROWS_INSERT_INTO "INSERT OR FAIL INTO" STMT_COLUMNS

static const char *const sql_text[WS_ST_COUNT] = {
    [WS_ST_ART_INSERT] =
        "INSERT OR IGNORE INTO articles(doc_id, url, site, date, title, lang, author, hash, body,"
        " generator, first_statement, n_statements)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [WS_ST_STMT_INSERT] =
        STMT_INSERT_INTO " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [WS_ST_ALIAS_EXACT] =
        "SELECT id, speaker_id FROM aliases WHERE key = ?1 AND title_key = ?2",
    [WS_ST_ALIAS_BY_KEY] =
        "SELECT a.id, a.speaker_id, a.name FROM aliases a JOIN speakers s ON s.id = a.speaker_id"
        " WHERE a.key = ?1 AND s.merged_into IS NULL ORDER BY a.id LIMIT 1",
    [WS_ST_ALIAS_INSERT] = "INSERT INTO aliases(speaker_id, name, key, title, title_key, rule,"
                           " first_article) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [WS_ST_SPK_INSERT] = "INSERT INTO speakers(name, key, surname, nwords, title, title_key,"
                         " gender, type) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [WS_ST_SPK_ADD_COUNT] =
        "UPDATE speakers SET n_statements = n_statements + ?2 WHERE id = ?1",
    [WS_ST_SPK_GET] = "SELECT gender, merged_into FROM speakers WHERE id = ?1",
    [WS_ST_SPK_BY_SURNAME_FULL] =
        "SELECT id, title_key FROM speakers WHERE surname = ?1 AND nwords >= 2"
        " AND merged_into IS NULL AND type = 'PERSON' ORDER BY id",
    [WS_ST_SPK_BY_SURNAME_SHORT] =
        "SELECT id, title_key FROM speakers WHERE surname = ?1 AND nwords = 1"
        " AND merged_into IS NULL AND type = 'PERSON' ORDER BY id",
    [WS_ST_SPK_SET_GENDER] = "UPDATE speakers SET gender = ?2 WHERE id = ?1 AND gender IS NULL",
    [WS_ST_CL_JOIN] =
        "UPDATE clusters SET n_statements = n_statements + 1,"
        " first_statement = CASE WHEN ?3 IS NOT NULL AND (first_date IS NULL OR ?3 < first_date)"
        "  THEN ?2 ELSE first_statement END,"
        " first_article = CASE WHEN ?3 IS NOT NULL AND (first_date IS NULL OR ?3 < first_date)"
        "  THEN ?4 ELSE first_article END,"
        " first_site = CASE WHEN ?3 IS NOT NULL AND (first_date IS NULL OR ?3 < first_date)"
        "  THEN ?5 ELSE first_site END,"
        " first_date = CASE WHEN ?3 IS NOT NULL AND (first_date IS NULL OR ?3 < first_date)"
        "  THEN ?3 ELSE first_date END"
        " WHERE id = ?1",
    [WS_ST_CL_GET] = "SELECT sig FROM clusters WHERE id = ?1",
    [WS_ST_CL_HASH] = "SELECT hash FROM clusters WHERE id = ?1",
};

sqlite3_stmt *ws_store_stmt(ws_store *s, enum ws_store_stmt which) {
    sqlite3_stmt *st = s->st[which];
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(s->db, sql_text[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->st[which], NULL) != SQLITE_OK) {
        ws_store_sqlfail(s, "preparing a statement");
        return NULL;
    }
    return s->st[which];
}

sqlite3_stmt *ws_store_stmt_rebind(ws_store *s, enum ws_store_stmt which) {
    sqlite3_stmt *st = s->st[which];
    if (!st) return ws_store_stmt(s, which);
    sqlite3_reset(st);
    return st;
}

sqlite3_stmt *ws_store_stmt_rows(ws_store *s, int n) {
    if (n <= 1 || n > WS_STMT_ROWS) return ws_store_stmt_rebind(s, WS_ST_STMT_INSERT);
    sqlite3_stmt *st = s->st_rows[n];
    if (st) {
        sqlite3_reset(st);
        return st;
    }
    char sql[sizeof STMT_ROWS_INSERT_INTO + WS_STMT_ROWS * WS_STMT_COLS * 8 + 16];
    size_t len = (size_t)snprintf(sql, sizeof sql, "%s VALUES", STMT_ROWS_INSERT_INTO);
    for (int r = 0; r < n; r++)
        for (int c = 1; c < WS_STMT_COLS; c++) /* not ?13, the id */
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?%d%s",
                                    c == 1 ? (r ? ",(" : "(") : ",", r * WS_STMT_COLS + c,
                                    c == WS_STMT_COLS - 1 ? ")" : "");
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st_rows[n], NULL) !=
        SQLITE_OK) {
        ws_store_sqlfail(s, "preparing a statement");
        return NULL;
    }
    return s->st_rows[n];
}

/* A cached INSERT of n rows of `cols` parameters each (and `tail`, a
 * constant, last in each row), prepared on first use into cache[n]. The
 * first parameter of each row (the id) is left out of the SQL, as in
 * ws_store_stmt_rows: the table gives the same ids, without a seek. */
static sqlite3_stmt *rows_stmt(ws_store *s, sqlite3_stmt **cache, int n, const char *head,
                               int cols, const char *tail) {
    if (n < 1 || n > WS_STMT_ROWS) return NULL;
    sqlite3_stmt *st = cache[n];
    if (st) {
        sqlite3_reset(st);
        return st;
    }
    char sql[4096];
    size_t len = (size_t)snprintf(sql, sizeof sql, "%s VALUES", head);
    for (int r = 0; r < n && len < sizeof sql; r++)
        for (int c = 2; c <= cols && len < sizeof sql; c++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?%d%s",
                                    c == 2 ? (r ? ",(" : "(") : ",", r * cols + c,
                                    c == cols ? tail : "");
    if (len >= sizeof sql || sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                                &cache[n], NULL) != SQLITE_OK) {
        ws_store_sqlfail(s, "preparing a statement");
        return NULL;
    }
    return cache[n];
}

/* The ids are the ones the tables take (max + 1, in order). */
sqlite3_stmt *ws_store_cluster_rows(ws_store *s, int n) {
    return rows_stmt(s, s->st_clrows, n,
                     "INSERT OR FAIL INTO clusters(hash, sig, first_statement, first_article,"
                     " first_site, first_date, n_statements)",
                     7, ",1)");
}

sqlite3_stmt *ws_store_entity_rows(ws_store *s, int n) {
    return rows_stmt(s, s->st_entrows, n,
                     "INSERT OR FAIL INTO entities(article_id, ord, type, name, title, gender,"
                     " alias_id, mentions)",
                     9, ")");
}

/* ---- errors -------------------------------------------------------------- */

ws_status ws_store_fail(ws_store *s, ws_status code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return code;
}

ws_status ws_store_sqlfail(ws_store *s, const char *what) {
    int rc = sqlite3_errcode(s->db);
    int base = rc & 0xff;
    s->busy = base == SQLITE_BUSY || base == SQLITE_LOCKED;
    if (rc == SQLITE_NOMEM) return ws_store_fail(s, WS_ERR_NOMEM, "%s: out of memory", what);
    if (s->busy)
        return ws_store_fail(s, WS_ERR_IO,
                             "%s: the database is locked by another process"
                             " (waited for the busy timeout); try again later",
                             what);
    return ws_store_fail(s, WS_ERR_IO, "%s: %s", what, sqlite3_errmsg(s->db));
}

ws_status ws_store_exec(ws_store *s, const char *sql) {
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ws_store_sqlfail(s, "database");
    return WS_OK;
}

const char *ws_store_errmsg(const ws_store *store) { return store ? store->err : ""; }
int ws_store_is_busy(const ws_store *store) { return store ? store->busy : 0; }
void ws_store_json_free(char *json) { free(json); }

/* ---- opening -------------------------------------------------------------- */

/* A writer checkpoints once the WAL holds this many bytes (what SQLite's
 * wal_autocheckpoint of 10,000 pages of 4 KiB did before). */
#define CHECKPOINT_BYTES (40u << 20)
/* The page size of a new store (a string: it goes into a PRAGMA). */
#define NEW_PAGE_SIZE "16384"
/* With the checkpoint thread (ckpt.c), a writer lets the WAL grow to this
 * many checkpoints' worth (16 x 40 MB) before it waits for one, so that the
 * next batch starts it again from the beginning. Each wait costs about the
 * copy and sync of the last batch's frames (0.6-0.8 s at 10,000 articles),
 * whatever the bound: 16 instead of 8 waits once instead of three times on
 * 125,000 articles, 1.3 s less wall time (docs/BENCHMARKS.md, "Store",
 * session 7), for a WAL file of up to about 0.8 GB while the ingest runs. */
#define WAL_BOUND_CHECKPOINTS 16

/* SQLite's WAL hook: after each commit, the frames in the WAL. */
static int wal_frames(void *ud, sqlite3 *db, const char *name, int n) {
    (void)db;
    (void)name;
    ((ws_store *)ud)->wal_frames = n;
    return SQLITE_OK;
}

/* Is the connection's main database in WAL mode? */
static int is_wal(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *m = sqlite3_column_text(st, 0);
        wal = m && !strcmp((const char *)m, "wal");
    }
    sqlite3_finalize(st);
    return wal;
}

static char *dup_msg(const char *fmt, const char *a, const char *b) {
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *m = malloc(n);
    if (m) snprintf(m, n, fmt, a, b);
    return m;
}

static int query_int(sqlite3 *db, const char *sql, int *out) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Brings the schema up to WS_STORE_SCHEMA_VERSION, one transaction per
 * migration. */
static ws_status migrate(ws_store *s, int have) {
    if (have == 0) {
        ws_status st = ws_store_exec(s, "CREATE TABLE IF NOT EXISTS migrations("
                                        " version INTEGER PRIMARY KEY,"
                                        " description TEXT NOT NULL,"
                                        " applied_at TEXT NOT NULL)");
        if (st) return st;
    }
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= have) continue;
        ws_status st = ws_store_exec(s, "BEGIN IMMEDIATE");
        if (st) return st;
        int cur = 0;
        /* another process may have migrated while we waited for the lock */
        if (query_int(s->db, "PRAGMA user_version", &cur) == 0 && cur >= m->version) {
            ws_store_exec(s, "COMMIT");
            continue;
        }
        st = ws_store_exec(s, m->sql);
        /* 6 also packs the existing clusters' keys (C code, same transaction) */
        if (!st && m->version == 6) st = ws_clx_pack_all(s);
        if (!st) {
            sqlite3_stmt *ins;
            if (sqlite3_prepare_v2(s->db,
                                   "INSERT INTO migrations(version, description, applied_at)"
                                   " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                                   -1, &ins, NULL) != SQLITE_OK)
                st = ws_store_sqlfail(s, "migration");
            else {
                sqlite3_bind_int(ins, 1, m->version);
                sqlite3_bind_text(ins, 2, m->description, -1, SQLITE_STATIC);
                if (sqlite3_step(ins) != SQLITE_DONE) st = ws_store_sqlfail(s, "migration");
                sqlite3_finalize(ins);
            }
        }
        if (!st) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
            st = ws_store_exec(s, pragma);
        }
        if (st) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
        st = ws_store_exec(s, "COMMIT");
        if (st) return st;
    }
    return WS_OK;
}

ws_status ws_store_process_init(void) {
    /* SQLite's configuration, not state of ours: no allocation is counted
     * (docs/store.md, "Ingest") */
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? WS_OK : WS_ERR_INVALID;
}

ws_status ws_store_open(const char *path, unsigned flags, int busy_timeout_ms,
                        ws_store **out, char **errmsg) {
    if (out) *out = NULL;
    if (errmsg) *errmsg = NULL;
    if (!path || !out || (flags & ~(WS_STORE_READONLY | WS_STORE_CREATE)) ||
        ((flags & WS_STORE_READONLY) && (flags & WS_STORE_CREATE))) {
        if (errmsg) *errmsg = dup_msg("%s%s: bad arguments to ws_store_open", path ? path : "(null)", "");
        return WS_ERR_INVALID;
    }
    struct stat sb;
    if (!(flags & WS_STORE_CREATE) && stat(path, &sb) != 0) {
        if (errmsg)
            *errmsg = dup_msg("%s: no such database (%s); create it with 'whosaid index'",
                              path, strerror(errno));
        return WS_ERR_IO;
    }
    ws_store *s = calloc(1, sizeof *s);
    if (!s) return WS_ERR_NOMEM;
    s->flags = flags;
    int oflags = (flags & WS_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    /* URI names: the FTS file is attached with ?mode=ro */
    oflags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    ws_status st = WS_OK;
    char *uri = ws_fts_uri(path, NULL);
    s->path = strdup(path);
    if (!uri || !s->path) {
        free(uri);
        st = WS_ERR_NOMEM;
        goto fail;
    }
    int rc = sqlite3_open_v2(uri, &s->db, oflags, NULL);
    free(uri);
    if (rc != SQLITE_OK) {
        if (errmsg)
            *errmsg = dup_msg("%s: cannot open database: %s", path,
                              s->db ? sqlite3_errmsg(s->db) : "out of memory");
        st = rc == SQLITE_NOMEM ? WS_ERR_NOMEM : WS_ERR_IO;
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, busy_timeout_ms > 0 ? busy_timeout_ms : 5000);
    if (ws_fts_rank_register(s->db) != 0) {
        if (errmsg) *errmsg = dup_msg("%s: this SQLite has no FTS5%s", path, "");
        st = WS_ERR_IO;
        goto fail;
    }
    int ver = 0;
    if (query_int(s->db, "PRAGMA user_version", &ver) != 0) {
        int base = sqlite3_errcode(s->db) & 0xff;
        if (errmsg)
            *errmsg = dup_msg(base == SQLITE_BUSY || base == SQLITE_LOCKED
                                  ? "%s: the database is locked by another process%s"
                                  : "%s: not a whosaid database (%s)",
                              path, base == SQLITE_BUSY ? "" : sqlite3_errmsg(s->db));
        s->busy = base == SQLITE_BUSY || base == SQLITE_LOCKED;
        st = WS_ERR_IO;
        goto fail;
    }
    if (ver > WS_STORE_SCHEMA_VERSION) {
        if (errmsg) *errmsg = dup_msg("%s: schema version is newer than this whosaid%s", path, "");
        st = WS_ERR_IO;
        goto fail;
    }
    if (!(flags & WS_STORE_READONLY)) {
        /* A new file gets 16 KiB pages: a quarter of the write and read
         * calls of 4 KiB pages for the same bytes, a smaller file and a
         * shallower tree (docs/BENCHMARKS.md, "Store", session 5). Only
         * before the first write; an existing store keeps its size. */
        if (ver == 0 && (st = ws_store_exec(s, "PRAGMA page_size = " NEW_PAGE_SIZE))) {
            if (errmsg) *errmsg = dup_msg("%s: %s", path, s->err);
            goto fail;
        }
        /* WAL: readers never block the writer; NORMAL sync is durable at
         * each checkpoint and consistent after a crash. */
        if ((st = ws_store_exec(s, "PRAGMA journal_mode = WAL")) ||
            (st = ws_store_exec(s, "PRAGMA synchronous = NORMAL")) ||
            /* a batch's pages stay in memory until commit (no spills) */
            (st = ws_store_exec(s, "PRAGMA cache_size = -131072")) ||
            (st = ws_store_exec(s, "PRAGMA temp_store = MEMORY")) ||
            /* Debian's SQLite zeroes every freed page (SECURE_DELETE);
             * nothing is ever deleted here but the FTS5 segments its
             * merges replace, so that was only extra pages to write */
            (st = ws_store_exec(s, "PRAGMA secure_delete = OFF"))) {
            if (errmsg) *errmsg = dup_msg("%s: %s", path, s->err);
            goto fail;
        }
        /* checkpoints by ws_store_commit(), after the batch is handed to
         * the text index, instead of SQLite's automatic one inside COMMIT */
        int psz = 0;
        if (query_int(s->db, "PRAGMA page_size", &psz) != 0 || psz <= 0) psz = 4096;
        s->checkpoint_pages = (int)(CHECKPOINT_BYTES / psz);
        sqlite3_wal_hook(s->db, wal_frames, s);
    }
    /* No run-time foreign-key checks: ingest assigns every id it refers
     * to in the same transaction, and each check was a B-tree lookup per
     * reference (5 per statement row); tests/store/check.py runs
     * foreign_key_check on the stores the tests build. */
    if ((st = ws_store_exec(s, "PRAGMA foreign_keys = OFF"))) {
        if (errmsg) *errmsg = dup_msg("%s: %s", path, s->err);
        goto fail;
    }
    if (ver < WS_STORE_SCHEMA_VERSION) {
        int tables = 0, mig = 0;
        if (ver == 0 && query_int(s->db, "SELECT count(*) FROM sqlite_schema", &tables) == 0 &&
            tables > 0 &&
            query_int(s->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'migrations'",
                      &mig) == 0 &&
            mig == 0) {
            if (errmsg) *errmsg = dup_msg("%s: not a whosaid database (it has other tables)%s", path, "");
            st = WS_ERR_IO;
            goto fail;
        }
        if (flags & WS_STORE_READONLY) {
            if (errmsg)
                *errmsg = dup_msg(ver == 0 ? "%s: not a whosaid database (empty or no schema)%s"
                                           : "%s: old schema; run 'whosaid index' to migrate it%s",
                                  path, "");
            st = WS_ERR_IO;
            goto fail;
        }
        if ((st = migrate(s, ver))) {
            if (errmsg) *errmsg = dup_msg("%s: %s", path, s->err);
            goto fail;
        }
    }
    /* a writer indexes text on its own thread (fts.c); readers attach the
     * FTS file at their first view */
    if (!(flags & WS_STORE_READONLY) && (st = ws_fts_start(s, path, busy_timeout_ms))) {
        if (errmsg) *errmsg = dup_msg("%s: %s", path, s->err);
        goto fail;
    }
    /* a writer's checkpoints run on their own thread (ckpt.c); without
     * it (no WAL, or it could not start) the writer runs them itself */
    if (!(flags & WS_STORE_READONLY) && s->checkpoint_pages > 0 && is_wal(s->db))
        s->ckpt = ws_ckpt_start(path, busy_timeout_ms);
    if (flags & WS_STORE_READONLY) ws_store_exec(s, "PRAGMA query_only = ON");
    s->err[0] = 0;
    *out = s;
    return WS_OK;
fail:
    ws_store_close(s);
    return st;
}

void ws_store_close(ws_store *s) {
    if (!s) return;
    if (s->in_batch) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    ws_fts_discard(s);
    /* the indexer indexes the batches queued while the store's last
     * checkpoint (in sqlite3_close) runs, then stops */
    ws_fts_stop(s->fts);
    free(s->path);
    for (int i = 0; i < WS_ST_COUNT; i++) sqlite3_finalize(s->st[i]);
    for (int i = 0; i <= WS_STMT_ROWS; i++) {
        sqlite3_finalize(s->st_rows[i]);
        sqlite3_finalize(s->st_clrows[i]);
        sqlite3_finalize(s->st_entrows[i]);
    }
    free(s->clrow);
    ws_store_prep_free(s->prep);
    free(s->scratch);
    ws_clx_free(s->clx);
    ws_spk_batch_free(s->spk);
    free(s->cand);
    ws_ckpt_stop(s->ckpt); /* first: the writer's close is the last one and
                            * checkpoints what is left */
    sqlite3_close(s->db);
    ws_fts_free(s->fts);
    free(s);
}

/* ---- batches -------------------------------------------------------------- */

/* Checkpoints what the WAL holds: asks the checkpoint thread (not twice for
 * the same frames, except for the final one: see ws_ckpt_request), or
 * without one runs a PASSIVE checkpoint itself. A failure is harmless: the
 * next checkpoint or the close copies the rest. */
static void checkpoint(ws_store *s, int final) {
    if (s->ckpt) {
        if (final || s->ckpt_asked != s->wal_frames) {
            s->ckpt_asked = s->wal_frames;
            ws_ckpt_request(s->ckpt, final);
        }
    } else {
        s->wal_frames = 0;
        sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
}

ws_status ws_store_begin(ws_store *s) {
    if (!s) return WS_ERR_INVALID;
    s->busy = 0;
    if (s->flags & WS_STORE_READONLY)
        return ws_store_fail(s, WS_ERR_INVALID, "the store is open read-only");
    if (s->in_batch) return ws_store_fail(s, WS_ERR_INVALID, "a batch is already open");
    /* a view may have attached the FTS file: held in the batch's read
     * transaction, its WAL could not restart */
    ws_fts_detach(s);
    ws_fts_discard(s);
    /* a WAL over its bound: every frame checkpointed before the batch's
     * transaction begins, so that its commit starts the WAL again */
    if (s->ckpt && s->wal_frames >= WAL_BOUND_CHECKPOINTS * s->checkpoint_pages) {
        checkpoint(s, 0);
        ws_ckpt_wait(s->ckpt);
    }
    ws_status st = ws_store_exec(s, "BEGIN IMMEDIATE");
    if (st) return st;
    int a = 0, b = 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT coalesce(max(id), 0) FROM articles),"
                           " (SELECT coalesce(max(id), 0) FROM statements),"
                           " (SELECT coalesce(max(id), 0) FROM clusters),"
                           " (SELECT coalesce(max(id), 0) FROM entities)",
                           -1, &q, NULL) != SQLITE_OK) {
        st = ws_store_sqlfail(s, "begin");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    if (sqlite3_step(q) == SQLITE_ROW) {
        s->fts_art = s->fts_art_hi = sqlite3_column_int64(q, 0);
        s->fts_stmt = sqlite3_column_int64(q, 1);
        s->next_stmt = s->fts_stmt;
        s->next_cluster = sqlite3_column_int64(q, 2);
        s->next_ent = sqlite3_column_int64(q, 3);
        s->nclrow = 0;
        a = b = 1;
    }
    sqlite3_finalize(q);
    if (!a || !b) st = ws_store_sqlfail(s, "begin");
    /* clusters other writers added since our last batch */
    if (!st) st = ws_clx_refresh(s);
    if (st) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    /* the speaker memo starts again: another writer may have merged */
    ws_spk_batch_reset(s->spk);
    s->in_batch = 1;
    return WS_OK;
}

ws_status ws_store_commit(ws_store *s) {
    if (!s) return WS_ERR_INVALID;
    if (!s->in_batch) return ws_store_fail(s, WS_ERR_INVALID, "no batch is open");
    /* the speakers' statement counts kept in memory, then the clusters'
     * keys, in the batch's transaction */
    ws_status st = ws_store_flush_counts(s);
    if (!st) st = ws_clx_flush(s);
    if (!st) st = ws_store_exec(s, "COMMIT");
    if (st) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        ws_clx_reset(s->clx); /* it holds the batch's clusters */
        ws_spk_batch_reset(s->spk);
        ws_fts_discard(s);
    } else { /* the text index follows on its own thread */
        ws_fts_submit(s, s->fts_art_hi, s->next_stmt);
        /* then the checkpoint of each 40 MB the WAL gained, while the
         * indexer commits the batch (inside COMMIT, SQLite's automatic
         * checkpoint held the batch back from the indexer until its writes
         * and fsync were done) */
        if (s->wal_frames < s->ckpt_asked) s->ckpt_asked = 0; /* the WAL restarted */
        if (s->checkpoint_pages > 0 && s->wal_frames - s->ckpt_asked >= s->checkpoint_pages)
            checkpoint(s, 0);
    }
    s->in_batch = 0;
    return st;
}

ws_status ws_store_rollback(ws_store *s) {
    if (!s) return WS_ERR_INVALID;
    if (!s->in_batch) return ws_store_fail(s, WS_ERR_INVALID, "no batch is open");
    s->in_batch = 0;
    s->nclrow = 0;
    ws_clx_reset(s->clx);
    ws_spk_batch_reset(s->spk);
    ws_fts_discard(s);
    return ws_store_exec(s, "ROLLBACK");
}

ws_status ws_store_wait_index(ws_store *s) {
    if (!s) return WS_ERR_INVALID;
    /* a writer checkpoints what its WAL holds, and empties it, while the
     * indexer finishes (the close then has nothing left to copy and no
     * large WAL file to delete) */
    if (s->fts && !s->in_batch && s->wal_frames > 0) checkpoint(s, 1);
    return ws_fts_wait(s);
}

void ws_store_set_progress(ws_store *s,
                           void (*fn)(void *ud, const ws_store_ingest_stats *stats,
                                      uint64_t bytes_read),
                           void *ud) {
    if (!s) return;
    s->progress = fn;
    s->progress_ud = ud;
}

ws_status ws_store_set_near_window(ws_store *s, uint64_t clusters) {
    if (!s) return WS_ERR_INVALID;
    if (s->in_batch) return ws_store_fail(s, WS_ERR_INVALID, "a batch is open");
    if (clusters > UINT32_MAX) clusters = UINT32_MAX; /* cluster ids are 32-bit */
    s->near_window = clusters;
    ws_clx_reset(s->clx); /* rebuilt with the window at the next use */
    return WS_OK;
}
