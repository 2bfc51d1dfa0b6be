/*
 * fuzz_reader.h - the streaming-reader check shared by fuzz_warc.c and
 * fuzz_jsonl.c (include after fuzz_common.h).
 *
 * fz_reader_check(data, size, format) reads the same bytes twice:
 *   A. ws_reader_open_mem() on the buffer;
 *   B. ws_reader_open() on "/dev/fd/N", the read end of a pipe that a
 *      thread fills in small chunks of 1..61 bytes (sizes from a generator
 *      seeded by the input), so every read of the reader is short;
 * and asserts that both give the same sequence of statuses, error messages
 * and records (format, id, url, date, charset, source, offset, payload), and
 * the same final counts (records, skips by reason, errors, bytes read).
 * Every record has its payload inside the reader's buffer (NUL-terminated at
 * len), its strings are NULL or NUL-terminated UTF-8, an error has a
 * message naming the input; the first FZ_ARTICLES records also go through
 * the whole article path (fz_article), twice, with identical JSON.
 */
#ifndef WS_FUZZ_READER_H
#define WS_FUZZ_READER_H

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#define FZ_MAX_RECORDS 2000 /* a bound on one input's records (no hang) */
#define FZ_ARTICLES 4

typedef struct fz_rec {
    ws_status st;
    char *msg;
    ws_record r;
    char *buf; /* id, url, date, charset, source, data copies */
} fz_rec;

typedef struct fz_writer {
    int fd;
    const uint8_t *data;
    size_t size;
    uint64_t seed;
} fz_writer;

static inline void *fz_writer_main(void *arg) {
    fz_writer *w = arg;
    uint64_t x = w->seed | 1;
    size_t off = 0;
    while (off < w->size) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = 1 + (size_t)(x % 61);
        if (n > w->size - off) n = w->size - off;
        ssize_t k = write(w->fd, w->data + off, n);
        if (k <= 0) break; /* the reader stopped early: EPIPE */
        off += (size_t)k;
    }
    close(w->fd);
    return NULL;
}

static inline char *fz_dup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) abort();
    memcpy(p, s, n);
    return p;
}

static inline int fz_streq(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

/* Checks one returned record and copies what is compared. */
static inline void fz_take(fz_rec *out, ws_status st, const ws_reader *rd, const ws_record *rec) {
    memset(out, 0, sizeof *out);
    out->st = st;
    if (st != WS_OK && st != WS_DONE) {
        const char *m = ws_reader_errmsg(rd);
        if (!m || !*m) fz_violation("error without a message", (size_t)st, 0);
        fz_check_str(m, "error message not UTF-8");
        out->msg = fz_dup(m);
        return;
    }
    if (st != WS_OK) return;
    if (rec->len && !rec->data) fz_violation("record data NULL", rec->len, 0);
    if (rec->format != WS_FORMAT_TEXT && rec->format != WS_FORMAT_HTML &&
        rec->format != WS_FORMAT_JSONL)
        fz_violation("record format", (size_t)rec->format, 0);
    if (rec->data && rec->data[rec->len] != 0) fz_violation("payload not NUL-terminated", rec->len, 0);
    fz_check_meta_str(rec->id, "record id not UTF-8");
    fz_check_meta_str(rec->url, "record url not UTF-8");
    fz_check_meta_str(rec->date, "record date not UTF-8");
    fz_check_meta_str(rec->charset, "record charset not UTF-8");
    fz_check_str(rec->source, "record source not UTF-8");
    out->r = *rec;
    out->r.id = fz_dup(rec->id);
    out->r.url = fz_dup(rec->url);
    out->r.date = fz_dup(rec->date);
    out->r.charset = fz_dup(rec->charset);
    out->r.source = fz_dup(rec->source);
    out->buf = malloc(rec->len + 1);
    if (!out->buf) abort();
    if (rec->len) memcpy(out->buf, rec->data, rec->len);
    out->buf[rec->len] = 0;
    out->r.data = out->buf;
}

static inline void fz_rec_free(fz_rec *r) {
    free(r->msg);
    free((char *)r->r.id);
    free((char *)r->r.url);
    free((char *)r->r.date);
    free((char *)r->r.charset);
    free((char *)r->r.source);
    free(r->buf);
}

static inline void fz_rec_same(const fz_rec *a, const fz_rec *b, size_t i) {
    if (a->st != b->st) fz_violation("chunked: status differs", i, (size_t)b->st);
    if (!fz_streq(a->msg, b->msg)) {
        fprintf(stderr, "whole: %s\nchunked: %s\n", a->msg ? a->msg : "(null)",
                b->msg ? b->msg : "(null)");
        fz_violation("chunked: error message differs", i, 0);
    }
    if (a->st != WS_OK) return;
    if (a->r.format != b->r.format) fz_violation("chunked: format differs", i, 0);
    if (!fz_streq(a->r.id, b->r.id)) fz_violation("chunked: id differs", i, 0);
    if (!fz_streq(a->r.url, b->r.url)) fz_violation("chunked: url differs", i, 0);
    if (!fz_streq(a->r.date, b->r.date)) fz_violation("chunked: date differs", i, 0);
    if (!fz_streq(a->r.charset, b->r.charset)) fz_violation("chunked: charset differs", i, 0);
    if (!fz_streq(a->r.source, b->r.source)) fz_violation("chunked: source differs", i, 0);
    if (a->r.offset != b->r.offset)
        fz_violation("chunked: offset differs", (size_t)a->r.offset, (size_t)b->r.offset);
    if (a->r.len != b->r.len || memcmp(a->r.data, b->r.data, a->r.len) != 0)
        fz_violation("chunked: payload differs", a->r.len, b->r.len);
}

/* Reads every record of rd into a malloc'd array (*n entries, the last one
 * WS_DONE or the FZ_MAX_RECORDS-th). When eng is set, the first records go
 * through fz_article. */
static fz_rec *fz_read_all(ws_reader *rd, size_t *n, const ws_engine *eng) {
    size_t cap = 16;
    fz_rec *v = malloc(cap * sizeof *v);
    if (!v) abort();
    *n = 0;
    size_t articles = 0;
    for (;;) {
        ws_record rec;
        memset(&rec, 0, sizeof rec);
        ws_status st = ws_reader_next(rd, &rec);
        if (st != WS_OK && st != WS_DONE && st != WS_ERR_FORMAT && st != WS_ERR_IO &&
            st != WS_ERR_TOO_LARGE)
            fz_violation("ws_reader_next status", (size_t)st, *n);
        if (*n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            if (!v) abort();
        }
        fz_take(&v[(*n)++], st, rd, &rec);
        if (st == WS_OK && eng && articles < FZ_ARTICLES) {
            articles++;
            char *j1, *j2;
            size_t l1, l2;
            ws_status s1 = fz_article(eng, &rec, &j1, &l1);
            ws_status s2 = fz_article(eng, &rec, &j2, &l2);
            if (s1 != s2) fz_violation("two runs differ in status", (size_t)s1, (size_t)s2);
            if (l1 != l2 || (j1 && memcmp(j1, j2, l1) != 0))
                fz_violation("two runs differ", l1, l2);
            free(j1);
            free(j2);
        }
        if (st == WS_DONE || *n >= FZ_MAX_RECORDS) break;
    }
    return v;
}

static inline void fz_reader_check(const uint8_t *data, size_t size, ws_format format,
                            size_t max_record_bytes) {
    const ws_engine *eng = fz_engine();
    char *copy = fz_copy(data, size);
    ws_reader_options opt;
    memset(&opt, 0, sizeof opt);
    opt.format = format;
    opt.max_record_bytes = max_record_bytes;

    int fds[2];
    if (pipe(fds) != 0) abort();
    char name[32];
    snprintf(name, sizeof name, "/dev/fd/%d", fds[0]);

    /* A: whole buffer */
    ws_reader *ra = NULL;
    if (ws_reader_open_mem(copy, size, name, &opt, &ra) != WS_OK || !ra)
        fz_violation("ws_reader_open_mem", size, 0);
    size_t na = 0;
    fz_rec *va = fz_read_all(ra, &na, eng);
    ws_reader_stats sa;
    ws_reader_stats_get(ra, &sa);
    ws_reader_free(ra);

    /* B: the same bytes through a pipe in small chunks */
    uint64_t seed = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++) seed = (seed ^ data[i]) * 1099511628211ull;
    fz_writer w = {fds[1], (const uint8_t *)copy, size, seed};
    pthread_t th;
    if (pthread_create(&th, NULL, fz_writer_main, &w) != 0) abort();
    ws_reader *rb = NULL;
    if (ws_reader_open(name, &opt, &rb) != WS_OK || !rb)
        fz_violation("ws_reader_open on a pipe", size, 0);
    size_t nb = 0;
    fz_rec *vb = fz_read_all(rb, &nb, NULL);
    ws_reader_stats sb;
    ws_reader_stats_get(rb, &sb);
    ws_reader_free(rb);
    close(fds[0]); /* unblocks the writer if the reader stopped early */
    pthread_join(th, NULL);

    size_t common = na < nb ? na : nb;
    for (size_t i = 0; i < common; i++) fz_rec_same(&va[i], &vb[i], i);
    if (na != nb) fz_violation("chunked: record count differs", na, nb);
    if (sa.records != sb.records) fz_violation("chunked: stats.records", sa.records, sb.records);
    if (sa.errors != sb.errors) fz_violation("chunked: stats.errors", sa.errors, sb.errors);
    for (int k = 0; k < WS_SKIP_COUNT; k++)
        if (sa.skipped[k] != sb.skipped[k])
            fz_violation("chunked: stats.skipped", (size_t)k, (size_t)sb.skipped[k]);
    if (va[na - 1].st == WS_DONE && sa.bytes_read != size)
        fz_violation("stats.bytes_read at the end", (size_t)sa.bytes_read, size);
    for (size_t i = 0; i < na; i++) fz_rec_free(&va[i]);
    for (size_t i = 0; i < nb; i++) fz_rec_free(&vb[i]);
    free(va);
    free(vb);
    free(copy);
}

#endif
