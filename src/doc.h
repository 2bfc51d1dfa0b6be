/*
 * doc.h - the private body of ws_engine and ws_doc, and the statement and
 * entity records every stage reads and writes.
 */
#ifndef WS_DOC_H
#define WS_DOC_H

#include "internal.h"
#include "text/text.h"

/* Where a statement came from (evidence). */
typedef enum ws_origin {
    WS_ORIGIN_MODEL = 0, /* the trained cue/role tagger */
    WS_ORIGIN_RULE = 1   /* a hand-written pattern (quotes, headlines...) */
} ws_origin;

/* One statement. A span with start == end is absent. */
typedef struct ws_stmt {
    ws_sp content[WS_MAX_SEGMENTS];
    uint8_t n_content;
    uint8_t type;   /* ws_quote_type */
    uint8_t origin; /* ws_origin */
    uint8_t pad;
    ws_sp cue;
    ws_sp source;
    ws_sp addressee;
    int32_t entity;          /* speaker entity index, -1 = none */
    const char *pattern;     /* static string: which pattern matched */
    const char *resolution;  /* static string: how the source resolved */
    float score;             /* 0..1 */
    uint32_t cue_tok;        /* first token of the cue */
    uint32_t src_tok_start, src_tok_end; /* source token range, or 0,0 */
} ws_stmt;

/* A mention of an entity. */
typedef struct ws_mention {
    ws_sp span;
    uint32_t tok_start, tok_end;
    uint8_t kind; /* ws_mention_kind */
} ws_mention;

typedef enum ws_mention_kind {
    WS_MK_NAME = 0,    /* "Sergey Lavrov", "Lavrov" */
    WS_MK_TITLE = 1,   /* "the Minister" */
    WS_MK_PRONOUN = 2, /* "he" */
    WS_MK_NOMINAL = 3  /* "a senior official", "the ministry" */
} ws_mention_kind;

typedef struct ws_ent {
    uint8_t type;   /* ws_entity_type */
    uint8_t gender; /* ws_gender */
    const char *name;  /* arena string */
    const char *title; /* arena string or NULL */
    WS_VEC(ws_mention) mentions;
    ws_span *pub_mentions; /* public copy, built on demand by the accessor */
} ws_ent;

/* Models and lexicons, loaded once, read-only afterwards. */
struct ws_models;
struct ws_lexidx;

struct ws_engine {
    ws_mem mem;
    size_t max_doc_bytes;
    struct ws_models *models;
    size_t max_statements; /* ws_engine_options.max_statements */
    size_t max_html_depth; /* ws_engine_options.max_html_depth (0: the default) */
    struct ws_lexidx *lex; /* attribution word lists (attrib/lex_index.h);
                              NULL in engines made by hand */
};

struct ws_doc {
    const ws_engine *engine;
    ws_arena arena;
    const char *id;
    ws_text text;
    WS_VEC(ws_stmt) stmts;
    WS_VEC(ws_ent) ents;
    char errmsg[160];
    int truncated; /* statements over the engine's max_statements were dropped */
    struct ws_cache *cache; /* the caller's per-thread cache, or NULL */
};

/* A per-thread cache across documents (ws_cache_new, engine.c): results
 * that depend only on a word and the engine's models. Each stage owns its
 * part and gives the same results with or without it. */
struct ws_pos_cache;  /* model/pos.c: word types of the POS tagger */
struct ws_am_wcache;  /* attrib/model.c: the cue tagger's word cache */
struct ws_cache {
    const ws_engine *engine;
    struct ws_pos_cache *pos;
    struct ws_am_wcache *cue;
    ws_arena_pool pool; /* documents' arena chunks (ws_doc_free_cached) */
};
/* Bound of a cache's chunk pool: a news document's arena (0.7 MB for a
 * 5 KB text, most of it the attribution model's fixed scratch) fits many
 * times; chunks of very large documents are freed as before. */
#define WS_CACHE_POOL_BYTES ((size_t)4 << 20)
ws_status ws_pos_cache_new(const ws_engine *e, struct ws_pos_cache **out);
void ws_pos_cache_free(const ws_engine *e, struct ws_pos_cache *c);
size_t ws_pos_cache_bytes(const struct ws_pos_cache *c);
size_t ws_pos_cache_types(const struct ws_pos_cache *c); /* types held (tests) */
/* Types kept when a full table made room, summed over its refills (tests). */
size_t ws_pos_cache_kept(const struct ws_pos_cache *c);
ws_status ws_am_wcache_new(const ws_engine *e, struct ws_am_wcache **out);
void ws_am_wcache_free(const ws_engine *e, struct ws_am_wcache *c);
size_t ws_am_wcache_bytes(const struct ws_am_wcache *c);
size_t ws_am_wcache_used(const struct ws_am_wcache *c); /* filled entries (tests) */

/* Pipeline stages, in order (engine.c calls them). Each returns WS_OK or
 * WS_ERR_NOMEM. */
ws_status ws_pos_tag(const ws_engine *e, ws_doc *d);       /* model/pos.c */
ws_status ws_attrib_rules(const ws_engine *e, ws_doc *d);  /* attrib/rules.c */
ws_status ws_attrib_model(const ws_engine *e, ws_doc *d);  /* attrib/model.c */
ws_status ws_attrib_finish(const ws_engine *e, ws_doc *d); /* attrib/merge.c */
ws_status ws_resolve_speakers(const ws_engine *e, ws_doc *d); /* attrib/coref.c */

/* Runs only text analysis and POS tagging (for training tools). */
ws_status ws_doc_new_text(const ws_engine *e, const char *text, size_t len,
                          const char *id, ws_doc **out);

/* JSON writer (output/json.c). */
ws_status ws_json_write(const ws_doc *d, unsigned flags, char **out,
                        size_t *out_len);

#endif /* WS_DOC_H */
