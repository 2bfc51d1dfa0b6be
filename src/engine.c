/* engine.c - the public API: engine and document lifecycle, accessors. */
#include "doc.h"
#include "model/models.h"
#include "attrib/lex_index.h"

#include <stdio.h>

const char *ws_version(void) { return WS_VERSION_STRING; }

const char *ws_strerror(ws_status status) {
    switch (status) {
    case WS_OK: return "ok";
    case WS_ERR_NOMEM: return "out of memory";
    case WS_ERR_INVALID: return "invalid argument";
    case WS_ERR_TOO_LARGE: return "input too large";
    case WS_ERR_MODEL: return "model failed to load";
    case WS_ERR_IO: return "input/output error";
    case WS_DONE: return "no more records";
    case WS_ERR_FORMAT: return "malformed input";
    }
    return "unknown status";
}

#define DEFAULT_MAX_DOC ((size_t)1 << 30)
#define HARD_MAX_DOC ((size_t)UINT32_MAX - 1)
#define DEFAULT_MAX_STATEMENTS ((size_t)1000000)

ws_status ws_engine_new(const ws_engine_options *opts, ws_engine **out) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    ws_mem mem;
    ws_mem_init(&mem, opts ? opts->allocator : NULL);
    ws_engine *e = ws_mem_alloc(&mem, sizeof *e);
    WS_RETURN_IF(!e, WS_ERR_NOMEM);
    memset(e, 0, sizeof *e);
    e->mem = mem;
    e->max_doc_bytes = opts && opts->max_doc_bytes ? opts->max_doc_bytes
                                                   : DEFAULT_MAX_DOC;
    if (e->max_doc_bytes > HARD_MAX_DOC) e->max_doc_bytes = HARD_MAX_DOC;
    e->max_statements = opts && opts->max_statements ? opts->max_statements
                                                     : DEFAULT_MAX_STATEMENTS;
    e->max_html_depth = opts ? opts->max_html_depth : 0; /* 0: html.h's default */
    ws_status st = ws_models_load(&e->mem, &e->models);
    if (st != WS_OK) {
        ws_mem_free(&mem, e, sizeof *e);
        return st;
    }
    e->lex = ws_lexidx_new(&e->mem);
    if (!e->lex) {
        ws_models_free(&mem, e->models);
        ws_mem_free(&mem, e, sizeof *e);
        return WS_ERR_NOMEM;
    }
    *out = e;
    return WS_OK;
}

void ws_engine_free(ws_engine *e) {
    if (!e) return;
    ws_mem mem = e->mem;
    ws_lexidx_free(&mem, e->lex);
    ws_models_free(&mem, e->models);
    ws_mem_free(&mem, e, sizeof *e);
}

static ws_status run_pipeline(const ws_engine *e, ws_doc *d, const char *text,
                              size_t len, int text_only) {
    WS_FORWARD_IF_ERROR(ws_text_analyze(&d->arena, text, len, &d->text));
    /* the word index lookup while the lowercase view is still in cache */
    if (!text_only) WS_FORWARD_IF_ERROR(ws_lex_doc(d));
    WS_FORWARD_IF_ERROR(ws_pos_tag(e, d));
    if (text_only) return WS_OK;
    WS_FORWARD_IF_ERROR(ws_attrib_rules(e, d));
    WS_FORWARD_IF_ERROR(ws_attrib_model(e, d));
    WS_FORWARD_IF_ERROR(ws_attrib_finish(e, d));
    if (d->stmts.n > e->max_statements) { /* the cap: keep the first ones */
        d->stmts.n = e->max_statements;
        d->truncated = 1;
    }
    WS_FORWARD_IF_ERROR(ws_resolve_speakers(e, d));
    d->arena.pool = NULL; /* nor the cache's pool (ws_doc_free_cached) */
    return WS_OK;
}

static ws_status analyze(const ws_engine *e, ws_cache *c, const char *text,
                         size_t len, const char *id, int text_only, ws_doc **out) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    WS_RETURN_IF(!e || (!text && len), WS_ERR_INVALID);
    WS_RETURN_IF(c && c->engine != e, WS_ERR_INVALID);
    WS_RETURN_IF(len > e->max_doc_bytes, WS_ERR_TOO_LARGE);
    if (!text) text = "";
    ws_doc *d = ws_mem_alloc(&e->mem, sizeof *d);
    WS_RETURN_IF(!d, WS_ERR_NOMEM);
    memset(d, 0, sizeof *d);
    d->engine = e;
    d->cache = c;
    ws_arena_init(&d->arena, &e->mem);
    d->arena.pool = c ? &c->pool : NULL; /* chunks of earlier documents */
    if (!id) id = "-";
    d->id = ws_arena_strndup(&d->arena, id, strlen(id));
    ws_status st = d->id ? run_pipeline(e, d, text, len, text_only) : WS_ERR_NOMEM;
    d->cache = NULL; /* the document does not keep the cache */
    if (st != WS_OK) {
        ws_doc_free(d);
        return st;
    }
    *out = d;
    return WS_OK;
}

ws_status ws_analyze(const ws_engine *e, const char *text, size_t len,
                     const char *id, ws_doc **out) {
    return analyze(e, NULL, text, len, id, 0, out);
}

ws_status ws_analyze_cached(const ws_engine *e, ws_cache *c, const char *text,
                            size_t len, const char *id, ws_doc **out) {
    return analyze(e, c, text, len, id, 0, out);
}

ws_status ws_doc_new_text(const ws_engine *e, const char *text, size_t len,
                          const char *id, ws_doc **out) {
    return analyze(e, NULL, text, len, id, 1, out);
}

/* ---- per-thread caches across documents ---- */

ws_status ws_cache_new(const ws_engine *e, ws_cache **out) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    WS_RETURN_IF(!e, WS_ERR_INVALID);
    ws_cache *c = ws_mem_alloc(&e->mem, sizeof *c);
    WS_RETURN_IF(!c, WS_ERR_NOMEM);
    memset(c, 0, sizeof *c);
    c->engine = e;
    c->pool.max_bytes = WS_CACHE_POOL_BYTES;
    ws_status st = ws_pos_cache_new(e, &c->pos);
    if (st == WS_OK) st = ws_am_wcache_new(e, &c->cue);
    if (st != WS_OK) {
        ws_cache_free(c);
        return st;
    }
    *out = c;
    return WS_OK;
}

void ws_cache_free(ws_cache *c) {
    if (!c) return;
    const ws_engine *e = c->engine;
    ws_pos_cache_free(e, c->pos);
    ws_am_wcache_free(e, c->cue);
    ws_arena_pool_drain(&c->pool, &e->mem);
    ws_mem_free(&e->mem, c, sizeof *c);
}

size_t ws_cache_size(const ws_cache *c) {
    if (!c) return 0;
    return sizeof *c + ws_pos_cache_bytes(c->pos) + ws_am_wcache_bytes(c->cue) +
           c->pool.max_bytes;
}

void ws_doc_free(ws_doc *d) { ws_doc_free_cached(NULL, d); }

void ws_doc_free_cached(ws_cache *c, ws_doc *d) {
    if (!d) return;
    const ws_mem *mem = &d->engine->mem;
    ws_arena_release(&d->arena, c && c->engine == d->engine ? &c->pool : NULL);
    ws_mem_free(mem, d, sizeof *d);
}

const char *ws_doc_errmsg(const ws_doc *d) { return d ? d->errmsg : ""; }

size_t ws_doc_statement_count(const ws_doc *d) { return d ? d->stmts.n : 0; }

static ws_span to_pub(ws_sp s) {
    ws_span p = {s.start, s.end};
    return p;
}

ws_status ws_doc_statement(const ws_doc *d, size_t i, ws_statement *out) {
    WS_RETURN_IF(!d || !out || i >= d->stmts.n, WS_ERR_INVALID);
    const ws_stmt *s = &d->stmts.v[i];
    memset(out, 0, sizeof *out);
    out->type = (ws_quote_type)s->type;
    out->n_content = s->n_content;
    for (size_t k = 0; k < s->n_content; k++) out->content[k] = to_pub(s->content[k]);
    out->cue = to_pub(s->cue);
    out->source = to_pub(s->source);
    out->addressee = to_pub(s->addressee);
    out->speaker = s->entity;
    out->pattern = s->pattern ? s->pattern : "";
    out->resolution = s->resolution ? s->resolution : "";
    out->confidence = s->score;
    return WS_OK;
}

size_t ws_doc_entity_count(const ws_doc *d) { return d ? d->ents.n : 0; }

ws_status ws_doc_entity(const ws_doc *d, size_t i, ws_entity *out) {
    WS_RETURN_IF(!d || !out || i >= d->ents.n, WS_ERR_INVALID);
    ws_ent *en = &((ws_doc *)d)->ents.v[i]; /* lazily built public copy */
    if (!en->pub_mentions && en->mentions.n) {
        ws_span *m = ws_arena_alloc(&((ws_doc *)d)->arena,
                                    en->mentions.n * sizeof *m);
        WS_RETURN_IF(!m, WS_ERR_NOMEM);
        for (size_t k = 0; k < en->mentions.n; k++)
            m[k] = to_pub(en->mentions.v[k].span);
        en->pub_mentions = m;
    }
    out->type = (ws_entity_type)en->type;
    out->name = en->name ? en->name : "";
    out->title = en->title;
    out->gender = (ws_gender)en->gender;
    out->n_mentions = en->mentions.n;
    out->mentions = en->pub_mentions;
    return WS_OK;
}

size_t ws_doc_sentence_count(const ws_doc *d) { return d ? d->text.sents.n : 0; }
ws_status ws_doc_sentence(const ws_doc *d, size_t i, ws_span *out) {
    WS_RETURN_IF(!d || !out || i >= d->text.sents.n, WS_ERR_INVALID);
    out->start = d->text.sents.v[i].start;
    out->end = d->text.sents.v[i].end;
    return WS_OK;
}
size_t ws_doc_token_count(const ws_doc *d) { return d ? d->text.toks.n : 0; }
ws_status ws_doc_token(const ws_doc *d, size_t i, ws_span *out) {
    WS_RETURN_IF(!d || !out || i >= d->text.toks.n, WS_ERR_INVALID);
    out->start = d->text.toks.v[i].start;
    out->end = d->text.toks.v[i].end;
    return WS_OK;
}
size_t ws_doc_paragraph_count(const ws_doc *d) { return d ? d->text.paras.n : 0; }
ws_status ws_doc_paragraph(const ws_doc *d, size_t i, ws_span *out) {
    WS_RETURN_IF(!d || !out || i >= d->text.paras.n, WS_ERR_INVALID);
    out->start = d->text.paras.v[i].start;
    out->end = d->text.paras.v[i].end;
    return WS_OK;
}

ws_status ws_doc_to_json(const ws_doc *d, unsigned flags, char **out,
                         size_t *out_len) {
    WS_RETURN_IF(!d || !out, WS_ERR_INVALID);
    return ws_json_write(d, flags, out, out_len);
}

ws_status ws_extract_json(const ws_engine *e, const char *text, size_t len,
                          const char *id, unsigned flags, char **out,
                          size_t *out_len) {
    WS_RETURN_IF(!out, WS_ERR_INVALID);
    *out = NULL;
    ws_doc *d = NULL;
    WS_FORWARD_IF_ERROR(ws_analyze(e, text, len, id, &d));
    ws_status st = ws_doc_to_json(d, flags, out, out_len);
    ws_doc_free(d);
    return st;
}

void ws_free(const ws_engine *e, void *p) {
    if (!p) return;
    if (e) ws_mem_free(&e->mem, p, 0);
}
