/*
 * rules.c - hand-written attribution patterns and statement typing.
 *
 * ws_attrib_rules() reads the tokens, sentences, paragraphs and matched
 * quotations of d->text and appends statements (origin WS_ORIGIN_RULE) to
 * d->stmts. Work is per sentence and per quotation, with fixed caps on every
 * scan, so a document costs time linear in its size.
 *
 * Span conventions (PolNeAR style):
 *   content  quotation content excludes the marks; indirect content runs
 *            from the cue to the sentence end and keeps a leading "that";
 *            for "..., X said." it is the clause before the comma.
 *   cue      the reporting verb with its auxiliaries and negation ("has
 *            said", "did not say"); adverbs before the verb group stay out
 *            ("also said" -> "said"); "according to"; ":" in "Lavrov: ...".
 *   source   the noun phrase with its titles and, as PolNeAR annotates,
 *            with an appositive or relative clause ("Hugh Hill, a doctor,
 *            said" -> "Hugh Hill, a doctor"); src_tok_start/end hold only
 *            the head ("Hugh Hill") for the speaker resolver. Asides
 *            (", speaking to reporters,", ", however,") stay out.
 *   continuation  a quoted sentence right after a quoted statement of the
 *            same paragraph joins it as one more content segment (PolNeAR:
 *            "A," she said. "B." is one statement); other lone quoted
 *            sentences next to an attributed sentence, or opening the
 *            paragraph after a quoted statement, become statements with the
 *            earlier source and no cue (pattern "continuation").
 *
 * The patterns, the order they are tried in and their measured precision
 * are described in tests/spec/quotes.md, which is also their test.
 *
 * ws_stmt_classify() sets the type from the token quote depths of the
 * content, and the addressee ("told TASS", "said to X", "in an interview
 * with X").
 */
#include "attrib.h"
#include "lex_index.h"
#include "../model/pos.h"

#include <stdlib.h>

#define MAX_NP 10          /* tokens in a source or addressee phrase */
#define MAX_APPOS 30       /* tokens in an appositive ", a doctor," */
#define MAX_TRAIL 8        /* tokens allowed after "..., X said" */
#define MAX_THAT_GAP 10    /* tokens between the cue and "that" */
#define MAX_SENT_SCAN 400  /* tokens of one sentence searched for cues */
#define MAX_FINAL_SCAN 40  /* tokens before a sentence end searched for a
                              closing cue */
#define MAX_CLASSIFY 4000  /* tokens of one segment looked at by the typer */
#define MAX_COLON_NP 7     /* tokens before a colon cue */
#define MAX_HEADLINE 30    /* tokens of a headline */
#define MAX_BACK_SENTS 40  /* sentences searched back for a paragraph's last
                              statement */
#define NONE UINT32_MAX

/* ------------------------------------------------------------------ */
/* Word lists (lowercase). Small, searched linearly.                   */

static const char *const determiners[] = {
    "the", "a", "an", "this", "these", "those", "his", "her", "their",
    "its", "our", "my", "your", "some", "many", "several", "most", "few",
    "both", "each", "every", "another", "any", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "dozens", "other",
    "one", NULL};

static const char *const pronouns[] = {"he", "she", "they", "i", "we", "it",
                                       "you", NULL};

static const char *const obj_pronouns[] = {"him", "her", "them", "us", "me",
                                           "you", NULL};

static const char *const auxiliaries[] = {
    "has", "have", "had", "is", "are", "was", "were", "am", "be", "been",
    "being", "will", "would", "can", "could", "may", "might", "must",
    "shall", "should", "did", "does", "do", "not", "n't", "'s", "'ve",
    "'ll", "'d", "never", NULL};

static const char *const be_forms[] = {"is", "are", "was", "were", "be",
                                       "been", "being", "am", "'s", "'re",
                                       "'m", "get", "got", NULL};

static const char *const adverbs[] = {
    "also", "later", "earlier", "again", "then", "once", "further",
    "too", "just", "only", "already", "still", "himself", "herself",
    "themselves", "itself", "however", "even", "once", "first", "last",
    "now", "often", "had", NULL};

/* Words that end a noun phrase scan and are never part of a source. */
static const char *const np_stops[] = {
    "about", "above", "across", "after", "against", "along", "amid",
    "among", "around", "as", "at", "before", "behind", "below", "between",
    "beyond", "by", "despite", "during", "except", "for", "from", "in",
    "inside", "into", "like", "near", "of", "off", "on", "onto", "out",
    "over", "per", "since", "than", "through", "to", "toward", "towards",
    "under", "until", "up", "upon", "via", "with", "within", "without",
    "and", "but", "or", "nor", "so", "yet", "because", "although",
    "though", "while", "whereas", "if", "unless", "whether", "when",
    "where", "who", "whom", "whose", "which", "what", "that", "there",
    "here", "also", "however", "meanwhile", "moreover", "furthermore",
    "yesterday", "today", "tonight", "tomorrow", "now", "then", "later",
    "earlier", "recently", "still", "already", "again", "once", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "is", "are", "was", "were", "be", "been", "being", "has", "have",
    "had", "do", "does", "did", "will", "would", "can", "could", "may",
    "might", "must", "shall", "should", "not", "n't", "never", "just",
    "only", "even", "too", "very", "last", "next", "ago", "both",
    "instead", "thus", "therefore", "indeed", "perhaps", "first", "it",
    "says", "said", "told", "not", "no", "yes", "please", "thanks",
    NULL};

/* Nouns that make a source on their own or head one ("officials said"). */
static const char *const source_nouns[] = {
    "official", "officials", "source", "sources", "spokesman",
    "spokeswoman", "spokesperson", "minister", "ministers", "ministry",
    "president", "secretary", "senator", "lawmaker", "lawmakers",
    "analyst", "analysts", "expert", "experts", "diplomat", "diplomats",
    "critic", "critics", "witness", "witnesses", "resident", "residents",
    "observer", "observers", "police", "people", "leader", "leaders",
    "aide", "aides", "adviser", "advisers", "advisor", "advisors",
    "ambassador", "envoy", "chairman", "chairwoman", "director",
    "spokespeople", "authorities", "investigators", "prosecutors",
    "prosecutor", "researchers", "scientists", "economists", "doctors",
    "doctor", "voters", "supporters", "opponents", "protesters",
    "statement", "report", "agency", "government", "kremlin", "office",
    "department", "commission", "committee", "court", "judge", "army",
    "military", "embassy", "company", "firm", "group", "campaign",
    "representative", "representatives", "negotiator", "negotiators",
    "officer", "officers", "chief", "head", "governor", "mayor",
    "candidate", "nominee", "general", "colonel", "captain", "manager",
    "executive", "executives", "founder", "partner", "lawyer", "lawyers",
    "attorney", "attorneys", "author", "authors", "study", "survey",
    "poll", "tass", "reuters", "pollster", "strategist", "economist",
    "professor", "scientist", "researcher", "consultant", "activist",
    "commentator", "host", "anchor", "columnist", "writer", "editor",
    "reporter", "correspondent", "organizer", "ceo", "historian",
    "spokesmen", "staffer", "staffers", "counsel", "nominee", "rep",
    "sen", "gov", "member", "members", "owner", "worker", "workers",
    "student", "students", "teacher", "teachers", "farmer", "farmers",
    "coach", "player", "officials", "insiders", "sources", "woman", "man",
    "women", "men", "voter", "mother", "father", "veteran", "veterans",
    "supporter", "friend", "friends", "neighbor", "neighbors", "panel",
    "board", "council", "union", "newspaper", "paper", "website", "network",
    "party", "administration", "democrats", "republicans", "respondents",
    "americans", NULL};

/* Capitalised words at a sentence start that cannot open a colon source. */
static const char *const colon_stops[] = {
    "note", "update", "updated", "photo", "photos", "video", "watch",
    "read", "related", "editor", "breaking", "exclusive", "analysis",
    "opinion", "live", "warning", "correction", "q", "a", "summary",
    "background", "quote", "quotes", "source", "credit", "file", "see",
    "also", "more", "tags", "topics", "share", "by", NULL};

/* Words that may open the short tail after "..., X said": "on Monday". */
static const char *const tail_starts[] = {
    "on", "in", "at", "during", "after", "before", "from", "for", "with",
    "by", "via", "through", "as", "when", "while", "yesterday", "today",
    "tonight", "last", "earlier", "later", "this", "late", "early", "again",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "recently", "previously", "repeatedly", "separately", NULL};

/* Words that cannot open indirect content right after a cue ("said on
 * CNN"): a prepositional or time phrase comes first. */
static const char *const prep_starts[] = {
    "on", "in", "at", "during", "after", "before", "from", "for", "with",
    "by", "via", "through", "yesterday", "today", "tonight", "last",
    "earlier", "later", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "about", "of", "into", "over", "as",
    "when", "while", "because", "if", "since", "until", "where", "whether",
    "though", "although", NULL};

/* Lemmas whose clause may follow without "that": "said the talks failed"
 * (others take a noun object: "denied the report"). */
static const char *const bare_lemmas[] = {
    "say", "think", "believe", "claim", "argue", "insist", "warn",
    "suggest", "predict", "estimate", "hope", "fear", "expect", "agree",
    "complain", "recall", "assert", "contend", "reckon",
    "testify", "explain", NULL};

/* Lemmas that end a sentence after an unquoted clause in inverted order:
 * "The border will stay closed, said a senior official." */
static const char *const inverted_lemmas[] = {"say", "add", "tell", "write",
                                              "explain", "note", NULL};

/* Head nouns of time phrases, never a source: "this week said". */
static const char *const time_nouns[] = {
    "week", "weeks", "month", "months", "year", "years", "day", "days",
    "morning", "afternoon", "evening", "night", "weekend", "time", "times",
    "hour", "hours", "minute", "minutes", "moment", "season", "decade",
    "century", "term", "quarter", NULL};

static const char *const particles[] = {"de", "van", "von", "der", "den",
                                        "al", "bin", "la", "le", "da", "di",
                                        "du", "del", "dos", "ter", "el",
                                        "of", "for", "and", "'s", NULL};

static const char *const of_preps[] = {"of", "for", "from", "at", "in",
                                       "on", NULL};
static const char *const quantifiers[] = {
    "many", "some", "most", "one", "two", "three", "four", "five", "several",
    "all", "none", "each", "few", "both", "dozens", "hundreds", "thousands",
    "majority", "half", "any", "members", "six", "seven", "eight", "nine",
    "ten", "percent", "%", "number", "share", "third", "quarter",
    "plurality", "minority", "rest", NULL};

/* Relative words that end an appositive's verb test. */
static const char *const appos_rel[] = {"who", "which", "whose", "whom",
                                        "that", NULL};

/* Words that open an aside between commas. */
static const char *const paren_preps[] = {"at", "in", "on", "during", "after",
                                          "before", "from", "speaking",
                                          "according", "however", "though",
                                          "meanwhile", "too", "also", NULL};

/* Time phrases skipped after a cue: "this weekend", "on Monday". */
static const char *const time_rel[] = {"this", "last", "next", "on", "late",
                                       "early", NULL};
static const char *const days[] = {"monday", "tuesday", "wednesday",
                                   "thursday", "friday", "saturday",
                                   "sunday", "yesterday", "today", NULL};

/* Words after a comma that end indirect content, and subjects after
 * ", and". */
static const char *const clause_conj[] = {"but", "although", "though",
                                          "while", "whereas", "yet",
                                          "according", "which", "compared",
                                          "a", "an", NULL};
static const char *const clause_subj[] = {"the", "he", "she", "they", "it",
                                          "we", "i", "his", "her", "their",
                                          "its", NULL};

/* Relative words after an inverted source's appositive. */
static const char *const appos_end_rel[] = {"who", "which", "whose", "whom",
                                            NULL};

static int in_list(const char *w, const char *const *list) {
    for (size_t i = 0; list[i]; i++) /* first byte inline: most words differ there */
        if (list[i][0] == w[0] && strcmp(w, list[i]) == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Token helpers.                                                      */

typedef struct rctx {
    ws_doc *d;
    const ws_text *t;
    uint32_t nq;
    uint32_t *q_open;   /* quotation index by rank of open_tok */
    uint32_t *q_close;  /* quotation index by rank of close_tok */
    uint8_t *q_used;    /* quotation already inside a statement */
    uint32_t *sent_stmt; /* statement index + 1 per sentence, 0 none */
    uint32_t headline_sents; /* sentences [0, n) form the headline */
} rctx;

typedef struct low_buf {
    const char *s; /* the lowercased word, at most 39 bytes */
    size_t n;
    char buf[40];
} low_buf;

static const char *low(const ws_text *t, uint32_t i, low_buf *b) {
    b->s = ws_tok_lowp(t, i, b->buf, sizeof b->buf, &b->n);
    return b->s;
}

/* The token's entry in the word index, and its membership in a list. */
static const ws_lexent *lex(const ws_text *t, uint32_t i) {
    return ws_lex_tok(t, i);
}

static int tok_in(const ws_text *t, uint32_t i, uint32_t list) {
    return (lex(t, i)->rules & list) != 0;
}

static int tok_kind(const ws_text *t, uint32_t i) { return t->toks.v[i].kind; }

static int is_wordish(const ws_text *t, uint32_t i) {
    int k = tok_kind(t, i);
    return k == WS_TOK_WORD || k == WS_TOK_NUM || k == WS_TOK_CLITIC;
}

static int is_cap(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_WORD &&
           (t->toks.v[i].flags & (WS_TF_CAP | WS_TF_ALLCAPS));
}

static int is_lit(const ws_text *t, uint32_t i, const char *lit) {
    return ws_tok_is(t, i, lit);
}

static int is_comma(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_PUNCT && is_lit(t, i, ",");
}

static int is_dash(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_PUNCT &&
           (is_lit(t, i, "-") || is_lit(t, i, "--") ||
            is_lit(t, i, "\xE2\x80\x94") || is_lit(t, i, "\xE2\x80\x93") ||
            is_lit(t, i, "\xE2\x80\x95"));
}

static int is_final_punct(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_PUNCT &&
           (is_lit(t, i, ".") || is_lit(t, i, "!") || is_lit(t, i, "?") ||
            is_lit(t, i, "\xE2\x80\xA6") || is_lit(t, i, "..."));
}

static int is_open_q(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_QUOTE && t->toks.v[i].qrole == WS_Q_OPEN;
}

static int is_close_q(const ws_text *t, uint32_t i) {
    return tok_kind(t, i) == WS_TOK_QUOTE && t->toks.v[i].qrole == WS_Q_CLOSE;
}

/* Punctuation or a quotation mark: skipped at content edges. */
static int is_edge(const ws_text *t, uint32_t i) {
    int k = tok_kind(t, i);
    return k == WS_TOK_PUNCT || k == WS_TOK_QUOTE;
}

static ws_sp tok_span(const ws_text *t, uint32_t a, uint32_t b) {
    ws_sp s = {t->toks.v[a].start, t->toks.v[b - 1].end};
    return s;
}

/* ------------------------------------------------------------------ */
/* Quotation index: outermost quotations found by their mark tokens.   */

typedef struct qkey {
    uint32_t tok, q;
} qkey;

static int cmp_qkey(const void *a, const void *b) {
    const qkey *x = a, *y = b;
    return x->tok < y->tok ? -1 : (x->tok > y->tok ? 1 : 0);
}

static uint32_t *sorted_quotes(ws_arena *ar, const ws_text *t, int by_close) {
    size_t n = t->quotes.n;
    qkey *k = ws_arena_alloc(ar, n * sizeof *k + 1);
    uint32_t *out = ws_arena_alloc(ar, n * sizeof *out + 1);
    if (!k || !out) return NULL;
    for (size_t i = 0; i < n; i++) {
        const ws_quotation *q = &t->quotes.v[i];
        k[i].tok = by_close ? q->close_tok : q->open_tok;
        k[i].q = (uint32_t)i;
    }
    qsort(k, n, sizeof *k, cmp_qkey);
    for (size_t i = 0; i < n; i++) out[i] = k[i].q;
    return out;
}

/* The outermost quotation whose open (or close) mark is token `tok`. */
static uint32_t quote_by_tok(const rctx *c, uint32_t tok, int by_close) {
    const uint32_t *idx = by_close ? c->q_close : c->q_open;
    uint32_t lo = 0, hi = c->nq;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const ws_quotation *q = &c->t->quotes.v[idx[mid]];
        uint32_t k = by_close ? q->close_tok : q->open_tok;
        if (k < tok) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < c->nq; lo++) {
        uint32_t qi = idx[lo];
        const ws_quotation *q = &c->t->quotes.v[qi];
        if ((by_close ? q->close_tok : q->open_tok) != tok) break;
        if (q->depth <= 1 && !c->q_used[qi]) return qi;
    }
    return NONE;
}

/* ------------------------------------------------------------------ */
/* Noun phrases.                                                       */

typedef struct np {
    uint32_t a, b; /* the head phrase, tokens [a, b) */
    uint32_t full_b; /* end of the source span: b, or after an appositive */
} np;

/* May the word (lowercased `w`, token i) sit inside a name or title? */
static int np_word(const ws_text *t, uint32_t i) {
    const ws_lexent *e = lex(t, i);
    if (tok_kind(t, i) == WS_TOK_CLITIC) return e->len == 2 && !memcmp(e->w, "'s", 2);
    if (tok_kind(t, i) == WS_TOK_NUM) return 1;
    if (tok_kind(t, i) != WS_TOK_WORD) return 0;
    if (t->toks.v[i].qdepth) return 0;
    if ((e->rules & WS_LR_NPSTOP) && !(e->rules & WS_LR_PARTICLE)) return 0;
    if (e->cue && !is_cap(t, i)) return 0;
    return 1;
}

/* Do the words left of token j, all inside a phrase, reach the sentence
 * start or punctuation ("longtime Democratic pollster Pat Caddell")? */
static int run_to_edge(const ws_text *t, uint32_t lo, uint32_t j,
                       uint32_t used) {
    for (uint32_t k = j; used < MAX_NP; k--, used++) {
        if (k == lo || is_edge(t, k - 1)) return 1;
        if (!np_word(t, k - 1) || tok_in(t, k - 1, WS_LR_DET)) return 0;
    }
    return 0;
}

/* Scans a noun phrase ending at token `hi` (inclusive), not before `lo`. */
static int left_np_plain(const ws_text *t, uint32_t lo, uint32_t hi, np *out) {
    if (tok_in(t, hi, WS_LR_PRON) && tok_kind(t, hi) == WS_TOK_WORD) {
        out->a = hi, out->b = out->full_b = hi + 1;
        return 1;
    }
    uint32_t a = hi + 1, n_cap = 0, n_det = 0, title = 0;
    for (uint32_t j = hi + 1; j-- > lo && hi + 1 - j <= MAX_NP;) {
        if (is_lit(t, j, ")")) { /* "Rep. Gwen Moore (D-Wis.)" */
            uint32_t k = j;
            while (k > lo && j - k < 8 && !is_lit(t, k, "(")) k--;
            if (!is_lit(t, k, "(") || k == lo) break;
            j = k;
            continue;
        }
        uint32_t wr = lex(t, j)->rules;
        if (tok_kind(t, j) == WS_TOK_WORD && (wr & WS_LR_DET)) {
            if (a == hi + 1) break; /* a determiner alone */
            a = j, n_det = 1;
            break;
        }
        if (!np_word(t, j)) break;
        if (tok_kind(t, j) == WS_TOK_CLITIC) { /* "the ad's narrator" */
            if (j == lo || a == hi + 1) break;
            a = j, n_det = 1;
            continue;
        }
        int inner = (wr & WS_LR_PARTICLE) && !is_cap(t, j);
        if (inner && (j == lo || a == hi + 1 ||
                      !(is_cap(t, j - 1) || tok_in(t, j - 1, WS_LR_PARTICLE))))
            break;
        if (!is_cap(t, j) && !inner && n_cap && !(wr & WS_LR_SRCNOUN) &&
            !title && !run_to_edge(t, lo, j, hi + 1 - j))
            break; /* "an interview Lavrov": stop at lowercase before a name */
        if (!is_cap(t, j) && (wr & WS_LR_SRCNOUN)) title = 1;
        if (is_cap(t, j)) n_cap++;
        a = j;
    }
    if (a > hi) return 0;
    while (a <= hi && !is_cap(t, a) && tok_in(t, a, WS_LR_PARTICLE)) a++;
    if (a > hi) return 0;
    uint32_t hr = lex(t, hi)->rules;
    if ((hr & WS_LR_TIME) || tok_kind(t, hi) == WS_TOK_NUM) return 0;
    if (!is_cap(t, hi) && tok_kind(t, hi) == WS_TOK_WORD && !n_det &&
        !(hr & WS_LR_SRCNOUN))
        return 0; /* "Crimea renewed": a lowercase head needs a determiner */
    if (!n_cap && !n_det && !(hr & WS_LR_SRCNOUN)) return 0;
    out->a = a, out->b = out->full_b = hi + 1;
    return 1;
}

/* Does a phrase name someone: a capitalised word, a pronoun or a title
 * noun ("A lawyer for the news outlets")? */
static int np_named(const ws_text *t, const np *n) {
    if (tok_in(t, n->a, WS_LR_PRON)) return 1;
    for (uint32_t i = n->a; i < n->b; i++)
        if (is_cap(t, i) || tok_in(t, i, WS_LR_SRCNOUN)) return 1;
    return 0;
}

/* Extends a source leftwards over "of"-phrases: "Many of his supporters",
 * "The Committee for a Responsible Federal Budget", "Senator from Texas". */
static void extend_left(const ws_text *t, uint32_t lo, np *out) {
    for (int n = 0; n < 2 && out->a >= lo + 2; n++) {
        uint32_t p = out->a - 1, h = p - 1;
        if (ws_tok_ieq(t, p, "and") && !tok_in(t, out->a, WS_LR_PRON)) {
            np m; /* "RT and its defenders", "Trump and his aides" */
            if (!left_np_plain(t, lo, h, &m) || !np_named(t, &m)) return;
            out->a = m.a;
            continue;
        }
        if (!tok_in(t, p, WS_LR_OFPREP) || tok_in(t, out->a, WS_LR_PRON)) return;
        if (tok_in(t, h, WS_LR_QUANT) || tok_kind(t, h) == WS_TOK_NUM) {
            uint32_t k = h; /* "52 percent of", "a significant number of" */
            while (k > lo && h - k < 4 &&
                   (tok_kind(t, k - 1) == WS_TOK_NUM ||
                    tok_in(t, k - 1, WS_LR_DET) ||
                    t->toks.v[k - 1].pos == WS_POS_JJ ||
                    t->toks.v[k - 1].pos == WS_POS_CD))
                k--;
            out->a = k;
            continue;
        }
        np m;
        if (!left_np_plain(t, lo, h, &m) || tok_in(t, m.a, WS_LR_PRON)) return;
        if (!is_cap(t, h) && !tok_in(t, h, WS_LR_SRCNOUN)) return;
        out->a = m.a;
    }
}

/* The lists as bits of the engine's word index (lex_index.h): each token's
 * memberships are looked up once per document. */
static const struct {
    const char *const *list;
    uint32_t bit;
} lex_lists[] = {
    {determiners, WS_LR_DET},    {pronouns, WS_LR_PRON},
    {obj_pronouns, WS_LR_OBJPRON}, {auxiliaries, WS_LR_AUX},
    {be_forms, WS_LR_BE},        {adverbs, WS_LR_ADV},
    {np_stops, WS_LR_NPSTOP},    {source_nouns, WS_LR_SRCNOUN},
    {colon_stops, WS_LR_COLONSTOP}, {tail_starts, WS_LR_TAIL},
    {prep_starts, WS_LR_PREP},   {time_nouns, WS_LR_TIME},
    {particles, WS_LR_PARTICLE}, {of_preps, WS_LR_OFPREP},
    {quantifiers, WS_LR_QUANT},  {appos_rel, WS_LR_REL5},
    {paren_preps, WS_LR_PAREN},  {time_rel, WS_LR_TREL},
    {days, WS_LR_DAYS},          {clause_conj, WS_LR_CONJ},
    {clause_subj, WS_LR_SUBJ},   {appos_end_rel, WS_LR_REL4},
};

int ws_rules_lex_fill(ws_lexb *b) {
    for (size_t k = 0; k < sizeof lex_lists / sizeof lex_lists[0]; k++)
        for (size_t i = 0; lex_lists[k].list[i]; i++) {
            ws_lexent *e = ws_lexb_get(b, lex_lists[k].list[i]);
            if (!e) return -1;
            e->rules |= lex_lists[k].bit;
        }
    return 0;
}

/* Can token i open an appositive or relative clause after a name? */
static int appos_start(const ws_text *t, uint32_t i) {
    const ws_lexent *e = lex(t, i);
    if (t->toks.v[i].pos == WS_POS_VBG) return 0; /* ", speaking of" */
    if (is_cap(t, i) || tok_kind(t, i) == WS_TOK_NUM) return 1;
    if (tok_kind(t, i) == WS_TOK_WORD && !(e->rules & WS_LR_NPSTOP) && !e->cue)
        return 1; /* "senior associate at ..." */
    if (e->rules & (WS_LR_DET | WS_LR_SRCNOUN)) return 1;
    low_buf b;
    const char *w = low(t, i, &b);
    return strcmp(w, "now") == 0 || strcmp(w, "who") == 0 ||
           strcmp(w, "whose") == 0 || strcmp(w, "which") == 0 ||
           strcmp(w, "however") == 0 ||
           strcmp(w, "too") == 0 || strcmp(w, "meanwhile") == 0 ||
           strcmp(w, "though") == 0;
}

/* Does the would-be appositive [a, b) hold a finite verb outside a
 * relative clause ("August, several groups granted him ...")? */
static int appos_has_verb(const ws_text *t, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++) {
        if (tok_in(t, i, WS_LR_REL5)) return 0;
        unsigned p = t->toks.v[i].pos;
        if (p == WS_POS_VBD || p == WS_POS_VBZ || p == WS_POS_VBP ||
            p == WS_POS_MD)
            return 1;
    }
    return 0;
}

/* An aside between commas that is no appositive: ", speaking to
 * reporters,", ", at a press conference,". Skipped, kept out of the
 * source. */
static int parenthetical(const ws_text *t, uint32_t i) {
    return t->toks.v[i].pos == WS_POS_VBG || tok_in(t, i, WS_LR_PAREN);
}

/* A parenthetical adverb (", however,") is not part of the source. */
static int appos_adverb(const ws_text *t, uint32_t k, uint32_t hi) {
    return hi == k + 2 && (tok_in(t, k + 1, WS_LR_ADV) ||
                           tok_in(t, k + 1, WS_LR_NPSTOP));
}

/* Left noun phrase, stepping over an appositive or a relative clause:
 * "Hugh Hill, a doctor, said" has the head "Hugh Hill" (the speaker
 * resolver reads it) and the source span "Hugh Hill, a doctor" (PolNeAR
 * keeps appositives in the source). */
static int left_np(const ws_text *t, uint32_t lo, uint32_t hi, np *out) {
    if (hi < lo || hi == NONE) return 0;
    if (!is_comma(t, hi)) {
        if (!left_np_plain(t, lo, hi, out)) return 0;
        extend_left(t, lo, out);
        return 1;
    }
    for (uint32_t k = hi; k-- > lo && hi - k <= MAX_APPOS;) {
        if ((tok_kind(t, k) == WS_TOK_QUOTE && t->toks.v[k].qrole) ||
            is_final_punct(t, k))
            return 0;
        if (!is_comma(t, k)) continue;
        int aside = k + 1 < hi && parenthetical(t, k + 1);
        if (k + 1 >= hi || k == lo ||
            (!aside && (!appos_start(t, k + 1) ||
                        appos_has_verb(t, k + 1, hi))))
            continue;
        if (!left_np_plain(t, lo, k - 1, out)) continue;
        extend_left(t, lo, out);
        if (!np_named(t, out)) continue;
        out->full_b = aside || appos_adverb(t, k, hi) ? out->b : hi;
        return 1;
    }
    return 0;
}

/* Is a title noun among the next lowercase words ("New York judge",
 * "Democratic presidential nominee")? */
static int title_ahead(const ws_text *t, uint32_t j, uint32_t end) {
    for (uint32_t k = j; k < end && k - j < 3; k++) {
        uint32_t r = lex(t, k)->rules;
        if (tok_kind(t, k) != WS_TOK_WORD || is_cap(t, k) || (r & WS_LR_NPSTOP))
            return 0;
        if (r & WS_LR_SRCNOUN) return 1;
    }
    return 0;
}

/* Noun phrase starting at token `i` before `end`: "the Foreign Minister",
 * "TASS", "reporters". `pron` also accepts object pronouns. */
static int right_np(const ws_text *t, uint32_t i, uint32_t end, int pron,
                    np *out) {
    low_buf b;
    if (i >= end) return 0;
    uint32_t r = lex(t, i)->rules;
    if (tok_kind(t, i) == WS_TOK_WORD &&
        ((r & WS_LR_PRON) || (pron && (r & WS_LR_OBJPRON)))) {
        out->a = i, out->b = out->full_b = i + 1;
        return 1;
    }
    uint32_t j = i, n_cap = 0, det = 0;
    if (r & WS_LR_DET) det = 1, j++;
    for (; j < end && j - i < MAX_NP; j++) {
        const ws_lexent *e = lex(t, j);
        if (!np_word(t, j) || (e->rules & WS_LR_DET)) break;
        if (n_cap && e->len == 2 && !memcmp(e->w, "of", 2) && j + 2 < end &&
            ws_tok_ieq(t, j + 1, "the") && is_cap(t, j + 2)) {
            j++; /* "Mr. Morgan of the Sierra Club" */
            continue;
        }
        if ((e->rules & WS_LR_PARTICLE) && !is_cap(t, j) &&
            (j + 1 >= end || !is_cap(t, j + 1) || !n_cap))
            break;
        if (n_cap && !is_cap(t, j) && !(e->rules & WS_LR_PARTICLE) &&
            tok_kind(t, j) != WS_TOK_CLITIC && !title_ahead(t, j, end))
            break; /* "Lavrov on": the name ends */
        if (is_cap(t, j)) n_cap++;
    }
    if (j == i + det) return 0;
    if (n_cap && j + 2 < end && is_lit(t, j, "(")) { /* "Rep. Cole (D-Ore.)" */
        uint32_t k = j + 1;
        while (k < end && k - j < 8 && !is_lit(t, k, ")")) k++;
        if (k < end && is_lit(t, k, ")")) j = k + 1;
    }
    if (!n_cap && !det && (low(t, j - 1, &b), !tok_in(t, j - 1, WS_LR_SRCNOUN)) &&
        !(pron && j - i <= 2 && b.n > 2 && b.s[b.n - 1] == 's'))
        return 0;
    out->a = i, out->b = out->full_b = j;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Statements.                                                         */

static ws_status push_stmt(rctx *c, ws_stmt *s, uint32_t sent) {
    s->origin = WS_ORIGIN_RULE;
    s->entity = -1;
    ws_stmt_classify(c->d, s);
    WS_RETURN_IF(WS_VEC_PUSH(&c->d->arena, c->d->stmts, *s), WS_ERR_NOMEM);
    if (sent < c->t->sents.n) c->sent_stmt[sent] = (uint32_t)c->d->stmts.n;
    return WS_OK;
}

static void add_seg(ws_stmt *s, ws_sp sp) {
    if (s->n_content < WS_MAX_SEGMENTS && sp.end > sp.start)
        s->content[s->n_content++] = sp;
}

/* Content of the tokens [a, b) trimmed of punctuation and marks. */
static int clause_seg(const ws_text *t, uint32_t a, uint32_t b, ws_sp *out) {
    while (a < b && is_edge(t, a)) a++;
    while (b > a && is_edge(t, b - 1)) b--;
    uint32_t words = 0;
    for (uint32_t i = a; i < b && words < 2; i++) words += is_wordish(t, i);
    if (words < 2) return 0;
    *out = tok_span(t, a, b);
    return 1;
}

static ws_sp quote_seg(rctx *c, uint32_t qi) {
    const ws_quotation *q = &c->t->quotes.v[qi];
    c->q_used[qi] = 1;
    ws_sp s = {q->start, q->end};
    return s;
}

/* Marks the outermost quotations opening in [a, b) as used. */
static void use_quotes_in(rctx *c, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++) {
        if (!is_open_q(c->t, i)) continue;
        uint32_t qi = quote_by_tok(c, i, 0);
        if (qi != NONE) c->q_used[qi] = 1;
    }
}

/* The cue found at one token: the verb group and its class. */
typedef struct cue {
    uint32_t a, b;   /* cue tokens [a, b) */
    uint32_t pre;    /* last token before the cue group and its adverbs */
    unsigned cls;    /* ws_lex_cue_class bits */
    const char *lemma; /* of the verb, or NULL */
    int according;   /* "according to" */
} cue;

/* An adverb by its tag ("repeatedly" RB), or by its "-ly" ending when the
 * tagger gave none; never a noun ending in "ly" ("family", "Italy"). */
static int is_adverb(const ws_text *t, uint32_t i, const low_buf *b) {
    unsigned pos = t->toks.v[i].pos;
    if (pos) return pos == WS_POS_RB;
    return b->n > 4 && strcmp(b->s + b->n - 2, "ly") == 0 && !is_cap(t, i);
}

/* Extends the verb at `i` leftwards over auxiliaries and adverbs. */
static int cue_group(const ws_text *t, uint32_t lo, uint32_t i, cue *cu) {
    low_buf b;
    const char *w = low(t, i, &b);
    const ws_lexent *e = lex(t, i);
    cu->cls = e->cue;
    cu->lemma = e->lemma;
    cu->a = i, cu->b = i + 1, cu->according = 0;
    int ing = b.n > 4 && strcmp(w + b.n - 3, "ing") == 0;
    uint32_t j = i;
    for (int steps = 0; j > lo && steps < 4; steps++) {
        uint32_t r = lex(t, j - 1)->rules;
        if (j == i && (r & WS_LR_BE) && !ing) return 0; /* passive */
        if (r & WS_LR_AUX) cu->a = j - 1;
        else if (!(r & WS_LR_ADV) && (low(t, j - 1, &b), !is_adverb(t, j - 1, &b)))
            break;
        j--;
    }
    cu->pre = j > lo ? j - 1 : NONE;
    return 1;
}

/* Does the sentence (tokens [a, b)) look like a headline? */
static int headline_sent(const rctx *c, uint32_t si) {
    return si < c->headline_sents;
}

typedef struct sent_ctx {
    uint32_t si, a, b; /* sentence, its tokens [a, b) */
    uint32_t lo;       /* tokens before lo belong to an earlier statement */
} sent_ctx;

/* Token after the end of the sentence's words (drops final marks). */
static uint32_t body_end(const ws_text *t, uint32_t a, uint32_t b) {
    while (b > a && (is_final_punct(t, b - 1) || is_edge(t, b - 1))) b--;
    return b;
}

/* Is only punctuation or marks between a and b? */
static int only_edges(const ws_text *t, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++)
        if (!is_edge(t, i)) return 0;
    return 1;
}

/* Are most longer words of [a, b) capitalised ("Wealthy Voters Abandon
 * Republican Party")? A headline may then end with a period. */
static int title_case(const ws_text *t, uint32_t a, uint32_t b) {
    uint32_t n = 0, caps = 0;
    for (uint32_t i = a; i < b; i++) {
        if (tok_kind(t, i) != WS_TOK_WORD || ws_tok_len(t, i) <= 3) continue;
        n++;
        caps += is_cap(t, i) ? 1 : 0;
    }
    return n >= 3 && caps * 10 >= n * 7;
}

/* The quotation that makes up the clause ending at token `bound` (a comma,
 * dash or closing mark), or NONE. */
static uint32_t left_quote(const rctx *c, const sent_ctx *sc, uint32_t bound) {
    const ws_text *t = c->t;
    uint32_t e = bound + 1;
    while (e > sc->lo && (is_comma(t, e - 1) || is_dash(t, e - 1))) e--;
    if (e <= sc->lo || !is_close_q(t, e - 1)) return NONE;
    uint32_t qi = quote_by_tok(c, e - 1, 1);
    if (qi == NONE) return NONE;
    uint32_t o = t->quotes.v[qi].open_tok;
    return o < sc->a || only_edges(t, sc->lo, o) ? qi : NONE;
}

/* The unquoted clause ending at token `bound` (a comma or dash). */
static int left_clause(rctx *c, const sent_ctx *sc, uint32_t bound,
                       ws_sp *out) {
    const ws_text *t = c->t;
    if (!is_comma(t, bound) && !is_dash(t, bound) && !is_close_q(t, bound))
        return 0;
    uint32_t e = bound + 1;
    while (e > sc->lo && (is_comma(t, e - 1) || is_dash(t, e - 1))) e--;
    return clause_seg(t, sc->lo, e, out);
}

/* Skips an addressee after a cue: "told reporters", "said to TASS". */
static uint32_t skip_addressee(const ws_text *t, const cue *cu, uint32_t b) {
    np n;
    uint32_t i = cu->b;
    if ((cu->cls & WS_CUE_ADDRESSEE) && right_np(t, i, b, 1, &n)) return n.b;
    if (i < b && ws_tok_ieq(t, i, "to") && right_np(t, i + 1, b, 1, &n))
        return n.b;
    return i;
}

/* Tokens after the cue group (and an inverted source) that are not final
 * punctuation: a short tail ("on Monday") keeps "..., X said" valid. */
static int short_tail(const ws_text *t, uint32_t i, uint32_t b) {
    uint32_t e = body_end(t, i, b);
    if (e <= i) return 1;
    if (e - i > MAX_TRAIL || !tok_in(t, i, WS_LR_TAIL)) return 0;
    for (uint32_t k = i; k < e; k++)
        if (ws_tok_ieq(t, k, "that") || is_open_q(t, k) || is_comma(t, k))
            return 0;
    return 1;
}

/* Split content: "A," she said, "B." or The talks, he said, went well. */
static uint32_t second_part(rctx *c, const sent_ctx *sc, uint32_t i,
                            int quoted, ws_stmt *s) {
    const ws_text *t = c->t;
    if (i + 1 >= sc->b || !is_comma(t, i)) return i;
    if (is_open_q(t, i + 1)) {
        uint32_t qi = quote_by_tok(c, i + 1, 0);
        if (qi == NONE || !quoted) return i;
        add_seg(s, quote_seg(c, qi));
        uint32_t ct = t->quotes.v[qi].close_tok;
        return ct == NONE ? sc->b : ct + 1;
    }
    ws_sp sp;
    if (quoted || !clause_seg(t, i + 1, sc->b, &sp)) return i;
    use_quotes_in(c, i + 1, sc->b);
    add_seg(s, sp);
    return sc->b;
}

/* The resolver reads the name after a lowercase title: "longtime
 * Democratic pollster Ray Dunn" -> "Ray Dunn". */
static uint32_t name_start(const ws_text *t, uint32_t a, uint32_t b) {
    uint32_t k = b;
    while (k > a && is_cap(t, k - 1)) k--;
    if (k == b || k == a || is_cap(t, k - 1)) return a;
    return tok_in(t, k - 1, WS_LR_SRCNOUN) ? k : a;
}

static void set_roles(ws_stmt *s, const ws_text *t, const cue *cu,
                      const np *src) {
    s->cue = tok_span(t, cu->a, cu->b);
    s->cue_tok = cu->a;
    s->source = tok_span(t, src->a, WS_MAX(src->b, src->full_b));
    s->src_tok_start = name_start(t, src->a, src->b);
    s->src_tok_end = src->b;
}

/* May an unquoted clause end with this cue? */
static int clause_cue_ok(const cue *cu, int inverted) {
    if (cu->according) return 1;
    if (!(cu->cls & WS_CUE_STRONG)) return 0;
    return !inverted || (cu->lemma && in_list(cu->lemma, inverted_lemmas));
}

/* "..., X said." / "\"...,\" X said." / "\"...,\" said X." Returns the
 * token after the statement, or 0 when the pattern does not apply. */
static uint32_t try_left(rctx *c, const sent_ctx *sc, const cue *cu,
                         const np *src, int inverted, ws_status *st) {
    const ws_text *t = c->t;
    uint32_t first = inverted ? cu->a : src->a;
    uint32_t after = inverted ? src->full_b : cu->b;
    if (cu->according) first = cu->a, after = src->full_b;
    if (first <= sc->lo) return 0;
    if (!inverted && !cu->according) after = skip_addressee(t, cu, sc->b);
    uint32_t qi = left_quote(c, sc, first - 1);
    if (qi != NONE && !is_comma(t, after) && after < sc->b &&
        tok_in(t, after, WS_LR_TAIL)) { /* "A," he said Sunday, "B." */
        uint32_t k = after;
        while (k < sc->b && k - after < MAX_TRAIL && !is_edge(t, k)) k++;
        if (k + 1 < sc->b && is_comma(t, k) && is_open_q(t, k + 1)) after = k;
    }
    int split = after + 1 < sc->b && is_comma(t, after);
    ws_sp sp;
    if (qi == NONE) {
        if (!clause_cue_ok(cu, inverted)) return 0;
        if (!left_clause(c, sc, first - 1, &sp)) return 0;
        int part2 = split && !is_open_q(t, after + 1) &&
                    clause_seg(t, after + 1, sc->b, &sp);
        if (!part2 && !short_tail(t, after, sc->b)) return 0;
    }
    ws_stmt s;
    memset(&s, 0, sizeof s);
    if (qi != NONE) add_seg(&s, quote_seg(c, qi));
    else if (left_clause(c, sc, first - 1, &sp)) {
        use_quotes_in(c, sc->lo, first);
        add_seg(&s, sp);
    }
    uint32_t end = split ? second_part(c, sc, after, qi != NONE, &s) : after;
    set_roles(&s, t, cu, src);
    s.pattern = cu->according ? "clause+according+src"
                : qi != NONE ? (inverted ? "quote+cue+src" : "quote+src+cue")
                : (inverted ? "clause+cue+src" : "clause+src+cue");
    if (qi != NONE && s.n_content > 1) s.pattern = "quote+src+cue+quote";
    s.score = qi != NONE ? 0.9f : 0.7f;
    *st = push_stmt(c, &s, sc->si);
    return WS_MAX(end, after);
}

/* Skips "this weekend", "last week", "on Monday", "Monday" at token i. */
static uint32_t skip_time(const ws_text *t, uint32_t i, uint32_t b) {
    if (i < b && tok_in(t, i, WS_LR_DAYS)) return i + 1;
    if (i + 1 < b && tok_in(t, i, WS_LR_TREL) &&
        (tok_in(t, i + 1, WS_LR_DAYS) || tok_in(t, i + 1, WS_LR_TIME)))
        return i + 2;
    return i;
}

/* Where the content after a cue starts: after an addressee, at a nearby
 * "that", after ", :". */
static uint32_t right_start(const ws_text *t, const cue *cu, uint32_t b) {
    uint32_t i = cu->according ? cu->b : skip_addressee(t, cu, b);
    int gap_ok = i < b && (i > cu->b || tok_in(t, i, WS_LR_PREP));
    for (uint32_t k = i; gap_ok && k < b && k - i <= MAX_THAT_GAP; k++) {
        if (is_edge(t, k) && !is_comma(t, k)) break; /* "in Toledo, Ohio," */
        if (ws_tok_ieq(t, k, "that") && t->toks.v[k].qdepth == 0) return k;
    }
    i = skip_time(t, i, b);
    if (i + 1 < b && is_comma(t, i + 1) &&
        (tok_in(t, i, WS_LR_ADV) || tok_in(t, i, WS_LR_TAIL)))
        i += 2; /* "adding later, \"...\"" */
    if (i + 2 < b && (ws_tok_ieq(t, i, "of") || ws_tok_ieq(t, i, "about"))) {
        uint32_t k = i + 1; /* "says of Clinton, \"...\"" */
        while (k < b && k - i <= MAX_NP && !is_edge(t, k)) k++;
        if (k + 1 < b && is_comma(t, k) && is_open_q(t, k + 1)) i = k + 1;
    }
    while (i < b && tok_kind(t, i) == WS_TOK_PUNCT &&
           (is_comma(t, i) || is_lit(t, i, ":")))
        i++;
    return i;
}

/* Where indirect content after a cue ends: the sentence end, or a comma
 * before a new clause (", but ...", ", although ...", ", and she ...",
 * ", according to ..."). */
static uint32_t clause_end(const ws_text *t, uint32_t i, uint32_t b) {
    for (uint32_t k = i; k + 2 < b && k - i < MAX_SENT_SCAN; k++) {
        uint32_t cut = k; /* first token left out */
        if (is_close_q(t, k) && k > i && is_comma(t, k - 1))
            cut = k + 1; /* ...,\" adding: the mark stays in */
        else if (t->toks.v[k].qdepth)
            continue;
        else if (k > i && (is_lit(t, k, ";") || is_lit(t, k, "\xE2\x80\x95")))
            return k;
        else if (!is_comma(t, k))
            continue;
        uint32_t n = k + 1;
        if (t->toks.v[n].pos == WS_POS_VBG) return cut; /* ", arguing" */
        if (tok_in(t, n, WS_LR_CONJ)) return cut;
        if (ws_tok_ieq(t, n, "and") && n + 1 < b && tok_in(t, n + 1, WS_LR_SUBJ))
            return cut;
    }
    return b;
}

/* May indirect content start at token i after this cue? "that" always;
 * a bare clause after "say"-like verbs ("said the talks failed") or after
 * an addressee ("told TASS the talks failed"), never after a noun object
 * verb ("denied the report") or at a preposition ("said on CNN"). */
static int bare_ok(const ws_text *t, const cue *cu, uint32_t i, uint32_t b) {
    if (cu->according || ws_tok_ieq(t, i, "that")) return 1;
    if (tok_in(t, i, WS_LR_PREP) || !cu->lemma) return 0;
    if ((cu->cls & WS_CUE_ADDRESSEE) && skip_addressee(t, cu, b) > cu->b)
        return 1;
    return in_list(cu->lemma, bare_lemmas);
}

/* "X said (that) ...", "X said: \"...\"", "According to X, ...". */
static uint32_t try_right(rctx *c, const sent_ctx *sc, const cue *cu,
                          const np *src, ws_status *st) {
    const ws_text *t = c->t;
    uint32_t i = right_start(t, cu, sc->b);
    if (cu->according) {
        if (src->full_b >= sc->b || !is_comma(t, src->full_b)) return 0;
        i = src->full_b + 1;
    }
    if (i == sc->b && i < t->toks.n && i > 0 && is_lit(t, i - 1, ":") &&
        is_open_q(t, i))
        ; /* "Karadsheh says:" and the quotation opens the next paragraph */
    else if (i >= sc->b || ws_tok_ieq(t, i, "to") || ws_tok_ieq(t, i, "about"))
        return 0;
    ws_stmt s;
    memset(&s, 0, sizeof s);
    uint32_t end = sc->b;
    uint32_t qi = is_open_q(t, i) ? quote_by_tok(c, i, 0) : NONE;
    if (qi != NONE && (t->quotes.v[qi].close_tok == NONE ||
                       only_edges(t, t->quotes.v[qi].close_tok, sc->b) ||
                       t->quotes.v[qi].close_tok >= sc->b)) {
        add_seg(&s, quote_seg(c, qi));
        uint32_t ct = t->quotes.v[qi].close_tok;
        end = ct == NONE ? sc->b : WS_MAX(ct + 1, sc->b);
        s.pattern = cu->according ? "according+src+quote" : "src+cue+quote";
        s.score = 0.9f;
    } else {
        ws_sp sp;
        if (!(cu->cls & WS_CUE_STRONG) && !cu->according) return 0;
        if (!bare_ok(t, cu, i, sc->b)) return 0;
        end = clause_end(t, i, sc->b);
        if (!clause_seg(t, i, end, &sp)) return 0;
        use_quotes_in(c, i, end);
        add_seg(&s, sp);
        s.pattern = cu->according ? "according+src" : "src+cue+that";
        s.score = 0.75f;
    }
    set_roles(&s, t, cu, src);
    *st = push_stmt(c, &s, sc->si);
    return end;
}

/* A quick test before cue_at(): false when cue_at() surely fails (not a
 * word outside quotes, neither a cue verb nor 9 bytes long like
 * "according"). */
static inline int maybe_cue(const ws_text *t, uint32_t i) {
    const ws_token *k = &t->toks.v[i];
    if (k->kind != WS_TOK_WORD || k->qdepth) return 0;
    return lex(t, i)->cue || k->end - k->start == 9;
}

/* Reads the cue at token i (a reporting verb or "according to"). */
static int cue_at(const rctx *c, const sent_ctx *sc, uint32_t i, cue *cu) {
    const ws_text *t = c->t;
    if (tok_kind(t, i) != WS_TOK_WORD || t->toks.v[i].qdepth) return 0;
    if (ws_tok_ieq(t, i, "according") && i + 1 < sc->b &&
        ws_tok_ieq(t, i + 1, "to")) {
        cu->a = i, cu->b = i + 2, cu->according = 1;
        cu->cls = WS_CUE_VERB | WS_CUE_STRONG;
        cu->lemma = NULL;
        cu->pre = i > sc->lo ? i - 1 : NONE;
        return 1;
    }
    if (!lex(t, i)->cue) return 0;
    unsigned pos = t->toks.v[i].pos;
    if (pos == WS_POS_NNPS && !headline_sent(c, sc->si)) return 0;
    if (is_cap(t, i) && !(t->toks.v[i].flags & WS_TF_SENT_START)) {
        const char *lem = lex(t, i)->lemma;
        if (!headline_sent(c, sc->si) || !lem ||
            (strcmp(lem, "say") && strcmp(lem, "tell")))
            return 0; /* "the United States", unless "Lavrov Says" */
    }
    return cue_group(t, sc->lo, i, cu);
}

/* End of an appositive after an inverted source ("said Ann Lee, a lawyer
 * for the city, who ..."): the sentence end, or a comma before a participle
 * or a preposition (", referring to", ", on Thursday"); at a quotation mark
 * the source stays the name (returns `a` - 1, the comma). */
static uint32_t appos_end(const ws_text *t, uint32_t a, uint32_t end) {
    uint32_t k = a;
    for (; k < end && k - a <= 2 * MAX_APPOS; k++) {
        if (tok_kind(t, k) == WS_TOK_QUOTE && t->toks.v[k].qrole) return a - 1;
        if (is_comma(t, k) && k + 1 < end &&
            (t->toks.v[k + 1].pos == WS_POS_VBG || tok_in(t, k + 1, WS_LR_NPSTOP)) &&
            !tok_in(t, k + 1, WS_LR_REL4))
            return k; /* ", referring to ...", ", on Thursday" */
    }
    return k == end ? end : a - 1;
}

/* "one source on the panel", "an official at the ministry": a phrase
 * after a common-noun source joins it (inverted sources only). */
static void right_pp(const ws_text *t, uint32_t end, np *src) {
    uint32_t p = src->b;
    if (p + 1 >= end || is_cap(t, p - 1) || !tok_in(t, p - 1, WS_LR_SRCNOUN) ||
        !tok_in(t, p, WS_LR_OFPREP))
        return;
    np m;
    if (!right_np(t, p + 1, end, 0, &m) || tok_in(t, m.a, WS_LR_PRON)) return;
    src->b = src->full_b = m.b;
}

/* Inverted source: "\"...,\" said Lavrov." after a comma or closing mark. */
static int inverted_src(const rctx *c, const sent_ctx *sc, const cue *cu,
                        np *src) {
    const ws_text *t = c->t;
    if (cu->a == 0 || cu->a <= sc->lo || cu->a != cu->b - 1) return 0;
    low_buf lb;
    low(t, cu->a, &lb);
    if (lb.n > 4 && strcmp(lb.s + lb.n - 3, "ing") == 0) return 0;
    uint32_t p = cu->a - 1;
    if (!is_comma(t, p) && !is_close_q(t, p) && !is_dash(t, p)) return 0;
    if (!right_np(t, cu->b, sc->b, 0, src)) return 0;
    right_pp(t, sc->b, src);
    uint32_t e = src->b;
    if (e + 1 < sc->b && is_comma(t, e) && appos_start(t, e + 1)) {
        src->full_b = appos_end(t, e + 1, body_end(t, e, sc->b));
        return 1;
    }
    return e >= sc->b || is_comma(t, e) || short_tail(t, e, sc->b);
}

/* An -ing verb without an auxiliary ("the company claiming residency") is
 * no finite cue; only the participle pattern may use it. */
static int bare_ing(const ws_text *t, const cue *cu) {
    low_buf b;
    low(t, cu->b - 1, &b);
    return cu->a == cu->b - 1 && b.n > 4 && strcmp(b.s + b.n - 3, "ing") == 0;
}

/* The source of "..., saying/adding that ..." and "... and says ...": the
 * statement already found in this sentence, else the name or pronoun that
 * opens the sentence (followed by its verb). */
static int participle_src(const rctx *c, const sent_ctx *sc, const cue *cu,
                          np *src) {
    const ws_text *t = c->t;
    low_buf b;
    low(t, cu->b - 1, &b);
    int ing = b.n > 4 && strcmp(b.s + b.n - 3, "ing") == 0;
    if (cu->a <= sc->a) return 0;
    int comma = ing && cu->a == cu->b - 1 && is_comma(t, cu->a - 1);
    int after_and = !ing && ws_tok_ieq(t, cu->a - 1, "and"); /* "and says" */
    if (!comma && !after_and) return 0;
    uint32_t k = c->sent_stmt[sc->si];
    if (k && c->d->stmts.v[k - 1].cue_tok >= sc->a &&
        c->d->stmts.v[k - 1].src_tok_end > c->d->stmts.v[k - 1].src_tok_start) {
        const ws_stmt *p = &c->d->stmts.v[k - 1];
        src->a = p->src_tok_start, src->b = p->src_tok_end;
        src->full_b = ws_tok_after(t, p->source.end - 1) + 1;
        return src->full_b <= t->toks.n;
    }
    if (!right_np(t, sc->a, cu->a, 0, src) || src->b >= cu->a) return 0;
    unsigned p = t->toks.v[src->b].pos;
    if (p != WS_POS_VBD && p != WS_POS_VBZ && p != WS_POS_VBP &&
        p != WS_POS_MD)
        return 0; /* the sentence must open with its subject and verb */
    return is_cap(t, src->b - 1) || tok_in(t, src->a, WS_LR_PRON);
}

/* "according to early results of the exit poll conducted by ..., X": the
 * source runs to the next comma or the sentence end. */
static void according_extent(const ws_text *t, const sent_ctx *sc, np *src) {
    uint32_t end = body_end(t, src->b, sc->b), k = src->b;
    while (k < end && k - src->b < MAX_APPOS && !is_comma(t, k) &&
           !(tok_kind(t, k) == WS_TOK_QUOTE && t->toks.v[k].qrole))
        k++;
    if (k == end || is_comma(t, k)) src->full_b = k;
}

/* Tries the patterns at the cue found at token i; `left_only` keeps to
 * those whose content comes before the cue. */
static uint32_t try_cue(rctx *c, const sent_ctx *sc, uint32_t i,
                        int left_only, ws_status *st) {
    const ws_text *t = c->t;
    cue cu;
    np src;
    if (!cue_at(c, sc, i, &cu)) return 0;
    if (cu.according) {
        if (!right_np(t, cu.b, sc->b, 0, &src)) {
            if (cu.b >= sc->b || tok_kind(t, cu.b) != WS_TOK_WORD) return 0;
            src.a = cu.b, src.b = src.full_b = cu.b + 1; /* "early results" */
        }
        according_extent(t, sc, &src);
        uint32_t r = try_left(c, sc, &cu, &src, 0, st);
        return r || left_only ? r : try_right(c, sc, &cu, &src, st);
    }
    if (inverted_src(c, sc, &cu, &src)) {
        uint32_t r = try_left(c, sc, &cu, &src, 1, st);
        if (r) return r;
    }
    if (cu.pre == NONE || bare_ing(t, &cu) ||
        !left_np(t, sc->lo, cu.pre, &src)) {
        if (left_only || !participle_src(c, sc, &cu, &src)) return 0;
        return try_right(c, sc, &cu, &src, st);
    }
    uint32_t r = try_left(c, sc, &cu, &src, 0, st);
    return r || left_only ? r : try_right(c, sc, &cu, &src, st);
}

/* "Lavrov: \"...\"" anywhere, "Lavrov: US must ..." in a headline. */
static ws_status try_colon(rctx *c, const sent_ctx *sc) {
    const ws_text *t = c->t;
    uint32_t k = sc->a;
    while (k < sc->b && k - sc->a <= MAX_COLON_NP && !is_lit(t, k, ":")) k++;
    if (k >= sc->b || k == sc->a || !is_lit(t, k, ":") || t->toks.v[k].qdepth)
        return WS_OK;
    if (tok_in(t, sc->a, WS_LR_COLONSTOP) || !is_cap(t, sc->a)) return WS_OK;
    np src;
    if (!left_np_plain(t, sc->a, k - 1, &src) || src.a != sc->a) return WS_OK;
    for (uint32_t i = sc->a; i < k; i++)
        if (lex(t, i)->cue) return WS_OK; /* "Trump Praises X:" */
    ws_stmt s;
    memset(&s, 0, sizeof s);
    uint32_t qi = k + 1 < sc->b && is_open_q(t, k + 1)
                      ? quote_by_tok(c, k + 1, 0) : NONE;
    if (qi != NONE) {
        add_seg(&s, quote_seg(c, qi));
        s.pattern = "src+colon+quote", s.score = 0.8f;
    } else {
        ws_sp sp;
        if (!headline_sent(c, sc->si) || !clause_seg(t, k + 1, sc->b, &sp))
            return WS_OK;
        add_seg(&s, sp);
        s.pattern = "headline+colon", s.score = 0.6f;
    }
    cue cu = {k, k + 1, NONE, 0, NULL, 0};
    set_roles(&s, t, &cu, &src);
    return push_stmt(c, &s, sc->si);
}

/* A cue near the end of the sentence with the content before it ("...,
 * the source added."): tried first, so that the whole clause before it
 * becomes the content even when it holds other reporting verbs. */
static uint32_t final_cue(rctx *c, const sent_ctx *sc, ws_status *st) {
    uint32_t e = body_end(c->t, sc->a, sc->b), n = 0;
    cue cu;
    for (uint32_t i = e; i-- > sc->a && e - i <= MAX_FINAL_SCAN && n < 2;) {
        if (!maybe_cue(c->t, i) || !cue_at(c, sc, i, &cu)) continue;
        n++;
        uint32_t r = try_cue(c, sc, i, 1, st);
        if (r) return r;
    }
    return 0;
}

static ws_status do_sentence(rctx *c, uint32_t si) {
    const ws_sentence *se = &c->t->sents.v[si];
    sent_ctx sc = {si, se->tok_start, se->tok_end, se->tok_start};
    if (sc.a >= sc.b) return WS_OK;
    ws_status st = WS_OK;
    size_t before = c->d->stmts.n;
    uint32_t first = final_cue(c, &sc, &st);
    if (first) sc.lo = first;
    uint32_t stop = WS_MIN(sc.b, sc.a + MAX_SENT_SCAN);
    for (uint32_t i = sc.lo; i < stop && st == WS_OK; i++) {
        if (i + 8 < stop) WS_PREFETCH(lex(c->t, i + 8));
        if (!maybe_cue(c->t, i)) continue; /* try_cue() would return 0 */
        uint32_t next = try_cue(c, &sc, i, 0, &st);
        if (next > i) {
            sc.lo = next;
            i = next - 1;
        }
    }
    if (st == WS_OK && c->d->stmts.n == before) st = try_colon(c, &sc);
    return st;
}

/* ------------------------------------------------------------------ */
/* Continuations: quotations with no attribution of their own.          */

static const ws_stmt *sent_statement(const rctx *c, uint32_t si) {
    if (si >= c->t->sents.n || !c->sent_stmt[si]) return NULL;
    const ws_stmt *s = &c->d->stmts.v[c->sent_stmt[si] - 1];
    return s->source.end > s->source.start ? s : NULL;
}

/* The last statement of paragraph p when its content was a quotation. */
static const ws_stmt *para_last_quote(const rctx *c, uint32_t p) {
    const ws_paragraph *pa = &c->t->paras.v[p];
    uint32_t n = 0;
    for (uint32_t si = pa->sent_end; si-- > pa->sent_start && n < MAX_BACK_SENTS;
         n++) {
        if (!c->sent_stmt[si]) continue;
        const ws_stmt *s = &c->d->stmts.v[c->sent_stmt[si] - 1];
        if (s->type != WS_QUOTE_DIRECT || s->source.end <= s->source.start)
            return NULL;
        return s;
    }
    return NULL;
}

/* Does quotation q make up its sentence (only marks around it)? */
static int quote_is_sentence(const rctx *c, const ws_quotation *q) {
    const ws_text *t = c->t;
    const ws_sentence *se = &t->sents.v[t->toks.v[q->open_tok].sent];
    if (!only_edges(t, se->tok_start, q->open_tok)) return 0;
    if (q->close_tok == NONE || q->close_tok >= se->tok_end) return 1;
    return only_edges(t, q->close_tok + 1, se->tok_end);
}

/* The statement a lone quotation continues, or NULL. */
static const ws_stmt *continued(const rctx *c, const ws_quotation *q) {
    const ws_text *t = c->t;
    uint32_t si = t->toks.v[q->open_tok].sent;
    const ws_sentence *se = &t->sents.v[si];
    const ws_paragraph *pa = &t->paras.v[se->para];
    const ws_stmt *s = NULL;
    if (si > pa->sent_start) s = sent_statement(c, si - 1);
    if (!s) {
        uint32_t last = q->close_tok == NONE ? si
                        : t->toks.v[WS_MIN(q->close_tok, t->toks.n - 1)].sent;
        if (last + 1 < pa->sent_end) s = sent_statement(c, last + 1);
    }
    if (!s && si == pa->sent_start && se->para > 0)
        s = para_last_quote(c, se->para - 1);
    return s;
}

/* The last sentence a quotation touches. */
static uint32_t quote_last_sent(const ws_text *t, const ws_quotation *q) {
    uint32_t k = q->close_tok == NONE ? q->open_tok : q->close_tok;
    return t->toks.v[WS_MIN(k, t->toks.n - 1)].sent;
}

/* PolNeAR joins a quoted sentence that follows a quotation of the same
 * paragraph to that statement as one more content segment:
 * "A," she said. "B." -> one statement, segments A and B. */
static int join_previous(rctx *c, uint32_t qi) {
    const ws_text *t = c->t;
    const ws_quotation *q = &t->quotes.v[qi];
    uint32_t si = t->toks.v[q->open_tok].sent;
    const ws_paragraph *pa = &t->paras.v[t->sents.v[si].para];
    if (si <= pa->sent_start || !c->sent_stmt[si - 1]) return 0;
    ws_stmt *p = &c->d->stmts.v[c->sent_stmt[si - 1] - 1];
    if (p->type != WS_QUOTE_DIRECT || p->n_content >= WS_MAX_SEGMENTS ||
        p->source.end <= p->source.start || p->origin != WS_ORIGIN_RULE)
        return 0;
    add_seg(p, quote_seg(c, qi));
    c->sent_stmt[quote_last_sent(t, q)] = c->sent_stmt[si - 1];
    return 1;
}

/* "\"...\" ― Sonya Herridge": a quotation signed with a dash and a name. */
static ws_status try_dash_sign(rctx *c, uint32_t qi) {
    const ws_text *t = c->t;
    const ws_quotation *q = &t->quotes.v[qi];
    uint32_t d = q->close_tok + 1;
    if (q->close_tok == NONE || d + 1 >= t->toks.n || !is_dash(t, d))
        return WS_OK;
    const ws_sentence *se = &t->sents.v[t->toks.v[d].sent];
    uint32_t end = se->tok_end;
    np src;
    if (!right_np(t, d + 1, end, 0, &src) || !is_cap(t, src.b - 1) ||
        !(src.b >= end || is_comma(t, src.b) || is_edge(t, src.b) ||
          (t->toks.v[src.b].flags & WS_TF_NL_BEFORE)))
        return WS_OK;
    ws_stmt s;
    memset(&s, 0, sizeof s);
    add_seg(&s, quote_seg(c, qi));
    cue cu = {d, d + 1, NONE, 0, NULL, 0};
    set_roles(&s, t, &cu, &src);
    s.pattern = "quote+dash+src", s.score = 0.8f;
    return push_stmt(c, &s, t->toks.v[d].sent);
}

static ws_status do_continuations(rctx *c) {
    const ws_text *t = c->t;
    for (uint32_t r = 0; r < c->nq; r++) {
        uint32_t qi = c->q_open[r];
        const ws_quotation *q = &t->quotes.v[qi];
        if (q->depth > 1 || c->q_used[qi] || q->open_tok >= t->toks.n) continue;
        if (q->n_words < 2 || q->end <= q->start) continue;
        WS_FORWARD_IF_ERROR(try_dash_sign(c, qi));
        if (c->q_used[qi] || !quote_is_sentence(c, q)) continue;
        if (q->close_tok != NONE && title_case(t, q->open_tok, q->close_tok))
            continue; /* ''Coal Isn't the Villain.'': a section heading */
        if (join_previous(c, qi)) continue;
        const ws_stmt *prev = continued(c, q);
        if (!prev) continue;
        ws_stmt s;
        memset(&s, 0, sizeof s);
        add_seg(&s, quote_seg(c, qi));
        s.source = prev->source;
        s.src_tok_start = prev->src_tok_start;
        s.src_tok_end = prev->src_tok_end;
        s.cue_tok = prev->cue_tok;
        s.pattern = "continuation";
        s.score = 0.55f;
        WS_FORWARD_IF_ERROR(push_stmt(c, &s, t->toks.v[q->open_tok].sent));
    }
    return WS_OK;
}

/* ------------------------------------------------------------------ */
/* Entry point.                                                        */

/* A headline: the first paragraph (or first line) when it is short and has
 * no final period (or is in title case). Returns how many sentences it spans. */
static uint32_t headline_sents(const ws_text *t) {
    if (!t->paras.n || !t->sents.n) return 0;
    const ws_paragraph *p = &t->paras.v[0];
    const ws_sentence *s0 = &t->sents.v[p->sent_start];
    uint32_t n = 0, e = s0->tok_end;
    for (uint32_t i = s0->tok_start + 1; i < s0->tok_end; i++)
        if (t->toks.v[i].flags & WS_TF_NL_BEFORE) {
            e = i;
            break;
        }
    if (e <= s0->tok_start || e - s0->tok_start > MAX_HEADLINE) return 0;
    if (is_final_punct(t, e - 1) && e == s0->tok_end &&
        !title_case(t, s0->tok_start, e))
        return 0;
    n = 1;
    return n;
}

/* "WALLACE: Let's start with..." - a transcript line: an all-capitals
 * speaker label opening the paragraph, the rest of the paragraph is what
 * the speaker said (even inside an enclosing quotation). */
static ws_status try_label(rctx *c, uint32_t pi) {
    const ws_text *t = c->t;
    const ws_paragraph *p = &t->paras.v[pi];
    uint32_t f = p->tok_start, k;
    if (pi == 0) return WS_OK; /* a headline, not a transcript line */
    while (f < p->tok_end && tok_kind(t, f) == WS_TOK_QUOTE) f++;
    for (k = f; k < p->tok_end && k - f < 2; k++)
        if (!(t->toks.v[k].flags & WS_TF_ALLCAPS) ||
            tok_kind(t, k) != WS_TOK_WORD)
            break;
    if (k == f || k >= p->tok_end || !is_lit(t, k, ":")) return WS_OK;
    if (tok_in(t, f, WS_LR_COLONSTOP)) return WS_OK;
    ws_sp sp;
    if (!clause_seg(t, k + 1, p->tok_end, &sp)) return WS_OK;
    ws_stmt s;
    memset(&s, 0, sizeof s);
    add_seg(&s, sp);
    np src = {f, k, k};
    cue cu = {k, k + 1, NONE, 0, NULL, 0};
    set_roles(&s, t, &cu, &src);
    s.pattern = "label+colon", s.score = 0.8f;
    WS_FORWARD_IF_ERROR(push_stmt(c, &s, t->toks.v[k].sent));
    for (uint32_t si = p->sent_start; si < p->sent_end; si++)
        c->sent_stmt[si] = (uint32_t)c->d->stmts.n;
    return WS_OK;
}

static ws_status rules_init(rctx *c, ws_doc *d) {
    memset(c, 0, sizeof *c);
    c->d = d;
    c->t = &d->text;
    c->nq = (uint32_t)d->text.quotes.n;
    c->q_open = sorted_quotes(&d->arena, c->t, 0);
    c->q_close = sorted_quotes(&d->arena, c->t, 1);
    c->q_used = ws_arena_calloc(&d->arena, c->nq + 1);
    c->sent_stmt = ws_arena_calloc(&d->arena,
                                   (d->text.sents.n + 1) * sizeof(uint32_t));
    WS_RETURN_IF(!c->q_open || !c->q_close || !c->q_used || !c->sent_stmt,
                 WS_ERR_NOMEM);
    c->headline_sents = headline_sents(c->t);
    return WS_OK;
}

ws_status ws_attrib_rules(const ws_engine *e, ws_doc *d) {
    (void)e;
    WS_RETURN_IF(!d, WS_ERR_INVALID);
    if (!d->text.toks.n || !d->text.sents.n) return WS_OK;
    rctx c;
    WS_FORWARD_IF_ERROR(ws_lex_doc(d)); /* every token's lexicon entry */
    WS_FORWARD_IF_ERROR(rules_init(&c, d));
    for (uint32_t pi = 0; pi < d->text.paras.n; pi++)
        WS_FORWARD_IF_ERROR(try_label(&c, pi));
    for (uint32_t si = 0; si < d->text.sents.n; si++)
        if (!c.sent_stmt[si]) WS_FORWARD_IF_ERROR(do_sentence(&c, si));
    return do_continuations(&c);
}

/* ------------------------------------------------------------------ */
/* Typing and addressees (called by merge.c on every statement).       */

static void classify_type(const ws_text *t, ws_stmt *s) {
    uint32_t in = 0, out = 0;
    for (uint8_t k = 0; k < s->n_content && k < WS_MAX_SEGMENTS; k++) {
        ws_sp sp = s->content[k];
        uint32_t n = 0;
        for (uint32_t i = ws_tok_after(t, sp.start);
             i < t->toks.n && t->toks.v[i].start < sp.end && n < MAX_CLASSIFY;
             i++, n++) {
            if (!is_wordish(t, i)) continue;
            if (t->toks.v[i].qdepth) in++;
            else out++;
        }
    }
    if (in && !out) s->type = WS_QUOTE_DIRECT;
    else if (in) s->type = WS_QUOTE_MIXED;
    else s->type = WS_QUOTE_INDIRECT;
}

/* "in an interview with X" in the cue's sentence. */
static int interview_with(const ws_text *t, uint32_t si, np *out) {
    const ws_sentence *se = &t->sents.v[si];
    uint32_t e = WS_MIN(se->tok_end, se->tok_start + MAX_SENT_SCAN);
    for (uint32_t i = se->tok_start; i + 2 < e; i++) {
        if (t->toks.v[i].qdepth || !ws_tok_ieq(t, i, "interview")) continue;
        if (ws_tok_ieq(t, i + 1, "with") && right_np(t, i + 2, e, 0, out))
            return 1;
    }
    return 0;
}

static void find_addressee(const ws_text *t, ws_stmt *s) {
    if (s->cue.end <= s->cue.start) return;
    uint32_t v = ws_tok_after(t, s->cue.end - 1);
    if (v >= t->toks.n || t->toks.v[v].start >= s->cue.end) return;
    const ws_sentence *se = &t->sents.v[WS_MIN(t->toks.v[v].sent,
                                               t->sents.n - 1)];
    unsigned cls = lex(t, v)->cue;
    np n;
    int ok = 0;
    if (v > se->tok_start && tok_in(t, v - 1, WS_LR_BE)) return; /* passive */
    if (cls & WS_CUE_ADDRESSEE) ok = right_np(t, v + 1, se->tok_end, 1, &n);
    else if (cls && v + 1 < se->tok_end && ws_tok_ieq(t, v + 1, "to"))
        ok = right_np(t, v + 2, se->tok_end, 1, &n);
    if (!ok) ok = interview_with(t, t->toks.v[v].sent, &n);
    if (ok) s->addressee = tok_span(t, n.a, n.b);
}

void ws_stmt_classify(const ws_doc *d, ws_stmt *s) {
    if (!d || !s || !d->text.toks.n || !d->text.sents.n) return;
    if (s->n_content) classify_type(&d->text, s);
    if (s->addressee.end <= s->addressee.start && d->text.lex_id)
        find_addressee(&d->text, s); /* lex_id: ws_lex_doc() ran */
}
