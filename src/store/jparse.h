/* jparse.h - the small JSON reader of ingest (jparse.c). */
#ifndef WS_STORE_JPARSE_H
#define WS_STORE_JPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
 * arena (its strings point into the arena's own copy of the text, not into
 * `text`, which may be reused at once). NULL on error: *err says why and
 * *err_off where. */
const ws_jv *ws_jparse(ws_jarena *a, const char *text, size_t len, const char **err,
                       size_t *err_off);
/* The accessors are inline: ingest calls them a few hundred times an
 * object, and with a literal key the compiler turns strlen and memcmp into
 * a constant and a compare or two. */
/* The member `key` of an object; NULL if absent or obj is not an object. */
static inline const ws_jv *ws_jget(const ws_jv *obj, const char *key) {
    if (!obj || obj->type != WS_JV_OBJECT) return NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i < obj->n; i++)
        if (obj->kids[i].klen == kl && !memcmp(obj->kids[i].key, key, kl)) return &obj->kids[i];
    return NULL;
}
/* The string of v (NUL-terminated), NULL if v is not a string. */
static inline const char *ws_jstr(const ws_jv *v) {
    return v && v->type == WS_JV_STRING ? v->s : NULL;
}
static inline const char *ws_jgets(const ws_jv *obj, const char *key) {
    return ws_jstr(ws_jget(obj, key));
}
/* The number of items or members; 0 for a scalar or NULL. */
static inline size_t ws_jcount(const ws_jv *v) {
    return v && (v->type == WS_JV_ARRAY || v->type == WS_JV_OBJECT) ? v->n : 0;
}
/* Item i of an array; NULL past its end or if v is not an array. */
static inline const ws_jv *ws_jat(const ws_jv *v, size_t i) {
    return v && v->type == WS_JV_ARRAY && i < v->n ? &v->kids[i] : NULL;
}
/* A number's integer value (a real's truncated); 0 otherwise. */
static inline int64_t ws_jint(const ws_jv *v) {
    return v && (v->type == WS_JV_INT || v->type == WS_JV_REAL) ? v->inum : 0;
}

#endif
