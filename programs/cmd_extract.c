/* cmd_extract.c - whosaid extract: JSON Lines, one object per document. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_extract =
    "Usage: whosaid extract [options] [FILE|DIR|-]...\n"
    "\n"
    "Writes one JSON object per input document, one per line (JSON Lines),\n"
    "in the order given. A DIR is walked recursively: its regular files\n"
    "ending in .txt, in byte-sorted path order. '-' or no argument reads\n"
    "stdin (id \"-\"). A document's id is the file's base name without its\n"
    "last extension. Offsets are UTF-8 byte offsets into the input.\n"
    "\n"
    "Options:\n"
    "  -o FILE      write to FILE instead of stdout\n"
    "  --pretty     indent the JSON (2 spaces; no longer one line per doc)\n"
    "  --no-text    omit the \"text\" of spans (offsets only)\n"
    "  --tokens     add paragraphs, sentences and tokens\n"
    "  -h, --help   this help\n"
    "\n"
    "A failing input prints 'whosaid: PATH: CAUSE' on stderr; the batch goes\n"
    "on. Exit status: 0 ok, 1 some inputs failed, 2 usage, 3 internal.\n";


/* ---- extract --------------------------------------------------------- */

typedef struct run {
    ws_engine *engine;
    unsigned flags;
    FILE *out;
    const char *out_name;
    int status; /* the exit status so far */
} run;

static void set_status(run *r, int st) {
    if (st > r->status) r->status = st;
}

/* Analyses one read input and writes its JSON line. */
static void emit_doc(run *r, const char *path, const input *in) {
    char *id = strcmp(path, "-") == 0 ? NULL : doc_id(path);
    char *json = NULL;
    size_t n = 0;
    ws_status st = ws_extract_json(r->engine, in->buf, in->len, id ? id : "-",
                                   r->flags, &json, &n);
    free(id);
    if (st != WS_OK) {
        report(path, ws_strerror(st));
        set_status(r, st == WS_ERR_TOO_LARGE ? EXIT_INPUT : EXIT_INTERNAL);
        return;
    }
    fwrite(json, 1, n, r->out);
    fputc('\n', r->out);
    ws_free(r->engine, json);
}

static void extract_file(run *r, const char *path) {
    input in = {NULL, 0};
    if (read_input(path, &in)) {
        set_status(r, EXIT_INPUT);
        return;
    }
    emit_doc(r, path, &in);
    free(in.buf);
}

static void extract_arg(run *r, const char *path) {
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        pathlist pl = {NULL, 0, 0};
        int rc = walk_dir(path, &pl);
        if (rc < 0) {
            report(path, strerror(ENOMEM));
            set_status(r, EXIT_INTERNAL);
        } else if (rc) {
            set_status(r, EXIT_INPUT);
        }
        qsort(pl.v, pl.n, sizeof *pl.v, cmp_str);
        for (size_t i = 0; i < pl.n; i++) extract_file(r, pl.v[i]);
        pl_free(&pl);
        return;
    }
    extract_file(r, path);
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
        else if (!strcmp(a, "-o")) {
            if (++i >= argc) return usage_error("option requires an argument", "-o");
            r->out_name = argv[i];
        } else return usage_error("unknown option", a);
    }
    *first = i;
    return -1;
}

int cmd_extract(int argc, char **argv) {
    run r = {NULL, WS_JSON_TEXT, stdout, "stdout", EXIT_OK};
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
    if (first >= argc) extract_file(&r, "-");
    for (int i = first; i < argc; i++) extract_arg(&r, argv[i]);
    ws_engine_free(r.engine);
    return finish_output(&r);
}

