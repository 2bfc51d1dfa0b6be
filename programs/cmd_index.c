/* cmd_index.c - whosaid index: adds documents to the store. Inputs are
 * whosaid's own JSON Lines output (plain or gzip: ingested as they are, no
 * re-extraction) or text documents (extracted first). */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_index =
    "Usage: whosaid index [--db FILE] [--batch N] [--jobs N] [--near-window N]\n"
    "                     [--quiet] INPUT...\n"
    "\n"
    "Adds documents to the store (created if missing). An INPUT is whosaid's\n"
    "JSON Lines output (e.g. 'whosaid extract ... | whosaid index -', or a\n"
    "Slurm shard .jsonl.gz: stored as it is, not extracted again), or any\n"
    "input extract reads (text, HTML, WARC, news JSONL, a directory, - for\n"
    "stdin), extracted first. Indexing is idempotent: an article whose URL or content is\n"
    "already stored is skipped. Each batch of N documents is one transaction,\n"
    "so an interrupted run loses at most its last batch; run it again.\n"
    "Progress goes to stderr when stderr is a terminal.\n"
    "\n"
    "Options:\n"
    "  --db FILE        the store (default ./whosaid.db)\n"
    "  --batch N        documents per transaction (default 10000 for whosaid\n"
    "                   JSON Lines, 1000 for documents extracted first)\n"
    "  --jobs N         extraction threads (default: the online cores)\n"
    "  --near-window N  a quote joins an earlier cluster by near-duplicate\n"
    "                   wording only if it is among the N most recent clusters\n"
    "                   (default 4194304; exact repeats always join); use the\n"
    "                   same N on every run of a store\n"
    "  --quiet          no progress and no summary\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok, 1 some inputs failed (the others were indexed),\n"
    "2 usage, 3 the store could not be written.\n";

typedef struct index_ctx {
    ws_store *store;
    ws_engine *engine;
    ws_store_ingest_stats stats;
    size_t batch, in_batch;
    int progress;
    int failed;
    int fatal;          /* the store failed: stop */
    unsigned jobs;      /* extraction threads (0: the online cores) */
} index_ctx;

static void show_progress(void *ud, const ws_store_ingest_stats *st, uint64_t bytes) {
    (void)bytes;
    index_ctx *c = ud;
    if (!c->progress) return;
    fprintf(stderr, "\rwhosaid index: %llu articles added, %llu duplicates, %llu statements",
            (unsigned long long)st->articles_added, (unsigned long long)st->articles_duplicate,
            (unsigned long long)st->statements_added);
    fflush(stderr);
}

/* Does buf (a file's first bytes) look like whosaid output (JSON Lines of
 * objects with "version" and "quotes") or gzip? */
static int looks_like_output(const unsigned char *buf, size_t n) {
    if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b) return 1;
    size_t i = 0;
    while (i < n && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) i++;
    if (i >= n || buf[i] != '{') return 0;
    const char *line = (const char *)buf + i;
    const char *nl = memchr(line, '\n', n - i);
    size_t len = nl ? (size_t)(nl - line) : n - i;
    int v = 0, q = 0;
    for (size_t k = 0; k + 9 <= len; k++) {
        if (!memcmp(line + k, "\"version\"", 9)) v = 1;
        if (!memcmp(line + k, "\"quotes\"", 8)) q = 1;
    }
    return v && q;
}

static int commit_if_full(index_ctx *c, int force) {
    if (!c->in_batch || (!force && c->in_batch < (c->batch ? c->batch : 1000))) return 0;
    c->in_batch = 0;
    if (ws_store_commit(c->store) != WS_OK) return -1;
    show_progress(c, &c->stats, 0);
    return 0;
}

/* Ingests one whosaid JSON object inside the current batch. */
static int add_json(index_ctx *c, const char *src, const char *json, size_t len) {
    if (!c->in_batch && ws_store_begin(c->store) != WS_OK) return -1;
    c->in_batch++;
    ws_status st = ws_store_ingest_json(c->store, json, len, &c->stats);
    if (st == WS_ERR_FORMAT) {
        report(src, ws_store_errmsg(c->store));
        c->failed = 1;
    } else if (st != WS_OK)
        return -1;
    return commit_if_full(c, 0);
}

/* The pipeline's writer: one extracted article (in input order). */
static int write_result(void *ud, const ws_pipeline_result *res) {
    index_ctx *c = ud;
    if (res->status != WS_OK) {
        char where[600];
        snprintf(where, sizeof where, "%s%s%s", res->source ? res->source : "-",
                 res->id && res->source && strcmp(res->id, res->source) ? ": " : "",
                 res->id && res->source && strcmp(res->id, res->source) ? res->id : "");
        report(where, res->errmsg && *res->errmsg ? res->errmsg : ws_strerror(res->status));
        c->failed = 1;
        return 0;
    }
    if (!res->data) return 0;
    if (add_json(c, res->source ? res->source : "-", res->data, res->len)) {
        c->fatal = 1;
        return 1; /* stops the pipeline */
    }
    return 0;
}

/* Extracts every record of a reader (text, HTML, WARC, JSONL articles) on
 * the pipeline's threads and ingests the results in input order, with
 * their bodies (span offsets point into them). */
static int add_records(index_ctx *c, const char *path, ws_reader *rd) {
    if (!c->engine && open_engine(&c->engine)) {
        ws_reader_free(rd);
        return -1;
    }
    ws_pipeline_options po;
    memset(&po, 0, sizeof po);
    po.jobs = c->jobs;
    po.json_flags = WS_JSON_TEXT | WS_JSON_BODY;
    po.write = write_result;
    po.write_ud = c;
    ws_pipeline *p = NULL;
    ws_status st = ws_pipeline_new(c->engine, &po, &p);
    if (st != WS_OK) {
        ws_reader_free(rd);
        report(path, ws_strerror(st));
        return -1;
    }
    st = ws_pipeline_read(p, rd);
    ws_pipeline_stats ps;
    ws_status fin = ws_pipeline_finish(p, &ps);
    ws_pipeline_free(p);
    ws_reader_free(rd);
    if (c->fatal) return -1;
    if (st == WS_ERR_NOMEM || fin == WS_ERR_NOMEM) {
        report(path, ws_strerror(WS_ERR_NOMEM));
        return -1;
    }
    uint64_t k = 0;
    for (int i = 0; i < WS_SKIP_COUNT; i++) k += ps.skipped[i];
    if (k) {
        fprintf(stderr, "whosaid: %s: %llu records skipped (", path, (unsigned long long)k);
        const char *sep = "";
        for (int i = 0; i < WS_SKIP_COUNT; i++) {
            if (!ps.skipped[i]) continue;
            fprintf(stderr, "%s%s %llu", sep, ws_skip_name((ws_skip_reason)i),
                    (unsigned long long)ps.skipped[i]);
            sep = ", ";
        }
        fputs(")\n", stderr);
    }
    return 0;
}

static int add_reader_path(index_ctx *c, const char *path) {
    ws_reader *rd = NULL;
    ws_status st = ws_reader_open(path, NULL, &rd);
    if (st != WS_OK) {
        report(path, ws_strerror(st));
        c->failed = 1;
        return st == WS_ERR_NOMEM ? -1 : 0;
    }
    return add_records(c, path, rd);
}

/* stdin: whosaid JSON Lines line by line, else one text document. */
static int add_stdin(index_ctx *c) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return 0;
    }
    if (!looks_like_output((const unsigned char *)line, (size_t)n)) {
        /* a document (text, HTML...): the first line plus the rest */
        size_t len = (size_t)n, bcap = len + 65536;
        char *buf = malloc(bcap);
        if (!buf) {
            free(line);
            return -1;
        }
        memcpy(buf, line, len);
        free(line);
        size_t got;
        while ((got = fread(buf + len, 1, bcap - len, stdin)) > 0) {
            len += got;
            if (len == bcap) {
                char *nb = realloc(buf, bcap * 2);
                if (!nb) {
                    free(buf);
                    return -1;
                }
                buf = nb;
                bcap *= 2;
            }
        }
        ws_reader *rd = NULL;
        ws_status st = ws_reader_open_mem(buf, len, "-", NULL, &rd);
        int rc = st == WS_OK ? add_records(c, "-", rd) : (report("-", ws_strerror(st)), -1);
        free(buf);
        return rc;
    }
    int rc = 0;
    unsigned long long lineno = 0;
    do {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        if (n == 0) continue;
        char src[64];
        snprintf(src, sizeof src, "-: line %llu", lineno);
        rc = add_json(c, src, line, (size_t)n);
    } while (!rc && (n = getline(&line, &cap, stdin)) >= 0);
    free(line);
    return rc;
}

static int add_path(index_ctx *c, const char *path) {
    if (!strcmp(path, "-")) return add_stdin(c);
    struct stat st;
    if (stat(path, &st) != 0) {
        report(path, strerror(errno));
        c->failed = 1;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) return add_reader_path(c, path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(path, strerror(errno));
        c->failed = 1;
        return 0;
    }
    unsigned char head[65536];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (!looks_like_output(head, n)) return add_reader_path(c, path);
    /* whosaid output: the library reads it in batches of its own */
    if (commit_if_full(c, 1)) return -1;
    ws_store_ingest_stats before = c->stats;
    ws_status rs = ws_store_ingest_file(c->store, path, c->batch, &c->stats);
    if (rs != WS_OK) {
        if (rs == WS_ERR_IO && !ws_store_is_busy(c->store) &&
            strstr(ws_store_errmsg(c->store), path) == ws_store_errmsg(c->store)) {
            /* the file, not the store; the message starts with its path */
            fprintf(stderr, "whosaid: %s\n", ws_store_errmsg(c->store));
            c->failed = 1;
            return 0;
        }
        return -1;
    }
    if (c->stats.records_failed > before.records_failed) {
        fprintf(stderr, "whosaid: %s: %llu lines are not whosaid output (last: %s)\n", path,
                (unsigned long long)(c->stats.records_failed - before.records_failed),
                ws_store_errmsg(c->store));
        c->failed = 1;
    }
    return 0;
}

int cmd_index(int argc, char **argv) {
    const char *db = "whosaid.db";
    index_ctx c;
    memset(&c, 0, sizeof c);
    c.batch = 0; /* JSON Lines: the library's default; extracted: 1000 */
    int quiet = 0;
    long long near_window = 0;
    pathlist inputs = {0};
    for (int i = 2; i < argc; i++) {
        int r = store_db_option(argc, argv, &i, &db);
        if (r < 0) return usage_error("option needs a value", argv[i]);
        if (r) continue;
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_index, stdout);
            free(inputs.v);
            return EXIT_OK;
        } else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (!strcmp(a, "--jobs") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 256) {
                free(inputs.v);
                return usage_error("--jobs must be 0..256", argv[i]);
            }
            c.jobs = (unsigned)v;
        }
        else if (!strcmp(a, "--batch") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 1000000) {
                free(inputs.v);
                return usage_error("--batch must be 1..1000000", argv[i]);
            }
            c.batch = (size_t)v;
        } else if (!strcmp(a, "--near-window") && i + 1 < argc) {
            char *end;
            long long v = strtoll(argv[++i], &end, 10);
            if (*end || v < 1 || v > 4294967295LL) {
                free(inputs.v);
                return usage_error("--near-window must be 1..4294967295", argv[i]);
            }
            near_window = v;
        } else if (a[0] == '-' && a[1]) {
            free(inputs.v);
            return usage_error("unknown option", a);
        } else {
            if (inputs.n == inputs.cap) {
                inputs.cap = inputs.cap ? inputs.cap * 2 : 16;
                char **v = realloc(inputs.v, inputs.cap * sizeof *v);
                if (!v) return EXIT_INTERNAL;
                inputs.v = v;
            }
            inputs.v[inputs.n++] = argv[i];
        }
    }
    if (!inputs.n) {
        free(inputs.v);
        return usage_error("index needs an INPUT (a file, a directory or -)", NULL);
    }
    if (store_open_cli(db, 1, &c.store)) {
        free(inputs.v);
        return EXIT_INTERNAL;
    }
    if (near_window) ws_store_set_near_window(c.store, (uint64_t)near_window);
    c.progress = !quiet && isatty(STDERR_FILENO);
    ws_store_set_progress(c.store, show_progress, &c);
    int rc = 0;
    for (size_t i = 0; i < inputs.n && !rc; i++) rc = add_path(&c, inputs.v[i]);
    if (!rc) rc = commit_if_full(&c, 1);
    /* the text index is written on the store's own thread: wait for it,
     * so that a failure there is reported (and searches find everything) */
    if (!rc && ws_store_wait_index(c.store) != WS_OK) rc = -1;
    if (c.progress) fputc('\n', stderr);
    int status = c.failed ? EXIT_INPUT : EXIT_OK;
    if (rc) {
        fprintf(stderr, "whosaid: %s: %s\n", db, ws_store_errmsg(c.store));
        status = EXIT_INTERNAL;
    } else if (!quiet)
        fprintf(stderr, "whosaid index: %s: %llu articles added, %llu duplicates skipped, %llu statements\n",
                db, (unsigned long long)c.stats.articles_added,
                (unsigned long long)c.stats.articles_duplicate,
                (unsigned long long)c.stats.statements_added);
    ws_store_close(c.store); /* rolls back an unfinished batch */
    ws_engine_free(c.engine);
    free(inputs.v);
    return status;
}
