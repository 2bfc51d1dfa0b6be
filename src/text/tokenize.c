/*
 * tokenize.c - the tokenizer (PTB / UD English style) and the entry point
 * ws_text_analyze, which runs: tokens -> paragraphs -> quotes -> sentences.
 * Also the small token accessors ws_tok_lower, ws_tok_is, ws_tok_ieq.
 *
 * Conventions: punctuation is split off words; clitics ('s n't 're 've 'll
 * 'd 'm, also with ’) are CLITIC tokens; hyphenated words, numbers with
 * , . / : inside, URLs, e-mail addresses and domain names are one token;
 * abbreviations ("Gov.", "U.S.") and initials ("J.") keep their period,
 * except a period that ends the sentence ("in the U.S. The ...", "Plan B."
 * at a line end), which becomes its own token so spans can end before it.
 */
#include "tok_int.h"

#include <utf8proc.h>

typedef struct scanner {
    ws_arena *a;
    ws_text *t;
    const unsigned char *s;
    size_t n;
    size_t i;      /* next byte to read */
    uint16_t pend; /* SPACE_BEFORE / NL_BEFORE for the next token */
} scanner;

static inline int emit(scanner *sc, size_t start, size_t end, int kind,
                       uint16_t flags) {
    ws_text *t = sc->t;
    if (WS_VEC_RESERVE(sc->a, t->toks, t->toks.n + 1)) return -1;
    ws_token *tk = &t->toks.v[t->toks.n++];
    tk->start = (uint32_t)start;
    tk->end = (uint32_t)end;
    tk->sent = 0;
    tk->flags = (uint16_t)(flags | sc->pend);
    tk->kind = (uint8_t)kind;
    tk->qrole = tk->qdepth = tk->pos = 0;
    tk->pad = 0;
    sc->pend = 0;
    sc->i = end;
    return 0;
}

static int class_at(const scanner *sc, size_t i) {
    uint32_t len;
    return i < sc->n ? ws_tok_class_at(sc->s, sc->n, i, &len) : C_SP;
}

static int is_digit_at(const scanner *sc, size_t i) {
    return i < sc->n && sc->s[i] >= '0' && sc->s[i] <= '9';
}

static int is_ascii_alpha(unsigned char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* ---- words ---------------------------------------------------------- */

/* A clitic starting at the apostrophe `ap` (length alen) of the word that
 * begins at ws: sets [*cs, *ce) and returns 1 ("'s", "n't", ...). */
static int clitic_at(const scanner *sc, size_t ws, size_t ap, uint32_t alen,
                     size_t *cs, size_t *ce) {
    static const char *const cl[] = {"s", "re", "ve", "ll", "d", "m", "t"};
    size_t j = ap + alen;
    for (size_t k = 0; k < sizeof cl / sizeof cl[0]; k++) {
        size_t m = strlen(cl[k]), x;
        if (j + m > sc->n) continue;
        for (x = 0; x < m && (sc->s[j + x] | 0x20) == cl[k][x]; x++) {}
        if (x < m) continue;
        int after = class_at(sc, j + m);
        if (ws_tok_class_alnum(after) || after == C_MK) continue;
        if (cl[k][0] != 't') {
            *cs = ap;
            *ce = j + m;
            return 1;
        }
        if (ap - 1 <= ws || (sc->s[ap - 1] | 0x20) != 'n') return 0;
        *cs = ap - 1;
        *ce = j + 1;
        return 1;
    }
    return 0;
}

typedef struct word_info {
    uint16_t flags;
    uint32_t letters, upper, cps;
} word_info;

/* Accounts for one code point of class c in a word. */
static void count_cp(word_info *w, int c) {
    if (c == C_UP || c == C_LO) {
        if (w->letters == 0 && c == C_UP) w->flags |= WS_TF_CAP;
        w->letters++;
        w->upper += c == C_UP;
    } else if (c == C_DG) {
        w->flags |= WS_TF_HAS_DIGIT;
    } else if (c == C_HY) {
        w->flags |= WS_TF_HAS_HYPHEN;
    } else if (c == C_IV) {
        w->flags |= WS_TF_INVALID;
    }
    w->cps++;
}

/* Flags of the bytes [i, end). */
static word_info word_flags(const scanner *sc, size_t i, size_t end) {
    word_info w = {0, 0, 0, 0};
    while (i < end) {
        uint32_t len;
        count_cp(&w, ws_tok_class_at(sc->s, sc->n, i, &len));
        i += len;
    }
    return w;
}

static uint16_t final_flags(const word_info *w) {
    int allcaps = w->letters >= 2 && w->upper == w->letters;
    return (uint16_t)(w->flags | (allcaps ? WS_TF_ALLCAPS : 0));
}

/* Whether the character of class c at i continues the word. */
static int continues_word(const scanner *sc, size_t ws, size_t i, int c,
                          uint32_t len, int prev) {
    if (ws_tok_class_alnum(c) || c == C_MK || c == C_FM) return 1;
    if (c == C_IV) return i > ws;
    if (c == C_HY)
        return ws_tok_class_alnum(prev) && ws_tok_class_alnum(class_at(sc, i + len));
    unsigned char b = sc->s[i];
    if (b == '.' || b == ',' || b == '/' || b == ':')
        if (prev == C_DG && is_digit_at(sc, i + 1)) return 1; /* 3.5 10:30 */
    if (b == '.' && ws_tok_class_alnum(prev) && i + 1 < sc->n)
        return sc->s[i + 1] >= 'a' && sc->s[i + 1] <= 'z'; /* Amazon.com */
    return 0;
}

/* End of the word starting at i, its flags in *w (without ALLCAPS); a
 * clitic split off sets *cs < *ce. */
static size_t word_end(const scanner *sc, size_t i, size_t *cs, size_t *ce,
                       word_info *w) {
    size_t ws = i;
    int prev = C_SP;
    *cs = *ce = 0;
    while (i < sc->n) {
        if ((unsigned)(sc->s[i] - 'a') < 26u) { /* fast path: a run of a-z */
            size_t j = i + 1;
            while (j < sc->n && (unsigned)(sc->s[j] - 'a') < 26u) j++;
            w->letters += (uint32_t)(j - i);
            w->cps += (uint32_t)(j - i);
            prev = C_LO;
            i = j;
            continue;
        }
        uint32_t len;
        int c = ws_tok_class_at(sc->s, sc->n, i, &len);
        if (c == C_AP && ws_tok_class_alnum(prev)) {
            if (clitic_at(sc, ws, i, len, cs, ce)) {
                if (*cs < i) *w = word_flags(sc, ws, *cs); /* n't */
                return *cs;
            }
            int nx = class_at(sc, i + len);
            if (nx != C_UP && nx != C_LO) break;
        } else if (!continues_word(sc, ws, i, c, len, prev)) {
            break;
        }
        count_cp(w, c);
        if (c == C_IV || (c == C_MK && prev == C_SP)) prev = C_LO;
        else if (c != C_FM && c != C_MK) prev = c;
        i += len;
    }
    return i;
}

/* Dotted acronym at i: ("U." "S.") 1-2 ASCII letters and a period, at least
 * twice, not followed by a letter or digit. Returns its end or 0. */
static size_t acronym_end(const scanner *sc, size_t i) {
    size_t segs = 0;
    if (!(i + 2 < sc->n && (sc->s[i + 1] == '.' || sc->s[i + 2] == '.')))
        return 0; /* fast rejection */
    for (;;) {
        size_t j = i;
        while (j < sc->n && j - i < 3 && is_ascii_alpha(sc->s[j])) j++;
        if (j == i || j - i > 2 || j >= sc->n || sc->s[j] != '.') break;
        i = j + 1;
        segs++;
    }
    if (segs < 2 || ws_tok_class_alnum(class_at(sc, i))) return 0;
    return i;
}

/* Flags gained by keeping a final period on the word [ws, we). */
static uint16_t period_flags(const scanner *sc, size_t ws, size_t we,
                             const word_info *w) {
    if (we >= sc->n || sc->s[we] != '.' || (w->flags & WS_TF_HAS_DIGIT))
        return 0;
    if (we + 1 < sc->n && sc->s[we + 1] == '.') return 0;
    int after = class_at(sc, we + 1);
    if (ws_tok_class_alnum(after)) return 0;
    int kind = ws_tok_abbrev_kind((const char *)sc->s + ws, we - ws);
    if (kind == WS_ABBR_NUMBERED)
        return we + 2 < sc->n && sc->s[we + 1] == ' ' && is_digit_at(sc, we + 2)
                   ? WS_TF_ABBREV : 0;
    if (kind != WS_ABBR_NONE) return WS_TF_ABBREV;
    if (w->cps == 1 && (w->flags & WS_TF_CAP)) return WS_TF_INITIAL;
    return 0;
}

/*
 * Whether the period ending at j (exclusive) ends the sentence: a line
 * break or the end follows (after closing quotes and brackets), or, unless
 * the abbreviation is a title, a space and a typical sentence starter. Then
 * the period becomes its own token, so spans can end before it.
 */
static int period_ends_sentence(const scanner *sc, size_t j, int title) {
    uint32_t len;
    int spaced = 0;
    while (j < sc->n) {
        int c = ws_tok_class_at(sc->s, sc->n, j, &len);
        if (c == C_NL) return 1;
        if (c == C_SP) spaced = 1;
        else if (spaced || !(c == C_AP || c == C_QT || sc->s[j] == ')' || sc->s[j] == ']'))
            break;
        j += len;
    }
    if (j >= sc->n) return 1;
    if (!spaced || title) return 0;
    size_t k = j;
    while (k < sc->n && k - j < 16 && is_ascii_alpha(sc->s[k])) k++;
    return ws_tok_is_starter((const char *)sc->s + j, k - j);
}

/* Emits the word [ws, we) and a period token after it. */
static int emit_split_period(scanner *sc, size_t ws, size_t we, int kind,
                             uint16_t flags) {
    if (emit(sc, ws, we, kind, flags)) return -1;
    return emit(sc, we, we + 1, WS_TOK_PUNCT, 0);
}

static int url_char(unsigned char c) {
    return c > ' ' && c < 0x7F && !strchr("<>\"'`{}|\\^", c);
}

/* http://..., https://..., www....: up to a space, without final punct. */
static size_t url_end(const scanner *sc, size_t i) {
    static const char *const pre[] = {"http://", "https://", "www."};
    static const size_t pre_len[] = {7, 8, 4};
    size_t k, j = 0;
    unsigned char c0 = sc->s[i] | 0x20;
    if (c0 != 'h' && c0 != 'w') return 0;
    for (k = 0; k < 3; k++) {
        size_t m = pre_len[k], x;
        if (i + m > sc->n) continue;
        for (x = 0; x < m && (sc->s[i + x] | 0x20) == pre[k][x]; x++) {}
        if (x == m) break;
    }
    if (k == 3) return 0;
    for (j = i; j < sc->n && url_char(sc->s[j]); j++) {}
    while (j > i && strchr(".,;:!?)]", sc->s[j - 1])) j--;
    return j - i > 8 ? j : 0;
}

static int email_char(unsigned char c) {
    return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '+' || c == '%';
}

/* name@example.com, checked when a word stops at '@' or '.'. */
static size_t email_end(const scanner *sc, size_t ws) {
    size_t j = ws, dots = 0;
    while (j < sc->n && email_char(sc->s[j])) j++;
    if (j == ws || j + 1 >= sc->n || sc->s[j] != '@') return 0;
    size_t d = ++j;
    while (j < sc->n && email_char(sc->s[j]) && sc->s[j] != '+') dots += sc->s[j++] == '.';
    while (j > d && (sc->s[j - 1] == '.' || sc->s[j - 1] == '-')) dots -= sc->s[--j] == '.';
    return dots && j > d ? j : 0;
}

/* "cannot" -> "can" "not" (PTB). */
static int is_cannot(const scanner *sc, size_t ws, size_t we) {
    static const char w[] = "cannot";
    if (we - ws != 6) return 0;
    for (size_t k = 0; k < 6; k++)
        if ((sc->s[ws + k] | 0x20) != w[k]) return 0;
    return 1;
}

static int emit_cannot(scanner *sc, size_t ws, size_t we, uint16_t flags) {
    uint16_t caps = flags & WS_TF_ALLCAPS;
    if (emit(sc, ws, ws + 3, WS_TOK_WORD, flags)) return -1;
    return emit(sc, ws + 3, we, WS_TOK_WORD, caps);
}

static int scan_word(scanner *sc) {
    size_t ws = sc->i, cs, ce;
    size_t we = url_end(sc, ws);
    if (we) return emit(sc, ws, we, WS_TOK_WORD, 0);
    we = acronym_end(sc, ws);
    if (we) {
        word_info w = word_flags(sc, ws, we);
        int title = ws_tok_abbrev_kind((const char *)sc->s + ws, we - 1 - ws) == WS_ABBR_TITLE;
        if (period_ends_sentence(sc, we, title))
            return emit_split_period(sc, ws, we - 1, WS_TOK_WORD, final_flags(&w));
        return emit(sc, ws, we, WS_TOK_WORD, final_flags(&w) | WS_TF_ABBREV);
    }
    word_info w = {0, 0, 0, 0};
    we = word_end(sc, ws, &cs, &ce, &w);
    if (we < sc->n && (sc->s[we] == '@' || sc->s[we] == '.') && cs == ce) {
        size_t ee = email_end(sc, ws);
        if (ee) return emit(sc, ws, ee, WS_TOK_WORD, 0);
    }
    if (cs == ce && is_cannot(sc, ws, we))
        return emit_cannot(sc, ws, we, final_flags(&w));
    int kind = w.letters ? WS_TOK_WORD : WS_TOK_NUM;
    if (!w.letters && (w.flags & WS_TF_INVALID)) kind = WS_TOK_WORD;
    uint16_t pf = cs < ce ? 0 : period_flags(sc, ws, we, &w);
    if (pf) {
        int title = (pf & WS_TF_ABBREV) &&
                    ws_tok_abbrev_kind((const char *)sc->s + ws, we - ws) == WS_ABBR_TITLE;
        if (period_ends_sentence(sc, we + 1, title))
            return emit_split_period(sc, ws, we, kind, final_flags(&w));
    }
    if (emit(sc, ws, we + (pf ? 1 : 0), kind, final_flags(&w) | pf)) return -1;
    if (cs < ce) {
        word_info cw = word_flags(sc, cs, ce);
        uint16_t keep = final_flags(&cw) & (WS_TF_ALLCAPS | WS_TF_INVALID);
        return emit(sc, cs, ce, WS_TOK_CLITIC, keep);
    }
    return 0;
}

/* ---- apostrophes, quotes, punctuation, symbols ------------------------ */

/* '90s, ’16: an apostrophe, two digits, optional ASCII letters. */
static size_t year_end(const scanner *sc, size_t i, uint32_t alen) {
    size_t j = i + alen;
    if (!is_digit_at(sc, j) || !is_digit_at(sc, j + 1) || is_digit_at(sc, j + 2))
        return 0;
    j += 2;
    while (j < sc->n && is_ascii_alpha(sc->s[j])) j++;
    if (ws_tok_class_alnum(class_at(sc, j))) return 0;
    return j;
}

/* A clitic glued to the previous token: "U.S.'s", "Inc.'s". */
static int glued_clitic(const scanner *sc, size_t i, uint32_t len, size_t *ce) {
    const ws_text *t = sc->t;
    size_t cs;
    if (sc->pend || !t->toks.n) return 0;
    const ws_token *pv = &t->toks.v[t->toks.n - 1];
    if (pv->end != i || (pv->kind != WS_TOK_WORD && pv->kind != WS_TOK_NUM))
        return 0;
    return clitic_at(sc, pv->start, i, len, &cs, ce) && cs == i;
}

/* 'em, 'bout, 'cause, 'n': a word that begins with its apostrophe. */
static size_t elision_end(const scanner *sc, size_t i, uint32_t alen) {
    static const char *const el[] = {"em", "bout", "cause", "til", "tis",
                                     "twas", "round", "nuff", "cuz", "n"};
    size_t j = i + alen;
    for (size_t k = 0; k < sizeof el / sizeof el[0]; k++) {
        size_t m = strlen(el[k]), x;
        if (j + m > sc->n) continue;
        for (x = 0; x < m && (sc->s[j + x] | 0x20) == el[k][x]; x++) {}
        if (x < m || ws_tok_class_alnum(class_at(sc, j + m))) continue;
        if (m > 1) return j + m;
        uint32_t l2; /* 'n' needs its closing apostrophe */
        if (j + 1 < sc->n && ws_tok_class_at(sc->s, sc->n, j + 1, &l2) == C_AP &&
            !ws_tok_class_alnum(class_at(sc, j + 1 + l2)))
            return j + 1 + l2;
    }
    return 0;
}

static int scan_apostrophe(scanner *sc, uint32_t len) {
    size_t i = sc->i, ye = year_end(sc, i, len), ce;
    if (glued_clitic(sc, i, len, &ce)) return emit(sc, i, ce, WS_TOK_CLITIC, 0);
    if (!ye && (ce = elision_end(sc, i, len)) != 0)
        return emit(sc, i, ce, WS_TOK_WORD, 0);
    if (ye) {
        word_info w = word_flags(sc, i, ye);
        return emit(sc, i, ye, w.letters ? WS_TOK_WORD : WS_TOK_NUM, final_flags(&w));
    }
    if (i + 2 * len <= sc->n && memcmp(sc->s + i, sc->s + i + len, len) == 0)
        len *= 2; /* '' ’’ ‘‘ */
    return emit(sc, i, i + len, WS_TOK_QUOTE, 0);
}

static int scan_quote(scanner *sc, uint32_t len) {
    size_t i = sc->i;
    if (sc->s[i] == '`' && i + 1 < sc->n && sc->s[i + 1] == '`') len = 2;
    return emit(sc, i, i + len, WS_TOK_QUOTE, 0);
}

/* A run of the same ASCII byte ("--", "***", "<<") or of . ! ? ("...",
 * "?!") is one token; brackets and commas stay single. */
static int scan_run(scanner *sc, uint32_t len, int kind) {
    size_t i = sc->i, j = i + len;
    unsigned char c = sc->s[i];
    int end = c == '.' || c == '!' || c == '?';
    if (len == 1 && c != '(' && c != ')' && c != '[' && c != ']' && c != '{' &&
        c != '}' && c != ',' && c != '\0') /* not strchr("()[]{},", c) */
        while (j < sc->n && (sc->s[j] == c ||
                             (end && (sc->s[j] == '.' || sc->s[j] == '!' ||
                                      sc->s[j] == '?'))))
            j++;
    return emit(sc, i, j, kind, 0);
}

/* :) :( :-) ;) :D :P - a smiley is one symbol. */
static size_t smiley_end(const scanner *sc, size_t i) {
    size_t j = i + 1;
    if (j < sc->n && sc->s[j] == '-') j++;
    if (j >= sc->n) return 0;
    unsigned char c = sc->s[j];
    if (c == ')' || c == '(') return j + 1;
    if ((c == 'D' || c == 'P' || c == 'p') && !ws_tok_class_alnum(class_at(sc, j + 1)))
        return j + 1;
    return 0;
}

/* A symbol with its emoji modifiers, ZWJ sequences and flag pairs. */
static int scan_symbol(scanner *sc, uint32_t len) {
    size_t i = sc->i, j = i + len;
    int32_t first = ws_tok_decode(sc->s, sc->n, i, &len);
    int zwj = 0;
    while (j < sc->n) {
        uint32_t l2;
        int32_t cp = ws_tok_decode(sc->s, sc->n, j, &l2);
        int c = ws_tok_class(cp);
        int ri = cp >= 0x1F1E6 && cp <= 0x1F1FF && first >= 0x1F1E6 &&
                 first <= 0x1F1FF && j == i + 4;
        if (!(c == C_MK || (zwj && c == C_SY) || ri)) break;
        zwj = cp == 0x200D;
        j += l2;
    }
    return emit(sc, i, j, WS_TOK_SYM, 0);
}

static int scan_invalid(scanner *sc) {
    size_t i = sc->i, j = i + 1;
    uint32_t len;
    while (j < sc->n && ws_tok_decode(sc->s, sc->n, j, &len) < 0) j++;
    return emit(sc, i, j, WS_TOK_SYM, WS_TF_INVALID);
}

/* A combining mark or format character: extends the previous token when
 * adjacent. Returns 1 when it did. */
static int extend_prev(scanner *sc, uint32_t len) {
    ws_text *t = sc->t;
    if (!t->toks.n || sc->pend || t->toks.v[t->toks.n - 1].end != sc->i)
        return 0;
    t->toks.v[t->toks.n - 1].end = (uint32_t)(sc->i + len);
    sc->i += len;
    return 1;
}

/*
 * The common case first: a word of ASCII letters followed by a space, a
 * comma or a line break. No URL ("www." needs its period, "http://" its
 * colon), acronym, clitic, e-mail, abbreviation or initial can start there,
 * so scan_word would emit exactly [i, j) with the letter flags. "cannot"
 * and words at the end of the text go the long way. Returns 1 when it
 * emitted the word (or ran out of memory: *err), 0 to leave it to
 * scan_one.
 */
static int plain_word(scanner *sc, int *err) {
    size_t i = sc->i, j = i;
    uint32_t upper = 0;
    for (; j < sc->n; j++) {
        unsigned c = sc->s[j];
        if ((c - 'a') < 26u) continue;
        if ((c - 'A') >= 26u) break;
        upper++;
    }
    if (j >= sc->n || j == i) return 0;
    unsigned char e = sc->s[j];
    if (e != ' ' && e != ',' && e != '\n' && e != '\r') return 0;
    if (j - i == 6 && is_cannot(sc, i, j)) return 0;
    uint32_t letters = (uint32_t)(j - i);
    uint16_t flags = 0;
    if ((unsigned)(sc->s[i] - 'A') < 26u) flags |= WS_TF_CAP;
    if (letters >= 2 && upper == letters) flags |= WS_TF_ALLCAPS;
    *err = emit(sc, i, j, WS_TOK_WORD, flags);
    return 1;
}

static int scan_one(scanner *sc) {
    uint32_t len;
    int c = ws_tok_class_at(sc->s, sc->n, sc->i, &len);
    switch (c) {
    case C_SP: sc->pend |= WS_TF_SPACE_BEFORE; sc->i += len; return 0;
    case C_NL:
        sc->pend |= WS_TF_SPACE_BEFORE | WS_TF_NL_BEFORE;
        sc->i += len;
        return 0;
    case C_FM:
        if (!extend_prev(sc, len)) sc->i += len;
        return 0;
    case C_MK:
        return extend_prev(sc, len) ? 0 : scan_symbol(sc, len);
    case C_UP: case C_LO: case C_DG: return scan_word(sc);
    case C_AP: return scan_apostrophe(sc, len);
    case C_QT: return scan_quote(sc, len);
    case C_DT: case C_HY: return scan_run(sc, len, WS_TOK_PUNCT);
    case C_DA: return emit(sc, sc->i, sc->i + len, WS_TOK_PUNCT, 0);
    case C_PU:
        if (len == 1 && (sc->s[sc->i] == ':' || sc->s[sc->i] == ';')) {
            size_t se = smiley_end(sc, sc->i);
            if (se) return emit(sc, sc->i, se, WS_TOK_SYM, 0);
        }
        return scan_run(sc, len, WS_TOK_PUNCT);
    case C_IV: return scan_invalid(sc);
    default:
        if (len == 1) return scan_run(sc, len, WS_TOK_SYM);
        return scan_symbol(sc, len);
    }
}

ws_status ws_tok_scan(ws_arena *a, ws_text *t) {
    scanner sc = {a, t, (const unsigned char *)t->s, t->n, 0, 0};
    if (sc.n >= 3 && memcmp(sc.s, "\xEF\xBB\xBF", 3) == 0) sc.i = 3;
    /* news text has a token per ~5 bytes; untouched pages cost nothing */
    WS_RETURN_IF(WS_VEC_RESERVE(a, t->toks, sc.n / 4 + 16), WS_ERR_NOMEM);
    while (sc.i < sc.n) {
        if (sc.s[sc.i] == ' ') { /* fast path */
            sc.pend |= WS_TF_SPACE_BEFORE;
            sc.i++;
            continue;
        }
        int err = 0;
        if ((unsigned)((sc.s[sc.i] | 0x20) - 'a') < 26u && plain_word(&sc, &err)) {
            WS_RETURN_IF(err, WS_ERR_NOMEM);
            continue;
        }
        WS_RETURN_IF(scan_one(&sc), WS_ERR_NOMEM);
    }
    return WS_OK;
}

/* ---- paragraphs: every line break ends one ----------------------------- */

ws_status ws_tok_paragraphs(ws_arena *a, ws_text *t) {
    ws_paragraph p;
    memset(&p, 0, sizeof p);
    for (uint32_t i = 0; i < t->toks.n; i++) {
        ws_token *tk = &t->toks.v[i];
        if (i > 0 && !(tk->flags & WS_TF_NL_BEFORE)) continue;
        tk->flags |= WS_TF_PARA_START;
        if (i > 0) {
            p.tok_end = i;
            p.end = t->toks.v[i - 1].end;
            WS_RETURN_IF(WS_VEC_PUSH(a, t->paras, p), WS_ERR_NOMEM);
        }
        p.start = tk->start;
        p.tok_start = i;
    }
    if (t->toks.n) {
        p.tok_end = (uint32_t)t->toks.n;
        p.end = t->toks.v[t->toks.n - 1].end;
        WS_RETURN_IF(WS_VEC_PUSH(a, t->paras, p), WS_ERR_NOMEM);
    }
    return WS_OK;
}

/* ---- entry point and accessors ----------------------------------------- */

/* Lowercases token [i, end) of s into buf (cap bytes with room for the
 * NUL): the one definition of the lowercase form. */
static size_t lower_bytes(const unsigned char *s, size_t i, size_t end,
                          char *buf, size_t cap) {
    size_t o = 0;
    while (i < end) {
        if (s[i] < 0x80) { /* ASCII: most bytes of most text */
            if (o + 1 > cap - 1) break;
            buf[o++] = (char)((unsigned)(s[i] - 'A') < 26u ? s[i] | 0x20 : s[i]);
            i++;
            continue;
        }
        uint8_t tmp[4];
        uint32_t len;
        size_t m = 1;
        int32_t cp = ws_tok_decode(s, end, i, &len);
        if (cp < 0) {
            tmp[0] = s[i];
        } else if (cp == 0x2018 || cp == 0x2019) {
            tmp[0] = '\'';
        } else {
            m = (size_t)utf8proc_encode_char(utf8proc_tolower(cp), tmp);
        }
        if (o + m > cap - 1) break;
        memcpy(buf + o, tmp, m);
        o += m;
        i += len;
    }
    buf[o] = '\0';
    return o;
}

/* The lowercase view (text.h): a lowercased code point takes at most 4
 * bytes and at most twice the bytes of its source; ASCII and invalid bytes
 * keep their length. So a token of len bytes, h of them >= 0x80, needs at
 * most len + h bytes, plus its NUL. Views longer than UINT32_MAX are not
 * built (the accessors then lowercase on the fly). */
static ws_status build_lower(ws_arena *a, ws_text *t) {
    const unsigned char *s = (const unsigned char *)t->s;
    size_t n = t->toks.n, need = 0, high = 0;
    t->low = NULL;
    t->low_off = NULL;
    t->low_hash = NULL;
    if (n) { /* every token byte + a NUL per token + the high bytes of the
                whole text (an upper bound for the tokens' high bytes) */
        need = (size_t)t->toks.v[n - 1].end + n;
        size_t j = 0;
        for (; j + 8 <= t->n; j += 8) { /* 8 bytes at a time */
            uint64_t v;
            memcpy(&v, s + j, 8);
            v = (v >> 7) & 0x0101010101010101ULL; /* each high bit as 1 */
            high += (size_t)((v * 0x0101010101010101ULL) >> 56);
        }
        for (; j < t->n; j++) high += s[j] >> 7;
        need += high;
    }
    if (need >= UINT32_MAX) return WS_OK;
    uint32_t *off = ws_arena_alloc(a, (n + 1) * sizeof *off);
    uint64_t *hash = ws_arena_alloc(a, (n + 1) * sizeof *hash);
    char *low = ws_arena_alloc(a, need ? need : 1);
    WS_RETURN_IF(!off || !hash || !low, WS_ERR_NOMEM);
    size_t o = 0;
    const ws_token *toks = t->toks.v;
    for (size_t i = 0; i < n; i++) {
        /* the bounds in locals: the stores through out (a char pointer)
         * would otherwise make the compiler reload them every byte */
        const uint32_t start = toks[i].start, end = toks[i].end;
        off[i] = (uint32_t)o;
        char *out = low + o;
        uint64_t h = WS_HASH_SEED;
        uint32_t j = start;
        size_t m = 0;
        for (; j < end && s[j] < 0x80; j++) { /* ASCII: most tokens */
            unsigned char c = s[j];
            c = (unsigned)(c - 'A') < 26u ? (unsigned char)(c | 0x20) : c;
            out[m++] = (char)c;
            h = (h ^ c) * 1099511628211ULL;
        }
        if (j < end) { /* the rest through the one definition */
            m += lower_bytes(s, j, end, out + m, need - o - m);
            h = ws_hash_bytes(h, out + (j - start), m - (j - start));
        }
        out[m] = '\0';
        hash[i] = h;
        o += m + 1;
    }
    off[n] = (uint32_t)o;
    t->low = low;
    t->low_off = off;
    t->low_hash = hash;
    return WS_OK;
}

ws_status ws_text_analyze(ws_arena *a, const char *s, size_t n, ws_text *out) {
    memset(out, 0, sizeof *out);
    WS_RETURN_IF(n >= UINT32_MAX, WS_ERR_TOO_LARGE);
    out->s = s ? s : "";
    out->n = s ? (uint32_t)n : 0;
    WS_FORWARD_IF_ERROR(ws_tok_scan(a, out));
    WS_FORWARD_IF_ERROR(ws_tok_paragraphs(a, out));
    WS_FORWARD_IF_ERROR(ws_quote_pair(a, out));
    WS_FORWARD_IF_ERROR(ws_sent_split(a, out));
    return build_lower(a, out);
}

size_t ws_tok_lower(const ws_text *t, uint32_t tok, char *buf, size_t cap) {
    if (!cap) return 0;
    if (t->low) {
        size_t n = t->low_off[tok + 1] - t->low_off[tok] - 1;
        if (n < cap) {
            memcpy(buf, t->low + t->low_off[tok], n + 1);
            return n;
        }
    }
    return lower_bytes((const unsigned char *)t->s, t->toks.v[tok].start,
                       t->toks.v[tok].end, buf, cap);
}

uint32_t ws_tok_after(const ws_text *t, uint32_t off) {
    uint32_t lo = 0, hi = (uint32_t)t->toks.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->toks.v[mid].end <= off) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

