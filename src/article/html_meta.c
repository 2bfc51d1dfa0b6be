/*
 * html_meta.c - title, site name, canonical URL and JSON-LD of a page
 * (owned by "html"). Dates, authors and language are meta.c's.
 */
#include "article/html_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Collapses whitespace and trims; returns a malloc'd copy (NULL if empty). */
static char *clean_dup(const char *s, int *nomem)
{
    if (!s) return NULL;
    ws_html_buf b = {0};
    int sp = 0;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        int space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
        if (ch == 0xC2 && (unsigned char)p[1] == 0xA0) {
            space = 1;
            p++;
        }
        if (space) {
            sp = b.len > 0;
            continue;
        }
        if (sp && ws_html_buf_put(&b, " ", 1)) goto oom;
        sp = 0;
        if (ws_html_buf_put(&b, p, 1)) goto oom;
    }
    return b.s;
oom:
    free(b.s);
    *nomem = 1;
    return NULL;
}

static void set_once(char **slot, const char *v, int *nomem)
{
    if (*slot || !v) return;
    *slot = clean_dup(v, nomem);
}

int ws_html_node_text(const GumboNode *n, ws_html_buf *out)
{
    const GumboNode *stack[64];
    unsigned idx[64];
    int sp = 0;
    int space = 0;
    stack[0] = n;
    idx[0] = 0;
    sp = 1;
    while (sp) {
        const GumboNode *t = stack[sp - 1];
        if (t->type != GUMBO_NODE_ELEMENT || idx[sp - 1] >= t->v.element.children.length) {
            sp--;
            continue;
        }
        const GumboNode *k = t->v.element.children.data[idx[sp - 1]++];
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE) {
            for (const char *p = k->v.text.text; *p; p++) {
                unsigned char ch = (unsigned char)*p;
                if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                    space = out->len > 0;
                    continue;
                }
                if (space && ws_html_buf_put(out, " ", 1)) return -1;
                space = 0;
                if (ws_html_buf_put(out, p, 1)) return -1;
            }
        } else if (k->type == GUMBO_NODE_ELEMENT && sp < 64) {
            int tag = k->v.element.tag;
            if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;
            if (tag == GUMBO_TAG_BR) space = out->len > 0;
            stack[sp] = k;
            idx[sp] = 0;
            sp++;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* JSON-LD */

static int type_is(json_t *obj, const char *const *names)
{
    json_t *t = json_object_get(obj, "@type");
    size_t n = json_is_array(t) ? json_array_size(t) : 1;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_is_array(t) ? json_array_get(t, i) : t;
        const char *s = json_string_value(v);
        if (!s) continue;
        for (int k = 0; names[k]; k++)
            if (strstr(s, names[k])) return 1;
    }
    return 0;
}

static const char *const article_types[] = {"Article", "BlogPosting", "Report", "Posting",
                                            "Review", "Recipe", "HowTo", NULL};

static void ld_object(ws_html_meta *m, json_t *o)
{
    if (type_is(o, article_types)) {
        set_once(&m->ld_headline, json_string_value(json_object_get(o, "headline")), &m->nomem);
        const char *body = json_string_value(json_object_get(o, "articleBody"));
        if (body && !m->ld_body) {
            size_t n = json_string_length(json_object_get(o, "articleBody"));
            m->ld_body = dupn(body, n);
            if (!m->ld_body) m->nomem = 1;
            else m->ld_body_len = n;
        }
        json_t *pub = json_object_get(o, "publisher");
        if (json_is_array(pub)) pub = json_array_get(pub, 0);
        if (json_is_object(pub))
            set_once(&m->ld_site, json_string_value(json_object_get(pub, "name")), &m->nomem);
    }
    static const char *const site_types[] = {"WebSite", "NewsMediaOrganization", NULL};
    if (type_is(o, site_types))
        set_once(&m->ld_site, json_string_value(json_object_get(o, "name")), &m->nomem);
}

static void ld_parse(ws_html_meta *m, const char *s, size_t n)
{
    json_error_t err;
    json_t *root = json_loadb(s, n, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &err);
    if (!root) {
        /* raw control characters (newlines in strings) are common: retry
         * with them as spaces */
        char *t = dupn(s, n);
        if (!t) {
            m->nomem = 1;
            return;
        }
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)t[i] < 0x20) t[i] = ' ';
        root = json_loadb(t, n, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &err);
        free(t);
        if (!root) return;
    }
    /* breadth-first over objects and arrays, bounded */
    json_t *queue[256];
    size_t head = 0, tail = 0;
    queue[tail++] = root;
    while (head < tail) {
        json_t *v = queue[head++];
        if (json_is_array(v)) {
            for (size_t i = 0; i < json_array_size(v) && tail < 256; i++) queue[tail++] = json_array_get(v, i);
        } else if (json_is_object(v)) {
            ld_object(m, v);
            json_t *g = json_object_get(v, "@graph");
            if (g && tail < 256) queue[tail++] = g;
            json_t *me = json_object_get(v, "mainEntity");
            if (me && tail < 256) queue[tail++] = me;
        }
    }
    json_decref(root);
}

/* ------------------------------------------------------------------ */

void ws_html_meta_node(ws_html_meta *m, const GumboNode *n)
{
    int tag = n->v.element.tag;
    if (tag == GUMBO_TAG_TITLE) {
        if (m->title_tag) return;
        ws_html_buf b = {0};
        if (ws_html_node_text(n, &b)) {
            m->nomem = 1;
            free(b.s);
            return;
        }
        m->title_tag = b.s;
    } else if (tag == GUMBO_TAG_H1) {
        if (m->h1) return;
        ws_html_buf b = {0};
        if (ws_html_node_text(n, &b)) {
            m->nomem = 1;
            free(b.s);
            return;
        }
        m->h1 = b.s;
    } else if (tag == GUMBO_TAG_META) {
        const char *k = ws_html_attr(n, "property");
        if (!k) k = ws_html_attr(n, "name");
        const char *v = ws_html_attr(n, "content");
        if (!k || !v) return;
        if (!strcasecmp(k, "og:title")) set_once(&m->og_title, v, &m->nomem);
        else if (!strcasecmp(k, "twitter:title")) set_once(&m->tw_title, v, &m->nomem);
        else if (!strcasecmp(k, "og:site_name")) set_once(&m->og_site, v, &m->nomem);
        else if (!strcasecmp(k, "application-name")) set_once(&m->app_name, v, &m->nomem);
        else if (!strcasecmp(k, "og:url")) set_once(&m->og_url, v, &m->nomem);
    } else if (tag == GUMBO_TAG_LINK) {
        const char *rel = ws_html_attr(n, "rel");
        const char *href = ws_html_attr(n, "href");
        if (rel && href && !strcasecmp(rel, "canonical")) set_once(&m->link_canonical, href, &m->nomem);
    } else if (tag == GUMBO_TAG_SCRIPT) {
        const char *type = ws_html_attr(n, "type");
        if (!type || strcasecmp(type, "application/ld+json")) return;
        const GumboVector *k = &n->v.element.children;
        if (k->length && ((const GumboNode *)k->data[0])->type == GUMBO_NODE_TEXT) {
            const char *s = ((const GumboNode *)k->data[0])->v.text.text;
            ld_parse(m, s, strlen(s));
        }
    }
}

/* Host of a URL without "www.", malloc'd, or NULL. */
static char *url_host(const char *url)
{
    if (!url) return NULL;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *e = p;
    while (*e && *e != '/' && *e != ':' && *e != '?' && *e != '#') e++;
    if (e - p > 4 && !strncasecmp(p, "www.", 4)) p += 4;
    if (e == p) return NULL;
    return dupn(p, (size_t)(e - p));
}

void ws_html_meta_finish(ws_html_meta *m, const char *url)
{
    const char *site = m->og_site ? m->og_site : m->ld_site ? m->ld_site : m->app_name;
    if (site) {
        m->site = strdup(site);
        if (!m->site) m->nomem = 1;
    } else if (url) {
        m->site = url_host(url);
    }
    const char *can = m->link_canonical ? m->link_canonical : m->og_url;
    if (can && (!strncmp(can, "http://", 7) || !strncmp(can, "https://", 8) || !strncmp(can, "//", 2))) {
        m->canonical = strdup(can);
        if (!m->canonical) m->nomem = 1;
    }
}

void ws_html_meta_free(ws_html_meta *m)
{
    free(m->title_tag);
    free(m->og_title);
    free(m->tw_title);
    free(m->ld_headline);
    free(m->h1);
    free(m->og_site);
    free(m->ld_site);
    free(m->app_name);
    free(m->link_canonical);
    free(m->og_url);
    free(m->ld_body);
    free(m->site);
    free(m->canonical);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ */
/* Title */

/* Separators between a title and a site name, with spaces around. */
static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " : ",
                                   " \xC2\xB7 ", " \xC2\xBB ", " :: ", " / ", " || ", " \xE2\x80\xA2 ", NULL};

/* Lower-case ASCII letters and digits only, for loose comparisons. */
static void loose(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 'A' && ch <= 'Z') ch = (unsigned char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80) out[k++] = (char)ch;
    }
    out[k] = '\0';
}

static int looks_like_site(const char *seg, size_t n, const char *site, const char *host)
{
    char a[256], b[256];
    loose(seg, n, a, sizeof a);
    if (!*a) return 1;
    if (site) {
        loose(site, strlen(site), b, sizeof b);
        if (*b && (strstr(a, b) || strstr(b, a))) return 1;
    }
    if (host) {
        /* "example.com" vs "Example" */
        const char *dot = strchr(host, '.');
        size_t hn = dot ? (size_t)(dot - host) : strlen(host);
        loose(host, hn, b, sizeof b);
        if (*b && strlen(b) >= 3 && (strstr(a, b) || strstr(b, a))) return 1;
    }
    return 0;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* Removes a site name at either end of a title split by a separator. */
static char *strip_site(const char *t, const char *site, const char *host)
{
    size_t n = strlen(t);
    for (int round = 0; round < 3; round++) {
        /* last separator: "Title | Site" */
        const char *best = NULL;
        size_t bsl = 0;
        for (int i = 0; seps[i]; i++) {
            size_t sl = strlen(seps[i]);
            for (const char *p = t; (p = strstr(p, seps[i])) && p < t + n; p++)
                if (p + sl <= t + n && (!best || p > best)) {
                    best = p;
                    bsl = sl;
                }
        }
        if (best) {
            const char *tail = best + bsl;
            size_t tl = (size_t)(t + n - tail), hl = (size_t)(best - t);
            if (looks_like_site(tail, tl, site, host) ||
                (bsl == 3 && best[1] != ':' && count_words(tail, tl) <= 3 && count_words(t, hl) >= 3 &&
                 tl * 3 < hl) ||
                (bsl != 3 && count_words(tail, tl) <= 3 && count_words(t, hl) >= 3 && tl * 3 < hl)) {
                n = hl;
                continue;
            }
        }
        /* first separator: "Site | Title" */
        const char *first = NULL;
        size_t fsl = 0;
        for (int i = 0; seps[i]; i++) {
            const char *p = strstr(t, seps[i]);
            if (p && p < t + n && (!first || p < first)) {
                first = p;
                fsl = strlen(seps[i]);
            }
        }
        if (first && looks_like_site(t, (size_t)(first - t), site, host)) {
            size_t skip = (size_t)(first - t) + fsl;
            t += skip;
            n -= skip;
            continue;
        }
        break;
    }
    while (n && t[n - 1] == ' ') n--;
    return n ? dupn(t, n) : NULL;
}

char *ws_html_clean_title(const ws_html_meta *m, const char *url)
{
    const char *t = m->og_title ? m->og_title
                  : m->ld_headline ? m->ld_headline
                  : m->tw_title ? m->tw_title
                  : m->title_tag ? m->title_tag : m->h1;
    if (!t) return NULL;
    char *host = url_host(url ? url : m->canonical);
    char *r = strip_site(t, m->site, host);
    /* the page's <h1> is the title as the reader sees it, unless it is a
     * one-word label or the site's name (a logo) */
    if (m->h1) {
        size_t hw = count_words(m->h1, strlen(m->h1));
        if (hw >= 2 && strlen(m->h1) < 400 && !looks_like_site(m->h1, strlen(m->h1), m->site, host)) {
            free(r);
            r = strdup(m->h1);
            free(host);
            return r;
        }
    }
    /* the <h1> is the title as printed when the meta title starts with it */
    if (m->h1 && r) {
        char a[512], b[512];
        loose(m->h1, strlen(m->h1), a, sizeof a);
        loose(r, strlen(r), b, sizeof b);
        if (*a && strlen(a) * 2 > strlen(b) && strstr(b, a) == b && strcmp(a, b)) {
            free(r);
            r = strdup(m->h1);
        }
    }
    free(host);
    return r;
}

/* ------------------------------------------------------------------ */
/* HTML-ish text (JSON-LD articleBody) */

static int put_entity(const char *s, size_t n, size_t *i, ws_html_buf *out)
{
    static const struct { const char *name; const char *utf8; } ents[] = {
        {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"},
        {"nbsp;", " "}, {"#39;", "'"}, {"rsquo;", "\xE2\x80\x99"}, {"lsquo;", "\xE2\x80\x98"},
        {"rdquo;", "\xE2\x80\x9D"}, {"ldquo;", "\xE2\x80\x9C"}, {"mdash;", "\xE2\x80\x94"},
        {"ndash;", "\xE2\x80\x93"}, {"hellip;", "\xE2\x80\xA6"}, {NULL, NULL}};
    for (int k = 0; ents[k].name; k++) {
        size_t l = strlen(ents[k].name);
        if (*i + 1 + l <= n && !memcmp(s + *i + 1, ents[k].name, l)) {
            *i += l;
            return ws_html_buf_put(out, ents[k].utf8, strlen(ents[k].utf8));
        }
    }
    if (*i + 2 < n && s[*i + 1] == '#') {
        size_t j = *i + 2;
        unsigned long cp = 0;
        int hex = j < n && (s[j] == 'x' || s[j] == 'X');
        if (hex) j++;
        size_t d0 = j;
        while (j < n && j - d0 < 7) {
            char ch = s[j];
            int v = ch >= '0' && ch <= '9' ? ch - '0'
                  : hex && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10 : -1;
            if (v < 0) break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            j++;
        }
        if (j > d0 && j < n && s[j] == ';' && cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000)) {
            char u[4];
            size_t k;
            if (cp < 0x80) u[0] = (char)cp, k = 1;
            else if (cp < 0x800) u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 63)), k = 2;
            else if (cp < 0x10000)
                u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 63)),
                u[2] = (char)(0x80 | (cp & 63)), k = 3;
            else
                u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 63)),
                u[2] = (char)(0x80 | ((cp >> 6) & 63)), u[3] = (char)(0x80 | (cp & 63)), k = 4;
            *i = j;
            return ws_html_buf_put(out, u, k);
        }
    }
    return ws_html_buf_put(out, "&", 1);
}

int ws_html_plain(const char *s, size_t n, ws_html_buf *out)
{
    int space = 0, brk = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '<') {
            size_t j = i + 1;
            while (j < n && s[j] != '>') j++;
            if (j >= n) goto text; /* a lone '<' */
            const char *tg = s + i + 1;
            if (*tg == '/') tg++;
            char name[8];
            size_t k = 0;
            while (k + 1 < sizeof name && tg + k < s + j && (((tg[k] | 0x20) >= 'a' && (tg[k] | 0x20) <= 'z') ||
                                                          (tg[k] >= '0' && tg[k] <= '9')))
                name[k] = (char)(tg[k] | 0x20), k++;
            name[k] = '\0';
            if (!k) goto text;
            if (!strcmp(name, "p") || !strcmp(name, "div") || !strcmp(name, "li") || !strcmp(name, "br") ||
                (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) ||
                !strcmp(name, "blockquote") || !strcmp(name, "ul") || !strcmp(name, "ol"))
                brk = out->len > 0;
            else
                space = out->len > 0;
            i = j;
            continue;
        }
    text:
        if (ch == '\n' || ch == '\r') {
            brk = out->len > 0;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\f') {
            space = out->len > 0;
            continue;
        }
        if (brk) {
            if (ws_html_buf_put(out, "\n\n", 2)) return -1;
        } else if (space && ws_html_buf_put(out, " ", 1)) {
            return -1;
        }
        brk = space = 0;
        if (ch == '&') {
            if (put_entity(s, n, &i, out)) return -1;
            continue;
        }
        if (ws_html_buf_put(out, s + i, 1)) return -1;
    }
    return 0;
}
