/*
 * test_fts_tok.c - the indexer's "unicode61" (src/store/fts_tok.c) gives
 * exactly the tokens, order and offsets of SQLite's built-in unicode61:
 * every ASCII byte between letters, random text mixing ASCII, valid UTF-8
 * (accents, combining marks, dashes, quotes, CJK, emoji, no-break space)
 * and invalid bytes, texts across the 64-byte words of its bit masks, and
 * arguments under which it must hand everything to the built-in one. Then
 * the same rows indexed through both give the same FTS5 index. Last,
 * ws_bm25 (src/store/fts_rank.c) against FTS5's bm25().
 */
#include "harness.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tokens of one run, as "start end tflags token\n" lines. */
typedef struct toks {
    char *s;
    size_t n, cap;
} toks;

static int on_token(void *ctx, int tflags, const char *tok, int n, int start, int end) {
    toks *t = ctx;
    char head[64];
    int h = snprintf(head, sizeof head, "%d %d %d ", start, end, tflags);
    size_t need = t->n + (size_t)h + (size_t)n + 2;
    if (need > t->cap) {
        size_t cap = need * 2;
        char *s = realloc(t->s, cap);
        if (!s) return SQLITE_NOMEM;
        t->s = s;
        t->cap = cap;
    }
    memcpy(t->s + t->n, head, (size_t)h);
    t->n += (size_t)h;
    memcpy(t->s + t->n, tok, (size_t)n);
    t->n += (size_t)n;
    t->s[t->n++] = '\n';
    return SQLITE_OK;
}

typedef struct tok_pair {
    fts5_tokenizer builtin, mine;
    Fts5Tokenizer *a, *b;
} tok_pair;

static int pair_open(sqlite3 *db, tok_pair *p, const char **argv, int argc) {
    fts5_api *api = ws_fts5_api(db);
    void *ud_a, *ud_b;
    if (!api || api->xFindTokenizer(api, "unicode61", &ud_a, &p->builtin) != SQLITE_OK) return -1;
    if (ws_fts_tok_register(db) != 0) return -1;
    if (api->xFindTokenizer(api, "unicode61", &ud_b, &p->mine) != SQLITE_OK) return -1;
    if (p->mine.xTokenize == p->builtin.xTokenize) return -1; /* not replaced */
    if (p->builtin.xCreate(ud_a, argv, argc, &p->a) != SQLITE_OK) return -1;
    if (p->mine.xCreate(ud_b, argv, argc, &p->b) != SQLITE_OK) return -1;
    return 0;
}

static void pair_close(tok_pair *p) {
    p->builtin.xDelete(p->a);
    p->mine.xDelete(p->b);
}

/* Whether both tokenizers give the same tokens for text[0, n). */
static int same_tokens(tok_pair *p, const char *text, int n, int flags) {
    toks a = {0}, b = {0};
    int ra = p->builtin.xTokenize(p->a, &a, flags, text, n, on_token);
    int rb = p->mine.xTokenize(p->b, &b, flags, text, n, on_token);
    int same = ra == rb && a.n == b.n && (a.n == 0 || !memcmp(a.s, b.s, a.n));
    if (!same) {
        printf("  text (%d bytes):", n);
        for (int i = 0; i < n && i < 80; i++) printf(" %02x", (unsigned char)text[i]);
        printf("\n  built-in: %.*s  mine: %.*s", (int)a.n, a.s ? a.s : "", (int)b.n,
               b.s ? b.s : "");
    }
    free(a.s);
    free(b.s);
    return same;
}

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Pieces random text is made of. */
static const char *const pieces[] = {
    "a", "Z", "q", "M", "0", "7", "word", "Lavrov", "COVID", "19", " ", " ", "\t", "\n", ".",
    ",", "-", "'", "\"", "_", "$", "/", "\x7f", "\x01",
    "\xc3\xa9",             /* é */
    "\xc3\x89",             /* É */
    "e\xcc\x81",            /* e + combining acute */
    "\xcc\x81",             /* a combining acute alone */
    "\xe2\x80\x94",         /* em dash */
    "\xe2\x80\x9c",         /* left double quote */
    "\xe2\x80\x99",         /* right single quote */
    "\xc2\xa0",             /* no-break space */
    "\xd0\x9b\xd0\xb0",     /* Cyrillic "La" */
    "\xe4\xb8\xad\xe6\x96\x87", /* CJK */
    "\xf0\x9f\x98\x80",     /* an emoji */
    "\xef\xbc\xa1",         /* fullwidth A */
    "\xc5\xbf",             /* long s (folds) */
    "\x80", "\xc3", "\xff", "\xe2\x80", /* invalid or cut UTF-8 */
};

int main(void) {
    sqlite3 *db;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    tok_pair p;
    const char *argv[] = {"remove_diacritics", "2"};
    int ok = pair_open(db, &p, argv, 2) == 0;
    CHECK(ok, "the built-in unicode61 found and replaced on the connection");
    if (!ok) return TEST_REPORT();

    /* texts of whole 64-byte words ending in a token first, while the
     * buffers are small (the bit scans stop at the last word; the sanitizer
     * build catches a read past it) */
    {
        char t[192];
        int whole_same = 0;
        for (int k = 0; k < 192; k++) t[k] = k % 9 == 8 ? ' ' : (char)('a' + k % 26);
        for (int len = 62; len <= 192; len++) whole_same += same_tokens(&p, t, len, 0);
        CHECK(whole_same == 131, "texts of 62-192 bytes: %d of 131 the same", whole_same);
    }
    CHECK(same_tokens(&p, "", 0, FTS5_TOKENIZE_DOCUMENT), "empty text");
    /* every byte between two letters, alone, and repeated */
    int bytes_same = 0;
    for (int c = 0; c < 256; c++) {
        char t[8] = {'a', 'B', (char)c, 'c', 'D'};
        char u[1] = {(char)c};
        char v[70];
        memset(v, c, sizeof v);
        bytes_same += same_tokens(&p, t, 5, FTS5_TOKENIZE_DOCUMENT) &&
                      same_tokens(&p, u, 1, FTS5_TOKENIZE_DOCUMENT) &&
                      same_tokens(&p, v, (int)sizeof v, FTS5_TOKENIZE_DOCUMENT);
    }
    CHECK(bytes_same == 256, "each of the 256 bytes: %d of 256 the same", bytes_same);

    /* random texts, short and across several 64-byte words */
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int texts_same = 0, ntexts = 6000;
    char *buf = malloc(8192);
    for (int k = 0; k < ntexts; k++) {
        size_t len = 0, want = rng_next(&seed) % (k % 10 == 0 ? 4000 : 300);
        int ascii_only = k % 3 == 0;
        size_t np = sizeof pieces / sizeof pieces[0];
        while (len < want) {
            const char *pc = pieces[rng_next(&seed) % (ascii_only ? 24 : np)];
            size_t m = strlen(pc);
            if (len + m > 8000) break;
            memcpy(buf + len, pc, m);
            len += m;
        }
        int flags = k % 2 ? FTS5_TOKENIZE_DOCUMENT : FTS5_TOKENIZE_QUERY;
        texts_same += same_tokens(&p, buf, (int)len, flags);
    }
    CHECK(texts_same == ntexts, "random texts: %d of %d the same", texts_same, ntexts);
    /* a NUL inside the text, and a long token across words */
    {
        char t[200];
        memset(t, 'x', sizeof t);
        t[70] = 0;
        t[150] = ' ';
        CHECK(same_tokens(&p, t, (int)sizeof t, FTS5_TOKENIZE_DOCUMENT), "NUL and long tokens");
    }
    pair_close(&p);
    sqlite3_close(db);

    /* other arguments change the ASCII rule: the whole text goes to the
     * built-in one */
    static const struct {
        const char *argv[4];
        int argc;
        const char *text;
    } other[] = {
        {{"tokenchars", "-_", "remove_diacritics", "1"}, 4,
         "e-mail my_name caf\xc3\xa9 co-op \xe2\x80\x94 x"},
        {{"separators", "x"}, 2, "boxed taxes Xerxes"},
    };
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
        CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
        CHECK(pair_open(db, &p, (const char **)other[k].argv, other[k].argc) == 0,
              "tokenizers with %s", other[k].argv[0]);
        CHECK(same_tokens(&p, other[k].text, (int)strlen(other[k].text), FTS5_TOKENIZE_DOCUMENT),
              "%s: the built-in tokens", other[k].argv[0]);
        pair_close(&p);
        sqlite3_close(db);
    }

    /* the same rows indexed through both connections: the same index */
    {
        sqlite3 *d[2];
        char *dump[2] = {NULL, NULL};
        for (int i = 0; i < 2; i++) {
            CHECK(sqlite3_open(":memory:", &d[i]) == SQLITE_OK, "open");
            if (i == 1) CHECK(ws_fts_tok_register(d[i]) == 0, "register");
            CHECK(sqlite3_exec(d[i],
                               "CREATE VIRTUAL TABLE t USING fts5(a, b, content='',"
                               " tokenize='unicode61 remove_diacritics 2');"
                               "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, t, instance);",
                               NULL, NULL, NULL) == SQLITE_OK,
                  "schema: %s", sqlite3_errmsg(d[i]));
            sqlite3_stmt *q;
            sqlite3_prepare_v2(d[i], "INSERT INTO t(rowid, a, b) VALUES(?1, ?2, ?3)", -1, &q,
                               NULL);
            uint64_t s2 = 12345;
            for (int r = 1; r <= 300; r++) {
                size_t len = 0, want = rng_next(&s2) % 500;
                while (len < want) {
                    const char *pc = pieces[rng_next(&s2) % (sizeof pieces / sizeof pieces[0])];
                    memcpy(buf + len, pc, strlen(pc));
                    len += strlen(pc);
                }
                sqlite3_bind_int(q, 1, r);
                sqlite3_bind_text(q, 2, "Sergey Lavrov, Foreign Minister", -1, SQLITE_STATIC);
                sqlite3_bind_text(q, 3, buf, (int)len, SQLITE_TRANSIENT);
                sqlite3_step(q);
                sqlite3_reset(q);
            }
            sqlite3_finalize(q);
            sqlite3_prepare_v2(d[i],
                               "SELECT group_concat(term || ' ' || doc || ' ' || col || ' ' ||"
                               " offset, ';') FROM (SELECT * FROM temp.v ORDER BY 1, 2, 3, 4)",
                               -1, &q, NULL);
            if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
                dump[i] = strdup((const char *)sqlite3_column_text(q, 0));
            sqlite3_finalize(q);
        }
        CHECK(dump[0] && dump[1] && strlen(dump[0]) > 10000 && !strcmp(dump[0], dump[1]),
              "the same index through both tokenizers (%zu bytes)",
              dump[0] ? strlen(dump[0]) : 0);
        free(dump[0]);
        free(dump[1]);
        sqlite3_close(d[0]);
        sqlite3_close(d[1]);
    }

    /* ws_bm25 (fts_rank.c) on a table without column sizes, given the text,
     * scores every row as FTS5's bm25() does on one with them */
    {
        CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
        CHECK(ws_fts_rank_register(db) == 0, "ws_bm25 registered");
        CHECK(sqlite3_exec(db,
                           "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT);"
                           "CREATE VIRTUAL TABLE sized USING fts5(body, content='',"
                           " tokenize='unicode61 remove_diacritics 2');"
                           "CREATE VIRTUAL TABLE unsized USING fts5(body, content='', columnsize=0,"
                           " tokenize='unicode61 remove_diacritics 2');",
                           NULL, NULL, NULL) == SQLITE_OK,
              "schema: %s", sqlite3_errmsg(db));
        static const char *const words[] = {"sanctions", "Lavrov", "said", "the", "minister",
                                            "caf\xc3\xa9", "talks", "border", "vaccine", "x",
                                            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                                            "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"};
        sqlite3_stmt *q;
        sqlite3_prepare_v2(db,
                           "INSERT INTO docs VALUES(?1, ?2); INSERT INTO sized(rowid, body)"
                           " VALUES(?1, ?2)",
                           -1, &q, NULL);
        uint64_t s3 = 777;
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (int r = 1; r <= 400; r++) {
            size_t len = 0, nw = 1 + rng_next(&s3) % 25;
            for (size_t k = 0; k < nw; k++) {
                /* the first ten words in few rows, the letters in many */
                uint64_t z = rng_next(&s3);
                const char *wd = words[z % 8 == 0 ? z / 8 % 10 : 10 + z / 8 % 20];
                memcpy(buf + len, wd, strlen(wd));
                len += strlen(wd);
                buf[len++] = k % 7 == 6 ? ',' : ' ';
            }
            char sql[160];
            sqlite3_stmt *ins;
            for (int t = 0; t < 3; t++) {
                snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(?1, ?2)",
                         t == 0 ? "docs" : t == 1 ? "sized(rowid, body)" : "unsized(rowid, body)");
                sqlite3_prepare_v2(db, sql, -1, &ins, NULL);
                sqlite3_bind_int(ins, 1, r);
                sqlite3_bind_text(ins, 2, buf, (int)len, SQLITE_TRANSIENT);
                sqlite3_step(ins);
                sqlite3_finalize(ins);
            }
        }
        sqlite3_finalize(q);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        static const char *const queries[] = {"sanctions", "lavrov minister", "\"a b\" OR \"the minister\"",
                                              "caf\xc3\xa9 OR x", "talks NOT border",
                                              "sanc*", "NEAR(lavrov said, 2)"};
        int same = 0, differs_without = 0;
        for (int k = 0; k < 7; k++) {
            char *a = NULL, *b = NULL, *c = NULL;
            const char *sqls[3] = {
                "SELECT group_concat(rowid || ':' || printf('%.17g', r), ' ') FROM"
                " (SELECT rowid, bm25(sized) AS r FROM sized WHERE sized MATCH ?1"
                " ORDER BY r, rowid)",
                "SELECT group_concat(rowid || ':' || printf('%.17g', r), ' ') FROM"
                " (SELECT u.rowid, ws_bm25(unsized, d.body) AS r FROM unsized u JOIN docs d"
                " ON d.id = u.rowid WHERE unsized MATCH ?1 ORDER BY r, u.rowid)",
                "SELECT group_concat(rowid || ':' || printf('%.17g', r), ' ') FROM"
                " (SELECT rowid, bm25(unsized) AS r FROM unsized WHERE unsized MATCH ?1"
                " ORDER BY r, rowid)"};
            char **outs[3] = {&a, &b, &c};
            for (int t = 0; t < 3; t++) {
                sqlite3_prepare_v2(db, sqls[t], -1, &q, NULL);
                sqlite3_bind_text(q, 1, queries[k], -1, SQLITE_STATIC);
                if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
                    *outs[t] = strdup((const char *)sqlite3_column_text(q, 0));
                sqlite3_finalize(q);
            }
            same += a && b && !strcmp(a, b);
            differs_without += a && c && strcmp(a, c) != 0;
            if (!(a && b && !strcmp(a, b)))
                printf("  query %s:\n  bm25: %.200s\n  ws_bm25: %.200s\n", queries[k],
                       a ? a : "-", b ? b : "-");
            free(a);
            free(b);
            free(c);
        }
        CHECK(same == 7, "ws_bm25 with the text = bm25 with column sizes: %d of 7 queries", same);
        CHECK(differs_without == 7,
              "bm25 without column sizes ranks otherwise (what ws_bm25 mends): %d of 7",
              differs_without);
        sqlite3_close(db);
    }
    free(buf);
    return TEST_REPORT();
}
