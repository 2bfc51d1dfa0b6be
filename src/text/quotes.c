/*
 * quotes.c - pairing quotation marks into (nested) quotations.
 *
 * A mark has a family (double, single, guillemet, single guillemet) and a
 * preferred direction: “ ‘ « ‹ „ ‚ ` `` open, ” ’ » › close, ASCII " ' ''
 * take their direction from the context. A closing mark closes the nearest
 * open quotation of its family; marks opened above it and still open are
 * dropped (they were apostrophes or typos), so quotations always nest. An
 * opening mark of the same family but a different character closes too
 * („…“, »…«), as does “ glued to a word before a space (“…“ typos). A
 * single quote never closes across an open double quote (there it is an
 * apostrophe). ASCII ' opens only at a word start when a closing ' follows
 * in the same paragraph. At a paragraph end open quotations close, except
 * the outermost one when the next paragraph opens with a mark of its family
 * (the multi-paragraph convention): that mark gets qrole OPEN but opens no
 * new quotation. Nesting is capped at 32; deeper openers are ignored.
 */
#include "tok_int.h"

enum { F_NONE = 0, F_DQ, F_SQ, F_GQ, F_SGQ };
enum { P_OPEN = 1, P_CLOSE, P_BOTH };
#define QMAX 32

typedef struct qmark {
    uint8_t fam, pref;
    int32_t cp; /* the mark's code point; doubled marks: `` = 0x6060 ... */
} qmark;

typedef struct qentry {
    uint32_t tok, q, words;
    uint8_t fam;
    int32_t cp;
} qentry;

typedef struct qstate {
    ws_arena *a;
    ws_text *t;
    qentry st[QMAX];
    uint32_t depth;
    uint32_t words;     /* WORD and NUM tokens seen so far */
    uint32_t cont_tok;  /* first token of a continued quotation's paragraph */
    uint32_t pb, pe;    /* the current paragraph's tokens */
    uint32_t last_sq;   /* last closing-looking ASCII ' in the paragraph */
} qstate;

static qmark mark_of(const ws_text *t, uint32_t i) {
    const unsigned char *p = (const unsigned char *)ws_tok_ptr(t, i);
    uint32_t len = ws_tok_len(t, i), l;
    qmark m = {F_NONE, P_BOTH, -1};
    if (len == 2 && p[0] == '`') return (qmark){F_DQ, P_OPEN, 0x6060};
    if (len == 2 && p[0] == '\'') return (qmark){F_DQ, P_BOTH, 0x2727};
    m.cp = ws_tok_decode(p, len, 0, &l);
    if (len == 6 && m.cp == 0x2018) return (qmark){F_DQ, P_OPEN, 0x20182018};
    if (len == 6 && m.cp == 0x2019) return (qmark){F_DQ, P_CLOSE, 0x20192019};
    switch (m.cp) {
    case '"': m.fam = F_DQ; break;
    case '\'': m.fam = F_SQ; break;
    case '`': m.fam = F_SQ; m.pref = P_OPEN; break;
    case 0x201C: case 0x201E: case 0x201F: m.fam = F_DQ; m.pref = P_OPEN; break;
    case 0x201D: m.fam = F_DQ; m.pref = P_CLOSE; break;
    case 0x2018: case 0x201A: case 0x201B: m.fam = F_SQ; m.pref = P_OPEN; break;
    case 0x2019: m.fam = F_SQ; m.pref = P_CLOSE; break;
    case 0x00AB: m.fam = F_GQ; m.pref = P_OPEN; break;
    case 0x00BB: m.fam = F_GQ; m.pref = P_CLOSE; break;
    case 0x2039: m.fam = F_SGQ; m.pref = P_OPEN; break;
    case 0x203A: m.fam = F_SGQ; m.pref = P_CLOSE; break;
    default: break;
    }
    return m;
}

static int spaced(const ws_text *t, uint32_t i) {
    return (t->toks.v[i].flags & WS_TF_SPACE_BEFORE) != 0;
}

/* Space, paragraph start, an opening bracket, dash or mark before i, and
 * a token glued after it. */
static int openish(const qstate *q, uint32_t i) {
    const ws_text *t = q->t;
    if (i + 1 >= q->pe || spaced(t, i + 1)) return 0;
    if (i == q->pb || spaced(t, i)) return 1;
    const ws_token *pv = &t->toks.v[i - 1];
    if (pv->kind == WS_TOK_QUOTE) return pv->qrole == WS_Q_OPEN;
    if (pv->kind != WS_TOK_PUNCT) return 0;
    unsigned char c = (unsigned char)t->s[pv->start];
    return c == '(' || c == '[' || c == '{' || c == '-' || c == 0xE2;
}

/* Glued to the token before, and a space, punctuation or the end after. */
static int closeish(const qstate *q, uint32_t i) {
    const ws_text *t = q->t;
    if (i == q->pb || spaced(t, i)) return 0;
    if (i + 1 >= q->pe || spaced(t, i + 1)) return 1;
    int k = t->toks.v[i + 1].kind;
    return k == WS_TOK_PUNCT || k == WS_TOK_QUOTE || k == WS_TOK_CLITIC;
}

static int is_ascii_apos(const ws_text *t, uint32_t i) {
    return t->toks.v[i].kind == WS_TOK_QUOTE && ws_tok_is_char(t, i, '\'');
}

static void set_mark(qstate *q, uint32_t i, int role, uint32_t depth) {
    q->t->toks.v[i].qrole = (uint8_t)role;
    q->t->toks.v[i].qdepth = (uint8_t)depth;
}

static int find_family(const qstate *q, int fam) {
    for (uint32_t k = q->depth; k-- > 0;)
        if (q->st[k].fam == fam) return (int)k;
    return -1;
}

static int open_mark(qstate *q, uint32_t i, const qmark *m) {
    if (q->depth == QMAX) {
        set_mark(q, i, WS_Q_NONE, q->depth);
        return 0;
    }
    ws_quotation qu;
    memset(&qu, 0, sizeof qu);
    qu.open_tok = i;
    qu.close_tok = UINT32_MAX;
    qu.start = qu.end = q->t->toks.v[i].end;
    qu.depth = (uint8_t)(q->depth + 1);
    qentry e = {i, (uint32_t)q->t->quotes.n, q->words, m->fam, m->cp};
    if (WS_VEC_PUSH(q->a, q->t->quotes, qu)) return -1;
    q->st[q->depth++] = e;
    set_mark(q, i, WS_Q_OPEN, q->depth);
    return 0;
}

/* Forget the open entry at the top of the stack: its mark was no opener. */
static void drop_top(qstate *q, uint32_t now) {
    ws_text *t = q->t;
    qentry *e = &q->st[--q->depth];
    set_mark(q, e->tok, WS_Q_NONE, q->depth);
    for (uint32_t x = e->tok + 1; x < now; x++)
        if (t->toks.v[x].qdepth) t->toks.v[x].qdepth--;
    for (size_t x = e->q + 1; x < t->quotes.n; x++)
        if (t->quotes.v[x].depth > 1) t->quotes.v[x].depth--;
    t->quotes.v[e->q].open_tok = UINT32_MAX; /* removed by compact() */
}

static void finish(qstate *q, const qentry *e, uint32_t close, uint32_t end) {
    ws_quotation *qu = &q->t->quotes.v[e->q];
    uint32_t w = q->words - e->words;
    qu->close_tok = close;
    qu->end = end;
    qu->n_words = (uint16_t)(w > 0xFFFF ? 0xFFFF : w);
}

static void close_mark(qstate *q, int k, uint32_t i) {
    while (q->depth > (uint32_t)k + 1) drop_top(q, i);
    q->depth--;
    finish(q, &q->st[q->depth], i, q->t->toks.v[i].start);
    set_mark(q, i, WS_Q_CLOSE, q->depth + 1);
}

static int reversed_opener(int32_t cp) {
    return cp == 0x201D || cp == 0x00BB || cp == 0x203A;
}

static int handle_mark(qstate *q, uint32_t i) {
    if (i == q->cont_tok) {
        q->cont_tok = UINT32_MAX;
        set_mark(q, i, WS_Q_OPEN, q->depth);
        return 0;
    }
    qmark m = mark_of(q->t, i);
    int k = find_family(q, m.fam), oi = openish(q, i), ci = closeish(q, i);
    if (m.fam == F_NONE) {
        set_mark(q, i, WS_Q_NONE, q->depth);
        return 0;
    }
    /* a single quote never closes across an open double quote: there it
     * is an apostrophe ("‘bout “Surge ... residents’ routines”") */
    if (m.fam == F_SQ && k >= 0 && (uint32_t)k + 1 != q->depth) k = -1;
    if (m.pref == P_CLOSE) {
        if (k >= 0) return close_mark(q, k, i), 0;
        if (reversed_opener(m.cp) && oi && !ci) return open_mark(q, i, &m);
    } else if (m.pref == P_OPEN) {
        /* „…“ and »…«, and “…“ typed with the wrong mark */
        if (k >= 0 && !oi && (ci || q->st[k].cp != m.cp))
            return close_mark(q, k, i), 0;
        return open_mark(q, i, &m);
    } else if (m.cp == '\'') {
        if (k >= 0 && (ci || !oi)) return close_mark(q, k, i), 0;
        if (oi && q->last_sq != UINT32_MAX && q->last_sq > i)
            return open_mark(q, i, &m);
    } else {
        if (k >= 0) return close_mark(q, k, i), 0;
        if (oi) return open_mark(q, i, &m);
    }
    set_mark(q, i, WS_Q_NONE, q->depth);
    return 0;
}

/* Whether paragraph p+1 continues the outermost open quotation. */
static int continues(const qstate *q, uint32_t p) {
    const ws_text *t = q->t;
    if (p + 1 >= t->paras.n) return 0;
    uint32_t f = t->paras.v[p + 1].tok_start, fe = t->paras.v[p + 1].tok_end;
    if (t->toks.v[f].kind != WS_TOK_QUOTE) return 0;
    qmark m = mark_of(t, f);
    if (m.fam != q->st[0].fam) return 0;
    if (m.pref == P_OPEN) return 1;
    return m.pref == P_BOTH && f + 1 < fe && !spaced(t, f + 1);
}

static void end_para(qstate *q, uint32_t p) {
    if (!q->depth) return;
    int cont = continues(q, p);
    uint32_t keep = cont ? 1 : 0, end = q->t->paras.v[p].end;
    while (q->depth > keep) {
        q->depth--;
        finish(q, &q->st[q->depth], UINT32_MAX, end);
    }
    if (cont) {
        q->t->quotes.v[q->st[0].q].multi_para = 1;
        q->cont_tok = q->t->paras.v[p + 1].tok_start;
    }
}

static uint32_t last_closing_apos(const qstate *q) {
    for (uint32_t i = q->pe; i-- > q->pb;)
        if (is_ascii_apos(q->t, i) && closeish(q, i)) return i;
    return UINT32_MAX;
}

static int pair_para(qstate *q, uint32_t p) {
    ws_text *t = q->t;
    q->pb = t->paras.v[p].tok_start;
    q->pe = t->paras.v[p].tok_end;
    q->last_sq = last_closing_apos(q);
    for (uint32_t i = q->pb; i < q->pe; i++) {
        ws_token *tk = &t->toks.v[i];
        if (tk->kind == WS_TOK_QUOTE) {
            if (handle_mark(q, i)) return -1;
            continue;
        }
        tk->qdepth = (uint8_t)q->depth;
        q->words += tk->kind == WS_TOK_WORD || tk->kind == WS_TOK_NUM;
    }
    end_para(q, p);
    return 0;
}

/* Removes dropped quotations (open_tok == UINT32_MAX), keeping order. */
static void compact(ws_text *t) {
    size_t o = 0;
    for (size_t i = 0; i < t->quotes.n; i++)
        if (t->quotes.v[i].open_tok != UINT32_MAX) t->quotes.v[o++] = t->quotes.v[i];
    t->quotes.n = o;
}

ws_status ws_quote_pair(ws_arena *a, ws_text *t) {
    qstate q;
    memset(&q, 0, sizeof q);
    q.a = a;
    q.t = t;
    q.cont_tok = UINT32_MAX;
    for (uint32_t p = 0; p < t->paras.n; p++)
        WS_RETURN_IF(pair_para(&q, p), WS_ERR_NOMEM);
    compact(t);
    return WS_OK;
}
