/*
 * test_pos_lazy.c - POS tags on demand (ws_pos_tag_lazy, ws_tok_pos): the
 * engine tags a sentence only when a stage reads one of its tags. Checks,
 * on hand-made text, random text and, when the shared data is there,
 * every PolNeAR dev and train text:
 *   - the output (JSON) is byte for byte that of tagging every sentence
 *     first (ws_analyze_all_pos), with and without a per-thread cache;
 *   - every sentence marked tagged has exactly the tags of full tagging,
 *     and every other sentence has tag 0 on every token;
 *   - the rule: a sentence with a cue candidate word is tagged (the cue
 *     tagger reads it), and so is every sentence of the role window of a
 *     model statement's cue; a paragraph with no candidate, quotation
 *     mark, colon or cue word is not.
 * It prints the share of tokens tagged.
 */
#include "doc.h"
#include "harness.h"
#include "attrib/model.h"
#include "model/models.h"
#include "model/pos.h"

#include <dirent.h>
#include <stdlib.h>

typedef struct tally {
    size_t docs, toks, tagged, sents, sents_tagged;
    size_t json_diff, tag_diff, zero_diff, cand_untagged, role_untagged;
} tally;

/* Sentences of model statements' role windows that are not tagged. */
static size_t role_untagged(const ws_doc *d) {
    const ws_text *t = &d->text;
    size_t bad = 0;
    for (size_t i = 0; i < d->stmts.n; i++) {
        const ws_stmt *s = &d->stmts.v[i];
        if (s->origin != WS_ORIGIN_MODEL || s->cue_tok >= t->toks.n) continue;
        uint32_t si = t->toks.v[s->cue_tok].sent;
        const ws_paragraph *p = &t->paras.v[t->sents.v[si].para];
        /* the cue's sentence and the one before it (in its paragraph) */
        bad += !t->sent_tagged[si];
        if (si > p->sent_start) bad += !t->sent_tagged[si - 1];
    }
    return bad;
}

/* Sentences with a cue candidate that are not tagged. */
static size_t cand_untagged(const ws_engine *e, ws_doc *d) {
    const ws_text *t = &d->text;
    ws_am_toks k; /* the words as the cue tagger hashes them */
    if (ws_am_toks_build(&d->arena, t, &k) != WS_OK) return SIZE_MAX;
    size_t bad = 0;
    for (size_t s = 0; s < t->sents.n; s++) {
        const ws_sentence *se = &t->sents.v[s];
        for (uint32_t i = se->tok_start; i < se->tok_end; i++)
            if (ws_am_is_cand(e->models->attrib, k.wh[i])) {
                bad += !t->sent_tagged[s];
                break;
            }
    }
    return bad;
}

/* Analyses text on demand (through cache c, or none) and with every
 * sentence tagged, and compares. */
static void compare(const ws_engine *e, ws_cache *c, const char *text, size_t len,
                    tally *y) {
    ws_doc *lz = NULL, *full = NULL;
    ws_status s1 = c ? ws_analyze_cached(e, c, text, len, "t", &lz)
                     : ws_analyze(e, text, len, "t", &lz);
    ws_status s2 = ws_analyze_all_pos(e, c, text, len, "t", &full);
    if (s1 != WS_OK || s2 != WS_OK) {
        CHECK(0, "analysis failed: %d %d", (int)s1, (int)s2);
        ws_doc_free(lz);
        ws_doc_free(full);
        return;
    }
    char *j1 = NULL, *j2 = NULL;
    size_t l1 = 0, l2 = 0;
    if (ws_doc_to_json(lz, 0, &j1, &l1) != WS_OK || ws_doc_to_json(full, 0, &j2, &l2) != WS_OK ||
        l1 != l2 || memcmp(j1, j2, l1) != 0)
        y->json_diff++;
    ws_free(e, j1);
    ws_free(e, j2);
    const ws_text *t = &lz->text, *f = &full->text;
    y->docs++;
    y->toks += t->toks.n;
    y->sents += t->sents.n;
    CHECK(!t->pos_lazy && !f->pos_lazy, "the tagger is detached after the analysis");
    for (size_t s = 0; s < t->sents.n; s++) {
        const ws_sentence *se = &t->sents.v[s];
        int tagged = !t->sent_tagged || t->sent_tagged[s];
        y->sents_tagged += tagged;
        for (uint32_t i = se->tok_start; i < se->tok_end; i++) {
            y->tagged += tagged;
            if (tagged) y->tag_diff += t->toks.v[i].pos != f->toks.v[i].pos || !f->toks.v[i].pos;
            else y->zero_diff += t->toks.v[i].pos != 0;
        }
    }
    if (t->sent_tagged) {
        y->cand_untagged += cand_untagged(e, lz);
        y->role_untagged += role_untagged(lz);
    }
    ws_doc_free(lz);
    ws_doc_free(full);
}

static void expect_clean(const tally *y, const char *what) {
    CHECK(y->docs > 0 && y->json_diff == 0, "%s: %zu of %zu outputs differ", what,
          y->json_diff, y->docs);
    CHECK(y->tag_diff == 0, "%s: %zu tagged tokens differ from full tagging", what, y->tag_diff);
    CHECK(y->zero_diff == 0, "%s: %zu tokens of untagged sentences have a tag", what,
          y->zero_diff);
    CHECK(y->cand_untagged == 0, "%s: %zu sentences with a cue candidate untagged", what,
          y->cand_untagged);
    CHECK(y->role_untagged == 0, "%s: %zu role-window sentences untagged", what,
          y->role_untagged);
}

/* Which sentences a small text gets tagged. */
static void test_rule(const ws_engine *e) {
    /* cue candidates are common words ("the", "was", "on"...): these
     * three sentences have none */
    const char *text =
        "Sunny skies, warm winds.\n\n"
        "Lavrov said on Monday that the talks were useful.\n\n"
        "Blue river, green trees. Sports and weather.";
    ws_doc *d = NULL;
    CHECK(ws_analyze(e, text, strlen(text), "t", &d) == WS_OK && d, "analyze");
    if (!d) return;
    const ws_text *t = &d->text;
    CHECK(t->sents.n == 4 && t->sent_tagged, "4 sentences, tagged on demand (%zu)", t->sents.n);
    if (t->sents.n == 4 && t->sent_tagged) {
        CHECK(!t->sent_tagged[0], "a paragraph with no cue candidate is not tagged");
        CHECK(t->sent_tagged[1], "the sentence of \"said\" is tagged");
        CHECK(!t->sent_tagged[2] && !t->sent_tagged[3], "nor is the last paragraph");
        CHECK(t->toks.v[t->sents.v[1].tok_start].pos == WS_POS_NNP, "Lavrov: NNP");
        for (uint32_t i = 0; i < t->toks.n; i++)
            if (!t->sent_tagged[t->toks.v[i].sent]) CHECK(t->toks.v[i].pos == 0, "tag 0");
    }
    ws_doc_free(d);
    /* the training tools' path tags everything */
    CHECK(ws_doc_new_text(e, text, strlen(text), "t", &d) == WS_OK && d, "text only");
    if (!d) return;
    size_t zero = 0;
    for (uint32_t i = 0; i < d->text.toks.n; i++) zero += !d->text.toks.v[i].pos;
    CHECK(zero == 0 && !d->text.pos_lazy, "ws_doc_new_text: %zu tokens untagged", zero);
    ws_doc_free(d);
}

/* Hand-made and random texts, with and without a cache. */
static void test_texts(const ws_engine *e, ws_cache *c) {
    static const char *const docs[] = {
        "",
        "said",
        "No sentence end here",
        "\"We will not allow it,\" he told reporters. The ministry declined to comment.\n\n"
        "Russian Foreign Minister Sergey Lavrov said on Monday that the talks were "
        "useful, according to a statement. Residents: \"It is over.\" Lawyers for "
        "the family, speaking to reporters, argued the case was closed.",
    };
    tally y;
    memset(&y, 0, sizeof y);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        compare(e, c, docs[i], strlen(docs[i]), &y);
    static const char *const parts[] = {
        "\xE2\x80\x9C", "\xE2\x80\x9D", "\"", " ", " ", "\n\n", "Said", "said", "told",
        "the", ".", ",", ":", "U.S.", "Lavrov", "he", "according to", "reporters", "Boats",
        "running", "was", "Residents", "-", "2016", "X", "\xFF"};
    unsigned long long seed = 4242;
    char buf[2500];
    for (int r = 0; r < 300; r++) {
        size_t n = test_fill_pieces(buf, sizeof buf, parts, sizeof parts / sizeof *parts, &seed);
        compare(e, c, buf, n, &y);
    }
    expect_clean(&y, c ? "texts, cache" : "texts");
}

/* Every text of a PolNeAR directory, when the shared data is there. */
static void test_dir(const ws_engine *e, ws_cache *c, const char *dir) {
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("note: %s not found; comparison skipped\n", dir);
        return;
    }
    tally y;
    memset(&y, 0, sizeof y);
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t n = 0;
        char *text = test_read_file(path, &n);
        if (!text) continue;
        compare(e, c, text, n, &y);
        free(text);
    }
    closedir(dp);
    expect_clean(&y, dir);
    CHECK(y.tagged < y.toks, "%s: some sentence is left untagged", dir);
    printf("%s: %zu texts, %zu of %zu tokens tagged (%.1f%%), %zu of %zu sentences\n", dir,
           y.docs, y.tagged, y.toks, y.toks ? 100.0 * (double)y.tagged / (double)y.toks : 0.0,
           y.sents_tagged, y.sents);
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK && e, "engine");
    if (!e) return TEST_REPORT();
    ws_cache *c = NULL;
    CHECK(ws_cache_new(e, &c) == WS_OK && c, "cache");
    test_rule(e);
    test_texts(e, NULL);
    test_texts(e, c);
    test_dir(e, c, "../shared/data/polnear/dev");
    test_dir(e, c, "../shared/data/polnear/train");
    ws_cache_free(c);
    ws_engine_free(e);
    return TEST_REPORT();
}
