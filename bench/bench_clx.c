/*
 * bench_clx.c - the size and load time of a writer's quote-cluster index
 * (src/store/clx.c) on a store: scan mode (what a writer adding a few
 * articles uses) and map mode (bulk ingest). Uses the library's internal
 * header; build and run (the store must be at the current schema: run
 * `whosaid index --db DB /dev/null` first to migrate it):
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc bench/bench_clx.c \
 *      build/libwhosaid.a -lutf8proc -lgumbo -lz -lsqlite3 -lmicrohttpd \
 *      -ljansson -lm -lpthread -o /tmp/bench_clx
 *   /tmp/bench_clx STORE.db
 *
 * Prints, per mode: clusters, bytes of the index and bytes per cluster,
 * the load's wall and CPU time, and the process's RSS growth (which also
 * counts the SQLite pages read). Read-only in effect: every batch is
 * rolled back.
 */
#include "bench_clock.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long rss_kb(void) {
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
    fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int run(ws_store *s, const char *mode) {
    long r0 = rss_kb();
    double w0 = now_ms() / 1e3, c0 = cpu_ms() / 1e3;
    int64_t id;
    if (ws_store_begin(s) || ws_clx_exact(s, 12345, &id)) {
        fprintf(stderr, "bench_clx: %s\n", ws_store_errmsg(s));
        return 1;
    }
    double w1 = now_ms() / 1e3, c1 = cpu_ms() / 1e3;
    size_t n, bytes;
    int mapped;
    ws_clx_mem(s, &n, &mapped, &bytes);
    /* one more lookup: the cost of a scan, or of a map probe */
    double w2 = now_ms() / 1e3;
    for (int i = 0; i < 20; i++) ws_clx_exact(s, 777 + (uint64_t)i * 1000003, &id);
    double w3 = now_ms() / 1e3;
    printf("%s mode (%s): %zu clusters, %.1f MB, %.1f bytes/cluster; load %.3f s wall, %.3f s CPU;"
           " RSS +%.1f MB; one exact lookup %.1f us\n",
           mode, mapped ? "maps" : "scan", n, bytes / 1e6, n ? (double)bytes / (double)n : 0.0,
           w1 - w0, c1 - c0, (rss_kb() - r0) / 1024.0, (w3 - w2) / 20 * 1e6);
    ws_store_rollback(s);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: bench_clx STORE.db\n");
        return 2;
    }
    ws_store *s = NULL;
    char *msg = NULL;
    if (ws_store_open(argv[1], 0, 0, &s, &msg)) {
        fprintf(stderr, "bench_clx: %s\n", msg ? msg : "cannot open");
        return 1;
    }
    int rc = run(s, "scan");
    if (!rc && ws_clx_set_test(s, UINT32_MAX, 0)) rc = 1;
    if (!rc) rc = run(s, "map");
    ws_store_close(s);
    return rc;
}
