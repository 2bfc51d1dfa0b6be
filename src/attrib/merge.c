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
#include "lex_index.h"
#include "../model/pos.h"

#include <stdlib.h>

#ifndef WS_MERGE_CHECKS
#define WS_MERGE_CHECKS 0x15u /* see check_model(); 2 and 8 cost F1 on PolNeAR dev */
#endif

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

/* Removes the content segments of model statement m that lie inside the
 * content of a rule statement r with another cue: a quotation the rules
 * attributed elsewhere. Returns 1 when nothing is left. */
static int trim_foreign(ws_stmt *m, const ws_stmt *r) {
    uint8_t k = 0;
    for (uint8_t i = 0; i < m->n_content; i++) {
        int inside = 0;
        for (uint8_t j = 0; j < r->n_content && !inside; j++)
            inside = m->content[i].start < r->content[j].end &&
                     r->content[j].start < m->content[i].end;
        if (!inside) m->content[k++] = m->content[i];
    }
    m->n_content = k;
    return k == 0;
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
    for (size_t i = 0; i < n; i++) {
        if (v[i].origin != WS_ORIGIN_RULE) continue;
        for (size_t j = i; j-- > 0 && !far_apart(&v[i], &v[j]);)
            if (!dead[j] && v[j].origin == WS_ORIGIN_MODEL) dead[j] = (uint8_t)trim_foreign(&v[j], &v[i]);
        for (size_t j = i + 1; j < n && !far_apart(&v[i], &v[j]); j++)
            if (!dead[j] && v[j].origin == WS_ORIGIN_MODEL) dead[j] = (uint8_t)trim_foreign(&v[j], &v[i]);
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

/* ---- checks on model statements ------------------------------------- */

static int is_be(const ws_text *t, uint32_t i) {
    static const char *const be[] = {"was", "were", "is", "are", "been", "being", "be", NULL};
    for (int k = 0; be[k]; k++)
        if (ws_tok_ieq(t, i, be[k])) return 1;
    return 0;
}

/* "He was told ...": the subject of a passive cue is its hearer. */
static int passive_cue(const ws_text *t, const ws_stmt *s) {
    uint32_t first = ws_tok_after(t, s->cue.start), last = ws_tok_after(t, s->cue.end);
    if (last == 0 || last <= first) return 0;
    last--;
    if (t->toks.v[last].pos != WS_POS_VBN && t->toks.v[last].pos != WS_POS_VBD)
        return 0;
    for (uint32_t i = first > 0 ? first - 1 : 0; i < last; i++)
        if (is_be(t, i)) return 1;
    return 0;
}

/* "told him to leave": an order, not a statement. */
static int order_not_speech(const ws_text *t, const ws_stmt *s) {
    if (s->n_content == 0) return 0;
    uint32_t i = ws_tok_after(t, s->content[0].start);
    return i + 1 < t->toks.n && ws_tok_ieq(t, i, "to") &&
           t->toks.v[i + 1].pos == WS_POS_VB;
}

/* A cue on a proper noun ("Russian Foreign Minister") is a tagging slip. */
static int proper_noun_cue(const ws_text *t, const ws_stmt *s) {
    uint32_t c = s->cue_tok;
    return c < t->toks.n && WS_POS_IS_PROPER(t->toks.v[c].pos) &&
           !(t->toks.v[c].flags & WS_TF_SENT_START);
}

/* Content of one or two words with no verb, pronoun or quotation:
 * "answered questions". */
static int bare_content(const ws_text *t, const ws_stmt *s) {
    if (s->n_content != 1) return 0;
    uint32_t a = ws_tok_after(t, s->content[0].start), b = ws_tok_after(t, s->content[0].end);
    if (b - a > 2) return 0;
    for (uint32_t i = a; i < b; i++) {
        unsigned p = t->toks.v[i].pos;
        if (WS_POS_IS_VERB(p) || p == WS_POS_PRP || t->toks.v[i].qdepth) return 0;
    }
    return 1;
}

/* Is any token of the cue a reporting verb of the cue lexicon? */
static int lexicon_cue(const ws_text *t, const ws_stmt *s) {
    for (uint32_t i = ws_tok_after(t, s->cue.start); i < t->toks.n && t->toks.v[i].start < s->cue.end; i++)
        if (ws_lex_tok(t, i)->cue & WS_CUE_VERB) return 1;
    return 0;
}

/* Only a few words of content, some of them quoted, with no source; or
 * all of them quoted, with a cue that is no reporting verb: a nickname or a
 * title ("known as \"the Bulldozer\""). */
static int quoted_fragment(const ws_text *t, const ws_stmt *s) {
    uint32_t words = 0, quoted = 0;
    for (uint8_t k = 0; k < s->n_content; k++) {
        uint32_t a = ws_tok_after(t, s->content[k].start), b = ws_tok_after(t, s->content[k].end);
        for (uint32_t i = a; i < b; i++) {
            if (t->toks.v[i].kind != WS_TOK_WORD) continue;
            words++;
            quoted += t->toks.v[i].qdepth > 0;
        }
    }
    if (!quoted || words >= 6) return 0;
    if (s->source.end == s->source.start) return 1;
    return quoted == words && !lexicon_cue(t, s);
}

/* Drops or repairs model statements that fail a check. Returns 1 to drop. */
static int check_model(const ws_text *t, ws_stmt *s) {
    if ((WS_MERGE_CHECKS & 1u) && passive_cue(t, s) && s->source.start < s->cue.start) {
        s->source.start = s->source.end = 0;
        s->src_tok_start = s->src_tok_end = 0;
    }
    if ((WS_MERGE_CHECKS & 2u) && order_not_speech(t, s)) return 1;
    if ((WS_MERGE_CHECKS & 4u) && proper_noun_cue(t, s)) return 1;
    if ((WS_MERGE_CHECKS & 8u) && bare_content(t, s)) return 1;
    if ((WS_MERGE_CHECKS & 16u) && quoted_fragment(t, s)) return 1;
    return 0;
}

ws_status ws_attrib_finish(const ws_engine *e, ws_doc *d) {
    (void)e;
    size_t n = d->stmts.n;
    if (n == 0) return WS_OK;
    uint8_t *dead = ws_arena_calloc(&d->arena, n);
    WS_RETURN_IF(!dead, WS_ERR_NOMEM);
    WS_FORWARD_IF_ERROR(ws_lex_doc(d)); /* for ws_stmt_classify */
    qsort(d->stmts.v, n, sizeof *d->stmts.v, by_cue);
    dedupe(d, dead);
    for (size_t i = 0; i < n; i++)
        if (!dead[i] && d->stmts.v[i].origin == WS_ORIGIN_MODEL)
            dead[i] = (uint8_t)check_model(&d->text, &d->stmts.v[i]);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!dead[i]) d->stmts.v[m++] = d->stmts.v[i];
    d->stmts.n = m;
    for (size_t i = 0; i < m; i++) ws_stmt_classify(d, &d->stmts.v[i]);
    qsort(d->stmts.v, m, sizeof *d->stmts.v, by_position);
    return WS_OK;
}
