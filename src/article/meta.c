/* meta.c - publication date, authors and language of a parsed HTML page
 * (owned by "meta"). See meta.h. Every walk of the gumbo tree and of JSON-LD
 * uses an explicit stack; nothing is global; nothing is printed. */
#include "article/meta.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- helpers */

/* Pre-order walk of element and text nodes with an explicit stack. */
typedef struct walk { const GumboNode **st; size_t n, cap; int oom; } walk;

static void walk_push(walk *w, const GumboNode *nd)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        const GumboNode **ns = realloc(w->st, nc * sizeof *ns);
        if (!ns) { w->oom = 1; return; }
        w->st = ns;
        w->cap = nc;
    }
    w->st[w->n++] = nd;
}

static void walk_init(walk *w, const GumboNode *root)
{
    memset(w, 0, sizeof *w);
    if (root)
        walk_push(w, root);
}

/* Next node; children of elements are pushed unless skip_children. */
static const GumboNode *walk_next(walk *w)
{
    while (w->n) {
        const GumboNode *nd = w->st[--w->n];
        if (nd->type == GUMBO_NODE_ELEMENT || nd->type == GUMBO_NODE_TEMPLATE ||
            nd->type == GUMBO_NODE_DOCUMENT) {
            const GumboVector *ch = nd->type == GUMBO_NODE_DOCUMENT ? &nd->v.document.children
                                                                    : &nd->v.element.children;
            for (unsigned i = ch->length; i-- > 0;)
                walk_push(w, (const GumboNode *)ch->data[i]);
        }
        return nd;
    }
    return NULL;
}

static void walk_free(walk *w) { free(w->st); w->st = NULL; w->n = w->cap = 0; }

static int is_elem(const GumboNode *nd)
{
    return nd->type == GUMBO_NODE_ELEMENT || nd->type == GUMBO_NODE_TEMPLATE;
}

static const char *attr(const GumboNode *nd, const char *name)
{
    if (!is_elem(nd))
        return NULL;
    const GumboAttribute *a = gumbo_get_attribute(&nd->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Case-insensitive substring (ASCII). */
static int has_ci(const char *hay, const char *needle)
{
    if (!hay)
        return 0;
    size_t n = strlen(needle);
    unsigned char c0 = (unsigned char)needle[0], u0 = c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0;
    for (; *hay; hay++)
        if (((unsigned char)*hay == c0 || (unsigned char)*hay == u0) && strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* Growable byte buffer. */
typedef struct buf { char *p; size_t n, cap; int oom; int no_chrome; } buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) { b->oom = 1; return; }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static int skip_tag(GumboTag t)
{
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
           t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_SVG ||
           t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_SELECT;
}

static int block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_SPAN: case GUMBO_TAG_TIME: case GUMBO_TAG_A:
        return 1;
    default:
        return 0;
    }
}

/* Inline formatting that joins its text to the neighbours' words. */
static int inline_tag(GumboTag t)
{
    return t == GUMBO_TAG_B || t == GUMBO_TAG_I || t == GUMBO_TAG_EM || t == GUMBO_TAG_STRONG ||
           t == GUMBO_TAG_U || t == GUMBO_TAG_SUB || t == GUMBO_TAG_SUP || t == GUMBO_TAG_ABBR ||
           t == GUMBO_TAG_MARK || t == GUMBO_TAG_WBR;
}

/* Visible text under nd (scripts, styles skipped), at most cap bytes; block
 * elements and spans/links are separated by a space or newline. Explicit
 * stack: an end marker (NULL) is not needed because separators are added
 * before each block element. */
static void node_text(const GumboNode *nd, buf *b, size_t cap)
{
    walk w;
    walk_init(&w, nd);
    const GumboNode *x;
    /* a node budget too: a deep subtree without text must not cost O(n) per
     * call (nested date-classed wrappers would make a page quadratic) */
    size_t budget = 64 + cap * 8;
    while (b->n < cap && !b->oom && budget-- > 0 && (x = w.n ? w.st[w.n - 1] : NULL) != NULL) {
        w.n--;
        if (x->type == GUMBO_NODE_TEXT || x->type == GUMBO_NODE_WHITESPACE ||
            x->type == GUMBO_NODE_CDATA) {
            const char *t = x->v.text.text;
            size_t tl = strlen(t);
            if (tl > cap - b->n)
                tl = cap - b->n;
            buf_add(b, t, tl);
        } else if (is_elem(x) && !skip_tag(x->v.element.tag) &&
                   !(b->no_chrome && (x->v.element.tag == GUMBO_TAG_NAV ||
                                      x->v.element.tag == GUMBO_TAG_FOOTER ||
                                      x->v.element.tag == GUMBO_TAG_ASIDE ||
                                      x->v.element.tag == GUMBO_TAG_FORM))) {
            if (block_tag(x->v.element.tag))
                buf_add(b, x->v.element.tag == GUMBO_TAG_SPAN || x->v.element.tag == GUMBO_TAG_A ||
                               x->v.element.tag == GUMBO_TAG_TIME ? " " : "\n", 1);
            else if (!inline_tag(x->v.element.tag))
                buf_add(b, " ", 1);
            const GumboVector *ch = &x->v.element.children;
            for (unsigned i = ch->length; i-- > 0;)
                walk_push(&w, (const GumboNode *)ch->data[i]);
        } else if (x->type == GUMBO_NODE_DOCUMENT) {
            const GumboVector *ch = &x->v.document.children;
            for (unsigned i = ch->length; i-- > 0;)
                walk_push(&w, (const GumboNode *)ch->data[i]);
        }
    }
    walk_free(&w);
    if (!b->p)
        buf_add(b, "", 0);
}

/* Collapses runs of whitespace (incl. NBSP) into one space and trims. */
static char *squeeze(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    size_t o = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { ws = 1; i++; }
        if (ws) { sp = 1; continue; }
        if (sp && o) r[o++] = ' ';
        sp = 0;
        r[o++] = (char)c;
    }
    r[o] = 0;
    return r;
}

/* The first <script type=application/ld+json> ... of the page, parsed. */
static json_t *parse_ld(const GumboNode *script)
{
    if (script->v.element.children.length < 1)
        return NULL;
    const GumboNode *t = script->v.element.children.data[0];
    if (t->type != GUMBO_NODE_TEXT && t->type != GUMBO_NODE_CDATA && t->type != GUMBO_NODE_WHITESPACE)
        return NULL;
    const char *s = t->v.text.text;
    size_t n = strlen(s);
    /* strip comment / CDATA wrappers and trailing semicolons */
    while (n && (unsigned char)*s <= ' ') { s++; n--; }
    if (n >= 4 && memcmp(s, "<!--", 4) == 0) { s += 4; n -= 4; }
    if (n >= 11 && memcmp(s, "//<![CDATA[", 11) == 0) { s += 11; n -= 11; }
    for (size_t before = 0; before != n;) {
        before = n;
        while (n && ((unsigned char)s[n - 1] <= ' ' || s[n - 1] == ';')) n--;
        if (n >= 3 && memcmp(s + n - 3, "-->", 3) == 0) n -= 3;
        if (n >= 5 && memcmp(s + n - 5, "//]]>", 5) == 0) n -= 5;
    }
    json_error_t err;
    return json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
}

static int ld_article_type(json_t *obj)
{
    json_t *t = json_object_get(obj, "@type");
    if (json_is_array(t) && json_array_size(t) > 0)
        t = json_array_get(t, 0);
    const char *s = json_string_value(t);
    if (!s)
        return 0;
    return has_ci(s, "Article") || has_ci(s, "Posting") || has_ci(s, "Report") ||
           has_ci(s, "NewsArticle") || has_ci(s, "Blog");
}

/* Calls fn on every JSON object inside v (explicit stack). */
typedef void (*ld_fn)(json_t *obj, void *ctx);
static void ld_each_object(json_t *v, ld_fn fn, void *ctx)
{
    json_t **st = NULL;
    size_t n = 0, cap = 0;
    for (json_t *cur = v;; ) {
        if (json_is_object(cur)) {
            fn(cur, ctx);
            const char *k;
            json_t *x;
            json_object_foreach(cur, k, x) {
                if (json_is_object(x) || json_is_array(x)) {
                    if (n == cap) {
                        size_t nc = cap ? cap * 2 : 32;
                        json_t **ns = realloc(st, nc * sizeof *ns);
                        if (!ns) { free(st); return; }
                        st = ns;
                        cap = nc;
                    }
                    st[n++] = x;
                }
            }
        } else if (json_is_array(cur)) {
            for (size_t i = json_array_size(cur); i-- > 0;) {
                json_t *x = json_array_get(cur, i);
                if (json_is_object(x) || json_is_array(x)) {
                    if (n == cap) {
                        size_t nc = cap ? cap * 2 : 32;
                        json_t **ns = realloc(st, nc * sizeof *ns);
                        if (!ns) { free(st); return; }
                        st = ns;
                        cap = nc;
                    }
                    st[n++] = x;
                }
            }
        }
        if (!n)
            break;
        cur = st[--n];
    }
    free(st);
}

/* ------------------------------------------------------------------ dates */

typedef struct ld_date_ctx { char *best; int rank; } ld_date_ctx;

static void ld_date_fn(json_t *obj, void *vctx)
{
    ld_date_ctx *c = vctx;
    int art = ld_article_type(obj);
    static const char *const keys[] = {"datePublished", "dateCreated"};
    for (int k = 0; k < 2; k++) {
        const char *s = json_string_value(json_object_get(obj, keys[k]));
        int rank = k * 2 + (art ? 0 : 1);
        if (!s || rank >= c->rank)
            continue;
        char *d = ws_date_normalize(s, strlen(s));
        if (d) {
            free(c->best);
            c->best = d;
            c->rank = rank;
        }
    }
}

/* <meta> keys of the publication date, best first. */
static const char *const META_PUB[] = {
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "article.published", "datepublished", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
    "dc.date", "dcterms.date", "citation_publication_date", "citation_date", "pubdate",
    "publishdate", "publish_date", "publish-date", "publication_date", "publication-date",
    "article_date_original", "originalpublicationdate", "date_published", "created",
    "date", "dc.created", "cxenseparse:recs:publishtime", "displaydate", "og:pubdate",
    "article:post_date", "live_date", "shareaholic:article_published_time",
};
static const char *const META_MOD[] = {
    "article:modified_time", "og:updated_time", "dateModified", "last-modified",
    "dcterms.modified", "dc.date.modified", "article:modified",
};

static int key_rank(const char *key, const char *const *tab, int n)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(key, tab[i]) == 0)
            return i;
    return -1;
}

static const char *meta_key(const GumboNode *nd)
{
    const char *k = attr(nd, "property");
    if (!k) k = attr(nd, "name");
    if (!k) k = attr(nd, "itemprop");
    if (!k) k = attr(nd, "http-equiv");
    return k;
}

/* Rank of a <time>/dated element: lower is better, -1 not a candidate. */
static int time_rank(const GumboNode *nd)
{
    const char *ip = attr(nd, "itemprop"), *cl = attr(nd, "class"), *id = attr(nd, "id");
    if (has_ci(ip, "dateModified") || has_ci(cl, "modif") || has_ci(cl, "update") ||
        has_ci(id, "modif") || has_ci(id, "update"))
        return 4;
    if (has_ci(ip, "datePublished") || attr(nd, "pubdate") || has_ci(cl, "publish") ||
        has_ci(cl, "pubdate") || has_ci(cl, "entry-date") || has_ci(cl, "post-date") ||
        has_ci(id, "publish"))
        return 0;
    int up = 0;
    for (const GumboNode *p = nd->parent; p && p->type == GUMBO_NODE_ELEMENT && up < 40;
         p = p->parent, up++) {
        GumboTag t = p->v.element.tag;
        if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_HEADER || t == GUMBO_TAG_MAIN)
            return 1;
        if (t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NAV)
            return 3;
    }
    return 2;
}

/* Where a date-labelled element sits: 0 in the article (article, main,
 * header), 1 elsewhere, 2 in a teaser, list item, sidebar or footer (dates
 * of other articles). Looks 12 levels up. */
static int place_rank(const GumboNode *nd)
{
    int up = 0, in_article = 0;
    for (const GumboNode *p = nd->parent; p && p->type == GUMBO_NODE_ELEMENT && up < 12;
         p = p->parent, up++) {
        GumboTag t = p->v.element.tag;
        if (t == GUMBO_TAG_LI || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NAV || t == GUMBO_TAG_FOOTER)
            return 2;
        const char *cl = attr(p, "class"), *id = attr(p, "id");
        static const char *const other[] = {"teaser", "related", "widget", "sidebar", "slider",
                                            "recent", "popular", "carousel", "swiper", "comment",
                                            "footer", "more-", "readmore", "latest"};
        for (size_t k = 0; k < sizeof other / sizeof other[0]; k++)
            if (has_ci(cl, other[k]) || has_ci(id, other[k]))
                return 2;
        if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN || t == GUMBO_TAG_HEADER ||
            has_ci(cl, "article") || has_ci(cl, "post") || has_ci(cl, "entry"))
            in_article = 1;
    }
    return in_article ? 0 : 1;
}

/* Does a class/id name look like a date or byline container? */
static int datey_class(const GumboNode *nd)
{
    const char *cl = attr(nd, "class"), *id = attr(nd, "id");
    static const char *const keys[] = {"date", "publish", "posted", "byline", "time", "meta",
                                       "datum", "fecha", "dateline", "info", "author"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (has_ci(cl, keys[i]) || has_ci(id, keys[i]))
            return !(has_ci(cl, "modif") || has_ci(cl, "update") || has_ci(cl, "comment"));
    return 0;
}

/* Is a modification keyword in the few bytes before text[i]? */
static int after_modified(const char *text, size_t i)
{
    static const char *const kw[] = {"updated", "modified", "änderung", "aktualisiert",
                                     "geändert", "mis à jour", "обновлено", "edited",
                                     "actualizado", "aggiornato", "bijgewerkt"};
    size_t b = i > 40 ? i - 40 : 0;
    for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++) {
        size_t kl = strlen(kw[k]);
        int k0 = tolower((unsigned char)kw[k][0]); /* strncasecmp's first test */
        for (size_t j = b; j + kl <= i; j++)
            if (tolower((unsigned char)text[j]) == k0 && strncasecmp(text + j, kw[k], kl) == 0)
                return 1;
    }
    return 0;
}

/* A date near a publication keyword in text, else (any >= 0) the first date
 * that does not follow a modification keyword (any > 0: else the first date
 * at all). loose: two-digit years too. */
static char *text_date(const char *text, size_t n, int loose, int any)
{
    static const char *const kw[] = {"published", "posted", "veröffentlicht", "erschienen",
                                     "publiziert", "publié", "publicado", "pubblicato",
                                     "gepubliceerd", "опубликовано", "дата публикации",
                                     "date:", "datum:"};
    for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++) {
        size_t kl = strlen(kw[k]);
        /* strncasecmp compares the bytes' tolower(): the first one decides
         * most positions without the call */
        int k0 = tolower((unsigned char)kw[k][0]);
        for (size_t i = 0; i + kl <= n; i++) {
            if (tolower((unsigned char)text[i]) != k0 || strncasecmp(text + i, kw[k], kl) != 0)
                continue;
            size_t lim = n - (i + kl) < 80 ? n - (i + kl) : 80;
            size_t pos;
            char *d = ws_date_scan2(text + i + kl, lim, &pos, loose);
            if (d)
                return d;
        }
    }
    if (any < 0)
        return NULL;
    char *first = NULL;
    for (size_t off = 0; off < n;) {
        size_t pos = 0;
        char *d = ws_date_scan2(text + off, n - off, &pos, loose);
        if (!d)
            break;
        if (!after_modified(text, off + pos)) {
            free(first);
            return d;
        }
        if (!first && any)
            first = d;
        else
            free(d);
        off += pos + 1;
    }
    return first;
}

/* A publication date in the data of an ordinary <script> (embedded JSON
 * or a call): "publishedDate":"2016-11-04T20:37:27Z", showDate("2020/04/17").
 * Keys in order of preference; *rank is lowered when one is found. */
static char *script_date(const char *t, int *rank)
{
    static const char *const keys[] = {"datePublished", "publishedDate", "published_at",
                                       "publishedAt", "publishDate", "publish_date",
                                       "date_published", "publicationDate", "firstPublished",
                                       "first_published_at", "pubDate", "published_time",
                                       "article_publication_date", "dateCreated", "createdAt",
                                       "created_at", "showDate"};
    char *best = NULL;
    for (int k = 0; k < (int)(sizeof keys / sizeof keys[0]) && k < *rank; k++) {
        size_t kl = strlen(keys[k]);
        for (const char *p = strstr(t, keys[k]); p; p = strstr(p + 1, keys[k])) {
            const char *q = p + kl;
            int skip = 0;
            while (*q && skip < 6 && (*q == '"' || *q == '\'' || *q == ':' || *q == ' ' ||
                                      *q == '(' || *q == '=' || *q == '\\')) {
                q++;
                skip++;
            }
            size_t vl = 0;
            while (q[vl] && vl < 40 && q[vl] != '"' && q[vl] != '\'' && q[vl] != '\\' && q[vl] != ',')
                vl++;
            char *d = ws_date_normalize(q, vl);
            if (!d && vl >= 10)
                d = ws_date_normalize(q, 10);
            if (d) {
                free(best);
                best = d;
                *rank = k;
                break;
            }
        }
    }
    return best;
}

/* Day number of a "YYYY-MM-DD..." string (days from civil), or -1. */
static long day_number(const char *d)
{
    if (!d || strlen(d) < 10)
        return -1;
    long y = strtol(d, NULL, 10), m = strtol(d + 5, NULL, 10), dd = strtol(d + 8, NULL, 10);
    y -= m <= 2;
    long era = y / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

/* A datetime in UTC ("...Z", "+00:00") with a time of day. */
static int is_utc_time(const char *d)
{
    if (!d || !strchr(d, 'T'))
        return 0;
    size_t n = strlen(d);
    return d[n - 1] == 'Z' || (n > 6 && strcmp(d + n - 6, "+00:00") == 0);
}

/* Local (non-UTC) date strings seen among the publication sources. */
typedef struct alts { char *v[16]; int n; } alts;

static void alts_add(alts *a, const char *d)
{
    if (d && a->n < 16 && !is_utc_time(d)) {
        a->v[a->n] = strdup(d);
        if (a->v[a->n])
            a->n++;
    }
}

char *ws_meta_date(const GumboNode *root, const char *url, const char *text, size_t text_len)
{
    return ws_meta_date_source(root, url, text, text_len, NULL);
}

char *ws_meta_date_source(const GumboNode *root, const char *url, const char *text,
                          size_t text_len, const char **source)
{
    const char *src_dummy;
    if (!source)
        source = &src_dummy;
    *source = NULL;
    ld_date_ctx ld = {NULL, 99};
    char *meta_best = NULL, *mod_best = NULL, *time_best = NULL, *class_best = NULL;
    int meta_rank = 99, mod_rank = 99, trank = 99;
    alts alt = {{0}, 0};
    char *script_best = NULL;
    int srank = 99, class_tries = 0, time_tries = 0, class_rank = 3;
    const char *page_url = NULL;
    const GumboNode *body = NULL;
    walk w;
    walk_init(&w, root);
    const GumboNode *nd;
    while ((nd = walk_next(&w)) != NULL) {
        if (!is_elem(nd))
            continue;
        GumboTag tag = nd->v.element.tag;
        if (tag == GUMBO_TAG_BODY && !body)
            body = nd;
        if (tag == GUMBO_TAG_SCRIPT) {
            const char *ty = attr(nd, "type");
            if (ty && has_ci(ty, "ld+json") && ld.rank > 0) {
                json_t *j = parse_ld(nd);
                if (j) {
                    ld_each_object(j, ld_date_fn, &ld);
                    json_decref(j);
                }
            } else if (srank > 0 && nd->v.element.children.length > 0) {
                const GumboNode *t = nd->v.element.children.data[0];
                if (t->type == GUMBO_NODE_TEXT || t->type == GUMBO_NODE_CDATA) {
                    char *d = script_date(t->v.text.text, &srank);
                    if (d) { free(script_best); script_best = d; }
                }
            }
            continue;
        }
        const char *content = attr(nd, "content");
        const char *key = meta_key(nd);
        /* the page's own URL, for saved pages without one */
        if (!page_url && tag == GUMBO_TAG_LINK && attr(nd, "rel") &&
            strcasecmp(attr(nd, "rel"), "canonical") == 0)
            page_url = attr(nd, "href");
        if (!page_url && tag == GUMBO_TAG_META && key && content && strcasecmp(key, "og:url") == 0)
            page_url = content;
        if (key && content && (tag == GUMBO_TAG_META || attr(nd, "itemprop"))) {
            int r = key_rank(key, META_PUB, (int)(sizeof META_PUB / sizeof META_PUB[0]));
            if (r >= 0 && r >= meta_rank) {
                char *d = ws_date_normalize(content, strlen(content));
                alts_add(&alt, d);
                free(d);
            } else if (r >= 0) {
                char *d = ws_date_normalize(content, strlen(content));
                alts_add(&alt, d);
                if (d) { free(meta_best); meta_best = d; meta_rank = r; }
            }
            r = key_rank(key, META_MOD, (int)(sizeof META_MOD / sizeof META_MOD[0]));
            if (r >= 0 && r < mod_rank) {
                char *d = ws_date_normalize(content, strlen(content));
                if (d) { free(mod_best); mod_best = d; mod_rank = r; }
            }
        }
        if (tag == GUMBO_TAG_TIME || (attr(nd, "itemprop") && has_ci(attr(nd, "itemprop"), "datePublished"))) {
            int r = ++time_tries > 500 ? 99 : time_rank(nd);
            if (r < trank || (r < 3 && time_tries <= 500)) {
                const char *dt = attr(nd, "datetime");
                if (!dt) dt = content;
                char *d = dt ? ws_date_normalize(dt, strlen(dt)) : NULL;
                buf b = {0};
                node_text(nd, &b, 200);
                char *dtext = NULL;
                if (b.p) dtext = ws_date_normalize(b.p, b.n);
                if (!dtext && b.p) dtext = ws_date_scan2(b.p, b.n, NULL, 1);
                free(b.p);
                if (r < 2) { alts_add(&alt, d); alts_add(&alt, dtext); }
                if (!d) d = dtext, dtext = NULL;
                free(dtext);
                if (d && r < trank) { free(time_best); time_best = d; trank = r; }
                else free(d);
            }
        } else if (class_rank > 0 && class_tries < 300 && tag != GUMBO_TAG_BODY &&
                   tag != GUMBO_TAG_HTML && datey_class(nd) && ++class_tries) {
            int pr = place_rank(nd);
            if (pr < class_rank) {
                buf b = {0};
                node_text(nd, &b, 300);
                char *d = b.p && b.n < 300 ? text_date(b.p, b.n, 1, 0) : NULL;
                free(b.p);
                if (d) {
                    free(class_best);
                    class_best = d;
                    class_rank = pr;
                    if (pr < 2)
                        alts_add(&alt, d);
                }
            }
        }
    }
    walk_free(&w);

    char *res = NULL;
    if (ld.best) res = ld.best, ld.best = NULL, *source = "json-ld";
    else if (meta_best) res = meta_best, meta_best = NULL, *source = "meta";
    else if (time_best && trank < 4) res = time_best, time_best = NULL, *source = "time";
    else if ((res = ws_date_from_url(url)) != NULL) *source = "url";
    else if ((res = ws_date_from_url(page_url)) != NULL) *source = "canonical-url";
    else if (class_best) res = class_best, class_best = NULL, *source = "class";
    /* the article text: a date after "Published"... only; its first date comes
     * after the page's (which sees the header above the article) */
    else if (text && (res = text_date(text, text_len, 0, -1)) != NULL) *source = "text";
    else if (script_best) res = script_best, script_best = NULL, *source = "script";
    else if (time_best) res = time_best, time_best = NULL, *source = "time-modified";
    else if (mod_best) res = mod_best, mod_best = NULL, *source = "meta-modified";
    else if (body) {
        /* navigation, footers and sidebars first left out: their dates are
         * today's date, archives and other articles */
        buf b = {0};
        b.no_chrome = 1;
        node_text(body, &b, 1 << 19);
        if (b.p)
            res = text_date(b.p, b.n, 0, 1);
        free(b.p);
        if (!res) {
            buf b2 = {0};
            node_text(body, &b2, 1 << 19);
            if (b2.p)
                res = text_date(b2.p, b2.n, 0, 1);
            free(b2.p);
        }
        if (res)
            *source = "page-text";
    }
    if (!res && text && (res = text_date(text, text_len, 0, 1)) != NULL)
        *source = "text";
    /* A UTC datetime whose day differs by one from a local date of another
     * publication source: the page's own day is the local one. */
    if (is_utc_time(res) && *source && strcmp(*source, "url") != 0) {
        long dn = day_number(res);
        for (int i = 0; i < alt.n; i++) {
            long an = day_number(alt.v[i]);
            /* the UTC hour must be able to cross midnight in the page's zone:
             * late evening for a zone east of UTC, early morning for west */
            int hour = atoi(strchr(res, 'T') + 1);
            if ((an == dn + 1 && hour >= 22) || (an == dn - 1 && hour < 9)) {
                char *d = malloc(11);
                if (d) {
                    memcpy(d, alt.v[i], 10);
                    d[10] = 0;
                    free(res);
                    res = d;
                }
                break;
            }
        }
    }
    for (int i = 0; i < alt.n; i++)
        free(alt.v[i]);
    free(ld.best);
    free(meta_best);
    free(mod_best);
    free(time_best);
    free(class_best);
    free(script_best);
    return res;
}

/* ---------------------------------------------------------------- authors */

typedef struct names { char **v; size_t n, cap; int oom; const char *site; } names;

static int word_count(const char *s)
{
    int n = 0, in = 0;
    for (; *s; s++) {
        if (*s == ' ') in = 0;
        else if (!in) { in = 1; n++; }
    }
    return n;
}

static int names_add_one(names *nm, const char *s, size_t n)
{
    while (n && (s[0] == ' ' || s[0] == ',' || s[0] == '-' || s[0] == ':')) { s++; n--; }
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '-' || s[n - 1] == ':' ||
                  s[n - 1] == '|'))
            n--;
        else if (n >= 3 && s[n - 1] == '.' && !(s[n - 2] >= 'A' && s[n - 2] <= 'Z' &&
                                               (s[n - 3] == ' ' || s[n - 3] == '.')))
            n--; /* a final dot, but not of an initial ("Jeff T.", "Ph.D.") */
        else
            break;
    }
    if (n < 2 || n > 80)
        return 0;
    char *c = malloc(n + 1);
    if (!c) { nm->oom = 1; return 0; }
    memcpy(c, s, n);
    c[n] = 0;
    /* "Luke Kim December 17, 2025", "Jane Doe 3 hours ago": cut at the date */
    for (size_t i = 1; i < n; i++) {
        if (c[i - 1] != ' ')
            continue;
        size_t we = i;
        while (we < n && c[we] != ' ' && c[we] != ',')
            we++;
        size_t nx = we;
        while (nx < n && (c[nx] == ' ' || c[nx] == ','))
            nx++;
        if ((c[i] >= '0' && c[i] <= '9') ||
            (ws_date_month(c + i, we - i) && nx < n && c[nx] >= '0' && c[nx] <= '9')) {
            size_t k = i;
            while (k > 0 && (c[k - 1] == ' ' || c[k - 1] == ',' || c[k - 1] == '-' || c[k - 1] == '|'))
                k--;
            c[k] = 0;
            n = k;
            break;
        }
    }
    int letters = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)c[i];
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch >= 0x80) letters++;
        else if (ch >= '0' && ch <= '9') digits++;
    }
    /* job titles and desks are not names */
    static const char *const roles[] = {"staff", "writer", "editor", "reporter", "correspondent",
                                        "columnist", "desk", "redaktion", "bureau", "newsroom",
                                        "admin", "press", "agency", "published", "updated",
                                        "posted", "read", "reviewed", "director", "manager",
                                        "founder", "ceo", "head", "officer", "analyst",
                                        "specialist", "expert", "chief", "sign", "about",
                                        "institute", "senior", "contributing", "photographer",
                                        "journalist", "follow", "view", "more", "all", "written",
                                        "share", "subscribe", "contact"};
    int role = 0;
    for (size_t k = 0; k < sizeof roles / sizeof roles[0] && !role; k++) {
        size_t rl = strlen(roles[k]);
        for (size_t i = 0; i + rl <= n && !role; i++)
            if ((i == 0 || c[i - 1] == ' ') && strncasecmp(c + i, roles[k], rl) == 0 &&
                (c[i + rl] == 0 || c[i + rl] == ' ' || c[i + rl] == 's' || c[i + rl] == ',')) {
                /* "Jane Doe Staff Writer": keep the name before a title */
                if (i >= 2 && word_count(c) > 2) {
                    size_t k2 = i - 1;
                    while (k2 > 0 && (c[k2 - 1] == ' ' || c[k2 - 1] == ','))
                        k2--;
                    c[k2] = 0;
                    n = k2;
                    if (word_count(c) < 2) role = 1;
                } else {
                    role = 1;
                }
            }
    }
    /* one-word placeholders */
    static const char *const junk[] = {"by", "author", "authors", "admin", "administrator",
                                       "webmaster", "undefined", "null", "none", "anonymous",
                                       "guest", "unknown", "tools", "home", "menu", "share"};
    for (size_t k = 0; k < sizeof junk / sizeof junk[0] && !role; k++)
        if (strcasecmp(c, junk[k]) == 0)
            role = 1;
    if (!strchr(c, ' ') && ws_date_month(c, strlen(c)))
        role = 1; /* "July" */
    unsigned char c0 = (unsigned char)c[0];
    int single = strchr(c, ' ') == NULL;
    int inner_cap = 0, lower = 0;
    for (size_t i = 1; i < n; i++) {
        if (c[i] >= 'a' && c[i] <= 'z') lower = 1;
        if (c[i] >= 'A' && c[i] <= 'Z' && c[i - 1] >= 'a' && c[i - 1] <= 'z' &&
            !(i >= 2 && c[i - 2] == 'M' && c[i - 1] == 'c') &&
            !(i >= 3 && c[i - 3] == 'M' && c[i - 2] == 'a' && c[i - 1] == 'c'))
            inner_cap = 1;
    }
    int bad = role || letters < 2 || digits > 0 || strstr(c, "://") || strstr(c, "www.") ||
              strchr(c, '@') || strchr(c, '/') || strchr(c, '{') || strchr(c, ':') ||
              strchr(c, '#') || strchr(c, '=') || word_count(c) > 5 ||
              (c0 >= 'a' && c0 <= 'z') ||                       /* "cholesterol is wrong" */
              (single && (strchr(c, '.') || strchr(c, '_'))) ||  /* handles, template keys */
              (single && inner_cap) ||                           /* "AppAddict" brands */
              (single && !lower && c0 < 0x80) ||                 /* "CDC" */
              (nm->site && strcasecmp(c, nm->site) == 0);
    for (size_t i = 0; !bad && i < nm->n; i++)
        if (strcasecmp(nm->v[i], c) == 0)
            bad = 1;
    if (bad) { free(c); return role ? -1 : 0; }
    if (nm->n == nm->cap) {
        size_t nc = nm->cap ? nm->cap * 2 : 4;
        char **nv = realloc(nm->v, nc * sizeof *nv);
        if (!nv) { free(c); nm->oom = 1; return 0; }
        nm->v = nv;
        nm->cap = nc;
    }
    nm->v[nm->n++] = c;
    return 1;
}

/* Degrees and suffixes that follow a name after a comma. */
static int name_suffix(const char *p)
{
    static const char *const suf[] = {"ph.d.", "ph.d", "phd", "md", "m.d.", "dvm", "rn", "mba",
                                      "jr.", "jr", "sr.", "sr", "esq.", "cpa", "rd", "ms",
                                      "ma", "msc", "bsc", "dds", "np", "pa-c", "lcsw", "ii", "iii"};
    while (*p == ' ')
        p++;
    size_t n = 0;
    while (p[n] && p[n] != ',' && p[n] != ' ' && p[n] != ';')
        n++;
    for (size_t k = 0; k < sizeof suf / sizeof suf[0]; k++)
        if (strlen(suf[k]) == n && strncasecmp(p, suf[k], n) == 0)
            return 1;
    return 0;
}

/* Cleans a byline ("By Jane Doe and John Roe | Staff, March 3") and adds its
 * names. */
static void names_add(names *nm, const char *raw, size_t rawn)
{
    /* the first non-empty line only (a byline box may hold a bio below) */
    size_t b = 0;
    while (b < rawn && (raw[b] == '\n' || raw[b] == ' ' || raw[b] == '\t' || raw[b] == '\r'))
        b++;
    size_t e = b;
    while (e < rawn && raw[e] != '\n')
        e++;
    /* a line that is only "By" continues on the next line */
    if (e - b <= 3 && e < rawn && strncasecmp(raw + b, "by", 2) == 0) {
        e++;
        while (e < rawn && (raw[e] == ' ' || raw[e] == '\t' || raw[e] == '\n' || raw[e] == '\r'))
            e++;
        while (e < rawn && raw[e] != '\n')
            e++;
    }
    char *s = squeeze(raw + b, e - b);
    if (!s) { nm->oom = 1; return; }
    char *p = s;
    static const char *const pre[] = {"written by ", "posted by ", "story by ", "words by ",
                                      "by ", "von ", "par ", "por ", "di ", "door ", "автор: ",
                                      "автор ", "author: ", "author ", "текст: "};
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
            size_t pl = strlen(pre[i]);
            if (strncasecmp(p, pre[i], pl) == 0) { p += pl; again = 1; }
        }
    }
    /* cut at a separator that starts other matter */
    /* drop "(...)" parts: "Lance Ryan (Content Manager)" */
    for (char *o = strchr(p, '('); o; o = strchr(o, '(')) {
        char *cl = strchr(o, ')');
        if (!cl) { *o = 0; break; }
        memmove(o, cl + 1, strlen(cl + 1) + 1);
    }
    static const char *const cut[] = {" | ", "|", " • ", " · ", " - ", " – ", " — ", "\n",
                                      " on ", " published", " updated", " posted",
                                      ". reviewed", " reviewed by", " edited by", " fact checked",
                                      " fact-checked", " medically reviewed"};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        char *q = strstr(p, cut[i]);
        if (!q && i >= 8) {
            /* case-insensitive for the words */
            for (char *r = p; *r && !q; r++)
                if (strncasecmp(r, cut[i], strlen(cut[i])) == 0) q = r;
        }
        if (q) *q = 0;
    }
    /* "Kaufman, Jeff T." (one comma after one word): one name */
    {
        char *c1 = strchr(p, ',');
        if (c1 && !strchr(c1 + 1, ',') && !memchr(p, ' ', (size_t)(c1 - p)) &&
            word_count(c1 + 1) <= 3 && !strstr(p, " and ") && !strstr(p, " & ")) {
            names_add_one(nm, p, strlen(p));
            free(s);
            return;
        }
    }
    /* split on " and ", " & ", ";", "," (a comma only between names) */
    char *start = p;
    for (char *q = p;; q++) {
        size_t sl = 0;
        if (*q == 0) sl = 0;
        else if (strncasecmp(q, " and ", 5) == 0) sl = 5;
        else if (strncmp(q, " & ", 3) == 0) sl = 3;
        else if (*q == ';' || *q == ',') sl = 1;
        else if (strncmp(q, " и ", 4) == 0) sl = 4;
        else continue;
        if (*q == ',' && name_suffix(q + 1))
            continue; /* "Genevieve Carlton, Ph.D." */
        if (*q == ',' || *q == ';') {
            /* "Jane Doe, Staff Writer": stop at a lower-case or role word */
            const char *r = q + 1;
            while (*r == ' ') r++;
            if (!(*r >= 'A' && *r <= 'Z') && !((unsigned char)*r >= 0x80)) {
                names_add_one(nm, start, (size_t)(q - start));
                break;
            }
        }
        if (names_add_one(nm, start, (size_t)(q - start)) < 0 && (*q == ',' || *q == ';'))
            break; /* a title: what follows is affiliation */
        if (*q == 0)
            break;
        q += sl - 1;
        start = q + 1;
    }
    free(s);
}

/* pending: "@id" references of authors given without a name, resolved by a
 * second pass over the JSON-LD (a Person elsewhere in the @graph). */
typedef struct ld_auth_ctx { names *nm; int art_only; const char *pending[8]; int npending; } ld_auth_ctx;

static void ld_author_value(ld_auth_ctx *c, json_t *a)
{
    if (json_is_string(a)) {
        const char *s = json_string_value(a);
        names_add(c->nm, s, strlen(s));
    } else if (json_is_object(a)) {
        const char *s = json_string_value(json_object_get(a, "name"));
        const char *id = json_string_value(json_object_get(a, "@id"));
        if (s)
            names_add(c->nm, s, strlen(s));
        else if (id && c->npending < 8)
            c->pending[c->npending++] = id;
    }
}

static void ld_resolve_fn(json_t *obj, void *vctx)
{
    ld_auth_ctx *c = vctx;
    const char *id = json_string_value(json_object_get(obj, "@id"));
    const char *s = json_string_value(json_object_get(obj, "name"));
    if (!id || !s)
        return;
    for (int i = 0; i < c->npending; i++)
        if (strcmp(c->pending[i], id) == 0) {
            names_add(c->nm, s, strlen(s));
            return;
        }
}

static void ld_auth_fn(json_t *obj, void *vctx)
{
    ld_auth_ctx *c = vctx;
    if (c->art_only && !ld_article_type(obj))
        return;
    json_t *a = json_object_get(obj, "author");
    if (!a)
        a = json_object_get(obj, "creator");
    if (json_is_array(a)) {
        for (size_t i = 0; i < json_array_size(a); i++)
            ld_author_value(c, json_array_get(a, i));
    } else if (a) {
        ld_author_value(c, a);
    }
}

/* Is nd preceded, among its siblings, by a short "By" / "Written by:" ? */
static int by_before(const GumboNode *nd)
{
    const GumboNode *p = nd->parent;
    if (!p || (p->type != GUMBO_NODE_ELEMENT && p->type != GUMBO_NODE_TEMPLATE))
        return 0;
    const GumboVector *ch = &p->v.element.children;
    size_t idx = nd->index_within_parent;
    if (idx >= ch->length || ch->data[idx] != nd)
        return 0;
    while (idx > 0) {
        const GumboNode *sb = ch->data[--idx];
        if (sb->type == GUMBO_NODE_WHITESPACE || sb->type == GUMBO_NODE_COMMENT)
            continue;
        buf b = {0};
        if (sb->type == GUMBO_NODE_TEXT)
            buf_add(&b, sb->v.text.text, strlen(sb->v.text.text));
        else if (is_elem(sb))
            node_text(sb, &b, 64);
        int yes = 0;
        if (b.p && b.n < 40) {
            char *t = squeeze(b.p, b.n);
            if (t) {
                size_t n = strlen(t);
                while (n && (t[n - 1] == ':' || t[n - 1] == ' '))
                    t[--n] = 0;
                yes = n >= 2 && strncasecmp(t + n - 2, "by", 2) == 0 && (n == 2 || t[n - 3] == ' ');
                if (!yes)
                    yes = strcasecmp(t, "von") == 0 || strcasecmp(t, "par") == 0 ||
                          strcasecmp(t, "por") == 0 || strcasecmp(t, "автор") == 0;
                free(t);
            }
        }
        free(b.p);
        return yes;
    }
    return 0;
}

static const char *const META_AUTH[] = {"author", "article:author", "parsely-author",
                                        "sailthru.author", "dc.creator", "dcterms.creator",
                                        "byl", "citation_author", "og:article:author",
                                        "article.author", "cxenseparse:author"};

size_t ws_meta_authors(const GumboNode *root, const char *text, size_t text_len, char ***out)
{
    *out = NULL;
    names ld = {0}, meta = {0}, dom = {0};
    const char *site = NULL;
    /* first pass: the site name */
    walk w;
    walk_init(&w, root);
    const GumboNode *nd;
    while ((nd = walk_next(&w)) != NULL)
        if (is_elem(nd) && nd->v.element.tag == GUMBO_TAG_META) {
            const char *k = meta_key(nd);
            if (k && (strcasecmp(k, "og:site_name") == 0 || strcasecmp(k, "application-name") == 0) &&
                attr(nd, "content")) {
                site = attr(nd, "content");
                break;
            }
        }
    walk_free(&w);
    ld.site = meta.site = dom.site = site;

    int dom_rank = 99, tw_author = 0, dom_tries = 0;
    const GumboNode *dom_first = NULL;
    walk_init(&w, root);
    while ((nd = walk_next(&w)) != NULL) {
        if (!is_elem(nd))
            continue;
        GumboTag tag = nd->v.element.tag;
        if (tag == GUMBO_TAG_SCRIPT) {
            const char *ty = attr(nd, "type");
            if (ty && has_ci(ty, "ld+json")) {
                json_t *j = parse_ld(nd);
                if (j) {
                    ld_auth_ctx c = {&ld, 1, {0}, 0};
                    ld_each_object(j, ld_auth_fn, &c);
                    if (ld.n == 0 && c.npending == 0) {
                        c.art_only = 0;
                        ld_each_object(j, ld_auth_fn, &c);
                    }
                    if (c.npending)
                        ld_each_object(j, ld_resolve_fn, &c);
                    json_decref(j);
                }
            }
            continue;
        }
        if (skip_tag(tag) && tag != GUMBO_TAG_HEAD)
            continue;
        if (tag == GUMBO_TAG_META) {
            const char *k = meta_key(nd), *c = attr(nd, "content");
            if (k && c && key_rank(k, META_AUTH, (int)(sizeof META_AUTH / sizeof META_AUTH[0])) >= 0)
                names_add(&meta, c, strlen(c));
            /* twitter:label1 "Written by" + twitter:data1 "Jane Doe" */
            if (k && c && strncasecmp(k, "twitter:label", 13) == 0 && k[13] >= '1' && k[13] <= '4' &&
                (has_ci(c, "written by") || has_ci(c, "author") || strcasecmp(c, "by") == 0 ||
                 has_ci(c, "autor")))
                tw_author |= 1 << (k[13] - '0');
            if (k && c && strncasecmp(k, "twitter:data", 12) == 0 && k[12] >= '1' && k[12] <= '4' &&
                (tw_author & (1 << (k[12] - '0'))))
                names_add(&meta, c, strlen(c));
            continue;
        }
        /* DOM bylines: itemprop=author (0), rel=author (1), byline/author classes (2) */
        int r = -1;
        const char *ip = attr(nd, "itemprop"), *rel = attr(nd, "rel"), *cl = attr(nd, "class");
        if (ip && has_ci(ip, "author"))
            r = 0;
        else if (rel && strcasecmp(rel, "author") == 0)
            r = 1;
        else if (cl && (has_ci(cl, "byline") || has_ci(cl, "author-name") || has_ci(cl, "author_name") ||
                        has_ci(cl, "authorname") || strcasecmp(cl, "author") == 0 ||
                        has_ci(cl, "article-author") || has_ci(cl, "post-author") ||
                        has_ci(cl, "entry-author") || has_ci(cl, "author vcard") ||
                        has_ci(cl, "fn")))
            r = 2;
        else if (cl && has_ci(cl, "author") && !has_ci(cl, "avatar") && !has_ci(cl, "bio") &&
                 !has_ci(cl, "about") && !has_ci(cl, "descr") && !has_ci(cl, "image") &&
                 !has_ci(cl, "img") && !has_ci(cl, "photo") && !has_ci(cl, "social") &&
                 !has_ci(cl, "prefix") && !has_ci(cl, "label"))
            r = 3;
        if (r < 0 && tag == GUMBO_TAG_A) {
            const char *href = attr(nd, "href");
            if (href && (strstr(href, "/author/") || strstr(href, "/authors/") ||
                         strstr(href, "/autor/") || strstr(href, "/auteur/")))
                r = 1;
            else if (by_before(nd))
                r = 4;
        }
        if (r < 0 && (tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SPAN || tag == GUMBO_TAG_P) &&
            by_before(nd))
            r = 4;
        if (r < 0 || r > dom_rank || has_ci(cl, "comment"))
            continue;
        /* after the first byline of this rank, only its neighbours (co-authors) */
        if (r == dom_rank && dom.n > 0 && dom_first &&
            !(nd->parent == dom_first->parent ||
              (nd->parent && dom_first->parent && nd->parent->parent == dom_first->parent->parent)))
            continue;
        /* inside a comment thread */
        {
            int in_comment = 0, up = 0;
            for (const GumboNode *p = nd->parent; p && up < 8 && p->type == GUMBO_NODE_ELEMENT;
                 p = p->parent, up++)
                if (has_ci(attr(p, "class"), "comment") || has_ci(attr(p, "id"), "comment"))
                    in_comment = 1;
            if (in_comment)
                continue;
        }
        if (++dom_tries > 300)
            continue; /* enough bylines looked at: bound the work on huge pages */
        /* the element's names, into a scratch list first */
        names got = {0};
        got.site = site;
        const GumboNode *src = nd;
        if (r == 0) { /* itemprop=author with a nested itemprop=name: take the name */
            walk w2;
            walk_init(&w2, nd);
            const GumboNode *x;
            int budget = 2000;
            while (budget-- > 0 && (x = walk_next(&w2)) != NULL)
                if (is_elem(x) && attr(x, "itemprop") && strcasecmp(attr(x, "itemprop"), "name") == 0) {
                    src = x;
                    break;
                }
            walk_free(&w2);
        }
        if (r == 0 && src == nd && attr(nd, "content")) {
            const char *c = attr(nd, "content");
            names_add(&got, c, strlen(c));
        } else {
            buf b = {0};
            node_text(src, &b, 400);
            if (b.p && b.n < 400)
                names_add(&got, b.p, b.n);
            free(b.p);
        }
        if (got.oom)
            dom.oom = 1;
        if (got.n && r < dom_rank) {
            for (size_t i = 0; i < dom.n; i++) free(dom.v[i]);
            dom.n = 0;
            dom_rank = r;
            dom_first = nd;
        }
        for (size_t i = 0; i < got.n; i++) {
            if (r == dom_rank)
                names_add_one(&dom, got.v[i], strlen(got.v[i]));
            free(got.v[i]);
        }
        free(got.v);
    }
    walk_free(&w);

    /* last: a "By Jane Doe" line among the first lines of the text */
    if (!ld.n && !meta.n && !dom.n && text) {
        size_t i = 0;
        for (int line = 0; line < 4 && i < text_len; line++) {
            while (i < text_len && (text[i] == '\n' || text[i] == ' ' || text[i] == '\r'))
                i++;
            size_t e = i;
            while (e < text_len && text[e] != '\n' && e - i <= 120)
                e++;
            if (e - i <= 80 && e - i > 3 && (strncmp(text + i, "By ", 3) == 0 ||
                                             strncmp(text + i, "BY ", 3) == 0)) {
                names_add(&dom, text + i, e - i);
                break;
            }
            while (e < text_len && text[e] != '\n')
                e++;
            i = e;
        }
    }
    names *pick = ld.n ? &ld : meta.n ? &meta : &dom;
    names *all[3] = {&ld, &meta, &dom};
    for (int i = 0; i < 3; i++) {
        if (all[i] == pick)
            continue;
        for (size_t k = 0; k < all[i]->n; k++) free(all[i]->v[k]);
        free(all[i]->v);
    }
    if (pick->n == 0) {
        free(pick->v);
        return 0;
    }
    *out = pick->v;
    return pick->n;
}

/* --------------------------------------------------------------- language */

static char *lang_code(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ') s++;
    if (!s[0] || !s[1])
        return NULL;
    const char *r = NULL;
    if (strncasecmp(s, "en", 2) == 0 && !((s[2] | 32) >= 'a' && (s[2] | 32) <= 'z')) r = "en";
    else if (strncasecmp(s, "ru", 2) == 0 && !((s[2] | 32) >= 'a' && (s[2] | 32) <= 'z')) r = "ru";
    else if (((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z') && ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z')) r = "other";
    return r ? strdup(r) : NULL;
}

/* Script and stop-word guess from text. */
static char *lang_text(const char *t, size_t n)
{
    size_t lat = 0, cyr = 0, other = 0, ukbg = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c | 32) >= 'a' && (c | 32) <= 'z') lat++;
        else if ((c == 0xD0 || c == 0xD1) && i + 1 < n) {
            unsigned char c2 = (unsigned char)t[i + 1];
            cyr++;
            /* і ї є ґ (Ukrainian), and their capitals */
            if ((c == 0xD1 && (c2 == 0x96 || c2 == 0x97 || c2 == 0x94)) ||
                (c == 0xD0 && (c2 == 0x86 || c2 == 0x87 || c2 == 0x84)))
                ukbg++;
            i++;
        } else if (c == 0xD2 && i + 1 < n && ((unsigned char)t[i + 1] == 0x91 || (unsigned char)t[i + 1] == 0x90)) {
            cyr++; ukbg++; i++;
        } else if (c >= 0xC0) {
            other++;
            /* skip continuation bytes */
        }
    }
    if (lat + cyr + other < 20)
        return NULL;
    if (cyr > lat && cyr > other)
        return strdup(ukbg * 50 > cyr ? "other" : "ru");
    if (lat < other)
        return strdup("other");
    /* English stop words per word of Latin text */
    static const char *const sw[] = {"the", "and", "of", "to", "in", "is", "that", "for", "it",
                                     "with", "was", "on", "as", "are", "be", "this", "by", "he",
                                     "at", "from", "have", "has", "but", "not", "they", "you"};
    static const char *const fsw[] = {"der", "die", "das", "und", "ist", "nicht", "mit", "von",
                                      "zu", "den", "sich", "auf", "le", "la", "les", "et", "des",
                                      "est", "une", "du", "pour", "dans", "el", "los", "las", "y",
                                      "que", "por", "con", "una", "del", "il", "di", "che", "della",
                                      "het", "een", "van", "zijn", "og", "och", "och", "att"};
    size_t words = 0, hits = 0, foreign = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && !(((unsigned char)t[i] | 32) >= 'a' && ((unsigned char)t[i] | 32) <= 'z'))
            i++;
        size_t b = i;
        while (i < n && ((((unsigned char)t[i] | 32) >= 'a' && ((unsigned char)t[i] | 32) <= 'z') ||
                         (unsigned char)t[i] >= 0x80))
            i++;
        if (i == b)
            break;
        words++;
        if (i - b > 5) /* longer than every stop word below */
            continue;
        for (size_t k = 0; k < sizeof sw / sizeof sw[0]; k++)
            if (i - b == strlen(sw[k]) && strncasecmp(t + b, sw[k], i - b) == 0) { hits++; break; }
        for (size_t k = 0; k < sizeof fsw / sizeof fsw[0]; k++)
            if (i - b == strlen(fsw[k]) && strncasecmp(t + b, fsw[k], i - b) == 0) { foreign++; break; }
    }
    /* stop words of other Latin-script languages clearly outnumbering the
     * English ones: the page is not English even under an "en" hint */
    if (foreign >= 20 && foreign > 3 * hits)
        return strdup("other!");
    return strdup(words && hits * 100 >= words * 12 ? "en" : "other");
}

char *ws_meta_lang(const GumboNode *root, const char *text, size_t text_len)
{
    char *r = NULL;
    const GumboNode *body = NULL;
    walk w;
    walk_init(&w, root);
    const GumboNode *nd;
    char *meta = NULL;
    while ((nd = walk_next(&w)) != NULL) {
        if (!is_elem(nd))
            continue;
        GumboTag tag = nd->v.element.tag;
        if (tag == GUMBO_TAG_HTML && !r)
            r = lang_code(attr(nd, "lang") ? attr(nd, "lang") : attr(nd, "xml:lang"));
        else if (tag == GUMBO_TAG_BODY) {
            body = nd;
            break; /* hints live in <html> and <head> */
        } else if (tag == GUMBO_TAG_META && !meta) {
            const char *k = meta_key(nd);
            if (k && (strcasecmp(k, "og:locale") == 0 || strcasecmp(k, "content-language") == 0 ||
                      strcasecmp(k, "language") == 0 || strcasecmp(k, "dc.language") == 0))
                meta = lang_code(attr(nd, "content"));
        }
    }
    walk_free(&w);
    /* the text decides when it clearly disagrees with a hint of "en" (templates
     * often keep lang="en"); otherwise the hint wins. */
    char *guess = NULL;
    if (text && text_len)
        guess = lang_text(text, text_len);
    else if (body) {
        buf b = {0};
        node_text(body, &b, 20000);
        if (b.p)
            guess = lang_text(b.p, b.n);
        free(b.p);
    }
    if (!r) { r = meta; meta = NULL; }
    free(meta);
    if (r && guess && strcmp(r, guess) != 0 && strcmp(guess, "ru") == 0) {
        free(r);
        return guess;
    }
    if (guess && strcmp(guess, "other!") == 0) {
        guess[5] = 0; /* "other" */
        if (r && strcmp(r, "en") == 0) {
            free(r);
            return guess;
        }
    }
    if (r) {
        free(guess);
        return r;
    }
    return guess;
}
