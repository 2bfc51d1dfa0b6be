/*
 * test_caps.c - the caps that cut a result say so:
 *   - ws_engine_options.max_statements keeps the first N statements of a
 *     document and the JSON (text and article objects) says "truncated":
 *     true; without the cap, no "truncated" key at all;
 *   - an HTML page nested deeper than WS_HTML_MAX_DEPTH is flattened
 *     (ws_article_info.truncated, "truncated": true) and its text is still
 *     analysed; a page nested less deep is not marked.
 * Public API, plus WS_HTML_MAX_DEPTH from src/article/html.h.
 */
#include "whosaid.h"

#include "article/html.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static const char *const TEXT =
    "\"We will not accept this,\" Lavrov said. \"It is a mistake,\" Zakharova said.\n\n"
    "\"The talks go on,\" Peskov told reporters. \"We are ready,\" Lavrov added.\n";

static size_t count_quotes(const char *json) {
    size_t n = 0;
    for (const char *p = json; (p = strstr(p, "\"id\":\"q")) != NULL; p++) n++;
    return n;
}

static void test_max_statements(void) {
    ws_engine *full = NULL, *capped = NULL;
    ws_engine_options o;
    memset(&o, 0, sizeof o);
    o.max_statements = 2;
    CHECK(ws_engine_new(NULL, &full) == WS_OK, "engine");
    CHECK(ws_engine_new(&o, &capped) == WS_OK, "capped engine");
    if (!full || !capped) return;
    ws_doc *d = NULL;
    CHECK(ws_analyze(full, TEXT, strlen(TEXT), "t", &d) == WS_OK, "analyze");
    size_t n_full = d ? ws_doc_statement_count(d) : 0;
    CHECK(n_full >= 3, "the text has %zu statements, want >= 3", n_full);
    ws_doc_free(d);
    char *j = NULL;
    size_t jl = 0;
    CHECK(ws_extract_json(full, TEXT, strlen(TEXT), "t", 0, &j, &jl) == WS_OK, "json");
    CHECK(j && !strstr(j, "truncated"), "no truncated key without the cap: %.200s", j ? j : "");
    ws_free(full, j);

    d = NULL;
    CHECK(ws_analyze(capped, TEXT, strlen(TEXT), "t", &d) == WS_OK, "capped analyze");
    CHECK(d && ws_doc_statement_count(d) == 2, "capped: %zu statements, want 2",
          d ? ws_doc_statement_count(d) : 0);
    ws_statement s0, s1;
    ws_doc *df = NULL;
    ws_analyze(full, TEXT, strlen(TEXT), "t", &df);
    if (d && df && ws_doc_statement(d, 0, &s0) == WS_OK && ws_doc_statement(df, 0, &s1) == WS_OK)
        CHECK(s0.cue.start == s1.cue.start, "the first statements are kept");
    ws_doc_free(df);
    ws_doc_free(d);
    j = NULL;
    CHECK(ws_extract_json(capped, TEXT, strlen(TEXT), "t", 0, &j, &jl) == WS_OK, "capped json");
    CHECK(j && strstr(j, "\"truncated\":true") && count_quotes(j) == 2,
          "capped JSON: truncated and 2 quotes: %.300s", j ? j : "");
    ws_free(capped, j);

    /* the article object says it once */
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.format = WS_FORMAT_JSONL;
    const char *line = "{\"maintext\": \"\\\"We will not accept this,\\\" Lavrov said. "
                       "\\\"It is a mistake,\\\" Zakharova said. \\\"We are ready,\\\" "
                       "Peskov said.\"}";
    rec.data = line;
    rec.len = strlen(line);
    j = NULL;
    CHECK(ws_record_to_json(capped, &rec, 0, &j, &jl) == WS_OK, "record json");
    const char *t = j ? strstr(j, "\"truncated\":true") : NULL;
    CHECK(t && !strstr(t + 1, "\"truncated\""), "article JSON: truncated once: %.300s",
          j ? j : "");
    ws_free(capped, j);
    ws_engine_free(full);
    ws_engine_free(capped);
}

static char *nested_page(size_t depth) {
    const char *q = "<p>\"We will not accept this,\" Lavrov said.</p>";
    size_t n = depth * 11 + strlen(q) + 64;
    char *p = malloc(n);
    if (!p) abort();
    size_t w = (size_t)sprintf(p, "<html><body>");
    for (size_t i = 0; i < depth; i++) w += (size_t)sprintf(p + w, "<div>");
    w += (size_t)sprintf(p + w, "%s", q);
    for (size_t i = 0; i < depth; i++) w += (size_t)sprintf(p + w, "</div>");
    return p;
}

static void test_html_depth(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    if (!e) return;
    size_t depths[2] = {WS_HTML_MAX_DEPTH / 2, 100000};
    for (int k = 0; k < 2; k++) {
        char *page = nested_page(depths[k]);
        ws_record rec;
        memset(&rec, 0, sizeof rec);
        rec.format = WS_FORMAT_HTML;
        rec.data = page;
        rec.len = strlen(page);
        ws_article *a = NULL;
        CHECK(ws_article_new(e, &rec, &a) == WS_OK, "article of depth %zu", depths[k]);
        if (a) {
            ws_article_info in;
            ws_article_get(a, &in);
            CHECK(in.truncated == (k == 1), "depth %zu: truncated %d", depths[k], in.truncated);
            CHECK(strstr(in.body, "Lavrov said") != NULL, "depth %zu: the text is kept",
                  depths[k]);
            ws_doc *d = NULL;
            CHECK(ws_article_analyze(e, a, &d) == WS_OK && d && ws_doc_statement_count(d) == 1,
                  "depth %zu: the quotation is found", depths[k]);
            char *j = NULL;
            size_t jl = 0;
            CHECK(ws_article_to_json(a, d, 0, &j, &jl) == WS_OK && j &&
                      (strstr(j, "\"truncated\":true") != NULL) == (k == 1),
                  "depth %zu: JSON %.200s", depths[k], j ? j : "");
            ws_free(e, j);
            ws_doc_free(d);
            ws_article_free(a);
        }
        free(page);
    }
    ws_engine_free(e);
}

int main(void) {
    test_max_statements();
    test_html_depth();
    return TEST_REPORT();
}
