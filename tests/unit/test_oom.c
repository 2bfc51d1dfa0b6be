/*
 * test_oom.c - out-of-memory injection through the public allocator hook.
 *
 * A counting allocator fails the Nth allocation (alloc or realloc) and
 * keeps the outstanding bytes and blocks (each block carries its size in a
 * 16-byte header, so frees with size 0, as ws_free() gives, are counted
 * exactly). For N = 1, 2, ... until the whole sequence succeeds:
 *     ws_engine_new, ws_analyze(samples/tass-lavrov.txt, read at run time;
 *     then the article 64 times, and 5 prefixes of that),
 *     ws_doc_entity for every entity, ws_doc_to_json (compact with text and
 *     tokens, then pretty)
 * each failing call must return WS_ERR_NOMEM (and leave its out-pointer
 * NULL), nothing else may fail, and after everything is freed no byte or
 * block may be outstanding. A final line reports the number of allocation
 * points exercised.
 */
#include "harness.h"
#include "whosaid.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct oom_state {
    size_t calls;     /* allocations (alloc + realloc) so far */
    size_t fail_at;   /* 1-based call that fails; 0: none */
    size_t failures;  /* injected failures */
    size_t bytes, blocks;
    int bad_free;     /* a free of a pointer we never gave out */
} oom_state;

#define HDR 16
#define MAGIC 0x6f6f6d5f626c6bULL

typedef struct blk_hdr {
    uint64_t magic;
    uint64_t size;
} blk_hdr;

static int should_fail(oom_state *s) {
    s->calls++;
    if (s->fail_at && s->calls == s->fail_at) {
        s->failures++;
        return 1;
    }
    return 0;
}

static void *oom_alloc(void *ud, size_t n) {
    oom_state *s = ud;
    if (should_fail(s)) return NULL;
    if (n > SIZE_MAX - HDR) return NULL;
    blk_hdr *h = malloc(HDR + n);
    if (!h) return NULL;
    h->magic = MAGIC;
    h->size = n;
    s->bytes += n;
    s->blocks++;
    return (char *)h + HDR;
}

static void oom_free(void *ud, void *p, size_t n) {
    oom_state *s = ud;
    (void)n;
    if (!p) return;
    blk_hdr *h = (blk_hdr *)((char *)p - HDR);
    if (h->magic != MAGIC) {
        s->bad_free = 1;
        return;
    }
    h->magic = 0;
    s->bytes -= h->size;
    s->blocks--;
    free(h);
}

static void *oom_realloc(void *ud, void *p, size_t old_n, size_t new_n) {
    oom_state *s = ud;
    (void)old_n;
    if (!p) return oom_alloc(ud, new_n);
    if (should_fail(s)) return NULL; /* p stays valid, as with realloc */
    blk_hdr *h = (blk_hdr *)((char *)p - HDR);
    if (h->magic != MAGIC) {
        s->bad_free = 1;
        return NULL;
    }
    uint64_t old = h->size;
    blk_hdr *nh = realloc(h, HDR + new_n);
    if (!nh) return NULL;
    nh->size = new_n;
    s->bytes = s->bytes - old + new_n;
    return (char *)nh + HDR;
}

/* Which stage failed in one run; STAGE_NONE when everything succeeded. */
enum { STAGE_ENGINE, STAGE_ANALYZE, STAGE_ENTITY, STAGE_JSON, STAGE_PRETTY, STAGE_NONE };
static const char *stage_name[] = {"ws_engine_new", "ws_analyze", "ws_doc_entity",
                                   "ws_doc_to_json", "ws_doc_to_json(pretty)", "none"};

static void check_failure(const oom_state *s, size_t n, int stage, ws_status st) {
    CHECK(st == WS_ERR_NOMEM, "N=%zu: %s returned %d (%s), not WS_ERR_NOMEM", n,
          stage_name[stage], (int)st, ws_strerror(st));
    CHECK(s->failures == 1, "N=%zu: %s failed without an injected failure", n,
          stage_name[stage]);
}

/* Fails allocation N = 1, 2, ... of ws_engine_new until it succeeds;
 * returns the number of allocation points. */
static size_t inject_engine(void) {
    oom_state s;
    ws_allocator a = {oom_alloc, oom_realloc, oom_free, &s};
    ws_engine_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &a;
    size_t n = 1;
    for (;; n++) {
        memset(&s, 0, sizeof s);
        s.fail_at = n;
        ws_engine *e = (ws_engine *)&a; /* must be reset to NULL on failure */
        ws_status st = ws_engine_new(&o, &e);
        if (st == WS_OK) {
            ws_engine_free(e);
        } else {
            check_failure(&s, n, STAGE_ENGINE, st);
            CHECK(e == NULL, "N=%zu: engine out-pointer not NULL on failure", n);
        }
        CHECK(s.bytes == 0 && s.blocks == 0,
              "N=%zu (ws_engine_new): %zu bytes in %zu blocks leaked", n, s.bytes,
              s.blocks);
        CHECK(!s.bad_free, "N=%zu: free of a pointer not from the hook", n);
        if (st == WS_OK || n > 10000) break;
    }
    printf("test_oom: ws_engine_new: %zu allocation points exercised\n", n - 1);
    return n - 1;
}

/* One run on an engine made with the same hook, the Nth allocation after
 * the engine failing (0: none); returns the stage that failed. The doc and
 * the JSON are freed: the outstanding bytes must be the engine's again. */
static int run_doc(ws_engine *e, oom_state *s, const char *text, size_t len,
                   size_t fail_at, char **json_out, size_t *json_len) {
    size_t base_bytes = s->bytes, base_blocks = s->blocks;
    s->calls = 0;
    s->failures = 0;
    s->fail_at = fail_at;
    ws_doc *d = (ws_doc *)s; /* must be reset to NULL on failure */
    char *json = NULL, *pretty = NULL;
    size_t jlen = 0, plen = 0;
    int stage = STAGE_NONE;
    ws_status st = ws_analyze(e, text, len, "tass-lavrov", &d);
    if (st != WS_OK) {
        stage = STAGE_ANALYZE;
        CHECK(d == NULL, "N=%zu: doc out-pointer not NULL on failure", fail_at);
        d = NULL;
        goto done;
    }
    for (size_t i = 0; i < ws_doc_entity_count(d); i++) {
        ws_entity en;
        st = ws_doc_entity(d, i, &en);
        if (st != WS_OK) {
            stage = STAGE_ENTITY;
            goto done;
        }
    }
    st = ws_doc_to_json(d, WS_JSON_TEXT | WS_JSON_TOKENS, &json, &jlen);
    if (st != WS_OK) {
        stage = STAGE_JSON;
        goto done;
    }
    st = ws_doc_to_json(d, WS_JSON_PRETTY, &pretty, &plen);
    if (st != WS_OK) {
        stage = STAGE_PRETTY;
        goto done;
    }
done:
    if (stage != STAGE_NONE) check_failure(s, fail_at, stage, st);
    if (json_out && json) {
        *json_out = malloc(jlen + 1);
        if (*json_out) memcpy(*json_out, json, jlen + 1);
        *json_len = jlen;
    }
    ws_free(e, json);
    ws_free(e, pretty);
    ws_doc_free(d);
    s->fail_at = 0;
    CHECK(s->bytes == base_bytes && s->blocks == base_blocks,
          "N=%zu (failed in %s): %zu bytes in %zu blocks leaked", fail_at,
          stage_name[stage], s->bytes - base_bytes, s->blocks - base_blocks);
    CHECK(!s->bad_free, "N=%zu: free of a pointer not from the hook", fail_at);
    return stage;
}

/* Runs the injection loop on one text; returns the allocation points. */
static size_t inject_all(const char *label, const char *text, size_t len) {
    oom_state s;
    memset(&s, 0, sizeof s);
    ws_allocator a = {oom_alloc, oom_realloc, oom_free, &s};
    ws_engine_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &a;
    ws_engine *e = NULL;
    CHECK(ws_engine_new(&o, &e) == WS_OK, "%s: ws_engine_new failed", label);
    if (!e) return 0;

    /* A run with no failure: the reference output and the number of
     * allocations the whole sequence makes. */
    char *ref = NULL, *got = NULL;
    size_t ref_len = 0, got_len = 0;
    int stage = run_doc(e, &s, text, len, 0, &ref, &ref_len);
    CHECK(stage == STAGE_NONE, "%s: the run without failures failed in %s",
          label, stage_name[stage]);
    size_t total = s.calls;
    CHECK(total > 0, "%s: no allocation went through the hook", label);

    size_t per_stage[STAGE_NONE + 1] = {0};
    size_t n = 1;
    for (;; n++) {
        stage = run_doc(e, &s, text, len, n, NULL, NULL);
        per_stage[stage]++;
        if (stage == STAGE_NONE) break;
        if (n > total + 10) {
            CHECK(0, "%s: still failing after %zu allocations", label, n);
            break;
        }
    }
    CHECK(n == total + 1, "%s: the sequence succeeded at N=%zu, expected %zu",
          label, n, total + 1);
    /* After the failures, the output is the same as without them. */
    run_doc(e, &s, text, len, 0, &got, &got_len);
    CHECK(ref && got && ref_len == got_len && memcmp(ref, got, ref_len) == 0,
          "%s: output differs between runs", label);
    ws_engine_free(e);
    CHECK(s.bytes == 0 && s.blocks == 0, "%s: %zu bytes in %zu blocks leaked",
          label, s.bytes, s.blocks);
    printf("test_oom: %s: %zu allocation points exercised (ws_analyze %zu, "
           "ws_doc_entity %zu, ws_doc_to_json %zu + %zu)\n",
           label, n - 1, per_stage[STAGE_ANALYZE], per_stage[STAGE_ENTITY],
           per_stage[STAGE_JSON], per_stage[STAGE_PRETTY]);
    free(ref);
    free(got);
    return n - 1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "samples/tass-lavrov.txt";
    size_t len = 0;
    char *text = test_read_file(path, &len);
    CHECK(text != NULL, "cannot read %s", path);
    if (!text) return TEST_REPORT();
    size_t points = inject_engine();
    points += inject_all(path, text, len);

    /* The same article 64 times, one paragraph each: the arena grows
     * through more chunks and the JSON buffer through more reallocations. */
    enum { REPEAT = 64 };
    char *big = malloc(REPEAT * (len + 1));
    CHECK(big != NULL, "out of memory building the long text");
    if (big) {
        size_t blen = 0;
        for (int k = 0; k < REPEAT; k++) {
            memcpy(big + blen, text, len);
            blen += len;
            big[blen++] = '\n';
        }
        points += inject_all("article x64", big, blen);
        /* Prefixes of it: the arena's chunks fill up at other places, so
         * the failures land in other stages of the pipeline. */
        enum { CUTS = 6 };
        for (int k = 1; k < CUTS; k++) {
            char label[64];
            size_t cut = blen / CUTS * (size_t)k;
            snprintf(label, sizeof label, "article x64, first %zu bytes", cut);
            points += inject_all(label, big, cut);
        }
        free(big);
    }
    printf("test_oom: %zu allocation points in all\n", points);
    free(text);
    return TEST_REPORT();
}
