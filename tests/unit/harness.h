/*
 * harness.h - a tiny unit-test harness: CHECK prints one line per failing
 * check; finish with TEST_REPORT(), which prints "N passed, M failed" and
 * yields the exit status.
 */
#ifndef WS_TEST_HARNESS_H
#define WS_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The whole file at path, malloc'd (free it); its size in *len. NULL when it
 * cannot be opened or memory runs out. */
static inline char *test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* Fixed-seed random texts for robustness tests; the state is the caller's
 * (no globals). test_lcg advances *x and returns its high bits. */
static inline unsigned long long test_lcg(unsigned long long *x) {
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

/* Appends k pieces drawn from pieces[0..np) to buf[n..cap), stopping at the
 * first that does not fit; returns the new length. */
static inline size_t test_add_pieces(char *buf, size_t n, size_t cap,
                                     const char *const *pieces, size_t np, int k,
                                     unsigned long long *x) {
    for (int i = 0; i < k; i++) {
        const char *pc = pieces[test_lcg(x) % np];
        size_t pl = strlen(pc);
        if (n + pl >= cap) break;
        memcpy(buf + n, pc, pl);
        n += pl;
    }
    return n;
}

/* Fills buf with pieces (each of at most 98 bytes) until fewer than 100 of
 * its cap bytes are left, a space after one piece in three; returns the
 * length. */
static inline size_t test_fill_pieces(char *buf, size_t cap, const char *const *pieces,
                                      size_t np, unsigned long long *x) {
    size_t n = 0;
    while (n < cap - 100) {
        const char *p = pieces[test_lcg(x) % np];
        size_t l = strlen(p);
        memcpy(buf + n, p, l);
        n += l;
        if ((*x >> 40) % 3 == 0) buf[n++] = ' ';
    }
    return n;
}

#endif /* WS_TEST_HARNESS_H */
