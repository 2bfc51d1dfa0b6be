/*
 * test_attrib_screen.c - the screened cue scoring (src/attrib/model.c,
 * "screened cue scoring") gives the same cue tags, and the same emissions
 * for every B-CUE token, as scoring every token within reach, on the
 * PolNeAR dev texts (or the texts of the directory in WS_SCREEN_DIR), the
 * sample article and generated texts; and it does screen tokens. Prints
 * the counts: tokens within reach, fully scored, decoder rounds.
 */
#include "attrib/model.h"
#include "model/models.h"

#include "harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks one text; returns 1 when it was checked. */
static int check_text(ws_engine *e, const char *name, const char *text, size_t n,
                      ws_am_screen_stats *st) {
    ws_doc *d = NULL;
    CHECK(ws_analyze(e, text, n, name, &d) == WS_OK, "analyze %s", name);
    if (!d) return 0;
    long bad = ws_am_screen_check(e->models->attrib, d, st);
    CHECK(bad == 0, "%s: %ld tags or cue emissions differ (-1: no screen)", name, bad);
    ws_doc_free(d);
    return bad == 0;
}

/* Text of random words from a small news vocabulary, some quoted. */
static char *random_text(unsigned seed, size_t words, size_t *n) {
    static const char *v[] = {
        "said", "the", "to", "in", "a", "of", "minister", "told", "reporters",
        "according", "statement", "on", "Tuesday", ",", ".", "\"", "he", "she",
        "added", "that", "would", "not", "officials", "spokesman", "claimed",
        "Smith", "warned", "by", "interview", "with", "AP", ":", "-", "says",
        "it", "is", "over", "sources", "familiar", "matter", "\n\n", "asked",
        "denied", "we", "will", "accept", "this", "noted", "report", "told"};
    size_t nv = sizeof v / sizeof *v, cap = words * 16 + 1, len = 0;
    char *s = malloc(cap);
    for (size_t i = 0; i < words; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *w = v[(seed >> 16) % nv];
        size_t wl = strlen(w);
        if (len + wl + 1 >= cap) break;
        memcpy(s + len, w, wl);
        len += wl;
        s[len++] = ' ';
    }
    s[len] = 0;
    *n = len;
    return s;
}

static void print_stats(const char *what, const ws_am_screen_stats *st) {
    printf("screen, %s: %llu tokens within reach, %llu scored fully (%.1f%%), "
           "%llu screened; %llu decoder rounds over %llu sentence pieces\n",
           what, (unsigned long long)st->reach, (unsigned long long)st->scored,
           st->reach ? 100.0 * (double)st->scored / (double)st->reach : 0.0,
           (unsigned long long)(st->reach - st->scored), (unsigned long long)st->rounds,
           (unsigned long long)st->pieces);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    ws_engine *e = NULL;
    CHECK(ws_engine_new(NULL, &e) == WS_OK, "engine");
    if (!e) return TEST_REPORT();
    CHECK(e->models->attrib != NULL, "attrib model built in");
    if (!e->models->attrib) return TEST_REPORT();
    ws_am_screen_stats st, sd; /* all texts; those of the directory */
    memset(&st, 0, sizeof st);
    memset(&sd, 0, sizeof sd);
    size_t n = 0;
    char *s = test_read_file("samples/tass-lavrov.txt", &n);
    CHECK(s != NULL, "samples/tass-lavrov.txt");
    if (s) check_text(e, "tass-lavrov", s, n, &st);
    free(s);
    for (unsigned seed = 1; seed <= 6; seed++) {
        s = random_text(seed, 3000, &n);
        char name[32];
        snprintf(name, sizeof name, "random-%u", seed);
        check_text(e, name, s, n, &st);
        free(s);
    }
    /* PolNeAR dev (or WS_SCREEN_DIR): every .txt file, in name order */
    const char *dir = getenv("WS_SCREEN_DIR");
    if (!dir) dir = "../shared/data/polnear/dev";
    DIR *dp = opendir(dir);
    size_t ndocs = 0;
    if (dp) {
        char **names = NULL;
        size_t nn = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(dp)) != NULL) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
            if (nn == cap) {
                cap = cap ? cap * 2 : 256;
                char **nb = realloc(names, cap * sizeof *names);
                if (!nb) break;
                names = nb;
            }
            names[nn++] = strdup(de->d_name);
        }
        closedir(dp);
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            s = test_read_file(path, &n);
            CHECK(s != NULL, "%s", path);
            if (s) ndocs += (size_t)check_text(e, names[i], s, n, &sd);
            free(s);
            free(names[i]);
        }
        free(names);
        CHECK(ndocs > 0, "no text checked in %s", dir);
    } else {
        printf("note: %s not found; PolNeAR texts not checked\n", dir);
    }
    print_stats("sample + generated texts", &st);
    print_stats(dir, &sd);
    CHECK(st.reach > 0 && st.scored < st.reach, "some tokens screened");
    CHECK(ndocs == 0 || (sd.reach > 0 && sd.scored < sd.reach), "some tokens screened in %s", dir);
    ws_engine_free(e);
    return TEST_REPORT();
}
