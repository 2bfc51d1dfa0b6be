/*
 * bench_clock.h - the clocks of the C benchmarks (bench_article.c,
 * bench_search.c): wall time and the process's CPU time, in milliseconds.
 */
#ifndef WS_BENCH_CLOCK_H
#define WS_BENCH_CLOCK_H

#include <time.h>

static double bench_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void) { return bench_ms(CLOCK_MONOTONIC); }
static double cpu_ms(void) { return bench_ms(CLOCK_PROCESS_CPUTIME_ID); }

#endif
