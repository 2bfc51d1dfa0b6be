/* cli_common.c - reading inputs, ids, directory walks and errors for the CLI. */
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

/* ---- errors and reading ---------------------------------------------- */

void report(const char *path, const char *cause) {
    fprintf(stderr, "whosaid: %s: %s\n", path, cause);
}

int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "whosaid: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'whosaid --help'.\n");
    return EXIT_USAGE;
}

#define READ_LIMIT ((size_t)1 << 30) /* the engine's default max_doc_bytes */

/* Reads f fully. Returns 0, or an errno value (EFBIG when over the limit). */
static int read_stream(FILE *f, size_t hint, input *in) {
    size_t cap = hint ? hint + 1 : 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf) return ENOMEM;
    for (;;) {
        if (len == cap) { /* grow, up to one byte over the limit */
            if (cap > READ_LIMIT) break;
            size_t ncap = cap > READ_LIMIT / 2 ? READ_LIMIT + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    if (!err && len > READ_LIMIT) err = EFBIG;
    if (err) {
        free(buf);
        return err;
    }
    in->buf = buf;
    in->len = len;
    return 0;
}

/* Reads a path ("-" is stdin). On failure reports it and returns -1. */
int read_input(const char *path, input *in) {
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        report(path, strerror(errno));
        return -1;
    }
    struct stat st;
    size_t hint = 0;
    if (fstat(fileno(f), &st) != 0) memset(&st, 0, sizeof st);
    if (S_ISDIR(st.st_mode)) {
        if (!is_stdin) fclose(f);
        report(path, strerror(EISDIR));
        return -1;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > READ_LIMIT) {
        if (!is_stdin) fclose(f);
        report(path, ws_strerror(WS_ERR_TOO_LARGE));
        return -1;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) hint = (size_t)st.st_size;
    errno = 0;
    int err = read_stream(f, hint, in);
    if (!is_stdin) fclose(f);
    if (err) report(path, err == EFBIG ? ws_strerror(WS_ERR_TOO_LARGE) : strerror(err));
    return err ? -1 : 0;
}

/* The document id: base name without its last extension. */
char *doc_id(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *id = malloc(n + 1);
    if (id) {
        memcpy(id, base, n);
        id[n] = 0;
    }
    return id;
}

/* ---- directory walk -------------------------------------------------- */

static int pl_push(pathlist *pl, char *p) {
    if (!p) return -1;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 64;
        char **v = realloc(pl->v, cap * sizeof *v);
        if (!v) {
            free(p);
            return -1;
        }
        pl->v = v;
        pl->cap = cap;
    }
    pl->v[pl->n++] = p;
    return 0;
}

void pl_free(pathlist *pl) {
    for (size_t i = 0; i < pl->n; i++) free(pl->v[i]);
    free(pl->v);
}

int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
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

static int ends_with_txt(const char *name) {
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

/* Collects the .txt files under dir (symlinked directories are not
 * followed). Returns 0, 1 if some entry failed (reported), -1 on OOM. */
int walk_dir(const char *dir, pathlist *out) {
    DIR *d = opendir(dir);
    if (!d) {
        report(dir, strerror(errno));
        return 1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc >= 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *p = join_path(dir, de->d_name);
        struct stat st;
        if (!p) {
            rc = -1;
        } else if (lstat(p, &st) != 0) {
            report(p, strerror(errno));
            rc = 1;
            free(p);
        } else if (S_ISDIR(st.st_mode)) {
            int sub = walk_dir(p, out);
            rc = sub < 0 ? -1 : (sub ? 1 : rc);
            free(p);
        } else if (ends_with_txt(de->d_name) && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            if (pl_push(out, p)) rc = -1; /* pl_push frees p on failure */
        } else {
            free(p);
        }
    }
    closedir(d);
    return rc;
}


int open_engine(ws_engine **e) {
    ws_status st = ws_engine_new(NULL, e);
    if (st != WS_OK) {
        fprintf(stderr, "whosaid: cannot create the engine: %s\n", ws_strerror(st));
        return -1;
    }
    return 0;
}

