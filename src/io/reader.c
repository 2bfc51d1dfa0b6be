/*
 * reader.c - readers: files, directories, stdin and memory buffers turned
 * into records (text, HTML pages, WARC responses, JSONL lines). See
 * docs/input.md. One record is held in memory at a time; WARC and JSONL
 * input is streamed (src/io/stream.c).
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* struct dirent's d_type */
#endif
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_RECORD ((size_t)64 << 20)
#define DEFAULT_MAX_TEXT ((size_t)1 << 30) /* the engine's max_doc_bytes */
#define WARC_MAX_LINE ((size_t)64 << 10)
#define WARC_MAX_HEADER ((size_t)1 << 20)

static const char *const format_names[] = {"auto", "text", "html", "warc", "jsonl"};
static const char *const skip_names[WS_SKIP_COUNT] = {
    "not-response", "http-status", "not-html", "truncated", "corrupt", "too-large", "empty"};

const char *ws_format_name(ws_format f) {
    return (unsigned)f < 5 ? format_names[f] : "unknown";
}

ws_status ws_format_parse(const char *name, ws_format *out) {
    WS_RETURN_IF(!name || !out, WS_ERR_INVALID);
    for (unsigned i = 0; i < 5; i++)
        if (!strcmp(name, format_names[i])) {
            *out = (ws_format)i;
            return WS_OK;
        }
    return WS_ERR_INVALID;
}

const char *ws_skip_name(ws_skip_reason r) {
    return (unsigned)r < WS_SKIP_COUNT ? skip_names[r] : "unknown";
}

/* ---- JSONL field mapping ------------------------------------------- */

enum { F_BODY, F_TITLE, F_URL, F_DATE, F_AUTHOR, F_ID, F_SITE, F_LANG, F_COUNT };
static const char *const field_keys[F_COUNT] = {"body", "title", "url", "date",
                                                "author", "id", "site", "lang"};
static const char *const field_defaults[F_COUNT] = {
    "maintext,text,body", "title", "url", "date_publish,date", "authors,author",
    "id", "source_domain,site", "language,lang"};

#define MAX_NAMES 8
typedef struct fieldmap {
    char *store; /* the names, NUL-separated */
    const char *names[F_COUNT][MAX_NAMES];
    size_t n[F_COUNT];
} fieldmap;

static int map_add_list(fieldmap *m, int f, char *list) {
    m->n[f] = 0;
    for (char *tok = list; tok && *tok;) {
        char *comma = strchr(tok, ',');
        if (comma) *comma = 0;
        while (*tok == ' ') tok++;
        char *e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ') *--e = 0;
        if (*tok) {
            if (m->n[f] == MAX_NAMES) return -1;
            m->names[f][m->n[f]++] = tok;
        }
        tok = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Parses "body=maintext,text;title=title;..." over the defaults. Returns
 * 0, or -1 with a message in err. */
static int map_parse(fieldmap *m, const char *spec, char *err, size_t errn) {
    size_t total = 0;
    for (int f = 0; f < F_COUNT; f++) total += strlen(field_defaults[f]) + 1;
    if (spec) total += strlen(spec) + 1;
    m->store = malloc(total);
    if (!m->store) {
        snprintf(err, errn, "out of memory");
        return -1;
    }
    char *w = m->store;
    for (int f = 0; f < F_COUNT; f++) {
        size_t k = strlen(field_defaults[f]) + 1;
        memcpy(w, field_defaults[f], k);
        map_add_list(m, f, w);
        w += k;
    }
    if (!spec) return 0;
    memcpy(w, spec, strlen(spec) + 1);
    for (char *part = w; part && *part;) {
        char *semi = strchr(part, ';');
        if (semi) *semi = 0;
        while (*part == ' ') part++;
        if (*part) {
            char *eq = strchr(part, '=');
            int f = -1;
            if (eq) {
                *eq = 0;
                char *e = eq;
                while (e > part && e[-1] == ' ') *--e = 0;
                for (int i = 0; i < F_COUNT; i++)
                    if (!strcmp(part, field_keys[i])) f = i;
            }
            if (f < 0 || map_add_list(m, f, eq + 1) || !m->n[f]) {
                snprintf(err, errn, "bad field mapping '%s' (want KEY=NAME[,NAME...] "
                         "with KEY one of body title url date author id site lang)", part);
                return -1;
            }
        }
        part = semi ? semi + 1 : NULL;
    }
    return 0;
}

/* ---- the reader ----------------------------------------------------- */

struct ws_reader {
    ws_reader_options opt;
    size_t max_rec, max_text;
    fieldmap map;
    /* inputs: a list of paths (a directory walk), or one memory buffer */
    char **paths;
    size_t n_paths, next_path;
    int is_mem;
    const char *mem;
    size_t mem_len;
    char *mem_name;
    /* the current input */
    int open;
    ws_stream s;
    ws_format fmt;
    char *source;
    char *stem;
    int single_done;
    uint64_t line_no;
    uint64_t done_bytes; /* raw bytes of closed inputs */
    uint64_t cur_total;
    uint64_t junk_seen;
    /* the current record */
    ws_bytes data, line, norm;
    char *id, *url, *date, *charset;
    ws_reader_stats st;
    char err[1024];
};

/* Messages quote input (paths, a parser's "near '...'") and may be cut by
 * the buffer's size: make them valid UTF-8, every bad or cut sequence one
 * '?', as ws_reader_errmsg() promises UTF-8. */
static void err_utf8(char *s) {
    size_t i = 0, o = 0, n = strlen(s);
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            s[o++] = '?';
            i++;
            continue;
        }
        memmove(s + o, s + i, (size_t)k);
        o += (size_t)k;
        i += (size_t)k;
    }
    s[o] = '\0';
}

static void set_err(ws_reader *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    err_utf8(r->err);
}

static char *dupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/* A copy of a header value as valid UTF-8 (each bad byte -> U+FFFD), as
 * whosaid.h promises for the strings of a record. */
static char *dup_utf8(const char *v, size_t n) {
    size_t i = 0;
    while (i < n && (unsigned char)v[i] < 0x80) i++;
    if (i == n) return dupn(v, n); /* ASCII, the usual case */
    ws_bytes b = {NULL, 0, 0};
    if (ws_utf8_sanitize((const unsigned char *)v, n, &b)) {
        ws_bytes_free(&b);
        return NULL;
    }
    return b.p;
}

static int ends_with_ci(const char *s, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n >= k && strncasecmp(s + n - k, suf, k) == 0;
}

/* The base name of a path without ".gz"; *n its length. */
static const char *base_of(const char *path, size_t *n) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t k = strlen(b);
    if (ends_with_ci(b, k, ".gz") && k > 3) k -= 3;
    *n = k;
    return b;
}

/* Format from a file name, or AUTO. */
static ws_format format_of_name(const char *path) {
    size_t n;
    const char *b = base_of(path, &n);
    if (ends_with_ci(b, n, ".warc") || ends_with_ci(b, n, ".arc")) return WS_FORMAT_WARC;
    if (ends_with_ci(b, n, ".jsonl") || ends_with_ci(b, n, ".json") ||
        ends_with_ci(b, n, ".ndjson"))
        return WS_FORMAT_JSONL;
    if (ends_with_ci(b, n, ".html") || ends_with_ci(b, n, ".htm") ||
        ends_with_ci(b, n, ".xhtml"))
        return WS_FORMAT_HTML;
    if (ends_with_ci(b, n, ".txt")) return WS_FORMAT_TEXT;
    return WS_FORMAT_AUTO;
}

/* Is this a file a directory walk takes? */
static int walk_takes(const char *name) {
    size_t n = strlen(name);
    static const char *const ext[] = {".txt", ".html", ".htm", ".warc", ".warc.gz",
                                      ".jsonl", ".jsonl.gz", ".json", ".html.gz",
                                      ".htm.gz", ".txt.gz"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (ends_with_ci(name, n, ext[i])) return 1;
    return 0;
}

/* The document id of a whole-file record: for text the base name without
 * its last extension (as before readers existed); for HTML and others the
 * base name without ".gz" and then without ".html"/".htm". */
static char *stem_of(const char *path, ws_format f) {
    if (!path || !strcmp(path, "-")) return dupn("-", 1);
    size_t n;
    const char *b = base_of(path, &n);
    if (f == WS_FORMAT_TEXT) {
        const char *dot = NULL;
        for (size_t i = 1; i < n; i++)
            if (b[i] == '.') dot = b + i;
        if (dot) n = (size_t)(dot - b);
    } else if (ends_with_ci(b, n, ".html")) {
        n -= 5;
    } else if (ends_with_ci(b, n, ".htm")) {
        n -= 4;
    } else if (ends_with_ci(b, n, ".warc") || ends_with_ci(b, n, ".jsonl")) {
        n -= ends_with_ci(b, n, ".warc") ? 5 : 6;
    } else if (ends_with_ci(b, n, ".json")) {
        n -= 5;
    }
    return dup_utf8(b, n ? n : strlen(b));
}

/* Format from the first bytes. */
static ws_format sniff(const unsigned char *p, size_t n) {
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (n - i >= 5 && !memcmp(p + i, "WARC/", 5)) return WS_FORMAT_WARC;
    if (i < n && p[i] == '{') return WS_FORMAT_JSONL;
    if (i < n && p[i] == '<') {
        static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body",
                                           "<meta", "<!--", "<title", "<?xml", "<div",
                                           "<p>", "<p ", "<article", "<link", "<script"};
        for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
            size_t m = strlen(tags[k]);
            if (n - i >= m && !strncasecmp((const char *)p + i, tags[k], m)) return WS_FORMAT_HTML;
        }
    }
    /* UTF-16 with a BOM: HTML if it looks like markup, else text */
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        for (size_t k = 2; k + 1 < n && k < 64; k++)
            if (p[k] == '<') return WS_FORMAT_HTML;
    }
    /* markup within the first 1 KiB */
    size_t lim = n < 1024 ? n : 1024;
    for (size_t k = i; k + 5 < lim; k++)
        if (p[k] == '<' && (!strncasecmp((const char *)p + k, "<html", 5) ||
                            !strncasecmp((const char *)p + k, "<!doct", 6)))
            return WS_FORMAT_HTML;
    return WS_FORMAT_TEXT;
}

static void record_reset(ws_reader *r) {
    free(r->id);
    free(r->url);
    free(r->date);
    free(r->charset);
    r->id = r->url = r->date = r->charset = NULL;
    r->data.n = 0;
}

static void input_close(ws_reader *r) {
    if (!r->open) return;
    r->done_bytes += ws_stream_raw_pos(&r->s);
    ws_stream_close(&r->s);
    free(r->source);
    free(r->stem);
    r->source = r->stem = NULL;
    r->open = 0;
}

/* Opens the next input. Returns WS_OK, WS_DONE, or WS_ERR_IO. */
static ws_status input_open(ws_reader *r) {
    const char *path;
    int fd = -1;
    if (r->is_mem) {
        if (r->next_path) return WS_DONE;
        r->next_path = 1;
        path = r->mem_name ? r->mem_name : "-";
        ws_stream_open_mem(&r->s, r->mem, r->mem_len);
        r->cur_total = r->mem_len;
    } else {
        if (r->next_path >= r->n_paths) return WS_DONE;
        path = r->paths[r->next_path++];
        if (!strcmp(path, "-")) {
            fd = dup(0);
        } else {
            fd = open(path, O_RDONLY);
        }
        if (fd < 0) {
            set_err(r, "%s: %s", path, strerror(errno));
            r->st.errors++;
            return WS_ERR_IO;
        }
        struct stat sb;
        int have = fstat(fd, &sb) == 0;
        if (have && S_ISDIR(sb.st_mode)) {
            close(fd);
            set_err(r, "%s: %s", path, strerror(EISDIR));
            r->st.errors++;
            return WS_ERR_IO;
        }
        r->cur_total = have && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
        if (ws_stream_open_fd(&r->s, fd)) {
            ws_stream_close(&r->s);
            set_err(r, "%s: out of memory", path);
            return WS_ERR_NOMEM;
        }
    }
    r->open = 1;
    r->single_done = 0;
    r->line_no = 0;
    r->junk_seen = 0;
    r->source = dupn(path, strlen(path));
    ws_format f = r->opt.format;
    if (f == WS_FORMAT_AUTO) {
        size_t n = ws_stream_fill(&r->s, 4096);
        ws_format by_content = sniff(ws_stream_ptr(&r->s), n);
        f = format_of_name(path);
        if (f == WS_FORMAT_AUTO || by_content == WS_FORMAT_WARC) f = by_content;
    }
    r->fmt = f;
    r->stem = stem_of(path, f);
    if (!r->source || !r->stem) {
        input_close(r);
        set_err(r, "%s: out of memory", path);
        return WS_ERR_NOMEM;
    }
    if (r->s.io_err) {
        int e = r->s.io_err;
        input_close(r);
        set_err(r, "%s: %s", path, strerror(e));
        r->st.errors++;
        return WS_ERR_IO;
    }
    return WS_OK;
}

static void fill_rec(ws_reader *r, ws_record *rec, ws_format f, const char *data,
                     size_t len, uint64_t off) {
    memset(rec, 0, sizeof *rec);
    rec->format = f;
    rec->id = r->id;
    rec->url = r->url;
    rec->date = r->date;
    rec->charset = r->charset;
    rec->source = r->source;
    rec->offset = off;
    rec->data = data ? data : "";
    rec->len = len;
    r->st.records++;
}

/* ---- whole files: text and HTML ------------------------------------- */

static ws_status next_single(ws_reader *r, ws_record *rec) {
    if (r->single_done) return WS_DONE;
    r->single_done = 1;
    size_t max = r->fmt == WS_FORMAT_TEXT ? r->max_text : r->max_rec;
    if (r->s.mem && !r->s.gz) { /* a plain memory buffer is used in place */
        if (r->s.mem_len > max) {
            r->st.skipped[WS_SKIP_TOO_LARGE]++;
            set_err(r, "%s: %s (over %zu bytes)", r->source, ws_strerror(WS_ERR_TOO_LARGE), max);
            return WS_ERR_TOO_LARGE;
        }
        ws_stream_consume(&r->s, r->s.mem_len);
        r->id = dupn(r->stem, strlen(r->stem));
        if (!r->id) return WS_ERR_NOMEM;
        fill_rec(r, rec, r->fmt, (const char *)r->s.mem, r->s.mem_len, 0);
        return WS_OK;
    }
    if (!r->s.gz && r->cur_total && r->cur_total < max &&
        ws_bytes_reserve(&r->data, (size_t)r->cur_total + 1))
        return WS_ERR_NOMEM;
    size_t got = ws_stream_read(&r->s, &r->data, max);
    if (r->s.io_err) {
        set_err(r, "%s: %s", r->source, strerror(r->s.io_err));
        r->st.errors++;
        return r->s.io_err == ENOMEM ? WS_ERR_NOMEM : WS_ERR_IO;
    }
    if (got == max && ws_stream_fill(&r->s, 1)) {
        r->st.skipped[WS_SKIP_TOO_LARGE]++;
        set_err(r, "%s: %s (over %zu bytes)", r->source, ws_strerror(WS_ERR_TOO_LARGE), max);
        return WS_ERR_TOO_LARGE;
    }
    if (r->s.corrupt || r->s.junk || r->s.trunc) {
        int bad = r->s.corrupt || r->s.junk;
        r->st.skipped[bad ? WS_SKIP_CORRUPT : WS_SKIP_TRUNCATED]++;
        set_err(r, "%s: %s", r->source, bad ? "corrupt gzip data" : "gzip data cut short");
        r->st.errors++;
        return WS_ERR_FORMAT;
    }
    r->id = dupn(r->stem, strlen(r->stem));
    if (!r->id) return WS_ERR_NOMEM;
    fill_rec(r, rec, r->fmt, r->data.p, got, 0);
    return WS_OK;
}

/* ---- WARC ----------------------------------------------------------- */

/* Trims a header value: returns its start, sets *n. */
static const char *trim(const char *s, size_t len, size_t *n) {
    while (len && (*s == ' ' || *s == '\t')) s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    *n = len;
    return s;
}

/* Is line "Name: value"? Sets the value. */
static int header_is(const char *line, size_t len, const char *name, const char **v,
                     size_t *vn) {
    size_t k = strlen(name);
    if (len <= k || line[k] != ':' || strncasecmp(line, name, k)) return 0;
    *v = trim(line + k + 1, len - k - 1, vn);
    return 1;
}

static int is_blank_line(const char *p, size_t n) {
    return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* The charset parameter of a Content-Type value, copied into out (< 64). */
static void charset_param(const char *v, size_t n, char *out, size_t outn) {
    out[0] = 0;
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(v + i, "charset=", 8)) continue;
        size_t j = i + 8, k = 0;
        while (j < n && (v[j] == '"' || v[j] == '\'' || v[j] == ' ')) j++;
        while (j < n && k + 1 < outn && v[j] != ';' && v[j] != '"' && v[j] != '\'' &&
               v[j] != ' ' && v[j] != ',')
            out[k++] = v[j++];
        out[k] = 0;
        return;
    }
}

static int mime_is_html(const char *v, size_t n) {
    size_t k = 0;
    while (k < n && v[k] != ';' && v[k] != ' ') k++;
    return (k == 9 && !strncasecmp(v, "text/html", 9)) ||
           (k == 21 && !strncasecmp(v, "application/xhtml+xml", 21));
}

/* How far past the end of a record the gzip stream may be decoded to
 * learn whether the member holding the record is corrupt (a WARC member
 * normally ends 4 bytes after its record, "\r\n\r\n"; damaged deflate
 * data can decode to much more before zlib notices). A fixed distance, so
 * the verdict depends on the bytes only, never on how far the stream
 * happened to decode ahead (issue 6: chunked input equals whole input). */
#define WARC_GZ_PEEK ((size_t)1 << 20)

/* 1 if the bytes just read (a record) belong to a gzip member that turns
 * out corrupt (ws_stream_member_bad). */
static int gz_damaged(ws_reader *r) {
    return ws_stream_member_bad(&r->s, WARC_GZ_PEEK);
}

/* Skips to the start of the next "WARC/" line after damage. Only a line
 * start counts, and the end of a corrupt member's data starts a line; what
 * is decoded ahead never changes where it stops. */
static void warc_resync(ws_reader *r) {
    ws_stream *s = &r->s;
    /* drop the rest of a corrupt gzip member that ends close by (the next
     * member starts a record); one further ahead is met by the scan */
    if (gz_damaged(r)) {
        ws_stream_skip(s, s->resync_off - s->dec_off);
        s->halt = 0;
    }
    int bol = 1;
    for (;;) {
        size_t avail = ws_stream_fill(s, bol ? 5 : 1);
        const unsigned char *p = ws_stream_ptr(s);
        if (bol ? avail < 5 : avail == 0) { /* a corrupt member's end, or the end */
            ws_stream_consume(s, avail);
            if (s->halt) {
                s->halt = 0;
                bol = 1;
                continue;
            }
            return;
        }
        if (bol && !memcmp(p, "WARC/", 5)) return;
        const unsigned char *nl = memchr(p, '\n', avail);
        if (nl) {
            ws_stream_consume(s, (size_t)(nl - p) + 1);
            bol = 1;
        } else {
            ws_stream_consume(s, avail);
            bol = 0;
        }
    }
}

/* Damaged gzip member headers seen since the last call: one skipped
 * record each (the member is lost). */
static void count_junk(ws_reader *r) {
    if (r->s.junk > r->junk_seen) {
        r->st.skipped[WS_SKIP_CORRUPT] += r->s.junk - r->junk_seen;
        r->junk_seen = r->s.junk;
    }
}

static ws_status warc_skip(ws_reader *r, ws_skip_reason why) {
    r->st.skipped[why]++;
    return WS_ERR_FORMAT; /* internal: "skipped, read on" */
}

/* Parses the HTTP message in r->data: the status, the Content-Type;
 * returns 0 and sets *payload, or a skip reason + 1. */
static int http_parse(ws_reader *r, size_t *payload) {
    const char *p = r->data.p;
    size_t n = r->data.n;
    if (n < 12 || strncmp(p, "HTTP/", 5)) return WS_SKIP_NOT_HTML + 1;
    const char *sp = memchr(p, ' ', n < 64 ? n : 64);
    if (!sp || sp + 4 > p + n) return WS_SKIP_CORRUPT + 1;
    int code = 0;
    for (int k = 1; k <= 3; k++) {
        if (sp[k] < '0' || sp[k] > '9') return WS_SKIP_CORRUPT + 1;
        code = code * 10 + (sp[k] - '0');
    }
    int status_bad = code < 200 || code > 299;
    /* headers */
    size_t i = 0;
    const char *ct = NULL;
    size_t ctn = 0;
    for (;;) {
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl) { /* headers never end: no payload */
            i = n;
            break;
        }
        size_t ln = (size_t)(nl - (p + i)) + 1;
        if (i > 0 && is_blank_line(p + i, ln)) {
            i += ln;
            break;
        }
        const char *v;
        size_t vn;
        if (i > 0 && header_is(p + i, ln, "Content-Type", &v, &vn)) {
            ct = v;
            ctn = vn;
        }
        i += ln;
    }
    if (status_bad) return WS_SKIP_HTTP_STATUS + 1;
    if (ct) {
        if (!mime_is_html(ct, ctn)) return WS_SKIP_NOT_HTML + 1;
        char cs[64];
        charset_param(ct, ctn, cs, sizeof cs);
        if (cs[0] && !(r->charset = dup_utf8(cs, strlen(cs)))) return -1;
    } else if (sniff((const unsigned char *)p + i, n - i) != WS_FORMAT_HTML) {
        return WS_SKIP_NOT_HTML + 1;
    }
    if (i >= n) return WS_SKIP_EMPTY + 1;
    *payload = i;
    return 0;
}

/* The uuid of "<urn:uuid:...>", or the value without angle brackets. */
static char *record_id(const char *v, size_t n) {
    if (n && v[0] == '<' && v[n - 1] == '>') v++, n -= 2;
    if (n > 9 && !strncasecmp(v, "urn:uuid:", 9)) v += 9, n -= 9;
    return dup_utf8(v, n);
}

/* One WARC record. WS_OK (a record), WS_DONE, WS_ERR_FORMAT (skipped,
 * counted), WS_ERR_NOMEM. */
static ws_status warc_one(ws_reader *r, ws_record *rec) {
    ws_stream *s = &r->s;
    /* the version line, after blank lines between records */
    for (;;) {
        r->line.n = 0;
        int lr = ws_stream_line(s, &r->line, WARC_MAX_LINE);
        count_junk(r);
        if (lr == 0) {
            if (s->halt) { /* a corrupt member between records */
                r->st.skipped[WS_SKIP_CORRUPT]++;
                warc_resync(r);
                continue;
            }
            return WS_DONE;
        }
        if (lr == 1 && is_blank_line(r->line.p, r->line.n)) continue;
        if (lr == 1 && r->line.n >= 5 && !memcmp(r->line.p, "WARC/", 5)) break;
        /* garbage where a record should start */
        r->st.skipped[WS_SKIP_CORRUPT]++;
        warc_resync(r);
    }
    uint64_t start_dec = s->dec_off - r->line.n;
    /* WARC headers */
    char type[32] = "";
    long long clen = -1;
    int truncated = 0;
    size_t hdr_bytes = 0;
    for (;;) {
        r->line.n = 0;
        int lr = ws_stream_line(s, &r->line, WARC_MAX_LINE);
        if (lr == 0) {
            if (s->halt) {
                warc_resync(r);
                return warc_skip(r, WS_SKIP_CORRUPT);
            }
            return warc_skip(r, WS_SKIP_TRUNCATED);
        }
        hdr_bytes += r->line.n;
        if (lr == 2 || hdr_bytes > WARC_MAX_HEADER) {
            warc_resync(r);
            return warc_skip(r, WS_SKIP_CORRUPT);
        }
        const char *l = r->line.p, *v;
        size_t ln = r->line.n, vn;
        if (is_blank_line(l, ln)) break;
        if (header_is(l, ln, "WARC-Type", &v, &vn)) {
            size_t k = vn < sizeof type - 1 ? vn : sizeof type - 1;
            memcpy(type, v, k);
            type[k] = 0;
        } else if (header_is(l, ln, "Content-Length", &v, &vn)) {
            clen = 0;
            for (size_t k = 0; k < vn; k++) {
                if (v[k] < '0' || v[k] > '9' || clen > (1LL << 50)) {
                    clen = -1;
                    break;
                }
                clen = clen * 10 + (v[k] - '0');
            }
        } else if (header_is(l, ln, "WARC-Truncated", &v, &vn)) {
            truncated = 1;
        } else if (header_is(l, ln, "WARC-Record-ID", &v, &vn)) {
            free(r->id);
            r->id = record_id(v, vn);
        } else if (header_is(l, ln, "WARC-Target-URI", &v, &vn)) {
            if (vn && v[0] == '<' && v[vn - 1] == '>') v++, vn -= 2;
            free(r->url);
            r->url = dup_utf8(v, vn);
        } else if (header_is(l, ln, "WARC-Date", &v, &vn)) {
            free(r->date);
            r->date = dup_utf8(v, vn);
        }
    }
    if (clen < 0) {
        warc_resync(r);
        return warc_skip(r, WS_SKIP_CORRUPT);
    }
    size_t len = (size_t)clen;
    int is_response = !strcasecmp(type, "response");
    if (!is_response || truncated || len > r->max_rec) {
        size_t got = ws_stream_skip(s, len);
        /* cut short by a corrupt member, or inside one (gz_damaged) */
        if (got < len ? s->halt : gz_damaged(r)) {
            warc_resync(r);
            return warc_skip(r, WS_SKIP_CORRUPT);
        }
        if (!is_response) return warc_skip(r, WS_SKIP_NOT_RESPONSE);
        if (truncated || got < len) return warc_skip(r, WS_SKIP_TRUNCATED);
        return warc_skip(r, WS_SKIP_TOO_LARGE);
    }
    r->data.n = 0;
    size_t got = ws_stream_read(s, &r->data, len);
    if (got < len ? s->halt : gz_damaged(r)) {
        warc_resync(r);
        return warc_skip(r, WS_SKIP_CORRUPT);
    }
    if (got < len) {
        if (s->io_err == ENOMEM) return WS_ERR_NOMEM;
        return warc_skip(r, WS_SKIP_TRUNCATED);
    }
    size_t payload = 0;
    int why = http_parse(r, &payload);
    if (why < 0) return WS_ERR_NOMEM;
    if (why > 0) return warc_skip(r, (ws_skip_reason)(why - 1));
    if (!r->id) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s@%llu", r->stem, (unsigned long long)start_dec);
        r->id = dupn(tmp, strlen(tmp));
        if (!r->id) return WS_ERR_NOMEM;
    }
    fill_rec(r, rec, WS_FORMAT_HTML, r->data.p + payload, r->data.n - payload,
             ws_stream_raw_of(s, start_dec));
    return WS_OK;
}

static ws_status next_warc(ws_reader *r, ws_record *rec) {
    for (;;) {
        record_reset(r);
        ws_status st = warc_one(r, rec);
        if (st != WS_ERR_FORMAT) return st;
    }
}

/* ---- JSONL ---------------------------------------------------------- */

/* The first mapped field of obj that is set (non-null, non-empty). */
static json_t *map_get(const fieldmap *m, int f, json_t *obj) {
    for (size_t i = 0; i < m->n[f]; i++) {
        json_t *v = json_object_get(obj, m->names[f][i]);
        if (!v || json_is_null(v)) continue;
        if (json_is_string(v) && json_string_length(v) == 0) continue;
        if (json_is_array(v) && json_array_size(v) == 0) continue;
        return v;
    }
    return NULL;
}

static char *str_of(json_t *v) {
    if (json_is_string(v)) return dupn(json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        return dupn(tmp, strlen(tmp));
    }
    return NULL;
}

/* Builds the normalised object ({"id","body","title",...}) of one JSON
 * object through the mapping. Returns 0, -1 on out of memory, 1 when the
 * object has no text. */
static int jsonl_normalise(const fieldmap *m, json_t *obj, json_t **out) {
    json_t *n = json_object();
    if (!n) return -1;
    for (int f = 0; f < F_COUNT; f++) {
        json_t *v = map_get(m, f, obj);
        if (!v) continue;
        if (f == F_AUTHOR) {
            if (!json_is_string(v) && !json_is_array(v)) continue;
        } else if (f == F_ID) {
            if (!json_is_string(v) && !json_is_integer(v)) continue;
        } else if (!json_is_string(v)) {
            continue;
        }
        if (json_object_set(n, field_keys[f], v)) {
            json_decref(n);
            return -1;
        }
    }
    if (!json_object_get(n, "body")) {
        json_decref(n);
        return 1;
    }
    *out = n;
    return 0;
}

static ws_status next_jsonl(ws_reader *r, ws_record *rec) {
    for (;;) {
        record_reset(r);
        r->line.n = 0;
        uint64_t start = r->s.dec_off;
        int lr = ws_stream_line(&r->s, &r->line, r->max_rec);
        if (lr == 0) {
            if (r->s.corrupt || r->s.junk || r->s.trunc) {
                int bad = r->s.corrupt || r->s.junk;
                r->st.skipped[bad ? WS_SKIP_CORRUPT : WS_SKIP_TRUNCATED]++;
                r->st.errors++;
                set_err(r, "%s: after line %llu: %s", r->source,
                        (unsigned long long)r->line_no,
                        bad ? "corrupt gzip data" : "gzip data cut short");
                r->s.corrupt = r->s.junk = r->s.trunc = 0;
                if (r->s.halt) { /* go on with the next gzip member */
                    if (r->s.resync_off > r->s.dec_off)
                        ws_stream_skip(&r->s, r->s.resync_off - r->s.dec_off);
                    r->s.halt = 0;
                }
                return WS_ERR_FORMAT;
            }
            return WS_DONE;
        }
        r->line_no++;
        if (lr == 2) {
            r->st.skipped[WS_SKIP_TOO_LARGE]++;
            continue;
        }
        size_t i = 0;
        while (i < r->line.n && strchr(" \t\r\n", r->line.p[i])) i++;
        if (i == r->line.n) continue; /* blank line */
        json_error_t je;
        json_t *obj = json_loadb(r->line.p, r->line.n, 0, &je);
        if (!obj || !json_is_object(obj)) {
            r->st.errors++;
            set_err(r, "%s: line %llu: %s", r->source, (unsigned long long)r->line_no,
                    obj ? "not a JSON object" : je.text);
            json_decref(obj);
            return WS_ERR_FORMAT;
        }
        json_t *norm = NULL;
        int nr = jsonl_normalise(&r->map, obj, &norm);
        json_decref(obj);
        if (nr < 0) return WS_ERR_NOMEM;
        if (nr > 0) {
            r->st.skipped[WS_SKIP_EMPTY]++;
            continue;
        }
        json_t *v = json_object_get(norm, "id");
        if (v) {
            r->id = str_of(v);
        } else {
            char tmp[48];
            snprintf(tmp, sizeof tmp, ":%llu", (unsigned long long)r->line_no);
            size_t a = strlen(r->stem), b = strlen(tmp);
            r->id = malloc(a + b + 1);
            if (r->id) memcpy(r->id, r->stem, a), memcpy(r->id + a, tmp, b + 1);
        }
        if ((v = json_object_get(norm, "url"))) r->url = str_of(v);
        if ((v = json_object_get(norm, "date"))) r->date = str_of(v);
        char *dump = json_dumps(norm, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(norm);
        if (!dump || !r->id) {
            free(dump);
            return WS_ERR_NOMEM;
        }
        r->norm.n = 0;
        int bad = ws_bytes_add(&r->norm, dump, strlen(dump));
        free(dump);
        if (bad) return WS_ERR_NOMEM;
        fill_rec(r, rec, WS_FORMAT_JSONL, r->norm.p, r->norm.n, start);
        return WS_OK;
    }
}

/* ---- public --------------------------------------------------------- */

static ws_status reader_new(const ws_reader_options *opts, ws_reader **out) {
    ws_reader *r = calloc(1, sizeof *r);
    if (!r) return WS_ERR_NOMEM;
    if (opts) r->opt = *opts;
    r->opt.jsonl_fields = NULL;
    r->max_rec = r->opt.max_record_bytes ? r->opt.max_record_bytes : DEFAULT_MAX_RECORD;
    r->max_text = r->opt.max_record_bytes ? r->opt.max_record_bytes : DEFAULT_MAX_TEXT;
    if ((unsigned)r->opt.format > WS_FORMAT_JSONL) {
        free(r);
        return WS_ERR_INVALID;
    }
    if (map_parse(&r->map, opts ? opts->jsonl_fields : NULL, r->err, sizeof r->err)) {
        int oom = !r->map.store;
        free(r->map.store);
        free(r);
        return oom ? WS_ERR_NOMEM : WS_ERR_INVALID;
    }
    *out = r;
    return WS_OK;
}

static int push_path(ws_reader *r, size_t *cap, char *p) {
    if (!p) return -1;
    if (r->n_paths == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **v = realloc(r->paths, nc * sizeof *v);
        if (!v) {
            free(p);
            return -1;
        }
        r->paths = v;
        *cap = nc;
    }
    r->paths[r->n_paths++] = p;
    return 0;
}

static char *join_path(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    size_t k = a;
    if (a && dir[a - 1] != '/') p[k++] = '/';
    memcpy(p + k, name, b + 1);
    return p;
}

/* Collects the files a walk takes (symlinked directories are not
 * followed). Unreadable directories are skipped (the walk goes on). */
static int walk(ws_reader *r, size_t *cap, const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int rc = 0;
    struct dirent *de;
    while (!rc && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
#if defined(DT_REG) && defined(DT_DIR)
        /* the entry's type from readdir when the file system gives it: a
         * regular file is taken or not by its name alone, with no stat */
        if (de->d_type == DT_REG) {
            if (!walk_takes(de->d_name)) continue;
            char *f = join_path(dir, de->d_name);
            rc = f ? push_path(r, cap, f) : -1;
            continue;
        }
#endif
        char *p = join_path(dir, de->d_name);
        struct stat sb;
        if (!p) {
            rc = -1;
        } else if (lstat(p, &sb) != 0) {
            free(p);
        } else if (S_ISDIR(sb.st_mode)) {
            if (depth < 64) rc = walk(r, cap, p, depth + 1);
            free(p);
        } else if (walk_takes(de->d_name) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            rc = push_path(r, cap, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_path(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ws_status ws_reader_open(const char *path, const ws_reader_options *opts, ws_reader **out) {
    WS_RETURN_IF(!path || !out, WS_ERR_INVALID);
    *out = NULL;
    ws_reader *r;
    WS_FORWARD_IF_ERROR(reader_new(opts, &r));
    size_t cap = 0;
    struct stat sb;
    int rc;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = walk(r, &cap, path, 0);
        if (!rc) qsort(r->paths, r->n_paths, sizeof *r->paths, cmp_path);
    } else {
        rc = push_path(r, &cap, dupn(path, strlen(path)));
    }
    if (rc) {
        ws_reader_free(r);
        return WS_ERR_NOMEM;
    }
    *out = r;
    return WS_OK;
}

ws_status ws_reader_open_mem(const char *data, size_t len, const char *name,
                             const ws_reader_options *opts, ws_reader **out) {
    WS_RETURN_IF(!out || (!data && len), WS_ERR_INVALID);
    *out = NULL;
    ws_reader *r;
    WS_FORWARD_IF_ERROR(reader_new(opts, &r));
    r->is_mem = 1;
    r->mem = data ? data : "";
    r->mem_len = len;
    if (name && !(r->mem_name = dupn(name, strlen(name)))) {
        ws_reader_free(r);
        return WS_ERR_NOMEM;
    }
    *out = r;
    return WS_OK;
}

ws_status ws_reader_next(ws_reader *r, ws_record *rec) {
    WS_RETURN_IF(!r || !rec, WS_ERR_INVALID);
    r->err[0] = 0;
    for (;;) {
        if (!r->open) {
            ws_status st = input_open(r);
            if (st != WS_OK) return st;
        }
        record_reset(r);
        ws_status st;
        switch (r->fmt) {
        case WS_FORMAT_WARC: st = next_warc(r, rec); break;
        case WS_FORMAT_JSONL: st = next_jsonl(r, rec); break;
        default: st = next_single(r, rec); break;
        }
        if (st == WS_OK) return st;
        if (st == WS_DONE) {
            if (r->s.io_err) {
                set_err(r, "%s: %s", r->source, strerror(r->s.io_err));
                r->st.errors++;
                input_close(r);
                return WS_ERR_IO;
            }
            input_close(r);
            continue;
        }
        if (st == WS_ERR_NOMEM && !r->err[0]) set_err(r, "%s: out of memory", r->source);
        if (r->fmt != WS_FORMAT_WARC && r->fmt != WS_FORMAT_JSONL) input_close(r);
        return st;
    }
}

const char *ws_reader_errmsg(const ws_reader *r) { return r ? r->err : ""; }

void ws_reader_stats_get(const ws_reader *r, ws_reader_stats *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!r) return;
    *out = r->st;
    out->bytes_read = r->done_bytes + (r->open ? ws_stream_raw_pos(&r->s) : 0);
    out->bytes_total = r->open || r->is_mem ? r->cur_total : 0;
}

void ws_reader_free(ws_reader *r) {
    if (!r) return;
    input_close(r);
    record_reset(r);
    for (size_t i = 0; i < r->n_paths; i++) free(r->paths[i]);
    free(r->paths);
    free(r->mem_name);
    free(r->map.store);
    ws_bytes_free(&r->data);
    ws_bytes_free(&r->line);
    ws_bytes_free(&r->norm);
    free(r);
}
