/*
 * json.c - the JSON writer: one document as one JSON object (the format of
 * docs/output.md, version WS_OUTPUT_VERSION).
 *
 * The object is built in a growable buffer allocated with the engine's
 * allocator. Any input bytes give valid JSON: quotes, backslashes and
 * control characters are escaped, valid UTF-8 is copied as is and every
 * invalid byte becomes U+FFFD in "text" values (offsets still count the raw
 * bytes). Numbers are written with integer arithmetic, so no locale applies.
 */
#include "../doc.h"
#include "../article/article.h"

#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define JB_MAX_DEPTH 16

/* The output buffer and the pretty-printing state. */
typedef struct jbuf {
    const ws_mem *mem;
    char *p;
    size_t n, cap;
    int oom;
    int pretty;
    int depth;
    int inline_from; /* depth from which objects stay on one line, or 0 */
    unsigned char first[JB_MAX_DEPTH + 1];
} jbuf;

/* ---- buffer ---------------------------------------------------------- */

/* Grows the buffer (the rare path of jb_reserve). */
static int jb_grow(jbuf *b, size_t extra) {
    if (b->oom) return -1;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->n <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = b->p ? ws_mem_realloc(b->mem, b->p, b->cap, cap)
                   : ws_mem_alloc(b->mem, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Room for extra more bytes (and one more): 0, or -1 when out of memory
 * (then every later call fails too). */
static inline int jb_reserve(jbuf *b, size_t extra) {
    if (!b->oom && b->cap - b->n > extra) return 0;
    return jb_grow(b, extra);
}

static inline void jb_raw(jbuf *b, const char *s, size_t n) {
    if (jb_reserve(b, n)) return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static inline void jb_ch(jbuf *b, char c) {
    if (jb_reserve(b, 1)) return;
    b->p[b->n++] = c;
}

static void jb_lit(jbuf *b, const char *s) { jb_raw(b, s, strlen(s)); }

/* Writes v in decimal at p; returns the number of digits. */
static inline size_t put_u64(char *p, uint64_t v) {
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(p, tmp + i, sizeof tmp - i);
    return sizeof tmp - i;
}

static void jb_uint(jbuf *b, uint64_t v) {
    char tmp[20];
    jb_raw(b, tmp, put_u64(tmp, v));
}

/* ---- strings --------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is invalid
 * (Unicode Table 3-7: no overlongs, no surrogates, nothing over U+10FFFF). */
static size_t utf8_valid_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3;
    else if (c >= 0xF0 && c <= 0xF4) len = 4;
    else return 0;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

static void jb_escape_ctl(jbuf *b, unsigned char c) {
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    switch (c) {
    case '"': jb_raw(b, "\\\"", 2); return;
    case '\\': jb_raw(b, "\\\\", 2); return;
    case '\n': jb_raw(b, "\\n", 2); return;
    case '\r': jb_raw(b, "\\r", 2); return;
    case '\t': jb_raw(b, "\\t", 2); return;
    case '\b': jb_raw(b, "\\b", 2); return;
    case '\f': jb_raw(b, "\\f", 2); return;
    default: jb_raw(b, e, 6); return;
    }
}

/* Bytes that end a run of plain string bytes: controls, '"', '\\' and
 * every byte >= 0x80 (valid UTF-8 sequences then join the run). */
static const unsigned char jb_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* Index of the first byte of u[i..n) that jb_special marks, or n. */
static inline size_t plain_run(const unsigned char *u, size_t i, size_t n) {
#if defined(__SSE2__)
    /* 16 bytes at a time: a byte is special when it is < 0x20 or >= 0x80
     * (signed compare against 0x20) or '"' or '\\'. */
    const __m128i sp = _mm_set1_epi8(0x20), qu = _mm_set1_epi8('"'),
                  bs = _mm_set1_epi8('\\');
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, sp),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, qu),
                                              _mm_cmpeq_epi8(v, bs)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits) return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
    while (i < n && !jb_special[u[i]]) i++;
    return i;
}

/* Writes s[0..n) as a JSON string: runs of bytes that need no escape
 * (plain ASCII and valid UTF-8) are copied whole. */
static void jb_str(jbuf *b, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    jb_ch(b, '"');
    while (i < n) {
        size_t run = i;
        for (;;) {
            run = plain_run(u, run, n);
            if (run >= n || u[run] < 0x80) break;
            size_t len = utf8_valid_len(u + run, n - run);
            if (!len) break;
            run += len;
        }
        jb_raw(b, s + i, run - i);
        i = run;
        if (i >= n) break;
        if (u[i] < 0x80) {
            jb_escape_ctl(b, u[i++]);
            continue;
        }
        jb_raw(b, "\xEF\xBF\xBD", 3); /* an invalid byte */
        i++;
    }
    jb_ch(b, '"');
}

static void jb_cstr_or_null(jbuf *b, const char *s) {
    if (s) jb_str(b, s, strlen(s));
    else jb_lit(b, "null");
}

/* A confidence in [0, 1] with 2 or 3 decimals: 0.87, 0.875, 1.00. */
static void jb_conf(jbuf *b, double v) {
    if (!(v > 0)) v = 0; /* also NaN */
    if (v > 1) v = 1;
    unsigned m = (unsigned)(v * 1000.0 + 0.5);
    char t[6] = {(char)('0' + m / 1000), '.', (char)('0' + m / 100 % 10),
                 (char)('0' + m / 10 % 10), (char)('0' + m % 10), 0};
    jb_raw(b, t, t[4] == '0' ? 4 : 5);
}

/* ---- structure ------------------------------------------------------- */

static int jb_is_inline(const jbuf *b) {
    return b->inline_from && b->depth >= b->inline_from;
}

static void jb_newline(jbuf *b, int depth) {
    jb_ch(b, '\n');
    for (int k = 0; k < depth; k++) jb_raw(b, "  ", 2);
}

/* Before every array element or object key: a comma, and in pretty mode a
 * new line (or a space inside inline objects). */
static void jb_item(jbuf *b) {
    int d = b->depth;
    if (!b->first[d]) jb_ch(b, ',');
    if (b->pretty && jb_is_inline(b)) {
        if (!b->first[d]) jb_ch(b, ' ');
    } else if (b->pretty) {
        jb_newline(b, d);
    }
    b->first[d] = 0;
}

static void jb_begin(jbuf *b, char c) {
    jb_ch(b, c);
    if (b->depth < JB_MAX_DEPTH) b->depth++;
    b->first[b->depth] = 1;
}

static void jb_end(jbuf *b, char c) {
    int empty = b->first[b->depth];
    int was_inline = jb_is_inline(b);
    if (b->depth > 0) b->depth--;
    if (b->pretty && !empty && !was_inline) jb_newline(b, b->depth);
    jb_ch(b, c);
}

/* An object key: a literal of plain ASCII, so no escaping. */
static inline void jb_key(jbuf *b, const char *k) {
    size_t n = strlen(k);
    jb_item(b);
    if (jb_reserve(b, n + 4)) return;
    char *p = b->p + b->n;
    p[0] = '"';
    memcpy(p + 1, k, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    b->n += n + 3;
    if (b->pretty) b->p[b->n++] = ' ';
}

/* ---- document parts -------------------------------------------------- */

typedef struct jctx {
    jbuf b;
    const ws_doc *d;
    unsigned flags;
    const ws_article_info *art; /* article metadata, or NULL for text */
} jctx;


/* A span object {"start","end"[,"text"]}, clamped to the text. */
static void put_span(jctx *c, uint32_t start, uint32_t end) {
    jbuf *b = &c->b;
    uint32_t n = c->d->text.n;
    if (end > n) end = n;
    if (start > end) start = end;
    if (!b->pretty && b->depth + 1 < JB_MAX_DEPTH) {
        /* compact output: the bytes jb_begin/jb_key/jb_end would write */
        if (jb_reserve(b, 48)) return;
        char *p = b->p + b->n, *p0 = p;
        memcpy(p, "{\"start\":", 9);
        p += 9;
        p += put_u64(p, start);
        memcpy(p, ",\"end\":", 7);
        p += 7;
        p += put_u64(p, end);
        b->n += (size_t)(p - p0);
        if (c->flags & WS_JSON_TEXT) {
            jb_raw(b, ",\"text\":", 8);
            jb_str(b, c->d->text.s + start, end - start);
        }
        jb_ch(b, '}');
        return;
    }
    int save = b->inline_from;
    if (!save) b->inline_from = b->depth + 1;
    jb_begin(b, '{');
    jb_key(b, "start");
    jb_uint(b, start);
    jb_key(b, "end");
    jb_uint(b, end);
    if (c->flags & WS_JSON_TEXT) {
        jb_key(b, "text");
        jb_str(b, c->d->text.s + start, end - start);
    }
    jb_end(b, '}');
    b->inline_from = save;
}

static void put_opt_span(jctx *c, const char *key, ws_sp s) {
    jb_key(&c->b, key);
    if (s.end > s.start) put_span(c, s.start, s.end);
    else jb_lit(&c->b, "null");
}

static void put_ent_ref(jctx *c, int32_t e) {
    jb_lit(&c->b, "\"e");
    jb_uint(&c->b, (uint64_t)e + 1);
    jb_ch(&c->b, '"');
}

static int valid_ent(const ws_doc *d, int32_t e) {
    return e >= 0 && (size_t)e < d->ents.n;
}

static const char *type_name(unsigned t) {
    static const char *const names[] = {"direct", "indirect", "mixed"};
    return t < 3 ? names[t] : "indirect";
}

static void put_speaker(jctx *c, int32_t e) {
    jbuf *b = &c->b;
    jb_key(b, "speaker");
    if (!valid_ent(c->d, e)) {
        jb_lit(b, "null");
        return;
    }
    jb_begin(b, '{');
    jb_key(b, "entity");
    put_ent_ref(c, e);
    jb_key(b, "name");
    jb_cstr_or_null(b, c->d->ents.v[e].name);
    jb_end(b, '}');
}

static void put_evidence(jctx *c, const ws_stmt *s) {
    jbuf *b = &c->b;
    jb_key(b, "evidence");
    jb_begin(b, '{');
    jb_key(b, "pattern");
    jb_cstr_or_null(b, s->pattern);
    jb_key(b, "resolution");
    jb_cstr_or_null(b, s->resolution);
    jb_key(b, "confidence");
    jb_conf(b, s->score);
    jb_end(b, '}');
}

static void put_quote(jctx *c, const ws_stmt *s, size_t qno) {
    jbuf *b = &c->b;
    jb_item(b);
    jb_begin(b, '{');
    jb_key(b, "id");
    jb_ch(b, '"');
    jb_ch(b, 'q');
    jb_uint(b, qno);
    jb_ch(b, '"');
    jb_key(b, "type");
    jb_lit(b, "\"");
    jb_lit(b, type_name(s->type));
    jb_lit(b, "\"");
    jb_key(b, "content");
    jb_begin(b, '[');
    for (size_t k = 0; k < s->n_content && k < WS_MAX_SEGMENTS; k++) {
        if (s->content[k].end <= s->content[k].start) continue;
        jb_item(b);
        put_span(c, s->content[k].start, s->content[k].end);
    }
    jb_end(b, ']');
    put_opt_span(c, "cue", s->cue);
    put_opt_span(c, "source", s->source);
    put_speaker(c, s->entity);
    put_opt_span(c, "addressee", s->addressee);
    put_evidence(c, s);
    jb_end(b, '}');
}

typedef struct qkey {
    uint32_t pos;
    uint32_t idx;
} qkey;

static int qkey_cmp(const void *a, const void *b) {
    const qkey *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Statements in the document order that ws_attrib_finish() gave them, the
 * same order as ws_doc_statement(). */
static ws_status put_quotes(jctx *c) {
    const ws_doc *d = c->d;
    jb_key(&c->b, "quotes");
    jb_begin(&c->b, '[');
    for (size_t i = 0; i < d->stmts.n; i++) put_quote(c, &d->stmts.v[i], i + 1);
    jb_end(&c->b, ']');
    return WS_OK;
}

static const char *ent_type_name(unsigned t) {
    static const char *const names[] = {"PERSON", "ORG", "GROUP", "OTHER"};
    return t < 4 ? names[t] : "OTHER";
}

static void put_entity(jctx *c, size_t i) {
    jbuf *b = &c->b;
    const ws_ent *e = &c->d->ents.v[i];
    jb_item(b);
    jb_begin(b, '{');
    jb_key(b, "id");
    put_ent_ref(c, (int32_t)i);
    jb_key(b, "type");
    jb_ch(b, '"');
    jb_lit(b, ent_type_name(e->type));
    jb_ch(b, '"');
    jb_key(b, "name");
    jb_cstr_or_null(b, e->name ? e->name : "");
    jb_key(b, "title");
    jb_cstr_or_null(b, e->title);
    jb_key(b, "gender");
    jb_lit(b, e->gender == WS_GENDER_MALE     ? "\"male\""
              : e->gender == WS_GENDER_FEMALE ? "\"female\""
                                              : "null");
    jb_key(b, "mentions");
    jb_begin(b, '[');
    for (size_t k = 0; k < e->mentions.n; k++) {
        jb_item(b);
        put_span(c, e->mentions.v[k].span.start, e->mentions.v[k].span.end);
    }
    jb_end(b, ']');
    jb_end(b, '}');
}

static void put_entities(jctx *c) {
    jb_key(&c->b, "entities");
    jb_begin(&c->b, '[');
    for (size_t i = 0; i < c->d->ents.n; i++) put_entity(c, i);
    jb_end(&c->b, ']');
}

/* Speakers: entities with at least one statement, most statements first
 * (ties: first entity first). pos is reused as the negated count. */
static ws_status put_speakers(jctx *c) {
    const ws_doc *d = c->d;
    size_t n = d->ents.n, m = 0;
    qkey *keys = NULL;
    if (n) {
        keys = ws_mem_alloc(c->b.mem, n * sizeof *keys);
        WS_RETURN_IF(!keys, WS_ERR_NOMEM);
        for (size_t i = 0; i < n; i++) {
            keys[i].pos = 0;
            keys[i].idx = (uint32_t)i;
        }
        for (size_t i = 0; i < d->stmts.n; i++)
            if (valid_ent(d, d->stmts.v[i].entity)) keys[d->stmts.v[i].entity].pos++;
        for (size_t i = 0; i < n; i++) { /* keep speakers; sort by -count */
            if (!keys[i].pos) continue;
            keys[m].idx = keys[i].idx;
            keys[m++].pos = UINT32_MAX - keys[i].pos;
        }
        qsort(keys, m, sizeof *keys, qkey_cmp);
    }
    jbuf *b = &c->b;
    jb_key(b, "speakers");
    jb_begin(b, '[');
    for (size_t i = 0; i < m; i++) {
        const ws_ent *e = &d->ents.v[keys[i].idx];
        jb_item(b);
        jb_begin(b, '{');
        jb_key(b, "entity");
        put_ent_ref(c, (int32_t)keys[i].idx);
        jb_key(b, "name");
        jb_cstr_or_null(b, e->name ? e->name : "");
        jb_key(b, "title");
        jb_cstr_or_null(b, e->title);
        jb_key(b, "statements");
        jb_uint(b, UINT32_MAX - keys[i].pos);
        jb_end(b, '}');
    }
    jb_end(b, ']');
    ws_mem_free(c->b.mem, keys, n * sizeof *keys);
    return WS_OK;
}

/* paragraphs, sentences and tokens (WS_JSON_TOKENS). */
static void put_text_units(jctx *c) {
    const ws_text *t = &c->d->text;
    jb_key(&c->b, "paragraphs");
    jb_begin(&c->b, '[');
    for (size_t i = 0; i < t->paras.n; i++) {
        jb_item(&c->b);
        put_span(c, t->paras.v[i].start, t->paras.v[i].end);
    }
    jb_end(&c->b, ']');
    jb_key(&c->b, "sentences");
    jb_begin(&c->b, '[');
    for (size_t i = 0; i < t->sents.n; i++) {
        jb_item(&c->b);
        put_span(c, t->sents.v[i].start, t->sents.v[i].end);
    }
    jb_end(&c->b, ']');
    jb_key(&c->b, "tokens");
    jb_begin(&c->b, '[');
    for (size_t i = 0; i < t->toks.n; i++) {
        jb_item(&c->b);
        put_span(c, t->toks.v[i].start, t->toks.v[i].end);
    }
    jb_end(&c->b, ']');
}

/* Article metadata (ws_json_write_article): after "generator". */
static void put_article_meta(jctx *c) {
    jbuf *b = &c->b;
    const ws_article_info *a = c->art;
    jb_key(b, "format");
    jb_cstr_or_null(b, ws_format_name(a->format));
    jb_key(b, "title");
    jb_cstr_or_null(b, a->title);
    jb_key(b, "date");
    jb_cstr_or_null(b, a->date);
    jb_key(b, "author");
    if (a->n_authors) {
        jb_begin(b, '[');
        for (size_t i = 0; i < a->n_authors; i++) {
            jb_item(b);
            jb_cstr_or_null(b, a->authors[i]);
        }
        jb_end(b, ']');
    } else {
        jb_lit(b, "null");
    }
    jb_key(b, "url");
    jb_cstr_or_null(b, a->url);
    jb_key(b, "site");
    jb_cstr_or_null(b, a->site);
    jb_key(b, "lang");
    jb_cstr_or_null(b, a->lang);
    jb_key(b, "dateline");
    const ws_dateline *dl = &a->dateline;
    if (dl->span.end > dl->span.start && dl->span.end <= a->body_len) {
        jb_begin(b, '{');
        jb_key(b, "start");
        jb_uint(b, dl->span.start);
        jb_key(b, "end");
        jb_uint(b, dl->span.end);
        jb_key(b, "text");
        jb_str(b, a->body + dl->span.start, dl->span.end - dl->span.start);
        jb_key(b, "place");
        jb_cstr_or_null(b, dl->place);
        jb_key(b, "date");
        jb_cstr_or_null(b, dl->date);
        jb_key(b, "agency");
        jb_cstr_or_null(b, dl->agency);
        jb_end(b, '}');
    } else {
        jb_lit(b, "null");
    }
}

static ws_status put_document(jctx *c) {
    jbuf *b = &c->b;
    jb_begin(b, '{');
    jb_key(b, "version");
    jb_uint(b, WS_OUTPUT_VERSION);
    jb_key(b, "id");
    if (c->art) jb_cstr_or_null(b, c->art->id ? c->art->id : "-");
    else jb_cstr_or_null(b, c->d->id ? c->d->id : "-");
    jb_key(b, "generator");
    jb_lit(b, "\"whosaid " WS_VERSION_STRING "\"");
    if (c->art) put_article_meta(c);
    /* only when something was cut at a cap: outputs stay as they were */
    if ((c->art && c->art->truncated) || (c->d && c->d->truncated)) {
        jb_key(b, "truncated");
        jb_lit(b, "true");
    }
    if (c->d) {
        WS_FORWARD_IF_ERROR(put_quotes(c));
        put_entities(c);
        WS_FORWARD_IF_ERROR(put_speakers(c));
        if (c->flags & WS_JSON_TOKENS) put_text_units(c);
    } else { /* an article without statements */
        jb_key(b, "quotes");
        jb_lit(b, "[]");
        jb_key(b, "entities");
        jb_lit(b, "[]");
        jb_key(b, "speakers");
        jb_lit(b, "[]");
    }
    if (c->art && (c->flags & WS_JSON_BODY)) {
        jb_key(b, "body");
        jb_str(b, c->art->body ? c->art->body : "", c->art->body ? c->art->body_len : 0);
    }
    jb_end(b, '}');
    return WS_OK;
}

/* Renders the document object, with the article's fields when art is set. */
static ws_status write_json(const ws_mem *mem, const ws_doc *d,
                            const ws_article_info *art, unsigned flags,
                            char **out, size_t *out_len) {
    *out = NULL;
    if (out_len) *out_len = 0;
    jctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.art = art;
    c.flags = flags;
    c.b.mem = mem;
    c.b.pretty = (flags & WS_JSON_PRETTY) != 0;
    /* One allocation for most documents instead of doubling from 1 KB:
     * compact output runs at about 2.6 bytes per text byte on news
     * (PolNeAR train), so 3 per byte + 2 KB covers it; a larger object
     * still grows by doubling. Capped at 16 MB; failing to get it is
     * out of memory, as any later growth would be. */
    size_t hint = 2048, hint_max = (size_t)16 << 20;
    if (d && !c.b.pretty && !(flags & WS_JSON_TOKENS) && d->text.n < hint_max)
        hint += 3 * (size_t)d->text.n;
    if (art && (flags & WS_JSON_BODY) && art->body_len < hint_max)
        hint += art->body_len + art->body_len / 8;
    if (hint > hint_max) hint = hint_max;
    (void)jb_grow(&c.b, hint - 1); /* sets c.b.oom on failure */
    ws_status st = put_document(&c);
    jb_ch(&c.b, '\0');
    if (st == WS_OK && c.b.oom) st = WS_ERR_NOMEM;
    if (st != WS_OK) {
        ws_mem_free(c.b.mem, c.b.p, c.b.cap);
        return st;
    }
    *out = c.b.p;
    if (out_len) *out_len = c.b.n - 1;
    return WS_OK;
}

ws_status ws_json_write_article(const ws_mem *mem, const ws_doc *d,
                                const ws_article_info *art, unsigned flags,
                                char **out, size_t *out_len) {
    WS_RETURN_IF(!mem || !art || !out, WS_ERR_INVALID);
    return write_json(mem, d, art, flags, out, out_len);
}

ws_status ws_json_write(const ws_doc *d, unsigned flags, char **out,
                        size_t *out_len) {
    WS_RETURN_IF(!d || !out, WS_ERR_INVALID);
    return write_json(&d->engine->mem, d, NULL, flags, out, out_len);
}
