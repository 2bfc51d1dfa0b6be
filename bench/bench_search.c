/*
 * bench_search.c - search latency of a store (bench/bench_store.sh).
 * Usage: bench_search DB [REPEATS]
 * Runs a fixed set of realistic queries (full text of frequent news words,
 * phrases, boolean queries, prefixes, speaker, date, site and type
 * filters, and their combinations), each REPEATS times after one warm-up
 * run, through the public API on one read-only handle, and prints the p50
 * and p99 of each query and of all runs together, in milliseconds. Also
 * times ws_store_article, ws_store_speaker and ws_store_quote_cluster.
 */
#include "whosaid.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
    qsort(v, n, sizeof *v, cmp_d);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search DB [REPEATS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 20;
    ws_store *s;
    char *msg = NULL;
    if (ws_store_open(argv[1], WS_STORE_READONLY, 0, &s, &msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    /* a frequent speaker and a rare word of the corpus, found at run time */
    char *js = NULL;
    ws_store_speakers(s, 5, NULL, NULL, &js);
    json_t *o = json_loads(js, 0, NULL);
    char top[256] = "", mid[256] = "";
    snprintf(top, sizeof top, "%s", json_string_value(json_object_get(json_array_get(json_object_get(o, "speakers"), 0), "name")));
    snprintf(mid, sizeof mid, "%s", json_string_value(json_object_get(json_array_get(json_object_get(o, "speakers"), 4), "name")));
    json_decref(o);
    ws_store_json_free(js);
    struct {
        const char *label, *text, *speaker, *since, *until, *site, *type;
    } qs[] = {
        {"word (treaty)", "treaty", NULL, NULL, NULL, NULL, NULL},
        {"word (nuclear)", "nuclear", NULL, NULL, NULL, NULL, NULL},
        {"word (sanctions, 8% of all)", "sanctions", NULL, NULL, NULL, NULL, NULL},
        {"two words AND", "vaccine AND hospital", NULL, NULL, NULL, NULL, NULL},
        {"OR", "lockdown OR masks", NULL, NULL, NULL, NULL, NULL},
        {"phrase", "\"gas pipeline\"", NULL, NULL, NULL, NULL, NULL},
        {"prefix", "refug*", NULL, NULL, NULL, NULL, NULL},
        {"word + month", "sanctions", NULL, "2020-12", "2020-12", NULL, NULL},
        {"speaker + word + month", "sanctions", top, "2020-12-01", "2020-12-31", NULL, NULL},
        {"speaker only", NULL, mid, NULL, NULL, NULL, NULL},
        {"site + word", "covid", NULL, NULL, NULL, "tass.com", NULL},
        {"site + month, newest first", NULL, NULL, "2021-03", "2021-03", "reuters.com", NULL},
        {"word + direct", "election", NULL, NULL, NULL, NULL, "direct"},
        {"no match", "zzqxv", NULL, NULL, NULL, NULL, NULL},
    };
    size_t nq = sizeof qs / sizeof qs[0];
    double *all = malloc(sizeof(double) * nq * (size_t)reps + 64 * (size_t)reps);
    double *one = malloc(sizeof(double) * (size_t)reps);
    double *allc = malloc(sizeof(double) * nq * (size_t)reps + 64 * (size_t)reps);
    double *onec = malloc(sizeof(double) * (size_t)reps);
    size_t nall = 0;
    printf("%-34s %8s %8s %8s %9s\n", "query", "p50 ms", "p99 ms", "cpu p50", "matches");
    for (size_t i = 0; i < nq; i++) {
        ws_search_query q;
        memset(&q, 0, sizeof q);
        q.text = qs[i].text;
        q.speaker = qs[i].speaker;
        q.since = qs[i].since;
        q.until = qs[i].until;
        q.site = qs[i].site;
        q.type = qs[i].type;
        q.limit = 20;
        long long total = 0;
        int exact = 1;
        for (int r = -1; r < reps; r++) {
            double t0 = now_ms(), c0 = cpu_ms();
            if (ws_store_search(s, &q, &js) != WS_OK) {
                fprintf(stderr, "%s: %s\n", qs[i].label, ws_store_errmsg(s));
                return 1;
            }
            double dt = now_ms() - t0, dc = cpu_ms() - c0;
            if (r == -1) {
                json_t *res = json_loads(js, 0, NULL);
                total = (long long)json_integer_value(json_object_get(res, "total"));
                exact = !json_is_false(json_object_get(res, "total_exact"));
                json_decref(res);
            } else {
                one[r] = dt;
                onec[r] = dc;
                allc[nall] = dc;
                all[nall++] = dt;
            }
            ws_store_json_free(js);
        }
        double p50 = pct(one, (size_t)reps, 0.5), p99 = pct(one, (size_t)reps, 0.99);
        printf("%-34s %8.2f %8.2f %8.2f %8lld%s\n", qs[i].label, p50, p99,
               pct(onec, (size_t)reps, 0.5), total, exact ? "" : "+");
    }
    /* the views the web page opens */
    const char *vlabel[3] = {"article (with body)", "speaker (aliases, timeline)", "quote cluster"};
    for (int v = 0; v < 3; v++) {
        for (int r = -1; r < reps; r++) {
            long long id = 1 + (r + 1) * 997;
            double t0 = now_ms(), c0 = cpu_ms();
            ws_status st = v == 0   ? ws_store_article(s, id, &js)
                           : v == 1 ? ws_store_speaker(s, 1 + (r + 1) * 7, &js)
                                    : ws_store_quote_cluster(s, id, 0, &js);
            double dt = now_ms() - t0, dc = cpu_ms() - c0;
            if (st == WS_OK) ws_store_json_free(js);
            if (r >= 0) one[r] = dt, onec[r] = dc, allc[nall] = dc, all[nall++] = dt;
        }
        printf("%-34s %8.2f %8.2f %8.2f %9s\n", vlabel[v], pct(one, (size_t)reps, 0.5),
               pct(one, (size_t)reps, 0.99), pct(onec, (size_t)reps, 0.5), "-");
    }
    printf("ALL %zu runs: wall p50 %.2f ms, p99 %.2f ms; cpu p50 %.2f ms, p99 %.2f ms\n", nall,
           pct(all, nall, 0.5), pct(all, nall, 0.99), pct(allc, nall, 0.5), pct(allc, nall, 0.99));
    free(all);
    free(one);
    free(allc);
    free(onec);
    ws_store_close(s);
    return 0;
}
