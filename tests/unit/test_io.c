/* test_io.c - readers, the gzip stream, charsets and articles (src/io/,
 * src/article/article.c) through their public and internal APIs. */
#include "harness.h"

#include "../../src/io/io.h"
#include "whosaid.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* gzip of data as one member, appended to out. */
static void gz_member(ws_bytes *out, const char *data, size_t n) {
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, n) + 64;
    ws_bytes_reserve(out, cap);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)out->p + out->n;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    out->n += cap - z.avail_out;
    deflateEnd(&z);
}

static char *warc_rec(const char *type, const char *id, const char *http, size_t *n) {
    size_t hn = strlen(http);
    char *p = malloc(hn + 512);
    int k = snprintf(p, 512,
                     "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
                     "WARC-Target-URI: http://x.test/%s\r\nContent-Length: %zu\r\n\r\n",
                     type, id, id, hn);
    memcpy(p + k, http, hn);
    memcpy(p + k + hn, "\r\n\r\n", 4);
    *n = (size_t)k + hn + 4;
    return p;
}

static const char *PAGE =
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    "<html><head><title>T</title></head><body><p>Smith said \"yes\".</p></body></html>";

static void test_names(void) {
    ws_format f;
    CHECK(ws_format_parse("warc", &f) == WS_OK && f == WS_FORMAT_WARC, "parse warc");
    CHECK(ws_format_parse("nope", &f) == WS_ERR_INVALID, "unknown format");
    CHECK(!strcmp(ws_format_name(WS_FORMAT_JSONL), "jsonl"), "name jsonl");
    CHECK(!strcmp(ws_skip_name(WS_SKIP_HTTP_STATUS), "http-status"), "skip name");
    CHECK(!strcmp(ws_skip_name(WS_SKIP_COUNT), "unknown"), "skip name out of range");
}

static void test_charset(void) {
    char *out = NULL, used[32];
    size_t n = 0;
    /* "Привет" in windows-1251 and KOI8-R */
    const char cp[] = "\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0, \xfd\xf2\xee \xf2\xe5\xf1\xf2 "
                      "\xed\xe0 \xf0\xf3\xf1\xf1\xea\xee\xec \xff\xe7\xfb\xea\xe5";
    const char koi[] = "\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2, \xdc\xd4\xcf \xd4\xc5\xd3\xd4 "
                       "\xce\xc1 \xd2\xd5\xd3\xd3\xcb\xcf\xcd \xd1\xda\xd9\xcb\xc5";
    CHECK(!strcmp(ws_charset_detect((const unsigned char *)cp, strlen(cp)), "WINDOWS-1251"),
          "detect cp1251: %s", ws_charset_detect((const unsigned char *)cp, strlen(cp)));
    CHECK(!strcmp(ws_charset_detect((const unsigned char *)koi, strlen(koi)), "KOI8-R"),
          "detect koi8-r: %s", ws_charset_detect((const unsigned char *)koi, strlen(koi)));
    CHECK(ws_charset_to_utf8(cp, strlen(cp), NULL, 0, &out, &n, used) == WS_OK, "convert");
    CHECK(out && !strncmp(out, "Привет мир", strlen("Привет мир")), "cp1251 text: %s", out);
    free(out);
    CHECK(ws_charset_to_utf8(koi, strlen(koi), "koi8-r", 0, &out, &n, used) == WS_OK, "koi");
    CHECK(out && !strncmp(out, "Привет мир", strlen("Привет мир")) && !strcmp(used, "KOI8-R"),
          "koi8 text: %s (%s)", out, used);
    free(out);
    /* latin1 label means windows-1252: 0x93/0x94 are curly quotes */
    CHECK(ws_charset_to_utf8("\x93ok\x94 caf\xe9", 9, "ISO-8859-1", 0, &out, &n, used) == WS_OK, "1252");
    CHECK(out && !strcmp(out, "\xe2\x80\x9cok\xe2\x80\x9d caf\xc3\xa9"), "1252 text: %s", out);
    free(out);
    /* invalid UTF-8: one U+FFFD per bad byte, valid text unchanged */
    const char bad[] = "a\xe2\x80\x9c" "b\xe2\x80\x9d \xff\xc0z \xe2\x82";
    CHECK(ws_charset_to_utf8(bad, sizeof bad - 1, "utf-8", 1, &out, &n, used) == WS_OK, "bad");
    CHECK(out && !strcmp(out, "a\xe2\x80\x9c" "b\xe2\x80\x9d \xef\xbf\xbd\xef\xbf\xbdz "
                              "\xef\xbf\xbd\xef\xbf\xbd"),
          "U+FFFD: %s", out);
    free(out);
    /* BOM wins over the declared charset, and is dropped */
    CHECK(ws_charset_to_utf8("\xef\xbb\xbfhi \xc3\xa9", 8, "windows-1251", 1, &out, &n, used) == WS_OK
              && !strcmp(out, "hi \xc3\xa9") && n == 5,
          "BOM: %s", out);
    free(out);
    /* <meta> prescan */
    char name[32];
    const char *html = "<html><head><META http-equiv=\"Content-Type\" "
                       "content=\"text/html; charset=Windows-1251\"></head>";
    CHECK(ws_charset_prescan((const unsigned char *)html, strlen(html), name) &&
              !strcmp(name, "Windows-1251"),
          "prescan: %s", name);
    /* an unknown label falls back to detection */
    CHECK(ws_charset_to_utf8("plain", 5, "x-no-such-charset", 0, &out, &n, used) == WS_OK &&
              !strcmp(out, "plain"),
          "unknown label");
    free(out);
    /* empty input */
    CHECK(ws_charset_to_utf8("", 0, NULL, 1, &out, &n, used) == WS_OK && n == 0 && out, "empty");
    free(out);
}

static int count_records(ws_reader *r, ws_reader_stats *st, char ids[][64], int max) {
    ws_record rec;
    int k = 0;
    ws_status s;
    while ((s = ws_reader_next(r, &rec)) != WS_DONE) {
        if (s != WS_OK) continue;
        if (k < max) snprintf(ids[k], 64, "%s", rec.id);
        k++;
    }
    ws_reader_stats_get(r, st);
    return k;
}

static void test_warc_mem(void) {
    ws_bytes gz = {NULL, 0, 0}, plain = {NULL, 0, 0};
    const char *types[] = {"warcinfo", "request", "response", "response", "metadata", "response"};
    const char *https[] = {"x: y\r\n", "GET / HTTP/1.1\r\n\r\n", PAGE,
                           "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html></html>",
                           "a: b\r\n",
                           "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff"};
    char id[8];
    for (int i = 0; i < 6; i++) {
        size_t n;
        snprintf(id, sizeof id, "r%d", i);
        char *rec = warc_rec(types[i], id, https[i], &n);
        gz_member(&gz, rec, n);
        ws_bytes_add(&plain, rec, n);
        free(rec);
    }
    /* one more good record */
    size_t n;
    char *rec = warc_rec("response", "last", PAGE, &n);
    gz_member(&gz, rec, n);
    ws_bytes_add(&plain, rec, n);
    free(rec);
    for (int v = 0; v < 2; v++) {
        ws_bytes *b = v ? &plain : &gz;
        ws_reader *r = NULL;
        CHECK(ws_reader_open_mem(b->p, b->n, "mem.warc", NULL, &r) == WS_OK, "open mem");
        ws_reader_stats st;
        char ids[8][64];
        int k = count_records(r, &st, ids, 8);
        CHECK(k == 2 && !strcmp(ids[0], "r2") && !strcmp(ids[1], "last"), "%s: %d records",
              v ? "plain" : "gz", k);
        CHECK(st.skipped[WS_SKIP_NOT_RESPONSE] == 3 && st.skipped[WS_SKIP_HTTP_STATUS] == 1 &&
                  st.skipped[WS_SKIP_NOT_HTML] == 1 && st.records == 2,
              "%s: skip counts", v ? "plain" : "gz");
        CHECK(st.bytes_read == b->n && st.bytes_total == b->n, "bytes read %llu of %zu",
              (unsigned long long)st.bytes_read, b->n);
        ws_reader_free(r);
    }
    /* a small max_record_bytes skips the three responses over 50 bytes */
    ws_reader_options o;
    memset(&o, 0, sizeof o);
    o.max_record_bytes = 50;
    ws_reader *r = NULL;
    CHECK(ws_reader_open_mem(gz.p, gz.n, "mem.warc", &o, &r) == WS_OK, "open");
    ws_reader_stats st;
    char ids[8][64];
    CHECK(count_records(r, &st, ids, 8) == 0 && st.skipped[WS_SKIP_TOO_LARGE] == 3 &&
              st.skipped[WS_SKIP_NOT_RESPONSE] == 3,
          "responses over the limit are skipped unread");
    ws_reader_free(r);
    /* every prefix of the gzip file: no crash, never more than 2 records */
    int ok = 1;
    for (size_t cut = 0; cut < gz.n; cut += 7) {
        r = NULL;
        if (ws_reader_open_mem(gz.p, cut, "cut.warc.gz", NULL, &r) != WS_OK) {
            ok = 0;
            break;
        }
        if (count_records(r, &st, ids, 8) > 2) ok = 0;
        ws_reader_free(r);
    }
    CHECK(ok, "prefixes of a gzip WARC");
    ws_bytes_free(&gz);
    ws_bytes_free(&plain);
}

/* ---- issue 6: chunked input equals whole input ------------------------ */

/* Everything a reader returns, as text: each status with its message or
 * record (id, offset, length), then the counts. */
static void reader_trace(ws_reader *r, ws_bytes *out) {
    char line[512];
    for (int i = 0; i < 1000; i++) {
        ws_record rec;
        memset(&rec, 0, sizeof rec);
        ws_status st = ws_reader_next(r, &rec);
        if (st == WS_OK)
            snprintf(line, sizeof line, "ok %s %llu %zu\n", rec.id ? rec.id : "-",
                     (unsigned long long)rec.offset, rec.len);
        else if (st == WS_DONE)
            snprintf(line, sizeof line, "done\n");
        else
            snprintf(line, sizeof line, "status %d %s\n", (int)st, ws_reader_errmsg(r));
        ws_bytes_add(out, line, strlen(line));
        if (st == WS_DONE || (st != WS_OK && st != WS_ERR_FORMAT && st != WS_ERR_TOO_LARGE))
            break;
    }
    ws_reader_stats st;
    ws_reader_stats_get(r, &st);
    snprintf(line, sizeof line, "records %llu errors %llu skipped", (unsigned long long)st.records,
             (unsigned long long)st.errors);
    ws_bytes_add(out, line, strlen(line));
    for (int k = 0; k < WS_SKIP_COUNT; k++) {
        snprintf(line, sizeof line, " %llu", (unsigned long long)st.skipped[k]);
        ws_bytes_add(out, line, strlen(line));
    }
}

typedef struct chunk_writer {
    int fd;
    const char *p;
    size_t n, k;
} chunk_writer;

/* Writes k bytes at a time with a pause, so that (almost) every read of
 * the reader is short and ends at a different place for each k. */
static void *chunk_writer_main(void *arg) {
    chunk_writer *w = arg;
    struct timespec pause = {0, 100000};
    for (size_t off = 0; off < w->n;) {
        size_t k = WS_MIN(w->k, w->n - off);
        ssize_t got = write(w->fd, w->p + off, k);
        if (got <= 0) break;
        off += (size_t)got;
        nanosleep(&pause, NULL);
    }
    close(w->fd);
    return NULL;
}

/* Reads data whole (memory) and through a pipe fed 1, 2, 3 and 7 bytes at
 * a time, under the same name; each pair of traces must be the same. */
static void check_chunked(const char *what, const char *data, size_t n) {
    static const size_t ks[] = {1, 2, 3, 7};
    signal(SIGPIPE, SIG_IGN); /* a reader that stops early fails a check, not the run */
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        int fds[2];
        if (pipe(fds)) {
            CHECK(0, "pipe");
            return;
        }
        char name[32];
        snprintf(name, sizeof name, "/dev/fd/%d", fds[0]);
        ws_bytes whole = {NULL, 0, 0}, t = {NULL, 0, 0};
        ws_reader *r = NULL;
        ws_reader_options o;
        memset(&o, 0, sizeof o);
        o.format = WS_FORMAT_WARC;
        if (ws_reader_open_mem(data, n, name, &o, &r) == WS_OK && r) {
            reader_trace(r, &whole);
            ws_reader_free(r);
        }
        chunk_writer w = {fds[1], data, n, ks[i]};
        pthread_t th;
        if (pthread_create(&th, NULL, chunk_writer_main, &w)) {
            CHECK(0, "thread");
            close(fds[0]);
            close(fds[1]);
            ws_bytes_free(&whole);
            return;
        }
        r = NULL;
        if (ws_reader_open(name, &o, &r) == WS_OK && r) {
            reader_trace(r, &t);
            ws_reader_free(r);
        }
        close(fds[0]); /* unblocks the writer if the reader stopped early */
        pthread_join(th, NULL);
        CHECK(whole.p && t.p && !strcmp(whole.p, t.p),
              "%s, %zu-byte reads differ from whole input\nwhole:\n%s\nchunked:\n%s", what,
              ks[i], whole.p ? whole.p : "", t.p ? t.p : "");
        ws_bytes_free(&whole);
        ws_bytes_free(&t);
    }
}

/* The input found by fuzz_warc (tests/fuzz/corpus/warc/), and a WARC of
 * gzip members damaged in each way: a bad CRC trailer after a complete
 * record, a damaged member header, bad deflate data, a truncated end. */
static void test_warc_chunked(void) {
    const char *path = "tests/fuzz/corpus/warc/warc-gzip-resync-depends-on-reads.warc.gz";
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "%s (run from the repository root)", path);
    if (f) {
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        check_chunked("fuzz input", buf, n);
        ws_reader *r = NULL;
        ws_reader_stats st;
        char ids[8][64];
        CHECK(ws_reader_open_mem(buf, n, "f.warc.gz", NULL, &r) == WS_OK, "open");
        int k = count_records(r, &st, ids, 8);
        CHECK(k == 0 && st.skipped[WS_SKIP_CORRUPT] == 2 && st.skipped[WS_SKIP_NOT_RESPONSE] == 0,
              "fuzz input: %d records, corrupt %llu, not-response %llu", k,
              (unsigned long long)st.skipped[WS_SKIP_CORRUPT],
              (unsigned long long)st.skipped[WS_SKIP_NOT_RESPONSE]);
        ws_reader_free(r);
    }
    ws_bytes gz = {NULL, 0, 0};
    size_t marks[8];
    for (int i = 0; i < 8; i++) {
        char id[8];
        size_t n;
        snprintf(id, sizeof id, "m%d", i);
        char *rec = warc_rec(i == 0 ? "warcinfo" : "response", id, PAGE, &n);
        marks[i] = gz.n;
        gz_member(&gz, rec, n);
        free(rec);
    }
    size_t end = gz.n;
    gz.p[marks[2] - 5] ^= 0x55;      /* member 1: CRC trailer */
    gz.p[marks[3] + 3] = 0x02;       /* member 3: header flags (FHCRC) */
    gz.p[marks[5] + 20] ^= 0xff;     /* member 5: deflate data */
    gz.p[(marks[6] + marks[7]) / 2] ^= 0x0f;
    check_chunked("damaged members", gz.p, end);
    check_chunked("damaged members, cut short", gz.p, end - 30);
    /* a complete record in a member whose CRC fails is corrupt, whatever
     * the reads */
    ws_reader *r = NULL;
    ws_reader_stats st;
    char ids[8][64];
    CHECK(ws_reader_open_mem(gz.p, end, "d.warc.gz", NULL, &r) == WS_OK, "open");
    int k = count_records(r, &st, ids, 8);
    CHECK(k == 3 && !strcmp(ids[0], "m2") && !strcmp(ids[1], "m4") && !strcmp(ids[2], "m7") &&
              st.skipped[WS_SKIP_NOT_RESPONSE] == 1 && st.skipped[WS_SKIP_CORRUPT] == 4,
          "damaged members: %d records, first %s, corrupt %llu", k, k ? ids[0] : "-",
          (unsigned long long)st.skipped[WS_SKIP_CORRUPT]);
    ws_reader_free(r);
    /* deflate data damaged in the middle of a long record: zlib may decode
     * garbage well past the record's end before it notices */
    ws_bytes big = {NULL, 0, 0}, page = {NULL, 0, 0};
    for (int i = 0; i < 40; i++) ws_bytes_add(&page, "<p>Smith said \"yes\" again.</p>\n", 32);
    char *http = malloc(page.n + 128);
    snprintf(http, page.n + 128, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", page.p);
    for (int i = 0; i < 3; i++) {
        size_t n;
        char id[8];
        snprintf(id, sizeof id, "b%d", i);
        char *rec = warc_rec("response", id, http, &n);
        size_t at = big.n;
        gz_member(&big, rec, n);
        if (i == 1)
            for (size_t j = (big.n + at) / 2; j < (big.n + at) / 2 + 16; j++) big.p[j] ^= 0x5a;
        free(rec);
    }
    free(http);
    check_chunked("deflate data damaged mid-record", big.p, big.n);
    r = NULL;
    CHECK(ws_reader_open_mem(big.p, big.n, "b.warc.gz", NULL, &r) == WS_OK, "open");
    k = count_records(r, &st, ids, 8);
    CHECK(k == 2 && !strcmp(ids[0], "b0") && !strcmp(ids[1], "b2") &&
              st.skipped[WS_SKIP_CORRUPT] == 1,
          "damaged mid-record: %d records, corrupt %llu", k,
          (unsigned long long)st.skipped[WS_SKIP_CORRUPT]);
    ws_reader_free(r);
    ws_bytes_free(&big);
    ws_bytes_free(&page);
    /* a header with FEXTRA whose length runs over the next members */
    gz.p[marks[3] + 3] = 0x07;
    check_chunked("damaged header with FEXTRA", gz.p, end);
    ws_bytes_free(&gz);
}

static void test_formats_mem(void) {
    ws_reader *r = NULL;
    ws_record rec;
    const char *txt = "Smith said \"yes\".";
    CHECK(ws_reader_open_mem(txt, strlen(txt), "dir/a.b.txt", NULL, &r) == WS_OK, "open");
    CHECK(ws_reader_next(r, &rec) == WS_OK && rec.format == WS_FORMAT_TEXT &&
              !strcmp(rec.id, "a.b") && rec.len == strlen(txt) && rec.data == txt,
          "text record (read in place)");
    CHECK(ws_reader_next(r, &rec) == WS_DONE, "one text record");
    ws_reader_free(r);
    const char *html = "<!doctype html><title>x</title><p>Hi</p>";
    CHECK(ws_reader_open_mem(html, strlen(html), "page.htm", NULL, &r) == WS_OK, "open");
    CHECK(ws_reader_next(r, &rec) == WS_OK && rec.format == WS_FORMAT_HTML && !strcmp(rec.id, "page"),
          "html record");
    ws_reader_free(r);
    const char *jl = "{\"maintext\":\"A said \\\"b\\\".\",\"title\":\"T\"}\n"
                     "[1,2]\n"
                     "{\"text\":\"second\",\"id\":42}\n";
    CHECK(ws_reader_open_mem(jl, strlen(jl), "x.jsonl", NULL, &r) == WS_OK, "open");
    CHECK(ws_reader_next(r, &rec) == WS_OK && rec.format == WS_FORMAT_JSONL && !strcmp(rec.id, "x:1"),
          "jsonl 1");
    CHECK(ws_reader_next(r, &rec) == WS_ERR_FORMAT && strstr(ws_reader_errmsg(r), "line 2"),
          "jsonl 2 is not an object: %s", ws_reader_errmsg(r));
    CHECK(ws_reader_next(r, &rec) == WS_OK && !strcmp(rec.id, "42"), "jsonl 3 goes on, id field");
    CHECK(ws_reader_next(r, &rec) == WS_DONE, "jsonl end");
    ws_reader_stats st;
    ws_reader_stats_get(r, &st);
    CHECK(st.records == 2 && st.errors == 1, "jsonl stats");
    ws_reader_free(r);
    ws_reader_options o;
    memset(&o, 0, sizeof o);
    o.jsonl_fields = "body";
    CHECK(ws_reader_open_mem(jl, strlen(jl), "x", &o, &r) == WS_ERR_INVALID && !r, "bad mapping");
    o.jsonl_fields = "title=nope;body=text";
    CHECK(ws_reader_open_mem(jl, strlen(jl), "x", &o, &r) == WS_OK, "custom mapping");
    ws_status s1 = ws_reader_next(r, &rec); /* line 1: no "text": skipped */
    CHECK(s1 == WS_ERR_FORMAT, "line 2 first");
    CHECK(ws_reader_next(r, &rec) == WS_OK && !strcmp(rec.id, "42"), "maintext no longer mapped");
    ws_reader_stats_get(r, &st);
    CHECK(st.skipped[WS_SKIP_EMPTY] == 1, "line 1 skipped as empty");
    ws_reader_free(r);
    /* forced format */
    o.jsonl_fields = NULL;
    o.format = WS_FORMAT_TEXT;
    CHECK(ws_reader_open_mem(html, strlen(html), "p.html", &o, &r) == WS_OK, "open");
    CHECK(ws_reader_next(r, &rec) == WS_OK && rec.format == WS_FORMAT_TEXT, "forced text");
    ws_reader_free(r);
    CHECK(ws_reader_open(NULL, NULL, &r) == WS_ERR_INVALID, "NULL path");
    CHECK(ws_reader_open("/no/such/file.txt", NULL, &r) == WS_OK, "open lazily");
    CHECK(ws_reader_next(r, &rec) == WS_ERR_IO && strstr(ws_reader_errmsg(r), "/no/such/file.txt"),
          "missing file names the path: %s", ws_reader_errmsg(r));
    CHECK(ws_reader_next(r, &rec) == WS_DONE, "then done");
    ws_reader_free(r);
}

static void test_article(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.format = WS_FORMAT_HTML;
    rec.id = "p1";
    rec.url = "http://x.test/a";
    rec.date = "2026-01-02T03:04:05Z";
    rec.charset = "windows-1251";
    const char *page = "<html><head><title>\xcf\xf0\xe8\xe2\xe5\xf2</title></head><body><p>"
                       "Smith said \"we will win\" on Monday.</p></body></html>";
    rec.data = page;
    rec.len = strlen(page);
    ws_article *a = NULL;
    CHECK(ws_article_new(e, &rec, &a) == WS_OK, "article");
    ws_article_info info;
    ws_article_get(a, &info);
    CHECK(info.format == WS_FORMAT_HTML && !strcmp(info.id, "p1"), "info");
    CHECK(info.title && !strcmp(info.title, "Привет"), "title converted: %s", info.title);
    CHECK(info.url && !strcmp(info.url, "http://x.test/a"), "url");
    CHECK(info.date && !strncmp(info.date, "2026-01-02", 10), "fallback date: %s", info.date);
    CHECK(info.body && strstr(info.body, "Smith said"), "body");
    ws_doc *d = NULL;
    CHECK(ws_article_analyze(e, a, &d) == WS_OK && ws_doc_statement_count(d) >= 1, "analyze");
    char *json = NULL;
    size_t n = 0;
    CHECK(ws_article_to_json(a, d, WS_JSON_TEXT | WS_JSON_BODY, &json, &n) == WS_OK, "json");
    CHECK(json && strstr(json, "\"title\":\"Привет\"") && strstr(json, "\"body\":\"") &&
              strlen(json) == n,
          "json fields");
    ws_free(e, json);
    CHECK(ws_article_to_json(a, NULL, 0, &json, &n) == WS_OK && strstr(json, "\"quotes\":[]"),
          "json without a doc");
    ws_free(e, json);
    ws_doc_free(d);
    ws_article_free(a);
    /* text: exact bytes; the article object holds ws_extract_json's object
     * (its fields before "quotes" are the article's, null for plain text) */
    rec.format = WS_FORMAT_TEXT;
    rec.data = "Smith said \"we will win\".\xff";
    rec.len = strlen(rec.data);
    char *j1 = NULL, *j2 = NULL;
    CHECK(ws_record_to_json(e, &rec, WS_JSON_TEXT, &j1, &n) == WS_OK, "record json");
    CHECK(ws_extract_json(e, rec.data, rec.len, "p1", WS_JSON_TEXT, &j2, &n) == WS_OK, "text json");
    CHECK(j1 && j2 && strstr(j1, "\"format\":\"text\"") && strstr(j1, "\"dateline\":null") &&
              !strcmp(strstr(j1, "\"quotes\""), strstr(j2, "\"quotes\"")),
          "text record = text object + article fields");
    ws_free(e, j1);
    ws_free(e, j2);
    CHECK(ws_article_new(e, &rec, &a) == WS_OK, "text article");
    ws_article_get(a, &info);
    CHECK(info.body_len == rec.len && !memcmp(info.body, rec.data, rec.len), "exact bytes");
    ws_article_free(a);
    /* JSONL records made by hand use news-please names */
    rec.format = WS_FORMAT_JSONL;
    rec.data = "{\"maintext\":\"Jones said no.\",\"authors\":[\"A B\"],\"date_publish\":\"2020-12-30 10:00:00\"}";
    rec.len = strlen(rec.data);
    CHECK(ws_article_new(e, &rec, &a) == WS_OK, "jsonl article");
    ws_article_get(a, &info);
    CHECK(info.body && !strcmp(info.body, "Jones said no.") && info.n_authors == 1 &&
              info.date && !strncmp(info.date, "2020-12-30", 10),
          "jsonl fields");
    ws_article_free(a);
    rec.data = "{not json";
    rec.len = strlen(rec.data);
    CHECK(ws_article_new(e, &rec, &a) == WS_ERR_FORMAT && !a, "bad jsonl");
    CHECK(ws_article_new(NULL, &rec, &a) == WS_ERR_INVALID, "NULL engine");
    CHECK(ws_article_to_json(NULL, NULL, 0, &json, &n) == WS_ERR_INVALID, "NULL article");
    ws_article_free(NULL);
    ws_engine_free(e);
}

int main(void) {
    test_names();
    test_charset();
    test_warc_mem();
    test_warc_chunked();
    test_formats_mem();
    test_article();
    return TEST_REPORT();
}
