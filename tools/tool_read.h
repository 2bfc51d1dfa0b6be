/* tool_read.h - reading a whole file, shared by the programs in tools/. */
#ifndef WS_TOOL_READ_H
#define WS_TOOL_READ_H
#include <stdio.h>
#include <stdlib.h>

/* The bytes of the file at path (malloc'd, *n of them), or NULL when it
 * cannot be opened or memory runs out. */
static inline char *tool_read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    while (b) {
        size_t k = fread(b + len, 1, cap - len, f);
        len += k;
        if (len < cap) break;
        char *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    fclose(f);
    *n = len;
    return b;
}

#endif
