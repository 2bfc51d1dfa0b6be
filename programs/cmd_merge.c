/* cmd_merge.c - whosaid merge: shards of whosaid output into one JSONL. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static const char *const usage_merge =
    "Usage: whosaid merge [options] SHARD...\n"
    "\n"
    "Merges shards of 'whosaid extract' output (JSON Lines, plain or .gz)\n"
    "into one JSON Lines stream, deterministically: lines are sorted by\n"
    "their \"url\" (else \"id\"), then by their bytes, and of the lines with\n"
    "the same url (or id) only the first is kept. The same set of lines\n"
    "gives the same output whatever the order or split of the shards.\n"
    "\n"
    "Options:\n"
    "  -o FILE        write FILE (gzip when it ends in .gz) instead of stdout;\n"
    "                 written to FILE.tmp.PID, then renamed\n"
    "  --db STORE     ingest into a SQLite store instead (created if missing;\n"
    "                 batches of 1000 lines, each one transaction)\n"
    "  --memory MB    memory for sorting before spilling runs to disk (256)\n"
    "  --tmpdir DIR   where sorted runs go ($TMPDIR, else /tmp)\n"
    "  -q, --quiet    no summary line on stderr\n"
    "  -h, --help     this help\n"
    "\n"
    "A shard that cannot be read, or a line that is not a JSON object, is\n"
    "reported ('whosaid: PATH: CAUSE') and skipped. Exit status: 0 ok,\n"
    "1 some input was bad, 2 usage, 3 output or internal error.\n";

typedef struct merge_out {
    FILE *f;
    gzFile g;
    ws_store *db;          /* --db: lines go to the store */
    size_t in_batch;       /* lines in the open batch */
    ws_store_ingest_stats ist;
    int failed;
} merge_out;

#define MERGE_DB_BATCH 1000

/* Ingests one line into the store, in batches of MERGE_DB_BATCH lines. */
static int ingest_line(merge_out *o, const char *line, size_t len) {
    if (!o->in_batch && ws_store_begin(o->db) != WS_OK) {
        o->failed = 1;
        return 1;
    }
    ws_status st = ws_store_ingest_json(o->db, line, len, &o->ist);
    if (st != WS_OK && st != WS_ERR_FORMAT) {
        o->failed = 1;
        return 1;
    }
    if (++o->in_batch == MERGE_DB_BATCH) {
        o->in_batch = 0;
        if (ws_store_commit(o->db) != WS_OK) o->failed = 1;
    }
    return o->failed;
}

static int write_line(void *ud, const char *line, size_t len) {
    merge_out *o = ud;
    if (o->db) return ingest_line(o, line, len);
    if (o->g) {
        if ((len && gzwrite(o->g, line, (unsigned)len) != (int)len) || gzputc(o->g, '\n') < 0)
            o->failed = 1;
    } else if (fwrite(line, 1, len, o->f) != len || fputc('\n', o->f) == EOF) {
        o->failed = 1;
    }
    return o->failed;
}

static void print_error(void *ud, const char *msg) {
    (void)ud;
    fprintf(stderr, "whosaid: %s\n", msg);
}

static int ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Opens the output: stdout, or a temporary file beside FILE. */
static int open_out(const char *path, char **tmp, merge_out *o) {
    if (!path) {
        o->f = stdout;
        return 0;
    }
    size_t n = strlen(path) + 32;
    *tmp = malloc(n);
    if (!*tmp) return -1;
    snprintf(*tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if (ends_with(path, ".gz")) o->g = gzopen(*tmp, "wb6");
    else o->f = fopen(*tmp, "wb");
    if (!o->f && !o->g) {
        report(*tmp, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

/* Closes the output; renames the temporary file on success. */
static int close_out(const char *path, const char *tmp, merge_out *o, int ok) {
    int bad = o->failed;
    if (o->g) bad |= gzclose(o->g) != Z_OK;
    else if (o->f == stdout) bad |= fflush(stdout) != 0 || ferror(stdout);
    else if (o->f) bad |= fclose(o->f) != 0;
    if (!path) {
        if (bad) report("stdout", strerror(errno ? errno : EIO));
        return bad ? -1 : 0;
    }
    if (bad || !ok || rename(tmp, path) != 0) {
        if (bad || ok) report(path, strerror(errno ? errno : EIO));
        remove(tmp);
        return -1;
    }
    return 0;
}

int cmd_merge(int argc, char **argv) {
    const char *out_path = NULL, *db = NULL;
    ws_pipeline_merge_options mo;
    memset(&mo, 0, sizeof mo);
    int quiet = 0, i = 2;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !strcmp(a, "-")) break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_merge, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--db") || !strcmp(a, "--memory") ||
                   !strcmp(a, "--tmpdir")) {
            if (++i >= argc) return usage_error("option requires an argument", a);
            if (!strcmp(a, "-o")) out_path = argv[i];
            else if (!strcmp(a, "--db")) db = argv[i];
            else if (!strcmp(a, "--tmpdir")) mo.tmpdir = argv[i];
            else {
                char *end;
                unsigned long mb = strtoul(argv[i], &end, 10);
                if (*end || !mb || mb > (1ul << 20)) return usage_error("bad --memory", argv[i]);
                mo.max_memory = (size_t)mb << 20;
            }
        } else {
            return usage_error("unknown option", a);
        }
    }
    if (i >= argc) return usage_error("no shard given", NULL);
    if (out_path && db) return usage_error("-o and --db exclude each other", NULL);
    merge_out o;
    memset(&o, 0, sizeof o);
    char *tmp = NULL;
    if (db) {
        char *msg = NULL;
        if (ws_store_open(db, WS_STORE_CREATE, 0, &o.db, &msg) != WS_OK) {
            fprintf(stderr, "whosaid: %s\n", msg ? msg : db);
            ws_store_json_free(msg);
            return EXIT_INTERNAL;
        }
    } else if (open_out(out_path, &tmp, &o)) {
        free(tmp);
        return EXIT_INTERNAL;
    }
    mo.write = write_line;
    mo.write_ud = &o;
    mo.error = print_error;
    ws_pipeline_merge_stats st;
    ws_status rc = ws_pipeline_merge((const char *const *)argv + i, (size_t)(argc - i), &mo,
                                     &st, NULL, 0);
    int fatal = st.incomplete || o.failed;
    int closed = 0;
    if (o.db) {
        if (o.failed) fprintf(stderr, "whosaid: %s: %s\n", db, ws_store_errmsg(o.db));
        else if (o.in_batch && ws_store_commit(o.db) != WS_OK) {
            fprintf(stderr, "whosaid: %s: %s\n", db, ws_store_errmsg(o.db));
            closed = -1;
        }
        ws_store_close(o.db);
    } else {
        closed = close_out(out_path, tmp, &o, !fatal);
    }
    free(tmp);
    if (!quiet)
        fprintf(stderr,
                "whosaid: merged %llu shards: %llu lines, %llu kept, %llu duplicates, %llu bad\n",
                (unsigned long long)st.shards, (unsigned long long)st.lines,
                (unsigned long long)st.written, (unsigned long long)st.duplicates,
                (unsigned long long)st.bad);
    if (!quiet && db)
        fprintf(stderr, "whosaid: %s: %llu articles added, %llu already there, %llu statements, "
                        "%llu not whosaid output\n",
                db, (unsigned long long)o.ist.articles_added,
                (unsigned long long)o.ist.articles_duplicate,
                (unsigned long long)o.ist.statements_added,
                (unsigned long long)o.ist.records_failed);
    if (o.ist.records_failed && rc == WS_OK) rc = WS_ERR_FORMAT;
    if (fatal || closed) return EXIT_INTERNAL;
    return rc == WS_OK ? EXIT_OK : EXIT_INPUT;
}
