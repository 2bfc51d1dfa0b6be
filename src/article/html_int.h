/*
 * html_int.h - shared internals of the HTML extractor (src/article/html*.c).
 */
#ifndef WS_ARTICLE_HTML_INT_H
#define WS_ARTICLE_HTML_INT_H

#include <gumbo.h>
#include <stddef.h>

#define WS_HTML_MIN(a, b) ((a) < (b) ? (a) : (b))

/* A growable NUL-terminated byte buffer (malloc). */
typedef struct ws_html_buf {
    char *s;
    size_t len, cap;
} ws_html_buf;

/* Appends n bytes; 0 or -1 when out of memory. */
int ws_html_buf_put(ws_html_buf *b, const char *s, size_t n);

/* Attribute value of an element, or NULL. */
const char *ws_html_attr(const GumboNode *n, const char *name);

/* Page metadata gathered while walking the tree. Every string is malloc'd. */
typedef struct ws_html_meta {
    char *title_tag, *og_title, *tw_title, *ld_headline, *h1;
    char *og_site, *ld_site, *app_name;
    char *link_canonical, *og_url;
    char *ld_body;
    size_t ld_body_len;
    /* results of ws_html_meta_finish */
    char *site, *canonical;
    int nomem;
} ws_html_meta;

/* Looks at one element (title, meta, link, JSON-LD script, first h1). */
void ws_html_meta_node(ws_html_meta *m, const GumboNode *n);
/* Chooses site name and canonical URL (url: page URL or NULL). */
void ws_html_meta_finish(ws_html_meta *m, const char *url);
void ws_html_meta_free(ws_html_meta *m);

/* The article title without site name and separators (malloc'd or NULL). */
char *ws_html_clean_title(const ws_html_meta *m, const char *url);

/* Text of an HTML-ish string (JSON-LD articleBody): tags dropped, block tags
 * and newlines become paragraph breaks, entities decoded. 0 or -1 (nomem). */
int ws_html_plain(const char *s, size_t n, ws_html_buf *out);

/* Text of a node's subtree, whitespace collapsed (explicit stack). */
int ws_html_node_text(const GumboNode *n, ws_html_buf *out);

#endif
