/*
 * fuzz_html.c - fuzz target for the article path of one web page: charset
 * detection and conversion, HTML main-content extraction, metadata (title,
 * date, authors, language, site), the dateline, the analysis of the body and
 * the article JSON (ws_article_new, ws_article_get, ws_article_analyze,
 * ws_article_to_json; public API only).
 *
 * Input: the first byte selects the record (bits 0-2: the transport charset,
 * NULL, "utf-8", "windows-1251", "koi8-r", "iso-8859-1", "utf-16le",
 * "shift_jis" or a bogus name; bit 3: plain text instead of HTML); the rest
 * is the page.
 *
 * Invariants (abort() on a violation; see fuzz_common.h fz_article):
 * ws_article_new never answers WS_ERR_INVALID on a valid record; the body of
 * an HTML page and every string of the article are valid UTF-8; the dateline
 * and every statement and mention span lie inside the body on character
 * boundaries; the article JSON (with and without the statements) parses;
 * a second run on the same bytes gives byte-identical JSON.
 *
 * Builds: see fuzz_common.h (replay: `fuzz_html DIR|FILE...`).
 */
#define FUZZ_NAME "fuzz_html"
#define FUZZ_INIT() (void)fz_engine()
#define FUZZ_FINI() ws_engine_free(fz_engine())
#include "fuzz_common.h"

static const char *const charsets[8] = {NULL,         "utf-8",    "windows-1251",
                                        "koi8-r",     "iso-8859-1", "utf-16le",
                                        "shift_jis",  "x-no-such-charset"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const ws_engine *eng = fz_engine();
    unsigned sel = size ? data[0] : 0;
    char *page = fz_copy(size ? data + 1 : data, size ? size - 1 : 0);
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.format = (sel & 8) ? WS_FORMAT_TEXT : WS_FORMAT_HTML;
    rec.id = "fuzz";
    rec.url = "https://example.com/news/2020/12/30/story.html";
    rec.date = "2020-12-30T10:00:00Z";
    rec.charset = charsets[sel & 7];
    rec.source = "fuzz";
    rec.data = page;
    rec.len = size ? size - 1 : 0;

    char *j1 = NULL, *j2 = NULL;
    size_t l1 = 0, l2 = 0;
    ws_status s1 = fz_article(eng, &rec, &j1, &l1);
    ws_status s2 = fz_article(eng, &rec, &j2, &l2);
    if (s1 != s2) fz_violation("two runs differ in status", (size_t)s1, (size_t)s2);
    if (l1 != l2 || (j1 && memcmp(j1, j2, l1) != 0)) fz_violation("two runs differ", l1, l2);
    free(j1);
    free(j2);
    free(page);
    return 0;
}
