/*
 * test_pos.c - unit tests of the part-of-speech tagger: the tag table,
 * quote normalisation, the feature function, tagging of hand-made token
 * arrays with the built-in model, tagging through ws_analyze, rejection of
 * corrupted model blobs, and a throughput figure (info only).
 */
#include "doc.h"
#include "harness.h"
#include "model/blobs.h"
#include "model/models.h"
#include "model/pos.h"

#include <stdlib.h>
#include <time.h>

static ws_mem mem_g;

/* ---- Tag table ---- */

static void test_tag_table(void) {
    for (unsigned i = 1; i < WS_POS_NTAGS; i++)
        CHECK(ws_pos_id(ws_pos_name(i)) == i, "round trip of id %u", i);
    CHECK(ws_pos_id("PRP$") == WS_POS_PRPS, "PRP$");
    CHECK(ws_pos_id("``") == WS_POS_LQUOTE, "``");
    CHECK(ws_pos_id("-LRB-") == WS_POS_LRB, "-LRB-");
    CHECK(ws_pos_id("NOPE") == 0 && ws_pos_id("") == 0 && ws_pos_id(NULL) == 0,
          "unknown names");
    CHECK(strcmp(ws_pos_name(0), "") == 0, "name of 0");
    CHECK(strcmp(ws_pos_name(999), "") == 0, "name out of range");
    CHECK(strcmp(ws_pos_name(WS_POS_VBD), "VBD") == 0, "VBD");
    CHECK(strcmp(ws_pos_name(WS_POS_NNP), "NNP") == 0, "NNP");
}

/* ---- Quotes and lowercasing ---- */

static const char *qf(const char *s, int open, int space) {
    const char *q = ws_pos_quote_form(s, strlen(s), open, space);
    return q ? q : "-";
}

static void test_quotes(void) {
    CHECK(strcmp(qf("\xE2\x80\x9C", -1, 0), "``") == 0, "left double");
    CHECK(strcmp(qf("\xE2\x80\x9D", -1, 1), "''") == 0, "right double");
    CHECK(strcmp(qf("\xC2\xAB", -1, 0), "``") == 0, "guillemet");
    CHECK(strcmp(qf("\"", -1, 1), "``") == 0, "straight after space");
    CHECK(strcmp(qf("\"", -1, 0), "''") == 0, "straight glued");
    CHECK(strcmp(qf("\"", 0, 1), "''") == 0, "paired closing wins");
    CHECK(strcmp(qf("'", -1, 1), "-") == 0, "lone apostrophe kept");
    CHECK(strcmp(qf("\xE2\x80\x99", -1, 0), "-") == 0, "lone curly apostrophe");
    CHECK(strcmp(qf("'", 1, 0), "``") == 0, "paired single opens");
    CHECK(strcmp(qf("''", -1, 0), "''") == 0, "doubled apostrophe");
    CHECK(strcmp(qf("said", -1, 0), "-") == 0, "a word");
    CHECK(strcmp(qf("\"a", -1, 0), "-") == 0, "mark and letter");
    char buf[16];
    size_t n = ws_pos_lower("\xC3\x89LYS\xC3\x89" "E", 8, buf, sizeof buf);
    CHECK(n == 8 && strcmp(buf, "\xC3\xA9lys\xC3\xA9" "e") == 0, "unicode lower: %s", buf);
    n = ws_pos_lower("don\xE2\x80\x99t", 7, buf, sizeof buf);
    CHECK(strcmp(buf, "don't") == 0 && n == 5, "curly apostrophe: %s", buf);
    n = ws_pos_lower("ABCDEFGH", 8, buf, 4);
    CHECK(n == 3 && strcmp(buf, "abc") == 0, "truncation: %s", buf);
}

/* ---- Feature function ---- */

static size_t prep(const char *const *w, size_t n, ws_pos_tok *toks,
                   size_t *lens) {
    for (size_t i = 0; i < n; i++) {
        lens[i] = strlen(w[i]);
        ws_pos_tok_init(&toks[i], w[i], lens[i]);
    }
    return n;
}

static void test_features(void) {
    const char *w[] = {"Lavrov", "said", "U.S.", "talks", "2016", "-"};
    ws_pos_tok t[6];
    size_t lens[6];
    prep(w, 6, t, lens);
    CHECK(t[0].flags & WS_POS_F_CAP, "Lavrov capitalised");
    CHECK(!(t[1].flags & WS_POS_F_CAP), "said lower");
    CHECK(t[2].flags & WS_POS_F_ALLCAPS, "U.S. all caps");
    CHECK(t[4].flags & WS_POS_F_DIGIT, "2016 digits");
    CHECK(t[5].flags & WS_POS_F_PUNCT, "- punctuation");
    CHECK(t[1].suf[1] != t[3].suf[1], "suffixes differ");
    ws_pos_tok up;
    ws_pos_tok_init(&up, "SAID", 4);
    CHECK(up.word == t[1].word && up.shape != t[1].shape, "case folded word");
    uint64_t a[WS_POS_MAX_FEATS], b[WS_POS_MAX_FEATS], c[WS_POS_MAX_FEATS];
    size_t na = ws_pos_features(t, 6, 1, 1, WS_POS_NNP, 0, a);
    size_t nb = ws_pos_features(t, 6, 1, 1, WS_POS_NNP, 0, b);
    size_t nc = ws_pos_features(t, 6, 1, 1, WS_POS_NN, 0, c);
    CHECK(na == nb && memcmp(a, b, na * sizeof *a) == 0, "deterministic");
    CHECK(na <= WS_POS_MAX_FEATS && na > WS_POS_NSTATIC, "count %zu", na);
    CHECK(nc == na && memcmp(a, c, na * sizeof *a) != 0, "history matters");
    nc = ws_pos_features(t, 6, 1, 0, WS_POS_NNP, 0, c);
    CHECK(nc == na && memcmp(a, c, na * sizeof *a) != 0, "vocabulary matters");
    size_t ns = ws_pos_features_static(t, 6, 1, 1, c);
    CHECK(ns == WS_POS_NSTATIC && memcmp(a, c, ns * sizeof *a) == 0, "static prefix");
    /* edges: first and last token of a one-token sentence */
    CHECK(ws_pos_features(t, 1, 0, 0, 0, 0, a) == na, "one token");
}

/* ---- Tagging with the built-in model ---- */

/* Tags the space-separated words of s; returns the tag names joined by ' '. */
static const char *tag_line(const struct ws_pos_model *pm, const char *s) {
    static char out[512], copy[512];
    const char *w[64];
    size_t lens[64], n = 0;
    ws_pos_tok scratch[64];
    uint8_t tags[64];
    snprintf(copy, sizeof copy, "%s", s);
    for (char *p = strtok(copy, " "); p && n < 64; p = strtok(NULL, " ")) w[n++] = p;
    for (size_t i = 0; i < n; i++) lens[i] = strlen(w[i]);
    ws_pos_tag_words(pm, w, lens, n, scratch, tags);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, ws_pos_name(tags[i]));
    }
    return out;
}

#define EXPECT_TAGS(pm, words, want)                                    \
    do {                                                                \
        const char *got_ = tag_line(pm, words);                         \
        CHECK(strcmp(got_, want) == 0, "%s\n   got  %s\n   want %s",    \
              words, got_, want);                                       \
    } while (0)

static void test_tag_words(const struct ws_pos_model *pm) {
    EXPECT_TAGS(pm, "Lavrov said the talks were useful .",
                "NNP VBD DT NNS VBD JJ .");
    /* "Foreign" was NNP up to model version 1; version 2 (no word
     * bigrams, data/models/README.md) tags it JJ, as it does "Russian":
     * a known error of the smaller feature set, kept visible here. */
    EXPECT_TAGS(pm, "Russian Foreign Minister Sergey Lavrov told reporters on Monday .",
                "JJ JJ NNP NNP NNP VBD NNS IN NNP .");
    EXPECT_TAGS(pm, "\xE2\x80\x9C We will not allow it , \xE2\x80\x9D he said .",
                "`` PRP MD RB VB PRP , '' PRP VBD .");
    EXPECT_TAGS(pm, "The ministry says it has n't received the letter .",
                "DT NN VBZ PRP VBZ RB VBN DT NN .");
    EXPECT_TAGS(pm, "She is going to visit his parents ' home",
                "PRP VBZ VBG TO VB PRP$ NNS POS NN");
    const char *w[] = {"x"};
    size_t len = 1;
    ws_pos_tok scratch[1];
    uint8_t tag = 0;
    ws_pos_tag_words(pm, w, &len, 0, scratch, &tag);
    CHECK(tag == 0, "empty sentence writes nothing");
    ws_pos_tag_words(pm, w, &len, 1, scratch, &tag);
    CHECK(tag > 0 && tag < WS_POS_NTAGS, "one token gets a tag");
}

/* ---- Through the engine ---- */

static uint32_t find_tok(const ws_doc *d, const char *word) {
    for (uint32_t i = 0; i < d->text.toks.n; i++)
        if (ws_tok_is(&d->text, i, word)) return i;
    return UINT32_MAX;
}

static void expect_doc_tag(const ws_doc *d, const char *word, unsigned tag) {
    uint32_t i = find_tok(d, word);
    CHECK(i != UINT32_MAX, "token %s present", word);
    if (i == UINT32_MAX) return;
    unsigned got = d->text.toks.v[i].pos;
    CHECK(got == tag, "%s: got %s want %s", word, ws_pos_name(got), ws_pos_name(tag));
}

static void test_engine(void) {
    ws_engine *e = NULL;
    ws_status st = ws_engine_new(NULL, &e);
    CHECK(st == WS_OK && e, "engine status %d", (int)st);
    if (!e) return;
    CHECK(e->models && e->models->pos, "built-in POS model loaded");
    const char *text =
        "Russian Foreign Minister Sergey Lavrov said on Monday that the talks "
        "were useful. \xE2\x80\x9CWe will not allow it,\xE2\x80\x9D he told "
        "reporters in Moscow.\n\nThe ministry's spokeswoman declined to comment.";
    ws_doc *d = NULL;
    st = ws_analyze(e, text, strlen(text), "t", &d);
    CHECK(st == WS_OK && d, "analyze status %d", (int)st);
    if (d && d->text.toks.n) {
        expect_doc_tag(d, "Lavrov", WS_POS_NNP);
        expect_doc_tag(d, "said", WS_POS_VBD);
        expect_doc_tag(d, "the", WS_POS_DT);
        expect_doc_tag(d, "talks", WS_POS_NNS);
        expect_doc_tag(d, "told", WS_POS_VBD);
        expect_doc_tag(d, "he", WS_POS_PRP);
        expect_doc_tag(d, "declined", WS_POS_VBD);
        expect_doc_tag(d, "\xE2\x80\x9C", WS_POS_LQUOTE);
        expect_doc_tag(d, "\xE2\x80\x9D", WS_POS_RQUOTE);
        size_t untagged = 0;
        for (uint32_t i = 0; i < d->text.toks.n; i++) untagged += !d->text.toks.v[i].pos;
        CHECK(untagged == 0, "%zu tokens untagged", untagged);
    } else {
        printf("note: the tokenizer returned no tokens; engine tags not checked\n");
    }
    ws_doc_free(d);
    d = NULL;
    st = ws_analyze(e, "", 0, "empty", &d);
    CHECK(st == WS_OK && d && d->text.toks.n == 0, "empty document");
    ws_doc_free(d);
    ws_engine_free(e);
}

/* Random bytes (with many quote marks, capitals and spaces): every token
 * gets a tag in range, and tagging is deterministic. */
static void test_random_docs(void) {
    static const char *const parts[] = {
        "\xE2\x80\x9C", "\xE2\x80\x9D", "'", "\"", " ", "\n\n", "Said",
        "the", ".", ",", "U.S.", "n't", "\xFF", "\xC3", "-", "2016", "X",
        ("\xC3\x89lys\xC3\xA9" "e"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK) return;
    unsigned long long seed = 12345;
    char buf[2048];
    int ok_range = 1, ok_det = 1;
    for (int r = 0; r < 200; r++) {
        size_t n = test_fill_pieces(buf, sizeof buf, parts, sizeof parts / sizeof *parts, &seed);
        ws_doc *a = NULL, *b = NULL;
        if (ws_analyze(e, buf, n, "r", &a) == WS_OK && ws_analyze(e, buf, n, "r", &b) == WS_OK) {
            for (uint32_t i = 0; i < a->text.toks.n; i++) {
                ok_range &= a->text.toks.v[i].pos < WS_POS_NTAGS;
                ok_det &= a->text.toks.v[i].pos == b->text.toks.v[i].pos;
            }
        }
        ws_doc_free(a);
        ws_doc_free(b);
    }
    CHECK(ok_range, "tags in range on random input");
    CHECK(ok_det, "tagging deterministic");
    ws_engine_free(e);
}

/* ---- Corrupted blobs ---- */

static ws_status load_copy(const unsigned char *p, size_t n) {
    struct ws_pos_model *pm = NULL;
    ws_status st = ws_pos_load_blob(&mem_g, p, n, &pm);
    CHECK((st == WS_OK) == (pm != NULL), "model set iff ok");
    ws_pos_free(&mem_g, pm);
    return st;
}

/* Loads a copy of the blob with byte `at` set to v. */
static ws_status load_patched(const ws_blob *b, size_t at, unsigned char v) {
    unsigned char *c = malloc(b->size);
    if (!c) return WS_ERR_NOMEM;
    memcpy(c, b->data, b->size);
    c[at] = v;
    ws_status st = load_copy(c, b->size);
    free(c);
    return st;
}

static void test_corrupt(const ws_blob *b) {
    CHECK(load_copy(b->data, b->size) == WS_OK, "the blob itself loads");
    CHECK(load_copy(b->data, 0) == WS_ERR_MODEL, "empty");
    CHECK(load_copy(b->data, 20) == WS_ERR_MODEL, "header cut");
    CHECK(load_copy(b->data, b->size - 1) == WS_ERR_MODEL, "one byte short");
    CHECK(load_copy(b->data, b->size / 2) == WS_ERR_MODEL, "half");
    CHECK(load_patched(b, 0, 'X') == WS_ERR_MODEL, "bad magic");
    CHECK(load_patched(b, 8, 99) == WS_ERR_MODEL, "bad version");
    CHECK(load_patched(b, 12, 7) == WS_ERR_MODEL, "bad tag count");
    CHECK(load_patched(b, 16, 0xFF) == WS_ERR_MODEL, "bad feature count");
    CHECK(load_patched(b, 19, 0x7F) == WS_ERR_MODEL, "huge feature count");
    CHECK(load_patched(b, 20, 0xFF) == WS_ERR_MODEL, "bad pair count");
    CHECK(load_patched(b, 28, 0xFF) == WS_ERR_MODEL, "bad dictionary count");
    CHECK(load_patched(b, WS_POS_HEADER + 8, 0) == WS_ERR_MODEL, "empty record");
    CHECK(load_patched(b, WS_POS_HEADER + 8, 200) == WS_ERR_MODEL, "count too big");
    CHECK(load_patched(b, WS_POS_HEADER + 9, 0) == WS_ERR_MODEL, "tag 0");
    CHECK(load_patched(b, WS_POS_HEADER + 9, WS_POS_NTAGS) == WS_ERR_MODEL,
          "tag out of range");
    CHECK(load_patched(b, b->size - 1, WS_POS_NTAGS) == WS_ERR_MODEL,
          "dictionary tag out of range");
    unsigned char *big = malloc(b->size + 1);
    if (big) {
        memcpy(big, b->data, b->size);
        big[b->size] = 0;
        CHECK(load_copy(big, b->size + 1) == WS_ERR_MODEL, "trailing byte");
        free(big);
    }
    /* Every truncation of the header and of the first records fails. */
    int all = 1;
    for (size_t n = 0; n < 400 && n < b->size; n++)
        all &= load_copy(b->data, n) == WS_ERR_MODEL;
    CHECK(all, "all short prefixes rejected");
}

/* ---- Throughput (info only) ---- */

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench(const struct ws_pos_model *pm) {
    const char *w[] = {"Russian", "Foreign", "Minister", "Sergey", "Lavrov",
                       "said", "on", "Monday", "that", "Moscow", "would",
                       "respond", "to", "any", "new", "sanctions", "imposed",
                       "by", "Washington", "."};
    size_t n = sizeof w / sizeof *w, lens[20];
    ws_pos_tok scratch[20];
    uint8_t tags[20];
    for (size_t i = 0; i < n; i++) lens[i] = strlen(w[i]);
    size_t reps = 20000;
    double t0 = cpu_now();
    for (size_t r = 0; r < reps; r++) ws_pos_tag_words(pm, w, lens, n, scratch, tags);
    double dt = cpu_now() - t0;
    printf("info: %.2f M tokens/s (one sentence, repeated)\n",
           dt > 0 ? (double)(n * reps) / dt / 1e6 : 0.0);
}

int main(void) {
    ws_mem_init(&mem_g, NULL);
    test_tag_table();
    test_quotes();
    test_features();
    const ws_blob *b = ws_blob_find("pos");
    CHECK(b != NULL, "built-in pos blob present");
    struct ws_pos_model *pm = NULL;
    if (b) {
        CHECK(ws_pos_load(&mem_g, &pm) == WS_OK && pm, "ws_pos_load");
        test_corrupt(b);
    }
    if (pm) {
        test_tag_words(pm);
        bench(pm);
    }
    ws_pos_free(&mem_g, pm);
    test_engine();
    test_random_docs();
    return TEST_REPORT();
}
