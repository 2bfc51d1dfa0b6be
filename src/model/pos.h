/*
 * pos.h - part-of-speech tagger: an averaged perceptron over hashed
 * features, greedy left to right, predicting Penn Treebank tags (the XPOS
 * column of UD English).
 *
 * The model is a blob compiled into the library (data/models/pos.bin, made
 * by tools/train_pos.c; see data/models/README.md). The feature function is
 * shared by training and inference: both turn each token's string into a
 * ws_pos_tok (ws_pos_tok_init) and call ws_pos_features on the sentence.
 */
#ifndef WS_POS_H
#define WS_POS_H

#include "../internal.h"

/* Tag ids: stable, 0 = unknown. ws_token.pos holds one of these. */
enum ws_pos_tag_id {
    WS_POS_NONE = 0,
    WS_POS_NN, WS_POS_NNS, WS_POS_NNP, WS_POS_NNPS,
    WS_POS_VB, WS_POS_VBD, WS_POS_VBG, WS_POS_VBN, WS_POS_VBP, WS_POS_VBZ,
    WS_POS_PRP, WS_POS_PRPS, WS_POS_DT, WS_POS_IN, WS_POS_JJ, WS_POS_RB,
    WS_POS_CC, WS_POS_MD, WS_POS_TO, WS_POS_POS, WS_POS_WP, WS_POS_WDT,
    WS_POS_CD, WS_POS_JJR, WS_POS_JJS, WS_POS_RBR, WS_POS_RBS, WS_POS_RP,
    WS_POS_EX, WS_POS_PDT, WS_POS_UH, WS_POS_WRB, WS_POS_WPS, WS_POS_FW,
    WS_POS_SYM, WS_POS_LS,
    WS_POS_LQUOTE, /* `` */
    WS_POS_RQUOTE, /* '' */
    WS_POS_COMMA,  /* , */
    WS_POS_PERIOD, /* . */
    WS_POS_COLON,  /* : */
    WS_POS_LRB, WS_POS_RRB, WS_POS_HYPH, WS_POS_NFP, WS_POS_ADD, WS_POS_GW,
    WS_POS_XX, WS_POS_AFX,
    WS_POS_DOLLAR, /* $ */
    WS_POS_HASH,   /* # */
    WS_POS_NTAGS   /* number of ids, including 0 */
};

/* Tag name ("NN", "PRP$", "``") of an id; "" for 0 or out of range. */
const char *ws_pos_name(unsigned id);
/* Id of a tag name; 0 if unknown. */
unsigned ws_pos_id(const char *name);

/* Handy predicates over ids. */
#define WS_POS_IS_NOUN(t) ((t) >= WS_POS_NN && (t) <= WS_POS_NNPS)
#define WS_POS_IS_PROPER(t) ((t) == WS_POS_NNP || (t) == WS_POS_NNPS)
#define WS_POS_IS_VERB(t) ((t) >= WS_POS_VB && (t) <= WS_POS_VBZ)

/* ---- Feature extraction (shared by training and inference) ---- */

#define WS_POS_WORD_MAX 64   /* longer words are truncated for features */
#define WS_POS_MAX_FEATS 32  /* ws_pos_features writes at most this many */

/* Token flags computed by ws_pos_tok_init. */
#define WS_POS_F_CAP 0x01u     /* first letter uppercase */
#define WS_POS_F_ALLCAPS 0x02u /* >= 2 letters, all uppercase */
#define WS_POS_F_DIGIT 0x04u
#define WS_POS_F_HYPHEN 0x08u
#define WS_POS_F_ALPHA 0x10u   /* has a letter */
#define WS_POS_F_PUNCT 0x20u   /* no letter and no digit */

/* One token, reduced to hashes of its parts. */
typedef struct ws_pos_tok {
    uint64_t word;   /* lowercased form */
    uint64_t shape;  /* Xxx / dd / X.X. */
    uint64_t pre[3]; /* lowercased prefixes of 1..3 bytes */
    uint64_t suf[4]; /* lowercased suffixes of 1..4 bytes */
    uint32_t flags;  /* WS_POS_F_* */
} ws_pos_tok;

/*
 * Lowercases s[0..n) into buf (cap >= 1, NUL-terminated, truncated at a
 * character boundary): ASCII and Unicode lowercase, curly apostrophes
 * mapped to '\''. Returns the length written.
 */
size_t ws_pos_lower(const char *s, size_t n, char *buf, size_t cap);

/*
 * Quote marks as the model sees them: returns "``" or "''" for a quotation
 * mark (" “ ” ‘ ’ « » „ ` ' and doubled forms), or NULL for anything else.
 * open = 1 (opening) or 0 (closing) when the caller paired the mark: any
 * mark maps. open = -1 (unknown): a lone ' or ’ is not mapped (it is more
 * often an apostrophe), others are decided by the mark itself ("“" opens)
 * and then by space_before. Training maps every token whose gold tag is
 * `` or '' to that tag's name, which is what the paired marks give.
 */
const char *ws_pos_quote_form(const char *s, size_t n, int open,
                              int space_before);

/* Fills *t from a token's bytes (already quote-normalised). */
void ws_pos_tok_init(ws_pos_tok *t, const char *s, size_t n);

/*
 * Feature hashes of token i of the sentence toks[0..n), given whether its
 * word is in the model's vocabulary (known: seen at least twice in
 * training) and the tags predicted for tokens i-1 (p1) and i-2 (p2) (0
 * before the start). Writes
 * at most WS_POS_MAX_FEATS hashes to out and returns how many.
 */
size_t ws_pos_features(const ws_pos_tok *toks, size_t n, size_t i,
                       unsigned known, unsigned p1, unsigned p2, uint64_t *out);
/* The same features in two parts: those of the words only (always
 * WS_POS_NSTATIC of them) and those that use p1, p2. */
#define WS_POS_NSTATIC 29
size_t ws_pos_features_static(const ws_pos_tok *toks, size_t n, size_t i,
                              unsigned known, uint64_t *out);
size_t ws_pos_features_dyn(const ws_pos_tok *toks, size_t n, size_t i,
                           unsigned p1, unsigned p2, uint64_t *out);

/* ---- The model ---- */

#define WS_POS_MAGIC "WSPOSTG\0"
#define WS_POS_VERSION 2u
#define WS_POS_HEADER 32u /* bytes before the feature records */
#define WS_POS_KNOWN 0x80u /* vocabulary bit of a dictionary entry */

struct ws_pos_model;

/*
 * Builds a model from a blob (format in data/models/README.md). Returns
 * WS_OK, WS_ERR_MODEL if the blob is corrupt, or WS_ERR_NOMEM. The model is
 * read-only afterwards; free it with ws_pos_free (models.h).
 */
ws_status ws_pos_load_blob(const ws_mem *m, const void *data, size_t size,
                           struct ws_pos_model **out);

/*
 * Greedy tagging of one prepared sentence toks[0..n); writes tags[0..n).
 * Allocates nothing; thread-safe on a shared model.
 */
void ws_pos_tag_toks(const struct ws_pos_model *pm, const ws_pos_tok *toks,
                     size_t n, uint8_t *tags);

/*
 * Tags a sentence given as strings (words[i], lens[i]); quote marks are
 * normalised with ws_pos_quote_form(open = -1). scratch holds n entries.
 * For tests and tools.
 */
void ws_pos_tag_words(const struct ws_pos_model *pm, const char *const *words,
                      const size_t *lens, size_t n, ws_pos_tok *scratch,
                      uint8_t *tags);

/*
 * Tags document d as ws_pos_tag does (doc.h), but through the reference
 * path: every token reduced with ws_pos_tok_init and each sentence tagged
 * by ws_pos_tag_toks. ws_pos_tag itself shares the work between tokens of
 * the same string (word types) and must give exactly these tags; tests
 * compare the two. Returns WS_OK or WS_ERR_NOMEM.
 */
ws_status ws_pos_tag_reference(const ws_engine *e, ws_doc *d);

#endif /* WS_POS_H */
