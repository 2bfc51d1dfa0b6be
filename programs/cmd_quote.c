/* cmd_quote.c - whosaid quote ID: one quote cluster, its wording variants
 * per outlet and its first source. */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_quote =
    "Usage: whosaid quote [--db FILE] [--statement] [--format table|json] ID\n"
    "\n"
    "Shows a quote cluster: the same or nearly the same quote across\n"
    "articles, who printed it first (article, site, date), and the wording\n"
    "variants with the sites that printed each. ID is a cluster id (the\n"
    "'cluster' of a search result); with --statement it is a statement id.\n"
    "\n"
    "Options:\n"
    "  --db FILE        the store (default ./whosaid.db)\n"
    "  --statement      ID is a statement id\n"
    "  --format F       table (default) or json\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok, 1 unknown id or unreadable store, 2 usage.\n";

static const char *js(const json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "-";
}

int cmd_quote(int argc, char **argv) {
    const char *db = "whosaid.db", *format = "table", *idarg = NULL;
    int by_stmt = 0;
    for (int i = 2; i < argc; i++) {
        int r = store_db_option(argc, argv, &i, &db);
        if (r < 0) return usage_error("option needs a value", argv[i]);
        if (r) continue;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_quote, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--statement"))
            by_stmt = 1;
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (argv[i][0] == '-')
            return usage_error("unknown option", argv[i]);
        else if (!idarg)
            idarg = argv[i];
        else
            return usage_error("one ID only", argv[i]);
    }
    if (!idarg) return usage_error("quote needs an ID", NULL);
    char *end;
    long long id = strtoll(idarg, &end, 10);
    if (*end || id <= 0) return usage_error("ID must be a positive number", idarg);
    if (strcmp(format, "table") && strcmp(format, "json"))
        return usage_error("--format must be table or json", format);
    ws_store *s;
    if (store_open_cli(db, 0, &s)) return EXIT_INPUT;
    char *json = NULL;
    if (ws_store_quote_cluster(s, id, by_stmt, &json) != WS_OK) {
        int rc = store_fail(s, db);
        ws_store_close(s);
        return rc;
    }
    if (!strcmp(format, "json"))
        printf("%s\n", json);
    else {
        json_t *o = json_loads(json, 0, NULL);
        const json_t *first = json_object_get(o, "first");
        const json_t *fa = json_object_get(first, "article");
        printf("Quote cluster %lld: %lld statements in %lld articles, %lld sites\n",
               (long long)json_integer_value(json_object_get(o, "id")),
               (long long)json_integer_value(json_object_get(o, "statements_count")),
               (long long)json_integer_value(json_object_get(o, "articles")),
               (long long)json_integer_value(json_object_get(o, "sites")));
        if (json_is_object(first)) {
            const json_t *sp = json_object_get(first, "speaker");
            printf("First seen: %s, %s, \"%s\" (article %lld, statement %lld)\n", js(fa, "site"),
                   js(fa, "date"), js(fa, "title"),
                   (long long)json_integer_value(json_object_get(fa, "id")),
                   (long long)json_integer_value(json_object_get(first, "id")));
            printf("Speaker:    %s\n", json_is_object(sp) ? js(sp, "name") : "-");
            if (strcmp(js(fa, "url"), "-")) printf("URL:        %s\n", js(fa, "url"));
        }
        printf("\nVariants (first printed first):\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(o, "variants"), i, v) {
            printf("%3zu. %s [%s; %s; %lld]\n     ", i + 1,
                   json_is_true(json_object_get(v, "is_first")) ? "first wording" : "variant",
                   js(v, "sites"), js(v, "first_date"),
                   (long long)json_integer_value(json_object_get(v, "statements")));
            store_print_cut(stdout, js(v, "content"), 400, 0);
            putchar('\n');
        }
        json_decref(o);
    }
    ws_store_json_free(json);
    ws_store_close(s);
    return EXIT_OK;
}
