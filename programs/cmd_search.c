/* cmd_search.c - whosaid search QUERY: statements by full-text query and
 * filters (speaker, dates, site, type); with --articles, the articles whose
 * title or body match (ws_store_search_articles). */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_search =
    "Usage: whosaid search [options] [QUERY]\n"
    "\n"
    "Finds statements whose content matches QUERY (SQLite FTS5 syntax: words,\n"
    "\"a phrase\", AND, OR, NOT, prefix*, NEAR(a b, 5)); without QUERY, all\n"
    "statements that pass the filters, newest first.\n"
    "With --articles, finds the articles whose title or body match QUERY\n"
    "(\"title:grain\" for the title only), with a snippet of the body around\n"
    "the first match and their most quoted speakers; --speaker and --type\n"
    "do not apply.\n"
    "\n"
    "Options:\n"
    "  --articles       search articles (title and body), not statements\n"
    "  --db FILE        the store (default ./whosaid.db)\n"
    "  --speaker NAME   a speaker: any alias (\"Sergei Lavrov\", \"Lavrov\") or #ID\n"
    "  --since DATE     articles dated on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD)\n"
    "  --until DATE     articles dated on or before DATE (the whole day/month/year)\n"
    "  --site SITE      articles of one site\n"
    "  --type TYPE      direct, indirect or mixed\n"
    "  --order O        newest (default) or relevance (FTS5 bm25; for articles\n"
    "                   a title word weighs 10 times a body word)\n"
    "  --limit N        at most N results (default 20, at most 1000)\n"
    "  --offset N       skip the first N results\n"
    "  --format F       table (default), json or csv\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 ok (also with no result), 1 bad query or unreadable store,\n"
    "2 usage.\n";

static const char *js(const json_t *o, const char *k) {
    return json_string_value(json_object_get(o, k));
}

static void print_row(const json_t *r, const char *format) {
    const json_t *a = json_object_get(r, "article"), *sp = json_object_get(r, "speaker");
    char id[32], cl[32], aid[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "id")));
    snprintf(aid, sizeof aid, "%lld", (long long)json_integer_value(json_object_get(a, "id")));
    if (json_is_integer(json_object_get(r, "cluster")))
        snprintf(cl, sizeof cl, "%lld", (long long)json_integer_value(json_object_get(r, "cluster")));
    else
        cl[0] = 0;
    const char *date = js(a, "date"), *site = js(a, "site");
    const char *name = json_is_object(sp) ? js(sp, "name") : js(r, "source");
    if (!strcmp(format, "csv")) {
        store_csv_field(stdout, id, 0);
        store_csv_field(stdout, date, 0);
        store_csv_field(stdout, site, 0);
        store_csv_field(stdout, name, 0);
        store_csv_field(stdout, js(r, "type"), 0);
        store_csv_field(stdout, js(r, "cue"), 0);
        store_csv_field(stdout, js(r, "content"), 0);
        store_csv_field(stdout, aid, 0);
        store_csv_field(stdout, js(a, "url"), 0);
        store_csv_field(stdout, cl, 1);
        return;
    }
    printf("%7s  ", id);
    store_print_cut(stdout, date ? date : "-", 10, 11);
    store_print_cut(stdout, site ? site : "-", 14, 15);
    store_print_cut(stdout, name ? name : "-", 20, 21);
    store_print_cut(stdout, js(r, "type"), 8, 9);
    store_print_cut(stdout, js(r, "content"), 70, 0);
    putchar('\n');
}

/* The speakers of an article result as "Name (N), Name (M)" (malloc'd). */
static char *speakers_line(const json_t *r) {
    size_t i, cap = 1, n = 0;
    json_t *p;
    json_array_foreach(json_object_get(r, "speakers"), i, p) {
        const char *nm = js(p, "name");
        cap += (nm ? strlen(nm) : 0) + 32;
    }
    char *out = malloc(cap);
    if (!out) return NULL;
    out[0] = 0;
    json_array_foreach(json_object_get(r, "speakers"), i, p) {
        const char *nm = js(p, "name");
        n += (size_t)snprintf(out + n, cap - n, "%s%s (%lld)", i ? ", " : "", nm ? nm : "?",
                              (long long)json_integer_value(json_object_get(p, "statements")));
    }
    return out;
}

static void print_article(const json_t *r, const char *format) {
    char id[32], ns[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "id")));
    snprintf(ns, sizeof ns, "%lld",
             (long long)json_integer_value(json_object_get(r, "n_statements")));
    const char *date = js(r, "date"), *site = js(r, "site"), *title = js(r, "title");
    char *spk = speakers_line(r);
    if (!strcmp(format, "csv")) {
        store_csv_field(stdout, id, 0);
        store_csv_field(stdout, date, 0);
        store_csv_field(stdout, site, 0);
        store_csv_field(stdout, title, 0);
        store_csv_field(stdout, ns, 0);
        store_csv_field(stdout, spk, 0);
        store_csv_field(stdout, js(r, "url"), 0);
        store_csv_field(stdout, js(r, "snippet"), 1);
    } else {
        printf("%7s  ", id);
        store_print_cut(stdout, date ? date : "-", 10, 11);
        store_print_cut(stdout, site ? site : "-", 14, 15);
        printf("%5s  ", ns);
        store_print_cut(stdout, title && *title ? title : "-", 70, 0);
        putchar('\n');
        printf("%9s", "");
        store_print_cut(stdout, js(r, "snippet"), 110, 0);
        putchar('\n');
        if (spk && *spk) {
            printf("%9s", "");
            store_print_cut(stdout, spk, 110, 0);
            putchar('\n');
        }
    }
    free(spk);
}

int cmd_search(int argc, char **argv) {
    const char *db = "whosaid.db", *format = "table";
    ws_search_query q;
    memset(&q, 0, sizeof q);
    int articles = 0;
    for (int i = 2; i < argc; i++) {
        int r = store_db_option(argc, argv, &i, &db);
        if (r < 0) return usage_error("option needs a value", argv[i]);
        if (r) continue;
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_search, stdout);
            return EXIT_OK;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            if (q.text) return usage_error("one QUERY only (quote it)", a);
            q.text = a;
            continue;
        }
        if (!strcmp(a, "--articles")) {
            articles = 1;
            continue;
        }
        if (!strcmp(a, "--")) {
            if (i + 1 < argc) q.text = argv[++i];
            continue;
        }
        if (i + 1 >= argc) return usage_error("unknown option or missing value", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--speaker")) q.speaker = v;
        else if (!strcmp(a, "--since")) q.since = v;
        else if (!strcmp(a, "--until")) q.until = v;
        else if (!strcmp(a, "--site")) q.site = v;
        else if (!strcmp(a, "--type")) q.type = v;
        else if (!strcmp(a, "--format")) format = v;
        else if (!strcmp(a, "--order")) {
            if (!strcmp(v, "newest")) q.order = WS_SEARCH_NEWEST;
            else if (!strcmp(v, "relevance")) q.order = WS_SEARCH_RELEVANCE;
            else return usage_error("--order must be newest or relevance", v);
        }
        else if (!strcmp(a, "--limit") || !strcmp(a, "--offset")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 0 || (a[2] == 'l' && (n < 1 || n > 1000)))
                return usage_error(a[2] == 'l' ? "--limit must be 1..1000" : "--offset must be >= 0", v);
            if (a[2] == 'l') q.limit = (size_t)n;
            else q.offset = (size_t)n;
        } else
            return usage_error("unknown option", a);
    }
    if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv"))
        return usage_error("--format must be table, json or csv", format);
    if (articles && (q.speaker || q.type))
        return usage_error("--speaker and --type do not apply to --articles",
                           q.speaker ? q.speaker : q.type);
    ws_store *s;
    if (store_open_cli(db, 0, &s)) return EXIT_INPUT;
    char *json = NULL;
    if ((articles ? ws_store_search_articles(s, &q, &json) : ws_store_search(s, &q, &json)) !=
        WS_OK) {
        fprintf(stderr, "whosaid: search: %s\n", ws_store_errmsg(s));
        ws_store_close(s);
        return EXIT_INPUT;
    }
    if (!strcmp(format, "json")) {
        printf("%s\n", json);
    } else {
        json_t *o = json_loads(json, 0, NULL);
        size_t i;
        json_t *r;
        if (articles) {
            if (!strcmp(format, "csv"))
                fputs("id,date,site,title,statements,speakers,url,snippet\n", stdout);
            else
                printf("%7s  %-10s %-14s %5s  %s\n", "ID", "DATE", "SITE", "STMTS", "TITLE");
            json_array_foreach(json_object_get(o, "results"), i, r) print_article(r, format);
        } else if (!strcmp(format, "csv"))
            fputs("id,date,site,speaker,type,cue,content,article_id,url,cluster\n", stdout);
        else
            printf("%7s  %-10s %-14s %-20s %-8s %s\n", "ID", "DATE", "SITE", "SPEAKER", "TYPE",
                   "CONTENT");
        if (!articles) json_array_foreach(json_object_get(o, "results"), i, r) print_row(r, format);
        if (!strcmp(format, "table"))
            printf("%zu of %s%lld %s\n", json_array_size(json_object_get(o, "results")),
                   json_is_false(json_object_get(o, "total_exact")) ? "more than " : "",
                   (long long)json_integer_value(json_object_get(o, "total")),
                   articles ? "articles" : "statements");
        json_decref(o);
    }
    ws_store_json_free(json);
    ws_store_close(s);
    return EXIT_OK;
}
