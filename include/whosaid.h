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
    WS_ERR_IO = 5,        /* reading or writing a file failed */
    WS_DONE = 6,          /* a reader has no more records (not an error) */
    WS_ERR_FORMAT = 7     /* malformed input: the record was skipped */
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
    size_t max_statements;         /* statements kept per document; 0: default
                                      1,000,000. Beyond it the later ones are
                                      dropped and the JSON says "truncated": true */
    size_t max_html_depth;         /* element nesting of an HTML page given to
                                      the parser; 0: default 512. Deeper start
                                      tags are dropped (their text kept) and
                                      the article says "truncated": true */
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

/*
 * Per-thread cache across documents (issue 5 speed). Part of the analysis
 * depends only on a word and the engine's models: the POS tagger's sums of
 * a word type's static features, the cue and role taggers' sums of a word's
 * own features. ws_analyze() computes them per document; a ws_cache keeps them
 * from one document to the next, so a thread that analyses many documents
 * computes each once. Results are exact: the output is byte-identical with
 * or without a cache, whatever the cache saw before.
 *
 * A cache is tied to the engine that made it (the engine must outlive it)
 * and used by one thread at a time: give each worker thread its own. It is
 * never shared and holds no pointer into a document. Its memory is fixed
 * when it is made (ws_cache_size(), about 7.3 MB): full tables forget entries
 * (the POS table keeps the words it met again) and are refilled, so memory
 * does not grow with the input. The pipeline (one per
 * worker), `whosaid extract`, `whosaid index` and the server's extract
 * handler use one.
 */
typedef struct ws_cache ws_cache;
/* Makes a cache for engine; WS_ERR_INVALID without an engine, WS_ERR_NOMEM. */
WS_API ws_status ws_cache_new(const ws_engine *engine, ws_cache **out);
/* Frees a cache. NULL is a no-op. */
WS_API void ws_cache_free(ws_cache *cache);
/* Bytes the cache may hold (fixed from ws_cache_new on: its tables and the
 * bound of its pool of document memory, ws_doc_free_cached); 0 for NULL. */
WS_API size_t ws_cache_size(const ws_cache *cache);
/* ws_analyze() through a cache (NULL: exactly ws_analyze). The cache must
 * come from the same engine (else WS_ERR_INVALID) and must not be in use by
 * another thread. The document does not keep the cache: either may be freed
 * first. */
WS_API ws_status ws_analyze_cached(const ws_engine *engine, ws_cache *cache,
                                   const char *text, size_t len,
                                   const char *id, ws_doc **out);
/* ws_doc_free() that keeps the document's memory blocks in cache (up to
 * a bound of 4 MB; the rest is freed) for the next documents analysed
 * through it, so a thread analysing many documents does not return memory
 * to the system and fault it in again each time. The same thread rules as
 * ws_analyze_cached(); cache NULL or of another engine: exactly
 * ws_doc_free(). NULL doc is a no-op. */
WS_API void ws_doc_free_cached(ws_cache *cache, ws_doc *doc);

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
#define WS_JSON_BODY 0x8u    /* articles: add "body", the text offsets point into */

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

/* ==== Inputs: readers, records and articles (docs/input.md) ===========
 *
 * A reader turns a file, a directory, stdin or a memory buffer into records:
 * one raw document each (a text file, an HTML page, one WARC response, one
 * JSONL line). An article is what a person reads in a record: its body text
 * and metadata (title, date, author, dateline...). Statements are found in
 * the body (ws_article_analyze); their offsets point into the body. For a
 * plain-text record the body is the record's exact bytes.
 */

typedef enum ws_format {
    WS_FORMAT_AUTO = 0,  /* detect from the content (and the file name) */
    WS_FORMAT_TEXT = 1,  /* plain text: the document is the exact bytes */
    WS_FORMAT_HTML = 2,  /* one web page */
    WS_FORMAT_WARC = 3,  /* WARC/1.0 or 1.1, gzip (multi-member) or plain */
    WS_FORMAT_JSONL = 4  /* one article per line, news-please style */
} ws_format;

/* Returns "auto", "text", "html", "warc" or "jsonl"; parses the same names
 * (WS_ERR_INVALID for an unknown one). */
WS_API const char *ws_format_name(ws_format format);
WS_API ws_status ws_format_parse(const char *name, ws_format *out);

/* Why a reader skipped a record. Stable: never renumbered. */
typedef enum ws_skip_reason {
    WS_SKIP_NOT_RESPONSE = 0, /* WARC request, metadata, warcinfo... */
    WS_SKIP_HTTP_STATUS = 1,  /* HTTP status other than 2xx (3xx, 4xx, 5xx) */
    WS_SKIP_NOT_HTML = 2,     /* PDF, images and other non-HTML payloads */
    WS_SKIP_TRUNCATED = 3,    /* a record cut short (WARC-Truncated, short read) */
    WS_SKIP_CORRUPT = 4,      /* bad gzip member, bad header, bad JSON line */
    WS_SKIP_TOO_LARGE = 5,    /* over max_record_bytes */
    WS_SKIP_EMPTY = 6,        /* no payload, or no text field */
    WS_SKIP_COUNT = 7
} ws_skip_reason;

/* Returns a static name for a skip reason ("not-response", ...). */
WS_API const char *ws_skip_name(ws_skip_reason reason);

/* One raw document. Owned by the reader: valid until the next
 * ws_reader_next() or ws_reader_free() on it. Strings are NUL-terminated
 * UTF-8 or NULL. */
typedef struct ws_record {
    ws_format format;    /* WS_FORMAT_TEXT, _HTML or _JSONL (one object) */
    const char *id;      /* document id (file stem, WARC-Record-ID...) */
    const char *url;     /* WARC-Target-URI, JSONL url, or NULL */
    const char *date;    /* fallback date (WARC-Date), or NULL */
    const char *charset; /* declared by the transport (HTTP header), or NULL */
    const char *source;  /* the input it came from (path or "-"), for messages */
    uint64_t offset;     /* where the record starts in its input */
    const char *data;    /* the payload (HTTP headers removed) */
    size_t len;
} ws_record;

typedef struct ws_reader_options {
    ws_format format;        /* WS_FORMAT_AUTO: detect per input file */
    size_t max_record_bytes; /* 0: default 64 MiB; larger records are skipped */
    const char *jsonl_fields; /* JSONL field mapping, NULL for the defaults;
                                "body=maintext,text;title=title;url=url;
                                 date=date_publish,date;author=authors" */
    unsigned flags;          /* reserved, 0 */
} ws_reader_options;

typedef struct ws_reader_stats {
    uint64_t records;                  /* records returned */
    uint64_t skipped[WS_SKIP_COUNT];   /* records skipped, by reason */
    uint64_t errors;                   /* WS_ERR_FORMAT / WS_ERR_IO returned */
    uint64_t bytes_read;               /* input bytes consumed so far */
    uint64_t bytes_total;              /* input size when known, else 0 */
} ws_reader_stats;

typedef struct ws_reader ws_reader;

/* Opens a path ("-" is stdin; a directory is walked recursively in
 * byte-sorted order, taking .txt .html .htm .warc .jsonl .json files,
 * also with .gz). opts may be NULL. Input is streamed: memory does not
 * grow with the input's size. A missing file is reported by the first
 * ws_reader_next() (WS_ERR_IO), not here. Record strings are valid UTF-8
 * (bad bytes of WARC headers and file names become U+FFFD), except source,
 * the path as given. A text or HTML file over the limit gives
 * WS_ERR_TOO_LARGE from ws_reader_next(). */
WS_API ws_status ws_reader_open(const char *path, const ws_reader_options *opts,
                                ws_reader **out);
/* Opens a memory buffer (not copied; it must outlive the reader). name is
 * used as the source and for the id of a text or HTML record. */
WS_API ws_status ws_reader_open_mem(const char *data, size_t len, const char *name,
                                    const ws_reader_options *opts, ws_reader **out);
/* Reads the next record into *rec. Returns WS_OK, WS_DONE at the end, or an
 * error (WS_ERR_FORMAT, WS_ERR_IO, WS_ERR_NOMEM) with ws_reader_errmsg()
 * naming the input and the cause; after WS_ERR_FORMAT or WS_ERR_IO the next
 * call goes on with the next record. */
WS_API ws_status ws_reader_next(ws_reader *reader, ws_record *rec);
WS_API const char *ws_reader_errmsg(const ws_reader *reader);
WS_API void ws_reader_stats_get(const ws_reader *reader, ws_reader_stats *out);
WS_API void ws_reader_free(ws_reader *reader);

typedef struct ws_article ws_article;

/* A dateline: "MOSCOW, December 30. /TASS/." A span into the body. */
typedef struct ws_dateline {
    ws_span span;       /* start == end: no dateline */
    const char *place;  /* "Moscow", or NULL */
    const char *date;   /* as written ("December 30"), or NULL */
    const char *agency; /* "TASS", or NULL */
} ws_dateline;

/* What an article holds. Strings are NUL-terminated UTF-8 or NULL; valid
 * until ws_article_free(). */
typedef struct ws_article_info {
    ws_format format;        /* the record's format */
    const char *id;
    const char *title;
    const char *date;        /* ISO 8601 publication date, or NULL */
    const char *url;         /* canonical URL, else the record's URL */
    const char *site;        /* site name */
    const char *lang;        /* "en", "ru", "other", or NULL if unknown */
    size_t n_authors;
    const char *const *authors;
    ws_dateline dateline;
    const char *body;        /* the text statements are found in */
    size_t body_len;
    int truncated;           /* 1: the input was cut at a cap (an HTML page
                                nested deeper than 512 elements is flattened
                                there); JSON "truncated": true */
} ws_article_info;

/* Makes the article of a record: HTML main-content extraction and metadata,
 * JSONL field mapping, or the identity for text. Converts the record's
 * encoding to UTF-8. The record need not outlive the article. */
WS_API ws_status ws_article_new(const ws_engine *engine, const ws_record *rec,
                                ws_article **out);
WS_API void ws_article_get(const ws_article *article, ws_article_info *out);
/* Analyses the article's body (ws_analyze on the body). */
WS_API ws_status ws_article_analyze(const ws_engine *engine, const ws_article *article,
                                    ws_doc **out);
/* The same through a per-thread cache (ws_analyze_cached; NULL: none). */
WS_API ws_status ws_article_analyze_cached(const ws_engine *engine, ws_cache *cache,
                                           const ws_article *article, ws_doc **out);
/* Renders the article's metadata and the document's statements as one JSON
 * object (docs/output.md); doc may be NULL (no statements). */
WS_API ws_status ws_article_to_json(const ws_article *article, const ws_doc *doc,
                                    unsigned flags, char **out, size_t *out_len);
WS_API void ws_article_free(ws_article *article);

/* Flag of ws_record_to_json() and ws_article_to_json(): the article's
 * metadata (and its body with WS_JSON_BODY) without statements: "quotes",
 * "entities" and "speakers" are empty, and ws_record_to_json() does not
 * analyse the body. A text record then gives the article object too. */
#define WS_JSON_NO_ANALYSIS 0x100u

/* One shot: ws_article_new() + ws_article_analyze() + ws_article_to_json(). */
WS_API ws_status ws_record_to_json(const ws_engine *engine, const ws_record *rec,
                                   unsigned flags, char **out, size_t *out_len);
/* The same through a per-thread cache (ws_analyze_cached; NULL: none). */
WS_API ws_status ws_record_to_json_cached(const ws_engine *engine, ws_cache *cache,
                                          const ws_record *rec, unsigned flags,
                                          char **out, size_t *out_len);

/* ==== Pipeline: threads over records, output in input order ============
 * (issue 5; docs/scale.md)
 *
 * A pipeline runs a per-record function (by default: article, analysis and
 * JSON, as ws_record_to_json) on N worker threads that share one read-only
 * engine, and hands every result to a writer callback strictly in input
 * order, so the output of any number of jobs is byte-identical to one job.
 *
 * Memory is bounded: at most max_records records are in flight (copied
 * into job slots, analysed, or waiting for their turn to be written), and
 * their input plus output bytes stay under max_bytes (a single record
 * larger than max_bytes is still taken, alone). The producer (the thread
 * calling ws_pipeline_push or ws_pipeline_read) blocks until there is room,
 * so memory does not grow with the input's size.
 *
 * Threads: one pipeline is used by one producer thread. The writer and
 * progress callbacks are never called concurrently with themselves; the
 * writer is called from a worker thread (or from the producer when
 * jobs == 1, where no thread is started at all). No global state.
 */

/* What the per-record function produces. data is allocated with the
 * engine's allocator (ws_free() frees it); errmsg may be filled on failure. */
typedef struct ws_pipeline_output {
    char *data;            /* the result bytes (e.g. one JSON object), or NULL */
    size_t len;
    uint64_t statements;   /* statements found, for the summary */
    char errmsg[256];      /* detail of a failure, NUL-terminated, or "" */
    ws_cache *cache;       /* in: the worker thread's cache (NULL if it could
                              not be made), for ws_analyze_cached and the
                              other *_cached calls; never shared between
                              threads; do not free it */
} ws_pipeline_output;

/* Per-record function: runs on a worker thread, concurrently with itself on
 * other records; it must only read ud. Returns WS_OK or an error for this
 * record only (the pipeline goes on). */
typedef ws_status (*ws_pipeline_work_fn)(void *ud, const ws_engine *engine,
                                         const ws_record *rec,
                                         ws_pipeline_output *out);

/* One result, as given to the writer. Valid during the callback only. */
typedef struct ws_pipeline_result {
    uint64_t seq;        /* 0-based position in input order */
    ws_format format;    /* the record's format (WS_FORMAT_AUTO: read error) */
    const char *id;      /* the record's id, or NULL for a read error */
    const char *url;     /* the record's url, or NULL */
    const char *source;  /* the input it came from, or NULL */
    uint64_t offset;     /* where the record starts in its input */
    ws_status status;    /* WS_OK, or the record's read or work error */
    const char *errmsg;  /* the error's message ("" when none) */
    const char *data;    /* the work's output when WS_OK (may be NULL) */
    size_t len;
    uint64_t statements;
} ws_pipeline_result;

/* Writer: called once per pushed record (and per pushed read error), in
 * input order. Return 0 to go on; non-zero stops the pipeline: records not
 * yet written are dropped, later pushes fail with WS_ERR_IO and
 * ws_pipeline_finish() returns WS_ERR_IO. Use it for a closed pipe. */
typedef int (*ws_pipeline_write_fn)(void *ud, const ws_pipeline_result *res);

/* Totals so far (ws_pipeline_stats_get) or at the end (ws_pipeline_finish). */
typedef struct ws_pipeline_stats {
    uint64_t records;      /* records pushed (read errors included) */
    uint64_t written;      /* results given to the writer */
    uint64_t documents;    /* results with WS_OK */
    uint64_t statements;   /* statements of those documents */
    uint64_t errors;       /* results with an error (read or work) */
    uint64_t skipped[WS_SKIP_COUNT]; /* readers' skipped records, by reason */
    uint64_t bytes_read;   /* input bytes consumed by ws_pipeline_read */
    uint64_t bytes_total;  /* their known sizes (0 when unknown) */
    uint64_t bytes_out;    /* output bytes given to the writer */
    int stopped;           /* 1 when the writer stopped the pipeline */
} ws_pipeline_stats;

/* Progress: called by the producer thread after each record it queues. */
typedef void (*ws_pipeline_progress_fn)(void *ud, const ws_pipeline_stats *st);

/* Pipeline options. Zero-initialise, then set what you need. */
typedef struct ws_pipeline_options {
    unsigned jobs;           /* worker threads; 0: the number of online cores;
                                1: no thread, each push runs inline */
    size_t max_records;      /* records in flight; 0: 4 x jobs */
    size_t max_bytes;        /* in-flight input + output bytes; 0: 64 MiB */
    unsigned json_flags;     /* WS_JSON_* for the default work function */
    ws_pipeline_work_fn work; /* NULL: ws_record_to_json (with a count) */
    void *work_ud;
    ws_pipeline_write_fn write; /* required */
    void *write_ud;
    ws_pipeline_progress_fn progress; /* NULL: none */
    void *progress_ud;
} ws_pipeline_options;

typedef struct ws_pipeline ws_pipeline;

/* Creates a pipeline and starts its threads. engine must outlive it.
 * WS_ERR_INVALID without opts->write; WS_ERR_NOMEM; when no thread can be
 * started it runs inline (as jobs == 1). */
WS_API ws_status ws_pipeline_new(const ws_engine *engine,
                                 const ws_pipeline_options *opts,
                                 ws_pipeline **out);
/* Queues one record (copied: rec need not outlive the call). Blocks while
 * the pipeline is full. WS_ERR_IO once the writer has stopped it. */
WS_API ws_status ws_pipeline_push(ws_pipeline *p, const ws_record *rec);
/* Queues a read error so that it reaches the writer in input order. */
WS_API ws_status ws_pipeline_push_error(ws_pipeline *p, const char *source,
                                        ws_status status, const char *errmsg);
/* Reads every record of reader into the pipeline (read errors are pushed
 * with ws_pipeline_push_error and reading goes on) and adds the reader's
 * skip counts and bytes to the stats. Returns WS_OK at the reader's end,
 * WS_ERR_IO when the writer stopped the pipeline, WS_ERR_NOMEM. */
WS_API ws_status ws_pipeline_read(ws_pipeline *p, ws_reader *reader);
/* Current totals (callable from the producer thread). */
WS_API void ws_pipeline_stats_get(ws_pipeline *p, ws_pipeline_stats *out);
/* Waits until every queued record is written, stops the threads, and
 * fills *stats (may be NULL). WS_OK, or WS_ERR_IO if the writer stopped it.
 * The pipeline may not be pushed to afterwards; free it. */
WS_API ws_status ws_pipeline_finish(ws_pipeline *p, ws_pipeline_stats *stats);
/* Frees a pipeline (finishing it first if needed). NULL is a no-op. */
WS_API void ws_pipeline_free(ws_pipeline *p);

/* The default work function (opts->work == NULL): ws_article_new,
 * ws_article_analyze and ws_article_to_json with *(unsigned *)ud as flags
 * (ud NULL: WS_JSON_TEXT), counting statements. */
WS_API ws_status ws_pipeline_work_json(void *ud, const ws_engine *engine,
                                       const ws_record *rec,
                                       ws_pipeline_output *out);

/* ---- Merging shards (whosaid merge) ---------------------------------- */

/* Merge options. Zero-initialise, then set write (required). */
typedef struct ws_pipeline_merge_options {
    size_t max_memory;  /* bytes of lines held before a sorted run is written
                           to a temporary file; 0: 256 MiB */
    const char *tmpdir; /* for the runs; NULL: $TMPDIR, else /tmp */
    /* Receives each kept line (without its newline), in output order.
     * Return non-zero to stop (the merge returns WS_ERR_IO). */
    int (*write)(void *ud, const char *line, size_t len);
    void *write_ud;
    /* Receives each problem ("PATH: line N: not a JSON object", "PATH:
     * No such file or directory"...); NULL: only the last is kept in err. */
    void (*error)(void *ud, const char *msg);
    void *error_ud;
} ws_pipeline_merge_options;

typedef struct ws_pipeline_merge_stats {
    uint64_t shards;     /* shards read */
    uint64_t lines;      /* non-blank lines read */
    uint64_t bad;        /* lines that are not JSON objects (skipped) */
    uint64_t duplicates; /* lines dropped: same key as a kept line */
    uint64_t written;    /* lines given to write */
    uint64_t runs;       /* sorted runs spilled to temporary files */
    uint64_t unreadable; /* shards that could not be opened (skipped) */
    int incomplete;      /* 1: the merge ended early (memory, temporary
                            file or write failure): the output is partial */
} ws_pipeline_merge_stats;

/*
 * Merges shards of whosaid JSON Lines (plain or gzip) deterministically:
 * each line's key is its "url" (else its "id", else the line), lines are
 * sorted by (key, line bytes), and of the lines sharing a key only the
 * first is kept. The output depends on the set of lines only, not on the
 * order or split of the shards. Memory is bounded by max_memory (an
 * external merge sort). A shard that cannot be read, or a bad line, is
 * reported and skipped, the rest is merged: the result is then
 * WS_ERR_IO or WS_ERR_FORMAT, with the last message in err (err_len bytes;
 * err may be NULL). WS_ERR_NOMEM, or WS_ERR_IO for a temporary file or a
 * stopped write, end the merge early. stats may be NULL.
 */
WS_API ws_status ws_pipeline_merge(const char *const *shards, size_t n,
                                   const ws_pipeline_merge_options *opts,
                                   ws_pipeline_merge_stats *stats, char *err,
                                   size_t err_len);

/* ==== Store: SQLite index and search (docs/store.md) ==================
 * (issue 4: declared here by the store's author)
 *
 * A store is one SQLite database (default ./whosaid.db, WAL mode) that
 * indexes whosaid output objects: articles, statements, speakers (canonical
 * across the corpus, with aliases), entities and mentions, FTS5 indexes and
 * quote clusters. The schema is specified in docs/store.md; the FTS5
 * indexes are in a second file, "<path>-fts" (ws_store_wait_index()).
 *
 * Results come back as JSON strings (UTF-8, NUL-terminated, malloc'd: free
 * them with ws_store_json_free()). Their shapes are in docs/store.md.
 *
 * Errors: WS_ERR_IO for a database that cannot be opened, read or written
 * (missing with no WS_STORE_CREATE, not a whosaid store, locked beyond the
 * busy timeout: ws_store_is_busy() tells), WS_ERR_INVALID for a bad argument
 * or a bad search query (FTS5 syntax: the message says what is wrong),
 * WS_ERR_FORMAT for an object that is not whosaid output, WS_ERR_NOMEM.
 * ws_store_errmsg() gives the detailed message of the last failure.
 *
 * Thread safety: a ws_store is used by one thread at a time. Open one
 * handle per thread (readers may run while one writer ingests: WAL). Only
 * parameterised SQL is run; no value from a query is pasted into SQL.
 */

typedef struct ws_store ws_store;

#define WS_STORE_READONLY 0x1u /* open read-only (query_only); never creates */
#define WS_STORE_CREATE 0x2u   /* create the file and schema if missing */

/*
 * Optional process-wide set-up for faster ingest: turns off SQLite's memory
 * statistics (SQLITE_CONFIG_MEMSTATUS), which take one global mutex around
 * every allocation of every SQLite connection in the process; the writer
 * and the text-index thread of an ingest contended on it (tens of
 * thousands of futex calls per 20,000 articles). Call it once at program
 * start, before any thread uses SQLite (sqlite3_config() is not
 * thread-safe). Returns WS_OK, or WS_ERR_INVALID when SQLite was already
 * initialised (then nothing changes). Stores work the same without it;
 * only sqlite3_memory_used() and the like read 0 after it.
 */
WS_API ws_status ws_store_process_init(void);

/*
 * Opens (and with WS_STORE_CREATE creates or migrates) the store at path.
 * Without WS_STORE_CREATE a missing file fails with WS_ERR_IO ("no such
 * database"). busy_timeout_ms: how long a call waits for a lock held by
 * another connection (0: the default, 5000 ms). On success *out owns the
 * handle; close it with ws_store_close(). On failure *out is NULL and, when
 * errmsg is not NULL, *errmsg is a malloc'd message (free with
 * ws_store_json_free()) naming the path and the cause.
 */
WS_API ws_status ws_store_open(const char *path, unsigned flags,
                               int busy_timeout_ms, ws_store **out,
                               char **errmsg);

/* Closes a store (rolls back an open batch). NULL is a no-op. */
WS_API void ws_store_close(ws_store *store);

/* The message of the last failure on this handle ("" if none). Valid until
 * the next call on the handle. */
WS_API const char *ws_store_errmsg(const ws_store *store);

/* 1 if the last failure was a lock held by another connection (busy
 * timeout expired), else 0. */
WS_API int ws_store_is_busy(const ws_store *store);

/* Frees a string returned by any ws_store_* call. NULL is a no-op. */
WS_API void ws_store_json_free(char *json);

/* What an ingest call did (counts add up across calls on one struct). */
typedef struct ws_store_ingest_stats {
    uint64_t articles_added;     /* new articles */
    uint64_t articles_duplicate; /* same URL or same content hash: skipped */
    uint64_t statements_added;
    uint64_t records_failed;     /* lines/objects that were not whosaid output */
} ws_store_ingest_stats;

/*
 * Batches. Every ingest call runs inside a batch: one transaction. Without
 * ws_store_begin() each ws_store_ingest_json() call is its own batch.
 * ws_store_commit() makes the batch durable; ws_store_rollback() (or a
 * crash, or ws_store_close()) drops all of it.
 */
WS_API ws_status ws_store_begin(ws_store *store);
WS_API ws_status ws_store_commit(ws_store *store);
WS_API ws_status ws_store_rollback(ws_store *store);

/*
 * The text index (the FTS5 tables behind text search) lives in its own file,
 * "<path>-fts", and a writer handle fills it on a thread of its own after
 * each commit (docs/store.md, "The text index"): a committed batch is found
 * by filters at once and by text search once its text is indexed.
 * ws_store_wait_index() waits until every batch this handle committed is
 * indexed; it returns the indexer's failure (WS_ERR_IO, WS_ERR_NOMEM; the
 * rows are indexed by the next batch or the next writer open), WS_OK at once
 * on a read-only handle. ws_store_close() also waits, silently.
 */
WS_API ws_status ws_store_wait_index(ws_store *store);

/*
 * Ingests one whosaid output object (docs/output.md: an object with
 * "version" and "quotes"; article fields "url", "site", "date", "title",
 * "lang", "author", "body" are used when present). Idempotent: an article
 * whose URL or content hash is already stored adds nothing
 * (articles_duplicate). stats may be NULL. WS_ERR_FORMAT: not valid JSON or
 * not whosaid output (nothing was added; the batch goes on).
 */
WS_API ws_status ws_store_ingest_json(ws_store *store, const char *json,
                                      size_t len, ws_store_ingest_stats *stats);

/*
 * Ingests a file of whosaid JSON Lines (plain or gzip; "-" is stdin), in
 * batches of batch_size lines (0: 10000), each one transaction, in file
 * order: the same input always gives the same store. Bad lines are counted
 * in records_failed and skipped (the message of the last one stays in
 * ws_store_errmsg()). Returns WS_ERR_IO if the file cannot be read or the
 * database cannot be written (batches committed before stay).
 */
WS_API ws_status ws_store_ingest_file(ws_store *store, const char *path,
                                      size_t batch_size,
                                      ws_store_ingest_stats *stats);

/* Calls fn(ud, stats, bytes_read) after each committed batch of
 * ws_store_ingest_file() (for progress reports; the library never prints).
 * fn NULL: none. */
WS_API void ws_store_set_progress(ws_store *store,
                                  void (*fn)(void *ud, const ws_store_ingest_stats *stats,
                                             uint64_t bytes_read),
                                  void *ud);

/* The default near-duplicate window of ws_store_set_near_window: 4,194,304
 * quote clusters (about 4.5 million statements). */
#define WS_STORE_DEFAULT_NEAR_WINDOW 4194304u

/* Sets the near-duplicate window of a writer: a new quote joins an earlier
 * cluster by near-duplicate (minhash) matching only if that cluster is among
 * the `clusters` most recently created ones (cluster ids above the largest
 * id minus `clusters`); an exact repeat (same normalised text) always joins
 * its cluster, however old. It bounds the writer's memory (about 46 bytes a
 * cluster in the window, 11 for every other cluster; docs/store.md, "Quote
 * clusters"). 0: the default, WS_STORE_DEFAULT_NEAR_WINDOW; at most
 * 4294967295. Use the same window for every run on a store to get the same
 * clusters for the same input. Not while a batch is open
 * (WS_ERR_INVALID). */
WS_API ws_status ws_store_set_near_window(ws_store *store, uint64_t clusters);

/* A statement search. Zero-initialise, then set what you need. */
typedef struct ws_search_query {
    const char *text;    /* FTS5 query over statement content; NULL or "": all */
    const char *speaker; /* a speaker: name, alias or "#ID"; NULL: any */
    long long speaker_id; /* > 0: this speaker id (overrides speaker) */
    const char *since;   /* articles dated on or after (ISO "2020-12-01"); NULL */
    const char *until;   /* on or before (a date includes the whole day); NULL */
    const char *site;    /* articles of this site (exact, case-insensitive) */
    const char *type;    /* "direct", "indirect" or "mixed"; NULL: any */
    long long article_id; /* > 0: statements of this article only */
    size_t limit;        /* 0: 20; capped at 1000 */
    size_t offset;       /* results to skip (paging) */
    int order;           /* WS_SEARCH_NEWEST (0) or WS_SEARCH_RELEVANCE */
} ws_search_query;

/* Orders of search results. NEWEST: with a text query or a speaker, the
 * latest indexed statements first (fast whatever the number of matches);
 * with neither, by article date, newest first. RELEVANCE: FTS5 bm25 rank
 * with a text query (ranks every match: slower for very common words). */
#define WS_SEARCH_NEWEST 0
#define WS_SEARCH_RELEVANCE 1

/*
 * Searches statements; *json is {"total":N,"total_exact":B,"results":
 * [statement...]} in q->order. total counts at most 10,000 matches
 * (total_exact false beyond). WS_ERR_INVALID
 * for a malformed query (an FTS5 syntax error, a bad date or type); the
 * message says which.
 */
WS_API ws_status ws_store_search(ws_store *store, const ws_search_query *q,
                                 char **json);

/*
 * Searches articles by their title and body (issue 4): q->text is an FTS5
 * query (the syntax of ws_store_search; "title:grain" for the title only;
 * NULL or "": every article), filtered by q->since, q->until and q->site;
 * q->limit (0: 20, at most 1000), q->offset. q->order: WS_SEARCH_NEWEST
 * (article date, newest first) or WS_SEARCH_RELEVANCE (FTS5 bm25, a title
 * word weighing 10 times a body word; newest without text). speaker,
 * speaker_id, type and article_id must be unset (WS_ERR_INVALID).
 * *json is {"total":N,"total_exact":B,"results":[{"id","url","site","date",
 * "title","n_statements","snippet","snippet_match":[start,end]|null,
 * "speakers":[{"id","name","statements"}]}...]}: snippet is about 240 bytes
 * of the body around the first occurrence of a query phrase or word (the
 * start of the body if none), snippet_match its byte range in the snippet,
 * speakers the article's (at most) 3 most quoted speakers. total counts at
 * most 10,000 (total_exact false beyond). Like text search, an article is
 * found by text once the text index has it (docs/store.md, "The text
 * index"). WS_ERR_INVALID for a bad FTS5 query or date, WS_ERR_IO without
 * a usable text index file.
 */
WS_API ws_status ws_store_search_articles(ws_store *store, const ws_search_query *q,
                                          char **json);

/* Speakers ranked by number of statements (optionally those of one site
 * and/or one FTS5 topic query): {"speakers":[{id,name,title,gender,
 * statements,articles}...]}. top: 0 means 20, capped at 1000. site, topic
 * may be NULL. */
WS_API ws_status ws_store_speakers(ws_store *store, size_t top,
                                   const char *site, const char *topic,
                                   char **json);

/* One speaker: name, title, gender, aliases with provenance (the rule that
 * merged each), a timeline (statements per month) and sites. WS_ERR_INVALID
 * for an unknown id. */
WS_API ws_status ws_store_speaker(ws_store *store, long long id, char **json);

/* One article: metadata, body, and its statements with their byte spans
 * into the body and speaker ids (for highlighting). WS_ERR_INVALID for an
 * unknown id. */
WS_API ws_status ws_store_article(ws_store *store, long long id, char **json);

/* One quote cluster: its first-seen statement (article, site, date), its
 * statements, and its wording variants per site. id is a cluster id or a
 * statement id when by_statement is nonzero. WS_ERR_INVALID if unknown. */
WS_API ws_status ws_store_quote_cluster(ws_store *store, long long id,
                                        int by_statement, char **json);

/* Counts, schema version and sizes: {"schema_version":N,"articles":N,
 * "statements":N,"speakers":N,"aliases":N,"entities":N,"mentions":N,
 * "clusters":N,"clusters_multi":N,"sites":N,"db_bytes":N,...}, and the text
 * index: "text_index" ("ok", "missing", "other store"), "fts_behind"
 * (statements committed but not yet text-indexed), "fts_articles_behind",
 * "fts_bytes". */
WS_API ws_status ws_store_stats(ws_store *store, char **json);

/* Undoes a merge: alias alias_id (from ws_store_speaker's "aliases") and
 * its statements move to a new speaker of their own; later ingests of that
 * alias go to it. *new_speaker_id may be NULL. */
WS_API ws_status ws_store_unmerge(ws_store *store, long long alias_id,
                                  long long *new_speaker_id);

/* ==== Server: the HTTP JSON API and the web page (docs/server.md) =====
 * (issue 4: declared here by the server's author)
 *
 * A ws_server answers the JSON API (search, speakers, speaker, article,
 * quote cluster, extract) and serves the web page whose assets are compiled
 * into the library. Store queries go through read-only handles
 * (WS_STORE_READONLY), one per request at a time, from a pool; POST
 * /api/extract analyses text with the shared engine and writes nothing.
 *
 * ws_server_request() is the whole of the HTTP logic without sockets:
 * (method, path, query, body) -> (status, content type, body). The
 * libmicrohttpd daemon started by ws_server_new() calls it for every
 * request and adds the fixed security headers (Content-Security-Policy
 * default-src 'self', X-Content-Type-Options nosniff...). Fuzzers and tests
 * call it directly on a server made with WS_SERVER_NO_LISTEN.
 *
 * Thread safety: any number of threads may call ws_server_request() on one
 * server at once. No global state.
 */

#define WS_SERVER_PUBLIC 0x1u    /* allow a listen address that is not loopback */
#define WS_SERVER_NO_LISTEN 0x2u /* open no socket: ws_server_request() only */

/* Server options. Zero-initialise, then set what you need. */
typedef struct ws_server_options {
    const char *db_path;      /* NULL: "whosaid.db" (opened read-only) */
    const char *listen;       /* "HOST:PORT" (IPv4, or [IPv6]:PORT); NULL:
                                 "127.0.0.1:8080"; port 0 picks a free port */
    unsigned threads;         /* request threads; 0: 2, at most 64 */
    unsigned max_connections; /* open connections; 0: 64 */
    unsigned timeout_s;       /* idle connection timeout; 0: 30 s */
    size_t max_body_bytes;    /* request body; 0: 4 MiB; more is a 413 */
    unsigned flags;           /* WS_SERVER_* */
} ws_server_options;

typedef struct ws_server ws_server;

/*
 * Checks the options, opens the store read-only once (a missing or
 * unreadable store fails here, except with WS_SERVER_NO_LISTEN, where store
 * endpoints answer 503 instead) and, unless WS_SERVER_NO_LISTEN, starts the
 * daemon on its own threads. engine is shared (thread-safe) and must
 * outlive the server. WS_ERR_INVALID: a bad listen address, or one that is
 * not loopback without WS_SERVER_PUBLIC; WS_ERR_IO: the store cannot be
 * opened or the address cannot be bound. On failure *out is NULL and err
 * (if not NULL) holds a message of at most err_len bytes naming the cause.
 */
WS_API ws_status ws_server_new(const ws_engine *engine,
                               const ws_server_options *opts, ws_server **out,
                               char *err, size_t err_len);

/* The base URL, e.g. "http://127.0.0.1:8080/" (with the bound port when
 * port 0 was asked), or "" with WS_SERVER_NO_LISTEN. Valid until free. */
WS_API const char *ws_server_url(const ws_server *srv);

/* Stops the daemon (waiting for requests in flight), closes the store
 * handles, frees the server. NULL is a no-op. */
WS_API void ws_server_free(ws_server *srv);

/* One HTTP response. body is malloc'd (free with ws_http_response_free). */
typedef struct ws_http_response {
    int status;               /* 200, 400, 404, 405, 413, 415, 500, 503... */
    const char *content_type; /* static string */
    char *body;               /* NUL-terminated; len bytes */
    size_t len;
} ws_http_response;

/*
 * Answers one request without sockets. method "GET", "HEAD", "POST"...;
 * path as sent, without the query ("/api/search"); query the raw query
 * string without '?' (percent-encoded; may be NULL); content_type the
 * request's Content-Type (may be NULL); body/body_len the request body
 * (any bytes). Bodies over max_body_bytes get 413. Errors are JSON
 * {"error": "..."} with their status. Returns WS_OK (whatever the HTTP
 * status) or WS_ERR_NOMEM / WS_ERR_INVALID when no response could be made
 * (*out is then empty).
 */
WS_API ws_status ws_server_request(ws_server *srv, const char *method,
                                   const char *path, const char *query,
                                   const char *content_type, const char *body,
                                   size_t body_len, ws_http_response *out);

/* Frees a response's body. NULL is a no-op. */
WS_API void ws_http_response_free(ws_http_response *resp);

#ifdef __cplusplus
}
#endif
#endif /* WHOSAID_H */
