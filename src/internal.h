/*
 * internal.h - shared internals of libwhosaid: memory, arena, spans.
 * Not installed. Internal modules use sub-prefixes (ws_tok_, ws_quote_...).
 */
#ifndef WS_INTERNAL_H
#define WS_INTERNAL_H

#include "whosaid.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The allocator in force: the user's hook or libc. */
typedef struct ws_mem {
    ws_allocator a;
} ws_mem;

void ws_mem_init(ws_mem *m, const ws_allocator *user);
void *ws_mem_alloc(const ws_mem *m, size_t n);
void *ws_mem_realloc(const ws_mem *m, void *p, size_t old_n, size_t new_n);
void ws_mem_free(const ws_mem *m, void *p, size_t n);

/*
 * A large table read at random (model weights): n bytes aligned to
 * WS_TABLE_ALIGN inside an allocation of ws_table_alloc_size(n) bytes,
 * which *base receives (free it with ws_mem_free(m, *base,
 * ws_table_alloc_size(n))). On Linux the aligned part is advised as huge
 * pages, so lookups miss the TLB less. NULL when out of memory.
 */
#define WS_TABLE_ALIGN ((size_t)2 << 20)
static inline size_t ws_table_alloc_size(size_t n) {
    return n >= WS_TABLE_ALIGN ? n + WS_TABLE_ALIGN : n + 64;
}
void *ws_table_alloc(const ws_mem *m, size_t n, void **base);

/*
 * Arena: bump allocation in chunks, freed all at once. Every object of one
 * ws_doc lives in the doc's arena. Allocation failure returns NULL.
 */
typedef struct ws_arena_chunk ws_arena_chunk;

/*
 * A pool of free arena chunks kept from one document to the next (one per
 * ws_cache, so one thread at a time): an arena that has a pool takes its
 * new chunks from it when one is large enough, and ws_arena_release()
 * gives chunks back to it instead of to the allocator, so a worker does
 * not return its documents' memory to the system and fault it in again
 * for the next one. Bounded: at most max_bytes of chunks (of at most
 * max_bytes / 2 each) are kept; the rest are freed as usual.
 */
typedef struct ws_arena_pool {
    ws_arena_chunk *free; /* singly linked by chunk->next */
    size_t bytes;         /* chunk bytes held (headers included) */
    size_t max_bytes;
} ws_arena_pool;

typedef struct ws_arena {
    const ws_mem *mem;
    ws_arena_chunk *head;
    size_t used, cap; /* of the head chunk */
    ws_arena_pool *pool; /* where new chunks come from first, or NULL */
} ws_arena;

void ws_arena_init(ws_arena *a, const ws_mem *mem);
void *ws_arena_alloc(ws_arena *a, size_t n);  /* 16-byte aligned */
void *ws_arena_calloc(ws_arena *a, size_t n); /* zeroed */
char *ws_arena_strndup(ws_arena *a, const char *s, size_t n);
void ws_arena_free(ws_arena *a);
/* Frees the arena's chunks into pool (NULL: ws_arena_free) up to its
 * bound; the arena is empty afterwards. */
void ws_arena_release(ws_arena *a, ws_arena_pool *pool);
/* Frees every chunk the pool holds. */
void ws_arena_pool_drain(ws_arena_pool *p, const ws_mem *mem);

/*
 * Growable array in an arena (old storage is abandoned to the arena).
 * Usage: WS_VEC(ws_token) toks; ... WS_VEC_PUSH(arena, toks, tok) returns 0
 * on success, -1 on out of memory.
 */
#define WS_VEC(T) struct { T *v; size_t n, cap; }
int ws_vec_grow(ws_arena *a, void **v, size_t *cap, size_t elem, size_t need);
#define WS_VEC_RESERVE(ar, vec, need)                                       \
    ((need) <= (vec).cap ? 0                                                \
                         : ws_vec_grow((ar), (void **)&(vec).v, &(vec).cap, \
                                       sizeof(*(vec).v), (need)))
#define WS_VEC_PUSH(ar, vec, item)                                      \
    (WS_VEC_RESERVE(ar, vec, (vec).n + 1) ? -1                          \
                                          : ((vec).v[(vec).n++] = (item), 0))

/* Internal span: 32-bit byte offsets (documents are capped below 4 GiB). */
typedef struct ws_sp {
    uint32_t start, end;
} ws_sp;

/* A hint to fetch memory that will be read soon (no effect elsewhere). */
#if defined(__GNUC__)
#define WS_PREFETCH(p) __builtin_prefetch(p)
#else
#define WS_PREFETCH(p) ((void)(p))
#endif

#define WS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define WS_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Error helpers: keep error paths one line long. */
#define WS_RETURN_IF(cond, code) \
    do {                         \
        if (cond) return (code); \
    } while (0)
#define WS_FORWARD_IF_ERROR(expr)          \
    do {                                   \
        ws_status ws_st_ = (expr);         \
        if (ws_st_ != WS_OK) return ws_st_; \
    } while (0)

/* FNV-1a 64-bit hash, used for feature hashing and lexicon lookups. */
static inline uint64_t ws_hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}
#define WS_HASH_SEED 14695981039346656037ULL

#endif /* WS_INTERNAL_H */
