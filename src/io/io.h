/*
 * io.h - internals of the readers (src/io/): a byte stream over a file
 * descriptor or a memory buffer, with transparent gzip (multi-member,
 * resynchronising after a corrupt member), and charset conversion.
 */
#ifndef WS_IO_H
#define WS_IO_H

#include "../internal.h"

#include <stdint.h>
#include <zlib.h>

#define WS_STREAM_RAW (256u * 1024u)   /* raw read size */
#define WS_STREAM_CHUNK (256u * 1024u) /* decoded buffer growth step */

/* Boundaries between gzip members, to map decoded offsets to raw ones. */
#define WS_STREAM_MARKS 64

typedef struct ws_stream {
    int fd;                      /* -1 for memory */
    const unsigned char *mem;    /* memory input, or NULL */
    size_t mem_len;
    unsigned char *raw;          /* raw buffer (fd input) */
    size_t raw_len, raw_pos;     /* bytes in raw, next unread */
    uint64_t raw_off;            /* input offset of raw[0] */
    int raw_eof;
    int gz;                      /* input is gzip */
    int z_live;                  /* inside a member */
    z_stream z;
    int z_init;
    unsigned char *buf;          /* decoded bytes [start, end) */
    size_t cap, start, end;
    uint64_t dec_off;            /* decoded offset of buf[start] */
    int eof;                     /* no more decoded bytes will come */
    int io_err;                  /* errno of a failed read, or 0 */
    uint64_t corrupt;            /* corrupt gzip members seen so far */
    uint64_t junk;               /* runs of bytes between members that are
                                    not a gzip member (a damaged header) */
    int halt;                    /* set at a corrupt member: no decoding
                                    until the reader clears it */
    int after_error;             /* the bytes up to the next member belong
                                    to a corrupt one (not junk) */
    uint64_t resync_off;         /* decoded offset where the data of the
                                    last corrupt member ends */
    uint64_t bad_start;          /* decoded offset where the data of the
                                    last corrupt member starts */
    uint64_t trunc;              /* gzip stream cut short at the end */
    /* member starts: decoded offset -> raw offset */
    uint64_t mark_dec[WS_STREAM_MARKS], mark_raw[WS_STREAM_MARKS];
    size_t n_marks;
} ws_stream;

/* Opens over fd (taken, closed by ws_stream_close) or memory. gzip is
 * detected from the first bytes. Returns 0, or -1 on out of memory. */
int ws_stream_open_fd(ws_stream *s, int fd);
int ws_stream_open_mem(ws_stream *s, const void *data, size_t len);
void ws_stream_close(ws_stream *s);
/* Makes at least want decoded bytes available unless the input ends.
 * Returns the bytes available (end - start). */
size_t ws_stream_fill(ws_stream *s, size_t want);
static inline const unsigned char *ws_stream_ptr(const ws_stream *s) {
    /* no buffer yet (empty input): NULL + 0 is undefined behaviour */
    return s->buf ? s->buf + s->start : (const unsigned char *)"";
}
static inline size_t ws_stream_avail(const ws_stream *s) { return s->end - s->start; }
void ws_stream_consume(ws_stream *s, size_t n);
/* gzip: 1 if the member holding the last byte consumed turns out corrupt
 * within limit decoded bytes from here (decodes up to the end of that
 * member, an error, or limit bytes ahead, whichever comes first). The
 * answer depends on the input bytes only, never on how far the stream had
 * decoded ahead or how the reads were cut. 0 for plain input. */
int ws_stream_member_bad(ws_stream *s, size_t limit);
/* Raw bytes consumed so far. */
uint64_t ws_stream_raw_pos(const ws_stream *s);
/* Input offset where the decoded byte at dec_off started: the start of
 * its gzip member for gzip input, else dec_off itself. */
uint64_t ws_stream_raw_of(const ws_stream *s, uint64_t dec_off);

/* Growable byte buffer (malloc). */
typedef struct ws_bytes {
    char *p;
    size_t n, cap;
} ws_bytes;
int ws_bytes_reserve(ws_bytes *b, size_t extra); /* 0 or -1 */
int ws_bytes_add(ws_bytes *b, const void *p, size_t n);
void ws_bytes_free(ws_bytes *b);

/* Reads one line (up to and including '\n', or to the end) appended to
 * out, at most max bytes: a longer line is consumed without being stored.
 * Returns 1 for a line, 0 at the end of input, 2 for a line over max. */
int ws_stream_line(ws_stream *s, ws_bytes *out, size_t max);
/* Copies n bytes into out (appended); returns the bytes copied (< n at
 * the end of input). */
size_t ws_stream_read(ws_stream *s, ws_bytes *out, size_t n);
/* Skips n bytes; returns the bytes skipped. */
size_t ws_stream_skip(ws_stream *s, size_t n);

/* ---- charsets (charset.c) ------------------------------------------- */

/* Converts bytes to UTF-8. declared: the transport's charset (HTTP) or
 * NULL; html: also look for a BOM-less <meta charset> prescan. Invalid or
 * unmappable sequences become U+FFFD. On success *out (malloc, NUL-
 * terminated) and *out_len are set, and used (if not NULL, >= 32 bytes)
 * receives the name of the charset used. Returns WS_OK or WS_ERR_NOMEM. */
ws_status ws_charset_to_utf8(const char *data, size_t len, const char *declared,
                             int html, char **out, size_t *out_len, char *used);
/* Guesses the charset of bytes with no declaration: "UTF-8",
 * "WINDOWS-1251", "KOI8-R" or "WINDOWS-1252". */
const char *ws_charset_detect(const unsigned char *s, size_t n);
/* Finds a charset declared in an HTML <meta> in the first 4 KiB; copies
 * its name into name (size >= 32). Returns 1 if found. */
int ws_charset_prescan(const unsigned char *s, size_t n, char *name);
/* Copies s into out replacing each invalid UTF-8 byte by U+FFFD. */
int ws_utf8_sanitize(const unsigned char *s, size_t n, ws_bytes *out);

#endif
