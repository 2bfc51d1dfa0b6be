/*
 * text.h - text analysis: paragraphs, sentences, tokens, quotation marks.
 * All offsets are byte offsets into the document's exact input bytes.
 */
#ifndef WS_TEXT_H
#define WS_TEXT_H

#include "../internal.h"

/* Token kinds. */
typedef enum ws_tok_kind {
    WS_TOK_WORD = 0,  /* letters, digits inside words, hyphens, apostrophes */
    WS_TOK_NUM = 1,   /* 12, 3.5, 1,000, 2016 */
    WS_TOK_PUNCT = 2, /* . , ; : ! ? ( ) [ ] - -- — – … / & etc. */
    WS_TOK_QUOTE = 3, /* a quotation mark: " “ ” ‘ ’ « » „ ‹ › ' ` `` '' */
    WS_TOK_SYM = 4,   /* anything else: $ % @ # emoji, invalid bytes */
    WS_TOK_CLITIC = 5 /* 's n't 're 've 'll 'd 'm split off a word (PTB) */
} ws_tok_kind;

/* Token flags. */
#define WS_TF_CAP 0x0001u       /* first letter uppercase */
#define WS_TF_ALLCAPS 0x0002u   /* all letters uppercase, >= 2 letters */
#define WS_TF_SPACE_BEFORE 0x0004u /* whitespace precedes the token */
#define WS_TF_NL_BEFORE 0x0008u /* a line break precedes it */
#define WS_TF_PARA_START 0x0010u /* first token of a paragraph */
#define WS_TF_SENT_START 0x0020u /* first token of a sentence */
#define WS_TF_ABBREV 0x0040u    /* word with a final period kept: "Gov." */
#define WS_TF_INVALID 0x0080u   /* contains invalid UTF-8 bytes */
#define WS_TF_HAS_DIGIT 0x0100u
#define WS_TF_HAS_HYPHEN 0x0200u
#define WS_TF_INITIAL 0x0400u   /* single letter + period: "J." */

/* Quote roles (for WS_TOK_QUOTE tokens, set by the quote pass). */
typedef enum ws_qrole {
    WS_Q_NONE = 0,   /* not a quote mark, or an apostrophe/unpaired mark */
    WS_Q_OPEN = 1,
    WS_Q_CLOSE = 2
} ws_qrole;

typedef struct ws_token {
    uint32_t start, end; /* bytes */
    uint32_t sent;       /* sentence index */
    uint16_t flags;
    uint8_t kind;        /* ws_tok_kind */
    uint8_t qrole;       /* ws_qrole */
    uint8_t qdepth;      /* quote nesting depth of the token (0 = outside) */
    uint8_t pos;         /* part-of-speech tag id (model/pos.h), 0 = unknown */
    uint16_t pad;
} ws_token;

typedef struct ws_sentence {
    uint32_t start, end;         /* bytes, trimmed of surrounding space */
    uint32_t tok_start, tok_end; /* token range, half-open */
    uint32_t para;               /* paragraph index */
} ws_sentence;

typedef struct ws_paragraph {
    uint32_t start, end;         /* bytes, trimmed of surrounding space */
    uint32_t sent_start, sent_end;
    uint32_t tok_start, tok_end; /* token range, half-open */
} ws_paragraph;

/*
 * A matched quotation: from an opening mark to its closing mark, possibly
 * across paragraphs (a paragraph that opens a quote without closing it
 * continues into the next paragraph that opens with a mark).
 */
typedef struct ws_quotation {
    uint32_t open_tok, close_tok; /* token indices of the marks; close_tok ==
                                     UINT32_MAX when never closed */
    uint32_t start, end;          /* bytes of the inner text (between marks) */
    uint8_t depth;                /* 1 = outermost */
    uint8_t multi_para;           /* spans more than one paragraph */
    uint16_t n_words;             /* words inside */
} ws_quotation;

struct ws_lexidx;

typedef struct ws_text {
    const char *s; /* the input bytes (not owned) */
    uint32_t n;
    WS_VEC(ws_token) toks;
    WS_VEC(ws_sentence) sents;
    WS_VEC(ws_paragraph) paras;
    WS_VEC(ws_quotation) quotes;
    /* Lowercase view, built once by ws_text_analyze: token i's full
     * ws_tok_lower form is low + low_off[i], NUL-terminated, of length
     * low_off[i + 1] - low_off[i] - 1. NULL when absent (then every
     * accessor lowercases on the fly). */
    char *low;
    uint32_t *low_off;
    /* low_hash[i] = ws_hash_bytes(WS_HASH_SEED, lowercase form of token i,
     * its full length): built with the view, NULL when the view is. */
    uint64_t *low_hash;
    /* Lexicon entry of each token (attrib/lex_index.h), filled by the
     * attribution stages on first use; NULL until then. */
    const uint16_t *lex_id;
    const struct ws_lexidx *lex;
} ws_text;

/*
 * Tokenise, split paragraphs and sentences, pair quotation marks.
 * Allocates in arena `a`. Returns WS_OK, WS_ERR_NOMEM or WS_ERR_TOO_LARGE
 * (n >= 2^32 - 1). Any bytes are accepted; never reads past s[n-1].
 */
ws_status ws_text_analyze(ws_arena *a, const char *s, size_t n, ws_text *out);

/*
 * Writes the token's lowercased, NFKC-casefolded-lite form (ASCII lowercase,
 * Unicode lowercase via utf8proc; curly apostrophes mapped to '\'') into
 * buf (cap bytes, NUL-terminated, truncated if longer). Returns its length.
 */
size_t ws_tok_lower(const ws_text *t, uint32_t tok, char *buf, size_t cap);

/*
 * The same lowercased form without a copy when possible: returns a pointer
 * into the document's lowercase view when the whole form fits in cap - 1
 * bytes, else writes it into buf (as ws_tok_lower does) and returns buf.
 * *len gets its length. Read-only; the pointer lives as long as the text.
 */
static inline const char *ws_tok_lowp(const ws_text *t, uint32_t i, char *buf,
                                      size_t cap, size_t *len) {
    if (t->low) {
        size_t n = t->low_off[i + 1] - t->low_off[i] - 1;
        if (n < cap) {
            *len = n;
            return t->low + t->low_off[i];
        }
    }
    *len = ws_tok_lower(t, i, buf, cap);
    return buf;
}

/* Pointer and length of a token's raw bytes. */
static inline const char *ws_tok_ptr(const ws_text *t, uint32_t i) {
    return t->s + t->toks.v[i].start;
}
static inline uint32_t ws_tok_len(const ws_text *t, uint32_t i) {
    return t->toks.v[i].end - t->toks.v[i].start;
}
/* Token equals ASCII string (case-sensitive / insensitive). Inline: with
 * a literal, the compiler folds strlen and rejects most tokens by length. */
static inline int ws_tok_is(const ws_text *t, uint32_t i, const char *lit) {
    size_t len = strlen(lit);
    return ws_tok_len(t, i) == len && memcmp(ws_tok_ptr(t, i), lit, len) == 0;
}
static inline int ws_tok_ieq(const ws_text *t, uint32_t i, const char *lit) {
    size_t len = strlen(lit);
    if (ws_tok_len(t, i) != len) return 0;
    const char *p = ws_tok_ptr(t, i);
    for (size_t k = 0; k < len; k++) {
        unsigned char x = (unsigned char)p[k], y = (unsigned char)lit[k];
        if (x >= 'A' && x <= 'Z') x |= 0x20;
        if (y >= 'A' && y <= 'Z') y |= 0x20;
        if (x != y) return 0;
    }
    return 1;
}

/* Index of the first token whose end lies after byte `off` (the token that
 * holds or follows `off`); t->toks.n when none. Binary search. */
uint32_t ws_tok_after(const ws_text *t, uint32_t off);

#endif /* WS_TEXT_H */
