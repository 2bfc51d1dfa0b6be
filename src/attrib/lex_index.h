/*
 * lex_index.h - one hash index over every word list of the attribution
 * stages (cue verbs, people words, first names, pronouns, the rules' and
 * the speaker resolver's small lists), built once per engine, and the
 * per-document array that gives each token its entry.
 *
 * The stages used to look a token's lowercase form up in each list on its
 * own (binary searches and linear strcmp scans, many times per token); now
 * ws_lex_doc() looks every token up once, by the hash the text layer keeps
 * of its lowercase form (ws_text.low_hash), and the stages read the bits of
 * the entry (ws_lex_tok()). A token whose lowercase form is in no list gets
 * the empty entry 0 (all fields zero). The answers are exactly those of the
 * list functions (ws_lex_cue_class(), ws_lex_person_word(), ...), which stay
 * and are the definition.
 */
#ifndef WS_LEX_INDEX_H
#define WS_LEX_INDEX_H

#include "attrib.h"
#include "lex_people.h"

/* Word lists of rules.c (bits of ws_lexent.rules). */
#define WS_LR_DET 0x00000001u       /* determiners */
#define WS_LR_PRON 0x00000002u      /* subject pronouns */
#define WS_LR_OBJPRON 0x00000004u   /* object pronouns */
#define WS_LR_AUX 0x00000008u       /* auxiliaries */
#define WS_LR_BE 0x00000010u        /* forms of "be" (and get) */
#define WS_LR_ADV 0x00000020u       /* adverbs inside a verb group */
#define WS_LR_NPSTOP 0x00000040u    /* words that end a noun phrase */
#define WS_LR_SRCNOUN 0x00000080u   /* source nouns */
#define WS_LR_COLONSTOP 0x00000100u /* never open a colon source */
#define WS_LR_TAIL 0x00000200u      /* open a short tail */
#define WS_LR_PREP 0x00000400u      /* cannot open indirect content */
#define WS_LR_TIME 0x00000800u      /* time nouns */
#define WS_LR_PARTICLE 0x00001000u  /* name particles (rules' list) */
#define WS_LR_OFPREP 0x00002000u    /* of for from at in on */
#define WS_LR_QUANT 0x00004000u     /* quantifiers */
#define WS_LR_REL5 0x00008000u      /* who which whose whom that */
#define WS_LR_PAREN 0x00010000u     /* open a parenthetical aside */
#define WS_LR_TREL 0x00020000u      /* this last next on late early */
#define WS_LR_DAYS 0x00040000u      /* weekdays, yesterday, today */
#define WS_LR_CONJ 0x00080000u      /* clause-ending conjunctions */
#define WS_LR_SUBJ 0x00100000u      /* subjects after ", and" */
#define WS_LR_REL4 0x00200000u      /* who which whose whom */

/* Word lists of coref.c (bits of ws_lexent.coref). */
#define WS_LC_PARTICLE 0x01u   /* name particles (coref's list) */
#define WS_LC_DET 0x02u        /* the a an */
#define WS_LC_DEFINITE 0x04u   /* the this that */
#define WS_LC_INDEFINITE 0x08u /* a an one some ... */
#define WS_LC_HEADSTOP 0x10u   /* end a nominal head scan */

typedef struct ws_lexent {
    uint64_t h;          /* ws_hash_bytes(WS_HASH_SEED, w, len) */
    const char *w;       /* the word (static storage) */
    uint32_t len;
    uint32_t rules;      /* WS_LR_* */
    uint16_t person;     /* ws_lex_person_word() */
    uint8_t cue;         /* ws_lex_cue_class() */
    uint8_t first;       /* ws_lex_first_name() */
    uint8_t pron;        /* ws_lex_pronoun() */
    uint8_t coref;       /* WS_LC_* */
    const char *lemma;   /* ws_lex_cue_verb() */
} ws_lexent;

typedef struct ws_lexidx {
    ws_lexent *ents;     /* ents[0] is the empty entry */
    uint32_t n, cap;
    /* Open addressing by the hash's low bits. A slot packs what a probe
     * needs, so a lookup reads one slot and the word's bytes only (the
     * tables stay small enough to stay in cache beside the taggers'):
     * bits 0-11 entry number (0 = empty), 12-27 the word's offset in
     * pool, 28-33 its length, 34-63 the hash's top 30 bits. */
    uint64_t *slot;
    uint32_t mask;
    char *pool;          /* the words, NUL-terminated, back to back */
    uint32_t pool_n, pool_cap;
} ws_lexidx;

/* Builds the index of every list (engine load). NULL when out of memory. */
ws_lexidx *ws_lexidx_new(const ws_mem *mem);
void ws_lexidx_free(const ws_mem *mem, ws_lexidx *x);

/* The entry of a lowercase word (entry 0 when it is in no list). */
const ws_lexent *ws_lexidx_find(const ws_lexidx *x, const char *w, size_t len);

/* Fills d->text.lex_id (once per document; later calls return at once).
 * Uses the engine's index, or builds one in the document's arena when the
 * engine has none (engines made by hand in tests and tools). */
ws_status ws_lex_doc(ws_doc *d);

/* The entry of token i (after ws_lex_doc()). */
static inline const ws_lexent *ws_lex_tok(const ws_text *t, uint32_t i) {
    return &t->lex->ents[t->lex_id[i]];
}

/* Fillers, one per list owner: each adds its words to the index. */
typedef struct ws_lexb ws_lexb;
/* The entry of word w (added when new); NULL when out of memory. */
ws_lexent *ws_lexb_get(ws_lexb *b, const char *w);
int ws_lex_cues_fill(ws_lexb *b);   /* lex_cues.c */
int ws_lex_people_fill(ws_lexb *b); /* lex_people.c */
int ws_rules_lex_fill(ws_lexb *b);  /* rules.c */
int ws_coref_lex_fill(ws_lexb *b);  /* coref.c */

#endif /* WS_LEX_INDEX_H */
