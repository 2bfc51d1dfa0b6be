/*
 * whosaid.h - who said what, to whom, when and where: the public C API.
 *
 * This is the only public header of libwhosaid. Every exported name starts
 * with ws_ or WS_. Struct bodies of handles stay private.
 *
 * Two tiers:
 *   1. One-shot: ws_extract_json() turns text into one JSON object
 *      (the format of docs/output.md).
 *   2. Objects: ws_engine (immutable, shared by threads) analyses text into a
 *      ws_doc (one per document, owned by one thread at a time), whose
 *      statements, entities, sentences and tokens are read as byte-offset
 *      spans into the caller's text.
 *
 * Offsets are UTF-8 byte offsets, half-open, into the exact bytes passed in.
 * Nothing depends on NUL terminators: lengths are always explicit.
 *
 * Errors: every fallible call returns a ws_status. WS_OK is 0. Codes are
 * never renumbered. ws_strerror() names a code; ws_doc_errmsg() and
 * ws_engine_errmsg() give the detailed message kept on a handle.
 *
 * Thread safety: a ws_engine is immutable after ws_engine_new() and may be
 * used by any number of threads at once. A ws_doc belongs to one thread at a
 * time. The library has no global mutable state.
 */
#ifndef WHOSAID_H
#define WHOSAID_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(WS_BUILDING_LIBRARY) && defined(__GNUC__)
#define WS_API __attribute__((visibility("default")))
#else
#define WS_API
#endif

#define WS_VERSION_MAJOR 0
#define WS_VERSION_MINOR 1
#define WS_VERSION_PATCH 0
#define WS_VERSION_STRING "0.1.0"
/* Version of the JSON output format (the "version" field). */
#define WS_OUTPUT_VERSION 1

/* Status codes. Stable: never renumbered. */
typedef enum ws_status {
    WS_OK = 0,
    WS_ERR_NOMEM = 1,     /* an allocation failed */
    WS_ERR_INVALID = 2,   /* a bad argument (NULL handle, bad index...) */
    WS_ERR_TOO_LARGE = 3, /* input over the engine's max_doc_bytes */
    WS_ERR_MODEL = 4,     /* a built-in model or lexicon failed to load */
    WS_ERR_IO = 5         /* reading or writing a file failed */
} ws_status;

/* Returns a static English name for a status code; never NULL. */
WS_API const char *ws_strerror(ws_status status);

/* Returns the library version, e.g. "0.1.0"; static, never NULL. */
WS_API const char *ws_version(void);

/*
 * Allocator hook. alloc(ud, n) returns n bytes or NULL; realloc(ud, p, old,
 * n) resizes; free(ud, p, size) releases (size may be 0 when unknown).
 * All three or none must be set.
 */
typedef struct ws_allocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ud, void *ptr, size_t size);
    void *ud;
} ws_allocator;

/* Engine options. Zero-initialise, then set what you need. */
typedef struct ws_engine_options {
    const ws_allocator *allocator; /* NULL: malloc/realloc/free */
    size_t max_doc_bytes;          /* 0: default 1 GiB; larger inputs fail */
    unsigned flags;                /* reserved, 0 */
} ws_engine_options;

typedef struct ws_engine ws_engine;
typedef struct ws_doc ws_doc;

/*
 * Creates an engine: loads the built-in lexicons and models (compiled into
 * the library, no files are read). opts may be NULL. On success *out owns
 * the engine; free it with ws_engine_free(). On failure *out is NULL.
 */
WS_API ws_status ws_engine_new(const ws_engine_options *opts, ws_engine **out);

/* Frees an engine. NULL is a no-op. No ws_doc made by it may outlive it. */
WS_API void ws_engine_free(ws_engine *engine);

/*
 * Analyses one document. text need not be NUL-terminated, may hold any
 * bytes (invalid UTF-8, NUL, CR) and is not copied: it must stay alive and
 * unchanged while the ws_doc is used. id names the document in output (may
 * be NULL: "-"); it is copied. On success *out owns a new ws_doc; free it
 * with ws_doc_free(). Thread-safe on a shared engine.
 */
WS_API ws_status ws_analyze(const ws_engine *engine, const char *text,
                            size_t len, const char *id, ws_doc **out);

/* Frees a document and everything read from it. NULL is a no-op. */
WS_API void ws_doc_free(ws_doc *doc);

/* A half-open byte span [start, end) into the document's text. */
typedef struct ws_span {
    size_t start;
    size_t end;
} ws_span;

typedef enum ws_quote_type {
    WS_QUOTE_DIRECT = 0,   /* the content is inside quotation marks */
    WS_QUOTE_INDIRECT = 1, /* reported speech without marks */
    WS_QUOTE_MIXED = 2     /* reported speech with a quoted fragment */
} ws_quote_type;

#define WS_MAX_SEGMENTS 8

/*
 * One statement, as read with ws_doc_statement(). Pointers stay valid until
 * ws_doc_free(). A span with start == end is absent (no source, no cue...).
 */
typedef struct ws_statement {
    ws_quote_type type;
    size_t n_content;                  /* content segments, 0..8 */
    ws_span content[WS_MAX_SEGMENTS];
    ws_span cue;
    ws_span source;
    ws_span addressee;
    long speaker;           /* entity index, or -1 when unresolved */
    const char *pattern;    /* evidence: the rule or model that found it */
    const char *resolution; /* evidence: how the source was resolved */
    double confidence;      /* 0..1 */
} ws_statement;

typedef enum ws_entity_type {
    WS_ENT_PERSON = 0,
    WS_ENT_ORG = 1,
    WS_ENT_GROUP = 2, /* anonymous or collective sources: "officials" */
    WS_ENT_OTHER = 3
} ws_entity_type;

typedef enum ws_gender {
    WS_GENDER_UNKNOWN = 0,
    WS_GENDER_MALE = 1,
    WS_GENDER_FEMALE = 2
} ws_gender;

/* One resolved entity, as read with ws_doc_entity(). */
typedef struct ws_entity {
    ws_entity_type type;
    const char *name;  /* longest full name, UTF-8, NUL-terminated */
    const char *title; /* e.g. "Foreign Minister", or NULL */
    ws_gender gender;
    size_t n_mentions;
    const ws_span *mentions;
} ws_entity;

/* Counts and accessors. Index out of range: WS_ERR_INVALID. */
WS_API size_t ws_doc_statement_count(const ws_doc *doc);
WS_API ws_status ws_doc_statement(const ws_doc *doc, size_t i,
                                  ws_statement *out);
WS_API size_t ws_doc_entity_count(const ws_doc *doc);
WS_API ws_status ws_doc_entity(const ws_doc *doc, size_t i, ws_entity *out);
WS_API size_t ws_doc_sentence_count(const ws_doc *doc);
WS_API ws_status ws_doc_sentence(const ws_doc *doc, size_t i, ws_span *out);
WS_API size_t ws_doc_token_count(const ws_doc *doc);
WS_API ws_status ws_doc_token(const ws_doc *doc, size_t i, ws_span *out);
WS_API size_t ws_doc_paragraph_count(const ws_doc *doc);
WS_API ws_status ws_doc_paragraph(const ws_doc *doc, size_t i, ws_span *out);

/* Output flags for JSON. */
#define WS_JSON_TEXT 0x1u    /* add "text" to every span (default in CLI) */
#define WS_JSON_TOKENS 0x2u  /* add sentences and tokens */
#define WS_JSON_PRETTY 0x4u  /* indent (not JSON Lines) */

/*
 * Renders a document as one JSON object (docs/output.md), without a
 * trailing newline. *out is allocated with the engine's allocator, is
 * NUL-terminated, has length *out_len, and is freed with ws_free().
 */
WS_API ws_status ws_doc_to_json(const ws_doc *doc, unsigned flags, char **out,
                                size_t *out_len);

/* One shot: ws_analyze() + ws_doc_to_json() + ws_doc_free(). */
WS_API ws_status ws_extract_json(const ws_engine *engine, const char *text,
                                 size_t len, const char *id, unsigned flags,
                                 char **out, size_t *out_len);

/* Frees a buffer returned by ws_doc_to_json() or ws_extract_json(). */
WS_API void ws_free(const ws_engine *engine, void *ptr);

/* The detailed message of the last failure on a handle ("" if none). */
WS_API const char *ws_doc_errmsg(const ws_doc *doc);

#ifdef __cplusplus
}
#endif
#endif /* WHOSAID_H */
