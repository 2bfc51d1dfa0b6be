/* mem.c - allocator hook and arena. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#endif
#include "internal.h"

#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

static void *libc_alloc(void *ud, size_t n) {
    (void)ud;
    return malloc(n ? n : 1);
}
static void *libc_realloc(void *ud, void *p, size_t old_n, size_t new_n) {
    (void)ud;
    (void)old_n;
    return realloc(p, new_n ? new_n : 1);
}
static void libc_free(void *ud, void *p, size_t n) {
    (void)ud;
    (void)n;
    free(p);
}

void ws_mem_init(ws_mem *m, const ws_allocator *user) {
    if (user && user->alloc && user->realloc && user->free) {
        m->a = *user;
    } else {
        m->a.alloc = libc_alloc;
        m->a.realloc = libc_realloc;
        m->a.free = libc_free;
        m->a.ud = NULL;
    }
}

void *ws_mem_alloc(const ws_mem *m, size_t n) { return m->a.alloc(m->a.ud, n); }
void *ws_mem_realloc(const ws_mem *m, void *p, size_t old_n, size_t new_n) {
    return m->a.realloc(m->a.ud, p, old_n, new_n);
}
void ws_mem_free(const ws_mem *m, void *p, size_t n) {
    if (p) m->a.free(m->a.ud, p, n);
}

void *ws_table_alloc(const ws_mem *m, size_t n, void **base) {
    size_t align = n >= WS_TABLE_ALIGN ? WS_TABLE_ALIGN : 64;
    char *b = ws_mem_alloc(m, ws_table_alloc_size(n));
    *base = b;
    if (!b) return NULL;
    char *p = b + (align - (uintptr_t)b % align) % align;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Advice only: a kernel without transparent huge pages ignores it. */
    if (align == WS_TABLE_ALIGN)
        (void)madvise(p, n / align * align, MADV_HUGEPAGE);
#endif
    return p;
}

struct ws_arena_chunk {
    ws_arena_chunk *next;
    size_t size; /* bytes after the header */
    /* data follows, 16-byte aligned */
};

#define CHUNK_HDR ((sizeof(ws_arena_chunk) + 15) & ~(size_t)15)
#define CHUNK_MIN ((size_t)64 * 1024)

void ws_arena_init(ws_arena *a, const ws_mem *mem) {
    a->mem = mem;
    a->head = NULL;
    a->used = a->cap = 0;
    a->pool = NULL;
}

/* The smallest pooled chunk of at least size bytes, unlinked; or NULL. */
static ws_arena_chunk *pool_take(ws_arena_pool *p, size_t size) {
    ws_arena_chunk **best = NULL;
    for (ws_arena_chunk **at = &p->free; *at; at = &(*at)->next)
        if ((*at)->size >= size && (!best || (*at)->size < (*best)->size))
            best = at;
    if (!best) return NULL;
    ws_arena_chunk *c = *best;
    *best = c->next;
    p->bytes -= CHUNK_HDR + c->size;
    return c;
}

void *ws_arena_alloc(ws_arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if (!a->head || a->cap - a->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        if (a->head && size < a->cap * 2 && a->cap * 2 < ((size_t)64 << 20))
            size = a->cap * 2;
        if (size > SIZE_MAX - CHUNK_HDR) return NULL;
        ws_arena_chunk *c = a->pool ? pool_take(a->pool, size) : NULL;
        if (c) {
            size = c->size; /* a pooled chunk may be larger: use all of it */
        } else {
            c = ws_mem_alloc(a->mem, CHUNK_HDR + size);
            if (!c) return NULL;
            c->size = size;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = size;
    }
    void *p = (char *)a->head + CHUNK_HDR + a->used;
    a->used += n;
    return p;
}

void *ws_arena_calloc(ws_arena *a, size_t n) {
    void *p = ws_arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *ws_arena_strndup(ws_arena *a, const char *s, size_t n) {
    char *p = ws_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void ws_arena_free(ws_arena *a) { ws_arena_release(a, NULL); }

void ws_arena_release(ws_arena *a, ws_arena_pool *pool) {
    ws_arena_chunk *c = a->head;
    while (c) {
        ws_arena_chunk *next = c->next;
        size_t bytes = CHUNK_HDR + c->size;
        if (pool && bytes <= pool->max_bytes / 2 &&
            pool->bytes + bytes <= pool->max_bytes) {
            c->next = pool->free;
            pool->free = c;
            pool->bytes += bytes;
        } else {
            ws_mem_free(a->mem, c, bytes);
        }
        c = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}

void ws_arena_pool_drain(ws_arena_pool *p, const ws_mem *mem) {
    ws_arena_chunk *c = p->free;
    while (c) {
        ws_arena_chunk *next = c->next;
        ws_mem_free(mem, c, CHUNK_HDR + c->size);
        c = next;
    }
    p->free = NULL;
    p->bytes = 0;
}

int ws_vec_grow(ws_arena *a, void **v, size_t *cap, size_t elem, size_t need) {
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem) return -1;
        ncap *= 2;
    }
    void *nv = ws_arena_alloc(a, ncap * elem);
    if (!nv) return -1;
    if (*v && *cap) memcpy(nv, *v, *cap * elem);
    *v = nv;
    *cap = ncap;
    return 0;
}
