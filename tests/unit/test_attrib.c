/*
 * test_attrib.c - the trained attribution tagger and the merge step:
 * model blob validation, Viterbi constraints, statements in bounds, and the
 * merge of rule and model statements.
 */
#include "attrib/attrib.h"
#include "attrib/model.h"
#include "model/blobs.h"
#include "model/models.h"

#include "harness.h"

#include <stdlib.h>
#include <string.h>

static ws_status load_copy(const unsigned char *p, size_t n) {
    ws_mem mem;
    ws_mem_init(&mem, NULL);
    unsigned char *copy = malloc(n ? n : 1);
    if (n) memcpy(copy, p, n);
    struct ws_attrib_model *am = NULL;
    ws_status st = ws_attrib_load_bytes(&mem, copy, n, &am);
    ws_attrib_free(&mem, am);
    free(copy);
    return st;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

/* Every corruption of the shipped blob is refused, never read past. */
static void test_blob(void) {
    const ws_blob *b = ws_blob_find("attrib");
    CHECK(b != NULL, "attrib blob compiled in");
    if (!b) return;
    CHECK(load_copy(b->data, b->size) == WS_OK, "shipped blob loads");
    CHECK(load_copy(b->data, 0) == WS_ERR_MODEL, "empty");
    CHECK(load_copy(b->data, 7) == WS_ERR_MODEL, "header cut");
    size_t cuts[] = {8, 12, 20, 100, 1000, b->size / 2, b->size - 4, b->size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
        CHECK(load_copy(b->data, cuts[i]) == WS_ERR_MODEL, "truncated at %zu", cuts[i]);
    unsigned char *m = malloc(b->size + 4);
    memcpy(m, b->data, b->size);
    memset(m + b->size, 0, 4);
    CHECK(load_copy(m, b->size + 4) == WS_ERR_MODEL, "trailing bytes");
    m[0] = 'X';
    CHECK(load_copy(m, b->size) == WS_ERR_MODEL, "bad magic");
    memcpy(m, b->data, b->size);
    put32(m + 4, 99);
    CHECK(load_copy(m, b->size) == WS_ERR_MODEL, "bad version");
    memcpy(m, b->data, b->size);
    put32(m + 8, 9);
    CHECK(load_copy(m, b->size) == WS_ERR_MODEL, "bad tag count");
    memcpy(m, b->data, b->size);
    put32(m + 12, 0xFFFFFFF0u);
    CHECK(load_copy(m, b->size) == WS_ERR_MODEL, "row count beyond the blob");
    /* first row's bucket id: after 3 u32 + (3 + 1) * 3 transitions */
    memcpy(m, b->data, b->size);
    put32(m + 8 + 12 + 48, WS_AM_BUCKETS);
    CHECK(load_copy(m, b->size) == WS_ERR_MODEL, "bucket out of range");
    free(m);
}

static int bio_ok(const uint8_t *tags, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        if (tags[i] == 0 || tags[i] % 2 == 1) continue;
        if (i == 0 || (tags[i - 1] != tags[i] - 1 && tags[i - 1] != tags[i])) return 0;
    }
    return 1;
}

/* Viterbi never outputs an I tag without its B, whatever the scores. */
static void test_viterbi(void) {
    float trans[(WS_AM_MAXTAGS + 1) * WS_AM_MAXTAGS] = {0};
    ws_am_weights w = {WS_ROLE_NTAGS, NULL, NULL, trans};
    float emit[64 * WS_ROLE_NTAGS], sc[64 * WS_ROLE_NTAGS];
    uint8_t bp[64 * WS_ROLE_NTAGS], tags[64];
    unsigned seed = 12345;
    w.dense = emit; /* non-NULL selects the dense transition layout */
    int ok = 1;
    for (int round = 0; round < 200; round++) {
        uint32_t n = 1 + (uint32_t)(round % 64);
        for (uint32_t i = 0; i < n * WS_ROLE_NTAGS; i++) {
            seed = seed * 1103515245u + 12345u;
            emit[i] = (float)((seed >> 16) % 200) - 100.0f;
            if (i % WS_ROLE_NTAGS == WS_ROLE_IS || i % WS_ROLE_NTAGS == WS_ROLE_IC)
                emit[i] += 150.0f; /* tempt the decoder with I tags */
        }
        ws_am_viterbi(&w, emit, n, sc, bp, tags);
        ok &= bio_ok(tags, n);
    }
    CHECK(ok, "BIO constraint holds on random scores");
    /* A clear best path is found. */
    for (uint32_t i = 0; i < 4 * WS_ROLE_NTAGS; i++) emit[i] = 0;
    emit[0 * WS_ROLE_NTAGS + WS_ROLE_BS] = 10;
    emit[1 * WS_ROLE_NTAGS + WS_ROLE_IS] = 10;
    emit[2 * WS_ROLE_NTAGS + WS_ROLE_O] = 10;
    emit[3 * WS_ROLE_NTAGS + WS_ROLE_BC] = 10;
    ws_am_viterbi(&w, emit, 4, sc, bp, tags);
    CHECK(tags[0] == WS_ROLE_BS && tags[1] == WS_ROLE_IS && tags[2] == WS_ROLE_O &&
              tags[3] == WS_ROLE_BC,
          "best path %d %d %d %d", tags[0], tags[1], tags[2], tags[3]);
}

static int span_ok(ws_span s, size_t n) { return s.start <= s.end && s.end <= n; }

static void test_statements(ws_engine *e) {
    const char *text =
        "Officials said on Monday that the bridge would reopen in May.\n\n"
        "The mayor told reporters the repairs had cost more than planned.\n";
    size_t n = strlen(text);
    ws_doc *d = NULL;
    CHECK(ws_analyze(e, text, n, "t", &d) == WS_OK, "analyze");
    if (!d) return;
    size_t k = ws_doc_statement_count(d);
    CHECK(k == 2, "two statements, got %zu", k);
    for (size_t i = 0; i < k; i++) {
        ws_statement s;
        CHECK(ws_doc_statement(d, i, &s) == WS_OK, "statement %zu", i);
        CHECK(span_ok(s.cue, n) && s.cue.end > s.cue.start, "cue in bounds");
        CHECK(span_ok(s.source, n), "source in bounds");
        CHECK(s.n_content >= 1, "content");
        for (size_t j = 0; j < s.n_content; j++) CHECK(span_ok(s.content[j], n), "content in bounds");
    }
    ws_statement s;
    if (k == 2 && ws_doc_statement(d, 1, &s) == WS_OK) {
        CHECK(s.addressee.end - s.addressee.start == 9 &&
                  memcmp(text + s.addressee.start, "reporters", 9) == 0,
              "addressee of told");
        CHECK(memcmp(text + s.cue.start, "told", 4) == 0, "cue told");
    }
    ws_doc_free(d);
}

/* A rule statement and a model statement with the same cue merge into
 * one, the rule's spans kept and the model's source filled in. */
static void test_merge(ws_engine *e) {
    const char *text = "\"We will wait,\" the spokesman said on Friday.";
    ws_doc *d = NULL;
    CHECK(ws_doc_new_text(e, text, strlen(text), "m", &d) == WS_OK, "prepare");
    if (!d) return;
    ws_stmt rule, model;
    memset(&rule, 0, sizeof rule);
    rule.origin = WS_ORIGIN_RULE;
    rule.entity = -1;
    rule.n_content = 1;
    rule.content[0] = (ws_sp){1, 13};
    rule.cue = (ws_sp){30, 34};
    model = rule;
    model.origin = WS_ORIGIN_MODEL;
    model.content[0] = (ws_sp){0, 14};
    model.source = (ws_sp){16, 29};
    CHECK(WS_VEC_PUSH(&d->arena, d->stmts, model) == 0, "push");
    CHECK(WS_VEC_PUSH(&d->arena, d->stmts, rule) == 0, "push");
    CHECK(ws_attrib_finish(e, d) == WS_OK, "finish");
    CHECK(d->stmts.n == 1, "merged into one, got %zu", d->stmts.n);
    if (d->stmts.n == 1) {
        const ws_stmt *s = &d->stmts.v[0];
        CHECK(s->origin == WS_ORIGIN_RULE, "rule kept");
        CHECK(s->content[0].start == 1 && s->content[0].end == 13, "rule content kept");
        CHECK(s->source.start == 16 && s->source.end == 29, "model source filled in");
        CHECK(s->type == WS_QUOTE_DIRECT, "typed direct");
    }
    ws_doc_free(d);
}

/* ws_attrib_finish() leaves statements in document order (by cue or first
 * content, whichever comes first), whatever order the stages added them. */
static void test_order(ws_engine *e) {
    const char *text = "Lavrov said \"no\". Ann Lee told \"yes\". He said it.";
    ws_doc *d = NULL;
    CHECK(ws_doc_new_text(e, text, strlen(text), "o", &d) == WS_OK, "prepare");
    if (!d) return;
    uint32_t cues[3][2] = {{26, 30}, {41, 45}, {7, 11}};
    uint32_t cons[3][2] = {{32, 35}, {46, 48}, {13, 15}};
    uint32_t srcs[3][2] = {{18, 25}, {38, 40}, {0, 6}};
    for (int i = 0; i < 3; i++) {
        ws_stmt s;
        memset(&s, 0, sizeof s);
        s.origin = WS_ORIGIN_MODEL;
        s.entity = -1;
        s.cue = (ws_sp){cues[i][0], cues[i][1]};
        s.source = (ws_sp){srcs[i][0], srcs[i][1]};
        s.n_content = 1;
        s.content[0] = (ws_sp){cons[i][0], cons[i][1]};
        CHECK(WS_VEC_PUSH(&d->arena, d->stmts, s) == 0, "push");
    }
    CHECK(ws_attrib_finish(e, d) == WS_OK, "finish");
    CHECK(d->stmts.n == 3 && d->stmts.v[0].cue.start == 7 && d->stmts.v[1].cue.start == 26 &&
              d->stmts.v[2].cue.start == 41,
          "document order");
    ws_doc_free(d);
}

/* Far apart statements are never merged, and many statements stay fast. */
static void test_merge_many(ws_engine *e) {
    size_t reps = 3000;
    const char *para = "The minister said the talks went well. \"We agree,\" he added.\n\n";
    size_t pl = strlen(para);
    char *text = malloc(pl * reps + 1);
    for (size_t i = 0; i < reps; i++) memcpy(text + i * pl, para, pl);
    text[pl * reps] = 0;
    ws_doc *d = NULL;
    CHECK(ws_analyze(e, text, pl * reps, "many", &d) == WS_OK, "analyze many");
    CHECK(d && ws_doc_statement_count(d) == 2 * reps, "two statements per paragraph, got %zu",
          d ? ws_doc_statement_count(d) : 0);
    ws_doc_free(d);
    free(text);
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    test_blob();
    test_viterbi();
    if (e) {
        test_statements(e);
        test_merge(e);
        test_order(e);
        test_merge_many(e);
    }
    ws_engine_free(e);
    return TEST_REPORT();
}
