/*
 * pos_reach.c - how much of a text's POS tags the cue tagger reads. The cue
 * tagger (src/attrib/model.c) scores the tokens within WS_AM_CUE_REACH
 * tokens after a cue candidate word, and the features of such a token read
 * the tags of tokens i-2 .. i+2 of its sentence. Tags are sentence-local
 * and greedy left to right, so a token's tag needs its sentence tagged up
 * to it. Prints, over every text given:
 *   - sentences holding a cue candidate, and the tokens of those sentences;
 *   - tokens within reach, and tokens whose tag some token within reach
 *     reads (reach +- 2);
 *   - tokens of each sentence up to the last one read (the prefix a greedy
 *     tagger has to tag);
 *   - the most frequent candidate words.
 * A sentence with no tag read by the cue tagger could skip tagging if no
 * other stage read it either (docs/BENCHMARKS.md, "Session 5: POS only
 * where read").
 *
 * usage: pos_reach FILE...
 * (make B=build-x build-x/tools/pos_reach)
 */
#include "doc.h"
#include "attrib/model.h"
#include "model/models.h"

#include <stdio.h>
#include <stdlib.h>
#include "tool_read.h"

/* Candidate words counted by their lowercase hash (open addressing). */
#define WORDS 65536
typedef struct word {
    uint64_t h;
    size_t n;
    char w[24];
} word;

static void count_word(word *tab, const ws_text *t, uint32_t i, uint64_t h) {
    size_t s = (size_t)h & (WORDS - 1);
    for (size_t probe = 0; probe < WORDS; probe++, s = (s + 1) & (WORDS - 1)) {
        if (tab[s].n && tab[s].h != h) continue;
        if (!tab[s].n) {
            char buf[64];
            size_t len;
            const char *low = ws_tok_lowp(t, i, buf, sizeof buf, &len);
            if (len >= sizeof tab[s].w) len = sizeof tab[s].w - 1;
            memcpy(tab[s].w, low, len);
            tab[s].w[len] = 0;
            tab[s].h = h;
        }
        tab[s].n++;
        return;
    }
}

typedef struct counts {
    size_t docs, sents, cand_sents, toks, cand_sent_toks, reach, read, prefix;
} counts;

/* Counts sentence [a, b) of t, whose cue-tagger words are k. */
static void count_sent(const ws_engine *e, const ws_text *t, const ws_am_toks *k,
                       uint32_t a, uint32_t b, uint8_t *rd, word *tab, counts *c) {
    uint32_t last = UINT32_MAX, end = a;
    int cand = 0;
    memset(rd + a, 0, b - a);
    for (uint32_t i = a; i < b; i++) {
        if (ws_am_is_cand(e->models->attrib, k->wh[i])) {
            last = i;
            cand = 1;
            count_word(tab, t, i, k->wh[i]);
        }
        if (last == UINT32_MAX || i - last >= WS_AM_CUE_REACH) continue;
        c->reach++;
        for (uint32_t j = i >= a + 2 ? i - 2 : a; j <= i + 2 && j < b; j++) rd[j] = 1;
        end = i + 3 < b ? i + 3 : b;
    }
    for (uint32_t i = a; i < b; i++) c->read += rd[i];
    c->sents++;
    c->toks += b - a;
    c->cand_sents += cand;
    c->cand_sent_toks += cand ? b - a : 0;
    c->prefix += end - a;
}

static double pct(size_t x, size_t of) { return of ? 100.0 * (double)x / (double)of : 0.0; }

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK || !e->models->attrib) {
        fprintf(stderr, "pos_reach: engine failed\n");
        return 3;
    }
    word *tab = calloc(WORDS, sizeof *tab);
    if (!tab) return 3;
    counts c;
    memset(&c, 0, sizeof c);
    for (int a = 1; a < argc; a++) {
        size_t n = 0;
        char *text = tool_read_file(argv[a], &n);
        ws_doc *d = NULL;
        if (!text || ws_doc_new_text(e, text, n, argv[a], &d) != WS_OK) {
            fprintf(stderr, "pos_reach: %s: cannot read or analyse\n", argv[a]);
            free(text);
            continue;
        }
        const ws_text *t = &d->text;
        ws_am_toks k;
        uint8_t *rd = malloc(t->toks.n + 1);
        if (rd && ws_am_toks_build(&d->arena, t, &k) == WS_OK) {
            c.docs++;
            for (size_t s = 0; s < t->sents.n; s++)
                count_sent(e, t, &k, t->sents.v[s].tok_start, t->sents.v[s].tok_end, rd,
                           tab, &c);
        }
        free(rd);
        ws_doc_free(d);
        free(text);
    }
    printf("texts %zu, sentences %zu, tokens %zu\n", c.docs, c.sents, c.toks);
    printf("sentences with a cue candidate   %zu (%.1f%%), their tokens %zu (%.1f%%)\n",
           c.cand_sents, pct(c.cand_sents, c.sents), c.cand_sent_toks,
           pct(c.cand_sent_toks, c.toks));
    printf("tokens within reach of one       %zu (%.1f%%)\n", c.reach, pct(c.reach, c.toks));
    printf("tokens whose tag is read (+-2)   %zu (%.1f%%)\n", c.read, pct(c.read, c.toks));
    printf("tokens up to the last one read   %zu (%.1f%%)\n", c.prefix, pct(c.prefix, c.toks));
    printf("most frequent candidates:");
    for (int r = 0; r < 20; r++) {
        size_t best = 0;
        for (size_t s = 1; s < WORDS; s++)
            if (tab[s].n > tab[best].n) best = s;
        if (!tab[best].n) break;
        printf(" %s %zu%s", tab[best].w, tab[best].n, r < 19 ? "," : "");
        tab[best].n = 0;
    }
    printf("\n");
    free(tab);
    ws_engine_free(e);
    return 0;
}
