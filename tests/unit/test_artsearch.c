/*
 * test_artsearch.c - the article search (ws_store_search_articles, issue 4)
 * and its snippets (src/store/snippet.c): words found as the tokenizer
 * finds them, cuts at UTF-8 and word boundaries; ranking (a title word
 * above a body word), the order by date, filters, paging, the top
 * speakers, bad queries, and the text index lag both ways (an index behind
 * the store finds nothing new; one ahead of the store's snapshot is cut at
 * its last article).
 */
#include "harness.h"
#include "store_tmp.h"
#include "store/snippet.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- snippets ------------------------------------------------------------- */

/* The bytes query matches in body, or "" */
static const char *found(const char *query, const char *body) {
    static char out[256];
    size_t ms, me;
    out[0] = 0;
    if (ws_snippet_find(query, body, strlen(body), &ms, &me) && me - ms < sizeof out) {
        memcpy(out, body + ms, me - ms);
        out[me - ms] = 0;
    }
    return out;
}

static uint64_t rnd_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int valid_utf8(const char *s) {
    json_t *v = json_string(s); /* NULL for invalid UTF-8 */
    int ok = v != NULL;
    json_decref(v);
    return ok;
}

static void test_snippet_find(void) {
    const char *b = "An idealist spoke of the Grain Deal, then Zelenský and Müller met dealers.";
    CHECK(!strcmp(found("deal", b), "Deal"), "a whole word, any case: '%s'", found("deal", b));
    CHECK(!strcmp(found("dealer*", b), "dealers"), "a prefix: '%s'", found("dealer*", b));
    CHECK(!strcmp(found("ideal", b), ""), "not inside a word: '%s'", found("ideal", b));
    CHECK(!strcmp(found("zelensky", b), "Zelenský"), "diacritics removed: '%s'",
          found("zelensky", b));
    CHECK(!strcmp(found("MULLER", b), "Müller"), "diacritics and case: '%s'", found("MULLER", b));
    CHECK(!strcmp(found("\"grain deal\"", b), "Grain Deal"), "a phrase whole: '%s'",
          found("\"grain deal\"", b));
    const char *p = "Grain prices rose. Then the grain - deal was signed.";
    CHECK(!strcmp(found("\"grain deal\"", p), "grain - deal"),
          "a phrase where it is, not its first word alone: '%s'", found("\"grain deal\"", p));
    CHECK(!strcmp(found("\"deal signed\" OR prices", p), "prices"),
          "a phrase not in the body: the first word of any term: '%s'",
          found("\"deal signed\" OR prices", p));
    CHECK(!strcmp(found("rose NOT \"grain prices\"", p), "rose"),
          "NOT \"a phrase\": none of its words: '%s'", found("rose NOT \"grain prices\"", p));
    CHECK(!strcmp(found("\"deal\" \"then the\"", p), "Then the"), "two phrases: '%s'",
          found("\"deal\" \"then the\"", p));
    CHECK(!strcmp(found("spoke NOT idealist", b), "spoke"), "a NOT word is not looked for: '%s'",
          found("spoke NOT idealist", b));
    CHECK(!strcmp(found("idealist NOT spoke", b), "idealist"), "NOT: '%s'",
          found("idealist NOT spoke", b));
    CHECK(!strcmp(found("title:met OR body:then", b), "then"), "column names skipped: '%s'",
          found("title:met OR body:then", b));
    CHECK(!strcmp(found("NEAR(met dealers, 5)", b), "met"), "NEAR and its distance: '%s'",
          found("NEAR(met dealers, 5)", b));
    CHECK(!strcmp(found("AND OR", b), ""), "operators only: nothing");
    CHECK(!strcmp(found("absent", b), ""), "no match");
    size_t ms, me;
    CHECK(!ws_snippet_find("x", "\xff\xfe x", 4, &ms, &me) || ms == 3, "invalid bytes skipped");
}

static void test_snippet_make(void) {
    /* a long body of 2-byte letters (Cyrillic) around an ASCII word */
    char body[4096] = "";
    for (int i = 0; i < 60; i++) strcat(body, "\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe\n\n");
    strcat(body, "the   GRAIN deal ");
    for (int i = 0; i < 60; i++) strcat(body, "\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe ");
    size_t hs, he;
    char *s = ws_snippet_make("grain", body, strlen(body), 240, &hs, &he);
    CHECK(s && valid_utf8(s), "valid UTF-8");
    CHECK(s && hs != WS_SNIPPET_NONE && he - hs == 5 && !strncmp(s + hs, "GRAIN", 5),
          "the match in the snippet (%zu %zu)", hs, he);
    CHECK(s && !strncmp(s, "\xe2\x80\xa6", 3) && strlen(s) > 3 &&
              !strcmp(s + strlen(s) - 3, "\xe2\x80\xa6"),
          "ellipses at both cut ends: %s", s ? s : "");
    CHECK(s && !strstr(s, "  ") && !strchr(s, '\n'), "white space collapsed: %s", s ? s : "");
    CHECK(s && strstr(s, "the GRAIN deal"), "the words around the match: %s", s ? s : "");
    CHECK(s && strlen(s) < 300, "about 240 bytes: %zu", s ? strlen(s) : 0);
    /* the words are whole: the text after the first ellipsis starts a word */
    CHECK(s && !strncmp(s + 3, "\xd1\x81\xd0\xbb", 4), "starts at a word: %s", s ? s : "");
    free(s);
    s = ws_snippet_make("absent", body, strlen(body), 240, &hs, &he);
    CHECK(s && hs == WS_SNIPPET_NONE && !strncmp(s, "\xd1\x81", 2), "no match: the start");
    free(s);
    s = ws_snippet_make(NULL, "short body", 10, 240, &hs, &he);
    CHECK(s && !strcmp(s, "short body"), "a short body whole: %s", s ? s : "");
    free(s);
    s = ws_snippet_make("x", NULL, 0, 240, &hs, &he);
    CHECK(s && !strcmp(s, ""), "no body");
    free(s);
}

/* Random bodies and queries from fragments (ASCII, Cyrillic, a combining
 * mark, ß, ﬁ, white space, invalid bytes, FTS5 syntax): no crash, ranges
 * in bounds and on UTF-8 boundaries, a valid body gives a valid snippet. */
static void test_snippet_random(void) {
    static const char *const frag[] = {
        "grain", "Grain", "deal", "GRAIN*", " ", "  ", "\n\n", "\t", "e\xcc\x81", "\xc3\x9f",
        "ss", "\xef\xac\x81", "fi", "\xd0\xb7\xd0\xb5\xd1\x80\xd0\xbd\xd0\xbe", "\xd0\x97\xd0\x95",
        "-", "'", "\"", "(", ")", "*", ":", ",", "5", "AND", "OR", "NOT", "NEAR", "title",
        "\xff", "\xc3", "\xe2\x80", "\xe2\x80\xa6", "x"};
    const size_t nf = sizeof frag / sizeof *frag;
    uint64_t r = 0x9e3779b97f4a7c15u;
    int bad = 0, invalid = 0;
    for (int it = 0; it < 3000 && !bad; it++) {
        char body[2048], q[128];
        size_t bl = 0, ql = 0;
        body[0] = q[0] = 0;
        int nb = (int)(rnd_next(&r) % 200), nq = (int)(rnd_next(&r) % 6) + 1;
        for (int i = 0; i < nb; i++) {
            const char *f = frag[rnd_next(&r) % nf];
            size_t l = strlen(f);
            if (bl + l + 1 < sizeof body) memcpy(body + bl, f, l + 1), bl += l;
        }
        for (int i = 0; i < nq; i++) {
            const char *f = frag[rnd_next(&r) % nf];
            size_t l = strlen(f);
            if (ql + l + 2 < sizeof q) memcpy(q + ql, f, l), ql += l, q[ql++] = ' ', q[ql] = 0;
        }
        size_t ms, me, hs, he;
        if (ws_snippet_find(q, body, bl, &ms, &me) &&
            (ms >= me || me > bl || ((unsigned char)body[ms] & 0xC0) == 0x80 ||
             (me < bl && ((unsigned char)body[me] & 0xC0) == 0x80)))
            bad = 1;
        size_t width = 20 + rnd_next(&r) % 300;
        char *sn = ws_snippet_make(q, body, bl, width, &hs, &he);
        if (!sn) bad = 2;
        else {
            size_t sl = strlen(sn);
            if (hs != WS_SNIPPET_NONE && (hs >= he || he > sl)) bad = 3;
            if (valid_utf8(body) && !valid_utf8(sn)) bad = 4;
            if (!valid_utf8(body)) invalid++;
            if (sl > bl + 6) bad = 5; /* at most the body and two ellipses */
        }
        if (bad) printf("# query '%s' body '%s' snippet '%s'\n", q, body, sn ? sn : "(null)");
        free(sn);
    }
    CHECK(!bad, "3,000 random bodies and queries (failure %d)", bad);
    CHECK(invalid > 100, "invalid UTF-8 bodies among them: %d", invalid);
}

/* ---- the store ----------------------------------------------------------- */

/* A whosaid output object; nq quotes by `name` are appended to the body. */
static ws_status add(ws_store *s, const char *url, const char *date, const char *site,
                     const char *title, const char *text, const char *name, int nq) {
    char body[2048];
    snprintf(body, sizeof body, "%s", text);
    json_t *qa = json_array();
    for (int i = 0; i < nq; i++) {
        size_t start = strlen(body) + 1;
        strcat(body, " \"We will talk.\" ");
        size_t ss = strlen(body);
        strcat(body, name);
        size_t se = strlen(body);
        strcat(body, " said.");
        json_array_append_new(
            qa, json_pack("{s:s,s:s,s:[{s:i,s:i,s:s}],s:{s:i,s:i,s:s},s:{s:i,s:i,s:s},"
                          "s:{s:s,s:s},s:n,s:{s:s,s:s,s:f}}",
                          "id", "q", "type", "direct", "content", "start", (int)start, "end",
                          (int)start + 14, "text", "We will talk.", "cue", "start", (int)se + 1,
                          "end", (int)se + 5, "text", "said", "source", "start", (int)ss, "end",
                          (int)se, "text", name, "speaker", "entity", "e1", "name", name,
                          "addressee", "evidence", "pattern", "quote+src+cue", "resolution",
                          "name", "confidence", 0.9));
    }
    json_t *doc = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "version", 1, "id", url, "url",
                            url, "site", site, "date", date, "title", title, "body", body,
                            "quotes", qa);
    if (nq) {
        json_object_set_new(doc, "entities",
                            json_pack("[{s:s,s:s,s:s,s:n,s:s,s:[]}]", "id", "e1", "type",
                                      "PERSON", "name", name, "title", "gender", "male",
                                      "mentions"));
        json_object_set_new(doc, "speakers", json_pack("[{s:s,s:s,s:i}]", "entity", "e1",
                                                       "name", name, "statements", nq));
    }
    char *js = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    ws_status rc = ws_store_ingest_json(s, js, strlen(js), NULL);
    free(js);
    return rc;
}

/* An article search; *rc its status, the result parsed (NULL on failure). */
static json_t *asearch(ws_store *s, const char *text, const char *since, const char *until,
                       const char *site, int order, size_t limit, size_t offset, ws_status *rc) {
    ws_search_query q;
    memset(&q, 0, sizeof q);
    q.text = text;
    q.since = since;
    q.until = until;
    q.site = site;
    q.order = order;
    q.limit = limit;
    q.offset = offset;
    char *js = NULL;
    *rc = ws_store_search_articles(s, &q, &js);
    json_t *o = js ? json_loads(js, 0, NULL) : NULL;
    ws_store_json_free(js);
    return o;
}

/* "id,id,..." of the results, and total. */
static const char *ids(json_t *o) {
    static char buf[256];
    size_t n = 0, i;
    json_t *r;
    buf[0] = 0;
    json_array_foreach(json_object_get(o, "results"), i, r) n += (size_t)snprintf(
        buf + n, sizeof buf - n, "%s%lld", i ? "," : "",
        (long long)json_integer_value(json_object_get(r, "id")));
    snprintf(buf + n, sizeof buf - n, " total %lld%s",
             (long long)json_integer_value(json_object_get(o, "total")),
             json_is_true(json_object_get(o, "total_exact")) ? "" : "+");
    return buf;
}

#define EXPECT(o, want, what)                                                          \
    do {                                                                              \
        json_t *o_ = (o);                                                             \
        CHECK(o_ && !strcmp(ids(o_), want), "%s: got '%s', want '%s'", what,         \
              o_ ? ids(o_) : "(error)", want);                                        \
        json_decref(o_);                                                              \
    } while (0)

static void fill(ws_store *w) {
    /* 1: the word in the title only; 2: in the body, twice; 3: another
     * site, a later date; 4: not at all */
    add(w, "u1", "2022-07-22", "tass.com", "Grain deal signed in Istanbul",
        "The parties signed the agreement on Friday after weeks of talks.", "Sergey Lavrov", 3);
    add(w, "u2", "2022-07-20", "reuters.com", "Talks in Istanbul",
        "Negotiators discussed grain exports. The grain corridor would open ports.",
        "Antonio Guterres", 1);
    add(w, "u3", "2022-08-01", "rt.com", "Ships leave Odesa",
        "The first ship under the grain deal left Odesa on Monday.", "", 0);
    add(w, "u4", "2022-06-01", "tass.com", "Weather", "Rain is expected.", "", 0);
}

static void test_search(void) {
    const char *db = path_in_tmp("a.db");
    ws_store *w = NULL;
    CHECK(ws_store_open(db, WS_STORE_CREATE, 0, &w, NULL) == WS_OK, "open");
    if (!w) return;
    fill(w);
    ws_status rc;
    EXPECT(asearch(w, "grain", NULL, NULL, NULL, WS_SEARCH_NEWEST, 0, 0, &rc), "3,1,2 total 3",
           "newest: by date");
    EXPECT(asearch(w, "grain", NULL, NULL, NULL, WS_SEARCH_RELEVANCE, 0, 0, &rc),
           "1,2,3 total 3", "relevance: the title word first");
    EXPECT(asearch(w, "title:grain", NULL, NULL, NULL, 0, 0, 0, &rc), "1 total 1", "title only");
    EXPECT(asearch(w, "Istanbul", NULL, NULL, "TASS.com", 0, 0, 0, &rc), "1 total 1",
           "site, any case");
    EXPECT(asearch(w, "grain", "2022-07-21", NULL, NULL, 0, 0, 0, &rc), "3,1 total 2", "since");
    EXPECT(asearch(w, "grain", NULL, "2022-07", NULL, 0, 0, 0, &rc), "1,2 total 2",
           "until a month");
    EXPECT(asearch(w, "grain", "2023", NULL, NULL, 0, 0, 0, &rc), " total 0", "no article dated");
    EXPECT(asearch(w, "grain", NULL, NULL, NULL, 0, 1, 1, &rc), "1 total 3", "limit and offset");
    EXPECT(asearch(w, NULL, NULL, NULL, NULL, 0, 0, 0, &rc), "3,1,2,4 total 4",
           "no text: every article, newest first");
    EXPECT(asearch(w, "", NULL, "2022-07-20", "tass.com", 0, 0, 0, &rc), "4 total 1",
           "no text, filters");
    EXPECT(asearch(w, "grain OR rain", NULL, NULL, NULL, 0, 0, 0, &rc), "3,1,2,4 total 4", "OR");
    EXPECT(asearch(w, "gra*", NULL, NULL, NULL, 0, 0, 0, &rc), "3,1,2 total 3", "prefix");
    /* one result in full */
    json_t *o = asearch(w, "corridor", NULL, NULL, NULL, 0, 0, 0, &rc);
    json_t *r = json_array_get(json_object_get(o, "results"), 0);
    const char *snip = json_string_value(json_object_get(r, "snippet"));
    json_t *m = json_object_get(r, "snippet_match");
    CHECK(snip && json_array_size(m) == 2 &&
              !strncmp(snip + json_integer_value(json_array_get(m, 0)), "corridor", 8) &&
              json_integer_value(json_array_get(m, 1)) - json_integer_value(json_array_get(m, 0)) == 8,
          "snippet and its match: %s", snip ? snip : "(none)");
    CHECK(!strcmp(json_string_value(json_object_get(r, "url")), "u2") &&
              !strcmp(json_string_value(json_object_get(r, "site")), "reuters.com") &&
              !strcmp(json_string_value(json_object_get(r, "date")), "2022-07-20") &&
              !strcmp(json_string_value(json_object_get(r, "title")), "Talks in Istanbul") &&
              json_integer_value(json_object_get(r, "n_statements")) == 1,
          "metadata");
    json_decref(o);
    o = asearch(w, "signed", NULL, NULL, NULL, 0, 0, 0, &rc);
    r = json_array_get(json_object_get(o, "results"), 0);
    json_t *sp = json_array_get(json_object_get(r, "speakers"), 0);
    CHECK(json_array_size(json_object_get(r, "speakers")) == 1 &&
              !strcmp(json_string_value(json_object_get(sp, "name")), "Sergey Lavrov") &&
              json_integer_value(json_object_get(sp, "statements")) == 3,
          "top speakers");
    json_decref(o);
    o = asearch(w, "rain", NULL, NULL, NULL, 0, 0, 0, &rc);
    r = json_array_get(json_object_get(o, "results"), 0);
    CHECK(json_array_size(json_object_get(r, "speakers")) == 0, "no speaker: []");
    json_decref(o);
    /* errors */
    o = asearch(w, "grain AND (", NULL, NULL, NULL, 0, 0, 0, &rc);
    CHECK(!o && rc == WS_ERR_INVALID && strstr(ws_store_errmsg(w), "bad search query 'grain AND ('"),
          "bad query: %s", ws_store_errmsg(w));
    o = asearch(w, "grain", "July", NULL, NULL, 0, 0, 0, &rc);
    CHECK(!o && rc == WS_ERR_INVALID && strstr(ws_store_errmsg(w), "bad date 'July'"),
          "bad date: %s", ws_store_errmsg(w));
    ws_search_query q;
    memset(&q, 0, sizeof q);
    q.text = "grain";
    q.speaker = "Lavrov";
    char *js = NULL;
    CHECK(ws_store_search_articles(w, &q, &js) == WS_ERR_INVALID && !js, "speaker refused");
    CHECK(ws_store_search_articles(w, NULL, &js) == WS_ERR_INVALID, "NULL query");
    ws_store_close(w);
}

static int copy_file(const char *from, const char *to) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    return system(cmd) == 0;
}

static void test_lag(void) {
    const char *db = path_in_tmp("lag.db");
    char fts[600], old_fts[600], old_db[600], new_fts[600];
    snprintf(fts, sizeof fts, "%s-fts", db);
    snprintf(old_fts, sizeof old_fts, "%s/old.fts", tmpdir);
    snprintf(old_db, sizeof old_db, "%s/old.db", tmpdir);
    snprintf(new_fts, sizeof new_fts, "%s/new.fts", tmpdir);
    ws_store *w = NULL, *r = NULL;
    ws_store_open(db, WS_STORE_CREATE, 0, &w, NULL);
    if (!w) return;
    fill(w);
    ws_store_close(w); /* all files whole, no WAL */
    CHECK(copy_file(fts, old_fts) && copy_file(db, old_db), "copies");
    ws_store_open(db, WS_STORE_CREATE, 0, &w, NULL);
    if (!w) return;
    add(w, "u5", "2022-08-02", "tass.com", "More grain ships", "Three ships sailed.", "", 0);
    ws_store_close(w);
    CHECK(copy_file(fts, new_fts), "copy");
    ws_status rc;
    /* the index behind the store: the new article is listed by filters,
     * not found by text */
    CHECK(copy_file(old_fts, fts), "old index back");
    ws_store_open(db, WS_STORE_READONLY, 0, &r, NULL);
    CHECK(r != NULL, "reader");
    if (!r) return;
    CHECK(stat_of(r, "fts_articles_behind") == 1, "one article behind");
    EXPECT(asearch(r, "grain", NULL, NULL, NULL, 0, 0, 0, &rc), "3,1,2 total 3",
           "behind: not found by text yet");
    EXPECT(asearch(r, NULL, "2022-08-02", NULL, NULL, 0, 0, 0, &rc), "5 total 1",
           "behind: listed by date");
    ws_store_close(r);
    /* the index ahead of the store (a later batch committed in the FTS
     * file, not in this snapshot): cut at the store's last article */
    char dbcopy[600];
    snprintf(dbcopy, sizeof dbcopy, "%s/ahead.db", tmpdir);
    char dbcopy_fts[700];
    snprintf(dbcopy_fts, sizeof dbcopy_fts, "%s-fts", dbcopy);
    CHECK(copy_file(old_db, dbcopy) && copy_file(new_fts, dbcopy_fts), "copies");
    ws_store_open(dbcopy, WS_STORE_READONLY, 0, &r, NULL);
    CHECK(r != NULL, "reader");
    if (!r) return;
    EXPECT(asearch(r, "grain", NULL, NULL, NULL, 0, 0, 0, &rc), "3,1,2 total 3",
           "ahead: cut at the store's last article");
    EXPECT(asearch(r, "ships", NULL, NULL, NULL, WS_SEARCH_RELEVANCE, 0, 0, &rc),
           "3 total 1", "ahead: relevance cut too");
    ws_store_close(r);
    /* a writer catches the index up: then found */
    CHECK(copy_file(old_fts, fts), "old index back");
    ws_store_open(db, WS_STORE_CREATE, 0, &w, NULL);
    if (!w) return;
    EXPECT(asearch(w, "grain", NULL, NULL, NULL, 0, 0, 0, &rc), "5,3,1,2 total 4",
           "caught up: found");
    ws_store_close(w);
    /* no index file: a clear error, filters still work */
    unlink(fts);
    ws_store_open(db, WS_STORE_READONLY, 0, &r, NULL);
    if (!r) return;
    json_t *o = asearch(r, "grain", NULL, NULL, NULL, 0, 0, 0, &rc);
    CHECK(!o && rc == WS_ERR_IO && strstr(ws_store_errmsg(r), "-fts: the text index file is missing"),
          "missing index: %s", ws_store_errmsg(r));
    EXPECT(asearch(r, NULL, NULL, NULL, NULL, 0, 0, 0, &rc), "5,3,1,2,4 total 5",
           "missing index: no text still works");
    ws_store_close(r);
}

int main(void) {
    if (store_tmp_make("artsearch")) return 1;
    test_snippet_find();
    test_snippet_make();
    test_snippet_random();
    test_search();
    test_lag();
    store_tmp_remove();
    return TEST_REPORT();
}
