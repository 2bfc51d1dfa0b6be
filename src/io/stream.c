/*
 * stream.c - a decoded byte stream over a file descriptor or a memory
 * buffer. gzip input (one or many members, as WARC files have) is
 * inflated with zlib as it is read; a corrupt member is counted and the
 * stream resynchronises at the next gzip member header. Memory is bounded
 * by what the caller asks to see at once, never by the input's size.
 */
#include "io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- growable bytes --------------------------------------------------- */

int ws_bytes_reserve(ws_bytes *b, size_t extra) {
    if (b->cap - b->n > extra) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n <= extra) {
        if (cap > SIZE_MAX / 2) return -1;
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

int ws_bytes_add(ws_bytes *b, const void *p, size_t n) {
    if (ws_bytes_reserve(b, n)) return -1;
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

void ws_bytes_free(ws_bytes *b) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- opening ---------------------------------------------------------- */

static void stream_init(ws_stream *s) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

int ws_stream_open_fd(ws_stream *s, int fd) {
    stream_init(s);
    s->fd = fd;
    s->raw = malloc(WS_STREAM_RAW);
    if (!s->raw) return -1;
    /* sniff gzip from the first bytes */
    while (s->raw_len < 3) {
        ssize_t n = read(fd, s->raw + s->raw_len, WS_STREAM_RAW - s->raw_len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            s->io_err = errno;
            break;
        }
        if (n == 0) break;
        s->raw_len += (size_t)n;
    }
    s->gz = s->raw_len >= 3 && s->raw[0] == 0x1f && s->raw[1] == 0x8b && s->raw[2] == 8;
    if (!s->gz) { /* plain: the raw bytes become the first decoded ones */
        s->buf = s->raw;
        s->cap = WS_STREAM_RAW;
        s->end = s->raw_len;
        s->raw = NULL;
        s->raw_len = 0;
        if (s->io_err) s->eof = 1;
    }
    return 0;
}

int ws_stream_open_mem(ws_stream *s, const void *data, size_t len) {
    stream_init(s);
    s->mem = data;
    s->mem_len = len;
    const unsigned char *u = data;
    s->gz = len >= 3 && u[0] == 0x1f && u[1] == 0x8b && u[2] == 8;
    s->raw_eof = 1;
    s->raw_len = len;
    if (!s->gz) { /* plain memory is read in place (never written) */
        s->buf = (unsigned char *)(uintptr_t)data;
        s->eof = 1;
        s->end = len;
    }
    return 0;
}

void ws_stream_close(ws_stream *s) {
    if (s->z_init) inflateEnd(&s->z);
    if (s->fd >= 0) close(s->fd);
    free(s->raw);
    if (!(s->mem && !s->gz)) free(s->buf);
    stream_init(s);
}

/* The raw bytes: the fd buffer or the memory input. */
static const unsigned char *raw_ptr(const ws_stream *s) {
    return s->mem ? s->mem : s->raw;
}

/* Reads more raw bytes, keeping the keep unread ones at the front.
 * Returns the bytes now unread. */
static size_t raw_refill(ws_stream *s) {
    size_t left = s->raw_len - s->raw_pos;
    if (s->mem || s->raw_eof) return left;
    memmove(s->raw, s->raw + s->raw_pos, left);
    s->raw_off += s->raw_pos;
    s->raw_pos = 0;
    s->raw_len = left;
    for (;;) {
        ssize_t n = read(s->fd, s->raw + left, WS_STREAM_RAW - left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            s->io_err = errno;
            s->raw_eof = 1;
        } else if (n == 0) {
            s->raw_eof = 1;
        } else {
            s->raw_len += (size_t)n;
        }
        break;
    }
    return s->raw_len - s->raw_pos;
}

uint64_t ws_stream_raw_pos(const ws_stream *s) {
    if (!s->gz) return s->dec_off;
    return s->raw_off + s->raw_pos;
}

uint64_t ws_stream_raw_of(const ws_stream *s, uint64_t dec) {
    if (!s->gz) return dec;
    uint64_t r = 0;
    for (size_t i = 0; i < s->n_marks; i++)
        if (s->mark_dec[i] <= dec) r = s->mark_raw[i];
    return r;
}

static void add_mark(ws_stream *s) {
    if (s->n_marks == WS_STREAM_MARKS) {
        memmove(s->mark_dec, s->mark_dec + 1, (WS_STREAM_MARKS - 1) * sizeof s->mark_dec[0]);
        memmove(s->mark_raw, s->mark_raw + 1, (WS_STREAM_MARKS - 1) * sizeof s->mark_raw[0]);
        s->n_marks--;
    }
    s->mark_dec[s->n_marks] = s->dec_off + (s->end - s->start);
    s->mark_raw[s->n_marks] = s->raw_off + s->raw_pos;
    s->n_marks++;
}

/* Makes room for need more decoded bytes at buf[end]. */
static int make_room(ws_stream *s, size_t need) {
    if (s->cap - s->end >= need) return 0;
    if (s->start) {
        memmove(s->buf, s->buf + s->start, s->end - s->start);
        s->end -= s->start;
        s->start = 0;
        if (s->cap - s->end >= need) return 0;
    }
    size_t cap = s->end + need + WS_STREAM_CHUNK;
    unsigned char *p = realloc(s->buf, cap);
    if (!p) return -1;
    s->buf = p;
    s->cap = cap;
    return 0;
}

/* Finds the next gzip member header; 1 found, 0 at the end. */
static int gz_find_member(ws_stream *s) {
    int junk = 0;
    for (;;) {
        size_t left = s->raw_len - s->raw_pos;
        /* a short read is not the end: read until 3 bytes or the end */
        while (left < 3 && !s->mem && !s->raw_eof) left = raw_refill(s);
        const unsigned char *r = raw_ptr(s) + s->raw_pos;
        if (left >= 3 && r[0] == 0x1f && r[1] == 0x8b && r[2] == 8) {
            if (junk && !s->after_error) s->junk++;
            s->after_error = 0;
            return 1;
        }
        if (left < 3) { /* trailing bytes */
            for (size_t i = 0; i < left; i++) junk |= r[i] != 0;
            s->raw_pos += left;
            if (junk && !s->after_error) s->junk++;
            s->after_error = 0;
            return 0;
        }
        /* skip to the next 0x1f */
        const unsigned char *q = memchr(r + 1, 0x1f, left - 1);
        size_t skip = q ? (size_t)(q - r) : left - 2;
        for (size_t i = 0; i < skip; i++) junk |= r[i] != 0;
        s->raw_pos += skip;
    }
}

/* One inflate step: decodes some bytes or reaches the end. */
static void gz_step(ws_stream *s) {
    if (!s->z_live) {
        if (!gz_find_member(s)) {
            s->eof = 1;
            return;
        }
        int zr = s->z_init ? inflateReset(&s->z) : inflateInit2(&s->z, 16 + MAX_WBITS);
        if (zr != Z_OK) {
            s->io_err = ENOMEM;
            s->eof = 1;
            return;
        }
        s->z_init = 1;
        s->z_live = 1;
        add_mark(s);
    }
    if (make_room(s, WS_STREAM_CHUNK / 4)) {
        s->io_err = ENOMEM;
        s->eof = 1;
        return;
    }
    size_t left = s->raw_len - s->raw_pos;
    if (left == 0) left = raw_refill(s);
    if (left == 0) { /* the member was cut short by the end of input */
        s->trunc++;
        s->z_live = 0;
        s->eof = 1;
        return;
    }
    s->z.next_in = (unsigned char *)(uintptr_t)(raw_ptr(s) + s->raw_pos);
    s->z.avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
    s->z.next_out = s->buf + s->end;
    size_t room = s->cap - s->end;
    s->z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
    uInt in0 = s->z.avail_in, out0 = s->z.avail_out;
    int zr = inflate(&s->z, Z_NO_FLUSH);
    s->raw_pos += in0 - s->z.avail_in;
    s->end += out0 - s->z.avail_out;
    if (zr == Z_STREAM_END) {
        s->z_live = 0;
    } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR) {
        s->corrupt++;
        s->halt = 1; /* the reader sees the damage before the next member */
        s->resync_off = s->dec_off + (s->end - s->start);
        s->bad_start = s->n_marks ? s->mark_dec[s->n_marks - 1] : 0;
        s->after_error = 1;
        s->z_live = 0;
        /* resync: look for the next member after this one's header */
        uint64_t mstart = s->n_marks ? s->mark_raw[s->n_marks - 1] : 0;
        if (s->raw_off + s->raw_pos <= mstart) s->raw_pos = (size_t)(mstart - s->raw_off) + 1;
    } else if (zr == Z_MEM_ERROR) {
        s->io_err = ENOMEM;
        s->eof = 1;
    }
}

int ws_stream_member_bad(ws_stream *s, size_t limit) {
    if (!s->gz) return 0;
    for (;;) {
        if (s->halt) /* the first error from here on: is it this member's? */
            return s->bad_start < s->dec_off && s->resync_off - s->dec_off < limit;
        /* the member holding the last byte read has ended cleanly: the one
         * being decoded started at or after it (or none is) */
        if (!s->z_live || (s->n_marks && s->mark_dec[s->n_marks - 1] >= s->dec_off)) return 0;
        if (s->eof || s->end - s->start >= limit) return 0;
        gz_step(s);
    }
}

size_t ws_stream_fill(ws_stream *s, size_t want) {
    while (s->end - s->start < want && !s->eof && !s->halt) {
        if (s->gz) {
            gz_step(s);
            continue;
        }
        size_t need = want - (s->end - s->start);
        if (need < WS_STREAM_CHUNK / 4) need = WS_STREAM_CHUNK / 4;
        if (make_room(s, need)) {
            s->io_err = ENOMEM;
            s->eof = 1;
            break;
        }
        ssize_t n = read(s->fd, s->buf + s->end, s->cap - s->end);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) s->io_err = errno;
        if (n <= 0) s->eof = 1;
        else s->end += (size_t)n;
    }
    return s->end - s->start;
}

void ws_stream_consume(ws_stream *s, size_t n) {
    if (n > s->end - s->start) n = s->end - s->start;
    s->start += n;
    s->dec_off += n;
    if (s->start == s->end && !(s->mem && !s->gz)) s->start = s->end = 0;
}

/* ---- lines and blocks -------------------------------------------------- */

int ws_stream_line(ws_stream *s, ws_bytes *out, size_t max) {
    size_t scanned = 0;
    int over = 0;
    for (;;) {
        size_t avail = ws_stream_avail(s);
        const unsigned char *p = ws_stream_ptr(s);
        const unsigned char *nl = avail > scanned ? memchr(p + scanned, '\n', avail - scanned) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - p) + 1;
            /* len counts from p: the line so far (over: only its tail) */
            if (!over && len > max) over = 1;
            if (!over && ws_bytes_add(out, p, len)) over = 1;
            ws_stream_consume(s, len);
            return over ? 2 : 1;
        }
        scanned = avail;
        if (over || scanned >= max) { /* drop what we have, keep looking */
            over = 1;
            ws_stream_consume(s, avail);
            scanned = 0;
        }
        size_t got = ws_stream_fill(s, scanned + 1);
        if (got <= scanned) { /* the end of input */
            if (over) return 2;
            if (got == 0) return 0;
            if (ws_bytes_add(out, ws_stream_ptr(s), got)) {
                ws_stream_consume(s, got);
                return 2;
            }
            ws_stream_consume(s, got);
            return 1;
        }
    }
}

size_t ws_stream_read(ws_stream *s, ws_bytes *out, size_t n) {
    size_t done = 0;
    if (ws_bytes_reserve(out, n < ((size_t)1 << 20) ? n : ((size_t)1 << 20))) return 0;
    while (done < n) {
        size_t avail = ws_stream_avail(s);
        if (!avail) {
            size_t want = n - done;
            avail = ws_stream_fill(s, want < WS_STREAM_CHUNK ? want : WS_STREAM_CHUNK);
            if (!avail) break;
        }
        size_t k = WS_MIN(avail, n - done);
        if (ws_bytes_add(out, ws_stream_ptr(s), k)) break;
        ws_stream_consume(s, k);
        done += k;
    }
    return done;
}

size_t ws_stream_skip(ws_stream *s, size_t n) {
    size_t done = 0;
    while (done < n) {
        size_t avail = ws_stream_avail(s);
        if (!avail) {
            size_t want = n - done;
            avail = ws_stream_fill(s, want < WS_STREAM_CHUNK ? want : WS_STREAM_CHUNK);
            if (!avail) break;
        }
        size_t k = WS_MIN(avail, n - done);
        ws_stream_consume(s, k);
        done += k;
    }
    return done;
}
