/*
 * article.c - ws_article_*: what a person reads in a record, with its
 * metadata, and ws_record_to_json(), the one call per record of a batch.
 */
#include "article.h"

#include "../doc.h"
#include "../io/io.h"
#include "dateline.h"
#include "html.h"
#include "meta.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static char *sdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

static char *sdupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

void ws_article_free(ws_article *a) {
    if (!a) return;
    free(a->id);
    free(a->title);
    free(a->date);
    free(a->url);
    free(a->site);
    free(a->lang);
    for (size_t i = 0; i < a->n_authors; i++) free(a->authors[i]);
    free(a->authors);
    free(a->body);
    free(a->dl_place);
    free(a->dl_date);
    free(a->dl_agency);
    free(a);
}

/* A string field of a JSON object, copied; NULL when absent or empty. */
static char *jstr(json_t *o, const char *const *keys) {
    for (; *keys; keys++) {
        json_t *v = json_object_get(o, *keys);
        if (json_is_string(v) && json_string_length(v))
            return sdupn(json_string_value(v), json_string_length(v));
        if (json_is_integer(v)) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
            return sdup(tmp);
        }
    }
    return NULL;
}

/* JSONL: the reader gives the normalised object ("body", "title", ...);
 * objects made elsewhere may still use news-please's names. */
static ws_status from_jsonl(ws_article *a, const ws_record *rec) {
    json_error_t je;
    json_t *o = json_loadb(rec->data, rec->len, 0, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return WS_ERR_FORMAT;
    }
    static const char *const k_body[] = {"body", "maintext", "text", NULL};
    static const char *const k_title[] = {"title", NULL};
    static const char *const k_url[] = {"url", NULL};
    static const char *const k_date[] = {"date", "date_publish", NULL};
    static const char *const k_site[] = {"site", "source_domain", NULL};
    static const char *const k_lang[] = {"lang", "language", NULL};
    static const char *const k_id[] = {"id", NULL};
    ws_status st = WS_OK;
    json_t *b = NULL;
    for (const char *const *k = k_body; *k && !b; k++) {
        b = json_object_get(o, *k);
        if (!json_is_string(b)) b = NULL;
    }
    if (b) {
        a->body = sdupn(json_string_value(b), json_string_length(b));
        a->body_len = json_string_length(b);
        if (!a->body) st = WS_ERR_NOMEM;
    }
    a->title = jstr(o, k_title);
    a->url = jstr(o, k_url);
    a->date = jstr(o, k_date);
    a->site = jstr(o, k_site);
    a->lang = jstr(o, k_lang);
    if (!rec->id) a->id = jstr(o, k_id);
    json_t *au = json_object_get(o, "author");
    if (!au) au = json_object_get(o, "authors");
    if (json_is_string(au) && json_string_length(au)) {
        a->authors = calloc(1, sizeof *a->authors);
        if (a->authors && (a->authors[0] = sdup(json_string_value(au)))) a->n_authors = 1;
    } else if (json_is_array(au) && json_array_size(au)) {
        size_t n = json_array_size(au);
        a->authors = calloc(n, sizeof *a->authors);
        for (size_t i = 0; a->authors && i < n; i++) {
            json_t *v = json_array_get(au, i);
            if (json_is_string(v) && json_string_length(v))
                if ((a->authors[a->n_authors] = sdup(json_string_value(v)))) a->n_authors++;
        }
    }
    json_decref(o);
    return st;
}

static ws_status from_html(ws_article *a, const ws_record *rec) {
    char *utf8 = NULL;
    size_t n = 0;
    WS_FORWARD_IF_ERROR(ws_charset_to_utf8(rec->data, rec->len, rec->charset, 1, &utf8, &n,
                                           a->charset));
    ws_html_result h;
    memset(&h, 0, sizeof h);
    ws_status st = ws_html_extract_depth(utf8, n, rec->url, a->engine->max_html_depth, &h);
    free(utf8);
    if (st != WS_OK) return st;
    a->body = h.body ? h.body : sdup("");
    a->body_len = h.body ? h.body_len : 0;
    a->title = h.title;
    a->site = h.site;
    a->date = h.date;
    a->lang = h.lang;
    a->authors = h.authors;
    a->n_authors = h.n_authors;
    if (h.canonical) a->url = h.canonical;
    a->truncated = h.truncated;
    memset(&h, 0, sizeof h);
    return a->body ? WS_OK : WS_ERR_NOMEM;
}

/* A dateline may follow a short headline or byline: how far its search goes. */
#define DATELINE_LEAD_MAX 300

/* The first non-blank byte at or after i. */
static size_t dateline_para(const char *s, size_t n, size_t i) {
    while (i < n && (s[i] == '\n' || s[i] == '\r' || s[i] == ' ' || s[i] == '\t')) i++;
    return i;
}

/* The start of the line after the one holding i (blank lines skipped). */
static size_t next_para(const char *s, size_t n, size_t i) {
    const char *nl = memchr(s + i, '\n', n - i);
    return nl ? dateline_para(s, n, (size_t)(nl - s) + 1) : n;
}

ws_status ws_article_new(const ws_engine *e, const ws_record *rec, ws_article **out) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    WS_RETURN_IF(!e || !rec || (!rec->data && rec->len), WS_ERR_INVALID);
    ws_article *a = calloc(1, sizeof *a);
    if (!a) return WS_ERR_NOMEM;
    a->engine = e;
    a->format = rec->format == WS_FORMAT_AUTO ? WS_FORMAT_TEXT : rec->format;
    ws_status st = WS_OK;
    switch (a->format) {
    case WS_FORMAT_HTML: st = from_html(a, rec); break;
    case WS_FORMAT_JSONL: st = from_jsonl(a, rec); break;
    case WS_FORMAT_WARC: st = WS_ERR_INVALID; break; /* a reader splits WARC */
    default:                                          /* text: the exact bytes */
        a->body = sdupn(rec->data ? rec->data : "", rec->len);
        a->body_len = rec->len;
        if (!a->body) st = WS_ERR_NOMEM;
        memcpy(a->charset, "UTF-8", 6);
        break;
    }
    if (st == WS_OK && !a->body) {
        a->body = sdup("");
        if (!a->body) st = WS_ERR_NOMEM;
    }
    /* the record's id, url and (fallback) date */
    if (st == WS_OK && !a->id) a->id = sdup(rec->id ? rec->id : "-");
    if (st == WS_OK && !a->url && rec->url) a->url = sdup(rec->url);
    if (st == WS_OK && !a->date && rec->date && a->format != WS_FORMAT_TEXT)
        a->date = sdup(rec->date);
    if (st == WS_OK && !a->id) st = WS_ERR_NOMEM;
    /* dates from JSONL fields and WARC-Date in ISO 8601 when they parse */
    if (st == WS_OK && a->date && a->format != WS_FORMAT_HTML) {
        char *iso = ws_date_normalize(a->date, strlen(a->date));
        if (iso) {
            free(a->date);
            a->date = iso;
        }
    } else if (st == WS_OK && a->date && rec->date && !strcmp(a->date, rec->date)) {
        char *iso = ws_date_normalize(a->date, strlen(a->date));
        if (iso) {
            free(a->date);
            a->date = iso;
        }
    }
    /* the dateline, at the start of the body (plain text too: wire stories) */
    if (st == WS_OK) {
        ws_dateline_parse dp;
        memset(&dp, 0, sizeof dp);
        size_t off = dateline_para(a->body, a->body_len, 0), tries = 0, found = 0;
        /* the first paragraph, else the start of one of the next two when
         * what comes before is short: a headline or a byline */
        while (off < a->body_len && tries++ < 3) {
            if (ws_dateline_find(a->body + off, a->body_len - off, &dp) &&
                dp.end > dp.start && dp.end <= a->body_len - off) {
                found = 1;
                break;
            }
            ws_dateline_parse_free(&dp);
            memset(&dp, 0, sizeof dp);
            size_t next = next_para(a->body, a->body_len, off);
            if (next - off > DATELINE_LEAD_MAX) break;
            off = next;
        }
        if (found) {
            a->dl_span.start = off + dp.start;
            a->dl_span.end = off + dp.end;
            a->dl_place = dp.place;
            a->dl_date = dp.date;
            a->dl_agency = dp.agency;
            dp.place = dp.date = dp.agency = NULL;
        }
        ws_dateline_parse_free(&dp);
    }
    if (st != WS_OK) {
        ws_article_free(a);
        return st;
    }
    *out = a;
    return WS_OK;
}

void ws_article_get(const ws_article *a, ws_article_info *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!a) return;
    out->format = a->format;
    out->id = a->id;
    out->title = a->title;
    out->date = a->date;
    out->url = a->url;
    out->site = a->site;
    out->lang = a->lang;
    out->n_authors = a->n_authors;
    out->authors = (const char *const *)a->authors;
    out->dateline.span = a->dl_span;
    out->dateline.place = a->dl_place;
    out->dateline.date = a->dl_date;
    out->dateline.agency = a->dl_agency;
    out->body = a->body;
    out->body_len = a->body_len;
    out->truncated = a->truncated;
}

ws_status ws_article_analyze(const ws_engine *e, const ws_article *a, ws_doc **out) {
    return ws_article_analyze_cached(e, NULL, a, out);
}

ws_status ws_article_analyze_cached(const ws_engine *e, ws_cache *c,
                                    const ws_article *a, ws_doc **out) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    WS_RETURN_IF(!e || !a, WS_ERR_INVALID);
    return ws_analyze_cached(e, c, a->body, a->body_len, a->id, out);
}

ws_status ws_article_to_json(const ws_article *a, const ws_doc *d, unsigned flags,
                             char **out, size_t *out_len) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    if (out_len) *out_len = 0;
    WS_RETURN_IF(!a, WS_ERR_INVALID);
    /* every format, plain text too, gives the article object: the fields of
     * ws_extract_json's object plus the article's (null when unknown) */
    if (flags & WS_JSON_NO_ANALYSIS) d = NULL; /* metadata only */
    ws_article_info info;
    ws_article_get(a, &info);
    return ws_json_write_article(&a->engine->mem, d, &info, flags, out, out_len);
}

ws_status ws_record_to_json(const ws_engine *e, const ws_record *rec, unsigned flags,
                            char **out, size_t *out_len) {
    return ws_record_to_json_cached(e, NULL, rec, flags, out, out_len);
}

ws_status ws_record_to_json_cached(const ws_engine *e, ws_cache *c,
                                   const ws_record *rec, unsigned flags,
                                   char **out, size_t *out_len) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    if (out_len) *out_len = 0;
    WS_RETURN_IF(!e || !rec || (!rec->data && rec->len), WS_ERR_INVALID);
    ws_article *a = NULL;
    WS_FORWARD_IF_ERROR(ws_article_new(e, rec, &a));
    ws_doc *d = NULL;
    ws_status st = WS_OK;
    if (!(flags & WS_JSON_NO_ANALYSIS)) st = ws_article_analyze_cached(e, c, a, &d);
    if (st == WS_OK) st = ws_article_to_json(a, d, flags, out, out_len);
    ws_doc_free_cached(c, d);
    ws_article_free(a);
    return st;
}
