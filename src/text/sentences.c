/*
 * sentences.c - sentence splitting inside paragraphs. A sentence ends at
 * . ! ? … (plus closing quotes and brackets glued to them) before a space
 * and a capitalised word, a number, an opening quote or bracket; after an
 * abbreviation, dotted acronym or initial only before a typical sentence
 * starter ("The", "He"); titles ("Gov.") never end one. A paragraph break
 * always ends a sentence. Runs after ws_quote_pair (uses qrole).
 */
#include "tok_int.h"

static int first_byte_is(const ws_text *t, uint32_t i, const char *set) {
    char c = t->s[t->toks.v[i].start];
    return ws_tok_len(t, i) == 1 && c && strchr(set, c);
}

/* . ! ? … ... and runs of them. */
static int is_end_punct(const ws_text *t, uint32_t i) {
    const ws_token *tk = &t->toks.v[i];
    if (tk->kind != WS_TOK_PUNCT) return 0;
    const char *p = ws_tok_ptr(t, i);
    if (*p == '.' || *p == '!' || *p == '?') return 1;
    return ws_tok_len(t, i) == 3 && memcmp(p, "\xE2\x80\xA6", 3) == 0;
}

/* Glued after end punctuation: more of it, closing quotes, brackets. */
static int is_trailer(const ws_text *t, uint32_t i) {
    const ws_token *tk = &t->toks.v[i];
    if (tk->flags & WS_TF_SPACE_BEFORE) return 0;
    if (tk->kind == WS_TOK_QUOTE) return tk->qrole != WS_Q_OPEN;
    return is_end_punct(t, i) || first_byte_is(t, i, ")]}");
}

/* Whether token k can begin a new sentence after ordinary end punct. */
static int opens_sentence(const ws_text *t, uint32_t k) {
    const ws_token *tk = &t->toks.v[k];
    if (!(tk->flags & WS_TF_SPACE_BEFORE)) return 0;
    if (tk->flags & WS_TF_CAP) return 1;
    unsigned char c = (unsigned char)t->s[tk->start];
    if (c >= '0' && c <= '9') return 1;
    if (tk->kind == WS_TOK_QUOTE) return tk->qrole == WS_Q_OPEN;
    return first_byte_is(t, k, "([{");
}

static int is_starter(const ws_text *t, uint32_t k) {
    const ws_token *tk = &t->toks.v[k];
    return (tk->flags & WS_TF_SPACE_BEFORE) &&
           ws_tok_is_starter(ws_tok_ptr(t, k), ws_tok_len(t, k));
}

/* "Why?" Trump asked. - a name and a speech verb after a question or
 * exclamation that closed a quote continue its sentence. */
static int quote_tail(const ws_text *t, uint32_t i, uint32_t k, uint32_t e) {
    char c = t->s[t->toks.v[i].start];
    if ((c != '?' && c != '!') || t->toks.v[k - 1].kind != WS_TOK_QUOTE)
        return 0;
    for (uint32_t x = k; x < e && x < k + 4; x++) {
        const ws_token *tk = &t->toks.v[x];
        if (x > k && tk->kind == WS_TOK_WORD && !(tk->flags & WS_TF_CAP))
            return ws_tok_is_speech_verb(ws_tok_ptr(t, x), ws_tok_len(t, x));
        if (tk->kind != WS_TOK_WORD || !(tk->flags & WS_TF_CAP)) return 0;
        if (x == k && ws_tok_is_starter(ws_tok_ptr(t, x), ws_tok_len(t, x)))
            return 0;
    }
    return 0;
}

/* Decide a split after the end token i whose trailers end at j. */
static int splits(const ws_text *t, uint32_t i, uint32_t k) {
    const ws_token *tk = &t->toks.v[i];
    if (tk->flags & WS_TF_INITIAL) return is_starter(t, k);
    if (tk->flags & WS_TF_ABBREV) {
        const char *p = ws_tok_ptr(t, i);
        int kind = ws_tok_abbrev_kind(p, ws_tok_len(t, i) - 1);
        if (kind == WS_ABBR_TITLE || kind == WS_ABBR_NUMBERED) return 0;
        return is_starter(t, k);
    }
    return is_end_punct(t, i) && opens_sentence(t, k);
}

/* A citation mark after the end: "[17]". Returns the tokens it covers. */
static uint32_t citation_len(const ws_text *t, uint32_t j, uint32_t e) {
    if (j + 3 >= e) return 0;
    if (!first_byte_is(t, j + 1, "[") || t->toks.v[j + 2].kind != WS_TOK_NUM ||
        !first_byte_is(t, j + 3, "]"))
        return 0;
    return 3;
}

static int push_sent(ws_arena *a, ws_text *t, uint32_t b, uint32_t e,
                     uint32_t para) {
    ws_sentence st;
    st.start = t->toks.v[b].start;
    st.end = t->toks.v[e - 1].end;
    st.tok_start = b;
    st.tok_end = e;
    st.para = para;
    uint32_t idx = (uint32_t)t->sents.n;
    for (uint32_t x = b; x < e; x++) t->toks.v[x].sent = idx;
    t->toks.v[b].flags |= WS_TF_SENT_START;
    return WS_VEC_PUSH(a, t->sents, st);
}

static ws_status split_para(ws_arena *a, ws_text *t, uint32_t p) {
    ws_paragraph *pp = &t->paras.v[p];
    uint32_t b = pp->tok_start, e = pp->tok_end;
    pp->sent_start = (uint32_t)t->sents.n;
    for (uint32_t i = b; i < e; i++) {
        const ws_token *tk = &t->toks.v[i];
        if (!is_end_punct(t, i) && !(tk->flags & (WS_TF_ABBREV | WS_TF_INITIAL)))
            continue;
        uint32_t j = i;
        while (j + 1 < e && is_trailer(t, j + 1)) j++;
        j += citation_len(t, j, e);
        if (j + 1 < e && splits(t, i, j + 1) && !quote_tail(t, i, j + 1, e)) {
            WS_RETURN_IF(push_sent(a, t, b, j + 1, p), WS_ERR_NOMEM);
            b = j + 1;
        }
        i = j;
    }
    if (b < e) WS_RETURN_IF(push_sent(a, t, b, e, p), WS_ERR_NOMEM);
    t->paras.v[p].sent_end = (uint32_t)t->sents.n;
    return WS_OK;
}

ws_status ws_sent_split(ws_arena *a, ws_text *t) {
    size_t guess = t->toks.n / 20 + 4;
    WS_RETURN_IF(WS_VEC_RESERVE(a, t->sents, guess), WS_ERR_NOMEM);
    for (uint32_t p = 0; p < t->paras.n; p++)
        WS_FORWARD_IF_ERROR(split_para(a, t, p));
    return WS_OK;
}
