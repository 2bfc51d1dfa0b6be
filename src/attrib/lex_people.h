/*
 * lex_people.h - people lexicons for speaker resolution (lex_people.c):
 * title and honorific words, nationality adjectives, organisation nouns and
 * well-known organisation names, anonymous-source nouns, function words that
 * never start a name, first names with gender, and pronouns.
 * All lookups take a lowercased word (ws_tok_lower) and are read-only.
 */
#ifndef WS_LEX_PEOPLE_H
#define WS_LEX_PEOPLE_H

#include <stddef.h>

/* Word classes (bit flags, a word may have several). */
#define WS_LP_TITLE 0x001u    /* title head: minister, president, doctor */
#define WS_LP_TMOD 0x002u     /* title modifier: foreign, deputy, former */
#define WS_LP_HONOR 0x004u    /* honorific before a name: mr., dr., sen. */
#define WS_LP_NATION 0x008u   /* nationality adjective, dropped from titles */
#define WS_LP_ORGHEAD 0x010u  /* organisation noun: ministry, company */
#define WS_LP_ORGNAME 0x020u  /* well-known organisation name: tass, reuters */
#define WS_LP_ANON 0x040u     /* anonymous-source noun: official, sources */
#define WS_LP_STOP 0x080u     /* function word, month, day: never a name */
#define WS_LP_MALE 0x100u     /* gendered: mr., spokesman, chairman */
#define WS_LP_FEMALE 0x200u   /* gendered: mrs., spokeswoman */
#define WS_LP_GENORG 0x400u   /* generic org noun: "the company" */

/* Flags of a lowercased word, 0 when unknown. */
unsigned ws_lex_person_word(const char *lower, size_t len);

/* Gender of a lowercased first name: 0 unknown, 1 male, 2 female. */
int ws_lex_first_name(const char *lower, size_t len);

/* Pronoun classes. */
typedef enum ws_pron {
    WS_PRON_NONE = 0,
    WS_PRON_HE,     /* he him his himself */
    WS_PRON_SHE,    /* she her hers herself */
    WS_PRON_IT,     /* it its itself */
    WS_PRON_THEY,   /* they them their themselves */
    WS_PRON_SELF,   /* i me my we us our: the speaker of a quote */
    WS_PRON_WHO     /* who, which, that (relative) */
} ws_pron;

/* Pronoun class of a lowercased word. */
ws_pron ws_lex_pronoun(const char *lower, size_t len);

#endif /* WS_LEX_PEOPLE_H */
