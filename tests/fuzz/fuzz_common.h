/*
 * fuzz_common.h - what the fuzz targets other than fuzz_text share:
 * violation reporting, span and UTF-8 checks, the JSON check of an output
 * buffer, and the replay driver (main) of the plain build.
 *
 * A target defines FUZZ_NAME ("fuzz_html"...), includes this header, then
 * defines LLVMFuzzerTestOneInput(). It may define FUZZ_INIT() (called once in
 * the parent before any input, e.g. to load the engine) and FUZZ_FINI().
 *
 * Two builds:
 *   libFuzzer:  clang -DWS_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined
 *               (tests/fuzz/build.sh NAME)
 *   replay:     any C compiler, no define: `NAME DIR|FILE...` runs every file
 *               in a child process (a violation or a crash fails that input
 *               only; under ASan each child is leak-checked) and prints
 *               "N passed, M failed" (tests/run.sh runs it on
 *               tests/fuzz/corpus/<name without fuzz_>/).
 */
#ifndef WS_FUZZ_COMMON_H
#define WS_FUZZ_COMMON_H

#include "whosaid.h"

#include "json_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WS_FUZZ_LIBFUZZER
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#ifndef FUZZ_NAME
#error "define FUZZ_NAME before including fuzz_common.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fz_input_name = "(libFuzzer input)";

static inline void fz_violation(const char *what, size_t a, size_t b) {
    fprintf(stderr, "%s: invariant violated on %s: %s (%zu, %zu)\n", FUZZ_NAME,
            fz_input_name, what, a, b);
    abort();
}

/* 1 when offset off is a character boundary of data[0..len). */
static inline int fz_on_boundary(const char *data, size_t len, size_t off) {
    if (off == 0 || off == len) return 1;
    return ((unsigned char)data[off] & 0xC0) != 0x80;
}

/* start <= end <= len and, when utf8, both ends on character boundaries. */
static inline void fz_check_span(const char *data, size_t len, int utf8, size_t start,
                          size_t end, const char *what) {
    if (start > end) fz_violation(what, start, end);
    if (end > len) fz_violation(what, end, len);
    if (utf8 && (!fz_on_boundary(data, len, start) || !fz_on_boundary(data, len, end)))
        fz_violation(what, start, end);
}

/* A NULL or NUL-terminated valid UTF-8 string. */
static inline void fz_check_str(const char *s, const char *what) {
    if (s && !jc_utf8_valid(s, strlen(s))) fz_violation(what, strlen(s), 0);
}

/* Strings copied from transport headers (a WARC record's id, URL and date,
 * the article fields that fall back on them, the site taken from the URL).
 * They were copied as raw bytes until ffe0641 (found by fuzz_warc); now
 * checked like the others. -DFZ_LAX_META_UTF8 skips them. */
static inline void fz_check_meta_str(const char *s, const char *what) {
#ifdef FZ_LAX_META_UTF8
    (void)s, (void)what;
#else
    fz_check_str(s, what);
#endif
}

/* json[0..len) is NUL-terminated at len, valid UTF-8, one JSON value. */
static inline void fz_check_json(const char *json, size_t len, const char *what) {
    if (!json) fz_violation(what, 0, 0);
    if (strlen(json) != len) fz_violation(what, len, strlen(json));
    if (!jc_utf8_valid(json, len)) fz_violation(what, len, 1);
    if (!jc_valid(json, len)) {
        fprintf(stderr, "%.*s\n", (int)(len < 4000 ? len : 4000), json);
        fz_violation(what, len, 2);
    }
}

/* A malloc'd copy of exactly size bytes (ASan then sees reads past the end). */
static inline char *fz_copy(const uint8_t *data, size_t size) {
    char *p = malloc(size ? size : 1);
    if (!p) abort();
    if (size) memcpy(p, data, size);
    return p;
}


/* The whole article path on one record: ws_article_new, every field of
 * ws_article_info (strings UTF-8, the dateline a span of the body), the
 * analysis (every statement span inside the body, on character boundaries
 * when the body is UTF-8) and ws_article_to_json with and without the doc
 * (JSON that parses). Returns the status of ws_article_new; on WS_OK *json
 * is the rendering with the doc (free with free()), else NULL. */
static inline ws_status fz_article(const ws_engine *eng, const ws_record *rec, char **json,
                            size_t *json_len) {
    *json = NULL;
    *json_len = 0;
    ws_article *a = NULL;
    ws_status st = ws_article_new(eng, rec, &a);
    if (st != WS_OK) {
        if (a) fz_violation("article set on failure", (size_t)st, 0);
        if (st == WS_ERR_INVALID) fz_violation("ws_article_new: invalid", 0, 0);
        return st;
    }
    ws_article_info in;
    ws_article_get(a, &in);
    if (!in.body) fz_violation("body NULL", 0, 0);
    if (strlen(in.body) > in.body_len) fz_violation("body NUL", strlen(in.body), in.body_len);
    int utf8 = jc_utf8_valid(in.body, in.body_len);
    if (rec->format != WS_FORMAT_TEXT && !utf8) fz_violation("body not UTF-8", in.body_len, 0);
    if (!in.id) fz_violation("id NULL", 0, 0);
    fz_check_meta_str(in.id, "id not UTF-8");
    fz_check_str(in.title, "title not UTF-8");
    fz_check_meta_str(in.date, "date not UTF-8");
    fz_check_meta_str(in.url, "url not UTF-8");
    fz_check_meta_str(in.site, "site not UTF-8"); /* from the URL when no meta */
    fz_check_str(in.lang, "lang not UTF-8");
    if (in.n_authors && !in.authors) fz_violation("authors NULL", in.n_authors, 0);
    for (size_t i = 0; i < in.n_authors; i++) {
        if (!in.authors[i]) fz_violation("author NULL", i, 0);
        fz_check_str(in.authors[i], "author not UTF-8");
    }
    fz_check_span(in.body, in.body_len, utf8, in.dateline.span.start, in.dateline.span.end,
                  "dateline span");
    fz_check_str(in.dateline.place, "dateline place not UTF-8");
    fz_check_str(in.dateline.date, "dateline date not UTF-8");
    fz_check_str(in.dateline.agency, "dateline agency not UTF-8");

    ws_doc *d = NULL;
    st = ws_article_analyze(eng, a, &d);
    if (st != WS_OK && st != WS_ERR_TOO_LARGE) fz_violation("ws_article_analyze", (size_t)st, 0);
    size_t n_ent = d ? ws_doc_entity_count(d) : 0;
    size_t n = d ? ws_doc_statement_count(d) : 0;
    for (size_t i = 0; i < n; i++) {
        ws_statement s;
        if (ws_doc_statement(d, i, &s) != WS_OK) fz_violation("statement", i, n);
        if (s.n_content > WS_MAX_SEGMENTS) fz_violation("n_content", i, s.n_content);
        for (size_t k = 0; k < s.n_content; k++)
            fz_check_span(in.body, in.body_len, utf8, s.content[k].start, s.content[k].end,
                          "statement content");
        fz_check_span(in.body, in.body_len, utf8, s.cue.start, s.cue.end, "cue");
        fz_check_span(in.body, in.body_len, utf8, s.source.start, s.source.end, "source");
        fz_check_span(in.body, in.body_len, utf8, s.addressee.start, s.addressee.end,
                      "addressee");
        if (s.speaker < -1 || (s.speaker >= 0 && (size_t)s.speaker >= n_ent))
            fz_violation("speaker index", i, (size_t)s.speaker);
    }
    for (size_t i = 0; i < n_ent; i++) {
        ws_entity en;
        if (ws_doc_entity(d, i, &en) != WS_OK) fz_violation("entity", i, n_ent);
        for (size_t k = 0; k < en.n_mentions; k++)
            fz_check_span(in.body, in.body_len, utf8, en.mentions[k].start, en.mentions[k].end,
                          "entity mention");
    }
    char *j0 = NULL, *j1 = NULL;
    size_t l0 = 0, l1 = 0;
    if (ws_article_to_json(a, NULL, WS_JSON_TEXT, &j0, &l0) != WS_OK)
        fz_violation("ws_article_to_json without doc", 0, 0);
    fz_check_json(j0, l0, "article JSON without doc");
    ws_free(eng, j0);
    if (ws_article_to_json(a, d, WS_JSON_TEXT | WS_JSON_BODY, &j1, &l1) != WS_OK)
        fz_violation("ws_article_to_json", 0, 0);
    fz_check_json(j1, l1, "article JSON");
    *json = malloc(l1 + 1);
    if (!*json) abort();
    memcpy(*json, j1, l1 + 1);
    *json_len = l1;
    ws_free(eng, j1);
    ws_doc_free(d);
    ws_article_free(a);
    return WS_OK;
}

/* One engine per process (test code), loaded before the replay forks. */
static inline ws_engine *fz_engine(void) {
    static ws_engine *eng;
    if (!eng && ws_engine_new(NULL, &eng) != WS_OK) {
        fprintf(stderr, "%s: ws_engine_new failed\n", FUZZ_NAME);
        abort();
    }
    return eng;
}

#ifndef WS_FUZZ_LIBFUZZER

static int fz_passed, fz_failed;

static inline int fz_run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open %s\n", FUZZ_NAME, path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) abort();
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len < cap) break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return -1;
    }
    fz_input_name = path;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        free(buf);
        return -1;
    }
    if (pid == 0) {
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
        free(buf);
        exit(0); /* runs the exit handlers: leak check, coverage dump */
    }
    free(buf);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    fprintf(stderr, "FAIL %s: %s %d\n", path, WIFSIGNALED(status) ? "signal" : "exit status",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return -1;
}

static inline int fz_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void fz_run_path(const char *path) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "%s: cannot stat %s\n", FUZZ_NAME, path);
        fz_failed++;
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (fz_run_file(path) == 0) fz_passed++;
        else fz_failed++;
        return;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        fz_failed++;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names) abort();
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        if (!names[n]) abort();
        snprintf(names[n], l, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    if (n) qsort(names, n, sizeof *names, fz_cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (fz_run_file(names[i]) == 0) fz_passed++;
            else fz_failed++;
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", FUZZ_NAME);
        return 2;
    }
#ifdef FUZZ_INIT
    FUZZ_INIT();
#endif
    for (int i = 1; i < argc; i++) fz_run_path(argv[i]);
#ifdef FUZZ_FINI
    FUZZ_FINI();
#endif
    printf("%d passed, %d failed\n", fz_passed, fz_failed);
    return fz_failed ? 1 : 0;
}
#endif /* !WS_FUZZ_LIBFUZZER */

#endif
