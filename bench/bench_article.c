/* bench_article.c - time the article path of libwhosaid (public API only).
 *
 * bench_article MODE ROUNDS OUT.jsonl PATH...
 *   MODE read:    ws_reader_next only (I/O, gunzip, WARC parsing)
 *   MODE article: + ws_article_new (charset, HTML parse, extraction, metadata)
 *   MODE full:    + ws_article_analyze (attribution)
 * Every record of every PATH is processed ROUNDS times; the JSON of the
 * first round goes to OUT.jsonl ("-" for none). Prints one line:
 *   MODE records=N rounds=R work_ms=W ms_per_record=X cpu_ms=C
 *   cpu_ms_per_record=Y input_bytes=B
 * where work_ms counts only the timed calls of the mode (for read: the
 * reader calls; for article/full: the per-record calls, without reading). */
#include "whosaid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: bench_article read|article|full ROUNDS OUT.jsonl PATH...\n");
        return 2;
    }
    const char *mode = argv[1];
    int m = !strcmp(mode, "read") ? 0 : !strcmp(mode, "article") ? 1 : !strcmp(mode, "full") ? 2 : -1;
    int rounds = atoi(argv[2]);
    if (m < 0 || rounds < 1) return 2;
    FILE *out = strcmp(argv[3], "-") ? fopen(argv[3], "w") : NULL;
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK) return 3;
    double work = 0, cpu = 0;
    unsigned long long n = 0, bytes = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 4; i < argc; i++) {
            ws_reader *rd = NULL;
            if (ws_reader_open(argv[i], NULL, &rd) != WS_OK) return 3;
            for (;;) {
                ws_record rec;
                double t0 = now_ms(), c0 = cpu_ms();
                ws_status st = ws_reader_next(rd, &rec);
                if (m == 0) work += now_ms() - t0, cpu += cpu_ms() - c0;
                if (st == WS_DONE) break;
                if (st != WS_OK) continue;
                n++;
                if (m == 0) continue;
                t0 = now_ms();
                c0 = cpu_ms();
                ws_article *a = NULL;
                ws_doc *d = NULL;
                char *json = NULL;
                size_t len = 0;
                unsigned flags = WS_JSON_BODY | (m == 2 ? WS_JSON_TEXT : WS_JSON_NO_ANALYSIS);
                st = ws_article_new(e, &rec, &a);
                if (st == WS_OK && m == 2) st = ws_article_analyze(e, a, &d);
                if (st == WS_OK) st = ws_article_to_json(a, d, flags, &json, &len);
                work += now_ms() - t0;
                cpu += cpu_ms() - c0;
                if (st == WS_OK && out && r == 0) {
                    fwrite(json, 1, len, out);
                    fputc('\n', out);
                }
                ws_free(e, json);
                ws_doc_free(d);
                ws_article_free(a);
            }
            ws_reader_stats rs;
            ws_reader_stats_get(rd, &rs);
            bytes += rs.bytes_read;
            ws_reader_free(rd);
        }
    }
    if (out) fclose(out);
    ws_engine_free(e);
    printf("%s records=%llu rounds=%d work_ms=%.1f ms_per_record=%.4f cpu_ms=%.1f "
           "cpu_ms_per_record=%.4f input_bytes=%llu\n",
           mode, n, rounds, work, n ? work / n : 0.0, cpu, n ? cpu / n : 0.0, bytes);
    return 0;
}
