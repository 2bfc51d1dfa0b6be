/* date_dump - dev tool of the "meta" module: reads web pages (.html or
 * .html.gz), parses them with gumbo and prints one JSON line per page:
 *   {"id": ..., "date": ..., "author": [...], "lang": ..., "dateline": ...}
 * with the page ids of ../shared/eval/README.md, so that ws_meta_date /
 * ws_meta_authors / ws_meta_lang can be scored before the CLI reads HTML.
 *
 * Usage: date_dump [--urls FILE] [--no-url] PAGE_OR_DIR...
 *        date_dump --datelines < LINES   (one text per line: prints
 *                  "MATCH [dateline] place=.. date=.. agency=.." or "none  <start>")
 *   --urls FILE  page URLs: either lines "id<TAB>...<TAB>url" (WCXB index.tsv,
 *                first column the id, last column the URL; a header line is
 *                ignored) or an htmldate-style JSON object {url: {"file": ...}}
 *                (only the url and file fields are read).
 * Pages are read as bytes; no charset conversion (the dev pages are mostly
 * UTF-8). Errors name the file and go to stderr; other pages go on. */
#include "article/meta.h"
#include "article/dateline.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

typedef struct url_map { char **id, **url; size_t n, cap; } url_map;

static void map_add(url_map *m, const char *id, size_t idn, const char *url, size_t un)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->id = realloc(m->id, m->cap * sizeof *m->id);
        m->url = realloc(m->url, m->cap * sizeof *m->url);
        if (!m->id || !m->url) { fprintf(stderr, "date_dump: out of memory\n"); exit(2); }
    }
    m->id[m->n] = strndup(id, idn);
    m->url[m->n] = strndup(url, un);
    m->n++;
}

/* Page id: base name without a trailing .gz, then .html/.htm. */
static char *page_id(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 3 && strcmp(b + n - 3, ".gz") == 0) n -= 3;
    if (n > 5 && strncasecmp(b + n - 5, ".html", 5) == 0) n -= 5;
    else if (n > 4 && strncasecmp(b + n - 4, ".htm", 4) == 0) n -= 4;
    return strndup(b, n);
}

static void load_urls(url_map *m, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) { fprintf(stderr, "date_dump: %s: cannot open\n", file); exit(2); }
    int c = fgetc(f);
    while (c == ' ' || c == '\n') c = fgetc(f);
    ungetc(c, f);
    if (c == '{') {
        json_error_t err;
        json_t *j = json_loadf(f, 0, &err);
        if (!j) { fprintf(stderr, "date_dump: %s: bad JSON: %s\n", file, err.text); exit(2); }
        const char *url;
        json_t *v;
        json_object_foreach(j, url, v) {
            const char *fn = json_string_value(json_object_get(v, "file"));
            if (fn) {
                char *id = page_id(fn);
                map_add(m, id, strlen(id), url, strlen(url));
                free(id);
            }
        }
        json_decref(j);
    } else {
        char line[8192];
        while (fgets(line, sizeof line, f)) {
            size_t n = strcspn(line, "\r\n");
            line[n] = 0;
            char *tab1 = strchr(line, '\t'), *tabl = strrchr(line, '\t');
            if (!tab1 || strcmp(line, "id") == 0 || strncmp(line, "id\t", 3) == 0)
                continue;
            map_add(m, line, (size_t)(tab1 - line), tabl + 1, strlen(tabl + 1));
        }
    }
    fclose(f);
}

static const char *map_get(const url_map *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->id[i], id) == 0)
            return m->url[i];
    return NULL;
}

static char *read_page(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    for (;;) {
        if (!p) { gzclose(g); return NULL; }
        if (n + 65536 > cap) {
            char *np = realloc(p, cap * 2);
            if (!np) { free(p); gzclose(g); return NULL; }
            p = np;
            cap *= 2;
        }
        int r = gzread(g, p + n, 65536);
        if (r < 0) { free(p); gzclose(g); return NULL; }
        if (r == 0) break;
        n += (size_t)r;
    }
    gzclose(g);
    *len = n;
    return p;
}

static void put_str(const char *s)
{
    if (!s) { fputs("null", stdout); return; }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static int do_page(const char *path, const url_map *m, int use_url)
{
    size_t len;
    char *html = read_page(path, &len);
    if (!html) { fprintf(stderr, "date_dump: %s: cannot read\n", path); return 1; }
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0;
    GumboOutput *out = gumbo_parse_with_options(&opt, html, len);
    char *id = page_id(path);
    const char *url = use_url ? map_get(m, id) : NULL;
    const char *src = NULL;
    char *date = out ? ws_meta_date_source(out->root, url, NULL, 0, &src) : NULL;
    char **au = NULL;
    size_t na = out ? ws_meta_authors(out->root, NULL, 0, &au) : 0;
    char *lang = out ? ws_meta_lang(out->root, NULL, 0) : NULL;
    fputs("{\"id\":", stdout);
    put_str(id);
    fputs(",\"date\":", stdout);
    put_str(date);
    fputs(",\"date_source\":", stdout);
    put_str(src);
    fputs(",\"author\":", stdout);
    if (na) {
        putchar('[');
        for (size_t i = 0; i < na; i++) {
            if (i) putchar(',');
            put_str(au[i]);
            free(au[i]);
        }
        putchar(']');
    } else {
        fputs("null", stdout);
    }
    free(au);
    fputs(",\"lang\":", stdout);
    put_str(lang);
    fputs(",\"body\":\"\"}\n", stdout);
    free(lang);
    free(date);
    free(id);
    if (out) gumbo_destroy_output(&opt, out);
    free(html);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int datelines(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        ws_dateline_parse d;
        if (ws_dateline_find(line, (size_t)n, &d))
            printf("MATCH [%.*s] place=%s date=%s agency=%s\n", (int)(d.end - d.start),
                   line + d.start, d.place, d.date ? d.date : "-", d.agency ? d.agency : "-");
        else
            printf("none  %.70s\n", line);
        ws_dateline_parse_free(&d);
    }
    free(line);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--datelines") == 0)
        return datelines();
    url_map m = {0};
    int use_url = 1, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--urls") == 0 && i + 1 < argc) {
            load_urls(&m, argv[++i]);
            continue;
        }
        if (strcmp(argv[i], "--no-url") == 0) { use_url = 0; continue; }
        DIR *d = opendir(argv[i]);
        if (!d) { rc |= do_page(argv[i], &m, use_url); continue; }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' || !(strstr(e->d_name, ".htm")))
                continue;
            if (n == cap) { cap = cap ? cap * 2 : 256; names = realloc(names, cap * sizeof *names); }
            if (!names) return 2;
            size_t l = strlen(argv[i]) + strlen(e->d_name) + 2;
            names[n] = malloc(l);
            if (!names[n]) return 2;
            snprintf(names[n], l, "%s/%s", argv[i], e->d_name);
            n++;
        }
        closedir(d);
        if (n) qsort(names, n, sizeof *names, cmp_str);
        for (size_t k = 0; k < n; k++) {
            rc |= do_page(names[k], &m, use_url);
            free(names[k]);
        }
        free(names);
    }
    for (size_t i = 0; i < m.n; i++) { free(m.id[i]); free(m.url[i]); }
    free(m.id);
    free(m.url);
    return rc;
}
