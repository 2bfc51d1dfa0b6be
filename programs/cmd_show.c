/* cmd_show.c - whosaid show: a readable table of one document. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const usage_show =
    "Usage: whosaid show [options] FILE|-\n"
    "\n"
    "Shows the first document of FILE in any input format (text, HTML page,\n"
    "WARC, JSONL; see whosaid extract --help); for a page, its title first.\n"
    "Prints a table of the document's statements: speaker (or source text),\n"
    "cue, type and content, abbreviated to the terminal width, then the\n"
    "speakers with their number of statements. Colours are used only when\n"
    "stdout is a terminal and NO_COLOR is unset.\n"
    "\n"
    "Options:\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 ok, 1 the input failed, 2 usage, 3 internal.\n";


/* ---- show: text helpers ---------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t u8len(const unsigned char *s, size_t n) {
    size_t len = s[0] < 0x80 ? 1 : s[0] < 0xC2 ? 0 : s[0] < 0xE0 ? 2
               : s[0] < 0xF0 ? 3 : s[0] < 0xF5 ? 4 : 0;
    if (!len || len > n) return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

/* A cleaned one-line copy of text: whitespace and control characters
 * collapse to one space, invalid bytes become '?', and at most maxcols
 * characters are kept (a cut ends with "..."). Returns malloc'd memory. */
static char *clean_text(const char *s, size_t n, size_t maxcols) {
    char *out = malloc(n + 4);
    if (!out) return NULL;
    size_t o = 0, cols = 0, i = 0;
    int space = 1; /* trims leading space */
    while (i < n) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t len = u8len(u, n - i);
        if (len == 1 && (u[0] < 0x20 || u[0] == ' ' || u[0] == 0x7F)) {
            if (!space && cols < maxcols) out[o++] = ' ', cols++;
            space = 1;
            i++;
            continue;
        }
        if (cols >= maxcols) break;
        if (len) memcpy(out + o, u, len), o += len, i += len;
        else out[o++] = '?', i++;
        cols++;
        space = 0;
    }
    while (o && out[o - 1] == ' ') o--, cols--;
    if (i < n && maxcols >= 3) {
        while (cols > maxcols - 3 && o) { /* drop characters for "..." */
            do o--; while (o && (out[o] & 0xC0) == 0x80);
            cols--;
        }
        memcpy(out + o, "...", 3), o += 3;
    }
    out[o] = 0;
    return out;
}

static size_t text_cols(const char *s) {
    size_t c = 0;
    for (; *s; s++)
        if ((*s & 0xC0) != 0x80) c++;
    return c;
}

/* ---- show ------------------------------------------------------------ */

typedef struct shower {
    const char *text;
    size_t len;
    ws_doc *doc;
    int color;
    size_t width;
    size_t n;        /* statements */
    size_t *order;   /* statement indices in document order */
    size_t w_spk, w_cue; /* column widths, fitted to the labels */
} shower;

static const char *col(const shower *s, const char *code) {
    return s->color ? code : "";
}

static size_t term_width(void) {
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    long v = c ? strtol(c, NULL, 10) : 0;
    return v >= 40 && v <= 1000 ? (size_t)v : 100;
}

static size_t stmt_pos(const ws_statement *st) {
    size_t p = (size_t)-1;
    if (st->cue.end > st->cue.start) p = st->cue.start;
    for (size_t k = 0; k < st->n_content; k++)
        if (st->content[k].end > st->content[k].start) {
            if (st->content[k].start < p) p = st->content[k].start;
            break;
        }
    return p;
}

typedef struct okey {
    size_t pos, idx;
} okey;

static int cmp_okey(const void *a, const void *b) {
    const okey *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int order_statements(shower *s) {
    s->n = ws_doc_statement_count(s->doc);
    okey *k = malloc((s->n + 1) * sizeof *k);
    s->order = malloc((s->n + 1) * sizeof *s->order);
    if (!k || !s->order) {
        free(k);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        ws_statement st;
        ws_doc_statement(s->doc, i, &st);
        k[i].pos = stmt_pos(&st);
        k[i].idx = i;
    }
    qsort(k, s->n, sizeof *k, cmp_okey);
    for (size_t i = 0; i < s->n; i++) s->order[i] = k[i].idx;
    free(k);
    return 0;
}

static char *span_text(const shower *s, ws_span sp, size_t maxcols) {
    if (sp.end > s->len) sp.end = s->len;
    if (sp.start > sp.end) sp.start = sp.end;
    return clean_text(s->text + sp.start, sp.end - sp.start, maxcols);
}

/* The speaker label: entity name, else the source text, else "?". */
static char *speaker_label(const shower *s, const ws_statement *st, size_t maxcols) {
    ws_entity e;
    if (st->speaker >= 0 && ws_doc_entity(s->doc, (size_t)st->speaker, &e) == WS_OK && e.name[0])
        return clean_text(e.name, strlen(e.name), maxcols);
    if (st->source.end > st->source.start) return span_text(s, st->source, maxcols);
    return clean_text("?", 1, maxcols);
}

/* The content: its segments joined by " ... ". */
static char *content_label(const shower *s, const ws_statement *st, size_t maxcols) {
    size_t total = 0;
    for (size_t k = 0; k < st->n_content; k++)
        if (st->content[k].end > st->content[k].start && st->content[k].end <= s->len)
            total += st->content[k].end - st->content[k].start + 5;
    char *joined = malloc(total + 1);
    if (!joined) return NULL;
    size_t o = 0;
    for (size_t k = 0; k < st->n_content; k++) {
        ws_span c = st->content[k];
        if (c.end <= c.start || c.end > s->len) continue;
        if (o) memcpy(joined + o, " ... ", 5), o += 5;
        memcpy(joined + o, s->text + c.start, c.end - c.start);
        o += c.end - c.start;
    }
    char *r = clean_text(joined, o, maxcols);
    free(joined);
    return r;
}

static const char *type_label(ws_quote_type t) {
    return t == WS_QUOTE_DIRECT ? "direct" : t == WS_QUOTE_MIXED ? "mixed" : "indirect";
}

static void print_cell(const char *txt, size_t w, const char *on, const char *off) {
    size_t c = text_cols(txt);
    printf("%s%s%s", on, txt, off);
    for (; c < w; c++) putchar(' ');
}

enum { W_NUM = 3, W_SPK = 24, W_CUE = 14, W_TYPE = 8 };

static size_t content_width(const shower *s) {
    size_t fixed = W_NUM + s->w_spk + s->w_cue + W_TYPE + 4 * 2;
    return s->width > fixed + 20 ? s->width - fixed : 20;
}

static char *cue_label(const shower *s, const ws_statement *st, size_t maxcols) {
    if (st->cue.end > st->cue.start) return span_text(s, st->cue, maxcols);
    return clean_text("-", 1, maxcols);
}

/* Fits the speaker and cue columns to their longest labels. */
static void fit_columns(shower *s) {
    s->w_spk = strlen("SPEAKER");
    s->w_cue = strlen("CUE");
    for (size_t i = 0; i < s->n; i++) {
        ws_statement st;
        if (ws_doc_statement(s->doc, i, &st) != WS_OK) continue;
        char *a = speaker_label(s, &st, W_SPK), *b = cue_label(s, &st, W_CUE);
        if (a && text_cols(a) > s->w_spk) s->w_spk = text_cols(a);
        if (b && text_cols(b) > s->w_cue) s->w_cue = text_cols(b);
        free(a);
        free(b);
    }
}

static void print_header(const shower *s) {
    const char *b = col(s, "\033[1m"), *r = col(s, "\033[0m");
    printf("%s%*s  %-*s  %-*s  %-*s  %s%s\n", b, W_NUM, "#", (int)s->w_spk, "SPEAKER",
           (int)s->w_cue, "CUE", W_TYPE, "TYPE", "CONTENT", r);
}

static int print_row(const shower *s, size_t row) {
    ws_statement st;
    if (ws_doc_statement(s->doc, s->order[row], &st) != WS_OK) return -1;
    char *spk = speaker_label(s, &st, s->w_spk);
    char *cue = cue_label(s, &st, s->w_cue);
    char *con = content_label(s, &st, content_width(s));
    int ok = spk && cue && con;
    if (ok) {
        const char *r = col(s, "\033[0m");
        printf("%*zu  ", W_NUM, row + 1);
        print_cell(spk, s->w_spk, col(s, st.speaker >= 0 ? "\033[1;36m" : "\033[36m"), r);
        printf("  ");
        print_cell(cue, s->w_cue, col(s, "\033[33m"), r);
        printf("  ");
        print_cell(type_label(st.type), W_TYPE, col(s, "\033[2m"), r);
        printf("  %s\n", con);
    }
    free(spk);
    free(cue);
    free(con);
    return ok ? 0 : -1;
}

typedef struct spk_count {
    long ent;
    size_t n;
} spk_count;

static int cmp_spk(const void *a, const void *b) {
    const spk_count *x = a, *y = b;
    if (x->n != y->n) return x->n > y->n ? -1 : 1;
    return x->ent < y->ent ? -1 : x->ent > y->ent;
}

static int print_summary(const shower *s) {
    size_t ne = ws_doc_entity_count(s->doc), unresolved = 0, m = 0;
    spk_count *c = calloc(ne + 1, sizeof *c);
    if (!c) return -1;
    for (size_t i = 0; i < ne; i++) c[i].ent = (long)i;
    for (size_t i = 0; i < s->n; i++) {
        ws_statement st;
        ws_doc_statement(s->doc, i, &st);
        if (st.speaker >= 0 && (size_t)st.speaker < ne) c[st.speaker].n++;
        else unresolved++;
    }
    qsort(c, ne, sizeof *c, cmp_spk);
    printf("\n%sSpeakers%s\n", col(s, "\033[1m"), col(s, "\033[0m"));
    for (; m < ne && c[m].n; m++) {
        ws_entity e;
        if (ws_doc_entity(s->doc, (size_t)c[m].ent, &e) != WS_OK) continue;
        char *name = clean_text(e.name, strlen(e.name), 40);
        char *title = e.title ? clean_text(e.title, strlen(e.title), 40) : NULL;
        printf("  %4zu  %s%s%s%s%s%s\n", c[m].n, col(s, "\033[1;36m"), name ? name : "?",
               col(s, "\033[0m"), title ? " (" : "", title ? title : "", title ? ")" : "");
        free(name);
        free(title);
    }
    if (unresolved) printf("  %4zu  (unresolved)\n", unresolved);
    if (!m && !unresolved) printf("  (none)\n");
    free(c);
    return 0;
}

static int show_doc(shower *s) {
    if (order_statements(s)) return -1;
    fit_columns(s);
    printf("%zu statement%s\n\n", s->n, s->n == 1 ? "" : "s");
    if (s->n) print_header(s);
    for (size_t i = 0; i < s->n; i++)
        if (print_row(s, i)) return -1;
    return print_summary(s);
}

int cmd_show(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_show, stdout);
            return EXIT_OK;
        }
        if (a[0] == '-' && a[1]) return usage_error("unknown option", a);
        if (path) return usage_error("show takes one FILE", NULL);
        path = a;
    }
    if (!path) return usage_error("show needs a FILE (or -)", NULL);
    ws_engine *e = NULL;
    if (open_engine(&e)) return EXIT_INTERNAL;
    /* the first document of the input, in any format (docs/input.md) */
    ws_reader *rd = NULL;
    ws_record rec;
    ws_status st = ws_reader_open(path, NULL, &rd);
    while (st == WS_OK) {
        st = ws_reader_next(rd, &rec);
        if (st == WS_OK || st == WS_DONE || st == WS_ERR_NOMEM) break;
        fprintf(stderr, "whosaid: %s\n", ws_reader_errmsg(rd));
        st = WS_OK; /* a bad record: try the next one */
    }
    ws_article *art = NULL;
    ws_article_info info;
    memset(&info, 0, sizeof info);
    if (st == WS_OK) st = ws_article_new(e, &rec, &art);
    if (st == WS_OK) ws_article_get(art, &info);
    shower s = {info.body, info.body_len, NULL, 0, term_width(), 0, NULL, W_SPK, W_CUE};
    const char *nc = getenv("NO_COLOR");
    s.color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
    if (st == WS_OK) st = ws_article_analyze(e, art, &s.doc);
    int rc = EXIT_OK;
    if (st == WS_DONE) {
        report(path, "no document in the input");
        rc = EXIT_INPUT;
    } else if (st != WS_OK) {
        if (rd && ws_reader_errmsg(rd)[0]) fprintf(stderr, "whosaid: %s\n", ws_reader_errmsg(rd));
        else report(path, ws_strerror(st));
        rc = st == WS_ERR_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    } else {
        if (info.format != WS_FORMAT_TEXT && info.title) {
            char *t = clean_text(info.title, strlen(info.title), s.width);
            if (t) printf("%s%s%s\n", col(&s, "\033[1m"), t, col(&s, "\033[0m"));
            free(t);
        }
        if (show_doc(&s)) {
            report(path, ws_strerror(WS_ERR_NOMEM));
            rc = EXIT_INTERNAL;
        }
    }
    if (fflush(stdout) != 0) rc = EXIT_INTERNAL;
    free(s.order);
    ws_doc_free(s.doc);
    ws_article_free(art);
    ws_reader_free(rd);
    ws_engine_free(e);
    return rc;
}

