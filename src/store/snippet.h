/*
 * snippet.h - a short excerpt of an article body around the first match of
 * a text query (src/store/snippet.c). The FTS5 index is contentless, so its
 * snippet() cannot work: the excerpt is found in the stored body here.
 */
#ifndef WS_STORE_SNIPPET_H
#define WS_STORE_SNIPPET_H

#include <stddef.h>

/* No match in the body: *ms of ws_snippet_find and *hs of ws_snippet_make. */
#define WS_SNIPPET_NONE ((size_t)-1)

/*
 * The first place in body[0..n) where a word of the FTS5 query `query`
 * occurs, compared the way the index's tokenizer compares words (case
 * folded, diacritics removed: "Zelensky" finds "Zelenský"), at the start of
 * a word and, unless the query word ends in '*', ending at the end of one.
 * FTS5 operators (AND, OR, NOT, NEAR), column names ("title:") and the words
 * after NOT are not looked for. A "quoted phrase" of two or more words is
 * looked for whole first (its words in order, only non-word characters
 * between) and is the match when found. Returns 1 and the match's byte range
 * [*ms, *me) (for a prefix word, the whole word it begins), else 0
 * (*ms = WS_SNIPPET_NONE).
 */
int ws_snippet_find(const char *query, const char *body, size_t n, size_t *ms, size_t *me);

/*
 * A malloc'd excerpt of about `width` bytes of body[0..n) around the first
 * match of query (NULL or "": the start of the body), cut at word and UTF-8
 * boundaries, runs of white space turned into one space, "…" where text is
 * left out. [*hs, *he): the match's bytes in the excerpt (WS_SNIPPET_NONE
 * when there is none). NULL when out of memory.
 */
char *ws_snippet_make(const char *query, const char *body, size_t n, size_t width, size_t *hs,
                      size_t *he);

#endif
