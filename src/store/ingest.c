/*
 * ingest.c - adding whosaid output objects to a store (docs/store.md,
 * "Ingest"): articles, entities and their mentions, speakers, statements, FTS
 * rows and quote clusters, idempotently, one transaction per batch.
 *
 * An input object goes through two steps. prep() needs no database: it
 * parses the JSON and computes what the rows need (statement texts, spans
 * JSON, quote hashes and minhash signatures, the content hash). write_obj()
 * runs the SQL. ws_store_ingest_file() runs prep() on a second thread,
 * a bounded ring of objects ahead of the writer, in file order.
 */
#include "jparse.h"
#include "store.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_ENTITIES 4096

static const char *jstr(const ws_jv *o, const char *key) { return ws_jgets(o, key); }
static int jv_is(const ws_jv *v, int type) { return v && v->type == type; }
static int jv_is_num(const ws_jv *v) { return v && (v->type == WS_JV_INT || v->type == WS_JV_REAL); }

static ws_status step_done(ws_store *s, sqlite3_stmt *st, const char *what) {
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return ws_store_sqlfail(s, what);
    return WS_OK;
}

/* step_done for an INSERT of rows that take their ids from the table: the
 * last row must have got last_id, the id the writer gave it (max + 1 at
 * the batch's begin, in order). */
static ws_status rows_done(ws_store *s, sqlite3_stmt *st, const char *what, int64_t last_id) {
    if (step_done(s, st, what)) return WS_ERR_IO;
    if (sqlite3_last_insert_rowid(s->db) != last_id)
        return ws_store_fail(s, WS_ERR_IO, "%s rows: id %lld expected, the table gave %lld", what,
                             (long long)last_id, (long long)sqlite3_last_insert_rowid(s->db));
    return WS_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* ---- one statement's text and spans -------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n + 1) c *= 2;
        char *q = realloc(b->p, c);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* A JSON string literal (s is valid UTF-8: it came from the parser); runs
 * that need no escape are put whole. */
static void sb_jstr(sbuf *b, const char *s) {
    sb_put(b, "\"", 1);
    for (;;) {
        const char *r = s;
        while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\') s++;
        if (s > r) sb_put(b, r, (size_t)(s - r));
        unsigned char c = (unsigned char)*s;
        if (!c) break;
        char e[8];
        if (c == '"' || c == '\\') {
            e[0] = '\\', e[1] = (char)c, e[2] = 0;
            sb_str(b, e);
        } else {
            snprintf(e, sizeof e, "\\u%04x", c);
            sb_str(b, e);
        }
        s++;
    }
    sb_put(b, "\"", 1);
}

/* Writes v in decimal so that it ends just before end; returns its first
 * byte (at most 20 bytes before end). */
static char *put_i64(char *end, int64_t v) {
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do *--end = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--end = '-';
    return end;
}

/* The text of a span: its "text", else the body's bytes. */
static int span_text(const ws_jv *sp, const char *body, size_t blen, const char **t, size_t *n) {
    if (!jv_is(sp, WS_JV_OBJECT)) return 0;
    const ws_jv *tx = ws_jget(sp, "text");
    if (jv_is(tx, WS_JV_STRING)) {
        *t = ws_jstr(tx);
        *n = tx->n;
        return 1;
    }
    int64_t a = ws_jint(ws_jget(sp, "start"));
    int64_t e = ws_jint(ws_jget(sp, "end"));
    if (!body || a < 0 || e < a || (size_t)e > blen) return 0;
    *t = body + a;
    *n = (size_t)(e - a);
    return 1;
}

/* A span as [start,end]; null when absent or, with a body, not inside it
 * (so a viewer never highlights outside the text). */
static void sb_span(sbuf *b, const ws_jv *sp, const char *body, size_t blen) {
    char tmp[64];
    if (!jv_is(sp, WS_JV_OBJECT)) {
        sb_str(b, "null");
        return;
    }
    int64_t a = ws_jint(ws_jget(sp, "start")), e = ws_jint(ws_jget(sp, "end"));
    if (a < 0 || e < a || (body && (uint64_t)e > blen)) {
        sb_str(b, "null");
        return;
    }
    /* "[a,e]" by hand: snprintf was most of the spans' cost */
    size_t n = sizeof tmp;
    tmp[--n] = ']';
    do tmp[--n] = (char)('0' + e % 10);
    while (e /= 10);
    tmp[--n] = ',';
    do tmp[--n] = (char)('0' + a % 10);
    while (a /= 10);
    tmp[--n] = '[';
    sb_put(b, tmp + n, sizeof tmp - n);
}

/* Appends the spans JSON of quote q to *b (NUL-terminated). */
static void spans_json(sbuf *b, const ws_jv *q, const char *body, size_t blen) {
    sb_str(b, "{\"content\":[");
    const ws_jv *c = ws_jget(q, "content");
    size_t i;
    const ws_jv *seg;
    for (i = 0; i < ws_jcount(c) && (seg = ws_jat(c, i)) != NULL; i++) {
        if (i) sb_str(b, ",");
        sb_span(b, seg, body, blen);
    }
    sb_str(b, "],\"cue\":");
    sb_span(b, ws_jget(q, "cue"), body, blen);
    sb_str(b, ",\"source\":");
    sb_span(b, ws_jget(q, "source"), body, blen);
    sb_str(b, ",\"addressee\":");
    sb_span(b, ws_jget(q, "addressee"), body, blen);
    const ws_jv *ev = ws_jget(q, "evidence");
    const char *pat = jstr(ev, "pattern"), *res = jstr(ev, "resolution");
    if (pat) {
        sb_str(b, ",\"pattern\":");
        sb_jstr(b, pat);
    }
    if (res) {
        sb_str(b, ",\"resolution\":");
        sb_jstr(b, res);
    }
    sb_str(b, "}");
}

/* ---- prep: one object, no database ---------------------------------------- */

/* One quote, ready to write: strings are offsets into the object's buf. */
typedef struct pquote {
    const ws_jv *q;
    size_t content, ncontent; /* the segments joined by " ... " */
    size_t cue, src;          /* NUL-terminated strings, or NO_STR */
    size_t spans;
    int64_t ord; /* the index in the input array */
    /* looked up here, off the writer's thread: "type", "speaker"."entity",
     * "evidence"."confidence" */
    const char *type, *ent_key;
    int has_conf;
    double conf;
    uint64_t hash; /* normalised-text hash (0: too short to cluster) */
    int has_sig;
    uint32_t sig[WS_MINHASH_K];
    int64_t bands[WS_MINHASH_BANDS]; /* the band keys of sig (has_sig) */
} pquote;

#define NO_STR ((size_t)-1)

struct ws_store_prep {
    ws_jarena *arena;
    const ws_jv *doc;  /* NULL when status is set */
    ws_status status;  /* WS_OK, WS_ERR_FORMAT (bad line) or WS_ERR_NOMEM */
    char err[512];
    uint64_t chash;    /* content hash */
    size_t site, author; /* offsets into buf, or NO_STR */
    pquote *q;
    size_t nq, capq;
    size_t *ment; /* per entity: its mentions JSON [[start,end],...] (offset) */
    size_t cap_ment;
    struct pent {  /* per entity: its fields, and whether it is a speaker */
        const char *key, *name, *title, *gender, *type;
        int speaks;
    } *ent;
    int64_t *pairs; /* scratch: one entity's mention offsets */
    size_t cap_pairs;
    sbuf buf;
    /* ws_store_ingest_file: the line number and the input offset after it */
    uint64_t lineno, offset;
};

static void prep_free(ws_store_prep *p) {
    if (!p) return;
    ws_jarena_free(p->arena);
    free(p->q);
    free(p->ment);
    free(p->ent);
    free(p->pairs);
    free(p->buf.p);
    free(p);
}

void ws_store_prep_free(ws_store_prep *p) { prep_free(p); }

static ws_store_prep *prep_new(void) {
    ws_store_prep *p = calloc(1, sizeof *p);
    if (p && !(p->arena = ws_jarena_new())) {
        free(p);
        return NULL;
    }
    return p;
}

static const char *pstr(const ws_store_prep *p, size_t off) {
    return off == NO_STR ? NULL : p->buf.p + off;
}

/* Appends s (n bytes) and a NUL to buf; returns its offset. */
static size_t buf_add(sbuf *b, const char *s, size_t n) {
    size_t off = b->n;
    sb_put(b, s, n);
    sb_put(b, "", 1); /* keeps the NUL inside n */
    return off;
}

/* The host of a URL without "www.", lowercased, appended to buf: the site
 * when none is given; its offset, or NO_STR when the URL has none. */
static size_t site_of_url(sbuf *b, const char *url) {
    if (!url) return NO_STR;
    const char *p = strstr(url, "://");
    if (!p) return NO_STR;
    p += 3;
    size_t n = strcspn(p, "/?#:");
    if (n > 4 && !strncmp(p, "www.", 4)) {
        p += 4;
        n -= 4;
    }
    if (!n) return NO_STR;
    size_t off = buf_add(b, p, n);
    if (b->oom) return NO_STR;
    for (char *h = b->p + off; *h; h++)
        if (*h >= 'A' && *h <= 'Z') *h = (char)(*h + 32);
    return off;
}

/* Author: a string, or an array of strings joined by "; ", appended to
 * buf; its offset, or NO_STR when there is none. */
static size_t author_of(sbuf *b, const ws_jv *o) {
    const ws_jv *a = ws_jget(o, "author");
    if (!a) a = ws_jget(o, "authors");
    if (jv_is(a, WS_JV_STRING)) return buf_add(b, ws_jstr(a), strlen(ws_jstr(a)));
    if (!jv_is(a, WS_JV_ARRAY) || !ws_jcount(a)) return NO_STR;
    size_t off = b->n;
    size_t i;
    const ws_jv *v;
    for (i = 0; i < ws_jcount(a) && (v = ws_jat(a, i)) != NULL; i++) {
        if (!jv_is(v, WS_JV_STRING)) continue;
        if (b->n > off) sb_str(b, "; ");
        sb_str(b, ws_jstr(v));
    }
    sb_put(b, "", 1);
    return off;
}

static int prep_fail(ws_store_prep *p, ws_status code, const char *msg) {
    p->doc = NULL;
    p->status = code;
    snprintf(p->err, sizeof p->err, "%s", msg);
    return -1;
}

static int cmp_pair(const void *a, const void *b) {
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* An entity's mentions as "[[start,end],...]", sorted, without repeats;
 * returns its offset in buf, NO_STR when out of memory. */
static size_t mentions_json(ws_store_prep *p, const ws_jv *e) {
    const ws_jv *ms = ws_jget(e, "mentions"), *mn;
    size_t n = 0, cnt = ws_jcount(ms);
    if (cnt * 2 > p->cap_pairs) {
        int64_t *q = realloc(p->pairs, cnt * 2 * sizeof *q);
        if (!q) return NO_STR;
        p->pairs = q;
        p->cap_pairs = cnt * 2;
    }
    for (size_t k = 0; k < cnt && (mn = ws_jat(ms, k)) != NULL; k++) {
        if (!jv_is(mn, WS_JV_OBJECT)) continue;
        p->pairs[2 * n] = ws_jint(ws_jget(mn, "start"));
        p->pairs[2 * n + 1] = ws_jint(ws_jget(mn, "end"));
        n++;
    }
    if (n > 1) qsort(p->pairs, n, 2 * sizeof *p->pairs, cmp_pair);
    size_t off = p->buf.n;
    sb_put(&p->buf, "[", 1);
    for (size_t k = 0, out = 0; k < n; k++) {
        if (k && !cmp_pair(p->pairs + 2 * k, p->pairs + 2 * (k - 1))) continue;
        /* ",[start,end]" by hand, as snprintf "%s[%lld,%lld]" wrote it */
        char tmp[64], *q = tmp + sizeof tmp;
        *--q = ']';
        q = put_i64(q, p->pairs[2 * k + 1]);
        *--q = ',';
        q = put_i64(q, p->pairs[2 * k]);
        *--q = '[';
        if (out++) *--q = ',';
        sb_put(&p->buf, q, (size_t)(tmp + sizeof tmp - q));
    }
    sb_put(&p->buf, "]", 1);
    sb_put(&p->buf, "", 1);
    return p->buf.oom ? NO_STR : off;
}

/* Parses one input object and computes everything its rows need. */
static int prep(ws_store_prep *p, const char *json, size_t len) {
    p->doc = NULL;
    p->status = WS_OK;
    p->err[0] = 0;
    p->nq = 0;
    p->buf.n = 0;
    p->buf.oom = 0;
    p->site = p->author = NO_STR;
    const char *jerr;
    size_t joff;
    const ws_jv *doc = ws_jparse(p->arena, json, len, &jerr, &joff);
    if (!doc) {
        snprintf(p->err, sizeof p->err, "bad JSON at byte %zu: %s", joff, jerr);
        p->status = WS_ERR_FORMAT;
        return -1;
    }
    if (!jv_is(doc, WS_JV_OBJECT) || !jv_is(ws_jget(doc, "version"), WS_JV_INT) ||
        !jv_is(ws_jget(doc, "quotes"), WS_JV_ARRAY))
        return prep_fail(p, WS_ERR_FORMAT,
                         "not whosaid output (an object with \"version\" and \"quotes\")");
    const char *url = jstr(doc, "url"), *body = jstr(doc, "body");
    size_t blen = body ? ws_jget(doc, "body")->n : 0;
    if (url && !*url) url = NULL;
    /* content hash: the body, else the whole object as given */
    p->chash = body ? ws_store_hash(body, blen, 42) : ws_store_hash(json, len, 43);
    const char *site = jstr(doc, "site");
    p->site = site ? buf_add(&p->buf, site, strlen(site)) : site_of_url(&p->buf, url);
    p->author = author_of(&p->buf, doc);
    if (p->buf.oom) return prep_fail(p, WS_ERR_NOMEM, "out of memory");
    const ws_jv *quotes = ws_jget(doc, "quotes");
    size_t nq = ws_jcount(quotes);
    if (nq > p->capq) {
        pquote *n = realloc(p->q, nq * sizeof *n);
        if (!n) return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        p->q = n;
        p->capq = nq;
    }
    for (size_t i = 0; i < nq; i++) {
        const ws_jv *q = ws_jat(quotes, i);
        if (!jv_is(q, WS_JV_OBJECT)) continue;
        pquote *pq = &p->q[p->nq++];
        memset(pq, 0, offsetof(pquote, sig));
        pq->q = q;
        pq->ord = (int64_t)i;
        pq->type = jstr(q, "type");
        pq->ent_key = jstr(ws_jget(q, "speaker"), "entity");
        const ws_jv *conf = ws_jget(ws_jget(q, "evidence"), "confidence");
        pq->has_conf = jv_is_num(conf);
        pq->conf = pq->has_conf ? conf->num : 0;
        pq->content = p->buf.n;
        const ws_jv *segs = ws_jget(q, "content"), *seg;
        for (size_t k = 0; k < ws_jcount(segs) && (seg = ws_jat(segs, k)) != NULL; k++) {
            const char *t;
            size_t n;
            if (!span_text(seg, body, blen, &t, &n)) continue;
            if (p->buf.n > pq->content) sb_str(&p->buf, " \xe2\x80\xa6 "); /* " ... " */
            sb_put(&p->buf, t, n);
        }
        pq->ncontent = p->buf.n - pq->content;
        sb_put(&p->buf, "", 1);
        const char *t;
        size_t n;
        pq->cue = span_text(ws_jget(q, "cue"), body, blen, &t, &n) ? buf_add(&p->buf, t, n) : NO_STR;
        pq->src = span_text(ws_jget(q, "source"), body, blen, &t, &n) ? buf_add(&p->buf, t, n)
                                                                       : NO_STR;
        pq->spans = p->buf.n;
        spans_json(&p->buf, q, body, blen);
        sb_put(&p->buf, "", 1);
        if (p->buf.oom) return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        if (pq->ncontent &&
            ws_store_quote_sig(p->buf.p + pq->content, pq->ncontent, &pq->hash, pq->sig,
                               &pq->has_sig) < 0)
            return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        /* the band keys here too, off the writer's thread */
        if (pq->has_sig) ws_store_bands(pq->sig, pq->bands);
    }
    const ws_jv *ents = ws_jget(doc, "entities");
    size_t ne = ws_jcount(ents);
    if (ne > MAX_ENTITIES) ne = MAX_ENTITIES;
    if (ne > p->cap_ment) {
        size_t *m = realloc(p->ment, ne * sizeof *m);
        if (!m) return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        p->ment = m;
        struct pent *e = realloc(p->ent, ne * sizeof *e);
        if (!e) return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        p->ent = e;
        p->cap_ment = ne;
    }
    const ws_jv *spks = ws_jget(doc, "speakers");
    for (size_t i = 0; i < ne; i++) {
        const ws_jv *e = ws_jat(ents, i);
        if ((p->ment[i] = mentions_json(p, e)) == NO_STR)
            return prep_fail(p, WS_ERR_NOMEM, "out of memory");
        struct pent *pe = &p->ent[i];
        pe->key = jstr(e, "id");
        pe->name = jstr(e, "name");
        pe->title = jstr(e, "title");
        pe->gender = jstr(e, "gender");
        pe->type = jstr(e, "type");
        pe->speaks = 0;
        size_t k;
        const ws_jv *sp;
        for (k = 0; pe->key && k < ws_jcount(spks) && (sp = ws_jat(spks, k)) != NULL; k++) {
            const char *sk = jstr(sp, "entity");
            if (sk && !strcmp(sk, pe->key)) {
                pe->speaks = 1;
                break;
            }
        }
    }
    p->doc = doc;
    return 0;
}

/* ---- quote clusters ------------------------------------------------------ */

/* Near-duplicate threshold: estimated Jaccard similarity of the word
 * bigrams, as the share of equal minhash values. */
#define NEAR_MIN_EQUAL 10 /* of WS_MINHASH_K = 16: J >= 0.625 */

/* The number of equal values of signature a and a candidate's stored
 * signature, or 0 if the candidate's band `band` is not `key` (the band map
 * holds fingerprints: a match there may be a collision). */
static int sig_equal(const uint32_t *a, const void *blob, int bytes, int band, int64_t key) {
    if (bytes != WS_MINHASH_K * 4) return 0;
    uint32_t b[WS_MINHASH_K];
    memcpy(b, blob, sizeof b);
    int64_t keys[WS_MINHASH_BANDS];
    ws_store_bands(b, keys);
    if (keys[band] != key) return 0;
    int eq = 0;
    for (int k = 0; k < WS_MINHASH_K; k++) eq += a[k] == b[k];
    return eq;
}

const ws_cl_row *ws_store_pending_cluster(const ws_store *s, int64_t id) {
    if (!s->nclrow || id < s->clrow[0].id) return NULL;
    size_t i = (size_t)(id - s->clrow[0].id); /* their ids are consecutive */
    return i < s->nclrow ? &s->clrow[i] : NULL;
}

/* Inserts the article's new clusters, up to WS_STMT_ROWS rows an INSERT. */
static ws_status flush_clusters(ws_store *s) {
    for (size_t i0 = 0; i0 < s->nclrow; i0 += WS_STMT_ROWS) {
        int n = s->nclrow - i0 < WS_STMT_ROWS ? (int)(s->nclrow - i0) : WS_STMT_ROWS;
        sqlite3_stmt *st = ws_store_cluster_rows(s, n);
        if (!st) return WS_ERR_IO;
        for (int r = 0; r < n; r++) {
            const ws_cl_row *c = &s->clrow[i0 + (size_t)r];
            int b = r * 7;
            sqlite3_bind_int64(st, b + 2, c->hash);
            if (c->has_sig) sqlite3_bind_blob(st, b + 3, c->sig, sizeof c->sig, SQLITE_STATIC);
            else sqlite3_bind_null(st, b + 3);
            sqlite3_bind_int64(st, b + 4, c->stmt);
            sqlite3_bind_int64(st, b + 5, c->art);
            bind_text(st, b + 6, c->site);
            bind_text(st, b + 7, c->date);
        }
        if (rows_done(s, st, "cluster", s->clrow[i0 + (size_t)n - 1].id))
            return WS_ERR_IO;
    }
    s->nclrow = 0;
    return WS_OK;
}

/* Finds or makes the cluster of a statement; *cluster = 0 when the text is
 * too short to cluster (fewer than 4 words). A new cluster's row waits in
 * s->clrow (written by flush_clusters at the end of the article): lookups
 * read a waiting row from there, and an UPDATE of one writes them first. */
static ws_status assign_cluster(ws_store *s, const pquote *pq, int64_t stmt_id,
                                int64_t article_id, const char *site, const char *date,
                                int64_t *cluster) {
    *cluster = 0;
    if (!pq->hash) return WS_OK;
    int64_t id = 0;
    uint64_t hk = pq->hash >> 1;
    if (ws_clx_exact(s, hk, &id)) return WS_ERR_IO;
    int found = id != 0;
    if (!found && pq->has_sig) {
        const int64_t *bands = pq->bands;
        int best = 0;
        for (int b = 0; b < WS_MINHASH_BANDS; b++) {
            size_t n = 0;
            if (ws_clx_band(s, b, (uint64_t)bands[b], &s->cand, &n, &s->ncand_cap)) return WS_ERR_IO;
            for (size_t c = 0; c < n; c++) {
                const ws_cl_row *w = ws_store_pending_cluster(s, s->cand[c]);
                int eq;
                if (w)
                    eq = w->has_sig ? sig_equal(pq->sig, w->sig, (int)sizeof w->sig, b, bands[b]) : 0;
                else {
                    sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_CL_GET);
                    if (!st) return WS_ERR_IO;
                    sqlite3_bind_int64(st, 1, s->cand[c]);
                    int rc = sqlite3_step(st);
                    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                        return ws_store_sqlfail(s, "cluster lookup");
                    eq = rc == SQLITE_ROW ? sig_equal(pq->sig, sqlite3_column_blob(st, 0),
                                                      sqlite3_column_bytes(st, 0), b, bands[b])
                                          : 0;
                    sqlite3_reset(st);
                }
                if (eq >= NEAR_MIN_EQUAL && eq > best) {
                    best = eq;
                    id = s->cand[c];
                }
            }
        }
        found = best > 0;
    }
    sqlite3_stmt *st;
    if (found) {
        if (ws_store_pending_cluster(s, id) && flush_clusters(s)) return WS_ERR_IO;
        if (!(st = ws_store_stmt_rebind(s, WS_ST_CL_JOIN))) return WS_ERR_IO;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, stmt_id);
        bind_text(st, 3, date);
        sqlite3_bind_int64(st, 4, article_id);
        bind_text(st, 5, site);
        if (step_done(s, st, "cluster")) return WS_ERR_IO;
        *cluster = id;
        return WS_OK;
    }
    if (s->nclrow == s->capclrow) {
        size_t c = s->capclrow ? s->capclrow * 2 : 64;
        ws_cl_row *r = realloc(s->clrow, c * sizeof *r);
        if (!r) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        s->clrow = r;
        s->capclrow = c;
    }
    ws_cl_row *w = &s->clrow[s->nclrow++];
    id = w->id = ++s->next_cluster;
    w->hash = (int64_t)hk;
    w->stmt = stmt_id;
    w->art = article_id;
    w->site = site;
    w->date = date;
    w->has_sig = pq->has_sig;
    if (pq->has_sig) memcpy(w->sig, pq->sig, sizeof w->sig);
    if (ws_clx_add(s, id, hk, pq->has_sig ? pq->bands : NULL)) return WS_ERR_IO;
    *cluster = id;
    return WS_OK;
}

/* ---- one article ------------------------------------------------------- */

typedef struct ent_map {
    const char *key; /* "e1" */
    int64_t entity_id;
    ws_store_spk spk;
} ent_map;

static const ent_map *find_ent(const ent_map *m, size_t n, const char *key) {
    if (!key) return NULL;
    for (size_t i = 0; i < n; i++)
        if (m[i].key && !strcmp(m[i].key, key)) return &m[i];
    return NULL;
}

/* The zeroed entity map of at least n bytes, kept in the handle from
 * article to article instead of a calloc and free each (malloc arena
 * growth showed as thousands of mprotect calls); NULL when out of memory. */
static void *scratch(ws_store *s, size_t n) {
    if (n > s->scratch_cap) {
        size_t c = s->scratch_cap ? s->scratch_cap : 1024;
        while (c < n) c *= 2;
        void *b = realloc(s->scratch, c);
        if (!b) return NULL;
        s->scratch = b;
        s->scratch_cap = c;
    }
    memset(s->scratch, 0, n);
    return s->scratch;
}

static ws_status add_statements(ws_store *s, const ws_store_prep *p, int64_t art,
                                const char *site, const char *date, const ent_map *em,
                                size_t nem, ws_store_ingest_stats *stats) {
    ws_status rc = WS_OK;
    /* the rows go in chunks of up to WS_STMT_ROWS, one INSERT each */
    for (size_t i0 = 0; i0 < p->nq && !rc; i0 += WS_STMT_ROWS) {
        int n = p->nq - i0 < WS_STMT_ROWS ? (int)(p->nq - i0) : WS_STMT_ROWS;
        sqlite3_stmt *st = ws_store_stmt_rows(s, n);
        if (!st) return WS_ERR_IO;
        int64_t first = s->next_stmt + 1;
        for (int r = 0; r < n && !rc; r++) {
            const pquote *pq = &p->q[i0 + (size_t)r];
            const ent_map *e = find_ent(em, nem, pq->ent_key);
            const char *type = pq->type;
            /* the writer's id, which the table gives too: the cluster
             * needs it first */
            int64_t sid = ++s->next_stmt, cl = 0;
            if (pq->ncontent) rc = assign_cluster(s, pq, sid, art, site, date, &cl);
            if (rc) break;
            /* every parameter is bound (the statement keeps old bindings) */
            int b = r * WS_STMT_COLS;
            if (cl) sqlite3_bind_int64(st, b + 12, cl);
            else sqlite3_bind_null(st, b + 12);
            sqlite3_bind_int64(st, b + 1, art);
            sqlite3_bind_int64(st, b + 2, pq->ord);
            sqlite3_bind_text(st, b + 3, type ? type : "indirect", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, b + 4, p->buf.p + pq->content, (int)pq->ncontent, SQLITE_STATIC);
            bind_text(st, b + 5, pstr(p, pq->cue));
            bind_text(st, b + 6, pstr(p, pq->src));
            sqlite3_bind_text(st, b + 7, p->buf.p + pq->spans, -1, SQLITE_STATIC);
            if (e && e->spk.speaker_id) {
                sqlite3_bind_int64(st, b + 8, e->spk.speaker_id);
                sqlite3_bind_int64(st, b + 9, e->spk.alias_id);
                /* added to speakers.n_statements at the batch's commit
                 * (speakers.c) */
                rc = ws_store_count_speaker(s, e->spk.speaker_id, 1);
            } else {
                sqlite3_bind_null(st, b + 8);
                sqlite3_bind_null(st, b + 9);
            }
            if (e) sqlite3_bind_int64(st, b + 10, e->entity_id);
            else sqlite3_bind_null(st, b + 10);
            if (pq->has_conf) sqlite3_bind_double(st, b + 11, pq->conf);
            else sqlite3_bind_null(st, b + 11);
        }
        if (!rc) rc = rows_done(s, st, "statement", s->next_stmt);
        /* the new clusters' rows (no reference is checked: any order) */
        if (!rc) rc = flush_clusters(s);
        /* the text index gets the texts in id order, as before */
        for (int r = 0; r < n && !rc; r++) {
            const pquote *pq = &p->q[i0 + (size_t)r];
            rc = ws_fts_add_statement(s, first + r, p->buf.p + pq->content, pq->ncontent);
        }
        if (!rc) stats->statements_added += (uint64_t)n;
    }
    return rc;
}

/* Entities, their mentions, and the speakers of the speaking ones. */
static ws_status add_entities(ws_store *s, const ws_store_prep *p, int64_t art, ent_map **out,
                              size_t *nout) {
    size_t ne = ws_jcount(ws_jget(p->doc, "entities"));
    if (ne > MAX_ENTITIES) ne = MAX_ENTITIES;
    ent_map *m = scratch(s, (ne + 1) * sizeof *m);
    if (!m) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    *out = m;
    *nout = ne;
    for (size_t i = 0; i < ne; i++) {
        const struct pent *pe = &p->ent[i];
        m[i].key = pe->key;
        if (pe->speaks && pe->name && *pe->name) {
            ws_status rc = ws_store_resolve_speaker(s, pe->name, pe->title, pe->gender, pe->type,
                                                    art, &m[i].spk);
            if (rc) return rc;
        }
    }
    /* then the rows, up to WS_STMT_ROWS an INSERT, with the ids the table
     * would give them (the speakers' rows never refer to them) */
    for (size_t i0 = 0; i0 < ne; i0 += WS_STMT_ROWS) {
        int n = ne - i0 < WS_STMT_ROWS ? (int)(ne - i0) : WS_STMT_ROWS;
        sqlite3_stmt *st = ws_store_entity_rows(s, n);
        if (!st) return WS_ERR_IO;
        for (int r = 0; r < n; r++) {
            size_t i = i0 + (size_t)r;
            const struct pent *pe = &p->ent[i];
            int b = r * 9;
            m[i].entity_id = ++s->next_ent;
            sqlite3_bind_int64(st, b + 2, art);
            sqlite3_bind_int64(st, b + 3, (int64_t)i);
            bind_text(st, b + 4, pe->type);
            bind_text(st, b + 5, pe->name);
            bind_text(st, b + 6, pe->title);
            bind_text(st, b + 7, pe->gender);
            if (m[i].spk.alias_id) sqlite3_bind_int64(st, b + 8, m[i].spk.alias_id);
            else sqlite3_bind_null(st, b + 8);
            sqlite3_bind_text(st, b + 9, pstr(p, p->ment[i]), -1, SQLITE_STATIC);
        }
        if (rows_done(s, st, "entity", s->next_ent)) return WS_ERR_IO;
    }
    return WS_OK;
}

/* Writes one prepared object inside an open transaction. */
static ws_status write_obj(ws_store *s, const ws_store_prep *p, ws_store_ingest_stats *stats) {
    if (p->status) {
        if (p->status == WS_ERR_FORMAT) stats->records_failed++;
        return ws_store_fail(s, p->status, "%s", p->err);
    }
    const ws_jv *doc = p->doc;
    const char *url = jstr(doc, "url"), *body = jstr(doc, "body");
    size_t blen = body ? ws_jget(doc, "body")->n : 0;
    if (url && !*url) url = NULL;
    /* a duplicate (same URL or same content hash) is found by the
     * insert itself: OR IGNORE on the two unique indexes, no row changed */
    int64_t hk = (int64_t)(p->chash >> 1);
    const char *site = pstr(p, p->site);
    const char *date = jstr(doc, "date"), *title = jstr(doc, "title");
    ws_status rc = WS_OK;
    sqlite3_stmt *st = ws_store_stmt_rebind(s, WS_ST_ART_INSERT);
    if (!st) rc = WS_ERR_IO;
    else {
        bind_text(st, 1, jstr(doc, "id"));
        bind_text(st, 2, url);
        bind_text(st, 3, site);
        bind_text(st, 4, date);
        bind_text(st, 5, title);
        bind_text(st, 6, jstr(doc, "lang"));
        bind_text(st, 7, pstr(p, p->author));
        sqlite3_bind_int64(st, 8, hk);
        if (body) sqlite3_bind_text(st, 9, body, (int)blen, SQLITE_STATIC);
        else sqlite3_bind_null(st, 9);
        bind_text(st, 10, jstr(doc, "generator"));
        /* its statements get the next ids: a range, not an index */
        sqlite3_bind_int64(st, 11, s->next_stmt + 1);
        sqlite3_bind_int64(st, 12, (int64_t)p->nq);
        rc = step_done(s, st, "article");
        if (!rc && sqlite3_changes(s->db) == 0) {
            stats->articles_duplicate++;
            return WS_OK;
        }
    }
    int64_t art = sqlite3_last_insert_rowid(s->db);
    /* the text index gets a copy of the texts, indexed after the commit */
    if (!rc) rc = ws_fts_add_article(s, art, title, body, blen);
    ent_map *em = NULL;
    size_t nem = 0;
    if (!rc) rc = add_entities(s, p, art, &em, &nem);
    if (!rc) rc = add_statements(s, p, art, site, date, em, nem, stats);
    if (!rc) stats->articles_added++;
    return rc;
}

/* Writes p in the open batch (or in a batch of its own); a failure other
 * than a bad object rolls the batch back. */
static ws_status write_in_batch(ws_store *s, const ws_store_prep *p,
                                ws_store_ingest_stats *stats) {
    int own = !s->in_batch;
    ws_status rc = own ? ws_store_begin(s) : WS_OK;
    if (rc) return rc;
    /* No savepoint per object: FTS5 flushes its pending terms at every
     * savepoint, which would cost more than the rest of ingest. A malformed
     * object is rejected before anything is written; any other failure
     * rolls the whole batch back. */
    rc = write_obj(s, p, stats);
    if (rc && rc != WS_ERR_FORMAT && s->in_batch) {
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        ws_store_rollback(s);
        memcpy(s->err, keep, sizeof keep);
    } else if (own)
        rc = rc ? (ws_store_rollback(s), rc) : ws_store_commit(s);
    return rc;
}

ws_status ws_store_ingest_json(ws_store *s, const char *json, size_t len,
                               ws_store_ingest_stats *stats) {
    ws_store_ingest_stats dummy = {0};
    if (!stats) stats = &dummy;
    if (!s || !json) return WS_ERR_INVALID;
    s->busy = 0;
    if (s->flags & WS_STORE_READONLY)
        return ws_store_fail(s, WS_ERR_INVALID, "the store is open read-only");
    if (!s->prep && !(s->prep = prep_new()))
        return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    prep(s->prep, json, len);
    return write_in_batch(s, s->prep, stats);
}

/* ---- a file of JSON Lines ------------------------------------------------ */

/* The reader thread fills a ring of RING prepared objects ahead of the
 * writer (the caller's thread), which takes them in order. 256 objects
 * hold about 46 ms of the writer's work on the benchmark's articles
 * (about 40 KB each with their parse, 10 MB in all): the reader shares a
 * core with the text indexer at a lower priority than the writer, and 64
 * (11 ms) let the writer find the ring empty while the reader waited for
 * that core (docs/BENCHMARKS.md, "Store", session 6). A side that
 * finds the ring full (reader) or empty (writer) sleeps until the other has
 * made WAKE_ROOM slots free or WAKE_FILLED filled, not just one: the
 * threads then wake each other once per several objects instead of once
 * per object (with one, the faster reader was woken, filled one slot and
 * slept again for every object the writer took: about 6 futex calls an
 * article, docs/BENCHMARKS.md, "Store", session 5). */
#define RING 256
#define WAKE_ROOM (RING / 2)
#define WAKE_FILLED 8

typedef struct ring {
    pthread_mutex_t m;
    pthread_cond_t filled, freed;
    ws_store_prep *slot[RING];
    uint64_t head, tail; /* written by the reader / taken by the writer */
    int done;            /* the reader is finished (read_rc says how) */
    int stop;            /* the writer gave up: the reader stops */
    int reader_waits, writer_waits; /* asleep on freed / filled */
    ws_status read_rc;
    char read_err[640];
    gzFile gz;
    const char *path;
    /* input offsets (an lseek each) only where the writer reports
     * progress: after every `every`-th object and at the end */
    uint64_t every, end_offset;
} ring;

/* Reads one line of any length into *line; 0 ok, 1 end of input, -1 error
 * (message in r->read_err). */
static int read_line(ring *r, char **line, size_t *cap, size_t *len) {
    size_t n = 0;
    for (;;) {
        if (*cap - n < 2) {
            char *nl = realloc(*line, *cap * 2);
            if (!nl) {
                r->read_rc = WS_ERR_NOMEM;
                snprintf(r->read_err, sizeof r->read_err, "out of memory");
                return -1;
            }
            *line = nl;
            *cap *= 2;
        }
        if (!gzgets(r->gz, *line + n, (int)(*cap - n > 1 << 30 ? 1 << 30 : *cap - n))) {
            int errnum;
            const char *m = gzerror(r->gz, &errnum);
            if (errnum != Z_OK && errnum != Z_STREAM_END) {
                /* zlib's message starts with the path given to gzopen */
                size_t pl = strlen(r->path);
                if (m && !strncmp(m, r->path, pl) && !strncmp(m + pl, ": ", 2)) m += pl + 2;
                r->read_rc = WS_ERR_IO;
                snprintf(r->read_err, sizeof r->read_err, "%.400s: read error: %.100s", r->path, m);
                return -1;
            }
            *len = n;
            return n ? 0 : 1;
        }
        n += strlen(*line + n);
        if (n && (*line)[n - 1] == '\n') break;
    }
    *len = n;
    return 0;
}

static void *reader_main(void *arg) {
    ring *r = arg;
    ws_store_helper_thread_start();
    size_t cap = 1 << 16, n;
    char *line = malloc(cap);
    uint64_t lineno = 0, head = 0, room = 0; /* room: free slots known to the reader */
    if (!line) {
        r->read_rc = WS_ERR_NOMEM;
        snprintf(r->read_err, sizeof r->read_err, "out of memory");
    }
    while (line) {
        int e = read_line(r, &line, &cap, &n);
        if (e) break;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        if (!n) continue;
        lineno++;
        if (!room) {
            pthread_mutex_lock(&r->m);
            if (!r->stop && r->head - r->tail == RING) {
                r->reader_waits = 1;
                while (!r->stop && RING - (r->head - r->tail) < WAKE_ROOM)
                    pthread_cond_wait(&r->freed, &r->m);
                r->reader_waits = 0;
            }
            room = RING - (r->head - r->tail);
            int stop = r->stop;
            pthread_mutex_unlock(&r->m);
            if (stop) break;
        }
        /* the slot is ours until head moves past it */
        ws_store_prep *p = r->slot[head % RING];
        prep(p, line, n);
        p->lineno = lineno;
        p->offset = lineno % r->every ? 0 : (uint64_t)gzoffset(r->gz);
        room--;
        pthread_mutex_lock(&r->m);
        r->head = ++head;
        if (r->writer_waits && r->head - r->tail >= WAKE_FILLED) pthread_cond_signal(&r->filled);
        pthread_mutex_unlock(&r->m);
    }
    free(line);
    uint64_t end = r->gz ? (uint64_t)gzoffset(r->gz) : 0;
    pthread_mutex_lock(&r->m);
    r->end_offset = end;
    r->done = 1;
    pthread_cond_signal(&r->filled);
    pthread_mutex_unlock(&r->m);
    return NULL;
}

ws_status ws_store_ingest_file(ws_store *s, const char *path, size_t batch_size,
                               ws_store_ingest_stats *stats) {
    ws_store_ingest_stats dummy = {0};
    if (!stats) stats = &dummy;
    if (!s || !path) return WS_ERR_INVALID;
    if (s->in_batch) return ws_store_fail(s, WS_ERR_INVALID, "a batch is already open");
    if (!batch_size) batch_size = WS_STORE_DEFAULT_BATCH;
    ring *r = calloc(1, sizeof *r);
    if (!r) return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
    r->path = path;
    r->every = batch_size;
    for (int i = 0; i < RING; i++)
        if (!(r->slot[i] = prep_new())) {
            for (int k = 0; k < i; k++) prep_free(r->slot[k]);
            free(r);
            return ws_store_fail(s, WS_ERR_NOMEM, "out of memory");
        }
    r->gz = !strcmp(path, "-") ? gzdopen(0, "rb") : gzopen(path, "rb");
    ws_status rc = WS_OK, bad = WS_OK;
    char badmsg[sizeof s->err] = "";
    pthread_t th;
    int started = 0;
    if (!r->gz) rc = ws_store_fail(s, WS_ERR_IO, "%s: cannot open", path);
    else {
        gzbuffer(r->gz, 1 << 17);
        pthread_mutex_init(&r->m, NULL);
        pthread_cond_init(&r->filled, NULL);
        pthread_cond_init(&r->freed, NULL);
        if (pthread_create(&th, NULL, reader_main, r))
            rc = ws_store_fail(s, WS_ERR_NOMEM, "cannot start the reader thread");
        else started = 1;
    }
    size_t in_batch = 0;
    uint64_t offset = 0;
    /* the counts when the open batch began: a rolled-back batch added
     * nothing, so its counts are taken back */
    ws_store_ingest_stats at_begin = *stats;
    uint64_t tail = 0, have = 0; /* have: filled slots known to the writer */
    while (!rc) {
        if (!have) {
            pthread_mutex_lock(&r->m);
            if (r->tail == r->head && !r->done) {
                r->writer_waits = 1;
                while (r->head - r->tail < WAKE_FILLED && !r->done)
                    pthread_cond_wait(&r->filled, &r->m);
                r->writer_waits = 0;
            }
            have = r->head - r->tail;
            pthread_mutex_unlock(&r->m);
            if (!have) break; /* done and drained */
        }
        ws_store_prep *p = r->slot[tail % RING];
        if (!s->in_batch) {
            at_begin = *stats;
            if ((rc = ws_store_begin(s))) break;
        }
        s->busy = 0;
        ws_status w = write_in_batch(s, p, stats);
        if (w && w != WS_ERR_FORMAT) *stats = at_begin; /* batch rolled back */
        if (w == WS_ERR_FORMAT) {
            bad = w;
            snprintf(badmsg, sizeof badmsg, "%.400s: line %llu: %.500s", path,
                     (unsigned long long)p->lineno, s->err);
        } else if (w)
            rc = w;
        uint64_t at = p->offset; /* set for every batch_size-th object */
        have--;
        pthread_mutex_lock(&r->m);
        r->tail = ++tail;
        if (r->reader_waits && RING - (r->head - r->tail) >= WAKE_ROOM)
            pthread_cond_signal(&r->freed);
        pthread_mutex_unlock(&r->m);
        if (!rc && ++in_batch >= batch_size) {
            rc = ws_store_commit(s);
            if (rc) *stats = at_begin;
            in_batch = 0;
            offset = at;
            if (s->progress) s->progress(s->progress_ud, stats, offset);
        }
    }
    if (started) {
        pthread_mutex_lock(&r->m);
        r->stop = 1;
        pthread_cond_signal(&r->freed);
        pthread_mutex_unlock(&r->m);
        pthread_join(th, NULL);
        /* a read error ends the input: what came before it is written
         * (the open batch is committed below), then the error is given */
        if (!rc && r->read_rc) {
            ws_status read_rc = r->read_rc;
            if (s->in_batch && (rc = ws_store_commit(s))) *stats = at_begin;
            if (!rc) rc = ws_store_fail(s, read_rc, "%s", r->read_err);
        }
    }
    if (s->in_batch) {
        if (rc) {
            ws_store_rollback(s);
            *stats = at_begin;
        } else if ((rc = ws_store_commit(s))) *stats = at_begin;
    }
    if (started && r->done) offset = r->end_offset; /* joined: no lock needed */
    if (!rc && s->progress) s->progress(s->progress_ud, stats, offset);
    if (started) {
        pthread_mutex_destroy(&r->m);
        pthread_cond_destroy(&r->filled);
        pthread_cond_destroy(&r->freed);
    }
    if (r->gz) gzclose(r->gz);
    for (int i = 0; i < RING; i++) prep_free(r->slot[i]);
    free(r);
    if (!rc && bad) ws_store_fail(s, WS_OK, "%s", badmsg);
    return rc;
}
