/*
 * json_ok.c - checks that a file holds exactly one JSON Lines record: one
 * line ending in '\n' that is a valid JSON value (tests/fuzz/json_check.h,
 * strict, UTF-8). Prints the verdict; exit 0 when valid, 1 otherwise.
 * Usage: json_ok FILE
 */
#include "../fuzz/json_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: json_ok FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "json_ok: out of memory\n");
            return 1;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    if (len == 0 || buf[len - 1] != '\n') {
        printf("json_ok: %s: not one line ending in a newline\n", argv[1]);
        return 1;
    }
    if (memchr(buf, '\n', len - 1)) {
        printf("json_ok: %s: more than one line\n", argv[1]);
        return 1;
    }
    int ok = jc_valid(buf, len - 1);
    printf("json_ok: %s: %zu bytes, %s\n", argv[1], len, ok ? "valid JSON" : "INVALID JSON");
    free(buf);
    return ok ? 0 : 1;
}
