/*
 * test_lexidx.c - the engine's word index (src/attrib/lex_index.c) answers
 * exactly what the list functions answer (ws_lex_cue_class, ws_lex_cue_verb,
 * ws_lex_person_word, ws_lex_first_name, ws_lex_pronoun) for every token of
 * a text full of list words and awkward tokens; the per-token lookup gives
 * the same entries with and without the text's lowercase view, and with an
 * engine that has no index (a private one is built); the lowercase hash
 * the text layer keeps is the FNV-1a hash of the full lowercase form.
 * Last line: "N passed, M failed".
 */
#include "doc.h"
#include "attrib/lex_index.h"
#include "harness.h"

#include <stdlib.h>

static const char *const text =
    "WASHINGTON (Reuters) - Russian Foreign Minister Sergey Lavrov SAID on "
    "Monday that the talks had failed, according to TASS. \xE2\x80\x9CWe "
    "will not accept it,\xE2\x80\x9D he told reporters. Then-Secretary John "
    "Kerry and ex-minister Maria Zakharova, a spokeswoman, added: "
    "\"They\xE2\x80\x99re wrong.\" Officials, analysts and the Kremlin's aides "
    "noted, argued, warned, claimed; she says he's saying they've said. "
    "\xC4\xB0t and \xE2\x84\xAAremlin (Kelvin sign) and THE Ministry's "
    "lawyers, secretaries, doctors. The president's envoy, who was there, "
    "wrote whose report? Which officials? Whom? Him, her, them, us, me, "
    "you, I, we, it, its, itself, ourselves, themselves, herself. "
    "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    "xxxxxxxxxxxxxxxxxxxxxxx said \xFF\xFE bad bytes, 52 percent of voters, "
    "on Sunday, last week, this year, early Tuesday, von der Leyen, al-Assad "
    "and de Gaulle, bin Salman.";

static void check_tokens(const ws_doc *d, const char *what) {
    const ws_text *t = &d->text;
    int bad = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) {
        char buf[64];
        size_t n = ws_tok_lower(t, i, buf, sizeof buf);
        const ws_lexent *e = ws_lex_tok(t, i);
        unsigned cue = ws_lex_cue_class(buf, n);
        const char *lem = ws_lex_cue_verb(buf, n);
        unsigned per = ws_lex_person_word(buf, n);
        int first = ws_lex_first_name(buf, n);
        int pron = (int)ws_lex_pronoun(buf, n);
        if (e->cue != cue || e->lemma != lem || e->person != per ||
            e->first != first || e->pron != pron) {
            bad++;
            printf("token %u '%s' (%s): cue %u/%u person %u/%u first %d/%d "
                   "pron %d/%d\n",
                   i, buf, what, e->cue, cue, e->person, per, e->first, first,
                   e->pron, pron);
        }
    }
    CHECK(bad == 0, "%s: %d tokens differ from the list functions", what, bad);
}

static ws_doc *new_doc(const ws_engine *e) {
    ws_doc *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->engine = e;
    ws_arena_init(&d->arena, &e->mem);
    if (ws_text_analyze(&d->arena, text, strlen(text), &d->text) != WS_OK) abort();
    return d;
}

static void free_doc(ws_doc *d) {
    ws_arena_free(&d->arena);
    free(d);
}

int main(void) {
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK) {
        printf("FAIL engine\n0 passed, 1 failed\n");
        return 1;
    }
    CHECK(e->lex != NULL, "the engine has a word index");

    /* with the lowercase view and its hashes */
    ws_doc *d = new_doc(e);
    const ws_text *t = &d->text;
    CHECK(t->low_hash != NULL, "the text has lowercase hashes");
    int hbad = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) {
        uint32_t o = t->low_off[i], n = t->low_off[i + 1] - o - 1;
        if (t->low_hash[i] != ws_hash_bytes(WS_HASH_SEED, t->low + o, n)) hbad++;
    }
    CHECK(hbad == 0, "%d token hashes differ from FNV-1a of the view", hbad);
    CHECK(ws_lex_doc(d) == WS_OK, "lookup");
    CHECK(ws_lex_doc(d) == WS_OK, "second lookup is a no-op");
    check_tokens(d, "view");

    /* without the view: the same entries */
    ws_doc *d2 = new_doc(e);
    d2->text.low = NULL;
    d2->text.low_off = NULL;
    d2->text.low_hash = NULL;
    CHECK(ws_lex_doc(d2) == WS_OK, "lookup without view");
    int diff = 0;
    for (uint32_t i = 0; i < t->toks.n; i++)
        diff += d->text.lex_id[i] != d2->text.lex_id[i];
    CHECK(diff == 0, "%d tokens differ without the view", diff);
    check_tokens(d2, "no view");
    free_doc(d2);

    /* an engine made by hand, without an index: a private one */
    ws_engine bare;
    memset(&bare, 0, sizeof bare);
    ws_mem_init(&bare.mem, NULL);
    ws_doc *d3 = new_doc(&bare);
    CHECK(ws_lex_doc(d3) == WS_OK, "lookup with a private index");
    diff = 0;
    for (uint32_t i = 0; i < t->toks.n; i++)
        diff += d->text.lex_id[i] != d3->text.lex_id[i];
    CHECK(diff == 0, "%d tokens differ with a private index", diff);
    check_tokens(d3, "private index");
    free_doc(d3);

    /* every entry of the index answers as the list functions do (a word in
     * no table gets 0 from all of them, so this covers every word) */
    const ws_lexidx *x = e->lex;
    int ebad = 0;
    for (uint32_t k = 1; k < x->n; k++) {
        const ws_lexent *en = &x->ents[k];
        const char *w = en->w;
        size_t n = en->len;
        if (en->cue != ws_lex_cue_class(w, n) || en->lemma != ws_lex_cue_verb(w, n) ||
            en->person != ws_lex_person_word(w, n) ||
            en->first != ws_lex_first_name(w, n) ||
            en->pron != (int)ws_lex_pronoun(w, n) ||
            ws_lexidx_find(x, w, n) != en) {
            ebad++;
            printf("entry %u '%s' differs\n", k, w);
        }
    }
    CHECK(ebad == 0, "%d of %u index entries differ from the list functions", ebad, x->n);
    CHECK(x->n > 1500, "the index holds the lists (%u words)", x->n);

    /* some entries by name */
    const ws_lexent *said = ws_lexidx_find(x, "said", 4);
    CHECK((said->cue & WS_CUE_STRONG) && said->lemma && !strcmp(said->lemma, "say"),
          "said: a strong cue of 'say'");
    CHECK(ws_lexidx_find(x, "the", 3)->rules & WS_LR_DET, "the: determiner");
    CHECK(ws_lexidx_find(x, "the", 3)->coref & WS_LC_DEFINITE, "the: definite");
    CHECK(ws_lexidx_find(x, "minister", 8)->person & WS_LP_TITLE, "minister: title");
    CHECK(ws_lexidx_find(x, "maria", 5)->first == 2, "maria: female first name");
    CHECK(ws_lexidx_find(x, "themselves", 10)->pron == WS_PRON_THEY, "themselves");
    CHECK(ws_lexidx_find(x, "Said", 4) == &x->ents[0], "keys are lowercase");
    CHECK(ws_lexidx_find(x, "xyzzy", 5) == &x->ents[0], "unknown word: entry 0");
    CHECK(ws_lexidx_find(x, "sai", 3) == &x->ents[0], "prefix: entry 0");
    /* the coref lists match raw bytes ASCII-case-insensitively only: "İt"
     * lowercases to "it" but is no list word for them */
    int kelvin_ok = 1;
    for (uint32_t i = 0; i < t->toks.n; i++)
        if (ws_tok_len(t, i) > 0 && (unsigned char)ws_tok_ptr(t, i)[0] == 0xC4) {
            const ws_lexent *le = ws_lex_tok(t, i);
            kelvin_ok &= le->len != ws_tok_len(t, i);
        }
    CHECK(kelvin_ok, "a non-ASCII token has another length than its entry");
    free_doc(d);
    ws_engine_free(e);
    return TEST_REPORT();
}
