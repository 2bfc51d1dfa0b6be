/*
 * test_pool.c - the pool of arena chunks a ws_cache keeps across documents
 * (ws_doc_free_cached, src/mem.c):
 *   - the arena level: released chunks go to the pool up to its bound
 *     (chunks over half the bound and chunks past it are freed), a new
 *     chunk is the smallest pooled one that is large enough, the pool
 *     drains to nothing, and every byte allocated is freed once (a
 *     counting allocator);
 *   - the document level: documents analysed through one cache and freed
 *     with ws_doc_free_cached give byte for byte the JSON of ws_analyze,
 *     in order, in reverse, and after a document too large for the pool;
 *     the pool never holds more than its bound; a document analysed again
 *     through a warm cache takes no new memory from the allocator for its
 *     arena; ws_doc_free_cached with NULL or another engine's cache is
 *     ws_doc_free; nothing leaks when the engine and cache are freed.
 */
#include "doc.h"
#include "harness.h"

#include <stdlib.h>

/* A counting allocator: live allocations and bytes, calls to alloc. */
typedef struct counter {
    long live, allocs;
    size_t bytes;
} counter;

static void *c_alloc(void *ud, size_t n) {
    counter *c = ud;
    size_t *p = malloc(n + 16);
    if (!p) return NULL;
    p[0] = n;
    c->live++;
    c->allocs++;
    c->bytes += n;
    return (char *)p + 16;
}
static void c_free(void *ud, void *p, size_t n) {
    counter *c = ud;
    (void)n;
    if (!p) return;
    size_t *h = (size_t *)((char *)p - 16);
    c->live--;
    c->bytes -= h[0];
    free(h);
}
static void *c_realloc(void *ud, void *p, size_t old_n, size_t new_n) {
    counter *c = ud;
    (void)old_n;
    if (!p) return c_alloc(ud, new_n);
    size_t *h = (size_t *)((char *)p - 16);
    size_t was = h[0];
    size_t *q = realloc(h, new_n + 16);
    if (!q) return NULL;
    q[0] = new_n;
    c->bytes = c->bytes - was + new_n;
    return (char *)q + 16;
}

static size_t pool_chunks(const ws_arena_pool *p) {
    size_t n = 0;
    struct chunk_view { struct chunk_view *next; size_t size; };
    for (const struct chunk_view *c = (const void *)p->free; c; c = c->next) n++;
    return n;
}

static void test_arena_level(void) {
    counter cnt = {0, 0, 0};
    ws_allocator al = {c_alloc, c_realloc, c_free, &cnt};
    ws_mem mem;
    ws_mem_init(&mem, &al);
    ws_arena_pool pool = {NULL, 0, (size_t)1 << 20};

    /* an arena of three chunks: 64 KB, 128 KB, then one of 600 KB */
    ws_arena a;
    ws_arena_init(&a, &mem);
    a.pool = &pool;
    char *p1 = ws_arena_alloc(&a, 1000);
    CHECK(p1 != NULL, "first allocation");
    memset(p1, 'x', 1000);
    CHECK(ws_arena_alloc(&a, 100 * 1024) != NULL, "second chunk");
    CHECK(ws_arena_alloc(&a, 600 * 1024) != NULL, "third, over half the bound");
    CHECK(cnt.live == 3, "three chunks: %ld", cnt.live);
    ws_arena_release(&a, &pool);
    /* 64 KB and 128 KB are kept, the 600 KB chunk (> 512 KB) is freed */
    CHECK(cnt.live == 2, "two chunks kept: %ld", cnt.live);
    CHECK(pool_chunks(&pool) == 2, "two in the pool: %zu", pool_chunks(&pool));
    CHECK(pool.bytes <= pool.max_bytes, "bounded: %zu", pool.bytes);
    CHECK(pool.bytes == cnt.bytes, "pool bytes %zu = allocated %zu", pool.bytes, cnt.bytes);
    CHECK(a.head == NULL && a.used == 0 && a.cap == 0, "the arena is empty");

    /* the same pattern again takes both chunks back: no new allocation */
    long allocs = cnt.allocs;
    ws_arena_init(&a, &mem);
    a.pool = &pool;
    char *q1 = ws_arena_alloc(&a, 1000);
    CHECK(q1 == p1, "the smallest chunk comes first (same address)");
    CHECK(ws_arena_alloc(&a, 100 * 1024) != NULL, "second chunk again");
    CHECK(cnt.allocs == allocs, "no allocation: %ld new", cnt.allocs - allocs);
    CHECK(pool.free == NULL && pool.bytes == 0, "the pool is empty: %zu", pool.bytes);
    /* zeroed memory stays zeroed even from a reused chunk */
    unsigned char *z = ws_arena_calloc(&a, 4096);
    int zero = z != NULL;
    for (size_t i = 0; z && i < 4096; i++) zero &= z[i] == 0;
    CHECK(zero, "calloc from a pooled chunk is zeroed");
    ws_arena_release(&a, &pool);

    /* a larger pooled chunk serves a smaller request, all of it used */
    ws_arena_init(&a, &mem);
    a.pool = &pool;
    CHECK(ws_arena_alloc(&a, 70 * 1024) != NULL, "70 KB from the 128 KB chunk");
    CHECK(a.cap >= 128 * 1024, "the whole chunk is the arena's: %zu", a.cap);
    CHECK(pool_chunks(&pool) == 1, "the 64 KB chunk stays: %zu", pool_chunks(&pool));
    ws_arena_release(&a, &pool);

    /* the bound: many arenas released into a full pool free their chunks */
    for (int k = 0; k < 40; k++) {
        ws_arena b;
        ws_arena_init(&b, &mem);
        CHECK(ws_arena_alloc(&b, 200 * 1024) != NULL, "arena %d", k);
        ws_arena_release(&b, &pool);
        if (pool.bytes > pool.max_bytes) break;
    }
    CHECK(pool.bytes <= pool.max_bytes, "bounded after 40 arenas: %zu", pool.bytes);
    CHECK(pool.bytes == cnt.bytes, "all live memory is the pool's: %zu vs %zu",
          pool.bytes, cnt.bytes);

    /* without a pool, release is ws_arena_free */
    ws_arena_init(&a, &mem);
    CHECK(ws_arena_alloc(&a, 10) != NULL, "no pool");
    long live = cnt.live;
    ws_arena_release(&a, NULL);
    CHECK(cnt.live == live - 1, "freed: %ld", cnt.live);

    ws_arena_pool_drain(&pool, &mem);
    CHECK(pool.free == NULL && pool.bytes == 0, "drained");
    CHECK(cnt.live == 0 && cnt.bytes == 0, "nothing leaks: %ld, %zu", cnt.live, cnt.bytes);
}

/* Texts: the sample, a repeated paragraph of quotes, odd bytes. */
#define NT 5
static char *make_text(int k, size_t *len) {
    static const char *const para[] = {
        "\"We will not accept new conditions,\" Foreign Minister Sergey Lavrov "
        "told reporters on Monday. He said the talks must go on.\n",
        "According to the ministry, the deal expired. Maria Zakharova said "
        "that a note had been sent. \xE2\x80\x9CThe ball is in their court,"
        "\xE2\x80\x9D she added.\n",
        "Ms. Smith, a senior official, said: \"It is over.\" \xFF\xFE odd "
        "bytes \xC3\xA9t\xC3\xA9 caf\xC3\xA9.\n"};
    size_t reps = k == 3 ? 4000 : (size_t)(k + 1) * 3; /* k == 3: ~520 KB */
    size_t cap = reps * 200 + 1;
    char *s = malloc(cap);
    if (!s) return NULL;
    size_t n = 0;
    for (size_t r = 0; r < reps; r++) {
        const char *p = para[(r + (size_t)k) % 3];
        size_t m = strlen(p);
        if (n + m >= cap) break;
        memcpy(s + n, p, m);
        n += m;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static char *json_of(const ws_engine *e, ws_cache *c, const char *t, size_t n,
                     size_t *jl) {
    ws_doc *d = NULL;
    ws_status st = c ? ws_analyze_cached(e, c, t, n, "p", &d) : ws_analyze(e, t, n, "p", &d);
    if (st != WS_OK) return NULL;
    char *j = NULL;
    st = ws_doc_to_json(d, 0, &j, jl);
    ws_doc_free_cached(c, d);
    return st == WS_OK ? j : NULL;
}

static void test_doc_level(void) {
    counter cnt = {0, 0, 0};
    ws_allocator al = {c_alloc, c_realloc, c_free, &cnt};
    ws_engine_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &al;
    ws_engine *e = NULL, *e2 = NULL;
    CHECK(ws_engine_new(&o, &e) == WS_OK, "engine");
    CHECK(ws_engine_new(NULL, &e2) == WS_OK, "second engine");
    if (!e || !e2) return;
    ws_cache *c = NULL;
    CHECK(ws_cache_new(e, &c) == WS_OK, "cache");
    if (!c) return;
    CHECK(ws_cache_size(c) >= WS_CACHE_POOL_BYTES, "the size counts the pool's bound");
    size_t size0 = ws_cache_size(c);

    char *text[NT], *ref[NT];
    size_t len[NT], rlen[NT];
    for (int k = 0; k < NT; k++) {
        text[k] = make_text(k, &len[k]);
        ref[k] = text[k] ? json_of(e, NULL, text[k], len[k], &rlen[k]) : NULL;
        CHECK(ref[k] != NULL, "reference %d", k);
    }
    /* in order, in reverse, in order again; the big text (k == 3) does
     * not fit the pool and its chunks are freed */
    static const int order[] = {0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 1, 2, 4};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int k = order[i];
        if (!ref[k]) continue;
        size_t jl = 0;
        char *j = json_of(e, c, text[k], len[k], &jl);
        CHECK(j && jl == rlen[k] && memcmp(j, ref[k], jl) == 0,
              "document %d (step %zu) is byte-identical", k, i);
        ws_free(e, j);
        CHECK(c->pool.bytes <= WS_CACHE_POOL_BYTES, "bounded: %zu", c->pool.bytes);
        CHECK(c->pool.bytes > 0, "the pool keeps chunks (step %zu)", i);
    }
    CHECK(ws_cache_size(c) == size0, "the size stays fixed");

    /* warm: the same document again takes no arena memory from the
     * allocator (only the ws_doc itself and the JSON buffer) */
    if (ref[1]) {
        size_t jl = 0;
        char *j = json_of(e, c, text[1], len[1], &jl);
        ws_free(e, j);
        long before = cnt.allocs;
        ws_doc *d = NULL;
        CHECK(ws_analyze_cached(e, c, text[1], len[1], "p", &d) == WS_OK, "warm analysis");
        long during = cnt.allocs - before;
        CHECK(during <= 1, "only the ws_doc is allocated: %ld allocations", during);
        ws_doc_free_cached(c, d);
    }

    /* NULL cache and another engine's cache: plain ws_doc_free */
    ws_cache *c2 = NULL;
    CHECK(ws_cache_new(e2, &c2) == WS_OK, "cache of the second engine");
    if (ref[0]) {
        ws_doc *d = NULL;
        CHECK(ws_analyze(e, text[0], len[0], "p", &d) == WS_OK, "analysis");
        size_t pb = c->pool.bytes;
        ws_doc_free_cached(c2, d);
        CHECK(c2 && c2->pool.bytes == 0, "another engine's cache takes nothing");
        CHECK(c->pool.bytes == pb, "and ours is untouched");
        d = NULL;
        CHECK(ws_analyze(e, text[0], len[0], "p", &d) == WS_OK, "analysis");
        ws_doc_free_cached(NULL, d);
        ws_doc_free_cached(c, NULL); /* no-op */
    }
    ws_cache_free(c2);
    ws_cache_free(c);
    for (int k = 0; k < NT; k++) {
        ws_free(e, ref[k]);
        free(text[k]);
    }
    ws_engine_free(e);
    ws_engine_free(e2);
    CHECK(cnt.live == 0, "nothing leaks: %ld allocations live", cnt.live);
}

int main(void) {
    test_arena_level();
    test_doc_level();
    return TEST_REPORT();
}
