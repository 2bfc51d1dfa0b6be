/*
 * test_store.c - the SQLite store (src/store/): name keys and quote
 * signatures, open/create errors, idempotent ingest, speaker merging and
 * unmerging, search and its errors, article and cluster views, snapshot
 * isolation of readers and the busy error of a second writer.
 */
#include "harness.h"
#include "store_tmp.h"
#include "store/store.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers --------------------------------------------------------------- */

/* A whosaid output object: one article with one speaker and its quotes. */
static char *article(const char *url, const char *date, const char *site, const char *name,
                     const char *title, const char *const *quotes, int nq) {
    json_t *doc = json_object();
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "id", json_string(url));
    char body[4096] = "";
    json_t *qa = json_array();
    for (int i = 0; i < nq; i++) {
        size_t start = strlen(body) + 1;
        strcat(body, "\"");
        strcat(body, quotes[i]);
        strcat(body, "\" ");
        size_t end = start + strlen(quotes[i]);
        size_t ss = strlen(body);
        strcat(body, name);
        size_t se = strlen(body);
        strcat(body, " said. ");
        json_t *q = json_pack("{s:s,s:s,s:[{s:i,s:i,s:s}],s:{s:i,s:i,s:s},s:{s:i,s:i,s:s},"
                              "s:{s:s,s:s},s:n,s:{s:s,s:s,s:f}}",
                              "id", "q", "type", "direct", "content", "start", (int)start,
                              "end", (int)end, "text", quotes[i], "cue", "start", (int)se + 1,
                              "end", (int)se + 5, "text", "said", "source", "start", (int)ss,
                              "end", (int)se, "text", name, "speaker", "entity", "e1", "name",
                              name, "addressee", "evidence", "pattern", "quote+src+cue",
                              "resolution", "name", "confidence", 0.9);
        json_array_append_new(qa, q);
    }
    json_object_set_new(doc, "quotes", qa);
    json_object_set_new(doc, "entities",
                        json_pack("[{s:s,s:s,s:s,s:o,s:s,s:[]}]", "id", "e1", "type", "PERSON",
                                  "name", name, "title", title ? json_string(title) : json_null(),
                                  "gender", "male", "mentions"));
    json_object_set_new(doc, "speakers",
                        json_pack("[{s:s,s:s,s:i}]", "entity", "e1", "name", name, "statements", nq));
    json_object_set_new(doc, "url", json_string(url));
    json_object_set_new(doc, "site", json_string(site));
    json_object_set_new(doc, "date", json_string(date));
    json_object_set_new(doc, "title", json_string("A title"));
    json_object_set_new(doc, "body", json_string(body));
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

static ws_status ingest(ws_store *s, char *json, ws_store_ingest_stats *st) {
    ws_status rc = ws_store_ingest_json(s, json, strlen(json), st);
    free(json);
    return rc;
}

static json_t *search(ws_store *s, const char *text, const char *speaker, ws_status *rc) {
    ws_search_query q;
    memset(&q, 0, sizeof q);
    q.text = text;
    q.speaker = speaker;
    char *js = NULL;
    *rc = ws_store_search(s, &q, &js);
    json_t *o = js ? json_loads(js, 0, NULL) : NULL;
    ws_store_json_free(js);
    return o;
}

/* The speaker id of the first result of a search by speaker name. */
static long long speaker_of(ws_store *s, const char *speaker) {
    ws_status rc;
    json_t *o = search(s, NULL, speaker, &rc);
    json_t *r = json_array_get(json_object_get(o, "results"), 0);
    long long id = (long long)json_integer_value(json_object_get(json_object_get(r, "speaker"), "id"));
    json_decref(o);
    return id;
}

/* ---- keys -------------------------------------------------------------- */

static int same_key(const char *a, const char *b) {
    char *x = ws_store_name_key(a, NULL, NULL), *y = ws_store_name_key(b, NULL, NULL);
    int eq = x && y && !strcmp(x, y);
    free(x);
    free(y);
    return eq;
}

/* A new store at db, opened for writing; NULL (a failed check) if not. */
static ws_store *create_store(const char *db) {
    ws_store *s = NULL;
    char *msg = NULL;
    ws_status rc = ws_store_open(db, WS_STORE_CREATE, 0, &s, &msg);
    CHECK(rc == WS_OK && s, "create %s: %s", db, msg ? msg : "");
    ws_store_json_free(msg);
    return s;
}

static void test_keys(void) {
    CHECK(same_key("Sergey Lavrov", "Sergei Lavrov"), "Sergey/Sergei");
    CHECK(same_key("SERGEY  LAVROV", "sergey lavrov"), "case and spaces");
    CHECK(same_key("Dmitri Peskov", "Dmitry Peskov") && same_key("Dmitriy Peskov", "Dmitry Peskov"),
          "Dmitri/Dmitriy/Dmitry");
    CHECK(same_key("Alexei Navalny", "Aleksei Navalny") && same_key("Alexey Navalny", "Aleksey Navalny"),
          "Alexei/Aleksei/Alexey");
    CHECK(same_key("Yuri Ushakov", "Yury Ushakov"), "Yuri/Yury");
    CHECK(same_key("Yevgeny Prigozhin", "Evgeny Prigozhin"), "Yevgeny/Evgeny");
    CHECK(same_key("José Martínez", "Jose Martinez"), "accents");
    CHECK(same_key("O'Brien", "OBrien"), "apostrophe");
    CHECK(!same_key("Sergey Lavrov", "Sergey Lavrova"), "different surnames differ");
    CHECK(!same_key("Anna Smith", "John Smith"), "different first names differ");
    int nw = 0;
    const char *sur = NULL;
    char *k = ws_store_name_key("Russian FM Sergei Lavrov", &nw, &sur);
    CHECK(k && nw == 4 && sur && !strcmp(sur, "lavrov"), "words %d surname %s", nw, sur ? sur : "-");
    free(k);
    k = ws_store_name_key("\xff\xfe bad", &nw, &sur);
    CHECK(k != NULL, "invalid UTF-8 gives a key");
    free(k);
    char *t1 = ws_store_title_key("Russian Foreign Minister"), *t2 = ws_store_title_key("foreign minister");
    CHECK(ws_store_titles_agree(t1, t2), "titles agree on a suffix");
    free(t1);
    free(t2);
    CHECK(!ws_store_titles_agree("prime minister", "foreign minister"), "different titles");
    CHECK(!ws_store_titles_agree("", "foreign minister"), "no title never agrees");
    CHECK(!ws_store_titles_agree("deputy foreign minister", "eign minister"), "word boundary");
}

static void test_signatures(void) {
    uint64_t h1, h2;
    uint32_t s1[WS_MINHASH_K], s2[WS_MINHASH_K];
    int g1, g2;
    const char *a = "Sanctions have never made us change our course, and they will not do so now";
    const char *b = "sanctions have never made us change our course and they will not do so now!";
    const char *c = "Sanctions have never made us change our course and they will not do this now";
    const char *d = "The harvest was poor this year because of the long drought in the south";
    CHECK(ws_store_quote_sig(a, strlen(a), &h1, s1, &g1) == 15 && g1, "15 words, signature");
    ws_store_quote_sig(b, strlen(b), &h2, s2, &g2);
    CHECK(h1 == h2 && h1 != 0, "case and punctuation do not change the hash");
    ws_store_quote_sig(c, strlen(c), &h2, s2, &g2);
    int eq = 0;
    for (int i = 0; i < WS_MINHASH_K; i++) eq += s1[i] == s2[i];
    CHECK(h1 != h2 && eq >= 8, "one word changed: near (%d of 16 equal)", eq);
    ws_store_quote_sig(d, strlen(d), &h2, s2, &g2);
    eq = 0;
    for (int i = 0; i < WS_MINHASH_K; i++) eq += s1[i] == s2[i];
    CHECK(eq <= 2, "unrelated quotes are far (%d of 16 equal)", eq);
    CHECK(ws_store_quote_sig("Yes.", 4, &h2, s2, &g2) == 1 && h2 == 0 && !g2, "short: no cluster");
    CHECK(ws_store_quote_sig("We will not go back", 19, &h2, s2, &g2) == 5 && h2 && !g2,
          "5 words: exact only");
}

/* ---- store ---------------------------------------------------------------- */

static void test_open_errors(void) {
    ws_store *s = NULL;
    char *msg = NULL;
    const char *missing = path_in_tmp("missing.db");
    ws_status rc = ws_store_open(missing, WS_STORE_READONLY, 0, &s, &msg);
    CHECK(rc == WS_ERR_IO && !s, "missing db fails");
    CHECK(msg && strstr(msg, "no such database") && strstr(msg, "missing.db"), "message: %s", msg ? msg : "-");
    CHECK(access(missing, F_OK) != 0, "a read-only open creates nothing");
    ws_store_json_free(msg);
    const char *junk = path_in_tmp("junk.db");
    FILE *f = fopen(junk, "w");
    fputs("this is not a database, just some text that is long enough to be read as a header.......\n", f);
    fclose(f);
    rc = ws_store_open(junk, WS_STORE_CREATE, 0, &s, &msg);
    CHECK(rc == WS_ERR_IO && msg && strstr(msg, "not a whosaid database"), "junk: %s", msg ? msg : "-");
    ws_store_json_free(msg);
    /* a store from a newer whosaid is refused; an empty SQLite file is no store */
    const char *newer = path_in_tmp("newer.db");
    sqlite3 *raw = NULL;
    sqlite3_open(newer, &raw);
    sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(raw);
    rc = ws_store_open(newer, WS_STORE_CREATE, 0, &s, &msg);
    CHECK(rc == WS_ERR_IO && msg && strstr(msg, "newer"), "newer schema: %s", msg ? msg : "-");
    ws_store_json_free(msg);
    const char *empty = path_in_tmp("empty.db");
    sqlite3_open(empty, &raw);
    sqlite3_close(raw);
    rc = ws_store_open(empty, WS_STORE_READONLY, 0, &s, &msg);
    CHECK(rc == WS_ERR_IO && msg && strstr(msg, "not a whosaid database"), "empty: %s", msg ? msg : "-");
    ws_store_json_free(msg);
    CHECK(ws_store_open(NULL, 0, 0, &s, NULL) == WS_ERR_INVALID, "NULL path");
    CHECK(ws_store_open(junk, WS_STORE_READONLY | WS_STORE_CREATE, 0, &s, NULL) == WS_ERR_INVALID,
          "contradictory flags");
    ws_store_close(NULL);
}

static void test_ingest_and_merge(void) {
    const char *db = path_in_tmp("t.db");
    ws_store *s = create_store(db);
    if (!s) return;
    ws_status rc;
    CHECK(stat_of(s, "schema_version") == WS_STORE_SCHEMA_VERSION, "schema version");
    sqlite3_stmt *mig;
    sqlite3_prepare_v2(s->db, "SELECT max(version), count(*) FROM migrations", -1, &mig, NULL);
    CHECK(sqlite3_step(mig) == SQLITE_ROW && sqlite3_column_int(mig, 0) == WS_STORE_SCHEMA_VERSION &&
              sqlite3_column_int(mig, 1) == ws_store_n_migrations(),
          "one migrations row per migration");
    sqlite3_finalize(mig);
    sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &mig, NULL);
    CHECK(sqlite3_step(mig) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(mig, 0), "wal"),
          "WAL mode");
    sqlite3_finalize(mig);
    sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &mig, NULL);
    CHECK(sqlite3_step(mig) == SQLITE_ROW && sqlite3_column_int(mig, 0) == 16384,
          "a new store has 16 KiB pages");
    sqlite3_finalize(mig);
    const char *q1[] = {"Sanctions have never made us change our course, and they will not do so now",
                        "Moscow is ready to work with Brussels on an equal footing"};
    const char *q2[] = {"Sanctions have never made us change our course and they will not do this now"};
    const char *q3[] = {"We are ready to share our experience with anyone who asks"};
    const char *q4[] = {"We lost almost half of the wheat this year"};
    ws_store_ingest_stats st = {0};
    rc = ingest(s, article("https://tass.example/1", "2020-12-10", "tass.example", "Sergey Lavrov",
                           "Foreign Minister", q1, 2), &st);
    CHECK(rc == WS_OK && st.articles_added == 1 && st.statements_added == 2, "first article");
    /* earlier date, other site, transliteration, near-identical quote */
    rc = ingest(s, article("https://reuters.example/2", "2020-12-09", "reuters.example",
                           "Sergei Lavrov", "Russian Foreign Minister", q2, 1), &st);
    CHECK(rc == WS_OK && st.articles_added == 2, "second article");
    rc = ingest(s, article("https://rt.example/3", "2020-12-15", "rt.example", "Lavrov",
                           "Foreign Minister", q3, 1), &st);
    CHECK(rc == WS_OK, "third article");
    rc = ingest(s, article("https://farm.example/4", "2020-09-02", "farm.example", "Lavrov", NULL, q4, 1),
                &st);
    CHECK(rc == WS_OK && st.articles_added == 4 && st.statements_added == 5, "fourth article");
    /* idempotent: same URL; same body under another URL */
    rc = ingest(s, article("https://tass.example/1", "2020-12-10", "tass.example", "Sergey Lavrov",
                           "Foreign Minister", q1, 2), &st);
    CHECK(rc == WS_OK && st.articles_duplicate == 1 && st.articles_added == 4, "same URL skipped");
    rc = ingest(s, article("https://mirror.example/1", "2020-12-10", "mirror.example", "Sergey Lavrov",
                           "Foreign Minister", q1, 2), &st);
    CHECK(rc == WS_OK && st.articles_duplicate == 2 && st.articles_added == 4, "same body skipped");
    CHECK(stat_of(s, "articles") == 4 && stat_of(s, "statements") == 5, "counts unchanged");
    /* bad input */
    rc = ws_store_ingest_json(s, "{\"version\":1,", 13, &st);
    CHECK(rc == WS_ERR_FORMAT && st.records_failed == 1, "bad JSON");
    CHECK(strstr(ws_store_errmsg(s), "bad JSON") != NULL, "message: %s", ws_store_errmsg(s));
    rc = ws_store_ingest_json(s, "{\"title\":\"x\"}", 13, &st);
    CHECK(rc == WS_ERR_FORMAT && st.records_failed == 2, "not whosaid output");
    CHECK(strstr(ws_store_errmsg(s), "not whosaid output") != NULL, "message: %s", ws_store_errmsg(s));

    /* speakers: the three Lavrovs with a Foreign Minister title are one */
    long long a = speaker_of(s, "Sergey Lavrov");
    CHECK(a > 0 && speaker_of(s, "Sergei Lavrov") == a, "transliteration merged");
    ws_status r2;
    json_t *o = search(s, NULL, "#1", &r2);
    CHECK(json_integer_value(json_object_get(o, "total")) == 4, "speaker 1 has 4 statements");
    json_decref(o);
    CHECK(stat_of(s, "speakers") == 2, "two speakers (the farmer stays apart): %lld",
          (long long)stat_of(s, "speakers"));
    char *js = NULL;
    CHECK(ws_store_speaker(s, a, &js) == WS_OK, "speaker");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    json_t *al = json_object_get(o, "aliases");
    CHECK(json_array_size(al) == 3, "3 aliases: %zu", json_array_size(al));
    const char *rules[3] = {"new", "transliteration", "surname+title"};
    long long translit_alias = 0;
    for (size_t i = 0; i < 3 && i < json_array_size(al); i++) {
        const char *rule = json_string_value(json_object_get(json_array_get(al, i), "rule"));
        CHECK(rule && !strcmp(rule, rules[i]), "alias %zu rule %s", i, rule ? rule : "-");
        if (i == 1) translit_alias = (long long)json_integer_value(json_object_get(json_array_get(al, i), "id"));
    }
    CHECK(json_array_size(json_object_get(o, "timeline")) == 1, "one month");
    json_decref(o);

    /* quote cluster: the earlier (reuters) wording is the first */
    o = search(s, "\"change our course\"", NULL, &r2);
    CHECK(r2 == WS_OK && json_integer_value(json_object_get(o, "total")) == 2, "phrase search");
    long long cl = (long long)json_integer_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "cluster"));
    long long cl2 = (long long)json_integer_value(json_object_get(json_array_get(json_object_get(o, "results"), 1), "cluster"));
    CHECK(cl > 0 && cl == cl2, "near-duplicates share a cluster (%lld, %lld)", cl, cl2);
    json_decref(o);
    CHECK(ws_store_quote_cluster(s, cl, 0, &js) == WS_OK, "cluster");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    const char *fsite = json_string_value(json_object_get(json_object_get(json_object_get(o, "first"), "article"), "site"));
    CHECK(fsite && !strcmp(fsite, "reuters.example"), "first seen: %s", fsite ? fsite : "-");
    CHECK(json_array_size(json_object_get(o, "variants")) == 2, "two wordings");
    CHECK(json_integer_value(json_object_get(o, "sites")) == 2, "two sites");
    json_decref(o);
    CHECK(ws_store_quote_cluster(s, 99999, 0, &js) == WS_ERR_INVALID, "unknown cluster");

    /* search errors */
    o = search(s, "sanctions AND (", NULL, &r2);
    CHECK(r2 == WS_ERR_INVALID && !o, "bad FTS5 query");
    CHECK(strstr(ws_store_errmsg(s), "bad search query") != NULL, "message: %s", ws_store_errmsg(s));
    ws_search_query q;
    memset(&q, 0, sizeof q);
    q.since = "last week";
    CHECK(ws_store_search(s, &q, &js) == WS_ERR_INVALID, "bad date");
    q.since = NULL;
    q.type = "rumour";
    CHECK(ws_store_search(s, &q, &js) == WS_ERR_INVALID, "bad type");
    q.type = "direct";
    q.site = "RT.example";
    q.since = "2020-12";
    q.until = "2020-12-15";
    CHECK(ws_store_search(s, &q, &js) == WS_OK, "filters");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    CHECK(json_integer_value(json_object_get(o, "total")) == 1, "site (any case) + dates + type");
    json_decref(o);
    q.until = "2020-12-14";
    CHECK(ws_store_search(s, &q, &js) == WS_OK, "until");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    CHECK(json_integer_value(json_object_get(o, "total")) == 0, "until excludes the 15th");
    json_decref(o);

    /* article view: body and spans */
    CHECK(ws_store_article(s, 1, &js) == WS_OK, "article");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    const char *body = json_string_value(json_object_get(o, "body"));
    json_t *st0 = json_array_get(json_object_get(o, "statements"), 0);
    json_t *span = json_array_get(json_object_get(json_object_get(st0, "spans"), "content"), 0);
    json_int_t b0 = json_integer_value(json_array_get(span, 0)), b1 = json_integer_value(json_array_get(span, 1));
    CHECK(body && b1 > b0 && !strncmp(body + b0, q1[0], (size_t)(b1 - b0)), "span points into the body");
    CHECK(json_array_size(json_object_get(o, "statements")) == 2, "two statements");
    json_decref(o);
    CHECK(ws_store_article(s, 12345, &js) == WS_ERR_INVALID, "unknown article");
    /* spans outside the body are stored as null, never highlighted */
    const char *badspan =
        "{\"version\":1,\"id\":\"b\",\"url\":\"https://bad.example/span\",\"body\":\"He said so.\","
        "\"quotes\":[{\"type\":\"indirect\",\"content\":[{\"start\":3,\"end\":99}],"
        "\"cue\":{\"start\":3,\"end\":7},\"source\":{\"start\":5,\"end\":2}}],"
        "\"entities\":[],\"speakers\":[]}";
    rc = ws_store_ingest_json(s, badspan, strlen(badspan), &st);
    CHECK(rc == WS_OK, "bad spans are not fatal");
    memset(&q, 0, sizeof q);
    q.site = "bad.example";
    CHECK(ws_store_search(s, &q, &js) == WS_OK && strstr(js, "{\"content\":[null],\"cue\":[3,7],\"source\":null"),
          "spans: %.300s", js ? js : "-");
    ws_store_json_free(js);

    /* unmerge: "Sergei Lavrov" becomes its own speaker, and stays so */
    long long nsp = 0;
    CHECK(ws_store_unmerge(s, translit_alias, &nsp) == WS_OK && nsp > 0, "unmerge");
    char hash_id[32];
    snprintf(hash_id, sizeof hash_id, "#%lld", nsp);
    o = search(s, NULL, hash_id, &r2);
    const char *moved = json_string_value(json_object_get(json_array_get(json_object_get(o, "results"), 0), "content"));
    CHECK(json_integer_value(json_object_get(o, "total")) == 1 && moved && !strcmp(moved, q2[0]),
          "the alias's statement moved");
    json_decref(o);
    o = search(s, NULL, "#1", &r2);
    CHECK(json_integer_value(json_object_get(o, "total")) == 3, "speaker 1 keeps 3");
    json_decref(o);
    const char *q5[] = {"Nobody is slamming the door on talks with the United Nations"};
    rc = ingest(s, article("https://reuters.example/5", "2020-12-20", "reuters.example",
                           "Sergei Lavrov", "Russian Foreign Minister", q5, 1), &st);
    o = search(s, "slamming", NULL, &r2);
    long long who = (long long)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(o, "results"), 0), "speaker"), "id"));
    CHECK(who == nsp, "a later ingest follows the unmerged alias (%lld vs %lld)", who, nsp);
    json_decref(o);
    CHECK(ws_store_unmerge(s, 424242, NULL) == WS_ERR_INVALID, "unknown alias");

    /* speakers list */
    CHECK(ws_store_speakers(s, 10, NULL, NULL, &js) == WS_OK, "speakers");
    o = json_loads(js, 0, NULL);
    ws_store_json_free(js);
    CHECK(json_array_size(json_object_get(o, "speakers")) == 3, "3 speakers now");
    json_decref(o);
    CHECK(ws_store_speakers(s, 10, "reuters.example", "NOT", &js) == WS_ERR_INVALID, "bad topic");

    /* consistency */
    sqlite3_stmt *chk;
    sqlite3_prepare_v2(s->db, "SELECT count(*) FROM pragma_foreign_key_check", -1, &chk, NULL);
    CHECK(sqlite3_step(chk) == SQLITE_ROW && sqlite3_column_int(chk, 0) == 0, "foreign keys hold");
    sqlite3_finalize(chk);
    ws_store_close(s);
}

static void test_surname_first(void) {
    const char *db = path_in_tmp("order.db");
    ws_store *s = NULL;
    ws_store_open(db, WS_STORE_CREATE, 0, &s, NULL);
    if (!s) return;
    const char *q1[] = {"The ball is in their court now and we are waiting"};
    const char *q2[] = {"Nobody is slamming the door but the talks must be honest"};
    const char *q3[] = {"We expect a decision in January after the summit"};
    const char *q4[] = {"The vote will take place next week in the senate"};
    const char *q5[] = {"We will not support this bill in its current form"};
    ws_store_ingest_stats st = {0};
    /* the surname arrives first, the full name later absorbs it */
    ingest(s, article("u1", "2020-01-01", "a", "Lavrov", "Foreign Minister", q1, 1), &st);
    ingest(s, article("u2", "2020-01-02", "a", "Sergey Lavrov", "Russian Foreign Minister", q2, 1), &st);
    CHECK(stat_of(s, "speakers") == 1, "absorbed: %lld speakers", (long long)stat_of(s, "speakers"));
    /* two senators Smith: a lone "Smith" is ambiguous and stays apart */
    ingest(s, article("u3", "2020-01-03", "b", "Anna Smith", "Senator", q3, 1), &st);
    ingest(s, article("u4", "2020-01-04", "b", "John Smith", "Senator", q4, 1), &st);
    ingest(s, article("u5", "2020-01-05", "b", "Smith", "Senator", q5, 1), &st);
    CHECK(stat_of(s, "speakers") == 4, "ambiguous surname not merged: %lld", (long long)stat_of(s, "speakers"));
    ws_store_close(s);
}

/* ---- the writer's batch memo (speakers.c) ------------------------------ */

/* article() with the entity's gender set to g (NULL: null). */
static char *article_g(const char *url, const char *name, const char *title, const char *g,
                       const char *quote) {
    const char *q[] = {quote};
    char *js = article(url, "2021-03-01", "memo.example", name, title, q, 1);
    json_t *o = json_loads(js, 0, NULL);
    free(js);
    json_t *e = json_array_get(json_object_get(o, "entities"), 0);
    json_object_set_new(e, "gender", g ? json_string(g) : json_null());
    js = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return js;
}

/* Every row of the speaker-related tables as text (md5-like comparison). */
static char *dump_speakers(ws_store *s) {
    const char *sql[] = {"SELECT * FROM speakers ORDER BY id", "SELECT * FROM aliases ORDER BY id",
                         "SELECT * FROM entities ORDER BY id",
                         ("SELECT id, speaker_id, alias_id, entity_id, cluster_id FROM statements"
                          " ORDER BY id")};
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(1, cap);
    for (size_t k = 0; out && k < sizeof sql / sizeof *sql; k++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, sql[k], -1, &st, NULL) != SQLITE_OK) continue;
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = (const char *)sqlite3_column_text(st, c);
                int w = snprintf(out + n, cap - n, "%s%c", v ? v : "NULL",
                                 c + 1 < sqlite3_column_count(st) ? '|' : '\n');
                if (w > 0 && (size_t)w < cap - n) n += (size_t)w;
            }
        sqlite3_finalize(st);
    }
    return out;
}

/* The same objects written one batch each (no memo carried over) and in
 * one batch with a view, a merge, an unmerge and a rollback inside: the
 * same rows. The memo answers repeats (same name + title, gender set once),
 * forgets on a merge and an unmerge, and the counts a view reads inside the
 * batch are the written ones. */
static void test_batch_memo(void) {
    enum { N = 9 };
    struct {
        const char *name, *title, *gender;
    } in[N] = {
        {"Lavrov", "Foreign Minister", NULL},       /* a lone surname */
        {"Anna Petrova", "Spokeswoman", NULL},      /* no gender yet */
        {"Anna Petrova", "Spokeswoman", "female"},  /* memo hit; gender set */
        {"Anna Petrova", "Spokeswoman", "female"},  /* memo hit; gender known */
        {"Lavrov", "Foreign Minister", "male"},     /* memo hit (before the merge) */
        {"Sergey Lavrov", "Foreign Minister", "male"}, /* absorbs "Lavrov": a merge */
        {"Lavrov", "Foreign Minister", NULL},       /* after the merge: the new speaker */
        {"anna petrova", NULL, NULL},               /* another pair, same key */
        {"Anna Petrova", "Spokeswoman", NULL},
    };
    char *ref = NULL, *got = NULL;
    for (int pass = 0; pass < 2; pass++) {
        const char *db = path_in_tmp(pass ? "memo1.db" : "memo0.db");
        ws_store *s = create_store(db);
        if (!s) return;
        ws_store_ingest_stats st = {0};
        if (pass) {
            /* a rolled-back batch: its speakers and aliases are gone, and
             * so is the memo of them */
            CHECK(ws_store_begin(s) == WS_OK, "begin");
            CHECK(ingest(s, article_g("memo/rb", "Anna Petrova", "Spokeswoman", "female",
                                      "Rolled back words are never stored in this test store"),
                         &st) == WS_OK,
                  "ingest in a batch");
            CHECK(ws_store_rollback(s) == WS_OK, "rollback");
            CHECK(ws_store_begin(s) == WS_OK, "begin");
        }
        for (int i = 0; i < N; i++) {
            char url[32], quote[128];
            snprintf(url, sizeof url, "memo/%d", i);
            snprintf(quote, sizeof quote, "Statement number %d of the memo test was made on a Monday", i);
            CHECK(ingest(s, article_g(url, in[i].name, in[i].title, in[i].gender, quote), &st) == WS_OK,
                  "ingest %d: %s", i, ws_store_errmsg(s));
            if (i == 3) {
                /* a view inside the batch reads the counts so far */
                char *js = NULL;
                CHECK(ws_store_speakers(s, 10, NULL, NULL, &js) == WS_OK, "speakers view");
                json_t *o = json_loads(js ? js : "{}", 0, NULL);
                ws_store_json_free(js);
                json_t *sp = json_array_get(json_object_get(o, "speakers"), 0);
                const char *nm = json_string_value(json_object_get(sp, "name"));
                CHECK(nm && !strcmp(nm, "Anna Petrova") &&
                          json_integer_value(json_object_get(sp, "statements")) == 3,
                      "the view counts 3 statements of Anna Petrova (%s)", nm ? nm : "none");
                json_decref(o);
            }
        }
        /* unmerge the surname alias, then the same name again follows it */
        long long alias = 0, nsp = 0;
        sqlite3_stmt *q;
        sqlite3_prepare_v2(s->db, "SELECT id FROM aliases WHERE name = 'Lavrov'", -1, &q, NULL);
        if (sqlite3_step(q) == SQLITE_ROW) alias = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        CHECK(alias > 0 && ws_store_unmerge(s, alias, &nsp) == WS_OK && nsp > 0, "unmerge");
        CHECK(ingest(s, article_g("memo/after", "Lavrov", "Foreign Minister", "male",
                                  "After the unmerge this statement follows the lone surname"),
                     &st) == WS_OK,
              "ingest after the unmerge");
        if (pass) CHECK(ws_store_commit(s) == WS_OK, "commit: %s", ws_store_errmsg(s));
        sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM speakers p WHERE n_statements !="
                           " (SELECT count(*) FROM statements t WHERE t.speaker_id = p.id)",
                           -1, &q, NULL);
        CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0,
              "pass %d: every speaker's n_statements is its statements' count", pass);
        sqlite3_finalize(q);
        sqlite3_prepare_v2(s->db, "SELECT count(*) FROM speakers WHERE gender IS NULL"
                                  " AND name = 'Anna Petrova'", -1, &q, NULL);
        CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0, "gender set");
        sqlite3_finalize(q);
        if (pass) got = dump_speakers(s);
        else ref = dump_speakers(s);
        ws_store_close(s);
    }
    CHECK(ref && got && !strcmp(ref, got), "one batch with the memo = one batch an object:\n%s\n--\n%s",
          ref ? ref : "-", got ? got : "-");
    free(ref);
    free(got);
}

/* One article of 20 quotes (INSERTs of 16 + 4 rows; then one of 20 entities): a quote repeated and
 * a near-duplicate of it join the cluster made earlier in the same article,
 * whose row is written only at the end of the article (ingest.c: lookups
 * read it from memory, the UPDATE of a join writes it first). */
static void test_article_rows(void) {
    const char *db = path_in_tmp("rows.db");
    ws_store *s = create_store(db);
    if (!s) return;
    enum { N = 20 };
    char text[N][96];
    const char *q[N];
    for (int i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "Quote %d of the long article says that %c things matter a lot", i,
                 'a' + i);
        q[i] = text[i];
    }
    const char *base = "Sanctions have never made us change our course and we will not do so now";
    q[3] = base;
    q[9] = base; /* exact repeat of q[3] */
    q[15] = "Sanctions have never made us change our course and we will not do so today";
    q[18] = base; /* in the second INSERT of rows */
    ws_store_ingest_stats st = {0};
    CHECK(ingest(s, article("rows/1", "2021-05-05", "rows.example", "Ivan Rowe", NULL, q, N), &st) ==
              WS_OK && st.statements_added == N,
          "20 statements: %lld", (long long)st.statements_added);
    sqlite3_stmt *c;
    sqlite3_prepare_v2(s->db, "SELECT count(*), min(ord), max(ord), max(id) - min(id),"
                              " sum(ord = id - 1) FROM statements", -1, &c, NULL);
    CHECK(sqlite3_step(c) == SQLITE_ROW && sqlite3_column_int(c, 0) == N &&
              sqlite3_column_int(c, 1) == 0 && sqlite3_column_int(c, 2) == N - 1 &&
              sqlite3_column_int(c, 3) == N - 1 && sqlite3_column_int(c, 4) == N,
          "rows in order, ids 1..20");
    sqlite3_finalize(c);
    sqlite3_prepare_v2(s->db,
                       "SELECT c.id, c.n_statements, c.first_statement, c.first_article,"
                       " (SELECT group_concat(ord) FROM (SELECT ord FROM statements"
                       "  WHERE cluster_id = c.id ORDER BY ord))"
                       " FROM clusters c JOIN statements t ON t.cluster_id = c.id WHERE t.ord = 3",
                       -1, &c, NULL);
    int ok = sqlite3_step(c) == SQLITE_ROW;
    const char *ords = ok ? (const char *)sqlite3_column_text(c, 4) : NULL;
    CHECK(ok && sqlite3_column_int(c, 1) == 4 && sqlite3_column_int(c, 2) == 4 &&
              sqlite3_column_int(c, 3) == 1 && ords && !strcmp(ords, "3,9,15,18"),
          "one cluster of 4 (%s) first seen in statement 4", ords ? ords : "-");
    sqlite3_finalize(c);
    sqlite3_prepare_v2(s->db, "SELECT count(*), max(id), sum(n_statements) FROM clusters", -1, &c,
                       NULL);
    CHECK(sqlite3_step(c) == SQLITE_ROW && sqlite3_column_int(c, 0) == sqlite3_column_int(c, 1) &&
              sqlite3_column_int(c, 0) <= N - 3 && sqlite3_column_int(c, 2) == N,
          "clusters numbered 1..n without gaps, 20 statements in them");
    sqlite3_finalize(c);
    ws_status r;
    json_t *o = search(s, "\"things matter\"", NULL, &r);
    CHECK(r == WS_OK && json_integer_value(json_object_get(o, "total")) == N - 4,
          "the text index has the 16 other statements");
    json_decref(o);
    /* 20 entities (INSERTs of 16 + 4 rows), the 18th a speaker too */
    const char *one[] = {"A short article has many people in it and one more of them speaks"};
    char *js = article("rows/2", "2021-05-06", "rows.example", "Ivan Rowe", NULL, one, 1);
    o = json_loads(js, 0, NULL);
    free(js);
    json_t *ents = json_object_get(o, "entities");
    for (int i = 1; i < 20; i++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "e%d", i + 1);
        snprintf(name, sizeof name, "Person Number%c", 'A' + i);
        json_array_append_new(ents, json_pack("{s:s,s:s,s:s,s:[{s:i,s:i}]}", "id", id, "type",
                                              "PERSON", "name", name, "mentions", "start", i,
                                              "end", i + 3));
    }
    json_array_append_new(json_object_get(o, "speakers"),
                          json_pack("{s:s,s:s}", "entity", "e18", "name", "Person NumberR"));
    js = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    CHECK(ingest(s, js, &st) == WS_OK, "20 entities: %s", ws_store_errmsg(s));
    sqlite3_prepare_v2(s->db,
                       "SELECT count(*), max(id) - min(id), sum(ord = id - min_id),"
                       " sum(alias_id IS NOT NULL), max(CASE WHEN ord = 17 THEN mentions END)"
                       " FROM entities, (SELECT min(id) AS min_id FROM entities WHERE article_id = 2)"
                       " WHERE article_id = 2",
                       -1, &c, NULL);
    ok = sqlite3_step(c) == SQLITE_ROW;
    const char *ment = ok ? (const char *)sqlite3_column_text(c, 4) : NULL;
    CHECK(ok && sqlite3_column_int(c, 0) == 20 && sqlite3_column_int(c, 1) == 19 &&
              sqlite3_column_int(c, 2) == 20 && sqlite3_column_int(c, 3) == 2 && ment &&
              !strcmp(ment, "[[17,20]]"),
          "20 entity rows in order, 2 with aliases, mentions %s", ment ? ment : "-");
    sqlite3_finalize(c);
    sqlite3_prepare_v2(s->db, "SELECT count(*) FROM aliases a JOIN entities e ON e.alias_id = a.id"
                              " WHERE a.name = 'Person NumberR' AND e.ord = 17", -1, &c, NULL);
    CHECK(sqlite3_step(c) == SQLITE_ROW && sqlite3_column_int(c, 0) == 1,
          "the 18th entity's row has its speaker's alias");
    sqlite3_finalize(c);
    ws_store_close(s);
}

static void test_readers_and_busy(void) {
    const char *db = path_in_tmp("conc.db");
    ws_store *w = NULL, *w2 = NULL, *r = NULL;
    ws_store_open(db, WS_STORE_CREATE, 0, &w, NULL);
    if (!w) return;
    const char *q1[] = {"The situation is difficult but under control in the hospitals"};
    ws_store_ingest_stats st = {0};
    ingest(w, article("c1", "2020-01-01", "a", "Mikhail Murashko", "Health Minister", q1, 1), &st);
    CHECK(ws_store_open(db, WS_STORE_READONLY, 0, &r, NULL) == WS_OK, "reader");
    CHECK(ws_store_begin(w) == WS_OK, "batch");
    const char *q2[] = {"Vaccination will start next week in all regions of the country"};
    ingest(w, article("c2", "2020-01-02", "a", "Mikhail Murashko", "Health Minister", q2, 1), &st);
    CHECK(stat_of(r, "articles") == 1, "the reader does not see an open batch");
    /* a second writer waits 100 ms, then gets a clear busy error */
    CHECK(ws_store_open(db, WS_STORE_CREATE, 100, &w2, NULL) == WS_OK, "second writer opens");
    if (w2) {
        CHECK(ws_store_begin(w2) == WS_ERR_IO && ws_store_is_busy(w2), "second writer is busy");
        CHECK(strstr(ws_store_errmsg(w2), "locked") != NULL, "message: %s", ws_store_errmsg(w2));
    }
    CHECK(ws_store_commit(w) == WS_OK, "commit");
    CHECK(stat_of(r, "articles") == 2, "the reader sees the commit");
    CHECK(ws_store_ingest_json(r, "{}", 2, NULL) == WS_ERR_INVALID, "read-only handle refuses");
    CHECK(ws_store_wait_index(r) == WS_OK, "a reader has no text index to wait for");
    /* a rolled-back batch leaves nothing */
    ws_store_begin(w);
    const char *q3[] = {"Masks remain mandatory on public transport in the capital"};
    ingest(w, article("c3", "2020-01-03", "a", "Anna Popova", NULL, q3, 1), &st);
    ws_store_rollback(w);
    CHECK(stat_of(w, "articles") == 2 && stat_of(w, "statements") == 2, "rollback");
    ws_search_query q;
    memset(&q, 0, sizeof q);
    q.text = "masks";
    char *js = NULL;
    CHECK(ws_store_search(w, &q, &js) == WS_OK && strstr(js, "\"total\":0"), "nothing indexed");
    ws_store_json_free(js);
    ws_store_close(w2);
    ws_store_close(r);
    ws_store_close(w);
}

/* ---- schema v1 -> current, and the writer's cluster maps ------------------- */

static long long count_of(ws_store *s, const char *sql) {
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The text of the first row of sql, malloc'd; NULL if none. */
static char *text_of(ws_store *s, const char *sql) {
    sqlite3_stmt *st;
    char *out = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* What the reader thread builds from an object (ingest.c prep()), bytes
 * compared with what the code before session 6 stored for the same input:
 * mentions sorted, without repeats, any int64 (negative, the extremes, a
 * saturated and a real offset), non-objects skipped; spans with null for
 * the bad ones; pattern and resolution strings escaped again (quote,
 * backslash, control characters; \u escapes and a surrogate pair decoded to
 * UTF-8); the site from the URL, lowercased. */
static void test_prep_strings(void) {
    const char *db = path_in_tmp("prep.db");
    ws_store *s = create_store(db);
    if (!s) return;
    const char *doc =
        "{\"version\":1,\"id\":\"x1\",\"url\":\"https://Edge.Example/a\","
        "\"body\":\"He said \\\"yes\\\" to it. She said no.\",\"quotes\":[{\"type\":\"direct\","
        "\"content\":[{\"start\":9,\"end\":12},{\"start\":-1,\"end\":5},{\"start\":0,\"end\":2}],"
        "\"cue\":{\"start\":3,\"end\":7},\"source\":{\"start\":0,\"end\":2},"
        "\"addressee\":{\"start\":5,\"end\":2},\"evidence\":{\"pattern\":"
        "\"a\\\"b\\\\c\\u0001d\\u001f\\u00e9\\u20ac\\ud83d\\ude00 /end\",\"resolution\":\"tab\\there\\nnl\"}},"
        "{\"type\":\"indirect\",\"content\":[{\"text\":\"A quote with text only and no body offsets "
        "at all, eight words\"}],\"cue\":null,\"source\":{\"text\":\"Somebody\"},"
        "\"evidence\":{\"pattern\":\"\",\"resolution\":null}}],"
        "\"entities\":[{\"id\":\"e1\",\"type\":\"PERSON\",\"name\":\"He\",\"mentions\":["
        "{\"start\":7,\"end\":9},{\"start\":-3,\"end\":-1},{\"start\":7,\"end\":9},"
        "{\"start\":-9223372036854775808,\"end\":9223372036854775807},"
        "{\"start\":99999999999999999999,\"end\":3.7},{\"start\":0,\"end\":2},\"bad\",{\"end\":4}]},"
        "{\"id\":\"e2\",\"type\":\"ORG\",\"name\":\"Nobody\",\"mentions\":[]},"
        "{\"id\":\"e3\",\"type\":\"ORG\",\"name\":\"X\"}],\"speakers\":[]}";
    ws_store_ingest_stats st = {0};
    CHECK(ws_store_ingest_json(s, doc, strlen(doc), &st) == WS_OK, "edge object ingested");
    static const struct {
        const char *sql, *want;
    } rows[] = {
        {"SELECT mentions FROM entities WHERE ord = 0",
         "[[-9223372036854775808,9223372036854775807],[-3,-1],[0,2],[0,4],[7,9],"
         "[9223372036854775807,3]]"},
        {"SELECT mentions FROM entities WHERE ord = 1", "[]"},
        {"SELECT mentions FROM entities WHERE ord = 2", "[]"},
        {"SELECT spans FROM statements WHERE ord = 0",
         "{\"content\":[[9,12],null,[0,2]],\"cue\":[3,7],\"source\":[0,2],\"addressee\":null,"
         "\"pattern\":\"a\\\"b\\\\c\\u0001d\\u001f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 /end\","
         "\"resolution\":\"tab\\u0009here\\u000anl\"}"},
        {"SELECT content || '|' || cue || '|' || source FROM statements WHERE ord = 0",
         "yes \xe2\x80\xa6 He|said|He"},
        {"SELECT spans FROM statements WHERE ord = 1",
         "{\"content\":[[0,0]],\"cue\":null,\"source\":[0,0],\"addressee\":null,\"pattern\":\"\"}"},
        {"SELECT content || '|' || (cue IS NULL) || '|' || source FROM statements WHERE ord = 1",
         "A quote with text only and no body offsets at all, eight words|1|Somebody"},
        {"SELECT site FROM articles", "edge.example"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = text_of(s, rows[i].sql);
        CHECK(got && !strcmp(got, rows[i].want), "%s: got %s", rows[i].sql, got ? got : "(none)");
        free(got);
    }
    ws_store_close(s);
}

static void test_migration_and_cluster_maps(void) {
    const char *db = path_in_tmp("mig.db");
    ws_store *s = NULL, *b = NULL;
    char *msg = NULL;
    const char *qa[] = {"The talks will go on as long as both sides want them to go on"};
    const char *qb[] = {"The talks will go on as long as both sides want them to continue"};
    const char *qc[] = {"Nobody here expected the grain deal to collapse in a single week"};
    ws_store_ingest_stats st = {0};
    CHECK(ws_store_open(db, WS_STORE_CREATE, 0, &s, &msg) == WS_OK, "create: %s", msg ? msg : "");
    ws_store_json_free(msg);
    if (!s) return;
    CHECK(ingest(s, article("https://a.example/1", "2021-01-01", "a.example", "Anna Petrova",
                            "spokeswoman", qa, 1), &st) == WS_OK, "v1 article");
    /* make it a v1 store: the v1 band table and hash index, version 1 */
    CHECK(ws_store_exec(s, "CREATE TABLE cluster_bands(band INTEGER NOT NULL,"
                           " cluster_id INTEGER NOT NULL REFERENCES clusters(id),"
                           " PRIMARY KEY(band, cluster_id)) WITHOUT ROWID;"
                           "CREATE UNIQUE INDEX clusters_hash ON clusters(hash);"
                           /* v1-v4 kept the FTS5 indexes in the store */
                           "DROP TABLE store_info;"
                           "CREATE VIRTUAL TABLE statements_fts USING fts5(content,"
                           " content='statements', content_rowid='id',"
                           " tokenize='unicode61 remove_diacritics 2');"
                           "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
                           " content='articles', content_rowid='id',"
                           " tokenize='unicode61 remove_diacritics 2');"
                           "INSERT INTO statements_fts(statements_fts) VALUES('rebuild');"
                           "INSERT INTO articles_fts(articles_fts) VALUES('rebuild');"
                           "CREATE TABLE mentions(entity_id INTEGER NOT NULL REFERENCES entities(id),"
                           " start INTEGER NOT NULL, end INTEGER NOT NULL,"
                           " PRIMARY KEY(entity_id, start, end)) WITHOUT ROWID;"
                           "INSERT INTO mentions VALUES(1, 7, 19), (1, 1, 5);"
                           "ALTER TABLE entities DROP COLUMN mentions;"
                           "DROP TABLE cluster_keys;"
                           "DELETE FROM migrations WHERE version > 1;"
                           "PRAGMA user_version = 1") == WS_OK, "downgrade to v1");
    ws_store_close(s);
    s = NULL;
    char fts[600];
    snprintf(fts, sizeof fts, "%s-fts", db);
    CHECK(unlink(fts) == 0, "no FTS file before v5");
    CHECK(ws_store_open(db, WS_STORE_READONLY, 0, &s, &msg) == WS_ERR_IO && msg &&
              strstr(msg, "old schema"), "read-only open of v1 asks to migrate");
    ws_store_json_free(msg);
    msg = NULL;
    CHECK(ws_store_open(db, WS_STORE_CREATE, 0, &s, &msg) == WS_OK, "migrate: %s", msg ? msg : "");
    ws_store_json_free(msg);
    if (!s) return;
    CHECK(stat_of(s, "schema_version") == WS_STORE_SCHEMA_VERSION, "migrated to the current schema");
    CHECK(count_of(s, "SELECT count(*) FROM migrations") == ws_store_n_migrations(),
          "one migrations row per version after the migration");
    CHECK(count_of(s, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                      " ('cluster_bands', 'clusters_hash', 'mentions')") == 0,
          "v1 band table, hash index and mentions table dropped");
    CHECK(count_of(s, "SELECT count(*) FROM entities WHERE id = 1 AND mentions = '[[1,5],[7,19]]'") == 1,
          "v1 mention rows moved into entities.mentions, in order");
    CHECK(stat_of(s, "mentions") == 2, "stats count the mentions of the JSON column");
    CHECK(count_of(s, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%fts%'") == 0,
          "v5: no FTS5 table left in the store");
    CHECK(access(fts, F_OK) == 0, "v5: the FTS file is made");
    {
        ws_status rs;
        json_t *o = search(s, "talks", NULL, &rs);
        CHECK(json_integer_value(json_object_get(o, "total")) == 1,
              "v5: the v1 statement is found by text (indexed from the rows)");
        json_decref(o);
        CHECK(stat_of(s, "fts_behind") == 0 && stat_of(s, "fts_articles_behind") == 0,
              "v5: the text index caught up");
    }
    CHECK(count_of(s, "SELECT count(*) FROM cluster_keys") == 1 &&
              count_of(s, "SELECT sum(length(exact)) / 8 FROM cluster_keys") ==
                  count_of(s, "SELECT count(*) FROM clusters") &&
              count_of(s, "SELECT count(*) FROM clusters") > 0,
          "migration 6 packed every cluster's keys");
    /* a second writer handle with its maps built before the first writes */
    CHECK(ws_store_open(db, WS_STORE_CREATE, 0, &b, &msg) == WS_OK, "second writer");
    ws_store_json_free(msg);
    if (!b) {
        ws_store_close(s);
        return;
    }
    CHECK(ingest(b, article("https://b.example/1", "2021-01-02", "b.example", "Ivan Sidorov",
                            "governor", qc, 1), &st) == WS_OK, "second writer's first article");
    /* the first handle's near-duplicate of the v1 quote joins the v1 cluster */
    CHECK(ingest(s, article("https://a.example/2", "2021-01-03", "a.example", "Anna Petrova",
                            "spokeswoman", qb, 1), &st) == WS_OK, "near duplicate after migration");
    CHECK(count_of(s, "SELECT count(*) FROM clusters") == 2 &&
              count_of(s, "SELECT max(n_statements) FROM clusters") == 2,
          "near duplicate found from the migrated clusters");
    /* the second handle sees the first handle's cluster (refresh at begin) */
    CHECK(ingest(b, article("https://b.example/2", "2021-01-04", "b.example", "Ivan Sidorov",
                            "governor", qa, 1), &st) == WS_OK, "exact repeat from the other writer");
    CHECK(count_of(b, "SELECT count(*) FROM clusters") == 2 &&
              count_of(b, "SELECT max(n_statements) FROM clusters") == 3,
          "exact repeat joins the cluster another handle made");
    /* a rolled-back cluster is forgotten */
    const char *qd[] = {"Every single one of these numbers was checked twice by our own staff"};
    CHECK(ws_store_begin(b) == WS_OK, "begin");
    CHECK(ingest(b, article("https://b.example/3", "2021-01-05", "b.example", "Ivan Sidorov",
                            "governor", qd, 1), &st) == WS_OK, "article in a batch");
    CHECK(ws_store_rollback(b) == WS_OK, "rollback");
    CHECK(ingest(b, article("https://b.example/3", "2021-01-05", "b.example", "Ivan Sidorov",
                            "governor", qd, 1), &st) == WS_OK, "same article again");
    CHECK(count_of(b, "SELECT count(*) FROM statements s LEFT JOIN clusters c ON c.id = s.cluster_id"
                      " WHERE s.cluster_id IS NOT NULL AND c.id IS NULL") == 0 &&
              count_of(b, "SELECT count(*) FROM clusters") == 3,
          "no statement points to a rolled-back cluster");
    /* two writer handles, two indexer threads: every statement indexed once */
    {
        ws_status rs;
        CHECK(ws_store_wait_index(s) == WS_OK, "indexer done: %s", ws_store_errmsg(s));
        CHECK(ws_store_wait_index(b) == WS_OK, "indexer done: %s", ws_store_errmsg(b));
        json_t *o = search(s, "talks", NULL, &rs);
        CHECK(rs == WS_OK && json_integer_value(json_object_get(o, "total")) == 3,
              "text search over both writers' batches");
        json_decref(o);
        o = search(b, "numbers", NULL, &rs);
        CHECK(rs == WS_OK && json_integer_value(json_object_get(o, "total")) == 1,
              "a rolled-back batch's text is not indexed, its redo is, once");
        json_decref(o);
        /* statements_fts keeps no column sizes (FTS format 2): its rows are
         * read from the index itself, each token (term, row, offset) once */
        CHECK(sqlite3_exec(b->db,
                           "CREATE VIRTUAL TABLE temp.stv USING"
                           " fts5vocab(fts, statements_fts, instance)",
                           NULL, NULL, NULL) == SQLITE_OK,
              "fts5vocab over the statements' index");
        CHECK(count_of(b, "SELECT count(DISTINCT doc) FROM temp.stv") ==
                  count_of(b, "SELECT count(*) FROM statements"),
              "every statement in the index");
        CHECK(count_of(b, "SELECT count(*) FROM (SELECT 1 FROM temp.stv"
                          " GROUP BY term, doc, col, offset HAVING count(*) > 1)") == 0,
              "no statement indexed twice");
        CHECK(count_of(b, "SELECT count(*) FROM temp.stv WHERE doc NOT IN"
                          " (SELECT id FROM statements)") == 0,
              "no index row without its statement");
        sqlite3_exec(b->db, "DROP TABLE temp.stv", NULL, NULL, NULL);
    }
    ws_store_close(b);
    ws_store_close(s);
}

/* ---- cluster keys: reopened writers, fingerprint collisions, the window ---- */

/* A 25-word quote: base i, with word `changed` (0..24) replaced when >= 0. */
static void make_quote(char *out, size_t n, unsigned i, int changed) {
    static const char *const words[] = {
        "the", "minister", "said", "grain", "deal", "talks", "border", "army", "people",
        "will", "never", "accept", "terms", "government", "sanctions", "peace", "war",
        "week", "month", "city", "region", "price", "gas", "oil", "election", "vote",
        "court", "law", "police", "water", "school", "market", "bank", "union", "strike",
        "farmers", "workers", "doctors", "fuel", "bread"};
    unsigned r = i * 2654435761u + 12345u;
    out[0] = 0;
    for (int w = 0; w < 25; w++) {
        r = r * 1103515245u + 12345u;
        const char *word = words[(r >> 16) % (sizeof words / sizeof *words)];
        char alt[32];
        if (w == changed) {
            snprintf(alt, sizeof alt, "changed%u", i);
            word = alt;
        }
        if (strlen(out) + strlen(word) + 2 >= n) break;
        if (w) strcat(out, " ");
        strcat(out, word);
    }
}

#define CK_ARTICLES 90
/* Article k's 3 quotes: exact repeats, one-word variants and fresh quotes
 * of 12 base quotes (deterministic). */
static char *ck_article(int k) {
    static char q[3][512];
    const char *qs[3];
    for (int j = 0; j < 3; j++) {
        unsigned r = (unsigned)(k * 3 + j) * 7919u + 17u;
        int kind = (int)(r % 3);
        unsigned base = (r / 3) % 12;
        if (kind == 2) base = 1000 + (unsigned)(k * 3 + j); /* a fresh quote */
        make_quote(q[j], sizeof q[j], base, kind == 1 ? (int)((r / 7) % 25) : -1);
        qs[j] = q[j];
    }
    char url[64], date[16];
    snprintf(url, sizeof url, "https://ck.example/%d", k);
    snprintf(date, sizeof date, "2021-02-%02d", 1 + k % 28);
    return article(url, date, "ck.example", "Anna Petrova", "spokeswoman", qs, 3);
}

/* The cluster ids of all statements, in statement order, as text. */
static char *cluster_list(ws_store *s) {
    sqlite3_stmt *q;
    char *out = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT group_concat(coalesce(cluster_id, 0), ',') FROM"
                           " (SELECT cluster_id FROM statements ORDER BY id)",
                           -1, &q, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        out = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return out;
}

/* Builds a store of the CK articles: mask (fingerprint bits compared),
 * reopen (a new writer handle for each article) or one batch for all. */
static char *ck_store(const char *name, uint32_t mask, unsigned scan_limit, int reopen,
                      long long *nkeys) {
    const char *db = path_in_tmp(name);
    ws_store *s = NULL;
    ws_store_ingest_stats st = {0};
    char *msg = NULL, *list = NULL;
    int ok = 1;
    for (int k = 0; k < CK_ARTICLES && ok; k++) {
        if (!s) {
            ok = ws_store_open(db, WS_STORE_CREATE, 0, &s, &msg) == WS_OK;
            ws_store_json_free(msg);
            msg = NULL;
            if (!ok) break;
            ok = ws_clx_set_test(s, mask, scan_limit) == 0 && (reopen || ws_store_begin(s) == WS_OK);
        }
        ok = ok && ingest(s, ck_article(k), &st) == WS_OK;
        if (reopen || k == CK_ARTICLES - 1) {
            if (!reopen) ok = ok && ws_store_commit(s) == WS_OK;
            if (k == CK_ARTICLES - 1) {
                list = cluster_list(s);
                *nkeys = count_of(s, "SELECT sum(length(exact)) / 8 FROM cluster_keys");
            }
            ws_store_close(s);
            s = NULL;
        }
    }
    ws_store_close(s);
    CHECK(ok, "%s: built", name);
    return list;
}

static void test_cluster_keys(void) {
    long long n_one = 0, n_re = 0, n_c3 = 0, n_c0 = 0;
    /* one writer, scans then maps (after 100 scans); a writer per
     * article (scans only); 2-bit fingerprints, maps at once; 0-bit
     * fingerprints, scans only, one writer */
    char *one = ck_store("ck-one.db", UINT32_MAX, 100, 0, &n_one);
    char *re = ck_store("ck-reopen.db", UINT32_MAX, 512, 1, &n_re);
    char *c3 = ck_store("ck-fp2.db", 3, 0, 1, &n_c3);
    char *c0 = ck_store("ck-fp0.db", 0, UINT_MAX, 0, &n_c0);
    CHECK(one && re && !strcmp(one, re), "a writer reopened for each article gives the same clusters"
          " as one kept open");
    CHECK(one && c3 && !strcmp(one, c3), "2-bit fingerprints (collisions verified) give the same clusters");
    CHECK(one && c0 && !strcmp(one, c0), "0-bit fingerprints (every key collides) give the same clusters");
    ws_store *s = NULL;
    char *msg = NULL;
    CHECK(ws_store_open(path_in_tmp("ck-reopen.db"), 0, 0, &s, &msg) == WS_OK, "open");
    ws_store_json_free(msg);
    if (s) {
        long long ncl = count_of(s, "SELECT count(*) FROM clusters");
        long long nst = count_of(s, "SELECT count(*) FROM statements");
        /* exact repeats and near duplicates joined: fewer clusters than
         * distinct texts */
        long long texts = count_of(s, "SELECT count(DISTINCT content) FROM statements");
        CHECK(ncl > 12 && ncl < texts && texts < nst, "clusters %lld, texts %lld, statements %lld",
              ncl, texts, nst);
        CHECK(n_one == ncl && n_re == ncl && n_c3 == ncl && n_c0 == ncl,
              "every cluster's keys stored once (%lld %lld %lld %lld of %lld)", n_one, n_re, n_c3,
              n_c0, ncl);
        /* one-article commits: the small rows are merged into one */
        CHECK(count_of(s, "SELECT count(*) FROM cluster_keys") == 1, "small rows merged");
        ws_store_close(s);
    }
    /* damaged cluster_keys (a BLOB of the wrong length; entries missing):
     * rebuilt from the clusters rows, an exact repeat still found */
    const char *const damage[2] = {"UPDATE cluster_keys SET exact = x'010203'",
                                   "UPDATE cluster_keys SET exact = substr(exact, 1, 16)"};
    for (int d = 0; d < 2; d++) {
        const char *ddb = path_in_tmp(d ? "ck-dmg1.db" : "ck-dmg0.db");
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path_in_tmp("ck-reopen.db"), ddb);
        ws_store *w = NULL;
        ws_store_ingest_stats st = {0};
        CHECK(system(cmd) == 0 && ws_store_open(ddb, WS_STORE_CREATE, 0, &w, &msg) == WS_OK,
              "copy and open");
        ws_store_json_free(msg);
        msg = NULL;
        if (!w) continue;
        long long before = count_of(w, "SELECT count(*) FROM clusters");
        long long first = count_of(w, "SELECT cluster_id FROM statements WHERE id = 1");
        char q0[512];
        make_quote(q0, sizeof q0, 1000, -1); /* article 0's first quote is fresh: base 1000 */
        const char *qs[] = {q0};
        CHECK(ws_store_exec(w, damage[d]) == WS_OK &&
                  ingest(w, article("https://dmg.example/1", "2021-04-01", "dmg.example",
                                    "Ivan Sidorov", NULL, qs, 1), &st) == WS_OK,
              "ingest after damage %d: %s", d, ws_store_errmsg(w));
        long long again = count_of(w, "SELECT cluster_id FROM statements WHERE id ="
                                      " (SELECT max(id) FROM statements)");
        CHECK(count_of(w, "SELECT count(*) FROM clusters") == before && again == first,
              "damage %d: the exact repeat joins cluster %lld (%lld)", d, first, again);
        CHECK(count_of(w, "SELECT sum(length(exact)) / 8 FROM cluster_keys") == before,
              "damage %d: cluster_keys rebuilt", d);
        ws_store_close(w);
    }
    /* two writers taking turns, one on maps and one scanning: each takes
     * in the other's clusters at its next batch */
    ws_store *wa = NULL, *wb = NULL;
    const char *twodb = path_in_tmp("ck-two.db");
    CHECK(ws_store_open(twodb, WS_STORE_CREATE, 0, &wa, &msg) == WS_OK, "writer a");
    ws_store_json_free(msg);
    msg = NULL;
    CHECK(ws_store_open(twodb, WS_STORE_CREATE, 0, &wb, &msg) == WS_OK, "writer b");
    ws_store_json_free(msg);
    msg = NULL;
    if (wa && wb) {
        ws_store_ingest_stats st = {0};
        int ok = ws_clx_set_test(wa, UINT32_MAX, 0) == 0 && ws_clx_set_test(wb, 7, UINT_MAX) == 0;
        for (int k = 0; k < CK_ARTICLES && ok; k++)
            ok = ingest(k % 3 == 1 ? wb : wa, ck_article(k), &st) == WS_OK;
        char *two = cluster_list(wa);
        CHECK(ok && one && two && !strcmp(one, two),
              "two writers taking turns (maps and scans) give the same clusters");
        free(two);
    }
    ws_store_close(wa);
    ws_store_close(wb);
    free(one);
    free(re);
    free(c3);
    free(c0);

    /* the near-duplicate window: 2 clusters */
    char qx[512], qx1[512], qy[4][512];
    make_quote(qx, sizeof qx, 7, -1);
    make_quote(qx1, sizeof qx1, 7, 0);
    for (unsigned i = 0; i < 4; i++) make_quote(qy[i], sizeof qy[i], 500 + i, -1);
    long long near_id[2] = {0, 0}, exact_id[2] = {0, 0}, first_id[2] = {0, 0};
    for (int w = 0; w < 2; w++) {
        const char *db = path_in_tmp(w ? "win2.db" : "windef.db");
        ws_store_ingest_stats st = {0};
        CHECK(ws_store_open(db, WS_STORE_CREATE, 0, &s, &msg) == WS_OK, "open");
        ws_store_json_free(msg);
        if (!s) return;
        CHECK(ws_store_set_near_window(s, w ? 2 : 0) == WS_OK, "set window");
        const char *q1[] = {qx}, *q2[] = {qy[0], qy[1], qy[2], qy[3]}, *q3[] = {qx1}, *q4[] = {qx};
        CHECK(ingest(s, article("https://w.example/1", "2021-03-01", "w.example", "Anna Petrova",
                                NULL, q1, 1), &st) == WS_OK &&
                  ingest(s, article("https://w.example/2", "2021-03-02", "w.example", "Anna Petrova",
                                    NULL, q2, 4), &st) == WS_OK &&
                  ingest(s, article("https://w.example/3", "2021-03-03", "w.example", "Anna Petrova",
                                    NULL, q3, 1), &st) == WS_OK &&
                  ingest(s, article("https://w.example/4", "2021-03-04", "w.example", "Ivan Sidorov",
                                    NULL, q4, 1), &st) == WS_OK,
              "window articles");
        first_id[w] = count_of(s, "SELECT cluster_id FROM statements WHERE id = 1");
        near_id[w] = count_of(s, "SELECT cluster_id FROM statements WHERE id = 6");
        exact_id[w] = count_of(s, "SELECT cluster_id FROM statements WHERE id = 7");
        CHECK(ws_store_begin(s) == WS_OK && ws_store_set_near_window(s, 5) == WS_ERR_INVALID &&
                  ws_store_rollback(s) == WS_OK,
              "the window is not changed inside a batch");
        ws_store_close(s);
        s = NULL;
    }
    CHECK(first_id[0] == 1 && near_id[0] == 1 && exact_id[0] == 1,
          "default window: the near duplicate and the repeat join (%lld %lld %lld)", first_id[0],
          near_id[0], exact_id[0]);
    CHECK(first_id[1] == 1 && near_id[1] == 6 && exact_id[1] == 1,
          "window of 2: the near duplicate of an old cluster starts one, the exact repeat joins"
          " (%lld %lld %lld)", first_id[1], near_id[1], exact_id[1]);
}

/* ---- a file through the reader thread's ring ------------------------------ */

typedef struct progress_log {
    int calls, decreasing, zero;
    uint64_t last;
    long long added_at_last;
} progress_log;

static void on_progress(void *ud, const ws_store_ingest_stats *st, uint64_t bytes) {
    progress_log *l = ud;
    if (bytes < l->last) l->decreasing++;
    if (!bytes) l->zero++;
    l->last = bytes;
    l->added_at_last = st->articles_added;
    l->calls++;
}

/* More lines than the ring has slots (64), so that both threads fill, drain
 * and wake each other, with empty lines and a bad line among them; the
 * articles must be written in file order and the progress callback see the
 * input offset of each committed batch, ending at the file's size. */
static void test_ingest_file_ring(void) {
    const char *db = path_in_tmp("ring.db"), *in = path_in_tmp("ring.jsonl");
    FILE *f = fopen(in, "w");
    CHECK(f != NULL, "cannot write %s", in);
    if (!f) return;
    enum { N = 203, BAD = 101 };
    for (int i = 0; i < N; i++) {
        char url[64], quote[128];
        snprintf(url, sizeof url, "https://ring.example/%03d", i);
        snprintf(quote, sizeof quote, "Number %d of the ring test was said on a quiet day here", i);
        const char *q[] = {quote};
        char *js = article(url, "2021-01-05", "ring.example", "Anna Ringer", NULL, q, 1);
        if (i == BAD) fputs("{\"version\": 1, \"quotes\": [}\n", f);
        else fprintf(f, "%s\n", js);
        if (i % 50 == 7) fputs("\n\r\n", f); /* empty lines are skipped */
        free(js);
    }
    long size = ftell(f);
    fclose(f);
    ws_store *s = create_store(db);
    if (!s) return;
    ws_status rc;
    progress_log log = {0};
    ws_store_set_progress(s, on_progress, &log);
    ws_store_ingest_stats st = {0};
    rc = ws_store_ingest_file(s, in, 7, &st);
    CHECK(rc == WS_OK, "ingest_file: %s", ws_store_errmsg(s));
    CHECK(st.articles_added == N - 1 && st.records_failed == 1 && st.statements_added == N - 1,
          "added %lld, failed %lld, statements %lld", (long long)st.articles_added,
          (long long)st.records_failed, (long long)st.statements_added);
    CHECK(strstr(ws_store_errmsg(s), "line 102") != NULL, "the bad line is named: %s",
          ws_store_errmsg(s));
    /* N lines in batches of 7, then the final call */
    CHECK(log.calls == (N + 6) / 7 + 1, "progress calls %d", log.calls);
    CHECK(!log.decreasing && !log.zero && log.last == (uint64_t)size,
          "progress offsets: %d decreasing, %d zero, last %llu of %ld", log.decreasing, log.zero,
          (unsigned long long)log.last, size);
    CHECK(log.added_at_last == N - 1, "the last progress call has every article");
    sqlite3_stmt *q;
    sqlite3_prepare_v2(s->db, "SELECT count(*) FROM articles a JOIN articles b ON b.id = a.id + 1"
                              " WHERE b.url < a.url", -1, &q, NULL);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0, "file order");
    sqlite3_finalize(q);
    char fts_path[600];
    snprintf(fts_path, sizeof fts_path, "%s-fts", db);
    sqlite3 *fdb = NULL;
    int psz = 0;
    if (sqlite3_open_v2(fts_path, &fdb, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(fdb, "PRAGMA page_size", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) psz = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(fdb);
    CHECK(psz == 16384, "a new text index file has 16 KiB pages (%d)", psz);
    /* again: every article is a duplicate, nothing added */
    ws_store_ingest_stats st2 = {0};
    rc = ws_store_ingest_file(s, in, 0, &st2);
    CHECK(rc == WS_OK && st2.articles_duplicate == N - 1 && !st2.articles_added,
          "second run: %lld duplicates", (long long)st2.articles_duplicate);
    ws_store_close(s);
}

/* The WAL frames after each commit, as the writer's WAL hook saw them. */
typedef struct wal_log {
    ws_store *s;
    int commits, restarts, max_frames, last;
} wal_log;

static void on_commit(void *ud, const ws_store_ingest_stats *st, uint64_t bytes) {
    (void)st;
    (void)bytes;
    wal_log *l = ud;
    int n = l->s->wal_frames;
    if (n < l->last) l->restarts++;
    if (n > l->max_frames) l->max_frames = n;
    l->last = n;
    l->commits++;
}

static int count_rows(sqlite3 *db, const char *sql) {
    sqlite3_stmt *q = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Ingests N articles in batches of 5 through a writer whose checkpoints
 * are asked for every 3 frames and whose WAL is bounded at 24 (instead of
 * 40 MB and 320 MB); a reader holding a snapshot (hold) keeps the WAL from
 * starting again, and must not make the writer wait for ever. */
static void checkpointer_run(const char *name, int hold, wal_log *log, int *articles) {
    const char *db = path_in_tmp(name);
    char in[600];
    snprintf(in, sizeof in, "%s.jsonl", db);
    FILE *f = fopen(in, "w");
    CHECK(f != NULL, "cannot write %s", in);
    if (!f) return;
    enum { N = 120 };
    for (int i = 0; i < N; i++) {
        char url[64], quote[160];
        snprintf(url, sizeof url, "https://ckpt.example/%s/%03d", name, i);
        snprintf(quote, sizeof quote, "Checkpoint number %d was taken on its own thread %s", i, name);
        const char *q[] = {quote};
        char *js = article(url, "2022-02-02", "ckpt.example", "Cora Point", NULL, q, 1);
        fprintf(f, "%s\n", js);
        free(js);
    }
    fclose(f);
    ws_store *s = create_store(db);
    if (!s) return;
    ws_status rc;
    CHECK(s->ckpt != NULL, "%s: a writer on a WAL file has a checkpoint thread", name);
    s->checkpoint_pages = 3; /* and so a bound of 8 x 3 = 24 frames */
    sqlite3 *r = NULL;
    if (hold) { /* a reader in a read transaction for the whole ingest */
        sqlite3_open_v2(db, &r, SQLITE_OPEN_READONLY, NULL);
        sqlite3_exec(r, "BEGIN", NULL, NULL, NULL);
        CHECK(count_rows(r, "SELECT count(*) FROM articles") == 0, "the reader's snapshot");
    }
    memset(log, 0, sizeof *log);
    log->s = s;
    ws_store_set_progress(s, on_commit, log);
    ws_store_ingest_stats st = {0};
    rc = ws_store_ingest_file(s, in, 5, &st);
    CHECK(rc == WS_OK && st.articles_added == N, "%s: ingest %s, %lld added", name,
          ws_store_errmsg(s), (long long)st.articles_added);
    /* the final checkpoint (ws_store_wait_index) empties the WAL, or, with
     * a reader's snapshot on old frames, gives up without waiting for the
     * 5 s busy timeout */
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(ws_store_wait_index(s) == WS_OK, "%s: wait for the index: %s", name, ws_store_errmsg(s));
    ws_ckpt_wait(s->ckpt);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct stat wb;
    int have_wal = stat(wal, &wb) == 0;
    if (!hold)
        CHECK(have_wal && wb.st_size == 0, "%s: the final checkpoint left an empty WAL (%lld bytes)",
              name, have_wal ? (long long)wb.st_size : -1LL);
    else {
        double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        CHECK(have_wal && wb.st_size > 0, "%s: a held snapshot keeps the WAL's frames", name);
        CHECK(waited < 2.5, "%s: the final checkpoint gave up at once (%.2f s)", name, waited);
    }
    if (r) {
        CHECK(count_rows(r, "SELECT count(*) FROM articles") == 0, "the reader's snapshot holds");
        sqlite3_exec(r, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(r);
    }
    ws_store_close(s);
    CHECK(access(wal, F_OK) != 0, "%s: the WAL is gone after the close", name);
    sqlite3 *c = NULL;
    sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL);
    *articles = count_rows(c, "SELECT count(*) FROM articles");
    CHECK(count_rows(c, "SELECT count(*) FROM statements") == N, "%s: every statement", name);
    sqlite3_stmt *q = NULL;
    int ok = sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW &&
             !strcmp((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    CHECK(ok, "%s: integrity_check", name);
    sqlite3_close(c);
}

static void test_checkpointer(void) {
    wal_log log;
    int n = 0;
    checkpointer_run("ckpt.db", 0, &log, &n);
    CHECK(n == 120, "every article (%d)", n);
    CHECK(log.commits >= 24, "one progress call per batch (%d)", log.commits);
    /* the WAL starts again after the writer waited for a checkpoint, and
     * never holds much more than the bound plus one batch */
    CHECK(log.restarts >= 2, "the WAL restarted %d times", log.restarts);
    CHECK(log.max_frames < 24 + 60, "at most %d frames in the WAL", log.max_frames);
    checkpointer_run("ckpt-held.db", 1, &log, &n);
    CHECK(n == 120, "every article with a reader holding a snapshot (%d)", n);
    CHECK(log.restarts == 0 && log.max_frames > 24 + 60,
          "a held snapshot keeps the WAL growing (%d restarts, %d frames), without a hang",
          log.restarts, log.max_frames);
}

/* ---- row ids: the tables give them, the writer checks they are its own ---- */

/* Statements, entities and new clusters are inserted without their ids
 * (a seek less per row); the table's id must be the one the writer gave
 * (max + 1 at the batch's begin, in order). A row slipped in behind the
 * writer's back breaks that: the batch fails with a message and is rolled
 * back, and the next batch starts from the table again. */
/* One batch of one article with one quote of Anna Petrova's: 1 if it
 * committed. */
static int batch_of_one(ws_store *s, const char *url, const char *quote) {
    ws_store_ingest_stats st = {0};
    return ws_store_begin(s) == WS_OK &&
           ingest(s, article_g(url, "Anna Petrova", "Spokeswoman", "female", quote), &st) ==
               WS_OK &&
           ws_store_commit(s) == WS_OK;
}

static void test_row_ids(void) {
    const char *db = path_in_tmp("rowids.db");
    ws_store *s = create_store(db);
    if (!s) return;
    ws_store_ingest_stats st = {0};
    static const char *const q2 = "The second statement of the row id test was made on a Tuesday";
    CHECK(batch_of_one(s, "ids/1", "The first statement of the row id test was made on a Monday"),
          "first batch: %s", ws_store_errmsg(s));
    long long n0 = count_of(s, "SELECT count(*) FROM statements");
    CHECK(n0 >= 1 && count_of(s, "SELECT max(id) FROM statements") == n0 &&
              count_of(s, "SELECT max(id) FROM entities") ==
                  count_of(s, "SELECT count(*) FROM entities") &&
              count_of(s, "SELECT max(id) FROM clusters") ==
                  count_of(s, "SELECT count(*) FROM clusters"),
          "ids 1..n in each table");
    CHECK(ws_store_begin(s) == WS_OK, "begin");
    CHECK(sqlite3_exec(s->db,
                       "INSERT INTO statements(id, article_id, ord, type, content, spans)"
                       " SELECT max(id) + 5, 1, 99, 'direct', 'slipped in', '{}' FROM statements",
                       NULL, NULL, NULL) == SQLITE_OK,
          "a row behind the writer's back: %s", sqlite3_errmsg(s->db));
    ws_status rc = ingest(s, article_g("ids/2", "Anna Petrova", "Spokeswoman", "female", q2), &st);
    CHECK(rc == WS_ERR_IO && strstr(ws_store_errmsg(s), "statement rows: id"),
          "the id out of step fails the article: %d %s", (int)rc, ws_store_errmsg(s));
    CHECK(ws_store_rollback(s) == WS_ERR_INVALID, "the failure rolled the batch back");
    CHECK(count_of(s, "SELECT count(*) FROM statements") == n0, "nothing of the batch stays");
    CHECK(batch_of_one(s, "ids/2", q2), "the next batch: %s", ws_store_errmsg(s));
    CHECK(count_of(s, "SELECT count(*) FROM statements") > n0 &&
              count_of(s, "SELECT max(id) FROM statements") ==
                  count_of(s, "SELECT count(*) FROM statements"),
          "ids still 1..n");
    ws_store_close(s);
}

int main(void) {
    if (store_tmp_make("store")) return 1;
    test_keys();
    test_signatures();
    test_open_errors();
    test_ingest_and_merge();
    test_surname_first();
    test_batch_memo();
    test_article_rows();
    test_readers_and_busy();
    test_prep_strings();
    test_migration_and_cluster_maps();
    test_cluster_keys();
    test_ingest_file_ring();
    test_checkpointer();
    test_row_ids();
    store_tmp_remove();
    return TEST_REPORT();
}
