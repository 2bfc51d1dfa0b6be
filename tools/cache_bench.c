/*
 * cache_bench.c - the cost of analysing documents with and without a
 * per-thread cache (ws_cache), in one process on one thread, passes over
 * all the files alternating (uncached, cached, uncached, ...) so that both
 * see the same machine load. Each pass analyses every file and writes its
 * JSON (as `whosaid extract -q` does, output discarded); the cached passes
 * share one cache, made once, warm from the second cached pass on (the
 * first one is reported too). Thread CPU time per pass, and whether every
 * JSON output was the same both ways.
 *
 *   make B=build build/tools/cache_bench
 *   taskset -c 0 build/tools/cache_bench ROUNDS FILE...
 */
#include "whosaid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = malloc(1 << 22);
    *len = b ? fread(b, 1, 1 << 22, f) : 0;
    fclose(f);
    return b;
}

/* One pass over every file; adds a checksum of the JSON to *sum. */
static double pass(const ws_engine *e, ws_cache *c, char **text, size_t *len,
                   int n, unsigned long long *sum) {
    double t0 = cpu_now();
    for (int i = 0; i < n; i++) {
        ws_doc *d = NULL;
        if (ws_analyze_cached(e, c, text[i], len[i], "t", &d) != WS_OK) {
            fprintf(stderr, "cache_bench: analysis failed\n");
            exit(1);
        }
        char *j = NULL;
        size_t jl = 0;
        if (ws_doc_to_json(d, WS_JSON_TEXT, &j, &jl) == WS_OK)
            for (size_t k = 0; k < jl; k++) *sum = *sum * 1099511628211ULL + (unsigned char)j[k];
        ws_free(e, j);
        ws_doc_free(d);
    }
    return cpu_now() - t0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: cache_bench ROUNDS FILE...\n");
        return 2;
    }
    int rounds = atoi(argv[1]), n = argc - 2;
    char **text = calloc((size_t)n, sizeof *text);
    size_t *len = calloc((size_t)n, sizeof *len), bytes = 0;
    for (int i = 0; i < n; i++) {
        text[i] = slurp(argv[i + 2], &len[i]);
        if (!text[i]) {
            fprintf(stderr, "cache_bench: %s: cannot read\n", argv[i + 2]);
            return 1;
        }
        bytes += len[i];
    }
    ws_engine *e = NULL;
    ws_cache *c = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK || ws_cache_new(e, &c) != WS_OK) {
        fprintf(stderr, "cache_bench: out of memory\n");
        return 1;
    }
    printf("%d files, %zu bytes; cache %zu bytes\n", n, bytes, ws_cache_size(c));
    int same = 1;
    for (int r = 0; r < rounds; r++) {
        unsigned long long s0 = 0, s1 = 0;
        double t0 = pass(e, NULL, text, len, n, &s0);
        double t1 = pass(e, c, text, len, n, &s1);
        same &= s0 == s1;
        printf("round %d: uncached %.3f s, cached %.3f s%s: %.3fx\n", r + 1, t0, t1,
               r == 0 ? " (cold at start)" : "", t0 / t1);
    }
    printf("output %s\n", same ? "identical" : "DIFFERS");
    ws_cache_free(c);
    ws_engine_free(e);
    for (int i = 0; i < n; i++) free(text[i]);
    free(text);
    free(len);
    return same ? 0 : 1;
}
