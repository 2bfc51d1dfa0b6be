/*
 * test_text.c - unit tests of the text layer: tokens, flags, paragraphs,
 * sentences, quotation pairing, lowercasing, robustness on hostile bytes,
 * invariants on random inputs, and a throughput measurement (info only).
 */
#include "text/text.h"
#include "harness.h"

#include <stdlib.h>
#include <time.h>

static ws_mem mem_g;
static ws_arena arena_g;
static char out_g[8192];

/* Analyzes s[0..n) in a fresh arena (the previous result is freed). */
static ws_text an_n(const char *s, size_t n) {
    ws_text t;
    ws_arena_free(&arena_g);
    ws_arena_init(&arena_g, &mem_g);
    ws_status st = ws_text_analyze(&arena_g, s, n, &t);
    CHECK(st == WS_OK, "analyze status %d", (int)st);
    return t;
}
static ws_text an(const char *s) { return an_n(s, strlen(s)); }

static void append(size_t *o, const char *p, size_t len) {
    if (*o + len + 1 >= sizeof out_g) return;
    memcpy(out_g + *o, p, len);
    *o += len;
    out_g[*o] = 0;
}

/* Tokens joined by '|'. */
static const char *toks(const ws_text *t) {
    size_t o = 0;
    out_g[0] = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) {
        if (i) append(&o, "|", 1);
        append(&o, ws_tok_ptr(t, i), ws_tok_len(t, i));
    }
    return out_g;
}

/* Token kinds, one letter each: W N P Q S C. */
static const char *kinds(const ws_text *t) {
    size_t o = 0;
    out_g[0] = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) append(&o, &"WNPQSC"[t->toks.v[i].kind], 1);
    return out_g;
}

/* Sentences joined by " || ". */
static const char *sents(const ws_text *t) {
    size_t o = 0;
    out_g[0] = 0;
    for (uint32_t i = 0; i < t->sents.n; i++) {
        if (i) append(&o, " || ", 4);
        append(&o, t->s + t->sents.v[i].start, t->sents.v[i].end - t->sents.v[i].start);
    }
    return out_g;
}

/* Quote roles of the QUOTE tokens: o(pen) c(lose) -(none), + depth. */
static const char *roles(const ws_text *t) {
    size_t o = 0;
    out_g[0] = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) {
        const ws_token *k = &t->toks.v[i];
        if (k->kind != WS_TOK_QUOTE) continue;
        char c[2] = {"-oc"[k->qrole], (char)('0' + k->qdepth)};
        append(&o, c, 2);
    }
    return out_g;
}

/* Inner text of quotation q. */
static const char *qtext(const ws_text *t, size_t q) {
    size_t o = 0;
    out_g[0] = 0;
    if (q < t->quotes.n)
        append(&o, t->s + t->quotes.v[q].start, t->quotes.v[q].end - t->quotes.v[q].start);
    return out_g;
}

static int find_tok(const ws_text *t, const char *lit) {
    for (uint32_t i = 0; i < t->toks.n; i++)
        if (ws_tok_is(t, i, lit)) return (int)i;
    return -1;
}

static uint16_t flags_of(const ws_text *t, const char *lit) {
    int i = find_tok(t, lit);
    return i < 0 ? 0 : t->toks.v[i].flags;
}

#define EXPECT_STR(got, want) \
    CHECK(strcmp((got), (want)) == 0, "got [%s] want [%s]", (got), (want))

/* ---- invariants ----------------------------------------------------------- */

static int check_tokens(const ws_text *t) {
    const unsigned char *s = (const unsigned char *)t->s;
    int bad = 0;
    for (uint32_t i = 0; i < t->toks.n; i++) {
        const ws_token *k = &t->toks.v[i];
        bad |= !(k->start < k->end && k->end <= t->n);
        bad |= i > 0 && t->toks.v[i - 1].end > k->start;
        bad |= (s[k->start] & 0xC0) == 0x80 && !(k->flags & WS_TF_INVALID);
        bad |= k->sent >= t->sents.n;
    }
    if (t->n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 && t->toks.n)
        bad |= t->toks.v[0].start < 3;
    return bad;
}

static int check_paras(const ws_text *t) {
    uint32_t tok = 0, sent = 0;
    int bad = 0;
    for (uint32_t p = 0; p < t->paras.n; p++) {
        const ws_paragraph *pp = &t->paras.v[p];
        bad |= pp->tok_start != tok || pp->tok_end <= pp->tok_start;
        bad |= pp->sent_start != sent || pp->sent_end <= pp->sent_start;
        if (bad) return bad;
        bad |= pp->start != t->toks.v[pp->tok_start].start;
        bad |= pp->end != t->toks.v[pp->tok_end - 1].end;
        bad |= !(t->toks.v[pp->tok_start].flags & WS_TF_PARA_START);
        tok = pp->tok_end;
        sent = pp->sent_end;
    }
    return bad || tok != t->toks.n || sent != t->sents.n;
}

static int check_sents(const ws_text *t) {
    uint32_t tok = 0;
    int bad = 0;
    for (uint32_t i = 0; i < t->sents.n && !bad; i++) {
        const ws_sentence *st = &t->sents.v[i];
        bad |= st->tok_start != tok || st->tok_end <= st->tok_start;
        if (bad) break;
        bad |= st->start != t->toks.v[st->tok_start].start;
        bad |= st->end != t->toks.v[st->tok_end - 1].end;
        bad |= st->para >= t->paras.n;
        for (uint32_t k = st->tok_start; k < st->tok_end && !bad; k++) {
            int first = k == st->tok_start;
            bad |= t->toks.v[k].sent != i;
            bad |= !!(t->toks.v[k].flags & WS_TF_SENT_START) != first;
        }
        tok = st->tok_end;
    }
    return bad || tok != t->toks.n;
}

static int check_quotes(const ws_text *t) {
    int bad = 0;
    for (size_t i = 0; i < t->quotes.n && !bad; i++) {
        const ws_quotation *q = &t->quotes.v[i];
        bad |= q->open_tok >= t->toks.n || q->start > q->end || q->end > t->n;
        if (bad) break;
        bad |= t->toks.v[q->open_tok].qrole != WS_Q_OPEN;
        bad |= q->close_tok != UINT32_MAX &&
               (q->close_tok <= q->open_tok || q->close_tok >= t->toks.n ||
                t->toks.v[q->close_tok].qrole != WS_Q_CLOSE);
        unsigned depth = 1;
        for (size_t j = 0; j < t->quotes.n; j++) {
            const ws_quotation *r = &t->quotes.v[j];
            if (j == i) continue;
            int inside = r->start <= q->start && q->end <= r->end && j < i;
            int apart = r->end <= q->start || q->end <= r->start ||
                        (q->start <= r->start && r->end <= q->end);
            bad |= !inside && !apart;
            depth += inside;
        }
        bad |= depth != q->depth;
    }
    return bad;
}

static void check_invariants(const ws_text *t, const char *label) {
    CHECK(!check_tokens(t), "token invariants: %s", label);
    CHECK(!check_paras(t), "paragraph invariants: %s", label);
    CHECK(!check_sents(t), "sentence invariants: %s", label);
    CHECK(!check_quotes(t), "quotation invariants: %s", label);
}

/* ---- edge inputs ------------------------------------------------------------ */

static void test_empty_and_space(void) {
    ws_text t = an("");
    CHECK(t.toks.n == 0 && t.sents.n == 0 && t.paras.n == 0, "empty");
    t = an_n(NULL, 0);
    CHECK(t.toks.n == 0, "NULL input");
    t = an(" \t\r\n\n  \n");
    CHECK(t.toks.n == 0 && t.paras.n == 0, "whitespace only");
    t = an("\xEF\xBB\xBF");
    CHECK(t.toks.n == 0, "BOM only");
    t = an("\xEF\xBB\xBFHello world.");
    EXPECT_STR(toks(&t), "Hello|world|.");
    CHECK(t.toks.v[0].start == 3, "token after BOM starts at 3");
    check_invariants(&t, "BOM");
    ws_arena a;
    ws_arena_init(&a, &mem_g);
    ws_status st = ws_text_analyze(&a, "x", (size_t)UINT32_MAX, &t);
    CHECK(st == WS_ERR_TOO_LARGE, "too large: %d", (int)st);
    ws_arena_free(&a);
}

static void test_crlf_nul(void) {
    ws_text t = an("First line.\r\nSecond line\r\n\r\nThird.");
    EXPECT_STR(toks(&t), "First|line|.|Second|line|Third|.");
    CHECK(t.paras.n == 3, "CRLF paragraphs: %zu", t.paras.n);
    EXPECT_STR(sents(&t), "First line. || Second line || Third.");
    CHECK(t.toks.v[3].flags & WS_TF_NL_BEFORE, "NL_BEFORE");
    CHECK(t.toks.v[3].flags & WS_TF_PARA_START, "PARA_START");
    CHECK(!(t.toks.v[1].flags & WS_TF_NL_BEFORE), "no NL_BEFORE");
    check_invariants(&t, "CRLF");
    static const char nul[] = "ab\0cd \0\0 ef";
    t = an_n(nul, sizeof nul - 1);
    EXPECT_STR(toks(&t), "ab|cd|ef");
    CHECK(t.toks.v[1].start == 3 && t.toks.v[2].start == 9, "NUL offsets");
    check_invariants(&t, "NUL");
}

static void test_invalid_utf8(void) {
    static const struct {
        const char *s;
        const char *label;
    } cases[] = {
        {"a \x80 b", "lone continuation"},
        {"a \xE2\x80 b", "truncated 3-byte"},
        {"a \xC0\xAF b", "overlong 2-byte"},
        {"a \xE0\x80\x80 b", "overlong 3-byte"},
        {"a \xED\xA0\x80 b", "surrogate"},
        {"a \xF4\x90\x80\x80 b", "above U+10FFFF"},
        {"a \xFF\xFE b", "FF FE"},
        {"a \xF0\x9F\x98", "truncated at end"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ws_text t = an(cases[c].s);
        size_t n = strlen(cases[c].s);
        CHECK(t.toks.n >= 2, "%s: %zu tokens", cases[c].label, t.toks.n);
        int inv = find_tok(&t, "a") == 0 ? 1 : 0;
        CHECK(inv && t.toks.v[1].start == 2, "%s: offsets", cases[c].label);
        CHECK(t.toks.v[1].flags & WS_TF_INVALID, "%s: INVALID flag", cases[c].label);
        CHECK(t.toks.v[t.toks.n - 1].end <= n, "%s: in bounds", cases[c].label);
        check_invariants(&t, cases[c].label);
    }
    ws_text t = an("caf\xE9 au lait");
    EXPECT_STR(toks(&t), "caf\xE9|au|lait");
    CHECK(t.toks.v[0].flags & WS_TF_INVALID, "latin-1 word flagged");
}

/* ---- tokens ------------------------------------------------------------------ */

static void test_words_numbers(void) {
    ws_text t = an("The state-designated group paid $1,000.50, up 3.5% in 2016.");
    EXPECT_STR(toks(&t), "The|state-designated|group|paid|$|1,000.50|,|up|3.5|%|in|2016|.");
    EXPECT_STR(kinds(&t), "WWWWSNPWNSWNP");
    CHECK(flags_of(&t, "state-designated") & WS_TF_HAS_HYPHEN, "HAS_HYPHEN");
    CHECK(flags_of(&t, "2016") & WS_TF_HAS_DIGIT, "HAS_DIGIT");
    CHECK(flags_of(&t, "The") & WS_TF_CAP, "CAP");
    CHECK(!(flags_of(&t, "The") & WS_TF_ALLCAPS), "The is not ALLCAPS");
    CHECK(flags_of(&t, "group") & WS_TF_SPACE_BEFORE, "SPACE_BEFORE");
    CHECK(!(flags_of(&t, "%") & WS_TF_SPACE_BEFORE), "no SPACE_BEFORE");
    t = an("NATO and the FBI, A 1990s G7 3rd");
    CHECK(flags_of(&t, "NATO") & WS_TF_ALLCAPS, "ALLCAPS");
    CHECK(!(flags_of(&t, "A") & WS_TF_ALLCAPS), "one letter is not ALLCAPS");
    EXPECT_STR(kinds(&t), "WWWWPWWWW");
    t = an("Wait -- no\xE2\x80\x94yes \xE2\x80\x93 maybe... so\xE2\x80\xA6 end");
    EXPECT_STR(toks(&t), "Wait|--|no|\xE2\x80\x94|yes|\xE2\x80\x93|maybe|...|so|\xE2\x80\xA6|end");
    EXPECT_STR(kinds(&t), "WPWPWPWPWPW");
    t = an("Wow!!! Really?! No... ==== ** << >> :) ;-) at 10:30 on 11/30/2001, cannot");
    EXPECT_STR(toks(&t), "Wow|!!!|Really|?!|No|...|====|**|<<|>>|:)|;-)|at|10:30|on|11/30/2001|,|can|not");
    t = an("See http://www.example.com/a?b=1. Mail jane.doe@example.org, or visit www.nytimes.com or Amazon.com.");
    EXPECT_STR(toks(&t), "See|http://www.example.com/a?b=1|.|Mail|jane.doe@example.org|,|or|visit|www.nytimes.com|or|Amazon.com|.");
    CHECK(t.sents.n == 2, "URL sentences: %s", sents(&t));
}

static void test_clitics(void) {
    ws_text t = an("Don't say Clinton's aide can't, they're I'm we've you'll he'd.");
    EXPECT_STR(toks(&t), "Do|n't|say|Clinton|'s|aide|ca|n't|,|they|'re|I|'m|we|'ve|you|'ll|he|'d|.");
    EXPECT_STR(kinds(&t), "WCWWCWWCPWCWCWCWCWCP");
    t = an("Clinton\xE2\x80\x99s aide doesn\xE2\x80\x99t know");
    EXPECT_STR(toks(&t), "Clinton|\xE2\x80\x99s|aide|does|n\xE2\x80\x99t|know");
    EXPECT_STR(kinds(&t), "WCWWCW");
    t = an("O'Brien loves rock'n'roll from the '90s and \xE2\x80\x99" "16 polls");
    EXPECT_STR(toks(&t), "O'Brien|loves|rock'n'roll|from|the|'90s|and|\xE2\x80\x99" "16|polls");
    EXPECT_STR(kinds(&t), "WWWWWWWNW");
    t = an("the Joneses' dog");
    EXPECT_STR(toks(&t), "the|Joneses|'|dog");
    EXPECT_STR(roles(&t), "-0");
    t = an("DON'T");
    EXPECT_STR(toks(&t), "DO|N'T");
    t = an("the U.S.'s role and Apple Inc.\xE2\x80\x99s");
    EXPECT_STR(toks(&t), "the|U.S.|'s|role|and|Apple|Inc.|\xE2\x80\x99s");
    EXPECT_STR(kinds(&t), "WWCWWWWC");
}

static void test_abbreviations(void) {
    ws_text t = an("Gov. Jerry Brown met U.S. and U.N. officials in Washington, D.C., on Dec. 30 at 5 p.m. with Mr. Smith.");
    EXPECT_STR(toks(&t), "Gov.|Jerry|Brown|met|U.S.|and|U.N.|officials|in|Washington|,|D.C.|,|on|Dec.|30|at|5|p.m.|with|Mr.|Smith|.");
    CHECK(flags_of(&t, "Gov.") & WS_TF_ABBREV, "Gov. ABBREV");
    CHECK(flags_of(&t, "U.S.") & WS_TF_ABBREV, "U.S. ABBREV");
    CHECK(flags_of(&t, "p.m.") & WS_TF_ABBREV, "p.m. ABBREV");
    CHECK(t.sents.n == 1, "one sentence: %s", sents(&t));
    t = an("President George W. Bush spoke. J. Smith agreed.");
    CHECK(flags_of(&t, "W.") & WS_TF_INITIAL, "initial");
    EXPECT_STR(sents(&t), "President George W. Bush spoke. || J. Smith agreed.");
    t = an("Time for Plan B.\nThey met in the U.S. The talks ended at Apple Inc.\" He left Calif.)");
    EXPECT_STR(toks(&t), "Time|for|Plan|B|.|They|met|in|the|U.S|.|The|talks|ended|at|Apple|Inc|.|\"|He|left|Calif|.|)");
    EXPECT_STR(sents(&t), "Time for Plan B. || They met in the U.S. || The talks ended at Apple Inc.\" || He left Calif.)");
    t = an("See No. 5 now. No. He left.");
    EXPECT_STR(toks(&t), "See|No.|5|now|.|No|.|He|left|.");
}

static void test_quote_tokens(void) {
    ws_text t = an("\"a\" \xE2\x80\x9C" "b\xE2\x80\x9D \xE2\x80\x98" "c\xE2\x80\x99 \xC2\xAB" "d\xC2\xBB \xE2\x80\xB9" "e\xE2\x80\xBA \xE2\x80\x9E" "f\xE2\x80\x9F ``g'' `h'");
    EXPECT_STR(kinds(&t), "QWQQWQQWQQWQQWQQWQQWQQWQ");
    EXPECT_STR(toks(&t), "\"|a|\"|\xE2\x80\x9C|b|\xE2\x80\x9D|\xE2\x80\x98|c|\xE2\x80\x99|\xC2\xAB|d|\xC2\xBB|\xE2\x80\xB9|e|\xE2\x80\xBA|\xE2\x80\x9E|f|\xE2\x80\x9F|``|g|''|`|h|'");
}

static void test_unicode(void) {
    ws_text t = an("\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB3\xD0\xB5\xD0\xB9 \xD0\x9B\xD0\xB0\xD0\xB2\xD1\x80\xD0\xBE\xD0\xB2 "
                   "\xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB: \xD0\x9D\xD0\x95\xD0\xA2. Jos\xC3\xA9 \xC3\x9C" "ber na\xC3\xAF" "ve");
    EXPECT_STR(kinds(&t), "WWWPWPWWW");
    CHECK(t.toks.v[0].flags & WS_TF_CAP, "Cyrillic CAP");
    CHECK(!(t.toks.v[2].flags & WS_TF_CAP), "Cyrillic lowercase");
    CHECK(t.toks.v[4].flags & WS_TF_ALLCAPS, "Cyrillic ALLCAPS");
    CHECK(t.sents.n == 2, "Cyrillic sentences: %s", sents(&t));
    CHECK(strstr(toks(&t), "|Jos\xC3\xA9|\xC3\x9C" "ber|na\xC3\xAF" "ve") != NULL, "%s", out_g);
    t = an("ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
           "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8\xF0\x9F\x98\x80 e\xCC\x81t\xC3\xA9 x\xC2\xA0y");
    EXPECT_STR(kinds(&t), "WSSSSWWW");
    EXPECT_STR(toks(&t), "ok|\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD|\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7|"
                         "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8|\xF0\x9F\x98\x80|e\xCC\x81t\xC3\xA9|x|y");
    check_invariants(&t, "emoji");
}

static void test_lower_is(void) {
    char buf[64];
    ws_text t = an("\xC3\x9C" "BER Don\xE2\x80\x99t \xD0\x9F\xD0\xA0\xD0\x98 HeLLo \xFF");
    CHECK(ws_tok_lower(&t, 0, buf, sizeof buf) == 5, "lower len");
    EXPECT_STR(buf, "\xC3\xBC" "ber");
    ws_tok_lower(&t, 2, buf, sizeof buf);
    EXPECT_STR(buf, "n't");
    ws_tok_lower(&t, 3, buf, sizeof buf);
    EXPECT_STR(buf, "\xD0\xBF\xD1\x80\xD0\xB8");
    CHECK(ws_tok_lower(&t, 4, buf, 4) == 3, "truncated");
    EXPECT_STR(buf, "hel");
    CHECK(ws_tok_lower(&t, 3, buf, 4) == 2, "truncated at a character");
    ws_tok_lower(&t, 5, buf, sizeof buf);
    EXPECT_STR(buf, "\xFF");
    CHECK(ws_tok_is(&t, 4, "HeLLo") && !ws_tok_is(&t, 4, "hello"), "ws_tok_is");
    CHECK(ws_tok_ieq(&t, 4, "hello") && !ws_tok_ieq(&t, 4, "hell"), "ws_tok_ieq");
}

/* ---- sentences and paragraphs -------------------------------------------- */

static void test_sentences(void) {
    ws_text t = an("He left. She stayed! Why? 2016 was hard. (It was.) \"Yes,\" he said.");
    EXPECT_STR(sents(&t), "He left. || She stayed! || Why? || 2016 was hard. || (It was.) || \"Yes,\" he said.");
    t = an("It ended. 1990s were over. \"Go.\" He left.");
    EXPECT_STR(sents(&t), "It ended. || 1990s were over. || \"Go.\" || He left.");
    t = an("\"Why?\" Donald Trump asked. \"Now!\" Trump said. \"Why?\" He left. \"No?\" Trump Tower fell.");
    EXPECT_STR(sents(&t), "\"Why?\" Donald Trump asked. || \"Now!\" Trump said. || \"Why?\" || He left. || \"No?\" || Trump Tower fell.");
    t = an("\"Go.\" He left.");
    EXPECT_STR(sents(&t), "\"Go.\" || He left.");
    t = an("He said \"Why?\" and left. \xE2\x80\x9CNo.\xE2\x80\x9D Then.");
    EXPECT_STR(sents(&t), "He said \"Why?\" and left. || \xE2\x80\x9CNo.\xE2\x80\x9D || Then.");
    t = an("It grew 3.5 percent. U.S. officials said so. They met in the U.S. The talks ended.");
    EXPECT_STR(sents(&t), "It grew 3.5 percent. || U.S. officials said so. || They met in the U.S. || The talks ended.");
    t = an("Apple Inc. said it would. Shares rose at Apple Inc. The firm declined.");
    EXPECT_STR(sents(&t), "Apple Inc. said it would. || Shares rose at Apple Inc. || The firm declined.");
    t = an("He was born in Dulwich. [17] Placed there, e.g. The Times said (c. 1818) so.");
    EXPECT_STR(sents(&t), "He was born in Dulwich. [17] || Placed there, e.g. The Times said (c. 1818) so.");
    t = an("the end. lowercase continues, Sen. Warren spoke.");
    CHECK(t.sents.n == 1, "no split before lowercase / after title: %s", sents(&t));
    t = an("Title line\n\nFirst para here. Second sentence.\nNext para\n");
    CHECK(t.paras.n == 3, "paragraphs: %zu", t.paras.n);
    EXPECT_STR(sents(&t), "Title line || First para here. || Second sentence. || Next para");
    CHECK(t.paras.v[1].sent_start == 1 && t.paras.v[1].sent_end == 3, "para sent range");
    CHECK(t.sents.v[2].para == 1, "sentence para");
    CHECK(t.toks.v[t.sents.v[2].tok_start].flags & WS_TF_SENT_START, "SENT_START");
    check_invariants(&t, "paragraphs");
    t = an("  Padded paragraph.  \n\t Another one \t");
    CHECK(t.paras.n == 2 && t.paras.v[0].start == 2 && t.paras.v[0].end == 19, "trimmed para");
    CHECK(t.sents.v[1].end == 35, "trimmed sentence end %u", t.sents.v[1].end);
}

/* ---- quotations ------------------------------------------------------------ */

static void test_quote_pairs(void) {
    ws_text t = an("\xE2\x80\x9CHe said \xE2\x80\x98no\xE2\x80\x99 twice,\xE2\x80\x9D she said.");
    EXPECT_STR(roles(&t), "o1o2c2c1");
    CHECK(t.quotes.n == 2, "two quotations");
    EXPECT_STR(qtext(&t, 0), "He said \xE2\x80\x98no\xE2\x80\x99 twice,");
    EXPECT_STR(qtext(&t, 1), "no");
    CHECK(t.quotes.v[0].depth == 1 && t.quotes.v[1].depth == 2, "depths");
    CHECK(t.quotes.v[0].n_words == 4 && t.quotes.v[1].n_words == 1, "n_words %u", t.quotes.v[0].n_words);
    CHECK(t.toks.v[find_tok(&t, "no")].qdepth == 2 && t.toks.v[find_tok(&t, "she")].qdepth == 0, "qdepth");
    t = an("\"We won,\" he said. \"It's 'great' news.\"");
    EXPECT_STR(roles(&t), "o1c1o1o2c2c1");
    EXPECT_STR(qtext(&t, 1), "It's 'great' news.");
    t = an("\xE2\x80\x9EHallo\xE2\x80\x9C, sagte er. \xC2\xBBUmgekehrt\xC2\xAB und \xC2\xAB" "fran\xC3\xA7" "ais\xC2\xBB \xE2\x80\xB9" "a\xE2\x80\xBA.");
    EXPECT_STR(roles(&t), "o1c1o1c1o1c1o1c1");
    EXPECT_STR(qtext(&t, 1), "Umgekehrt");
    t = an("``Yes,'' he said. `Maybe,' she said. \xE2\x80\x98\xE2\x80\x98" "Doubled,\xE2\x80\x99\xE2\x80\x99 too.");
    EXPECT_STR(roles(&t), "o1c1o1c1o1c1");
    t = an("She said 'hello' to the Jones' dog, 'twas fine.");
    EXPECT_STR(roles(&t), "o1c1-0");
    CHECK(find_tok(&t, "'twas") >= 0, "elision is a word: %s", toks(&t));
    t = an("rock 'n' roll, \xE2\x80\x98" "bout \xE2\x80\x9CSurge alters residents\xE2\x80\x99 lives.\xE2\x80\x9D Then");
    EXPECT_STR(toks(&t), "rock|'n'|roll|,|\xE2\x80\x98" "bout|\xE2\x80\x9C|Surge|alters|residents|\xE2\x80\x99|lives|.|\xE2\x80\x9D|Then");
    EXPECT_STR(roles(&t), "o1-1c1");
    t = an("the \xE2\x80\x9C" "expedited review\xE2\x80\x9C of Flint and Trump\xE2\x80\x98" "s plan");
    EXPECT_STR(roles(&t), "o1c1");
    CHECK(find_tok(&t, "\xE2\x80\x98" "s") >= 0, "left mark as apostrophe: %s", toks(&t));
}

static void test_quote_unbalanced(void) {
    ws_text t = an("He said \xE2\x80\x9Cno and left.\nNext para\xE2\x80\x9D here.");
    EXPECT_STR(roles(&t), "o1-0");
    CHECK(t.quotes.n == 1 && t.quotes.v[0].close_tok == UINT32_MAX, "closed at para end");
    EXPECT_STR(qtext(&t, 0), "no and left.");
    CHECK(!t.quotes.v[0].multi_para, "not multi_para");
    t = an("\"First para of a quote.\n\n\"Second para,\" he said.\nAfter.");
    CHECK(t.quotes.n == 1 && t.quotes.v[0].multi_para == 1, "multi-paragraph");
    EXPECT_STR(qtext(&t, 0), "First para of a quote.\n\n\"Second para,");
    EXPECT_STR(roles(&t), "o1o1c1");
    CHECK(t.toks.v[find_tok(&t, "After")].qdepth == 0, "depth after quote");
    t = an("\xE2\x80\x9C" "a \xE2\x80\x98" "b c\xE2\x80\x9D d");
    EXPECT_STR(roles(&t), "o1-1c1");
    CHECK(t.quotes.n == 1, "dropped inner unclosed mark: %zu", t.quotes.n);
    CHECK(t.toks.v[find_tok(&t, "b")].qdepth == 1, "depth fixed after drop");
    check_invariants(&t, "drop");
    t = an("stray\xE2\x80\x9D close \xC2\xBB and \" end");
    EXPECT_STR(roles(&t), "-0-0-0");
    CHECK(t.quotes.n == 0, "no quotations");
    t = an("\xE2\x80\x9Cone \xE2\x80\x9Ctwo \xE2\x80\x9D three");
    check_invariants(&t, "reopened");
    char deep[1024];
    size_t n = 0;
    for (int k = 0; k < 40; k++) n += (size_t)sprintf(deep + n, "\xE2\x80\x9C" "a%c ", k % 2 ? 'b' : 'c');
    for (int k = 0; k < 40; k++) n += (size_t)sprintf(deep + n, "x\xE2\x80\x9D ");
    t = an_n(deep, n);
    CHECK(t.quotes.n == 32, "nesting capped at 32: %zu", t.quotes.n);
    check_invariants(&t, "deep nesting");
}

/* ---- random inputs, out of memory, throughput ------------------------------- */

static uint64_t rng_next(uint64_t *x) {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Analyzes random concatenations of pieces; checks the invariants. */
static void random_runs(const char *const *pieces, size_t np, size_t max_pieces,
                        int iters, uint64_t seed) {
    char buf[2048];
    uint64_t x = seed;
    int failures = 0;
    for (int iter = 0; iter < iters && failures < 5; iter++) {
        size_t n = 0, count = rng_next(&x) % max_pieces;
        for (size_t k = 0; k < count; k++) {
            size_t p = rng_next(&x) % np;
            size_t len = pieces[p][0] ? strlen(pieces[p]) : 1;
            if (n + len > sizeof buf) break;
            memcpy(buf + n, pieces[p], len);
            n += len;
        }
        char *copy = malloc(n ? n : 1); /* exact size: ASan sees overreads */
        memcpy(copy, buf, n);
        ws_text t = an_n(copy, n);
        int before = test_g.failed;
        check_invariants(&t, "random input");
        if (test_g.failed > before) {
            failures++;
            printf("  input (%zu bytes): ", n);
            for (size_t k = 0; k < n; k++) printf("%02x", (unsigned char)copy[k]);
            printf("\n");
        }
        free(copy);
    }
}

static void test_random(void) {
    static const char *const pieces[] = {
        "a", "Bb", "\xC3\xA9", "\xD0\x9F", "'", "\xE2\x80\x99", "\"", "\xE2\x80\x9C",
        "\xE2\x80\x9D", "\xE2\x80\x98", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9E", ".", "!",
        "?", " ", " ", "\n", "\r\n", "\xFF", "\x80", "\xE2\x80", "U.S.", "Mr.", "n't",
        "'s", "1,0", "-", "--", "\xE2\x80\xA6", "(", ")", "\0", "\xEF\xBB\xBF", "He",
        "\xF0\x9F\x91\x8D", "\xCC\x81", "\xE2\x80\x8D", "``", "''", "J.", "3.5", "\t",
        "http://x.com/a", "a@b.co", ":)", "[1]", "cannot", "'em", "Inc.", "The",
    };
    static const char *const quotes[] = {
        "\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99",
        "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9E", "\xE2\x80\xB9", "\xE2\x80\xBA", "``",
        "''", "`", " ", " ", " ", "word", "Word", ".", ",", "\n", "\n\n", ("\xE2\x80\x9C" "A"),
    };
    random_runs(pieces, sizeof pieces / sizeof pieces[0], 80, 4000, 88172645463325252ULL);
    random_runs(quotes, sizeof quotes / sizeof quotes[0], 300, 3000, 1234567ULL);
}

typedef struct fail_alloc {
    int left;
} fail_alloc;

static void *fa_alloc(void *ud, size_t n) {
    fail_alloc *f = ud;
    return f->left-- > 0 ? malloc(n) : NULL;
}
static void *fa_realloc(void *ud, void *p, size_t o, size_t n) {
    fail_alloc *f = ud;
    (void)o;
    return f->left-- > 0 ? realloc(p, n) : NULL;
}
static void fa_free(void *ud, void *p, size_t n) {
    (void)ud;
    (void)n;
    free(p);
}

static void test_nomem(void) {
    size_t n = 300000;
    char *s = malloc(n);
    const char *unit = "\"Quote \xE2\x80\x9Cnested\xE2\x80\x9D,\" Gov. Brown said. ";
    for (size_t i = 0; i < n; i++) s[i] = unit[i % strlen(unit)];
    int ok = 0;
    for (int k = 0; k < 200 && !ok; k++) {
        fail_alloc f = {k};
        ws_allocator al = {fa_alloc, fa_realloc, fa_free, &f};
        ws_mem m;
        ws_mem_init(&m, &al);
        ws_arena a;
        ws_arena_init(&a, &m);
        ws_text t;
        ws_status st = ws_text_analyze(&a, s, n, &t);
        CHECK(st == WS_OK || st == WS_ERR_NOMEM, "status %d after %d allocations", (int)st, k);
        ok = st == WS_OK;
        ws_arena_free(&a);
    }
    CHECK(ok, "analysis succeeds with enough memory");
    free(s);
}

static void test_throughput(void) {
    const char *unit =
        "MOSCOW, December 30. /TASS/. Moscow will not accept any new conditions, "
        "Russian Foreign Minister Sergey Lavrov told TASS on Friday. \"We have been "
        "patient for half a year, but our patience isn't endless,\" Lavrov noted. "
        "U.S. officials didn't comment on the 3.5% rise.\n\n";
    size_t n = (size_t)20 << 20, ul = strlen(unit);
    char *s = malloc(n);
    for (size_t i = 0; i < n; i++) s[i] = unit[i % ul];
    ws_arena a;
    ws_arena_init(&a, &mem_g);
    ws_text t;
    clock_t c0 = clock();
    ws_status st = ws_text_analyze(&a, s, n, &t);
    double sec = (double)(clock() - c0) / CLOCKS_PER_SEC;
    CHECK(st == WS_OK, "20 MB status %d", (int)st);
    printf("info: 20 MB in %.3f s = %.1f MB/s (%zu tokens, %zu sentences, %zu quotations)\n",
           sec, 20.0 / (sec > 0 ? sec : 1e-9), t.toks.n, t.sents.n, t.quotes.n);
    CHECK(t.paras.n > 0 && t.quotes.n > 0, "20 MB analysed");
    ws_arena_free(&a);
    free(s);
}

int main(void) {
    ws_mem_init(&mem_g, NULL);
    ws_arena_init(&arena_g, &mem_g);
    test_empty_and_space();
    test_crlf_nul();
    test_invalid_utf8();
    test_words_numbers();
    test_clitics();
    test_abbreviations();
    test_quote_tokens();
    test_unicode();
    test_lower_is();
    test_sentences();
    test_quote_pairs();
    test_quote_unbalanced();
    test_random();
    test_nomem();
    if (!getenv("WS_TEST_FAST")) test_throughput();
    ws_arena_free(&arena_g);
    return TEST_REPORT();
}
