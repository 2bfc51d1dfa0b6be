/*
 * test_pos_doc.c - the POS tagger's document path (ws_pos_tag, which sums
 * each word type's features once and prepares the frequent words at load
 * time) gives exactly the tags of the reference path (every token reduced,
 * each sentence tagged by ws_pos_tag_toks: ws_pos_tag_reference), on
 * hand-made text, random text, a sentence too long for the per-document
 * table, a document with more word types than the table keeps, and, when
 * the data is there, every PolNeAR dev text.
 */
#include "doc.h"
#include "harness.h"
#include "model/models.h"
#include "model/pos.h"

#include <dirent.h>
#include <stdlib.h>

/* Tags text both ways; returns the number of tokens whose tags differ
 * (SIZE_MAX if analysis failed) and sets *ntok. */
static size_t diff_tags(const ws_engine *e, const char *text, size_t len,
                        size_t *ntok) {
    ws_doc *d = NULL;
    *ntok = 0;
    if (ws_doc_new_text(e, text, len, "t", &d) != WS_OK || !d) return SIZE_MAX;
    size_t n = d->text.toks.n, bad = 0;
    uint8_t *fast = malloc(n ? n : 1);
    if (!fast) {
        ws_doc_free(d);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) fast[i] = d->text.toks.v[i].pos;
    if (ws_pos_tag_reference(e, d) != WS_OK) bad = SIZE_MAX;
    for (size_t i = 0; i < n && bad != SIZE_MAX; i++)
        bad += fast[i] != d->text.toks.v[i].pos || !fast[i];
    *ntok = n;
    free(fast);
    ws_doc_free(d);
    return bad;
}

static void expect_same(const ws_engine *e, const char *text, size_t len,
                        const char *what) {
    size_t n, bad = diff_tags(e, text, len, &n);
    CHECK(bad == 0 && n > 0, "%s: %zu of %zu tokens differ or untagged", what, bad, n);
}

static const char para[] =
    "Russian Foreign Minister Sergey Lavrov said on Monday that the talks "
    "were \"useful\". \xE2\x80\x9CWe will not allow it,\xE2\x80\x9D he told "
    "reporters in Moscow, adding: 'It's over.'\n\nThe ministry's "
    "spokeswoman, Maria Zakharova, declined to comment. U.S. officials "
    "said 2,400 troops -- about 15% -- would leave by mid-2017. "
    "\xC3\x89LYS\xC3\x89" "E PALACE \xE2\x80\x98reviewing\xE2\x80\x99 "
    "\xC2\xABthe plan\xC2\xBB, a state-run outlet reported. `Quote' "
    "``Double'' e-mail @user #tag http://example.com/x?y=1 AAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA. Said "
    "she: \"No.\" Why? Because.";

static void test_text(const ws_engine *e) {
    expect_same(e, para, sizeof para - 1, "paragraph");
    /* The same words again: now from the document's table. */
    size_t n = sizeof para - 1;
    char *three = malloc(3 * n + 3);
    if (!three) return;
    for (int k = 0; k < 3; k++) {
        memcpy(three + k * (n + 1), para, n);
        three[k * (n + 1) + n] = '\n';
    }
    expect_same(e, three, 3 * (n + 1), "paragraph three times");
    free(three);
    expect_same(e, "said", 4, "one word");
    expect_same(e, "\"", 1, "one quote mark");
}

/* Random text from pieces with quote marks, capitals, digits, invalid
 * bytes, a long word and words outside any list. */
static void test_random(const ws_engine *e) {
    static const char *const parts[] = {
        "\xE2\x80\x9C", "\xE2\x80\x9D", "'", "\"", " ", "\n\n", "Said", "the",
        ".", ",", "U.S.", "n't", "\xFF", "\xC3", "-", "2016", "X", "Zorblax",
        "zorblax", "ZORBLAX", "Lavrov", "said", "?", "'s", "(", ")", "--",
        ("\xC3\x89lys\xC3\xA9" "e"),
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    unsigned long long seed = 987654321;
    char buf[3000];
    size_t worst = 0;
    for (int r = 0; r < 300; r++) {
        size_t n = test_fill_pieces(buf, sizeof buf, parts, sizeof parts / sizeof *parts, &seed);
        size_t nt, bad = diff_tags(e, buf, n, &nt);
        if (bad > worst) worst = bad;
    }
    CHECK(worst == 0, "random texts: up to %zu tokens differ", worst);
}

/* A sentence longer than the per-document table (the reference path) and
 * a document with more word types than the table keeps (it restarts). */
static void test_big(const ws_engine *e) {
    size_t cap = 9000 * 12 + 16, n = 0;
    char *b = malloc(cap);
    if (!b) return;
    for (int i = 0; i < 6000; i++) n += (size_t)sprintf(b + n, "w%d ", i % 5000);
    expect_same(e, b, n, "one sentence of 6000 tokens");
    n = 0;
    for (int i = 0; i < 3000; i++)
        n += (size_t)sprintf(b + n, "Kx%d said yq%d. ", i, i);
    expect_same(e, b, n, "6000 word types");
    free(b);
}

/* Every PolNeAR dev text, when the shared data is there. */
static void test_polnear(const ws_engine *e) {
    const char *dir = "../shared/data/polnear/dev";
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("note: %s not found; PolNeAR comparison skipped\n", dir);
        return;
    }
    size_t docs = 0, toks = 0, bad = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        char *text = malloc(1 << 20);
        size_t n = text ? fread(text, 1, 1 << 20, f) : 0;
        fclose(f);
        size_t nt = 0, b = text ? diff_tags(e, text, n, &nt) : SIZE_MAX;
        free(text);
        docs++;
        toks += nt;
        bad += b;
    }
    closedir(dp);
    CHECK(docs > 0 && bad == 0, "PolNeAR dev: %zu of %zu tokens in %zu texts differ",
          bad, toks, docs);
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK && e, "engine");
    if (!e) return TEST_REPORT();
    CHECK(e->models && e->models->pos, "built-in POS model loaded");
    if (e->models && e->models->pos) {
        test_text(e);
        test_random(e);
        test_big(e);
        test_polnear(e);
    }
    ws_engine_free(e);
    return TEST_REPORT();
}
