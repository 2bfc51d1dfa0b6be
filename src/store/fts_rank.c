/*
 * fts_rank.c - ws_bm25(): the relevance of a statement, for a text index
 * whose statements_fts keeps no column sizes (FTS format 2, columnsize=0).
 *
 * FTS5's built-in bm25() needs each row's length in tokens, which FTS5
 * reads from the %_docsize table; without it a contentless table reports
 * no length, and bm25() loses its length normalisation (most one-word
 * matches then tie). Writing that table cost about 5% of the instructions
 * of an ingest (docs/BENCHMARKS.md, "Store", session 7), so statements_fts
 * goes without it and the search gives the row's text as an argument:
 *
 *     ORDER BY ws_bm25(statements_fts, s.content)
 *
 * ws_bm25 counts the text's tokens with the table's own tokenizer (the
 * length the index would have stored) and computes Okapi BM25 as FTS5
 * documents it (k1 = 1.2, b = 0.75; per phrase IDF = ln((N - n + 0.5) /
 * (n + 0.5)), at least 1e-6; N and the average length from the index's
 * totals, which FTS5 keeps either way), negated like bm25() so that an
 * ascending ORDER BY puts the best first. test_store compares its order with
 * bm25() on a table that has the sizes. Without the text argument (or with
 * NULL) it asks FTS5 for the row's size, as bm25() does.
 *
 * Nothing here is global: the per-query figures (N, the average length,
 * each phrase's IDF) live in FTS5's auxiliary data of the query.
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BM25_K1 1.2
#define BM25_B 0.75

typedef struct rank_query {
    int nphrase;
    double avgdl;
    double *freq; /* a row's phrase frequencies: nphrase, after idf */
    double idf[]; /* nphrase */
} rank_query;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
    (void)api;
    (void)fts;
    (*(int64_t *)ctx)++;
    return SQLITE_OK;
}

static int count_token(void *ctx, int tflags, const char *tok, int n, int start, int end) {
    (void)tok;
    (void)n;
    (void)start;
    (void)end;
    int *count = ctx;
    /* a token at the position of the one before it takes no place */
    if (!(tflags & FTS5_TOKEN_COLOCATED) || *count == 0) (*count)++;
    return SQLITE_OK;
}

/* N, the average length and the phrases' IDF, once per query. */
static rank_query *query_figures(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc) {
    rank_query *q = api->xGetAuxdata(fts, 0);
    if (q) return q;
    int np = api->xPhraseCount(fts);
    sqlite3_int64 nrow = 0, ntok = 0;
    q = calloc(1, sizeof *q + 2 * (size_t)(np > 0 ? np : 1) * sizeof(double));
    if (!q) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    q->nphrase = np;
    q->freq = q->idf + (np > 0 ? np : 1);
    *rc = api->xRowCount(fts, &nrow);
    if (*rc == SQLITE_OK) *rc = api->xColumnTotalSize(fts, -1, &ntok);
    q->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
    for (int i = 0; *rc == SQLITE_OK && i < np; i++) {
        int64_t hits = 0;
        *rc = api->xQueryPhrase(fts, i, &hits, count_row);
        double idf = log(((double)nrow - (double)hits + 0.5) / ((double)hits + 0.5));
        q->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    if (*rc == SQLITE_OK) *rc = api->xSetAuxdata(fts, q, free);
    else free(q);
    return *rc == SQLITE_OK ? q : NULL;
}

static void ws_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nval, sqlite3_value **val) {
    int rc = SQLITE_OK;
    rank_query *q = query_figures(api, fts, &rc);
    double *freq = q ? q->freq : NULL;
    if (q) memset(freq, 0, (size_t)q->nphrase * sizeof *freq);
    int ninst = 0, len = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ip, ic, io;
        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK && ip >= 0 && ip < q->nphrase) freq[ip] += 1.0;
    }
    if (rc == SQLITE_OK) {
        if (nval >= 1 && sqlite3_value_type(val[0]) != SQLITE_NULL) {
            const char *text = (const char *)sqlite3_value_text(val[0]);
            int n = sqlite3_value_bytes(val[0]);
            if (text) rc = api->xTokenize(fts, text, n, &len, count_token);
        } else {
            rc = api->xColumnSize(fts, -1, &len);
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0.0, dl = (double)len;
    for (int i = 0; i < q->nphrase; i++)
        score += q->idf[i] * ((freq[i] * (BM25_K1 + 1.0)) /
                              (freq[i] + BM25_K1 * (1 - BM25_B + BM25_B * dl / q->avgdl)));
    sqlite3_result_double(ctx, -1.0 * score);
}

int ws_fts_rank_register(sqlite3 *db) {
    fts5_api *api = ws_fts5_api(db);
    if (!api) return -1;
    return api->xCreateFunction(api, "ws_bm25", NULL, ws_bm25, NULL) == SQLITE_OK ? 0 : -1;
}
