/*
 * merge.c - ws_pipeline_merge: many shards of whosaid JSON Lines (plain or
 * gzip) into one deterministic stream.
 *
 * Every line is keyed by its "url" (else its "id", else the line itself),
 * and the lines are sorted by (key, line bytes); of the lines sharing a key
 * only the first (the smallest line) is kept. The result depends on the set
 * of lines only, not on the order or the split of the shards.
 *
 * An external merge sort keeps memory bounded: lines are gathered until the
 * budget is reached, sorted, and written as a run to an unlinked temporary
 * file; the runs are then merged with a binary heap. When everything fits
 * in one chunk no run is written.
 */
#include "doc.h"
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define WS_MERGE_DEFAULT_MEM ((size_t)256 << 20)
#define WS_MERGE_MAX_LINE ((size_t)1 << 30)

typedef struct mline {
    const char *key;
    size_t klen;
    const char *line;
    size_t llen;
} mline;

typedef struct mctx {
    ws_pipeline_merge_options o;
    ws_pipeline_merge_stats *st;
    char *err;
    size_t errlen;
    /* the current chunk */
    mline *v;
    size_t n, cap;
    char **blocks; /* memory of keys and lines */
    size_t nblocks, bcap;
    size_t used;   /* bytes held by the chunk */
    FILE **runs;
    size_t nruns, rcap;
    ws_status status;
} mctx;

static void set_err(mctx *c, ws_status st, const char *fmt, ...) {
    if (c->status == WS_OK || c->status == WS_ERR_FORMAT) c->status = st;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->errlen) snprintf(c->err, c->errlen, "%s", msg);
    if (c->o.error) c->o.error(c->o.error_ud, msg);
}

static int cmp_key(const char *a, size_t an, const char *b, size_t bn) {
    int r = memcmp(a, b, an < bn ? an : bn);
    return r ? r : (an > bn) - (an < bn);
}

static int cmp_mline(const mline *a, const mline *b) {
    int r = cmp_key(a->key, a->klen, b->key, b->klen);
    return r ? r : cmp_key(a->line, a->llen, b->line, b->llen);
}

static int qcmp(const void *a, const void *b) { return cmp_mline(a, b); }

/* The key of a line: 'u' + url, else 'i' + id, else 'l' + the line. NULL
 * when the line is not a JSON object. */
static char *line_key(const char *line, size_t len, size_t *klen) {
    json_t *j = json_loadb(line, len, 0, NULL);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    const char *k = NULL;
    size_t kn = 0;
    char tag = 'l';
    json_t *u = json_object_get(j, "url");
    json_t *id = json_object_get(j, "id");
    if (json_is_string(u) && json_string_length(u)) {
        tag = 'u';
        k = json_string_value(u);
        kn = json_string_length(u);
    } else if (json_is_string(id) && json_string_length(id)) {
        tag = 'i';
        k = json_string_value(id);
        kn = json_string_length(id);
    } else {
        k = line;
        kn = len;
    }
    char *out = malloc(kn + 1);
    if (out) {
        out[0] = tag;
        memcpy(out + 1, k, kn);
        *klen = kn + 1;
    }
    json_decref(j);
    return out;
}

static void chunk_clear(mctx *c) {
    for (size_t i = 0; i < c->nblocks; i++) free(c->blocks[i]);
    c->nblocks = 0;
    c->n = 0;
    c->used = 0;
}

/* Keeps key and line (copied) in the chunk. */
static int chunk_add(mctx *c, const char *key, size_t klen, const char *line, size_t llen) {
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 1024;
        mline *nv = realloc(c->v, ncap * sizeof *nv);
        if (!nv) return -1;
        c->v = nv;
        c->cap = ncap;
    }
    if (c->nblocks == c->bcap) {
        size_t ncap = c->bcap ? c->bcap * 2 : 1024;
        char **nb = realloc(c->blocks, ncap * sizeof *nb);
        if (!nb) return -1;
        c->blocks = nb;
        c->bcap = ncap;
    }
    char *mem = malloc(klen + llen);
    if (!mem) return -1;
    memcpy(mem, key, klen);
    memcpy(mem + klen, line, llen);
    c->blocks[c->nblocks++] = mem;
    c->v[c->n++] = (mline){mem, klen, mem + klen, llen};
    c->used += klen + llen + sizeof(mline) + 2 * sizeof(char *) + 32;
    return 0;
}

static int put_u64(FILE *f, uint64_t x) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(x >> (8 * i));
    return fwrite(b, 1, 8, f) == 8 ? 0 : -1;
}

/* Sorts the chunk and writes it as a run. */
static int chunk_spill(mctx *c) {
    qsort(c->v, c->n, sizeof *c->v, qcmp);
    if (c->nruns == c->rcap) {
        size_t ncap = c->rcap ? c->rcap * 2 : 16;
        FILE **nr = realloc(c->runs, ncap * sizeof *nr);
        if (!nr) return -1;
        c->runs = nr;
        c->rcap = ncap;
    }
    const char *dir = c->o.tmpdir ? c->o.tmpdir : getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    size_t dn = strlen(dir);
    char *path = malloc(dn + 32);
    if (!path) return -1;
    snprintf(path, dn + 32, "%s/whosaid-merge-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (fd >= 0) unlink(path);
    if (!f) {
        set_err(c, WS_ERR_IO, "%s: %s", dir, strerror(errno));
        if (fd >= 0) close(fd);
        free(path);
        return -1;
    }
    free(path);
    c->runs[c->nruns++] = f;
    for (size_t i = 0; i < c->n; i++) {
        const mline *m = &c->v[i];
        if (put_u64(f, m->klen) || put_u64(f, m->llen) || fwrite(m->key, 1, m->klen, f) != m->klen ||
            fwrite(m->line, 1, m->llen, f) != m->llen) {
            set_err(c, WS_ERR_IO, "%s: a temporary run: %s", dir, strerror(errno ? errno : EIO));
            return -1;
        }
    }
    if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
        set_err(c, WS_ERR_IO, "%s: a temporary run: %s", dir, strerror(errno ? errno : EIO));
        return -1;
    }
    c->st->runs++;
    chunk_clear(c);
    return 0;
}

/* Takes one line of a shard. Returns -1 on a fatal error. */
static int take_line(mctx *c, const char *path, uint64_t lineno, const char *line, size_t len) {
    if (len && line[len - 1] == '\r') len--;
    size_t sp = 0;
    while (sp < len && (line[sp] == ' ' || line[sp] == '\t')) sp++;
    if (sp == len) return 0; /* blank line */
    c->st->lines++;
    size_t klen = 0;
    char *key = line_key(line, len, &klen);
    if (!key) {
        c->st->bad++;
        set_err(c, WS_ERR_FORMAT, "%s: line %llu: not a JSON object", path,
                (unsigned long long)lineno);
        return 0;
    }
    int rc = chunk_add(c, key, klen, line, len);
    free(key);
    if (rc) {
        set_err(c, WS_ERR_NOMEM, "%s: out of memory", path);
        return -1;
    }
    if (c->used >= c->o.max_memory && chunk_spill(c)) return -1;
    return 0;
}

/* Reads a shard (plain or gzip) line by line into the chunks. */
static int read_shard(mctx *c, const char *path) {
    gzFile g = gzopen(path, "rb");
    if (!g) {
        set_err(c, WS_ERR_IO, "%s: %s", path, strerror(errno ? errno : ENOENT));
        c->st->unreadable++;
        return 0;
    }
    gzbuffer(g, 1 << 17);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    uint64_t lineno = 0;
    int fatal = 0;
    char tmp[1 << 16];
    int skipping = 0; /* in a line over WS_MERGE_MAX_LINE: drop to its end */
    for (;;) {
        int got = gzread(g, tmp, sizeof tmp);
        if (got < 0) {
            int e;
            const char *m = gzerror(g, &e);
            set_err(c, WS_ERR_IO, "%s: %s", path, e == Z_ERRNO ? strerror(errno) : m);
            break;
        }
        if (got == 0) break;
        size_t i = 0;
        while (i < (size_t)got) {
            const char *nl = memchr(tmp + i, '\n', (size_t)got - i);
            size_t n = nl ? (size_t)(nl - (tmp + i)) : (size_t)got - i;
            if (!skipping && len + n > WS_MERGE_MAX_LINE) {
                c->st->lines++;
                c->st->bad++;
                set_err(c, WS_ERR_FORMAT, "%s: line %llu: over %zu bytes, skipped", path,
                        (unsigned long long)lineno + 1, WS_MERGE_MAX_LINE);
                skipping = 1;
                len = 0;
            }
            if (!skipping && len + n > cap) {
                size_t ncap = (len + n) * 2;
                char *nb = realloc(buf, ncap);
                if (!nb) {
                    set_err(c, WS_ERR_NOMEM, "%s: line %llu: out of memory", path,
                            (unsigned long long)lineno + 1);
                    fatal = 1;
                    break;
                }
                buf = nb;
                cap = ncap;
            }
            if (!skipping) {
                memcpy(buf + len, tmp + i, n);
                len += n;
            }
            i += n;
            if (nl) {
                i++;
                lineno++;
                if (!skipping && take_line(c, path, lineno, buf, len)) {
                    fatal = 1;
                    break;
                }
                skipping = 0;
                len = 0;
            }
        }
        if (fatal) break;
    }
    if (!fatal && !skipping && len && take_line(c, path, ++lineno, buf, len)) fatal = 1;
    free(buf);
    gzclose(g);
    c->st->shards++;
    return fatal ? -1 : 0;
}

/* ---- the output: dedupe sorted lines ------------------------------------ */

typedef struct emitter {
    char *last;
    size_t lastn, lastcap;
    int have;
} emitter;

static int emit(mctx *c, emitter *e, const mline *m) {
    if (e->have && cmp_key(e->last, e->lastn, m->key, m->klen) == 0) {
        c->st->duplicates++;
        return 0;
    }
    if (m->klen > e->lastcap) {
        char *nb = realloc(e->last, m->klen);
        if (!nb) {
            set_err(c, WS_ERR_NOMEM, "out of memory");
            return -1;
        }
        e->last = nb;
        e->lastcap = m->klen;
    }
    memcpy(e->last, m->key, m->klen);
    e->lastn = m->klen;
    e->have = 1;
    c->st->written++;
    if (c->o.write(c->o.write_ud, m->line, m->llen)) {
        set_err(c, WS_ERR_IO, "output: write failed");
        return -1;
    }
    return 0;
}

/* One run being merged: its current entry. */
typedef struct runrd {
    FILE *f;
    mline cur;
    char *buf;
    size_t cap;
} runrd;

static int get_u64(FILE *f, uint64_t *x) {
    unsigned char b[8];
    if (fread(b, 1, 8, f) != 8) return -1;
    *x = 0;
    for (int i = 7; i >= 0; i--) *x = (*x << 8) | b[i];
    return 0;
}

/* Reads a run's next entry: 1 read, 0 end, -1 error. */
static int run_next(runrd *r) {
    uint64_t kn, ln;
    if (get_u64(r->f, &kn)) return feof(r->f) ? 0 : -1;
    if (get_u64(r->f, &ln) || kn + ln > 2 * WS_MERGE_MAX_LINE) return -1;
    if (kn + ln > r->cap) {
        char *nb = realloc(r->buf, kn + ln);
        if (!nb) return -1;
        r->buf = nb;
        r->cap = kn + ln;
    }
    if (fread(r->buf, 1, kn + ln, r->f) != kn + ln) return -1;
    r->cur = (mline){r->buf, kn, r->buf + kn, ln};
    return 1;
}

static int heap_less(runrd *const *h, size_t a, size_t b) {
    return cmp_mline(&h[a]->cur, &h[b]->cur) < 0;
}

static void heap_down(runrd **h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && heap_less(h, l, m)) m = l;
        if (r < n && heap_less(h, r, m)) m = r;
        if (m == i) return;
        runrd *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int merge_runs(mctx *c, emitter *e) {
    size_t n = c->nruns;
    runrd *rs = calloc(n, sizeof *rs);
    runrd **h = calloc(n, sizeof *h);
    int rc = 0;
    size_t hn = 0;
    if (!rs || !h) {
        set_err(c, WS_ERR_NOMEM, "out of memory");
        rc = -1;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        rs[i].f = c->runs[i];
        int got = run_next(&rs[i]);
        if (got < 0) {
            set_err(c, WS_ERR_IO, "a temporary run: read failed");
            rc = -1;
        } else if (got) {
            h[hn++] = &rs[i];
        }
    }
    for (size_t i = hn / 2; !rc && i-- > 0;) heap_down(h, hn, i);
    while (!rc && hn) {
        runrd *top = h[0];
        if (emit(c, e, &top->cur)) {
            rc = -1;
            break;
        }
        int got = run_next(top);
        if (got < 0) {
            set_err(c, WS_ERR_IO, "a temporary run: read failed");
            rc = -1;
        } else if (!got) {
            h[0] = h[--hn];
        }
        heap_down(h, hn, 0);
    }
    for (size_t i = 0; rs && i < n; i++) free(rs[i].buf);
    free(rs);
    free(h);
    return rc;
}

ws_status ws_pipeline_merge(const char *const *shards, size_t n,
                            const ws_pipeline_merge_options *opts,
                            ws_pipeline_merge_stats *stats, char *err, size_t err_len) {
    ws_pipeline_merge_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    if (err && err_len) err[0] = '\0';
    if ((n && !shards) || !opts || !opts->write) return WS_ERR_INVALID;
    mctx c;
    memset(&c, 0, sizeof c);
    c.o = *opts;
    if (!c.o.max_memory) c.o.max_memory = WS_MERGE_DEFAULT_MEM;
    c.st = stats;
    c.err = err;
    c.errlen = err_len;
    int fatal = 0;
    for (size_t i = 0; i < n && !fatal; i++) fatal = read_shard(&c, shards[i]) != 0;
    if (!fatal) {
        emitter e = {NULL, 0, 0, 0};
        if (c.nruns && c.n) fatal = chunk_spill(&c) != 0;
        if (!fatal && c.nruns) {
            fatal = merge_runs(&c, &e) != 0;
        } else if (!fatal) {
            qsort(c.v, c.n, sizeof *c.v, qcmp);
            for (size_t i = 0; i < c.n && !fatal; i++) fatal = emit(&c, &e, &c.v[i]) != 0;
        }
        free(e.last);
    }
    chunk_clear(&c);
    free(c.v);
    free(c.blocks);
    for (size_t i = 0; i < c.nruns; i++) fclose(c.runs[i]);
    free(c.runs);
    stats->incomplete = fatal;
    return c.status;
}
