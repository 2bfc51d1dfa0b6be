/*
 * test_html.c - ws_html_extract: main content, boilerplate removal, title,
 * site, canonical URL, JSON-LD articleBody, robustness (bad bytes, deep
 * nesting, empty input).
 */
#include "article/html.h"
#include "article/html_int.h"
#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static ws_status run(const char *html, const char *url, ws_html_result *r)
{
    return ws_html_extract(html, strlen(html), url, r);
}

/* Three paragraphs of article text, long enough to score. */
#define ART_P1 "<p>The mayor said on Tuesday that the city would open three new libraries next year, and that the money would come from the sale of an old depot.</p>"
#define ART_P2 "<p>Critics of the plan, including two members of the council, said the depot was worth far more than the city expected, and asked for an independent valuation.</p>"
#define ART_P3 "<p>The council will vote on the plan in March, after a public hearing at which residents can speak for up to three minutes each.</p>"

static const char *page_news =
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
    "<title>Mayor plans three libraries | The Daily Bugle</title>"
    "<meta property=\"og:site_name\" content=\"The Daily Bugle\">"
    "<link rel=canonical href=\"https://bugle.example/news/libraries\">"
    "</head><body>"
    "<header><nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li>"
    "<li><a href=/sport>Sport</a></li></ul></nav></header>"
    "<div class=\"cookie-notice\"><p>We use cookies to improve your experience on our website, by continuing you accept them.</p></div>"
    "<main><article>"
    "<h1>Mayor plans three libraries</h1>"
    "<div class=\"share-bar\"><a href=#>Facebook</a> <a href=#>Twitter</a> <a href=#>Email</a></div>"
    "<div class=\"article-body\">"
    ART_P1
    "<p>\"We owe it to our <b>children</b>,\" she <i>told</i> reporters.<br>She did not take questions.</p>"
    ART_P2
    "<h2>What happens next</h2>"
    ART_P3
    "<ul><li>Public hearing: February 20, at the city hall annex.</li><li>Council vote: March 4, in the main chamber.</li></ul>"
    "<blockquote><p>Libraries are the last free indoor public space we have left in this town.</p></blockquote>"
    "<div class=\"newsletter-signup\"><p>Sign up for our morning newsletter and get the news in your inbox every day, free of charge.</p></div>"
    "</div>"
    "<section class=\"related-articles\"><h3>Related</h3><ul>"
    "<li><a href=/a>Council approves budget for the next year after long debate</a></li>"
    "<li><a href=/b>Old depot was once the busiest rail yard in the whole region</a></li></ul></section>"
    "</article>"
    "<div id=\"comments\"><p>Great idea, the libraries in this town have been neglected for years and years now.</p>"
    "<p>Another waste of money from a council that cannot even fix the potholes on Main Street.</p></div>"
    "</main>"
    "<footer><p>Copyright 2024 The Daily Bugle. All rights reserved. Contact us at the address below.</p></footer>"
    "</body></html>";

static void test_news_page(void)
{
    ws_html_result r;
    ws_status st = run(page_news, "https://www.bugle.example/news/libraries?x=1", &r);
    CHECK(st == WS_OK, "status %d", st);
    CHECK(r.body != NULL && r.body_len == strlen(r.body), "body length");
    /* article text kept, in order, as paragraphs */
    CHECK(has(r.body, "The mayor said on Tuesday"), "lead paragraph: %s", r.body);
    CHECK(has(r.body, "independent valuation."), "second paragraph");
    CHECK(has(r.body, "up to three minutes each."), "third paragraph");
    const char *a = strstr(r.body, "The mayor"), *b = strstr(r.body, "Critics"), *c = strstr(r.body, "The council will");
    CHECK(a && b && c && a < b && b < c, "paragraph order");
    CHECK(has(r.body, "each.\n\nPublic hearing") || has(r.body, "\n\nPublic hearing"), "list items are paragraphs");
    CHECK(has(r.body, "\n\nWhat happens next\n\n"), "subhead kept as a paragraph: %s", r.body);
    CHECK(has(r.body, "Libraries are the last free indoor"), "block quote kept");
    /* inline elements joined with proper spaces; <br> is a line break */
    CHECK(has(r.body, "\"We owe it to our children,\" she told reporters.\nShe did not"), "inline text: %s", r.body);
    /* boilerplate removed */
    CHECK(!has(r.body, "Home"), "navigation dropped");
    CHECK(!has(r.body, "cookies"), "cookie notice dropped");
    CHECK(!has(r.body, "Facebook"), "share bar dropped");
    CHECK(!has(r.body, "newsletter"), "newsletter box dropped");
    CHECK(!has(r.body, "Council approves budget"), "related list dropped");
    CHECK(!has(r.body, "potholes"), "comments dropped");
    CHECK(!has(r.body, "Copyright"), "footer dropped");
    CHECK(!has(r.body, "Mayor plans three libraries"), "title not in body");
    CHECK(!has(r.body, "  ") && r.body[0] != ' ' && r.body[r.body_len - 1] != '\n', "whitespace normalised");
    /* metadata */
    CHECK(r.title && !strcmp(r.title, "Mayor plans three libraries"), "title: %s", r.title ? r.title : "(null)");
    CHECK(r.site && !strcmp(r.site, "The Daily Bugle"), "site: %s", r.site ? r.site : "(null)");
    CHECK(r.canonical && !strcmp(r.canonical, "https://bugle.example/news/libraries"), "canonical");
    ws_html_result_free(&r);
    CHECK(r.body == NULL && r.title == NULL, "free zeroes the result");
    ws_html_result_free(&r); /* twice is fine */
    ws_html_result_free(NULL);
}

static void check_title(const char *head, const char *url, const char *want)
{
    char page[2048];
    snprintf(page, sizeof page, "<html><head>%s</head><body>" ART_P1 ART_P2 "</body></html>", head);
    ws_html_result r;
    CHECK(run(page, url, &r) == WS_OK, "status");
    if (want) CHECK(r.title && !strcmp(r.title, want), "title of %s: got '%s', want '%s'", head,
                    r.title ? r.title : "(null)", want);
    else CHECK(r.title == NULL, "no title for %s: got %s", head, r.title);
    ws_html_result_free(&r);
}

static void test_titles(void)
{
    check_title("<title>Storm hits coast – Coast Herald</title><meta property=og:site_name content='Coast Herald'>", NULL,
                "Storm hits coast");
    check_title("<title>Coast Herald | Storm hits coast</title><meta property=og:site_name content='Coast Herald'>", NULL,
                "Storm hits coast");
    check_title("<title>Storm hits coast — coastherald.com</title>", "https://www.coastherald.com/a/1",
                "Storm hits coast");
    check_title("<title>Storm hits coast · CH</title>", NULL, "Storm hits coast");
    check_title("<meta property=og:title content='Why the storm hit: a short explainer'><title>x</title>", NULL,
                "Why the storm hit: a short explainer");
    check_title("<title>Lavrov: talks with Washington will continue next week</title>", NULL,
                "Lavrov: talks with Washington will continue next week");
    check_title("<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"headline\":\"Dam bursts in the north\"}</script>",
                NULL, "Dam bursts in the north");
    check_title("", NULL, NULL);
}

static void test_site_canonical(void)
{
    ws_html_result r;
    const char *p1 = "<html><head><script type=\"application/ld+json\">"
                     "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\","
                     "\"headline\":\"H\",\"publisher\":{\"@type\":\"Organization\",\"name\":\"Graph Times\"}}]}"
                     "</script><meta property=og:url content=\"https://graph.example/a\"></head><body>" ART_P1 "</body></html>";
    CHECK(run(p1, NULL, &r) == WS_OK, "status");
    CHECK(r.site && !strcmp(r.site, "Graph Times"), "JSON-LD publisher: %s", r.site ? r.site : "(null)");
    CHECK(r.canonical && !strcmp(r.canonical, "https://graph.example/a"), "og:url as canonical");
    ws_html_result_free(&r);
    CHECK(run("<p>x</p>", "https://www.host.example:8080/path", &r) == WS_OK, "status");
    CHECK(r.site && !strcmp(r.site, "host.example"), "host as site: %s", r.site ? r.site : "(null)");
    CHECK(r.canonical == NULL, "no canonical");
    ws_html_result_free(&r);
}

static void test_jsonld_body(void)
{
    /* the markup shows a teaser only; the full text is in articleBody */
    const char *p = "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                    "\"headline\":\"Teaser\",\"articleBody\":\"First paragraph of the hidden article, which is long "
                    "enough to matter here.\\n\\nSecond paragraph &amp; more, with <b>markup</b> in it, as some "
                    "sites do.\\nThird paragraph, the last one, which closes the story with a quote from the mayor "
                    "about the libraries.\"}</script></head><body><div class=teaser><p>First paragraph of the "
                    "hidden article.</p></div><div class=paywall>Subscribe to read more</div></body></html>";
    ws_html_result r;
    CHECK(run(p, NULL, &r) == WS_OK, "status");
    CHECK(has(r.body, "First paragraph of the hidden article, which is long"), "articleBody used: %s", r.body);
    CHECK(has(r.body, "matter here.\n\nSecond paragraph & more, with markup in it"), "entities and tags: %s", r.body);
    CHECK(has(r.body, "as some sites do.\n\nThird paragraph"), "newlines become paragraph breaks");
    ws_html_result_free(&r);
    /* raw newlines inside the JSON string (invalid JSON, common) */
    const char *q = "<script type=\"application/ld+json\">{\"@type\":\"Article\",\"articleBody\":\"Line one of a body "
                    "that has raw newlines.\nLine two of a body that has raw newlines, which browsers accept "
                    "and strict parsers do not; it is long enough to replace the markup, as the test needs more than two hundred bytes of text.\"}</script><p>Short.</p>";
    CHECK(run(q, NULL, &r) == WS_OK, "status");
    CHECK(has(r.body, "Line two of a body"), "tolerant JSON-LD: %s", r.body);
    ws_html_result_free(&r);
}

static void test_robust(void)
{
    ws_html_result r;
    CHECK(ws_html_extract("", 0, NULL, &r) == WS_OK && r.body && r.body_len == 0, "empty input");
    ws_html_result_free(&r);
    CHECK(ws_html_extract(NULL, 0, NULL, &r) == WS_OK && r.body && !*r.body, "NULL input");
    ws_html_result_free(&r);
    CHECK(ws_html_extract("x", 1, NULL, NULL) == WS_ERR_INVALID, "NULL out");
    /* not NUL-terminated: only len bytes are read */
    char buf[64];
    memcpy(buf, "<p>The end of the text.</p>XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", 62);
    CHECK(ws_html_extract(buf, 27, NULL, &r) == WS_OK && !has(r.body, "XX"), "len respected");
    ws_html_result_free(&r);
    /* random bytes, NULs and invalid UTF-8 */
    uint32_t x = 12345;
    size_t n = 200000;
    char *junk = malloc(n);
    CHECK(junk != NULL, "alloc");
    if (!junk) return;
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            unsigned v = (x >> 16) & 0xFF;
            /* rounds 2-3 mix in tag soup */
            static const char soup[] = "<p><div></a><b><table><td>&amp;<script></html>\"'=";
            junk[i] = round >= 2 && v < 96 ? soup[v % (sizeof soup - 1)] : (char)v;
        }
        ws_status st = ws_html_extract(junk, n, "not a url", &r);
        CHECK(st == WS_OK && r.body && strlen(r.body) == r.body_len, "random bytes round %d", round);
        ws_html_result_free(&r);
    }
    free(junk);
    /* 100k nested elements must not blow the stack */
    size_t depth = 100000;
    ws_html_buf page = {0};
    for (size_t i = 0; i < depth; i++) ws_html_buf_put(&page, i % 2 ? "<span>" : "<div>", i % 2 ? 6 : 5);
    ws_html_buf_put(&page, ART_P1, strlen(ART_P1));
    CHECK(page.s != NULL, "alloc");
    if (page.s) {
        CHECK(ws_html_extract(page.s, page.len, NULL, &r) == WS_OK, "deep nesting");
        CHECK(has(r.body, "three new libraries"), "deep text found");
        CHECK(r.truncated == 1, "deep page flagged truncated");
        ws_html_result_free(&r);
    }
    free(page.s);
    /* 400 nested tables (gumbo adds tbody/tr/td: 1,600 levels; parsed on a
     * thread with its own stack) and 300 divs among 50,000 void tags */
    ws_html_buf t = {0};
    for (int i = 0; i < 400; i++) ws_html_buf_put(&t, "<table><tr><td>", 15);
    ws_html_buf_put(&t, ART_P2, strlen(ART_P2));
    for (int i = 0; i < 50000; i++) ws_html_buf_put(&t, "<img>", 5);
    CHECK(t.s && ws_html_extract(t.s, t.len, NULL, &r) == WS_OK && has(r.body, "independent valuation"),
          "nested tables");
    CHECK(!r.truncated, "400 levels are under the cap");
    ws_html_result_free(&r);
    free(t.s);
    /* unclosed and misnested tags */
    CHECK(run("<html><body><div><p>Unclosed paragraph with enough words to count as article text, really<p>and another one<div></b></i>", NULL, &r) == WS_OK,
          "tag soup");
    CHECK(has(r.body, "Unclosed paragraph"), "tag soup text: %s", r.body);
    ws_html_result_free(&r);
}

int main(void)
{
    test_news_page();
    test_titles();
    test_site_canonical();
    test_jsonld_body();
    test_robust();
    return TEST_REPORT();
}
