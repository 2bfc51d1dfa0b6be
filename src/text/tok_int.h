/*
 * tok_int.h - private helpers of the text layer (not used outside src/text):
 * a strict UTF-8 decoder, character classes, abbreviation and sentence
 * starter lexicons, and the passes ws_text_analyze runs in order.
 */
#ifndef WS_TOK_INT_H
#define WS_TOK_INT_H

#include "text.h"

/* Character classes used by the tokenizer. */
enum {
    C_SP = 0, /* whitespace, control characters, BOM: skipped */
    C_NL,     /* line break (\n \r \v \f NEL LS PS) */
    C_UP,     /* uppercase or titlecase letter */
    C_LO,     /* any other letter (and letter-like numbers) */
    C_DG,     /* decimal digit */
    C_MK,     /* combining mark, ZWJ, variation selector: extends a token */
    C_FM,     /* format character: extends a token, else skipped */
    C_HY,     /* hyphen: - U+2010 U+2011 */
    C_DA,     /* dash: U+2012..U+2015 */
    C_DT,     /* '.' */
    C_AP,     /* apostrophe-or-quote: ' U+2019 U+2018 */
    C_QT,     /* other quotation marks */
    C_PU,     /* punctuation */
    C_SY,     /* symbols, emoji, unassigned */
    C_IV      /* an invalid UTF-8 byte */
};

/*
 * Decodes one code point at s[i] (i < n). Returns it and sets *len, or
 * returns -1 with *len = 1 for an invalid byte (overlong, surrogate,
 * truncated, out of range, stray continuation). Never reads s[n].
 */
static inline int32_t ws_tok_decode(const unsigned char *s, size_t n, size_t i,
                                    uint32_t *len) {
    unsigned c = s[i];
    *len = 1;
    if (c < 0x80) return (int32_t)c;
    if (c < 0xC2 || c > 0xF4) return -1;
    uint32_t need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n - i <= need) return -1;
    unsigned lo = 0x80, hi = 0xBF, c1 = s[i + 1];
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (c1 < lo || c1 > hi) return -1;
    int32_t cp = (int32_t)(c & (0x3Fu >> need));
    for (uint32_t k = 1; k <= need; k++) {
        unsigned b = s[i + k];
        if ((b & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (int32_t)(b & 0x3F);
    }
    *len = need + 1;
    return cp;
}

/* Class of a code point (cp < 0: invalid byte). */
int ws_tok_class(int32_t cp);

/* Classes of the ASCII bytes. */
extern const unsigned char ws_tok_ascii_class[128];

/* Class at s[i] (i < n) with its length; ASCII is a table lookup. */
static inline int ws_tok_class_at(const unsigned char *s, size_t n, size_t i,
                                  uint32_t *len) {
    if (s[i] < 0x80) {
        *len = 1;
        return ws_tok_ascii_class[s[i]];
    }
    return ws_tok_class(ws_tok_decode(s, n, i, len));
}

static inline int ws_tok_class_alnum(int c) {
    return c == C_UP || c == C_LO || c == C_DG;
}

/* Abbreviations (without the final period). */
enum {
    WS_ABBR_NONE = 0,
    WS_ABBR_TITLE = 1,   /* "Gov": never ends a sentence */
    WS_ABBR_OTHER = 2,   /* "Dec", "Inc": ends one before a starter word */
    WS_ABBR_NUMBERED = 3 /* "No": an abbreviation only before a digit */
};
/* Kind of the abbreviation s[0..len) ("Gov" -> TITLE, "Dec" -> OTHER). */
int ws_tok_abbrev_kind(const char *s, size_t len);
/* Whether the word s[0..len) typically starts a sentence ("The", "He"). */
int ws_tok_is_starter(const char *s, size_t len);
/* Whether s[0..len) is a speech verb ("said", "asked"). */
int ws_tok_is_speech_verb(const char *s, size_t len);

/* Passes, run in this order by ws_text_analyze. */
ws_status ws_tok_scan(ws_arena *a, ws_text *t);       /* tokens + flags */
ws_status ws_tok_paragraphs(ws_arena *a, ws_text *t); /* paras, PARA_START */
ws_status ws_quote_pair(ws_arena *a, ws_text *t);     /* qrole, qdepth, quotes */
ws_status ws_sent_split(ws_arena *a, ws_text *t);     /* sentences */

/* Helpers on tokens. */
static inline int ws_tok_is_char(const ws_text *t, uint32_t i, char c) {
    return t->toks.v[i].end - t->toks.v[i].start == 1 &&
           t->s[t->toks.v[i].start] == c;
}

#endif /* WS_TOK_INT_H */
