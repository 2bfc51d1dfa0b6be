/*
 * html.c - main-content extraction from an HTML page (owned by "html").
 *
 * One gumbo parse, then linear passes over a flat copy of the tree:
 *  1. walk (explicit stack, preorder): every element gets a record (parent,
 *     tag, class/id hint); text is cut into paragraphs at block boundaries;
 *     <head> metadata and JSON-LD are collected on the way;
 *  2. reverse pass: text and link characters summed up the tree;
 *  3. scoring: each real paragraph (long enough, not link text) gives points
 *     to its parent and grandparent; the best element, weighed by its link
 *     density and class/id hint, is the article container;
 *  4. output: the container and its article-like siblings, minus boilerplate
 *     subtrees (class/id hints, link lists) and boilerplate lines;
 *  5. fallback to JSON-LD articleBody when the markup hides the text.
 * No recursion over the DOM anywhere (100k nested elements are fine).
 */
#include "article/html.h"
#include "article/html_int.h"
#include "article/meta.h"

#include <gumbo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Flat tree */

enum {
    HF_SKIP = 1u << 0,    /* subtree has no readable text (script, nav...) */
    HF_NEG = 1u << 1,     /* class/id says boilerplate */
    HF_POS = 1u << 2,     /* class/id says article */
    HF_BLOCK = 1u << 3,   /* block-level element */
    HF_LINK = 1u << 4,    /* <a> */
    HF_DROP = 1u << 5,    /* decided: not article text */
    HF_PRE = 1u << 6,     /* <pre>: keep whitespace */
    HF_HEAD = 1u << 7,    /* heading h1-h6 */
    HF_STRONG = 1u << 8,  /* strongly negative (comments, related, share) */
    HF_MEDIA = 1u << 9,   /* captions, credits, bylines: dropped when small */
};

typedef struct hel {
    const GumboNode *node;
    int parent;
    int depth;
    unsigned flags;
    int tag; /* GumboTag */
    int hint;   /* class/id weight */
    size_t text;  /* characters of text in the subtree */
    size_t link;  /* of which inside links */
    size_t ptext; /* characters in good paragraphs */
    int npara;    /* good paragraphs in the subtree */
    double good, other; /* paragraph / other characters outside dropped subtrees */
    double score;
} hel;

typedef struct hpara {
    size_t off, len; /* in the text buffer */
    size_t link;     /* link characters */
    int el;          /* innermost block element */
    unsigned flags;  /* HF_HEAD, HF_PRE */
} hpara;

typedef struct hctx {
    hel *el;
    size_t nel, capel;
    hpara *par;
    size_t npar, cappar;
    ws_html_buf text; /* all paragraph text, back to back */
    int cur_block;    /* element of the open paragraph */
    size_t cur_link;
    int pending_space;
    int in_link;
    int nomem;
    /* metadata */
    ws_html_meta meta;
    size_t total_text;
} hctx;

int ws_html_buf_put(ws_html_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) return -1;
        b->s = p;
        b->cap = cap;
    }
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

static int is_block_tag(int t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_LI: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM: case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML: case GUMBO_TAG_CENTER: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_HGROUP:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose content is never article text. */
static int is_skip_tag(int t)
{
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP: case GUMBO_TAG_LABEL:
        return 1;
    default:
        return 0;
    }
}

const char *ws_html_attr(const GumboNode *n, const char *name)
{
    if (n->type != GUMBO_NODE_ELEMENT) return NULL;
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Hidden by the author: hidden attribute or inline display:none. */
static int is_hidden(const GumboNode *n)
{
    if (ws_html_attr(n, "hidden")) return 1;
    const char *st = ws_html_attr(n, "style");
    if (st) {
        char buf[128];
        size_t k = 0;
        for (const char *p = st; *p && k + 1 < sizeof buf; p++)
            if (*p != ' ' && *p != '\t') buf[k++] = (char)(*p | 0x20);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden")) return 1;
    }
    return 0;
}

static int push_el(hctx *c, const GumboNode *n, int parent, int depth)
{
    if (c->nel == c->capel) {
        size_t cap = c->capel ? c->capel * 2 : 512;
        hel *p = realloc(c->el, cap * sizeof *p);
        if (!p) return -1;
        c->el = p;
        c->capel = cap;
    }
    hel *e = &c->el[c->nel];
    memset(e, 0, sizeof *e);
    e->node = n;
    e->parent = parent;
    e->depth = depth;
    e->tag = n->v.element.tag;
    return (int)c->nel++;
}

/* Closes the open paragraph, if it has text. */
static void close_para(hctx *c)
{
    if (c->cur_block < 0) return;
    ws_html_buf *t = &c->text;
    hpara *last = c->npar ? &c->par[c->npar - 1] : NULL;
    size_t off = last ? last->off + last->len : 0;
    /* trim trailing spaces */
    while (t->len > off && (t->s[t->len - 1] == ' ' || t->s[t->len - 1] == '\n')) t->len--;
    if (t->len > off) {
        if (c->npar == c->cappar) {
            size_t cap = c->cappar ? c->cappar * 2 : 256;
            hpara *p = realloc(c->par, cap * sizeof *p);
            if (!p) {
                c->nomem = 1;
                return;
            }
            c->par = p;
            c->cappar = cap;
        }
        hpara *p = &c->par[c->npar++];
        p->off = off;
        p->len = t->len - off;
        p->link = c->cur_link;
        p->el = c->cur_block;
        p->flags = c->el[c->cur_block].flags & (HF_HEAD | HF_PRE);
    } else {
        t->len = off;
    }
    if (t->s) t->s[t->len] = '\0';
    c->cur_link = 0;
    c->pending_space = 0;
}

/* Number of UTF-8 characters (code points) in s[0..n). */
static size_t u8chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static void add_text(hctx *c, const char *s, size_t n, int pre)
{
    ws_html_buf *t = &c->text;
    hpara *last = c->npar ? &c->par[c->npar - 1] : NULL;
    size_t para_start = last ? last->off + last->len : 0;
    size_t before = t->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
        /* U+00A0 no-break space as a space */
        if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            space = 1;
            i++;
        }
        if (pre && ch == '\n') {
            if (ws_html_buf_put(t, "\n", 1)) goto oom;
            c->pending_space = 0;
            continue;
        }
        if (space) {
            c->pending_space = 1;
            continue;
        }
        if (c->pending_space && t->len > para_start && t->s[t->len - 1] != '\n')
            if (ws_html_buf_put(t, " ", 1)) goto oom;
        c->pending_space = 0;
        size_t j = i + 1;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' ||
                (d == 0xC2 && j + 1 < n && (unsigned char)s[j + 1] == 0xA0))
                break;
            j++;
        }
        if (ws_html_buf_put(t, s + i, j - i)) goto oom;
        i = j - 1;
    }
    if (c->in_link && t->len > before) c->cur_link += u8chars(t->s + before, t->len - before);
    return;
oom:
    c->nomem = 1;
}

/* ------------------------------------------------------------------ */
/* class/id hints (our own word lists) */

static const char *const neg_words[] = {
    "comment", "related", "share", "sharing", "social", "newsletter",
    "subscri", "promo", "advert", "sponsor", "sidebar", "footer", "navig",
    "navbar", "menu", "breadcrumb", "cookie", "consent", "popup", "modal",
    "widget", "recommend", "outbrain", "taboola", "toolbar", "masthead",
    "banner", "signup", "sign-up", "paywall", "pagination", "pager",
    "byline", "author", "caption", "credit", "tags", "tag-list", "keyword",
    "more-stories", "read-more", "readmore", "trending", "popular", "most-read",
    "mostread", "follow", "disqus", "rating", "print", "login", "register",
    "gdpr", "overlay", "hidden", "skip", "dateline-", "timestamp", "date",
    "meta", "header", "masthead", "teaser", "topics", "playlist", "video",
    "gallery", "photo", "image", "img", "figure", "audio", "podcast",
    "embed", "nav", "ad-", "-ad", "ads", "adv", "dfp", "gpt",
    "supplement", "extra", "bio", "contact", "donate", "membership", "offer",
    "jump", "toc", "table-of-contents", "alert", "notice", "feedback",
    "survey", "poll", "quiz", "slideshow", "carousel", "slider", "next",
    "prev", "previous", "up-next", "upnext", "see-also", "also", "links",
    "list", "card", "tile", "rail", "module", "aside", "callout",
    "infobox", "disclaimer", "copyright", "legal", "logo", "icon", "btn",
    "button", "search", "form", "subnav", "dropdown", "flyout", "drawer",
    NULL};
/* The strongest: remove even when big (comments, related, share bars). */
static const char *const strong_words[] = {
    "comment", "related", "share", "sharing", "social", "newsletter",
    "subscri", "outbrain", "taboola", "recommend", "disqus", "cookie",
    "consent", "more-stories", "most-read", "mostread", "trending",
    "paywall", "signup", "sign-up", "breadcrumb", "sidebar", "footer",
    "promo", "sponsor", "advert", "popular", "read-more", "readmore",
    "up-next", "upnext", "see-also", NULL};
/* Media and meta lines (captions, credits, bylines, dates): dropped inside
 * the article, but a big block of paragraphs with such a name is kept. */
static const char *const media_words[] = {
    "caption", "credit", "photo", "image", "img", "figure", "gallery", "video",
    "audio", "slideshow", "embed", "byline", "author", "timestamp",
    "dateline-", "tags", "tag-list", "bio", "modal", "popup", "overlay", "gdpr",
    "print", "rating", "disclaimer", "copyright", "legal", "date", "meta", NULL};
static const char *const pos_words[] = {
    "article", "body", "content", "entry", "main", "post", "story", "text",
    "blog", "prose", "rich-text", "richtext", "paragraph", NULL};
/* Words that contain a negative word but are article markers. */
static const char *const exempt_words[] = {
    "commentary", "article-body", "articlebody", "post-body", "story-body",
    "entry-content", "post-content", "article-content", "story-content",
    "main-content", "maincontent", "body-text", "bodytext", "article-text",
    "story-text", "content-body", "page-content", "article__body",
    "post__content", "rich-text", "text-body", "shared-content", "headerless",
    NULL};

/* The byte pairs of a class token, hashed into 256 bits: a word of a list
 * can occur in the token only if its first two bytes do, so most words
 * are rejected without a search (every listed word has two bytes). */
typedef struct pairset {
    uint64_t bit[4];
} pairset;

static unsigned pair_hash(unsigned char a, unsigned char b)
{
    return (a * 7u + b) & 255u;
}

static void pairs_of(const char *s, pairset *ps)
{
    memset(ps, 0, sizeof *ps);
    for (size_t i = 0; s[i] && s[i + 1]; i++) {
        unsigned h = pair_hash((unsigned char)s[i], (unsigned char)s[i + 1]);
        ps->bit[h >> 6] |= (uint64_t)1 << (h & 63);
    }
}

static int has_word(const char *s, const pairset *ps, const char *const *list)
{
    for (int i = 0; list[i]; i++) {
        unsigned h = pair_hash((unsigned char)list[i][0], (unsigned char)list[i][1]);
        if (list[i][0] && list[i][1] && !(ps->bit[h >> 6] >> (h & 63) & 1))
            continue; /* cannot occur */
        if (strstr(s, list[i])) return 1;
    }
    return 0;
}

/* Is the short token a negative marker (ad, ads, nav...)? Token-exact checks
 * for words too short to search as substrings. */
static int short_neg_token(const char *tok, size_t n)
{
    static const char *const toks[] = {"ad", "ads", "adv", "nav", "tag", "tags",
                                       "share", "social", "meta", "date", "credit",
                                       "caption", "hide", "hidden", "print", NULL};
    for (int i = 0; toks[i]; i++)
        if (strlen(toks[i]) == n && memcmp(toks[i], tok, n) == 0) return 1;
    return 0;
}

/* Weight of class + id: >0 article-like, <0 boilerplate; *strong for the
 * strongest negatives. */
static int class_hint(const GumboNode *n, int *strong, int *media)
{
    const char *vals[3] = {ws_html_attr(n, "class"), ws_html_attr(n, "id"),
                           ws_html_attr(n, "itemprop")};
    int w = 0;
    *strong = *media = 0;
    for (int v = 0; v < 3; v++) {
        if (!vals[v] || !*vals[v]) continue;
        char buf[256];
        size_t k = 0;
        for (const char *p = vals[v]; *p && k + 1 < sizeof buf; p++) {
            char ch = *p;
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
            if (ch == '_') ch = '-';
            buf[k++] = ch;
        }
        buf[k] = '\0';
        if (v == 2) {
            if (strstr(buf, "articlebody") || strstr(buf, "text")) w += 25;
            continue;
        }
        /* token by token */
        char *save = NULL;
        int neg = 0, pos = 0;
        for (char *tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
            size_t tl = strlen(tok);
            pairset ps;
            pairs_of(tok, &ps);
            /* layout modifiers ("has-sidebar", "with-share-bar") and CMS
             * taxonomy classes of an article wrapper ("type-video",
             * "format-gallery", "category-photos", "tag-comments") */
            if (!strncmp(tok, "has-", 4) || !strncmp(tok, "with-", 5) || strstr(tok, "-with-") ||
                strstr(tok, "-has-") || !strncmp(tok, "is-", 3) || !strncmp(tok, "type-", 5) ||
                !strncmp(tok, "format-", 7) || !strncmp(tok, "category-", 9) ||
                !strncmp(tok, "tag-", 4) || !strncmp(tok, "status-", 7))
                continue;
            if (has_word(tok, &ps, exempt_words)) {
                pos = 1;
                continue;
            }
            if (short_neg_token(tok, tl)) {
                neg = 1;
                continue;
            }
            /* split on '-' for short tokens: "ad-slot", "top-ad" */
            if (tl >= 4 && has_word(tok, &ps, neg_words)) {
                if (has_word(tok, &ps, pos_words)) continue; /* "article-sidebar": ambiguous */
                neg = 1;
                if (has_word(tok, &ps, strong_words)) *strong = 1;
                else if (has_word(tok, &ps, media_words)) *media = 1;
                continue;
            }
            if (has_word(tok, &ps, pos_words)) pos = 1;
        }
        if (neg) w -= 25;
        else if (pos) w += 25;
    }
    return w;
}

/* ------------------------------------------------------------------ */
/* Walk */

typedef struct wframe {
    const GumboNode *node;
    int el;
    unsigned next; /* next child */
    int block;     /* enclosing block element (for paragraphs) */
    int was_link;
} wframe;

static void enter_element(hctx *c, const GumboNode *n, int el)
{
    hel *e = &c->el[el];
    int t = e->tag;
    if (is_block_tag(t)) e->flags |= HF_BLOCK;
    if (t == GUMBO_TAG_A) e->flags |= HF_LINK;
    if (t == GUMBO_TAG_PRE) e->flags |= HF_PRE;
    if (t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6) e->flags |= HF_HEAD;
    if (is_skip_tag(t) || is_hidden(n)) e->flags |= HF_SKIP;
    if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER) e->flags |= HF_NEG;
    if (t == GUMBO_TAG_HEADER) e->flags |= HF_NEG;
    if (t == GUMBO_TAG_FIGCAPTION || t == GUMBO_TAG_FIGURE) e->flags |= HF_NEG;
    const char *role = ws_html_attr(n, "role");
    if (role && (!strcmp(role, "navigation") || !strcmp(role, "complementary") ||
                 !strcmp(role, "banner") || !strcmp(role, "contentinfo") ||
                 !strcmp(role, "dialog") || !strcmp(role, "alert") || !strcmp(role, "menu")))
        e->flags |= HF_NEG;
    /* class/id hints on block elements only: inline ones (a, span, b...)
     * rarely decide anything and the word search is the walk's main cost */
    if ((e->flags & HF_BLOCK) && t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML) {
        int strong = 0, media = 0;
        e->hint = class_hint(n, &strong, &media);
        if (e->hint < 0) e->flags |= HF_NEG | (strong ? HF_STRONG : 0) | (media ? HF_MEDIA : 0);
        if (e->hint > 0) e->flags |= HF_POS;
    }
    if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN) e->hint += 10;
}

static void walk(hctx *c, const GumboNode *root)
{
    size_t cap = 256, sp = 0;
    wframe *st = malloc(cap * sizeof *st);
    if (!st) {
        c->nomem = 1;
        return;
    }
    int el = push_el(c, root, -1, 0);
    if (el < 0) goto oom;
    enter_element(c, root, el);
    st[sp++] = (wframe){root, el, 0, el, 0};
    c->cur_block = el;
    while (sp && !c->nomem) {
        wframe *f = &st[sp - 1];
        const GumboNode *n = f->node;
        const GumboVector *kids = &n->v.element.children;
        if (f->next >= kids->length) {
            /* leave */
            hel *e = &c->el[f->el];
            if (e->flags & HF_BLOCK) close_para(c);
            if (e->flags & HF_LINK) c->in_link = f->was_link;
            if (e->flags & HF_BLOCK) {
                /* back to the enclosing block */
                c->cur_block = sp >= 2 ? st[sp - 2].block : -1;
            }
            sp--;
            continue;
        }
        const GumboNode *k = kids->data[f->next++];
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE ||
            k->type == GUMBO_NODE_CDATA) {
            if (!(c->el[f->el].flags & HF_SKIP))
                add_text(c, k->v.text.text, strlen(k->v.text.text), c->el[c->cur_block].flags & HF_PRE ? 1 : 0);
            continue;
        }
        if (k->type != GUMBO_NODE_ELEMENT && k->type != GUMBO_NODE_TEMPLATE) continue;
        int t = k->v.element.tag;
        ws_html_meta_node(&c->meta, k);
        if (c->el[f->el].flags & HF_SKIP) continue;
        if (t == GUMBO_TAG_BR) {
            add_text(c, "\n", 1, 1);
            continue;
        }
        if (t == GUMBO_TAG_IMG || t == GUMBO_TAG_HR || t == GUMBO_TAG_WBR) {
            if (t == GUMBO_TAG_HR) close_para(c);
            continue;
        }
        int ke = push_el(c, k, f->el, c->el[f->el].depth + 1);
        if (ke < 0) goto oom;
        enter_element(c, k, ke);
        hel *e = &c->el[ke];
        if (e->flags & HF_SKIP) {
            /* metadata still wanted from head; no text */
            if (t == GUMBO_TAG_HEAD || t == GUMBO_TAG_NOSCRIPT) {
                /* walk head for metadata only: its children are leaves for us */
                const GumboVector *hk = &k->v.element.children;
                for (unsigned i = 0; i < hk->length; i++)
                    if (((const GumboNode *)hk->data[i])->type == GUMBO_NODE_ELEMENT)
                        ws_html_meta_node(&c->meta, hk->data[i]);
            }
            continue;
        }
        int block = f->block;
        if (sp == cap) {
            cap *= 2;
            wframe *ns = realloc(st, cap * sizeof *ns);
            if (!ns) goto oom;
            st = ns;
        }
        if (e->flags & HF_BLOCK) {
            close_para(c);
            block = ke;
            c->cur_block = ke;
        }
        int was_link = c->in_link;
        if (e->flags & HF_LINK) c->in_link = 1;
        st[sp++] = (wframe){k, ke, 0, block, was_link};
    }
    close_para(c);
    free(st);
    return;
oom:
    free(st);
    c->nomem = 1;
}

/* ------------------------------------------------------------------ */
/* Scoring */

static size_t count_commas(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',') k++;
        /* U+FF0C fullwidth comma, U+3001 ideographic comma */
        else if ((unsigned char)s[i] == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] == 0x8C)
            k++;
    }
    return k;
}


static void sum_up(hctx *c)
{
    for (size_t i = 0; i < c->npar; i++) {
        hpara *p = &c->par[i];
        size_t ch = u8chars(c->text.s + p->off, p->len);
        hel *e = &c->el[p->el];
        e->text += ch;
        e->link += p->link;
        if (ch >= 25 && p->link * 2 < ch && !(p->flags & HF_HEAD)) {
            e->ptext += ch;
            e->npara++;
        }
    }
    for (size_t i = c->nel; i-- > 1;) {
        hel *e = &c->el[i];
        hel *pa = &c->el[e->parent];
        pa->text += e->text;
        pa->link += e->link;
        pa->ptext += e->ptext;
        pa->npara += e->npara;
    }
    c->total_text = c->el[0].text;
}

/* Strongly negative subtrees (and negative ones holding little of the page's
 * text) are dropped from scoring and output. Parents come first in the
 * array, so one forward pass propagates the decision. */
static void mark_drops(hctx *c)
{
    for (size_t i = 0; i < c->nel; i++) {
        hel *e = &c->el[i];
        if (e->parent >= 0 && (c->el[e->parent].flags & HF_DROP)) {
            e->flags |= HF_DROP;
            continue;
        }
        if (!(e->flags & HF_NEG) || (e->flags & HF_POS)) continue;
        /* a negative element that holds most of the page's paragraphs is a
         * wrapper with an unlucky class name */
        size_t all = c->el[0].ptext;
        /* a wrapper of most of the page's paragraphs with an unlucky name
         * ("single-post with-sidebar", "modal-enabled") */
        if (all && e->ptext * 10 > all * ((e->flags & HF_STRONG) ? 6 : 4)) continue;
        if (!(e->flags & HF_STRONG)) {
            /* weak hints ("widget", "module"...) only drop blocks that are
             * not made of real paragraphs */
            double ld = e->text ? (double)e->link / (double)e->text : 0;
            if (e->ptext * 2 > e->text && ld < 0.3 && e->tag != GUMBO_TAG_NAV &&
                e->tag != GUMBO_TAG_FOOTER && e->tag != GUMBO_TAG_ASIDE)
                continue;
        }
        e->flags |= HF_DROP;
    }
}

static void score(hctx *c)
{
    for (size_t i = 0; i < c->npar; i++) {
        hpara *p = &c->par[i];
        if (p->flags & HF_HEAD) continue;
        if (c->el[p->el].flags & HF_DROP) continue;
        size_t ch = u8chars(c->text.s + p->off, p->len);
        if (ch < 25 || p->link * 2 > ch) continue;
        double s = 1.0 + (double)count_commas(c->text.s + p->off, p->len) + WS_HTML_MIN(ch / 100.0, 3.0);
        int e = p->el;
        /* a paragraph inside a <p>/<li>... scores its container; text right
         * in a div scores the div itself and its parent */
        int t = c->el[e].tag;
        int target = e;
        if (t == GUMBO_TAG_P || t == GUMBO_TAG_LI || t == GUMBO_TAG_PRE || t == GUMBO_TAG_TD ||
            t == GUMBO_TAG_DD || t == GUMBO_TAG_BLOCKQUOTE || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3)
            target = c->el[e].parent;
        double div = 1.0;
        for (int lvl = 0; target >= 0 && lvl < 3; lvl++) {
            c->el[target].score += s / div;
            div = lvl == 0 ? 2.0 : 6.0;
            target = c->el[target].parent;
        }
    }
}

static double tag_base(int t)
{
    switch (t) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_SECTION:
        return 5;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE:
        return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM:
        return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH:
        return -5;
    default:
        return 0;
    }
}

static double final_score(const hctx *c, int i)
{
    const hel *e = &c->el[i];
    double ld = e->text ? (double)e->link / (double)e->text : 0;
    return (e->score + tag_base(e->tag) + e->hint) * (1.0 - ld);
}

/* From the scored candidate, the ancestor whose subtree holds clearly more
 * paragraph text, less lambda times its other text (menus, teasers, link
 * lists), outside dropped subtrees. Articles split into several blocks
 * (rich-text widgets, accordions) are gathered this way. */
static int climb_by_mass(hctx *c, double lambda, int from)
{
    for (size_t i = 0; i < c->nel; i++) c->el[i].good = c->el[i].other = 0;
    for (size_t i = 0; i < c->npar; i++) {
        hpara *p = &c->par[i];
        hel *e = &c->el[p->el];
        if (e->flags & HF_DROP) continue;
        size_t ch = u8chars(c->text.s + p->off, p->len);
        if (ch >= 25 && p->link * 5 < ch && !(p->flags & HF_HEAD)) {
            e->good += (double)(ch - p->link);
            e->other += (double)p->link;
        } else if (!(p->flags & HF_HEAD)) {
            e->other += (double)ch;
        }
    }
    for (size_t i = c->nel; i-- > 1;) {
        hel *e = &c->el[i];
        c->el[e->parent].good += e->good;
        c->el[e->parent].other += e->other;
    }
    int best = -1;
    double bv = 0;
    if (from >= 0) {
        /* climb from the scored candidate to the ancestor of most mass */
        best = from;
        bv = c->el[from].good - lambda * c->el[from].other;
        for (int i = c->el[from].parent; i >= 0; i = c->el[i].parent) {
            hel *e = &c->el[i];
            if (e->flags & HF_DROP) break;
            double v = e->good - lambda * e->other;
            if (v > bv * 1.2 + 200) { /* clearly more article text */
                best = i;
                bv = v;
            }
        }
        return best;
    }
    return best;
}

static int best_candidate(hctx *c)
{
    int best = -1;
    double bs = 0;
    for (size_t i = 0; i < c->nel; i++) {
        hel *e = &c->el[i];
        if (e->score <= 0 || (e->flags & HF_DROP)) continue;
        double s = final_score(c, (int)i);
        if (best < 0 || s > bs) {
            best = (int)i;
            bs = s;
        }
    }
    if (best < 0) return best;
    /* Climb while the parent holds clearly more paragraph text than the
     * candidate (the article is split into several blocks). */
    for (;;) {
        int pa = c->el[best].parent;
        if (pa < 0 || c->el[pa].tag == GUMBO_TAG_BODY || c->el[pa].tag == GUMBO_TAG_HTML) break;
        if (c->el[pa].flags & HF_DROP) break;
        hel *e = &c->el[best], *p = &c->el[pa];
        double ld = p->text ? (double)p->link / (double)p->text : 0;
        if (ld > 0.25) break;
        if (p->ptext * 10 < e->ptext * 13 || p->ptext - e->ptext < 300) break;
        best = pa;
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Output */


static const char *const boiler_lines[] = {
    "advertisement", "advertisements", "sponsored", "share this article",
    "share this", "share", "read more", "related", "related articles",
    "related stories", "continue reading", "click here", "subscribe",
    "sign up", "recommended", "more stories", "watch", "listen",
    "story continues below advertisement", "skip to main content",
    "skip to content", "image", "photo", "getty images", "reuters",
    "ap photo", "comments", "print", "email", "facebook", "twitter",
    "whatsapp", "linkedin", "pinterest", "follow us", "loading...",
    "реклама", "читайте также", "поделиться", NULL};

/* Copies s[0..n) into buf (cap >= 1), ASCII letters lowercased, cut at
 * cap - 1 bytes; returns the length copied (buf is not terminated). */
static size_t lower_copy(const char *s, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        buf[k++] = ch;
    }
    return k;
}

static int is_boiler_line(const char *s, size_t n)
{
    if (n > 40) return 0;
    char buf[48];
    size_t k = lower_copy(s, n, buf, sizeof buf);
    while (k && (buf[k - 1] == ':' || buf[k - 1] == '.' || buf[k - 1] == ' ')) k--;
    buf[k] = '\0';
    for (int i = 0; boiler_lines[i]; i++)
        if (!strcmp(buf, boiler_lines[i])) return 1;
    return 0;
}

/* Is element i (inside the content) a boilerplate block: link lists etc. */
static int drop_inside(const hctx *c, int i, int top)
{
    const hel *e = &c->el[i];
    if (e->flags & HF_DROP) return 1;
    if (i == top) return 0;
    if ((e->flags & HF_NEG) && !(e->flags & HF_POS) && e->ptext * 2 < c->el[top].ptext) {
        /* a negative hint inside the article: strong ones ("share",
         * "related") go unless they carry most of the article's paragraphs;
         * weak ones ("widget", "toc") only when not made of paragraphs */
        if (e->flags & (HF_STRONG | HF_MEDIA)) return 1;
        double ld = e->text ? (double)e->link / (double)e->text : 0;
        if (e->ptext * 2 <= e->text || ld >= 0.3) return 1;
    }
    if (e->text >= 1 && (e->flags & HF_BLOCK) && e->tag != GUMBO_TAG_P) {
        double ld = (double)e->link / (double)e->text;
        if (ld > 0.5 && e->ptext * 4 < e->text) return 1;
        if ((e->tag == GUMBO_TAG_UL || e->tag == GUMBO_TAG_OL) && ld > 0.35) return 1;
    }
    return 0;
}

static int para_ok(const hctx *c, const hpara *p, int top, const char *title)
{
    const char *s = c->text.s + p->off;
    size_t ch = u8chars(s, p->len);
    (void)top;
    if (p->link * 10 > ch * 6 && ch < 300) return 0;
    if (is_boiler_line(s, p->len)) return 0;
    if ((c->el[p->el].tag == GUMBO_TAG_H1) && title) return 0;
    return 1;
}

/* Collects the output element set: top and its good siblings. */
/* Element states for the output, computed parents-first (linear). */
enum { EM_OUT = 0, EM_IN = 1, EM_CORE = 2, EM_DROP = 4 };

static int sibling_good(const hctx *c, int root, double thr)
{
    const hel *r = &c->el[root];
    if (r->flags & HF_DROP) return 0;
    double ld = r->text ? (double)r->link / (double)r->text : 1;
    if (r->score > 0 && final_score(c, root) >= thr) return 1;
    if (r->tag == GUMBO_TAG_P && r->text > 80 && ld < 0.25) return 1;
    return 0;
}

/* Is a paragraph outside the scored core (but in the climbed container)
 * article text? Real sentences only: no datelines, bylines, box titles. */
static int outer_ok(const hctx *c, const hpara *p)
{
    const char *s = c->text.s + p->off;
    size_t ch = u8chars(s, p->len);
    if (p->flags & HF_HEAD) return ch >= 12 && ch <= 150 && c->el[p->el].tag != GUMBO_TAG_H1;
    if (ch < 40 || p->link * 5 > ch) return 0;
    return 1;
}

/* Lines that open an end-of-article box: related stories, author box,
 * comments, newsletter (lower-case prefixes, our own list). */
static const char *const end_lines[] = {
    "about the author", "related", "you may also like", "you might also like",
    "more from", "more stories", "more news", "read next", "read more", "recommended",
    "most popular", "popular", "trending", "comments", "leave a reply",
    "leave a comment", "share this", "newsletter", "sign up", "subscribe",
    "want more", "further reading", "see also", "also read", "don't miss",
    "\xd1\x87\xd0\xb8\xd1\x82\xd0\xb0\xd0\xb9\xd1\x82\xd0\xb5 \xd1\x82\xd0\xb0\xd0\xba\xd0\xb6\xd0\xb5", /* читайте также */
    "\xd0\xba\xd0\xbe\xd0\xbc\xd0\xbc\xd0\xb5\xd0\xbd\xd1\x82\xd0\xb0\xd1\x80\xd0\xb8\xd0\xb8", /* комментарии */
    NULL};

static int is_end_line(const char *s, size_t n)
{
    if (n > 60) return 0;
    char buf[64];
    buf[lower_copy(s, n, buf, sizeof buf)] = '\0';
    for (int i = 0; end_lines[i]; i++)
        if (!strncmp(buf, end_lines[i], strlen(end_lines[i]))) return 1;
    return 0;
}

static void emit(hctx *c, int core, int top, const char *title, ws_html_buf *out)
{
    int outer_stop = 0, seen_core = 0;
    int parent = c->el[top].parent;
    double ts = final_score(c, top);
    double thr = ts * 0.2 > 10 ? ts * 0.2 : 10;
    unsigned char *st = calloc(c->nel ? c->nel : 1, 1);
    if (!st) goto oom;
    for (size_t i = 0; i < c->nel; i++) {
        int pa = c->el[i].parent;
        unsigned char ps = pa >= 0 ? st[pa] : EM_OUT;
        unsigned char v;
        if ((int)i == top) v = EM_IN;
        else if (pa >= 0 && pa == parent) v = sibling_good(c, (int)i, thr) ? EM_IN : EM_OUT;
        else v = ps & (EM_IN | EM_DROP);
        if ((int)i == core || (ps & EM_CORE)) v |= EM_CORE;
        if ((v & EM_IN) && !(v & EM_DROP) && drop_inside(c, (int)i, top)) v |= EM_DROP;
        st[i] = v;
    }
    for (size_t i = 0; i < c->npar; i++) {
        hpara *p = &c->par[i];
        unsigned char v = st[p->el];
        if (!(v & EM_IN) || (v & EM_DROP)) continue;
        if (v & EM_CORE) seen_core = 1;
        /* after the core, a "Related" / "About the author" line ends the
         * article text gathered by the climb */
        if (!(v & EM_CORE) && seen_core && is_end_line(c->text.s + p->off, p->len)) outer_stop = 1;
        if (!(v & EM_CORE) && outer_stop) continue;
        if (!para_ok(c, p, top, title)) continue;
        if (!(v & EM_CORE) && !outer_ok(c, p)) continue;
        if (out->len && ws_html_buf_put(out, "\n\n", 2)) goto oom;
        if (ws_html_buf_put(out, c->text.s + p->off, p->len)) goto oom;
    }
    free(st);
    return;
oom:
    free(st);
    c->nomem = 1;
}

/* The headline of the article: the last <h1> before the core's text (else
 * the first one inside the core) replaces the page's first <h1>, which may
 * be a logo or a section label. -1 when out of memory. */
static int near_h1(hctx *c, int core, ws_html_meta *m)
{
    int depth = c->el[core].depth;
    size_t end = (size_t)core + 1;
    while (end < c->nel && c->el[end].depth > depth) end++;
    const hpara *before = NULL, *inside = NULL;
    for (size_t i = 0; i < c->npar; i++) {
        const hpara *p = &c->par[i];
        int in = p->el >= core && (size_t)p->el < end;
        if (c->el[p->el].tag == GUMBO_TAG_H1 && !(c->el[p->el].flags & HF_DROP)) {
            if (in) {
                if (!inside) inside = p;
            } else if (p->el < core) {
                before = p;
            }
        }
    }
    const hpara *h = before ? before : inside;
    if (!h || h->len > 400) return 0;
    char *t = malloc(h->len + 1);
    if (!t) return -1;
    memcpy(t, c->text.s + h->off, h->len);
    t[h->len] = '\0';
    for (char *q = t; *q; q++)
        if (*q == '\n') *q = ' ';
    free(m->h1);
    m->h1 = t;
    return 0;
}

/* ------------------------------------------------------------------ */

static void ctx_free(hctx *c)
{
    free(c->el);
    free(c->par);
    free(c->text.s);
    ws_html_meta_free(&c->meta);
}

void ws_html_result_free(ws_html_result *r)
{
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

/* Gumbo frees its tree recursively: a page nested deeper than the stack
 * allows is parsed and freed on a thread with a big stack. */
typedef struct parse_job {
    const char *html;
    size_t len;
    const char *url;
    ws_html_result *out;
    ws_status st;
} parse_job;

static ws_status extract_now(const char *html, size_t len, const char *url, ws_html_result *out);

static void *parse_thread(void *arg)
{
    parse_job *j = arg;
    j->st = extract_now(j->html, j->len, j->url, j->out);
    return NULL;
}

/* Upper bound of the element nesting depth (opening minus closing tags). */
static size_t depth_bound(const char *s, size_t n)
{
    size_t depth = 0, max = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '<') continue;
        unsigned char d = (unsigned char)s[i + 1];
        if (d == '/') {
            if (depth) depth--;
        } else if ((d | 0x20) >= 'a' && (d | 0x20) <= 'z') {
            depth++;
            if (depth > max) max = depth;
        }
    }
    return max;
}

/* 1 for a start tag at s[i] that nests: not a void element (<br>, <img>...),
 * not one the parser closes by itself (<p>, <li>, <td>...), not "<x/>". */
static int tag_nests(const char *s, size_t n, size_t i)
{
    static const char *const flat[] = {"area", "base", "br", "col", "embed", "hr", "img",
                                       "input", "link", "meta", "param", "source", "track",
                                       "wbr", "p", "li", "dt", "dd", "option", "tr", "td",
                                       "th", "!", NULL};
    char name[8];
    size_t k = 0;
    for (size_t j = i + 1; j < n && k < sizeof name - 1; j++, k++) {
        unsigned char c = (unsigned char)s[j];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9')) break;
        name[k] = (char)(c | 0x20);
    }
    name[k] = 0;
    for (size_t f = 0; flat[f]; f++)
        if (!strcmp(name, flat[f])) return 0;
    /* bounded look-ahead: a '<' without '>' must not make this quadratic */
    const char *gt = memchr(s + i, '>', WS_HTML_MIN(n - i, (size_t)4096));
    return !(gt && gt > s + i && gt[-1] == '/');
}

/* A copy of s without the start tags opened deeper than max (and as many
 * end tags after them): gumbo's time grows with the square of the nesting
 * depth (100k nested <div> take minutes), so deeper markup is flattened
 * (its text is kept). *n_out is the copy's length; returns NULL when out of
 * memory. With out NULL, only measures: *n_out is the nesting depth. */
static char *flatten_deep(const char *s, size_t n, size_t max, size_t *n_out)
{
    char *o = NULL;
    if (max && !(o = malloc(n + 1))) return NULL;
    size_t depth = 0, top = 0, excess = 0, w = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '<' && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            int end = d == '/', start = (d | 0x20) >= 'a' && (d | 0x20) <= 'z';
            if (start && !tag_nests(s, n, i)) start = 0;
            if (max && ((start && depth >= max) || (end && excess))) {
                const char *gt = memchr(s + i, '>', WS_HTML_MIN(n - i, (size_t)4096));
                size_t k = gt ? (size_t)(gt - s) + 1 : i + 1;
                if (start) excess++;
                else excess--;
                i = k;
                continue;
            }
            if (start && ++depth > top) top = depth;
            else if (end && depth) depth--;
        }
        if (o) o[w++] = s[i];
        i++;
    }
    if (!o) {
        *n_out = top;
        return NULL;
    }
    o[w] = 0;
    *n_out = w;
    return o;
}

ws_status ws_html_extract(const char *html, size_t len, const char *url, ws_html_result *out)
{
    return ws_html_extract_depth(html, len, url, WS_HTML_MAX_DEPTH, out);
}

ws_status ws_html_extract_depth(const char *html, size_t len, const char *url,
                                size_t max_depth, ws_html_result *out)
{
    if (!out) return WS_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!html) len = 0;
    if (!max_depth) max_depth = WS_HTML_MAX_DEPTH;
    /* nesting of the elements that can nest (void and self-closing tags,
     * <p>, <li>, <td>... do not count); a cheap pass only when the crude
     * bound says it may matter */
    size_t depth = depth_bound(html ? html : "", len), nest = 0;
    if (depth >= 256 || depth > max_depth) flatten_deep(html, len, 0, &nest);
    if (nest > max_depth) {
        size_t n2 = 0;
        char *flat = flatten_deep(html, len, max_depth, &n2);
        if (!flat) return WS_ERR_NOMEM;
        ws_status st = ws_html_extract_depth(flat, n2, url, SIZE_MAX, out);
        free(flat);
        if (st == WS_OK) out->truncated = 1;
        return st;
    }
    if (nest < 256) return extract_now(html ? html : "", len, url, out);
    parse_job j = {html, len, url, out, WS_OK};
    pthread_attr_t at;
    pthread_t th;
    if (pthread_attr_init(&at)) return WS_ERR_NOMEM;
    /* gumbo frees its tree recursively (~200 bytes of stack per level; a
     * table level is up to 4 elements): a deep page gets its own stack */
    size_t stack = (size_t)1 << 20;
    stack += WS_HTML_MIN(nest, (size_t)1 << 20) * 4 * 256;
    pthread_attr_setstacksize(&at, stack);
    int rc = pthread_create(&th, &at, parse_thread, &j);
    pthread_attr_destroy(&at);
    if (rc) return WS_ERR_NOMEM;
    pthread_join(th, NULL);
    return j.st;
}

static char *dup_str(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

static ws_status extract_now(const char *html, size_t len, const char *url, ws_html_result *out)
{
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&opt, html, len);
    if (!g) return WS_ERR_NOMEM;
    hctx c;
    memset(&c, 0, sizeof c);
    c.cur_block = -1;
    ws_status st = WS_OK;
    walk(&c, g->root);
    if (c.nomem) goto nomem;
    sum_up(&c);
    mark_drops(&c);
    score(&c);
    ws_html_meta_finish(&c.meta, url);
    if (c.meta.nomem) goto nomem;
    /* the scored core, then the ancestor holding clearly more article text */
    int core = best_candidate(&c);
    int top = core >= 0 ? climb_by_mass(&c, 1.0, core) : -1;
    if (core >= 0 && near_h1(&c, core, &c.meta)) goto nomem;
    out->title = ws_html_clean_title(&c.meta, url);
    ws_html_buf body = {0};
    if (top >= 0) emit(&c, core, top, out->title, &body);
    if (c.nomem) {
        free(body.s);
        goto nomem;
    }
    /* JSON-LD articleBody when the markup hides the text */
    if (c.meta.ld_body && c.meta.ld_body_len > 200 &&
        body.len * 2 < c.meta.ld_body_len) {
        free(body.s);
        body = (ws_html_buf){0};
        if (ws_html_plain(c.meta.ld_body, c.meta.ld_body_len, &body)) goto nomem;
    }
    if (!body.s && ws_html_buf_put(&body, "", 0)) goto nomem;
    out->body = body.s;
    out->body_len = body.len;
    out->site = dup_str(c.meta.site);
    out->canonical = dup_str(c.meta.canonical);
    if ((c.meta.site && !out->site) || (c.meta.canonical && !out->canonical)) goto nomem;
    out->date = ws_meta_date(g->root, url, out->body, out->body_len);
    char **authors = NULL;
    out->n_authors = ws_meta_authors(g->root, out->body, out->body_len, &authors);
    out->authors = authors;
    out->lang = ws_meta_lang(g->root, out->body, out->body_len);
    goto done;
nomem:
    st = WS_ERR_NOMEM;
    ws_html_result_free(out);
done:
    ctx_free(&c);
    gumbo_destroy_output(&opt, g);
    return st;
}
