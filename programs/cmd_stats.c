/* cmd_stats.c - whosaid stats, and what the store commands share (opening
 * the database with clear errors, cutting text for tables, CSV fields). */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_stats =
    "Usage: whosaid stats [--db FILE] [--format table|json]\n"
    "\n"
    "Counts of the store: articles, statements, speakers, aliases, entities,\n"
    "mentions, quote clusters, sites, dates and size.\n"
    "\n"
    "Options:\n"
    "  --db FILE        the store (default ./whosaid.db)\n"
    "  --format F       table (default) or json\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok, 1 the store could not be read, 2 usage.\n";

int store_open_cli(const char *db, int write, ws_store **out) {
    char *msg = NULL;
    /* WHOSAID_BUSY_MS: how long to wait for a lock (default 5000 ms) */
    const char *env = getenv("WHOSAID_BUSY_MS");
    int busy = env ? atoi(env) : 0;
    ws_status st = ws_store_open(db, write ? WS_STORE_CREATE : WS_STORE_READONLY, busy, out, &msg);
    if (st != WS_OK) {
        fprintf(stderr, "whosaid: %s\n", msg ? msg : ws_strerror(st));
        ws_store_json_free(msg);
        return -1;
    }
    return 0;
}

int store_fail(ws_store *s, const char *what) {
    fprintf(stderr, "whosaid: %s: %s\n", what, ws_store_errmsg(s));
    return EXIT_INPUT;
}

/* Prints s on one line, whitespace collapsed, cut to maxcols characters
 * (UTF-8 aware; a cut ends with "..."), padded to pad columns. */
void store_print_cut(FILE *f, const char *s, size_t maxcols, size_t pad) {
    size_t cols = 0, i = 0, n = s ? strlen(s) : 0, total = 0;
    for (size_t k = 0; k < n; k++) total += ((unsigned char)s[k] & 0xC0) != 0x80;
    if (total > maxcols && maxcols > 3) maxcols -= 3; /* room for "..." */
    int space = 1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == ' ' || c == 0x7f) {
            if (!space && cols < maxcols) fputc(' ', f), cols++;
            space = 1;
            i++;
            continue;
        }
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len > n) len = n - i;
        if (cols + 1 > maxcols) {
            fputs("...", f);
            cols += 3;
            break;
        }
        fwrite(s + i, 1, len, f);
        i += len;
        cols++;
        space = 0;
    }
    while (cols < pad) fputc(' ', f), cols++;
}

/* An RFC 4180 CSV field. */
void store_csv_field(FILE *f, const char *s, int last) {
    if (s && (strpbrk(s, ",\"\r\n"))) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else if (s)
        fputs(s, f);
    fputc(last ? '\n' : ',', f);
}

/* Parses a store option shared by all store commands: --db FILE. Returns
 * 1 if argv[*i] was it (consumed), 0 if not, -1 on a missing value. */
int store_db_option(int argc, char **argv, int *i, const char **db) {
    const char *a = argv[*i];
    if (!strcmp(a, "--db")) {
        if (*i + 1 >= argc) return -1;
        *db = argv[++*i];
        return 1;
    }
    if (!strncmp(a, "--db=", 5)) {
        *db = a + 5;
        return 1;
    }
    return 0;
}

int cmd_stats(int argc, char **argv) {
    const char *db = "whosaid.db", *format = "table";
    for (int i = 2; i < argc; i++) {
        int r = store_db_option(argc, argv, &i, &db);
        if (r < 0) return usage_error("option needs a value", argv[i]);
        if (r) continue;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_stats, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else
            return usage_error("unknown option", argv[i]);
    }
    if (strcmp(format, "table") && strcmp(format, "json"))
        return usage_error("--format must be table or json", format);
    ws_store *s;
    if (store_open_cli(db, 0, &s)) return EXIT_INPUT;
    char *json = NULL;
    if (ws_store_stats(s, &json) != WS_OK) {
        int rc = store_fail(s, db);
        ws_store_close(s);
        return rc;
    }
    if (!strcmp(format, "json"))
        printf("%s\n", json);
    else {
        json_t *o = json_loads(json, 0, NULL);
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v) {
            if (json_is_integer(v))
                printf("%-16s %lld\n", key, (long long)json_integer_value(v));
            else if (json_is_object(v)) {
                const char *a = json_string_value(json_object_get(v, "first"));
                const char *b = json_string_value(json_object_get(v, "last"));
                printf("%-16s %s .. %s\n", key, a ? a : "-", b ? b : "-");
            }
        }
        json_decref(o);
    }
    ws_store_json_free(json);
    ws_store_close(s);
    return EXIT_OK;
}
