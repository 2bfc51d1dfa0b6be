/*
 * zz_fallback.c - TEMPORARY weak stand-ins for ws_html_extract(), ws_dateline_find()
 * and ws_date_normalize() until src/article/html.c, dateline.c and date.c
 * are in the tree. The archive lists this file after src/article/, so the linker takes
 * the real definitions whenever they exist. To be deleted then.
 */
#include "../article/dateline.h"
#include "../article/html.h"
#include "../article/meta.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define WS_WEAK __attribute__((weak))
#else
#define WS_WEAK
#endif

WS_WEAK ws_status ws_html_extract(const char *html, size_t len, const char *url,
                                  ws_html_result *out) {
    (void)url;
    memset(out, 0, sizeof *out);
    char *b = malloc(len + 1);
    if (!b) return WS_ERR_NOMEM;
    size_t n = 0;
    int in_tag = 0;
    for (size_t i = 0; i < len; i++) {
        if (html[i] == '<') in_tag = 1;
        else if (html[i] == '>') in_tag = 0;
        else if (!in_tag) b[n++] = html[i];
    }
    b[n] = 0;
    out->body = b;
    out->body_len = n;
    return WS_OK;
}

WS_WEAK void ws_html_result_free(ws_html_result *r) {
    if (!r) return;
    free(r->body);
    free(r->title);
    free(r->site);
    free(r->canonical);
    free(r->date);
    for (size_t i = 0; i < r->n_authors; i++) free(r->authors[i]);
    free(r->authors);
    free(r->lang);
    memset(r, 0, sizeof *r);
}

WS_WEAK int ws_dateline_find(const char *body, size_t len, ws_dateline_parse *out) {
    (void)body;
    (void)len;
    memset(out, 0, sizeof *out);
    return 0;
}

WS_WEAK void ws_dateline_parse_free(ws_dateline_parse *d) {
    if (!d) return;
    free(d->place);
    free(d->date);
    free(d->agency);
    memset(d, 0, sizeof *d);
}

WS_WEAK char *ws_date_normalize(const char *s, size_t len) {
    (void)s;
    (void)len;
    return NULL;
}
