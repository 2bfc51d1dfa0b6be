/* test_date.c - date normalisation, dates in text and URLs, and the page
 * metadata of meta.c (date, authors, language) on hand-written pages
 * (owned by "meta"). */
#include "article/meta.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void norm(const char *in, const char *want)
{
    char *got = ws_date_normalize(in, strlen(in));
    if (want)
        CHECK(got && strcmp(got, want) == 0, "normalize(\"%s\") = %s, want %s", in,
              got ? got : "NULL", want);
    else
        CHECK(got == NULL, "normalize(\"%s\") = %s, want NULL", in, got);
    free(got);
}

static void scan(const char *in, const char *want)
{
    char *got = ws_date_scan(in, strlen(in), NULL);
    if (want)
        CHECK(got && strcmp(got, want) == 0, "scan(\"%s\") = %s, want %s", in, got ? got : "NULL",
              want);
    else
        CHECK(got == NULL, "scan(\"%s\") = %s, want NULL", in, got);
    free(got);
}

static void url(const char *in, const char *want)
{
    char *got = ws_date_from_url(in);
    if (want)
        CHECK(got && strcmp(got, want) == 0, "url(\"%s\") = %s, want %s", in, got ? got : "NULL",
              want);
    else
        CHECK(got == NULL, "url(\"%s\") = %s, want NULL", in, got);
    free(got);
}

/* Parses html and checks ws_meta_date against want (first 10 chars when
 * want has 10), with the source name when src is given. */
static void page_date(const char *html, const char *u, const char *want, const char *src)
{
    GumboOutput *g = gumbo_parse(html);
    const char *s = NULL;
    char *got = ws_meta_date_source(g->root, u, NULL, 0, &s);
    int ok = want ? got && (strlen(want) == 10 ? strncmp(got, want, 10) == 0 : strcmp(got, want) == 0)
                  : got == NULL;
    CHECK(ok, "date %s, want %s, in %.60s...", got ? got : "NULL", want ? want : "NULL", html);
    if (src)
        CHECK(s && strcmp(s, src) == 0, "source %s, want %s, in %.60s...", s ? s : "NULL", src, html);
    char *plain = ws_meta_date(g->root, u, NULL, 0);
    CHECK((plain == NULL) == (got == NULL) && (!plain || strcmp(plain, got) == 0),
          "ws_meta_date = ws_meta_date_source");
    free(plain);
    free(got);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

/* Checks the author list (names separated by "|"). */
static void page_authors(const char *html, const char *want)
{
    GumboOutput *g = gumbo_parse(html);
    char **v = NULL;
    size_t n = ws_meta_authors(g->root, NULL, 0, &v);
    char joined[512] = "";
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(joined, "|", sizeof joined - strlen(joined) - 1);
        strncat(joined, v[i], sizeof joined - strlen(joined) - 1);
        free(v[i]);
    }
    free(v);
    CHECK(strcmp(joined, want) == 0, "authors \"%s\", want \"%s\", in %.70s...", joined, want, html);
    CHECK(n > 0 || v == NULL, "no authors -> NULL array");
    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

static void page_lang(const char *html, const char *text, const char *want)
{
    GumboOutput *g = gumbo_parse(html);
    char *got = ws_meta_lang(g->root, text, text ? strlen(text) : 0);
    if (want)
        CHECK(got && strcmp(got, want) == 0, "lang %s, want %s, in %.60s", got ? got : "NULL",
              want, html);
    else
        CHECK(got == NULL, "lang %s, want NULL", got);
    free(got);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

int main(void)
{
    /* ISO 8601 */
    norm("2020-12-30", "2020-12-30");
    norm("2020-12-30T10:00:00Z", "2020-12-30T10:00:00Z");
    norm("2020-12-30T10:00:00+03:00", "2020-12-30T10:00:00+03:00");
    norm("2020-12-30T10:00:00.123-0500", "2020-12-30T10:00:00-05:00");
    norm("2020-12-30T10:00", "2020-12-30T10:00:00");
    norm("2020-12-30 22:28:35", "2020-12-30T22:28:35");
    norm("  2020-1-5 ", "2020-01-05");
    norm("2020/12/30", "2020-12-30");
    norm("20201230", "2020-12-30");
    /* RFC 822 and long forms */
    norm("Wed, 30 Dec 2020 10:00:00 GMT", "2020-12-30T10:00:00Z");
    norm("Mon, 21 Aug 2017 01:08:00 +0200", "2017-08-21T01:08:00+02:00");
    norm("December 30, 2020", "2020-12-30");
    norm("Dec. 30, 2020", "2020-12-30");
    norm("30 December 2020", "2020-12-30");
    norm("December 30th, 2020", "2020-12-30");
    norm("30. Dezember 2020", "2020-12-30");
    norm("30 de diciembre de 2020", "2020-12-30");
    norm("30 декабря 2020", "2020-12-30");
    norm("30 Декабря 2020 г.", "2020-12-30");
    norm("1er mars 2021", "2021-03-01");
    norm("1 mars 2021", "2021-03-01");
    /* numeric day-first and US forms */
    norm("30.12.2020", "2020-12-30");
    norm("30.12.20", "2020-12-30");
    norm("12/30/2020", "2020-12-30");
    norm("30/12/2020", "2020-12-30");
    norm("5.1.2021 14:30", "2021-01-05T14:30:00");
    /* unix timestamps (seconds, milliseconds) */
    norm("1609322400", "2020-12-30");
    norm("1609322400000", "2020-12-30");
    /* impossible or out-of-range dates */
    norm("2020-13-01", NULL);
    norm("2021-02-29", NULL);
    norm("2020-02-30", NULL);
    norm("2020-02-29", "2020-02-29");
    norm("1900-02-29", NULL);
    norm("1994-12-31", NULL);
    norm("2031-01-01", NULL);
    norm("2030-12-31", "2030-12-31");
    norm("31.04.2020", NULL);
    norm("February 30, 2020", NULL);
    norm("2020-12", NULL);
    norm("", NULL);
    norm("yesterday", NULL);
    norm("12345", NULL);
    CHECK(ws_date_normalize(NULL, 5) == NULL, "NULL input");
    CHECK(ws_date_valid(2000, 2, 29) && !ws_date_valid(2021, 2, 29) && ws_date_valid(2024, 2, 29), "leap years");
    CHECK(ws_date_month("Sept.", 5) == 9 && ws_date_month("ДЕКАБРЯ", 14) == 12 &&
              ws_date_month("März", 5) == 3 && ws_date_month("Marc", 4) == 0,
          "month names");

    /* dates in running text */
    scan("Published 30 December 2020 by staff", "2020-12-30");
    scan("By Jane Doe | Dec. 30, 2020, 10:00 a.m.", "2020-12-30");
    scan("Posted on 2020-12-30T08:00:00Z in News", "2020-12-30T08:00:00Z");
    scan("Bonn,\xC2\xA0" "11.10.2021 Text", "2021-10-11");
    scan("version 1.2.3 and score 3-2 on 12/30", NULL);
    scan("Room 2020 has 30 December seats", NULL);
    scan("Опубликовано 30 декабря 2020 года", "2020-12-30");
    scan("", NULL);
    {
        size_t pos = 99;
        char *d = ws_date_scan("xx on March 3, 2019.", 20, &pos);
        CHECK(d && strcmp(d, "2019-03-03") == 0 && pos == 6, "scan position %zu", pos);
        free(d);
        d = ws_date_scan2("Party, 30.10.23", 15, NULL, 1);
        CHECK(d && strcmp(d, "2023-10-30") == 0, "loose two-digit year: %s", d ? d : "NULL");
        free(d);
        d = ws_date_scan2("Party, 30.10.23", 15, NULL, 0);
        CHECK(d == NULL, "strict scan: no two-digit year");
        free(d);
    }

    /* URLs */
    url("https://example.com/2020/12/30/story.html", "2020-12-30");
    url("https://example.com/news/2020-12-30-story", "2020-12-30");
    url("https://example.com/a/story_20201230.html", "2020-12-30");
    url("https://example.com/2020/12/story.html", NULL);
    url("https://example.com/id/12345678901", NULL);
    url("https://example.com/2020/13/45/x", NULL);
    url(NULL, NULL);

    /* page sources in order */
    const char *ld =
        "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
        "\"@graph\":[{\"@type\":\"WebPage\",\"datePublished\":\"2019-01-01\"},"
        "{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-12-30T10:00:00+01:00\","
        "\"dateModified\":\"2021-01-02\",\"author\":[{\"@type\":\"Person\",\"name\":\"Jane Doe\"},"
        "{\"@type\":\"Person\",\"name\":\"John Roe\"}]}]}</script>"
        "<meta property=\"article:published_time\" content=\"2020-11-11\"></head>"
        "<body><p>Hello</p></body></html>";
    page_date(ld, NULL, "2020-12-30T10:00:00+01:00", "json-ld");
    page_authors(ld, "Jane Doe|John Roe");
    page_date("<html><head><script type=\"application/ld+json\">\n<!--\n{\"@type\":\"Article\","
              "\"dateCreated\":\"2020-05-06\"};\n-->\n</script></head><body></body></html>",
              NULL, "2020-05-06", "json-ld");
    page_date("<head><script type=\"application/ld+json\">{broken json</script>"
              "<meta property=\"article:modified_time\" content=\"2021-01-01\">"
              "<meta property=\"article:published_time\" content=\"2020-12-30T10:00:00Z\">"
              "</head><body></body>",
              NULL, "2020-12-30T10:00:00Z", "meta");
    page_date("<head><meta name=\"date\" content=\"2020-01-01\"><meta name=\"parsely-pub-date\" "
              "content=\"2020-12-30\"></head>",
              NULL, "2020-12-30", "meta");
    page_date("<head><meta name=\"sailthru.date\" content=\"Wed, 30 Dec 2020 10:00:00 GMT\"></head>",
              NULL, "2020-12-30", "meta");
    page_date("<head><meta name=\"pubdate\" content=\"1609322400\"></head>", NULL, "2020-12-30",
              "meta");
    page_date("<head><meta name=\"DC.date.issued\" content=\"30.12.2020\"></head>", NULL,
              "2020-12-30", "meta");
    page_date("<body><footer><time datetime=\"2021-05-05\">x</time></footer><article><header>"
              "<time datetime=\"2020-12-30T08:00:00+02:00\">30 Dec</time></header></article></body>",
              NULL, "2020-12-30", "time");
    page_date("<body><time class=\"updated\" datetime=\"2021-05-05\">u</time>"
              "<span itemprop=\"datePublished\" content=\"2020-12-30\">Dec 30</span></body>",
              NULL, "2020-12-30", NULL);
    page_date("<body><p>Nothing here</p></body>", "https://x.org/news/2020/12/30/a.html",
              "2020-12-30", "url");
    page_date("<head><link rel=\"canonical\" href=\"https://x.org/2014/05/18/may/\"></head>"
              "<body><p>Nothing</p></body>", NULL, "2014-05-18", "canonical-url");
    page_date("<head><meta property=\"og:url\" content=\"https://x.org/a/2014-05-18-may\"></head>",
              NULL, "2014-05-18", "canonical-url");
    page_date("<body><div class=\"post-meta\">Posted by Jane on 30 December 2020</div>"
              "<p>In 2019-01-01 ...</p></body>",
              NULL, "2020-12-30", "class");
    /* a date-labelled teaser in a list comes first; the article's own wins */
    page_date("<body><ul><li><a>Other story</a><span class=\"post-date\">09/09/2019</span></li></ul>"
              "<article><div class=\"entry-meta\">27.09.2016</div><p>Text</p></article></body>",
              NULL, "2016-09-27", "class");
    /* the page text without navigation: a header clock is not the date */
    page_date("<body><nav>Sunday, 29 November 2026</nav><p>Story text.</p>"
              "<p>Story of 3. M\xC3\xA4rz 2021</p></body>", NULL, "2021-03-03", "page-text");
    page_date("<body><nav>Sunday, 29 November 2026</nav><p>Story text.</p></body>", NULL,
              "2026-11-29", "page-text"); /* nothing else: the navigation's date */
    page_date("<body><p>Letzte \xC3\x84nderung: 31.10.2023</p><p>Erschienen am: 01.11.2023</p></body>",
              NULL, "2023-11-01", "page-text");
    page_date("<body><script>var x={\"publishedDate\":\"2016-11-04T20:37:27Z\"};</script></body>",
              NULL, "2016-11-04", "script");
    page_date("<head><meta property=\"article:modified_time\" content=\"2021-01-01\"></head>", NULL,
              "2021-01-01", "meta-modified");
    page_date("<body><p>No date at all, 3-2 win, version 1.2.</p></body>", NULL, NULL, NULL);
    /* a UTC time at night and the page's own local date one day later */
    page_date("<head><meta property=\"article:published_time\" content=\"2023-11-01T23:01:00Z\">"
              "</head><body><article><time datetime=\"2023-11-01T23:01:00Z\">02 novembre 2023"
              "</time></article></body>",
              NULL, "2023-11-02", NULL);
    /* text passed by the caller */
    {
        GumboOutput *g = gumbo_parse("<body></body>");
        const char *t = "LONDON - Published 30 December 2020. The minister said...";
        char *d = ws_meta_date(g->root, NULL, t, strlen(t));
        CHECK(d && strcmp(d, "2020-12-30") == 0, "date from caller text: %s", d ? d : "NULL");
        free(d);
        d = ws_meta_date(NULL, NULL, NULL, 0);
        CHECK(d == NULL, "all NULL");
        gumbo_destroy_output(&kGumboDefaultOptions, g);
    }

    /* authors */
    page_authors("<head><meta name=\"author\" content=\"By Jane Doe and John Roe\"></head>",
                 "Jane Doe|John Roe");
    page_authors("<head><meta property=\"og:site_name\" content=\"Daily Planet\">"
                 "<meta name=\"author\" content=\"Daily Planet\">"
                 "<meta property=\"article:author\" content=\"https://facebook.com/jane\"></head>"
                 "<body><span class=\"byline\">By <a rel=\"author\">Clark Kent</a></span></body>",
                 "Clark Kent");
    page_authors("<body><div itemprop=\"author\" itemscope><span itemprop=\"name\">Lois Lane</span>"
                 "<span>Staff Writer</span></div></body>",
                 "Lois Lane");
    page_authors("<body><p class=\"byline\">By Jane Doe, Staff Writer | March 3, 2020</p></body>",
                 "Jane Doe");
    page_authors("<body><p class=\"byline\">Jane Doe, John Roe</p></body>", "Jane Doe|John Roe");
    page_authors("<body><div class=\"comment-author\">troll99</div><p>Text</p></body>", "");
    page_authors("<body><p>No author</p></body>", "");
    page_authors("<head><script type=\"application/ld+json\">{\"@type\":\"Article\","
                 "\"author\":\"Jane Doe\"}</script><meta name=\"author\" content=\"Other Name\">"
                 "</head>",
                 "Jane Doe");

    /* a byline line at the top of the caller's text */
    {
        GumboOutput *g = gumbo_parse("<body><p>x</p></body>");
        const char *t = "Storm hits the coast\nBy Jane Doe and John Roe\nThe storm...";
        char **v = NULL;
        size_t n = ws_meta_authors(g->root, t, strlen(t), &v);
        CHECK(n == 2 && strcmp(v[0], "Jane Doe") == 0 && strcmp(v[1], "John Roe") == 0,
              "byline from text: %zu", n);
        for (size_t i = 0; i < n; i++) free(v[i]);
        free(v);
        t = "The storm hit the coast. By noon it was over.";
        n = ws_meta_authors(g->root, t, strlen(t), &v);
        CHECK(n == 0, "no byline in a sentence");
        for (size_t i = 0; i < n; i++) free(v[i]);
        free(v);
        gumbo_destroy_output(&kGumboDefaultOptions, g);
    }

    /* language */
    page_lang("<html lang=\"en-US\"><body><p>Hello</p></body></html>", NULL, "en");
    page_lang("<html lang=\"ru\"><body></body></html>", NULL, "ru");
    page_lang("<html lang=\"de\"><body></body></html>", NULL, "other");
    page_lang("<html><head><meta property=\"og:locale\" content=\"ru_RU\"></head></html>", NULL, "ru");
    page_lang("<html><body><p>The minister said that the talks with the opposition would "
              "continue in the spring, and that he was not worried.</p></body></html>",
              NULL, "en");
    page_lang("<html><body><p>\xD0\x9C\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80 "
              "\xD0\xB7\xD0\xB0\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xBB, \xD1\x87\xD1\x82\xD0\xBE "
              "\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80\xD1\x8B "
              "\xD0\xBF\xD1\x80\xD0\xBE\xD0\xB4\xD0\xBE\xD0\xBB\xD0\xB6\xD0\xB0\xD1\x82\xD1\x81\xD1\x8F."
              "</p></body></html>",
              NULL, "ru");
    page_lang("<html><body><p>Der Minister sagte, dass die Gespr\xC3\xA4" "che mit der Opposition im "
              "Fr\xC3\xBChling weitergehen w\xC3\xBCrden.</p></body></html>",
              NULL, "other");
    /* a template's lang="en" on a Russian page: the text decides */
    page_lang("<html lang=\"en\"><body></body></html>",
              "\xD0\x9C\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80 \xD0\xB7\xD0\xB0\xD1\x8F"
              "\xD0\xB2\xD0\xB8\xD0\xBB, \xD1\x87\xD1\x82\xD0\xBE \xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5"
              "\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80\xD1\x8B \xD0\xBF\xD1\x80\xD0\xBE\xD0\xB4"
              "\xD0\xBE\xD0\xBB\xD0\xB6\xD0\xB0\xD1\x82\xD1\x81\xD1\x8F.",
              "ru");
    /* a template's lang="en" on a German page: German stop words outnumber English */
    page_lang("<html lang=\"en\"><body></body></html>",
              "Die Regierung hat am Montag mitgeteilt, dass die Gespräche mit der Opposition "
              "nicht fortgesetzt werden. Der Minister sagte, es sei nicht die Zeit, und die "
              "Partei werde sich auf die Wahl vorbereiten. Das ist der Plan, und der Plan ist "
              "gut, sagte die Sprecherin der Partei von der Stadt zu den Medien auf der Sitzung "
              "mit den Vertretern der Region und der Stadt, die sich nicht einig ist.",
              "other");
    page_lang("<html lang=\"en\"><body></body></html>",
              "Menu Recipes Chicken Beef Desserts Cakes Cookies Log In Join Free See All", "en");
    /* Ukrainian letters: not ru */
    page_lang("<html><body><p>\xD0\x9C\xD1\x96\xD0\xBD\xD1\x96\xD1\x81\xD1\x82\xD1\x80 "
              "\xD0\xB7\xD0\xB0\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xB2, \xD1\x89\xD0\xBE "
              "\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5\xD0\xBC\xD0\xBE\xD0\xB2\xD0\xB8\xD0\xBD\xD0\xB8 "
              "\xD1\x82\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB0\xD1\x82\xD0\xB8\xD0\xBC\xD1\x83\xD1\x82\xD1\x8C "
              "\xD1\x96 \xD0\xB4\xD0\xB0\xD0\xBB\xD1\x96 \xD1\x97\xD1\x97.</p></body></html>",
              NULL, "other");
    page_lang("<html><body></body></html>", NULL, NULL);

    /* 100,000 nested elements: explicit stacks, no recursion. gumbo's parser
     * is quadratic in nesting depth, so the tree is built by hand. */
    {
        size_t depth = 100000;
        GumboNode *nodes = calloc(depth + 2, sizeof *nodes);
        void **kids = calloc(depth + 2, sizeof *kids);
        GumboAttribute lang = {0};
        void *attrs[1] = {&lang};
        lang.name = "lang";
        lang.value = "en";
        if (nodes && kids) {
            for (size_t i = 0; i <= depth; i++) {
                GumboNode *nd = &nodes[i];
                nd->type = GUMBO_NODE_ELEMENT;
                nd->parent = i ? &nodes[i - 1] : NULL;
                nd->v.element.tag = i == 0 ? GUMBO_TAG_HTML : i == 1 ? GUMBO_TAG_BODY : GUMBO_TAG_SPAN;
                kids[i] = &nodes[i + 1];
                nd->v.element.children.data = &kids[i];
                nd->v.element.children.length = 1;
                nd->v.element.children.capacity = 1;
                if (i == 0) {
                    nd->v.element.attributes.data = attrs;
                    nd->v.element.attributes.length = 1;
                    nd->v.element.attributes.capacity = 1;
                }
            }
            GumboNode *t = &nodes[depth + 1];
            t->type = GUMBO_NODE_TEXT;
            t->parent = &nodes[depth];
            t->v.text.text = "The minister said it. Published 30 December 2020 by the desk.";
            char *d = ws_meta_date(&nodes[0], NULL, NULL, 0);
            CHECK(d && strcmp(d, "2020-12-30") == 0, "deep tree date: %s", d ? d : "NULL");
            free(d);
            char **v = NULL;
            size_t n = ws_meta_authors(&nodes[0], NULL, 0, &v);
            CHECK(n == 0, "deep tree: no author");
            for (size_t i = 0; i < n; i++) free(v[i]);
            free(v);
            char *l = ws_meta_lang(&nodes[0], NULL, 0);
            CHECK(l && strcmp(l, "en") == 0, "deep tree lang: %s", l ? l : "NULL");
            free(l);
        }
        free(nodes);
        free(kids);
    }
    /* random strings of date pieces and bytes: never crash; every result is
     * a valid "YYYY-MM-DD..." (fixed-seed LCG, no globals) */
    {
        static const char *const pieces[] = {"2020", "-", "12", "30", "/", ".", " ", "T", ":",
                                             "Z", "+03:00", "December", "Dec.", "\xD0\xB4\xD0\xB5",
                                             "\xFF", "31", "02", "29", "1609322400", ",", "\xC2\xA0",
                                             "Wed", "GMT", "0", "9"};
        unsigned long long x = 0x9E3779B97F4A7C15ULL;
        int bad = 0;
        char buf[128];
        for (int it = 0; it < 20000; it++) {
            int k = (int)(test_lcg(&x) % 10) + 1;
            size_t n = test_add_pieces(buf, 0, sizeof buf, pieces,
                                       sizeof pieces / sizeof pieces[0], k, &x);
            char *outs[3] = {ws_date_normalize(buf, n), ws_date_scan(buf, n, NULL),
                             ws_date_scan2(buf, n, NULL, 1)};
            for (int j = 0; j < 3; j++) {
                if (outs[j]) {
                    int y = atoi(outs[j]), m = atoi(outs[j] + 5), d = atoi(outs[j] + 8);
                    if (strlen(outs[j]) < 10 || outs[j][4] != '-' || outs[j][7] != '-' ||
                        !ws_date_valid(y, m, d))
                        bad++;
                }
                free(outs[j]);
            }
        }
        CHECK(bad == 0, "%d random inputs gave an invalid date", bad);
    }
    /* random pages of metadata pieces, broken JSON-LD and bylines: no crash,
     * no leak (the sanitizer run checks), dates valid, authors non-empty */
    {
        static const char *const pieces[] = {
            "<script type=\"application/ld+json\">", "</script>", "{\"@type\":\"NewsArticle\",",
            "\"datePublished\":\"2020-12-30\"", "\"author\":[{\"@id\":\"#a\"}]", "{\"@id\":\"#a\",",
            "\"name\":\"Jane Doe\"}", "]", "}", ",", "<meta name=\"author\" content=\"By ",
            "\">", "<time datetime=\"", "2021-02-29", "</time>", "<p class=\"byline\">By ",
            "</p>", "<a rel=\"author\">", "</a>", "Published 30 December 2020", "<div>", "</div>",
            "\xFF\xFE", "<html lang=\"ru\">", "\xD0\x9C\xD0\xBE\xD1\x81", "<!--", "-->",
            "<script>var x={\"publishedDate\":\"", "Doe, Jane, Ph.D.", " and ", "|"};
        unsigned long long x = 0xD1B54A32D192ED03ULL;
        int bad = 0;
        char buf[1024];
        for (int it = 0; it < 3000; it++) {
            int k = (int)(test_lcg(&x) % 24) + 1;
            size_t n = test_add_pieces(buf, 0, sizeof buf, pieces,
                                       sizeof pieces / sizeof pieces[0], k, &x);
            GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, buf, n);
            char *d = ws_meta_date(g->root, "https://x/2020/12/30/", buf, n);
            if (d && !ws_date_valid(atoi(d), atoi(d + 5), atoi(d + 8)))
                bad++;
            free(d);
            char **v = NULL;
            size_t na = ws_meta_authors(g->root, buf, n, &v);
            for (size_t i = 0; i < na; i++) {
                if (!v[i] || !v[i][0])
                    bad++;
                free(v[i]);
            }
            free(v);
            free(ws_meta_lang(g->root, buf, n));
            gumbo_destroy_output(&kGumboDefaultOptions, g);
        }
        CHECK(bad == 0, "%d random pages gave a bad date or author", bad);
    }
    return TEST_REPORT();
}
