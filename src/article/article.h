/*
 * article.h - the body of ws_article and the article JSON writer
 * (internal). A record becomes an article: text as is, HTML through
 * charset conversion and ws_html_extract(), JSONL through its fields; then
 * the dateline parser runs on the body.
 */
#ifndef WS_ARTICLE_ARTICLE_H
#define WS_ARTICLE_ARTICLE_H

#include "../internal.h"

struct ws_article {
    const ws_engine *engine;
    ws_format format;
    char *id, *title, *date, *url, *site, *lang;
    char **authors;
    size_t n_authors;
    char *body; /* NUL-terminated; body_len bytes */
    size_t body_len;
    ws_span dl_span;
    char *dl_place, *dl_date, *dl_agency;
    char charset[32]; /* the charset the record was decoded from */
    int truncated;    /* ws_article_info.truncated */
};

/* Writes the article object of docs/output.md: the text object plus the
 * article fields (output/json.c). d may be NULL (no statements). */
ws_status ws_json_write_article(const ws_mem *mem, const ws_doc *d,
                                const ws_article_info *art, unsigned flags,
                                char **out, size_t *out_len);

#endif
