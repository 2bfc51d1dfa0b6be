/*
 * html_dump - dev tool: runs ws_html_extract on HTML files (.html, .html.gz)
 * and prints one JSON line per page: {"id","title","body","date","author",
 * "site","canonical","lang"}, with the page ids of ../shared/eval/README.md.
 *
 *   html_dump [-u URLS.tsv] [-n REPEAT] FILE...
 *
 * -u: a TSV whose rows give "id<TAB>...<TAB>url" (first and last column;
 *     WCXB's index.tsv has this shape), used as the page URL.
 * -n: extract every page REPEAT times and print the time per page on stderr
 *     (output once).
 */
#include "article/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

static char *read_file(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
        }
        int r = gzread(f, buf + n, (unsigned)(cap - n));
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static void page_id(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 3 && !strcmp(b + n - 3, ".gz")) n -= 3;
    if (n > 5 && !strncasecmp(b + n - 5, ".html", 5)) n -= 5;
    else if (n > 4 && !strncasecmp(b + n - 4, ".htm", 4)) n -= 4;
    if (n >= cap) n = cap - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

static void json_str(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p == '\n') fputs("\\n", stdout);
        else if (*p == '\t') fputs("\\t", stdout);
        else if (*p == '\r') fputs("\\r", stdout);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

/* URL of a page id from the TSV (first column id, last column url). */
static char *find_url(const char *tsv, const char *id)
{
    if (!tsv) return NULL;
    FILE *f = fopen(tsv, "r");
    if (!f) return NULL;
    char line[8192];
    char *url = NULL;
    size_t il = strlen(id);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, id, il) || line[il] != '\t') continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *last = strrchr(line, '\t');
        url = strdup(last + 1);
        break;
    }
    fclose(f);
    return url;
}

int main(int argc, char **argv)
{
    const char *tsv = NULL;
    int repeat = 1, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-u") && i + 1 < argc) tsv = argv[++i];
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) repeat = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: html_dump [-u URLS.tsv] [-n REPEAT] FILE...\n");
            return 2;
        }
    }
    if (repeat < 1) repeat = 1;
    int rc = 0;
    double secs = 0, cpu = 0;
    size_t pages = 0;
    for (; i < argc; i++) {
        size_t len = 0;
        char *html = read_file(argv[i], &len);
        if (!html) {
            fprintf(stderr, "html_dump: %s: cannot read\n", argv[i]);
            rc = 1;
            continue;
        }
        char id[512];
        page_id(argv[i], id, sizeof id);
        char *url = find_url(tsv, id);
        ws_html_result r;
        ws_status st = WS_OK;
        struct timespec t0, t1, c0, c1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        for (int k = 0; k < repeat; k++) {
            st = ws_html_extract(html, len, url, &r);
            if (k + 1 < repeat) ws_html_result_free(&r);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        cpu += (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-9;
        secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        pages += (size_t)repeat;
        if (st != WS_OK) {
            fprintf(stderr, "html_dump: %s: %s\n", argv[i], ws_strerror(st));
            rc = 1;
        } else {
            fputs("{\"id\":", stdout);
            json_str(id);
            fputs(",\"title\":", stdout);
            json_str(r.title);
            fputs(",\"body\":", stdout);
            json_str(r.body);
            fputs(",\"date\":", stdout);
            json_str(r.date);
            fputs(",\"author\":", stdout);
            if (!r.n_authors) fputs("null", stdout);
            else {
                putchar('[');
                for (size_t a = 0; a < r.n_authors; a++) {
                    if (a) putchar(',');
                    json_str(r.authors[a]);
                }
                putchar(']');
            }
            fputs(",\"site\":", stdout);
            json_str(r.site);
            fputs(",\"canonical\":", stdout);
            json_str(r.canonical);
            fputs(",\"lang\":", stdout);
            json_str(r.lang);
            fputs("}\n", stdout);
            ws_html_result_free(&r);
        }
        free(url);
        free(html);
    }
    if (repeat > 1 && pages)
        fprintf(stderr, "html_dump: %zu extractions, wall %.3f ms/page, cpu %.3f ms/page\n", pages,
                secs * 1e3 / (double)pages, cpu * 1e3 / (double)pages);
    return rc;
}
