/*
 * html.h - HTML page -> main article text and metadata (internal).
 * Owned by the "html" module (src/article/html*.c). Parses with gumbo.
 */
#ifndef WS_ARTICLE_HTML_H
#define WS_ARTICLE_HTML_H

#include "whosaid.h"

#include <stddef.h>

typedef struct ws_html_result {
    char *body;  size_t body_len;  /* main text, UTF-8, paragraphs separated by "\n\n" */
    char *title;                   /* cleaned title or NULL */
    char *site;                    /* site name or NULL */
    char *canonical;               /* canonical URL or NULL */
    char *date;                    /* ISO 8601 publication date or NULL (from "meta") */
    char **authors; size_t n_authors; /* (from "meta") */
    char *lang;                    /* "en", "ru", "other" or NULL (from "meta") */
    int truncated;                 /* 1: nested deeper than WS_HTML_MAX_DEPTH; the
                                      start tags beyond it were dropped (text kept) */
} ws_html_result;

/* Element nesting depth given to gumbo (its time grows with the square of
 * the depth); deeper start tags are dropped before parsing. */
#define WS_HTML_MAX_DEPTH 512

/* html: UTF-8 bytes (any content; not NUL-terminated); url: the page URL or NULL.
 * Fills *out (zeroed first); every string is malloc'd. Returns WS_OK or
 * WS_ERR_NOMEM (then *out is empty). Never fails on bad HTML: a page with no
 * text gives an empty body (""), not an error. */
ws_status ws_html_extract(const char *html, size_t len, const char *url, ws_html_result *out);

/* The same with another nesting cap (0: WS_HTML_MAX_DEPTH): deeper start
 * tags are dropped before parsing and out->truncated is set. gumbo's time
 * grows with the square of the depth it is given. */
ws_status ws_html_extract_depth(const char *html, size_t len, const char *url,
                                size_t max_depth, ws_html_result *out);

/* Frees every field and zeroes *r. NULL-safe. */
void ws_html_result_free(ws_html_result *r);

#endif
