/*
 * attrib.h - internal interfaces between the attribution stages:
 *   rules.c  (quotation, headline, colon patterns)   -> ws_attrib_rules()
 *   model.c  (trained cue and role tagger)          -> ws_attrib_model()
 *   merge.c  (dedupe, classify, final order)         -> ws_attrib_finish()
 *   coref.c  (entities, speakers)                    -> ws_resolve_speakers()
 * Lexicons: lex_cues.c (reporting verbs and nouns), lex_people.c (titles,
 * first names and gender, pronouns, organisation nouns).
 */
#ifndef WS_ATTRIB_H
#define WS_ATTRIB_H

#include "../doc.h"

/*
 * Sets s->type (direct / indirect / mixed) from how the content segments
 * relate to the document's quotations, and s->addressee ("told TASS" ->
 * TASS) from the tokens after the cue. Defined in rules.c. The addressee
 * needs the document's word lookup (ws_lex_doc(), lex_index.h) done.
 */
void ws_stmt_classify(const ws_doc *d, ws_stmt *s);

/* Cue lexicon (lex_cues.c): is this lowercased word a reporting verb form
 * (said, says, saying, told, noted, ...)? Returns its lemma or NULL. */
const char *ws_lex_cue_verb(const char *lower, size_t len);

/* Cue classes (lex_cues.c): bit flags returned by ws_lex_cue_class() for a
 * lowercased word; 0 when the word is not a reporting verb form. */
#define WS_CUE_VERB 0x1u      /* any reporting verb form */
#define WS_CUE_STRONG 0x2u    /* also introduces indirect speech ("said") */
#define WS_CUE_ADDRESSEE 0x4u /* takes the hearer as object ("told TASS") */
unsigned ws_lex_cue_class(const char *lower, size_t len);

#endif
