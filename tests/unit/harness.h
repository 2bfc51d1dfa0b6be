/*
 * harness.h - a tiny unit-test harness: CHECK prints one line per failing
 * check; finish with TEST_REPORT(), which prints "N passed, M failed" and
 * yields the exit status.
 */
#ifndef WS_TEST_HARNESS_H
#define WS_TEST_HARNESS_H

#include <stdio.h>

typedef struct test_counts {
    int passed, failed;
} test_counts;

static test_counts test_g;

#define CHECK(cond, ...)                                         \
    do {                                                         \
        if (cond) {                                              \
            test_g.passed++;                                     \
        } else {                                                 \
            test_g.failed++;                                     \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            printf(__VA_ARGS__);                                 \
            printf("\n");                                        \
        }                                                        \
    } while (0)

#define TEST_REPORT()                                                \
    (printf("%d passed, %d failed\n", test_g.passed, test_g.failed), \
     test_g.failed ? 1 : 0)

#endif /* WS_TEST_HARNESS_H */
