/*
 * fuzz_date.c - fuzz target for the date and dateline parsers (internal:
 * src/article/meta.h, src/article/dateline.h; built with -Isrc):
 * ws_date_normalize, ws_date_scan2 (strict and loose), ws_date_from_url and
 * ws_dateline_find on the same bytes.
 *
 * Invariants (abort() on a violation):
 *   - every date returned is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" with an
 *     optional zone "Z" or "+HH:MM"/"-HH:MM" (HH <= 14), a real day of a
 *     year in 1995..2030 (ws_date_valid), hours <= 23, minutes <= 59,
 *     seconds <= 60;
 *   - ws_date_normalize of its own output gives the same string back;
 *   - the offset set by ws_date_scan2 lies inside the input;
 *   - a dateline has start < end <= len (on character boundaries when the
 *     input is UTF-8), its place/date/agency are NUL-terminated (UTF-8 when
 *     the input is); not found means a zeroed result;
 *   - a second call on the same bytes gives the same answers.
 *
 * Builds: see fuzz_common.h (replay: `fuzz_date DIR|FILE...`).
 */
#define FUZZ_NAME "fuzz_date"
#include "fuzz_common.h"

#include "article/dateline.h"
#include "article/meta.h"

static int dig(const char *s, size_t i, size_t n, int *v) {
    int x = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[i + k] < '0' || s[i + k] > '9') return 0;
        x = x * 10 + (s[i + k] - '0');
    }
    *v = x;
    return 1;
}

static void check_date(const char *d, const char *what) {
    if (!d) return;
    size_t n = strlen(d);
    int y, m, day, hh, mi, ss, zh, zm;
    if (n < 10 || !dig(d, 0, 4, &y) || d[4] != '-' || !dig(d, 5, 2, &m) || d[7] != '-' ||
        !dig(d, 8, 2, &day))
        goto bad;
    if (!ws_date_valid(y, m, day)) goto bad;
    if (n == 10) return;
    if (n < 19 || d[10] != 'T' || !dig(d, 11, 2, &hh) || d[13] != ':' || !dig(d, 14, 2, &mi) ||
        d[16] != ':' || !dig(d, 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60)
        goto bad;
    if (n == 19) return;
    if (n == 20 && d[19] == 'Z') return;
    if (n == 25 && (d[19] == '+' || d[19] == '-') && dig(d, 20, 2, &zh) && d[22] == ':' &&
        dig(d, 23, 2, &zm) && zh <= 14 && zm <= 59)
        return;
bad:
    fprintf(stderr, "%s: bad date \"%s\"\n", what, d);
    fz_violation(what, n, 0);
}

/* The answers of every parser on s[0..len), as one malloc'd string. */
static char *run_all(const char *s, size_t len, int utf8) {
    char *out = NULL;
    size_t out_n = 0;
    FILE *f = open_memstream(&out, &out_n);
    if (!f) abort();

    char *d = ws_date_normalize(s, len);
    check_date(d, "ws_date_normalize");
    if (d) {
        char *again = ws_date_normalize(d, strlen(d));
        if (!again || strcmp(again, d) != 0) {
            fprintf(stderr, "\"%s\" -> \"%s\"\n", d, again ? again : "(null)");
            fz_violation("normalize is not idempotent", strlen(d), 0);
        }
        free(again);
    }
    fprintf(f, "N %s\n", d ? d : "-");
    free(d);

    for (int loose = 0; loose < 2; loose++) {
        size_t pos = (size_t)-1;
        char *sc = ws_date_scan2(s, len, &pos, loose);
        check_date(sc, "ws_date_scan2");
        if (sc && pos >= len) fz_violation("scan offset outside the input", pos, len);
        fprintf(f, "S%d %s %zu\n", loose, sc ? sc : "-", sc ? pos : 0);
        free(sc);
    }

    char *z = fz_copy((const uint8_t *)s, len);
    z = realloc(z, len + 1);
    if (!z) abort();
    z[len] = 0;
    char *u = ws_date_from_url(z);
    check_date(u, "ws_date_from_url");
    fprintf(f, "U %s\n", u ? u : "-");
    free(u);
    free(z);

    ws_dateline_parse dp;
    memset(&dp, 0xAB, sizeof dp);
    int found = ws_dateline_find(s, len, &dp);
    if (found) {
        if (!(dp.start < dp.end)) fz_violation("dateline empty", dp.start, dp.end);
        fz_check_span(s, len, utf8, dp.start, dp.end, "dateline span");
        if (utf8) {
            fz_check_str(dp.place, "dateline place not UTF-8");
            fz_check_str(dp.date, "dateline date not UTF-8");
            fz_check_str(dp.agency, "dateline agency not UTF-8");
        }
        fprintf(f, "D %zu %zu [%s] [%s] [%s]\n", dp.start, dp.end, dp.place ? dp.place : "-",
                dp.date ? dp.date : "-", dp.agency ? dp.agency : "-");
    } else {
        if (dp.start || dp.end || dp.place || dp.date || dp.agency)
            fz_violation("dateline not found but not zeroed", dp.start, dp.end);
        fprintf(f, "D -\n");
    }
    ws_dateline_parse_free(&dp);
    if (dp.place || dp.date || dp.agency) fz_violation("dateline not zeroed by free", 0, 0);
    fclose(f);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fz_copy(data, size);
    int utf8 = jc_utf8_valid(s, size);
    char *a = run_all(s, size, utf8);
    char *b = run_all(s, size, utf8);
    if (strcmp(a, b) != 0) fz_violation("two runs differ", strlen(a), strlen(b));
    free(a);
    free(b);
    free(s);
    return 0;
}
