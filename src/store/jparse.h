/* jparse.h - the small JSON reader of ingest (jparse.c). */
#ifndef WS_STORE_JPARSE_H
#define WS_STORE_JPARSE_H

#include <stddef.h>
#include <stdint.h>

enum { WS_JV_NULL, WS_JV_FALSE, WS_JV_TRUE, WS_JV_INT, WS_JV_REAL, WS_JV_STRING,
       WS_JV_ARRAY, WS_JV_OBJECT };

typedef struct ws_jv {
    int type;
    const char *key; /* in an object: the key (NUL-terminated), else NULL */
    size_t klen;
    const char *s;   /* a string, NUL-terminated, n bytes */
    size_t n;        /* string bytes, or number of children */
    double num;
    int64_t inum;
    struct ws_jv *kids; /* array items or object members, in order */
} ws_jv;

typedef struct ws_jarena ws_jarena;

ws_jarena *ws_jarena_new(void);
void ws_jarena_free(ws_jarena *a);
/* Parses one JSON text; the result lives until the next parse on the
 * arena. NULL on error: *err says why and *err_off where. */
const ws_jv *ws_jparse(ws_jarena *a, const char *text, size_t len, const char **err,
                       size_t *err_off);
const ws_jv *ws_jget(const ws_jv *obj, const char *key); /* NULL if absent */
const char *ws_jstr(const ws_jv *v);                     /* NULL if not a string */
const char *ws_jgets(const ws_jv *obj, const char *key);
size_t ws_jcount(const ws_jv *v);
const ws_jv *ws_jat(const ws_jv *arr, size_t i);
int64_t ws_jint(const ws_jv *v);

#endif
