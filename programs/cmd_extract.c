/* cmd_extract.c - whosaid extract: JSON Lines, one object per document. */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "  --fields MAP     JSONL field mapping, e.g. 'body=maintext,text;title=headline'\n"
    "                   (keys: body title url date author id site lang)\n"
    "  --pretty         indent the JSON (2 spaces; no longer one line per doc)\n"
    "  --no-text        omit the \"text\" of spans (offsets only)\n"
    "  --tokens         add paragraphs, sentences and tokens\n"
    "  --stats          always print the summary line on stderr\n"
    "  -h, --help       this help\n"
    "\n"
    "A failing input or record prints 'whosaid: PATH: CAUSE' on stderr; the\n"
    "batch goes on. When records were skipped or failed, a summary ends\n"
    "stderr: 'whosaid: N documents, S statements, K skipped (REASON N, ...),\n"
    "E errors'. Exit status: 0 ok, 1 some inputs failed, 2 usage, 3 internal.\n";

/* ---- extract --------------------------------------------------------- */

typedef struct run {
    ws_engine *engine;
    unsigned flags;
    FILE *out;
    const char *out_name;
    int status; /* the exit status so far */
    ws_reader_options ropt;
    int stats;
    uint64_t docs, statements, errors;
    uint64_t skipped[WS_SKIP_COUNT];
} run;

static void set_status(run *r, int st) {
    if (st > r->status) r->status = st;
}

/* Statements in one output object: quote ids are the only "q..." ids (a
 * quotation mark inside a string value is escaped, so this is exact). */
static uint64_t count_quotes(const char *json, size_t n) {
    uint64_t k = 0;
    for (const char *p = json; (p = memchr(p, '"', (size_t)(json + n - p))) != NULL; p++) {
        if (!strncmp(p, "\"id\":\"q", 7) || !strncmp(p, "\"id\": \"q", 8)) k++;
    }
    return k;
}

static void extract_path(run *r, const char *path) {
    ws_reader *rd = NULL;
    ws_status st = ws_reader_open(path, &r->ropt, &rd);
    if (st != WS_OK) {
        report(path, st == WS_ERR_INVALID ? "bad --fields mapping" : ws_strerror(st));
        set_status(r, st == WS_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USAGE);
        return;
    }
    ws_record rec;
    for (;;) {
        st = ws_reader_next(rd, &rec);
        if (st == WS_DONE) break;
        if (st != WS_OK) {
            fprintf(stderr, "whosaid: %s\n", ws_reader_errmsg(rd));
            set_status(r, st == WS_ERR_NOMEM ? EXIT_INTERNAL : EXIT_INPUT);
            if (st == WS_ERR_NOMEM) break;
            continue;
        }
        char *json = NULL;
        size_t n = 0;
        st = ws_record_to_json(r->engine, &rec, r->flags, &json, &n);
        if (st != WS_OK) {
            if (rec.format == WS_FORMAT_TEXT) report(rec.source, ws_strerror(st));
            else fprintf(stderr, "whosaid: %s: record %s: %s\n", rec.source,
                         rec.id ? rec.id : "-", ws_strerror(st));
            r->errors++;
            set_status(r, st == WS_ERR_TOO_LARGE || st == WS_ERR_FORMAT ? EXIT_INPUT
                                                                         : EXIT_INTERNAL);
            continue;
        }
        r->docs++;
        r->statements += count_quotes(json, n);
        fwrite(json, 1, n, r->out);
        fputc('\n', r->out);
        ws_free(r->engine, json);
    }
    ws_reader_stats rs;
    ws_reader_stats_get(rd, &rs);
    for (int i = 0; i < WS_SKIP_COUNT; i++) r->skipped[i] += rs.skipped[i];
    r->errors += rs.errors;
    ws_reader_free(rd);
}

static void summary(const run *r) {
    uint64_t k = 0;
    for (int i = 0; i < WS_SKIP_COUNT; i++) k += r->skipped[i];
    if (!r->stats && !k && !r->errors) return;
    fprintf(stderr, "whosaid: %llu documents, %llu statements, %llu skipped",
            (unsigned long long)r->docs, (unsigned long long)r->statements,
            (unsigned long long)k);
    if (k) {
        const char *sep = " (";
        for (int i = 0; i < WS_SKIP_COUNT; i++) {
            if (!r->skipped[i]) continue;
            fprintf(stderr, "%s%s %llu", sep, ws_skip_name((ws_skip_reason)i),
                    (unsigned long long)r->skipped[i]);
            sep = ", ";
        }
        fputc(')', stderr);
    }
    fprintf(stderr, ", %llu errors\n", (unsigned long long)r->errors);
}

static int finish_output(run *r) {
    int bad = fflush(r->out) != 0 || ferror(r->out);
    if (r->out != stdout && fclose(r->out) != 0) bad = 1;
    if (bad) {
        report(r->out_name, strerror(errno ? errno : EIO));
        set_status(r, EXIT_INTERNAL);
    }
    return r->status;
}

/* Parses extract's options; returns -1 to continue, else an exit status. */
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
        else if (!strcmp(a, "--stats")) r->stats = 1;
        else if (!strcmp(a, "-o")) {
            if (++i >= argc) return usage_error("option requires an argument", "-o");
            r->out_name = argv[i];
        } else if (!strcmp(a, "--format")) {
            if (++i >= argc) return usage_error("option requires an argument", "--format");
            if (ws_format_parse(argv[i], &r->ropt.format) != WS_OK)
                return usage_error("unknown format (auto, text, html, warc, jsonl)", argv[i]);
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
    if (open_engine(&r.engine)) {
        if (r.out != stdout) fclose(r.out);
        return EXIT_INTERNAL;
    }
    if (first >= argc) extract_path(&r, "-");
    for (int i = first; i < argc; i++) extract_path(&r, argv[i]);
    ws_engine_free(r.engine);
    summary(&r);
    return finish_output(&r);
}
