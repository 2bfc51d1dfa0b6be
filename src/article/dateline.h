/* src/article/dateline.h - news datelines at the start of a body (owned by "meta").
 *
 * Recognises "MOSCOW, December 30. /TASS/.", "WASHINGTON (Reuters) -",
 * "HAYWARD, Calif. (AP) —", "BERLIN --", "LONDON, Dec 30 (Reuters) -",
 * "KIEV, January 5 /Interfax/ -", "МОСКВА, 30 декабря. /ТАСС/." and the like
 * in the first line/paragraph of a body. Pure, no global state. */
#ifndef WS_ARTICLE_DATELINE_H
#define WS_ARTICLE_DATELINE_H

#include <stddef.h>

/* start/end: byte span of the dateline in body, including its trailing
 * punctuation or dash (and the spaces after it is NOT included); place in
 * title case ("Moscow", "Hayward, Calif."), date as written ("December 30"),
 * agency without punctuation ("TASS", "Reuters", "AP"); each string is
 * malloc'd or NULL when absent. */
typedef struct ws_dateline_parse { size_t start, end; char *place, *date, *agency; } ws_dateline_parse;

/* Finds a dateline at the start of body (first paragraph); returns 1 and
 * fills out, else 0 (out is then zeroed). Out of memory -> 0. */
int ws_dateline_find(const char *body, size_t len, ws_dateline_parse *out);

/* Frees the strings of d (not d itself) and zeroes it; NULL is fine. */
void ws_dateline_parse_free(ws_dateline_parse *d);

#endif
