/*
 * fuzz_text.c - fuzz target for the whole text pipeline, through the public
 * API only: ws_analyze() + the accessors + ws_doc_to_json().
 *
 * Invariants checked on every input (abort() on a violation):
 *   - ws_analyze succeeds (any bytes are a valid document);
 *   - every span (statement content/cue/source/addressee, entity mentions,
 *     sentences, tokens, paragraphs) has start <= end <= len, and when the
 *     input is valid UTF-8, both ends lie on character boundaries;
 *   - statements have 0..8 content segments, a speaker of -1 or a valid
 *     entity index, a confidence in [0, 1]; entity names are NUL-terminated
 *     (and valid UTF-8 when the input is);
 *   - the JSON output (compact with text and tokens, and pretty) is valid
 *     UTF-8 and parses again with a strict validator (json_check.h);
 *   - a second analysis of the same bytes gives byte-identical JSON.
 *
 * Two builds:
 *   libFuzzer:  clang -DWS_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined
 *               (see tests/fuzz/build.sh)
 *   replay:     any C compiler, no define: `fuzz_text DIR|FILE...` runs every
 *               file and prints "N passed, M failed" (tests/run.sh runs it
 *               on tests/fuzz/corpus/text/).
 */
#define FUZZ_NAME "fuzz_text"
#ifndef WS_FUZZ_LIBFUZZER
static void self_test(void);
#endif
/* The validator's self-test, then the engine, loaded before the replay forks. */
#define FUZZ_INIT() (self_test(), (void)fz_engine())
#define FUZZ_FINI() ws_engine_free(fz_engine())
#include "fuzz_common.h"

static void check_span(const unsigned char *data, size_t len, int utf8,
                       ws_span s, const char *what) {
    fz_check_span((const char *)data, len, utf8, s.start, s.end, what);
}

static void check_doc(const ws_doc *doc, const unsigned char *data, size_t len,
                      int utf8) {
    size_t n_ent = ws_doc_entity_count(doc);
    size_t n = ws_doc_statement_count(doc);
    for (size_t i = 0; i < n; i++) {
        ws_statement st;
        if (ws_doc_statement(doc, i, &st) != WS_OK) fz_violation("statement", i, n);
        if (st.n_content > WS_MAX_SEGMENTS) fz_violation("n_content", i, st.n_content);
        for (size_t k = 0; k < st.n_content; k++)
            check_span(data, len, utf8, st.content[k], "statement content");
        check_span(data, len, utf8, st.cue, "statement cue");
        check_span(data, len, utf8, st.source, "statement source");
        check_span(data, len, utf8, st.addressee, "statement addressee");
        if (st.speaker < -1 || (st.speaker >= 0 && (size_t)st.speaker >= n_ent))
            fz_violation("speaker index", i, (size_t)st.speaker);
        if (!(st.confidence >= 0.0 && st.confidence <= 1.0))
            fz_violation("confidence", i, 0);
        if (!st.pattern || !st.resolution) fz_violation("evidence NULL", i, 0);
        if ((unsigned)st.type > WS_QUOTE_MIXED) fz_violation("type", i, st.type);
    }
    if (ws_doc_statement(doc, n, &(ws_statement){0}) != WS_ERR_INVALID)
        fz_violation("statement out of range accepted", n, n);
    for (size_t i = 0; i < n_ent; i++) {
        ws_entity en;
        if (ws_doc_entity(doc, i, &en) != WS_OK) fz_violation("entity", i, n_ent);
        if (!en.name) fz_violation("entity name NULL", i, 0);
        if (utf8 && !jc_utf8_valid(en.name, strlen(en.name)))
            fz_violation("entity name not UTF-8", i, 0);
        if (en.title && utf8 && !jc_utf8_valid(en.title, strlen(en.title)))
            fz_violation("entity title not UTF-8", i, 0);
        if (en.n_mentions && !en.mentions) fz_violation("mentions NULL", i, 0);
        for (size_t k = 0; k < en.n_mentions; k++)
            check_span(data, len, utf8, en.mentions[k], "entity mention");
    }
    size_t ns = ws_doc_sentence_count(doc);
    for (size_t i = 0; i < ns; i++) {
        ws_span s;
        if (ws_doc_sentence(doc, i, &s) != WS_OK) fz_violation("sentence", i, ns);
        check_span(data, len, utf8, s, "sentence");
    }
    size_t nt = ws_doc_token_count(doc);
    size_t prev_end = 0;
    for (size_t i = 0; i < nt; i++) {
        ws_span s;
        if (ws_doc_token(doc, i, &s) != WS_OK) fz_violation("token", i, nt);
        check_span(data, len, utf8, s, "token");
        if (s.start < prev_end) fz_violation("tokens overlap", i, s.start);
        prev_end = s.end;
    }
    size_t np = ws_doc_paragraph_count(doc);
    for (size_t i = 0; i < np; i++) {
        ws_span s;
        if (ws_doc_paragraph(doc, i, &s) != WS_OK) fz_violation("paragraph", i, np);
        check_span(data, len, utf8, s, "paragraph");
    }
}

/* Renders doc with flags and checks that the JSON parses; returns it. */
static char *render(const ws_engine *eng, const ws_doc *doc, unsigned flags,
                    size_t *out_len) {
    char *json = NULL;
    size_t jlen = 0;
    if (ws_doc_to_json(doc, flags, &json, &jlen) != WS_OK || !json)
        fz_violation("ws_doc_to_json failed", flags, 0);
    if (strlen(json) != jlen) fz_violation("JSON length or embedded NUL", jlen, strlen(json));
    if (!jc_utf8_valid(json, jlen)) fz_violation("JSON is not UTF-8", flags, jlen);
    if (!jc_valid(json, jlen)) {
        fprintf(stderr, "%.*s\n", (int)(jlen < 4000 ? jlen : 4000), json);
        fz_violation("JSON does not parse", flags, jlen);
    }
    (void)eng;
    *out_len = jlen;
    return json;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ws_engine *eng = fz_engine();
    /* A copy of exactly size bytes, so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    if (!text) abort();
    if (size) memcpy(text, data, size);
    int utf8 = jc_utf8_valid(text, size);

    const unsigned flags = WS_JSON_TEXT | WS_JSON_TOKENS;
    ws_doc *d1 = NULL, *d2 = NULL;
    ws_status st = ws_analyze(eng, text, size, "fuzz", &d1);
    if (st != WS_OK || !d1) fz_violation("ws_analyze failed", (size_t)st, size);
    check_doc(d1, (const unsigned char *)text, size, utf8);
    size_t l1, l2, lp;
    char *j1 = render(eng, d1, flags, &l1);
    char *jp = render(eng, d1, WS_JSON_PRETTY, &lp);

    st = ws_analyze(eng, text, size, "fuzz", &d2);
    if (st != WS_OK || !d2) fz_violation("second ws_analyze failed", (size_t)st, size);
    char *j2 = render(eng, d2, flags, &l2);
    if (l1 != l2 || memcmp(j1, j2, l1) != 0)
        fz_violation("two runs differ", l1, l2);

    ws_free(eng, j1);
    ws_free(eng, j2);
    ws_free(eng, jp);
    ws_doc_free(d1);
    ws_doc_free(d2);
    free(text);
    return 0;
}

#ifndef WS_FUZZ_LIBFUZZER
/* The validator itself: known-good and known-bad JSON and UTF-8. */
static void self_test(void) {
    static const char *good[] = {
        "{}", "[]", "0", "-0.5e+3", " {\"a\": [1, true, false, null, \"x\"]} ",
        "\"\\u00e9\\ud83d\\ude00\\n\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"",
    };
    static const char *bad[] = {
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", ".5", "1e",
        "tru", "\"abc", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\x01\"",
        "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
        "{} {}", "[1] x", "{1:2}", "'a'", "NaN",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        if (jc_valid(good[i], strlen(good[i]))) fz_passed++;
        else {
            fz_failed++;
            fprintf(stderr, "FAIL json_check rejects %s\n", good[i]);
        }
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (!jc_valid(bad[i], strlen(bad[i]))) fz_passed++;
        else {
            fz_failed++;
            fprintf(stderr, "FAIL json_check accepts %s\n", bad[i]);
        }
    }
    char deep[2 * (JC_MAX_DEPTH + 1)];
    for (size_t i = 0; i <= JC_MAX_DEPTH; i++) {
        deep[i] = '[';
        deep[2 * (JC_MAX_DEPTH + 1) - 1 - i] = ']';
    }
    if (!jc_valid(deep, sizeof deep)) fz_passed++;
    else fz_failed++;
}

#endif
