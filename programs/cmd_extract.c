/* cmd_extract.c - whosaid extract: JSON Lines, one object per document. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static const char *const usage_extract =
    "Usage: whosaid extract [options] [FILE|DIR|-]...\n"
    "\n"
    "Writes one JSON object per document, one per line (JSON Lines), in the\n"
    "order given. An input is a text file, an HTML page, a WARC file (gzip or\n"
    "plain; every HTML response is a document) or a JSONL file (one article\n"
    "per line); .gz files are read through gzip. The format is detected from\n"
    "the content and the name (see docs/input.md). A DIR is walked\n"
    "recursively in byte-sorted path order, taking .txt .html .htm .warc\n"
    ".jsonl .json files (also with .gz). '-' or no argument reads stdin.\n"
    "Ids: a text file's base name without its last extension, a page's name\n"
    "without .gz and .html, a WARC record's uuid, a JSONL line's \"id\" field\n"
    "or FILE:LINE. Offsets are UTF-8 byte offsets into the text (for a text\n"
    "file its exact bytes; for a page or a JSONL article the \"body\").\n"
    "\n"
    "Options:\n"
    "  -o FILE          write to FILE instead of stdout\n"
    "  --format F       auto (default), text, html, warc or jsonl: force it\n"
    "  --body           add \"body\", the article text offsets point into\n"
    "  --no-analysis    articles only: metadata (and --body), no statements\n"
    "  --fields MAP     JSONL field mapping, e.g. 'body=maintext,text;title=headline'\n"
    "                   (keys: body title url date author id site lang)\n"
    "  --pretty         indent the JSON (2 spaces; no longer one line per doc)\n"
    "  --no-text        omit the \"text\" of spans (offsets only)\n"
    "  --tokens         add paragraphs, sentences and tokens\n"
    "  -j, --jobs N     worker threads (default: the number of online cores);\n"
    "                   the output is the same for any N\n"
    "  --max-doc-bytes N     analyse documents up to N bytes (default 1G); a\n"
    "                   larger one fails with 'input too large'\n"
    "  --max-record-bytes N  skip records (pages, WARC responses, JSONL lines)\n"
    "                   over N bytes, counted as too-large (default 64M; a\n"
    "                   text file: 1G)\n"
    "  --max-statements N    keep the first N statements of a document\n"
    "                   (default 1000000); the JSON then says \"truncated\": true\n"
    "  --max-depth N    HTML element nesting given to the parser (default 512);\n"
    "                   deeper tags are dropped, the JSON says \"truncated\": true\n"
    "                   (sizes take a K, M or G suffix)\n"
    "  --stats          always print the summary line on stderr\n"
    "  -q, --quiet      no progress and no summary line (unless --stats)\n"
    "  -h, --help       this help\n"
    "\n"
    "A failing input or record prints 'whosaid: PATH: CAUSE' on stderr; the\n"
    "batch goes on. When records were skipped or failed, or stderr is a\n"
    "terminal, a summary ends stderr: 'whosaid: N documents, S statements,\n"
    "K skipped (REASON N, ...), E errors'. On a terminal, progress shows\n"
    "documents, MB/s and the ETA. A closed output pipe stops whosaid quietly\n"
    "(exit 3). Exit status: 0 ok, 1 some inputs failed, 2 usage, 3 internal.\n";

/* ---- extract --------------------------------------------------------- */

typedef struct run {
    ws_engine *engine;
    unsigned flags;
    FILE *out;
    const char *out_name;
    int status; /* the exit status so far (main thread) */
    ws_reader_options ropt;
    ws_engine_options eopt; /* --max-doc-bytes, --max-statements */
    int stats;
    unsigned jobs;  /* --jobs; 0: online cores */
    int quiet;
    ws_pipeline *pipe;
    /* written by the pipeline's writer only (one thread at a time) */
    int wstatus;    /* the exit status from records */
    int flush_each; /* output is a pipe or terminal: flush every document */
    int epipe;      /* the reader of the output went away */
    int werr;       /* errno of a failed write, else 0 */
    /* progress (main thread) */
    int progress;
    struct timespec t0;
    double last;
    int shown;
    uint64_t total; /* bytes of all inputs, for the ETA; 0: unknown */
} run;

static void set_status(run *r, int st) {
    if (st > r->status) r->status = st;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes one output line. Flushed after every document (a pipe, a
 * terminal): the line and its newline in one writev, without copying
 * them into stdio's buffer (nothing else writes to the stream then). */
static int put_line(run *r, const char *data, size_t len) {
    if (!r->flush_each)
        return fwrite(data, 1, len, r->out) != len || putc('\n', r->out) == EOF ? -1 : 0;
    if (fflush(r->out) != 0) return -1; /* nothing is pending; to be sure */
    int fd = fileno(r->out);
    struct iovec v[2];
    v[0].iov_base = (void *)data;
    v[0].iov_len = len;
    v[1].iov_base = (void *)"\n";
    v[1].iov_len = 1;
    int k = 0;
    while (k < 2) {
        ssize_t w = writev(fd, v + k, 2 - k);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (w == 0) { /* no progress: give up rather than spin */
            errno = EIO;
            return -1;
        }
        size_t got = (size_t)w;
        while (k < 2 && got >= v[k].iov_len) got -= v[k++].iov_len;
        if (k < 2) { /* a partial write: the rest */
            v[k].iov_base = (char *)v[k].iov_base + got;
            v[k].iov_len -= got;
        }
    }
    return 0;
}

/* The pipeline's writer: one JSON line per document, errors in order. */
static int write_result(void *ud, const ws_pipeline_result *res) {
    run *r = ud;
    if (res->status != WS_OK) {
        if (!res->id) /* a read error: the reader's message names input and cause */
            fprintf(stderr, "whosaid: %s\n", res->errmsg);
        else if (res->format == WS_FORMAT_TEXT)
            report(res->source ? res->source : "-", res->errmsg);
        else
            fprintf(stderr, "whosaid: %s: record %s: %s\n", res->source ? res->source : "-",
                    res->id, res->errmsg);
        int st = res->status == WS_ERR_NOMEM || res->status == WS_ERR_MODEL ? EXIT_INTERNAL
                                                                             : EXIT_INPUT;
        if (st > r->wstatus) r->wstatus = st;
        return 0;
    }
    if (put_line(r, res->data, res->len) != 0) {
        if (errno == EPIPE) r->epipe = 1;
        else r->werr = errno ? errno : EIO;
        return 1; /* stop */
    }
    return 0;
}

/* Progress on a terminal: documents, MB/s, ETA when the size is known. */
static void show_progress(void *ud, const ws_pipeline_stats *st) {
    run *r = ud;
    double t = now_s();
    if (t - r->last < 0.25) return;
    r->last = t;
    double el = t - ((double)r->t0.tv_sec + (double)r->t0.tv_nsec / 1e9);
    double mb = (double)st->bytes_read / 1e6;
    double rate = el > 0 ? mb / el : 0;
    fprintf(stderr, "\rwhosaid: %llu documents, %.1f MB, %.2f MB/s",
            (unsigned long long)st->documents, mb, rate);
    if (r->total && rate > 0) {
        double left = r->total > st->bytes_read ? ((double)(r->total - st->bytes_read) / 1e6) / rate : 0;
        fprintf(stderr, ", ETA %d:%02d", (int)(left / 60), (int)left % 60);
    }
    fputs("\033[K", stderr);
    r->shown = 1;
}

/* Whether a file name has an extension the directory reader takes. */
static int taken_name(const char *name) {
    static const char *const ext[] = {".txt", ".html", ".htm", ".warc", ".jsonl", ".json"};
    size_t n = strlen(name);
    if (n > 3 && !strcmp(name + n - 3, ".gz")) n -= 3;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t m = strlen(ext[i]);
        if (n > m && !strncmp(name + n - m, ext[i], m)) return 1;
    }
    return 0;
}

/* Bytes of the input files under path (for the ETA only: an estimate);
 * 0 when unknown (stdin, a pipe). depth bounds the recursion. */
static uint64_t input_bytes(const char *path, int depth) {
    struct stat st;
    if (!strcmp(path, "-") || stat(path, &st) != 0) return 0;
    if (S_ISREG(st.st_mode)) return (uint64_t)st.st_size;
    if (!S_ISDIR(st.st_mode) || depth > 64) return 0;
    DIR *d = opendir(path);
    if (!d) return 0;
    uint64_t sum = 0;
    struct dirent *e;
    size_t pn = strlen(path);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t n = pn + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) break;
        snprintf(sub, n, "%s/%s", path, e->d_name);
        if (stat(sub, &st) == 0 && (S_ISDIR(st.st_mode) || taken_name(e->d_name)))
            sum += input_bytes(sub, depth + 1);
        free(sub);
    }
    closedir(d);
    return sum;
}

/* Returns 1 when the output stopped (closed pipe, write error). */
static int extract_path(run *r, const char *path) {
    ws_reader *rd = NULL;
    ws_status st = ws_reader_open(path, &r->ropt, &rd);
    if (st != WS_OK) {
        report(path, st == WS_ERR_INVALID ? "bad --fields mapping" : ws_strerror(st));
        set_status(r, st == WS_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USAGE);
        return 0;
    }
    st = ws_pipeline_read(r->pipe, rd);
    ws_reader_free(rd);
    if (st == WS_ERR_NOMEM) {
        report(path, ws_strerror(st));
        set_status(r, EXIT_INTERNAL);
    }
    return st == WS_ERR_IO;
}

static void summary(const run *r, const ws_pipeline_stats *ps) {
    uint64_t k = 0;
    for (int i = 0; i < WS_SKIP_COUNT; i++) k += ps->skipped[i];
    if (r->progress && r->shown) fputs("\r\033[K", stderr);
    if (!r->stats && (r->quiet || (!k && !ps->errors && !r->progress))) return;
    fprintf(stderr, "whosaid: %llu documents, %llu statements, %llu skipped",
            (unsigned long long)ps->documents, (unsigned long long)ps->statements,
            (unsigned long long)k);
    if (k) {
        const char *sep = " (";
        for (int i = 0; i < WS_SKIP_COUNT; i++) {
            if (!ps->skipped[i]) continue;
            fprintf(stderr, "%s%s %llu", sep, ws_skip_name((ws_skip_reason)i),
                    (unsigned long long)ps->skipped[i]);
            sep = ", ";
        }
        fputc(')', stderr);
    }
    fprintf(stderr, ", %llu errors\n", (unsigned long long)ps->errors);
}

static int finish_output(run *r) {
    if (r->epipe) { /* the reader went away: stop quietly */
        if (r->out != stdout) fclose(r->out);
        return EXIT_INTERNAL;
    }
    errno = r->werr;
    int bad = r->werr || fflush(r->out) != 0 || ferror(r->out);
    if (bad && errno == EPIPE) return EXIT_INTERNAL;
    if (r->out != stdout && fclose(r->out) != 0) bad = 1;
    if (bad) {
        report(r->out_name, strerror(errno ? errno : EIO));
        set_status(r, EXIT_INTERNAL);
    }
    return r->status;
}

/* Parses extract's options; returns -1 to continue, else an exit status. */
/* A size: digits with an optional K, M or G suffix (binary), > 0. */
static int parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *s == '-' || errno) return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (*end || !v || v > ((unsigned long long)SIZE_MAX >> shift)) return -1;
    *out = (size_t)(v << shift);
    return 0;
}

static int extract_opts(int argc, char **argv, run *r, int *first) {
    int i = 2;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !strcmp(a, "-")) break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_extract, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--pretty")) r->flags |= WS_JSON_PRETTY;
        else if (!strcmp(a, "--no-text")) r->flags &= ~WS_JSON_TEXT;
        else if (!strcmp(a, "--tokens")) r->flags |= WS_JSON_TOKENS;
        else if (!strcmp(a, "--body")) r->flags |= WS_JSON_BODY;
        else if (!strcmp(a, "--no-analysis")) r->flags |= WS_JSON_NO_ANALYSIS;
        else if (!strcmp(a, "--stats")) r->stats = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) r->quiet = 1;
        else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            if (++i >= argc) return usage_error("option requires an argument", a);
            char *end;
            unsigned long n = strtoul(argv[i], &end, 10);
            if (!*argv[i] || *end || n > 256) return usage_error("bad --jobs (0 to 256)", argv[i]);
            r->jobs = (unsigned)n;
        }
        else if (!strcmp(a, "-o")) {
            if (++i >= argc) return usage_error("option requires an argument", "-o");
            r->out_name = argv[i];
        } else if (!strcmp(a, "--format")) {
            if (++i >= argc) return usage_error("option requires an argument", "--format");
            if (ws_format_parse(argv[i], &r->ropt.format) != WS_OK)
                return usage_error("unknown format (auto, text, html, warc, jsonl)", argv[i]);
        } else if (!strcmp(a, "--max-doc-bytes") || !strcmp(a, "--max-record-bytes") ||
                   !strcmp(a, "--max-statements") || !strcmp(a, "--max-depth")) {
            if (++i >= argc) return usage_error("option requires an argument", a);
            size_t v;
            if (parse_size(argv[i], &v)) return usage_error("bad size (a positive number, "
                                                            "K, M or G suffix)", argv[i]);
            if (!strcmp(a, "--max-doc-bytes")) r->eopt.max_doc_bytes = v;
            else if (!strcmp(a, "--max-record-bytes")) r->ropt.max_record_bytes = v;
            else if (!strcmp(a, "--max-depth")) r->eopt.max_html_depth = v;
            else r->eopt.max_statements = v;
        } else if (!strcmp(a, "--fields")) {
            if (++i >= argc) return usage_error("option requires an argument", "--fields");
            r->ropt.jsonl_fields = argv[i];
            ws_reader *probe = NULL;
            if (ws_reader_open_mem("", 0, NULL, &r->ropt, &probe) == WS_ERR_INVALID)
                return usage_error("bad field mapping (KEY=NAME[,NAME...];... with KEY "
                                   "body title url date author id site lang)", argv[i]);
            ws_reader_free(probe);
        } else return usage_error("unknown option", a);
    }
    *first = i;
    return -1;
}

int cmd_extract(int argc, char **argv) {
    run r;
    memset(&r, 0, sizeof r);
    r.flags = WS_JSON_TEXT;
    r.out = stdout;
    r.out_name = "stdout";
    int first = argc;
    int rc = extract_opts(argc, argv, &r, &first);
    if (rc >= 0) return rc;
    if (strcmp(r.out_name, "stdout") != 0 && !(r.out = fopen(r.out_name, "wb"))) {
        report(r.out_name, strerror(errno));
        return EXIT_INTERNAL;
    }
    ws_status est = ws_engine_new(&r.eopt, &r.engine);
    if (est != WS_OK) {
        fprintf(stderr, "whosaid: cannot create the engine: %s\n", ws_strerror(est));
        if (r.out != stdout) fclose(r.out);
        return EXIT_INTERNAL;
    }
    /* A closed output pipe becomes EPIPE on write, not a signal. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    struct stat os;
    r.flush_each = fstat(fileno(r.out), &os) != 0 || !S_ISREG(os.st_mode);
    r.progress = !r.quiet && isatty(STDERR_FILENO);
    for (int i = first; r.progress && i < argc; i++) {
        uint64_t b = input_bytes(argv[i], 0);
        if (!b) { /* one unknown size: no ETA */
            r.total = 0;
            break;
        }
        r.total += b;
    }
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
    ws_pipeline_options po;
    memset(&po, 0, sizeof po);
    po.jobs = r.jobs;
    po.json_flags = r.flags;
    po.write = write_result;
    po.write_ud = &r;
    po.progress = r.progress ? show_progress : NULL;
    po.progress_ud = &r;
    ws_status ps = ws_pipeline_new(r.engine, &po, &r.pipe);
    if (ps != WS_OK) {
        report("pipeline", ws_strerror(ps));
        ws_engine_free(r.engine);
        if (r.out != stdout) fclose(r.out);
        return EXIT_INTERNAL;
    }
    int stopped = first >= argc ? extract_path(&r, "-") : 0;
    for (int i = first; i < argc && !stopped; i++) stopped = extract_path(&r, argv[i]);
    ws_pipeline_stats st;
    ws_pipeline_finish(r.pipe, &st);
    ws_pipeline_free(r.pipe);
    ws_engine_free(r.engine);
    set_status(&r, r.wstatus);
    if (!r.epipe && !r.werr) summary(&r, &st);
    return finish_output(&r);
}
