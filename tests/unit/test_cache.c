/*
 * test_cache.c - per-thread caches across documents (ws_cache): analysing
 * documents through a cache gives exactly what ws_analyze gives (the JSON
 * output byte for byte and every token's POS tag), whatever the cache saw
 * before: one cache shared by all documents in order, the same warm cache
 * in reverse order, a fresh cache per document, and two caches taking turns.
 * The documents: the sample article, random texts with quote marks and
 * odd bytes, texts with more new word types than the cache keeps (so that
 * it is cleared and refilled between documents), a sentence longer than
 * the cache, long words, and every PolNeAR dev text when the data is there.
 * Also the API's errors, the fixed size, that the caches are used,
 * ws_cache_new out of memory at each of its allocations, and the caches the
 * pipeline hands its work function (1 and 2 jobs).
 */
#include "attrib/model.h"
#include "doc.h"
#include "harness.h"
#include "model/models.h"

#include <dirent.h>
#include <stdlib.h>

#define MAXDOCS 400

typedef struct docs {
    char *text[MAXDOCS];
    size_t len[MAXDOCS];
    char *json[MAXDOCS];   /* ws_analyze + ws_doc_to_json */
    size_t jlen[MAXDOCS];
    uint8_t *tags[MAXDOCS]; /* ws_analyze's POS tags */
    size_t ntok[MAXDOCS];
    size_t n;
} docs;

static void add_doc(docs *ds, char *text, size_t len) {
    if (!text || ds->n == MAXDOCS) {
        free(text);
        return;
    }
    ds->text[ds->n] = text;
    ds->len[ds->n] = len;
    ds->n++;
}

/* The POS tags and JSON of text through cache c (NULL: ws_analyze). */
static int run(const ws_engine *e, ws_cache *c, const char *text, size_t len,
               char **json, size_t *jlen, uint8_t **tags, size_t *ntok) {
    ws_doc *d = NULL;
    ws_status st = c ? ws_analyze_cached(e, c, text, len, "t", &d)
                     : ws_analyze(e, text, len, "t", &d);
    if (st != WS_OK || !d) return -1;
    *ntok = d->text.toks.n;
    *tags = malloc(*ntok ? *ntok : 1);
    for (size_t i = 0; *tags && i < *ntok; i++) (*tags)[i] = d->text.toks.v[i].pos;
    st = ws_doc_to_json(d, 0, json, jlen);
    ws_doc_free(d);
    return st == WS_OK && *tags ? 0 : -1;
}

/* Analyses document i through c and compares with the reference; returns
 * 1 if it differs. */
static int differs(const ws_engine *e, ws_cache *c, const docs *ds, size_t i) {
    char *j = NULL;
    size_t jl = 0, nt = 0;
    uint8_t *tg = NULL;
    int bad = run(e, c, ds->text[i], ds->len[i], &j, &jl, &tg, &nt) != 0;
    if (!bad)
        bad = jl != ds->jlen[i] || memcmp(j, ds->json[i], jl) != 0 || nt != ds->ntok[i] ||
              memcmp(tg, ds->tags[i], nt) != 0;
    ws_free(e, j);
    free(tg);
    return bad;
}

static void gen_docs(docs *ds) {
    static const char *const parts[] = {
        "\xE2\x80\x9C", "\xE2\x80\x9D", "'", "\"", " ", "\n\n", "Said", "the",
        ".", ",", "U.S.", "n't", "\xFF", "\xC3", "-", "2016", "X", "Zorblax",
        "zorblax", "ZORBLAX", "Lavrov", "said", "?", "'s", "(", ")", "--",
        "told reporters", "according to", "he said", "she added", ": \"",
        ("\xC3\x89lys\xC3\xA9" "e"),
        "Supercalifragilisticexpialidocious-ly-long-word",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    unsigned long long seed = 20261129;
    for (int r = 0; r < 60; r++) {
        char *b = malloc(3000);
        if (!b) return;
        size_t n = test_fill_pieces(b, 3000, parts, sizeof parts / sizeof *parts, &seed);
        add_doc(ds, b, n);
    }
    /* 14 documents of 1,200 new word types each: the POS cache (8,192
     * types) is cleared and refilled between them; the cue words too */
    for (int k = 0; k < 14; k++) {
        size_t cap = 1200 * 48, n = 0;
        char *b = malloc(cap);
        if (!b) return;
        for (int i = 0; i < 1200; i++)
            n += (size_t)snprintf(b + n, cap - n, "Kx%dq%d said \"yes,\" ", k, i);
        add_doc(ds, b, n);
    }
    /* 10 documents of 1,200 new word types and the same 300 rare ones:
     * when the POS cache is full, it keeps the rare words found again
     * (types_renew) and forgets the others */
    for (int k = 0; k < 10; k++) {
        size_t cap = 1500 * 48, n = 0;
        char *b = malloc(cap);
        if (!b) return;
        for (int i = 0; i < 1500; i++) {
            if (i % 5 == 4) n += (size_t)snprintf(b + n, cap - n, "Rq%d told %d. ", i / 5, k);
            else n += (size_t)snprintf(b + n, cap - n, "Kz%dq%d said \"yes,\" ", k, i);
        }
        add_doc(ds, b, n);
    }
    /* one sentence longer than the cache: the reference path */
    size_t cap = 9000 * 12, n = 0;
    char *b = malloc(cap);
    if (!b) return;
    for (int i = 0; i < 9000; i++) n += (size_t)snprintf(b + n, cap - n, "w%d ", i % 7000);
    add_doc(ds, b, n);
}

static void load_docs(docs *ds) {
    size_t n;
    char *t = test_read_file("samples/tass-lavrov.txt", &n);
    if (t) add_doc(ds, t, n);
    gen_docs(ds);
    const char *dir = "../shared/data/polnear/dev";
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("note: %s not found; PolNeAR texts skipped\n", dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        t = test_read_file(path, &n);
        add_doc(ds, t, n);
    }
    closedir(dp);
}

static void test_api(const ws_engine *e) {
    ws_cache *c = (ws_cache *)1;
    CHECK(ws_cache_new(NULL, &c) == WS_ERR_INVALID && c == NULL, "no engine");
    CHECK(ws_cache_new(e, NULL) == WS_ERR_INVALID, "no out");
    CHECK(ws_cache_size(NULL) == 0, "size of NULL");
    ws_cache_free(NULL);
    ws_engine *e2 = NULL;
    CHECK(ws_engine_new(NULL, &e2) == WS_OK, "second engine");
    CHECK(ws_cache_new(e2, &c) == WS_OK && c, "cache of the second engine");
    ws_doc *d = (ws_doc *)1;
    CHECK(ws_analyze_cached(e, c, "He said.", 8, "x", &d) == WS_ERR_INVALID && !d,
          "a cache of another engine is refused");
    CHECK(ws_analyze_cached(e2, c, "He said.", 8, "x", &d) == WS_OK && d, "its own engine");
    ws_cache_free(c); /* the document does not keep the cache */
    CHECK(d && ws_doc_statement_count(d) == ws_doc_statement_count(d), "doc after free");
    ws_doc_free(d);
    ws_engine_free(e2);
}

/* An allocator that fails its Nth call and counts outstanding blocks. */
typedef struct oom {
    size_t calls, fail_at, blocks;
} oom;
static void *o_alloc(void *ud, size_t n) {
    oom *o = ud;
    if (++o->calls == o->fail_at) return NULL;
    void *p = malloc(n ? n : 1);
    o->blocks += p != NULL;
    return p;
}
static void *o_realloc(void *ud, void *p, size_t old, size_t n) {
    oom *o = ud;
    (void)old;
    if (++o->calls == o->fail_at) return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q && !p) o->blocks++;
    return q;
}
static void o_free(void *ud, void *p, size_t n) {
    oom *o = ud;
    (void)n;
    if (p) o->blocks--, free(p);
}

/* Every allocation of ws_cache_new failing in turn: WS_ERR_NOMEM, *out
 * NULL, nothing leaked; then an analysis through the cache still works. */
static void test_oom(void) {
    oom o = {0, 0, 0};
    ws_allocator a = {o_alloc, o_realloc, o_free, &o};
    ws_engine_options eo;
    memset(&eo, 0, sizeof eo);
    eo.allocator = &a;
    ws_engine *e = NULL;
    CHECK(ws_engine_new(&eo, &e) == WS_OK && e, "engine with a counting allocator");
    if (!e) return;
    size_t base = o.blocks, points = 0, bad = 0;
    for (size_t n = 1; n < 100; n++) {
        o.calls = 0;
        o.fail_at = n;
        ws_cache *c = (ws_cache *)&o;
        ws_status st = ws_cache_new(e, &c);
        o.fail_at = 0;
        if (st == WS_OK) {
            static const char said[] = "\"Yes,\" he said.";
            ws_doc *d = NULL;
            CHECK(ws_analyze_cached(e, c, said, strlen(said), "x", &d) == WS_OK && d &&
                      ws_doc_statement_count(d) == 1,
                  "analysis through the cache");
            ws_doc_free(d);
            ws_cache_free(c);
            break;
        }
        points++;
        bad += st != WS_ERR_NOMEM || c != NULL || o.blocks != base;
    }
    CHECK(points >= 3 && bad == 0, "ws_cache_new out of memory: %zu of %zu failures wrong",
          bad, points);
    CHECK(o.blocks == base, "blocks after the cache: %zu, before %zu", o.blocks, base);
    ws_engine_free(e);
    CHECK(o.blocks == 0, "blocks left: %zu", o.blocks);
}

/* The pipeline gives each worker (and the inline path) a cache in
 * ws_pipeline_output.cache: a work function analysing through it gives,
 * in input order, the JSON of ws_record_to_json. */
typedef struct pipe_ud {
    const docs *ds;
    size_t next, same, with_cache;
    const ws_engine *e;
} pipe_ud;

static ws_status cached_work(void *ud, const ws_engine *e, const ws_record *rec,
                             ws_pipeline_output *out) {
    (void)ud;
    out->statements = out->cache != NULL; /* reported to the writer */
    return ws_record_to_json_cached(e, out->cache, rec, WS_JSON_TEXT, &out->data, &out->len);
}

static int pipe_write(void *ud, const ws_pipeline_result *r) {
    pipe_ud *u = ud;
    size_t i = u->next++;
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.format = WS_FORMAT_TEXT;
    rec.id = "-";
    rec.data = u->ds->text[i];
    rec.len = u->ds->len[i];
    char *j = NULL;
    size_t jl = 0;
    if (ws_record_to_json(u->e, &rec, WS_JSON_TEXT, &j, &jl) == WS_OK && r->status == WS_OK &&
        r->len == jl && memcmp(r->data, j, jl) == 0)
        u->same++;
    u->with_cache += r->statements;
    ws_free(u->e, j);
    return 0;
}

static void test_pipeline(const ws_engine *e, const docs *ds) {
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        pipe_ud u = {ds, 0, 0, 0, e};
        ws_pipeline_options o;
        memset(&o, 0, sizeof o);
        o.jobs = jobs;
        o.work = cached_work;
        o.write = pipe_write;
        o.write_ud = &u;
        ws_pipeline *p = NULL;
        CHECK(ws_pipeline_new(e, &o, &p) == WS_OK && p, "pipeline, %u jobs", jobs);
        if (!p) continue;
        for (size_t i = 0; i < ds->n; i++) {
            ws_record rec;
            memset(&rec, 0, sizeof rec);
            rec.format = WS_FORMAT_TEXT;
            rec.id = "-";
            rec.data = ds->text[i];
            rec.len = ds->len[i];
            ws_pipeline_push(p, &rec);
        }
        CHECK(ws_pipeline_finish(p, NULL) == WS_OK, "finish");
        ws_pipeline_free(p);
        CHECK(u.next == ds->n && u.same == ds->n,
              "%u jobs: %zu of %zu records as ws_record_to_json", jobs, u.same, ds->n);
        CHECK(u.with_cache == ds->n, "%u jobs: %zu of %zu records had a cache", jobs,
              u.with_cache, ds->n);
    }
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK && e, "engine");
    if (!e) return TEST_REPORT();
    test_api(e);
    test_oom();
    docs *ds = calloc(1, sizeof *ds);
    if (!ds) return TEST_REPORT();
    load_docs(ds);
    size_t ok = 0;
    for (size_t i = 0; i < ds->n; i++)
        ok += run(e, NULL, ds->text[i], ds->len[i], &ds->json[i], &ds->jlen[i],
                  &ds->tags[i], &ds->ntok[i]) == 0;
    CHECK(ok == ds->n && ds->n > 70, "reference analyses: %zu of %zu", ok, ds->n);

    ws_cache *c = NULL, *c2 = NULL;
    CHECK(ws_cache_new(e, &c) == WS_OK && c, "cache");
    CHECK(ws_cache_new(e, &c2) == WS_OK && c2, "second cache");
    if (!c || !c2) return TEST_REPORT();
    size_t size = ws_cache_size(c);
    CHECK(size > ((size_t)1 << 20) && size < ((size_t)64 << 20), "cache size %zu", size);

    size_t bad = 0;
    for (size_t i = 0; i < ds->n; i++) bad += differs(e, c, ds, i);
    CHECK(bad == 0, "one cache, in order: %zu of %zu documents differ", bad, ds->n);
    CHECK(ws_pos_cache_types(c->pos) > 0, "POS word types kept across documents");
    CHECK(ws_pos_cache_kept(c->pos) >= 300, "types kept when the POS cache was full: %zu",
          ws_pos_cache_kept(c->pos));
    CHECK(ws_am_wcache_used(c->cue) > 100, "cue word cache filled: %zu",
          ws_am_wcache_used(c->cue));
    bad = 0;
    for (size_t i = ds->n; i-- > 0;) bad += differs(e, c, ds, i);
    CHECK(bad == 0, "the warm cache, reverse order: %zu documents differ", bad);
    bad = 0;
    for (size_t i = 0; i < ds->n; i++) bad += differs(e, (i & 1) ? c : c2, ds, (i * 7) % ds->n);
    CHECK(bad == 0, "two caches taking turns, shuffled: %zu documents differ", bad);
    bad = 0;
    for (size_t i = 0; i < ds->n; i += 3) {
        ws_cache *f = NULL;
        if (ws_cache_new(e, &f) != WS_OK) {
            bad++;
            continue;
        }
        bad += differs(e, f, ds, i);
        ws_cache_free(f);
    }
    CHECK(bad == 0, "a fresh cache per document: %zu documents differ", bad);
    /* every cue and role emission, fast path through the shared (warm)
     * cache against the features summed one by one */
    long ebad = 0;
    size_t checked = 0;
    for (size_t i = 0; i < ds->n; i++) {
        ws_doc *d = NULL;
        if (ws_doc_new_text(e, ds->text[i], ds->len[i], "t", &d) != WS_OK) {
            ebad++;
            continue;
        }
        d->cache = c;
        long b = ws_am_fast_check(e->models->attrib, d, 3);
        checked += b >= 0;
        ebad += b > 0 ? b : 0;
        ws_doc_free(d);
    }
    CHECK(ebad == 0 && checked > 70, "emissions through the cache: %ld differ (%zu documents)",
          ebad, checked);
    CHECK(ws_cache_size(c) == size, "the size stays fixed: %zu", ws_cache_size(c));
    test_pipeline(e, ds);
    ws_cache_free(c);
    ws_cache_free(c2);
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->text[i]);
        ws_free(e, ds->json[i]);
        free(ds->tags[i]);
    }
    free(ds);
    ws_engine_free(e);
    return TEST_REPORT();
}
