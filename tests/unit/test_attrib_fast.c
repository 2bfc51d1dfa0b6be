/*
 * test_attrib_fast.c - the fast scoring of the cue and role taggers
 * (load-time sums, per-document caches) gives the same emissions, bit for
 * bit, as the feature definitions (ws_am_cue_feats, ws_am_role_feats) and
 * ws_am_score, on every token of the texts below, for cues put all over
 * them, and on a text of many distinct words (word cache conflicts).
 */
#include "attrib/model.h"
#include "model/models.h"

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks one text: every emission of both taggers, fast against slow. */
static void check_text(ws_engine *e, const char *name, const char *text, size_t n,
                       uint32_t step) {
    ws_doc *d = NULL;
    CHECK(ws_analyze(e, text, n, name, &d) == WS_OK, "analyze %s", name);
    if (!d) return;
    long bad = ws_am_fast_check(e->models->attrib, d, step);
    CHECK(bad == 0, "%s: %ld emissions differ (-1: no fast path)", name, bad);
    ws_doc_free(d);
}

/* A text made of news-like pieces in a fixed pseudo-random order: quotes,
 * commas, colons, dashes, paragraph breaks, short and long sentences. */
static char *mixed_text(unsigned seed, size_t pieces, size_t *n) {
    static const char *bits[] = {
        "The minister said ", "\"We will not accept this,\" ", "she told reporters ",
        "on Monday, ", "according to officials. ", "He added: ", "\"It is over.\" ",
        "The company - which declined to comment - ", "noted that ", "sales fell 3.5%. ",
        "\n\n", "Critics argued ", "that the plan, ", "if passed, ", "would cost $2 billion. ",
        "'Nobody knows,' he said. ", "A SPOKESMAN ", "confirmed ", "the deal; ", "\xe2\x80\x9c" "Fine," "\xe2\x80\x9d ",
        "Lavrov ", "says ", "Mr. Smith, 54, ", "warned: ", "(reported by AP) "};
    size_t nb = sizeof bits / sizeof *bits, cap = pieces * 48 + 1, len = 0;
    char *s = malloc(cap);
    for (size_t i = 0; i < pieces; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *b = bits[(seed >> 16) % nb];
        size_t bl = strlen(b);
        if (len + bl >= cap) break;
        memcpy(s + len, b, bl);
        len += bl;
    }
    s[len] = 0;
    *n = len;
    return s;
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    if (!e) return TEST_REPORT();
    CHECK(e->models->attrib != NULL, "attrib model built in");
    if (!e->models->attrib) return TEST_REPORT();
    size_t n = 0;
    char *s = test_read_file("samples/tass-lavrov.txt", &n);
    CHECK(s != NULL, "samples/tass-lavrov.txt readable (run from the repository root)");
    if (s) check_text(e, "tass-lavrov", s, n, 1);
    free(s);
    for (unsigned seed = 1; seed <= 6; seed++) {
        s = mixed_text(seed, 300 + 200 * seed, &n);
        char name[32];
        snprintf(name, sizeof name, "mixed-%u", seed);
        check_text(e, name, s, n, 1 + seed % 3);
        free(s);
    }
    /* one sentence longer than WS_AM_MAXSENT tokens: tagged in pieces */
    size_t reps = WS_AM_MAXSENT / 4 + 50;
    s = malloc(reps * 12 + 2);
    for (size_t i = 0; i < reps; i++) memcpy(s + i * 12, "he said it, ", 12);
    s[reps * 12] = '.';
    check_text(e, "long-sentence", s, reps * 12 + 1, 97);
    free(s);
    /* 7,200 distinct words: many more than the word cache's 512 entries */
    size_t cap = 600000, len = 0;
    s = malloc(cap);
    for (unsigned i = 0; i < 2400 && len + 200 < cap; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "Officials said word%ua, word%ub and word%uc were \"fine\"%s",
                                i, i, i, i % 7 == 6 ? ".\n\n" : ". ");
    check_text(e, "many-types", s, len, 5);
    free(s);
    ws_engine_free(e);
    return TEST_REPORT();
}
