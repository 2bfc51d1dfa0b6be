/*
 * pos_bench.c - CPU time of the POS tagger on real documents, both paths in
 * the same run: ws_pos_tag (word types: the document path) against
 * ws_pos_tag_reference (every token reduced and scored on its own, which is
 * what ws_pos_tag did before the word-type tables), alternating document by
 * document so that both see the same machine load. Checks that both give
 * the same tags. Also times the model load (ws_pos_load) and the engine
 * start.
 *
 * usage: pos_bench REPS FILE...
 * (make B=build-x build-x/tools/pos_bench; see docs/BENCHMARKS.md,
 * "Speed work, session 3: POS tagger")
 */
#include "doc.h"
#include "model/models.h"
#include "model/pos.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "tool_read.h"

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPS FILE...\n", argv[0]);
        return 2;
    }
    int reps = atoi(argv[1]);
    if (reps < 1) reps = 1;
    double t0 = cpu_now();
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK) {
        fprintf(stderr, "pos_bench: engine failed to start\n");
        return 1;
    }
    double t_engine = cpu_now() - t0;
    ws_mem mem;
    ws_mem_init(&mem, NULL);
    double t_load = 1e9;
    for (int k = 0; k < 3; k++) {
        struct ws_pos_model *pm = NULL;
        t0 = cpu_now();
        ws_status st = ws_pos_load(&mem, &pm);
        double dt = cpu_now() - t0;
        ws_pos_free(&mem, pm);
        if (st != WS_OK) return 1;
        if (dt < t_load) t_load = dt;
    }
    double t_fast = 0, t_ref = 0;
    size_t toks = 0, docs = 0, differ = 0;
    for (int i = 2; i < argc; i++) {
        size_t n;
        char *text = tool_read_file(argv[i], &n);
        if (!text) {
            fprintf(stderr, "pos_bench: cannot read %s\n", argv[i]);
            continue;
        }
        ws_doc *d = NULL;
        if (ws_doc_new_text(e, text, n, argv[i], &d) != WS_OK) {
            fprintf(stderr, "pos_bench: %s: analysis failed\n", argv[i]);
            free(text);
            continue;
        }
        size_t nt = d->text.toks.n;
        uint8_t *tags = malloc(nt ? nt : 1);
        for (int r = 0; r < reps && tags; r++) {
            t0 = cpu_now();
            ws_pos_tag(e, d);
            double t1 = cpu_now();
            for (size_t k = 0; k < nt; k++) tags[k] = d->text.toks.v[k].pos;
            double t2 = cpu_now();
            ws_pos_tag_reference(e, d);
            double t3 = cpu_now();
            t_fast += t1 - t0;
            t_ref += t3 - t2;
            for (size_t k = 0; k < nt; k++) differ += tags[k] != d->text.toks.v[k].pos;
        }
        toks += nt * (size_t)reps;
        docs++;
        free(tags);
        ws_doc_free(d);
        free(text);
    }
    ws_engine_free(e);
    printf("documents %zu, tokens tagged %zu per path (%d reps)\n", docs, toks, reps);
    printf("ws_pos_tag (word types)    %.3f s  %.2f M tokens/s\n", t_fast,
           t_fast > 0 ? (double)toks / t_fast / 1e6 : 0.0);
    printf("reference (every token)    %.3f s  %.2f M tokens/s\n", t_ref,
           t_ref > 0 ? (double)toks / t_ref / 1e6 : 0.0);
    printf("speed-up                   %.2fx\n", t_fast > 0 ? t_ref / t_fast : 0.0);
    printf("tokens with different tags %zu\n", differ);
    printf("POS model load (best of 3) %.1f ms; engine start %.1f ms\n",
           t_load * 1e3, t_engine * 1e3);
    return differ ? 1 : 0;
}
