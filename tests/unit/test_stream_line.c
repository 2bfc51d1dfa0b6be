/*
 * test_stream_line.c - ws_stream_line (src/io/stream.c) when a line arrives
 * in pieces: a line under the limit is kept whatever the read boundaries
 * (regression: it was measured as "bytes already scanned + its whole length"
 * and dropped as too long when it came in two reads; found by fuzz_jsonl,
 * chunked vs whole input, tests/fuzz/corpus/jsonl/regress-*). The pipe is
 * written and read in turns from one thread, so the reads are deterministic.
 */
#include "io/io.h"

#include "harness.h"

#include <string.h>
#include <unistd.h>

int main(void) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    char l1[151], l2[81];
    memset(l1, 'a', 150);
    l1[150] = '\n';
    memset(l2, 'b', 80);
    l2[80] = '\n';
    const size_t max = 100;
    /* line 1 (151 bytes, over the limit) and the first 60 bytes of line 2 */
    CHECK(write(fds[1], l1, sizeof l1) == (ssize_t)sizeof l1, "write 1");
    CHECK(write(fds[1], l2, 60) == 60, "write 2");
    ws_stream s; /* opened after the first writes: it reads the first bytes */
    memset(&s, 0, sizeof s);
    CHECK(ws_stream_open_fd(&s, fds[0]) == 0, "open");
    ws_bytes b;
    memset(&b, 0, sizeof b);
    CHECK(ws_stream_line(&s, &b, max) == 2, "line 1 is over the limit");
    /* the rest of line 2 (21 bytes): 81 in all, under the limit */
    CHECK(write(fds[1], l2 + 60, 21) == 21, "write 3");
    close(fds[1]);
    b.n = 0;
    int lr = ws_stream_line(&s, &b, max);
    CHECK(lr == 1, "line 2 (81 bytes, read in two pieces) is kept: %d", lr);
    CHECK(b.n == 81 && !memcmp(b.p, l2, 81), "line 2's bytes: %zu", b.n);
    b.n = 0;
    CHECK(ws_stream_line(&s, &b, max) == 0, "then the end");
    ws_bytes_free(&b);
    ws_stream_close(&s);
    return TEST_REPORT();
}
