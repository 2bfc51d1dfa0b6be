/* cmd_speakers.c - whosaid speakers: who is quoted most (optionally on one
 * site or one topic). */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_speakers =
    "Usage: whosaid speakers [--db FILE] [--top N] [--site SITE] [--topic QUERY]\n"
    "                        [--format table|json|csv]\n"
    "\n"
    "Speakers ranked by their number of statements. --site counts only\n"
    "statements of that site, --topic only statements matching an FTS5 query\n"
    "(e.g. --topic 'covid OR coronavirus').\n"
    "\n"
    "Options:\n"
    "  --db FILE        the store (default ./whosaid.db)\n"
    "  --top N          how many (default 20, at most 1000)\n"
    "  --site SITE      one site (case-insensitive)\n"
    "  --topic QUERY    statements matching an FTS5 query\n"
    "  --format F       table (default), json or csv\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok, 1 bad query or unreadable store, 2 usage.\n";

int cmd_speakers(int argc, char **argv) {
    const char *db = "whosaid.db", *format = "table", *site = NULL, *topic = NULL;
    size_t top = 20;
    for (int i = 2; i < argc; i++) {
        int r = store_db_option(argc, argv, &i, &db);
        if (r < 0) return usage_error("option needs a value", argv[i]);
        if (r) continue;
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_speakers, stdout);
            return EXIT_OK;
        }
        if (i + 1 >= argc) return usage_error("unknown option or missing value", a);
        if (!strcmp(a, "--top")) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v <= 0 || v > 1000) return usage_error("--top must be 1..1000", argv[i]);
            top = (size_t)v;
        } else if (!strcmp(a, "--site"))
            site = argv[++i];
        else if (!strcmp(a, "--topic"))
            topic = argv[++i];
        else if (!strcmp(a, "--format"))
            format = argv[++i];
        else
            return usage_error("unknown option", a);
    }
    if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv"))
        return usage_error("--format must be table, json or csv", format);
    ws_store *s;
    if (store_open_cli(db, 0, &s)) return EXIT_INPUT;
    char *json = NULL;
    if (ws_store_speakers(s, top, site, topic, &json) != WS_OK) {
        int rc = store_fail(s, db);
        ws_store_close(s);
        return rc;
    }
    if (!strcmp(format, "json")) {
        printf("%s\n", json);
    } else {
        json_t *o = json_loads(json, 0, NULL);
        size_t i;
        json_t *v;
        if (!strcmp(format, "csv")) fputs("id,name,title,statements,articles\n", stdout);
        else printf("%6s  %-28s %-30s %10s %8s\n", "ID", "SPEAKER", "TITLE", "STATEMENTS", "ARTICLES");
        json_array_foreach(json_object_get(o, "speakers"), i, v) {
            long long id = (long long)json_integer_value(json_object_get(v, "id"));
            long long n = (long long)json_integer_value(json_object_get(v, "statements"));
            long long na = (long long)json_integer_value(json_object_get(v, "articles"));
            const char *name = json_string_value(json_object_get(v, "name"));
            const char *title = json_string_value(json_object_get(v, "title"));
            if (!strcmp(format, "csv")) {
                char b1[32], b2[32], b3[32];
                snprintf(b1, sizeof b1, "%lld", id);
                snprintf(b2, sizeof b2, "%lld", n);
                snprintf(b3, sizeof b3, "%lld", na);
                store_csv_field(stdout, b1, 0);
                store_csv_field(stdout, name, 0);
                store_csv_field(stdout, title, 0);
                store_csv_field(stdout, b2, 0);
                store_csv_field(stdout, b3, 1);
            } else {
                printf("%6lld  ", id);
                store_print_cut(stdout, name, 28, 29);
                store_print_cut(stdout, title ? title : "-", 30, 30);
                printf(" %10lld %8lld\n", n, na);
            }
        }
        json_decref(o);
    }
    ws_store_json_free(json);
    ws_store_close(s);
    return EXIT_OK;
}
