/* src/article/meta.h - article metadata from a parsed HTML page (owned by "meta").
 *
 * Publication date, authors and language of a web page, read from the gumbo
 * tree (JSON-LD, <meta>, <time>, bylines), the page URL and the extracted text.
 * All functions are pure: no global state, no printing, never fail on bad
 * HTML; every tree walk uses an explicit stack (no recursion). Strings
 * returned are malloc'd and owned by the caller (free()); NULL = unknown
 * (or out of memory). */
#ifndef WS_ARTICLE_META_H
#define WS_ARTICLE_META_H

#include <stddef.h>
#include <gumbo.h>

/* ISO 8601 date "YYYY-MM-DD" (or "YYYY-MM-DDTHH:MM:SS[+HH:MM|Z]" when the
 * source gives a time) of PUBLICATION, not modification. Sources in this
 * order: JSON-LD (datePublished, dateCreated; @graph too), <meta>
 * (article:published_time, og:published_time, dc.date, DC.date.issued,
 * dcterms.created, parsely-pub-date, sailthru.date, pubdate, date, ...),
 * <time datetime> (pubdate / itemprop=datePublished / inside the article
 * header preferred), the URL (/2020/12/30/, 2020-12-30, 20201230), then the
 * text (bylines "Published 30 December 2020", "Dec. 30, 2020", ...).
 * root, url and text may each be NULL. */
char *ws_meta_date(const GumboNode *root, const char *url, const char *text, size_t text_len);

/* Authors: JSON-LD author(s), <meta name=author>, article:author,
 * parsely-author, sailthru.author, rel=author, itemprop=author, byline
 * classes; "By", URLs and site names dropped, duplicates removed. Sets *out
 * to a malloc'd array of malloc'd strings (free each, then the array; *out
 * is NULL when 0 is returned) and returns the count. */
size_t ws_meta_authors(const GumboNode *root, const char *text, size_t text_len, char ***out);

/* Language: "en", "ru" or "other". <html lang>, og:locale, Content-Language
 * meta, else the text's script and stop words. NULL only when nothing is
 * known (no tree hint and no text) or out of memory. */
char *ws_meta_lang(const GumboNode *root, const char *text, size_t text_len);

/* Normalises one date string in any supported form (ISO 8601 with offsets,
 * RFC 822 "Wed, 30 Dec 2020 10:00:00 GMT", "December 30, 2020",
 * "30 December 2020", "30.12.2020", "2020/12/30", "30 декабря 2020", a unix
 * timestamp of 9-13 digits) to "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[zone]".
 * Rejects impossible dates (month 13, Feb 30) and years outside 1995..2030.
 * For callers holding a date field (JSONL date_publish, WARC-Date). */
char *ws_date_normalize(const char *s, size_t len);

/* Internal helpers shared by date.c and meta.c. */
int ws_date_valid(int y, int m, int d);          /* 1995..2030, real day */
int ws_date_month(const char *w, size_t n);      /* month name -> 1..12, else 0 */
char *ws_date_scan(const char *s, size_t n, size_t *pos); /* first date in text */
/* loose: also DD.MM.YY (two-digit years), for short date-labelled elements */
char *ws_date_scan2(const char *s, size_t n, size_t *pos, int loose);
char *ws_date_from_url(const char *url);         /* /2020/12/30/, 2020-12-30, 20201230 */
/* ws_meta_date, and *source = the static name of the source used ("json-ld",
 * "meta", "time", "url", "canonical-url", "class", "text", "script",
 * "time-modified", "meta-modified", "page-text") or NULL; for tools and tests. */
char *ws_meta_date_source(const GumboNode *root, const char *url, const char *text,
                          size_t text_len, const char **source);

#endif
