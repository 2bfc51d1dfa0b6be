/*
 * merge.c - the last attribution step: statements found by the trained
 * tagger and by the hand-written rules are merged into one list without
 * duplicates, typed (direct / indirect / mixed), given addressees, and put
 * in document order.
 *
 * When a rule statement and a model statement share a cue, or their
 * contents overlap by more than half, they describe the same statement: the
 * rule's version is kept (its spans follow quotation marks exactly), and
 * the model's source fills in when the rule found none.
 */
#include "attrib.h"

#include <stdlib.h>

static uint32_t seg_len(const ws_stmt *s) {
    uint32_t n = 0;
    for (int k = 0; k < s->n_content; k++) n += s->content[k].end - s->content[k].start;
    return n;
}

static uint32_t overlap(const ws_stmt *a, const ws_stmt *b) {
    uint32_t n = 0;
    for (int i = 0; i < a->n_content; i++)
        for (int j = 0; j < b->n_content; j++) {
            uint32_t lo = WS_MAX(a->content[i].start, b->content[j].start);
            uint32_t hi = WS_MIN(a->content[i].end, b->content[j].end);
            if (hi > lo) n += hi - lo;
        }
    return n;
}

static int spans_meet(ws_sp a, ws_sp b) {
    return a.end > a.start && b.end > b.start && a.start < b.end && b.start < a.end;
}

/* Do two statements describe the same attribution? */
static int same_statement(const ws_stmt *a, const ws_stmt *b) {
    if (spans_meet(a->cue, b->cue)) return 1;
    uint32_t ov = overlap(a, b), la = seg_len(a), lb = seg_len(b);
    return ov * 2 > WS_MIN(la, lb) && spans_meet(a->source, b->source);
}

static void absorb(ws_stmt *keep, const ws_stmt *drop) {
    if (keep->source.end == keep->source.start && drop->source.end > drop->source.start) {
        keep->source = drop->source;
        keep->src_tok_start = drop->src_tok_start;
        keep->src_tok_end = drop->src_tok_end;
    }
}

/* Two statements this far apart (cue to cue, in bytes) are never the same;
 * the bound keeps the merge linear in the document's length. */
#define NEAR_BYTES 4096u

static int far_apart(const ws_stmt *a, const ws_stmt *b) {
    uint32_t x = a->cue.start, y = b->cue.start;
    return (x > y ? x - y : y - x) > NEAR_BYTES;
}

/* Marks model statements that a rule statement covers. The statements are
 * sorted by cue position, so only neighbours are compared. */
static void dedupe(ws_doc *d, uint8_t *dead) {
    ws_stmt *v = d->stmts.v;
    size_t n = d->stmts.n;
    for (size_t i = 0; i < n; i++) {
        if (v[i].origin != WS_ORIGIN_RULE) continue;
        for (size_t j = i; j-- > 0 && !far_apart(&v[i], &v[j]);) {
            if (dead[j] || v[j].origin != WS_ORIGIN_MODEL) continue;
            if (same_statement(&v[i], &v[j])) absorb(&v[i], &v[j]), dead[j] = 1;
        }
        for (size_t j = i + 1; j < n && !far_apart(&v[i], &v[j]); j++) {
            if (dead[j] || v[j].origin != WS_ORIGIN_MODEL) continue;
            if (same_statement(&v[i], &v[j])) absorb(&v[i], &v[j]), dead[j] = 1;
        }
    }
}

static int by_cue(const void *x, const void *y) {
    const ws_stmt *a = x, *b = y;
    if (a->cue.start != b->cue.start) return a->cue.start < b->cue.start ? -1 : 1;
    return (a->origin > b->origin) - (a->origin < b->origin);
}

static uint32_t anchor(const ws_stmt *s) {
    uint32_t a = s->cue.end > s->cue.start ? s->cue.start : UINT32_MAX;
    if (s->n_content && s->content[0].start < a) a = s->content[0].start;
    return a;
}

static int by_position(const void *x, const void *y) {
    const ws_stmt *a = x, *b = y;
    uint32_t pa = anchor(a), pb = anchor(b);
    if (pa != pb) return pa < pb ? -1 : 1;
    return a->cue.start < b->cue.start ? -1 : (a->cue.start > b->cue.start);
}

ws_status ws_attrib_finish(const ws_engine *e, ws_doc *d) {
    (void)e;
    size_t n = d->stmts.n;
    if (n == 0) return WS_OK;
    uint8_t *dead = ws_arena_calloc(&d->arena, n);
    WS_RETURN_IF(!dead, WS_ERR_NOMEM);
    qsort(d->stmts.v, n, sizeof *d->stmts.v, by_cue);
    dedupe(d, dead);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!dead[i]) d->stmts.v[m++] = d->stmts.v[i];
    d->stmts.n = m;
    for (size_t i = 0; i < m; i++) ws_stmt_classify(d, &d->stmts.v[i]);
    qsort(d->stmts.v, m, sizeof *d->stmts.v, by_position);
    return WS_OK;
}
