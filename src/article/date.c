/* date.c - date strings in many forms -> ISO 8601 (owned by "meta").
 *
 * ws_date_normalize() reads one date field (ISO 8601, RFC 822, "December 30,
 * 2020", "30.12.2020", "30 декабря 2020", unix timestamps...);
 * ws_date_scan() finds dates inside running text and URLs. Month names are
 * our own short lists (English, Russian, German, French, Spanish, Italian,
 * Portuguese, Dutch). No clock is read: years 1995..2030 are accepted. */
#include "article/meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WS_YEAR_MIN 1995
#define WS_YEAR_MAX 2030

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

int ws_date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < WS_YEAR_MIN || y > WS_YEAR_MAX || m < 1 || m > 12 || d < 1)
        return 0;
    if (d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian). */
static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (mm <= 2));
    *m = mm;
    *d = dd;
}

/* Month names, lower case (ASCII or UTF-8 Cyrillic/accented), with the month
 * number. Prefix matching is not used: each form is listed. */
typedef struct month_name { const char *s; int m; } month_name;
static const month_name MONTHS[] = {
    /* English */
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7},
    {"jul", 7}, {"august", 8}, {"aug", 8}, {"september", 9}, {"sep", 9}, {"sept", 9},
    {"october", 10}, {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12},
    {"dec", 12},
    /* Russian: genitive, nominative, abbreviations */
    {"января", 1}, {"январь", 1}, {"янв", 1}, {"февраля", 2}, {"февраль", 2}, {"фев", 2},
    {"февр", 2}, {"марта", 3}, {"март", 3}, {"мар", 3}, {"апреля", 4}, {"апрель", 4},
    {"апр", 4}, {"мая", 5}, {"май", 5}, {"июня", 6}, {"июнь", 6}, {"июн", 6},
    {"июля", 7}, {"июль", 7}, {"июл", 7}, {"августа", 8}, {"август", 8}, {"авг", 8},
    {"сентября", 9}, {"сентябрь", 9}, {"сен", 9}, {"сент", 9}, {"октября", 10},
    {"октябрь", 10}, {"окт", 10}, {"ноября", 11}, {"ноябрь", 11}, {"ноя", 11},
    {"нояб", 11}, {"декабря", 12}, {"декабрь", 12}, {"дек", 12},
    /* German */
    {"januar", 1}, {"jänner", 1}, {"februar", 2}, {"märz", 3}, {"maerz", 3}, {"mai", 5},
    {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"okt", 10}, {"dezember", 12}, {"dez", 12},
    /* French */
    {"janvier", 1}, {"janv", 1}, {"février", 2}, {"févr", 2}, {"fevrier", 2}, {"mars", 3},
    {"avril", 4}, {"avr", 4}, {"juin", 6}, {"juillet", 7}, {"juil", 7}, {"août", 8},
    {"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"décembre", 12},
    {"decembre", 12}, {"déc", 12},
    /* Spanish, Portuguese, Italian */
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6},
    {"julio", 7}, {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},
    {"noviembre", 11}, {"diciembre", 12}, {"janeiro", 1}, {"fevereiro", 2}, {"março", 3},
    {"maio", 5}, {"junho", 6}, {"julho", 7}, {"setembro", 9}, {"outubro", 10},
    {"novembro", 11}, {"dezembro", 12}, {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4},
    {"maggio", 5}, {"giugno", 6}, {"luglio", 7}, {"settembre", 9}, {"ottobre", 10},
    {"dicembre", 12},
    /* Dutch */
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5}, {"augustus", 8},
};

/* Lower-cases ASCII and the Cyrillic/Latin-1 letters used above into buf. */
static size_t fold_word(const char *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') {
            buf[o++] = (char)(c + 32);
        } else if (c == 0xD0 && i + 1 < n) { /* Cyrillic А-П (D0 90..9F), Р-Я (D0 A0..AF) */
            unsigned char c2 = (unsigned char)s[i + 1];
            if (c2 >= 0x90 && c2 <= 0x9F) {
                buf[o++] = (char)0xD0; buf[o++] = (char)(c2 + 0x20);
            } else if (c2 >= 0xA0 && c2 <= 0xAF) {
                buf[o++] = (char)0xD1; buf[o++] = (char)(c2 - 0x20);
            } else {
                buf[o++] = (char)c; buf[o++] = (char)c2;
            }
            i++;
        } else if (c == 0xC3 && i + 1 < n) { /* Latin-1 capitals À-Þ */
            unsigned char c2 = (unsigned char)s[i + 1];
            buf[o++] = (char)c;
            buf[o++] = (char)((c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97) ? c2 + 0x20 : c2);
            i++;
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = 0;
    return o;
}

int ws_date_month(const char *w, size_t n)
{
    char buf[40];
    if (n == 0 || n > 24)
        return 0;
    size_t k = fold_word(w, n, buf, sizeof buf);
    if (k > 0 && buf[k - 1] == '.')
        buf[--k] = 0;
    for (size_t i = 0; i < sizeof MONTHS / sizeof MONTHS[0]; i++)
        if (MONTHS[i].s[0] == buf[0] && strcmp(MONTHS[i].s, buf) == 0)
            return MONTHS[i].m; /* the first byte rejects most names */
    return 0;
}

/* Reads up to maxd digits at s[*i]; returns the value or -1 when fewer than
 * mind digits. */
static int read_num(const char *s, size_t n, size_t *i, int mind, int maxd)
{
    int v = 0, k = 0;
    while (*i < n && k < maxd && is_digit((unsigned char)s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k >= mind ? v : -1;
}

static char *fmt_date(int y, int m, int d)
{
    char *r = malloc(16);
    if (r)
        snprintf(r, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
    return r;
}

/* Optional "THH:MM[:SS[.fff]][Z|+HH[:MM]]" after a date at s[i]. Appends to
 * the date when a valid time follows. */
static char *with_time(int y, int m, int d, const char *s, size_t n, size_t i)
{
    if (i < n && (s[i] == 'T' || s[i] == ' ') && i + 3 < n && is_digit((unsigned char)s[i + 1])) {
        size_t j = i + 1;
        int hh = read_num(s, n, &j, 2, 2);
        if (hh >= 0 && hh < 24 && j < n && s[j] == ':') {
            j++;
            int mi = read_num(s, n, &j, 2, 2), ss = 0;
            if (mi >= 0 && mi < 60) {
                if (j < n && s[j] == ':') {
                    j++;
                    ss = read_num(s, n, &j, 2, 2);
                    if (ss < 0 || ss > 60)
                        ss = 0;
                }
                if (j < n && (s[j] == '.' || s[j] == ','))
                    for (j++; j < n && is_digit((unsigned char)s[j]); j++) {}
                char zone[16] = "";
                if (j < n && s[j] == ' ')
                    j++;
                if (j < n && s[j] == 'Z') {
                    strcpy(zone, "Z");
                } else if (j + 2 < n && (s[j] == '+' || s[j] == '-') &&
                           is_digit((unsigned char)s[j + 1]) && is_digit((unsigned char)s[j + 2])) {
                    int zh = (s[j + 1] - '0') * 10 + (s[j + 2] - '0'), zm = 0;
                    size_t k = j + 3;
                    if (k < n && s[k] == ':')
                        k++;
                    if (k + 1 < n && is_digit((unsigned char)s[k]) && is_digit((unsigned char)s[k + 1]))
                        zm = (s[k] - '0') * 10 + (s[k + 1] - '0');
                    if (zh <= 14 && zm < 60)
                        snprintf(zone, sizeof zone, "%c%02u:%02u", s[j], (unsigned)zh % 100u, (unsigned)zm % 100u);
                }
                char *r = malloc(48);
                if (r)
                    snprintf(r, 48, "%04u-%02u-%02uT%02u:%02u:%02u%s", (unsigned)y % 10000u,
                             (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)hh % 100u,
                             (unsigned)mi % 100u, (unsigned)ss % 100u, zone);
                return r;
            }
        }
    }
    return fmt_date(y, m, d);
}

/* Token of a date phrase: a number or a word (letters incl. UTF-8). */
typedef struct dtok { size_t b, e; int num; int ndig; } dtok;

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Is the UTF-8 character at s[i] (i < n) a separator though non-ASCII:
 * NBSP (C2 A0) or General Punctuation (E2 80 xx: dashes, quotes, spaces)? */
static size_t sep_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80)
        return 3;
    return 0;
}

/* Does a word or number end just before s[i]? */
static int word_before(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    unsigned char c = (unsigned char)s[i - 1];
    if (is_digit(c) || (c < 0x80 && is_word_byte(c)))
        return 1;
    if (c < 0x80)
        return 0;
    if (i >= 2 && (unsigned char)s[i - 2] == 0xC2 && c == 0xA0)
        return 0;
    if (i >= 3 && (unsigned char)s[i - 3] == 0xE2 && (unsigned char)s[i - 2] == 0x80)
        return 0;
    return 1;
}

/* Splits s into at most cap tokens. */
static size_t tokenize(const char *s, size_t n, dtok *t, size_t cap)
{
    size_t k = 0, i = 0;
    while (i < n && k < cap) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit(c)) {
            size_t b = i;
            int v = 0;
            while (i < n && is_digit((unsigned char)s[i])) {
                if (i - b < 9)
                    v = v * 10 + (s[i] - '0');
                i++;
            }
            t[k++] = (dtok){b, i, v, (int)(i - b)};
        } else if (sep_len(s, n, i)) {
            i += sep_len(s, n, i);
        } else if (is_word_byte(c)) {
            size_t b = i;
            while (i < n && is_word_byte((unsigned char)s[i]) && !sep_len(s, n, i))
                i++;
            if (i < n && s[i] == '.')
                i++; /* "Dec." */
            t[k++] = (dtok){b, i, -1, 0};
        } else {
            i++;
        }
    }
    return k;
}

/* Word-based forms within tokens t[0..k): "December 30, 2020", "30 December
 * 2020", "30. Dezember 2020", "30 de diciembre de 2020", "Wed, 30 Dec 2020".
 * Returns the date or NULL; *used is the index after the last token used. */
static int words_date(const char *s, const dtok *t, size_t k, int *y, int *m, int *d, size_t *used)
{
    for (size_t i = 0; i < k; i++) {
        if (t[i].num >= 0)
            continue;
        int mo = ws_date_month(s + t[i].b, t[i].e - t[i].b);
        if (!mo)
            continue;
        /* Month D[st], YYYY */
        if (i + 2 < k && t[i + 1].num >= 1 && t[i + 1].ndig <= 2) {
            size_t j = i + 2;
            if (t[j].num < 0 && t[j].e - t[j].b <= 2)
                j++; /* "th", "st" */
            if (j < k && t[j].ndig == 4 && ws_date_valid(t[j].num, mo, t[i + 1].num)) {
                *y = t[j].num; *m = mo; *d = t[i + 1].num; *used = j + 1;
                return 1;
            }
        }
        /* D [of|de] Month [de] YYYY */
        if (i >= 1) {
            size_t j = i - 1;
            if (t[j].num < 0 && j >= 1 && t[j].e - t[j].b <= 3)
                j--; /* "of", "de", "th" */
            if (t[j].num < 0 && j >= 1 && t[j].e - t[j].b <= 2)
                j--;
            size_t q = i + 1;
            if (q < k && t[q].num < 0 && t[q].e - t[q].b <= 3)
                q++;
            if (t[j].num >= 1 && t[j].ndig <= 2 && q < k && t[q].ndig == 4 &&
                ws_date_valid(t[q].num, mo, t[j].num)) {
                *y = t[q].num; *m = mo; *d = t[j].num; *used = q + 1;
                return 1;
            }
        }
    }
    return 0;
}

char *ws_date_normalize(const char *s, size_t len)
{
    if (!s)
        return NULL;
    while (len && (unsigned char)s[0] <= ' ') { s++; len--; }
    while (len && (unsigned char)s[len - 1] <= ' ') len--;
    if (len == 0 || len > 200)
        return NULL;
    size_t i = 0;
    /* Unix timestamp (seconds or milliseconds). */
    while (i < len && is_digit((unsigned char)s[i]))
        i++;
    if (i == len && (len == 9 || len == 10 || len == 12 || len == 13)) {
        long long v = 0;
        for (size_t j = 0; j < len; j++)
            v = v * 10 + (s[j] - '0');
        if (len >= 12)
            v /= 1000;
        int y, m, d;
        civil_from_days(v / 86400, &y, &m, &d);
        return ws_date_valid(y, m, d) ? fmt_date(y, m, d) : NULL;
    }
    if (i == 8 && (len == 8 || s[8] == 'T')) { /* 20201230 */
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
        return ws_date_valid(y, m, d) ? fmt_date(y, m, d) : NULL;
    }
    /* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD (+ time) */
    if (i == 4 && i < len && (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
        char sep = s[4];
        size_t j = 5;
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = read_num(s, len, &j, 1, 2);
        if (m > 0 && j < len && s[j] == sep) {
            j++;
            int d = read_num(s, len, &j, 1, 2);
            if (d > 0 && (j == len || !is_digit((unsigned char)s[j])))
                return ws_date_valid(y, m, d) ? with_time(y, m, d, s, len, j) : NULL;
        } else if (m > 0 && j == len && sep == '-') {
            return NULL; /* year-month only */
        }
    }
    /* DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY */
    if (i >= 1 && i <= 2 && i < len && (s[i] == '.' || s[i] == '/' || s[i] == '-')) {
        char sep = s[i];
        size_t j = 0;
        int a = read_num(s, len, &j, 1, 2);
        j++;
        int b = read_num(s, len, &j, 1, 2);
        if (b > 0 && j < len && s[j] == sep) {
            j++;
            size_t yb = j;
            int y = read_num(s, len, &j, 4, 4);
            if (y < 0) {
                j = yb;
                y = read_num(s, len, &j, 2, 2);
                if (y >= 0 && (j == len || !is_digit((unsigned char)s[j])))
                    y += 2000;
                else
                    y = -1;
            }
            if (y > 0) {
                int d = a, m = b;
                if (sep == '/' && b > 12 && a <= 12) { d = b; m = a; }
                else if (sep == '/' && a <= 12 && b <= 12) { d = b; m = a; } /* US */
                if (ws_date_valid(y, m, d))
                    return with_time(y, m, d, s, len, j);
                if (ws_date_valid(y, d, m))
                    return with_time(y, d, m, s, len, j);
                return NULL;
            }
        }
    }
    /* Words: RFC 822 and long forms. */
    dtok t[24];
    size_t k = tokenize(s, len, t, 24);
    int y, m, d;
    size_t used;
    if (words_date(s, t, k, &y, &m, &d, &used)) {
        /* a following "10:00:00 GMT" / "+0000" */
        size_t p = t[used - 1].e;
        if (p < len && s[p] == ',')
            p++;
        while (p < len && s[p] == ' ')
            p++;
        if (p + 4 < len && is_digit((unsigned char)s[p]) && (s[p + 1] == ':' || s[p + 2] == ':')) {
            /* with_time wants a separator before the time */
            char tmp[64];
            size_t tl = len - p < 60 ? len - p : 60;
            tmp[0] = 'T';
            if (s[p + 1] == ':') { tmp[1] = '0'; memcpy(tmp + 2, s + p, tl); tl += 2; }
            else { memcpy(tmp + 1, s + p, tl); tl += 1; }
            /* "GMT"/"UTC" -> Z */
            tmp[tl] = 0;
            char *g = strstr(tmp, " GMT");
            if (!g) g = strstr(tmp, " UTC");
            if (g) { g[1] = 'Z'; g[2] = 0; tl = (size_t)(g - tmp) + 2; }
            return with_time(y, m, d, tmp, tl, 0);
        }
        return fmt_date(y, m, d);
    }
    return NULL;
}

/* Scans running text for the first date in a supported form. Numeric forms
 * need 4-digit years (YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY) so that scores
 * and versions are not taken for dates. Sets *pos to the date's offset. */
char *ws_date_scan(const char *s, size_t n, size_t *pos)
{
    return ws_date_scan2(s, n, pos, 0);
}

char *ws_date_scan2(const char *s, size_t n, size_t *pos, int loose)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (word_before(s, i) || sep_len(s, n, i))
            continue; /* only at a token start */
        if (is_digit(c)) {
            size_t j = i;
            while (j < n && is_digit((unsigned char)s[j]))
                j++;
            size_t nd = j - i;
            if ((nd == 4 && j + 4 < n && (s[j] == '-' || s[j] == '/' || s[j] == '.')) ||
                (nd <= 2 && j + 5 < n && (s[j] == '.' || s[j] == '/' || s[j] == '-'))) {
                size_t e = j;
                while (e < n && e - i < 40 && (is_digit((unsigned char)s[e]) || s[e] == '-' ||
                                               s[e] == '/' || s[e] == '.' || s[e] == ':' ||
                                               s[e] == 'T' || s[e] == '+' || s[e] == 'Z'))
                    e++;
                /* require a 4-digit year in DMY forms */
                int has4 = 0;
                for (size_t q = i, run = 0; q < e; q++) {
                    run = is_digit((unsigned char)s[q]) ? run + 1 : 0;
                    if (run == 4) has4 = 1;
                }
                while (e > i && (s[e - 1] == '.' || s[e - 1] == '-' || s[e - 1] == ':'))
                    e--;
                if (has4 || (loose && nd <= 2 && e - i >= 8 && e - i <= 10 && s[j] != '-')) {
                    char *r = ws_date_normalize(s + i, e - i);
                    if (r) {
                        if (pos) *pos = i;
                        return r;
                    }
                }
            }
            /* "30 December 2020" */
            if (nd <= 2) {
                size_t e = j;
                for (int w = 0; e < n && w < 5; w++) {
                    while (e < n && (s[e] == ' ' || s[e] == '.' || s[e] == ','))
                        e++;
                    while (e < n && sep_len(s, n, e))
                        e += sep_len(s, n, e);
                    while (e < n && (is_word_byte((unsigned char)s[e]) || is_digit((unsigned char)s[e])))
                        e++;
                }
                dtok t[8];
                size_t k = tokenize(s + i, e - i, t, 8);
                int y, m, d;
                size_t used;
                if (k >= 3 && t[0].num >= 0 && words_date(s + i, t, k, &y, &m, &d, &used) &&
                    t[0].num == d) {
                    if (pos) *pos = i;
                    return fmt_date(y, m, d);
                }
            }
            i = j - 1;
        } else if (is_word_byte(c)) {
            size_t j = i;
            while (j < n && is_word_byte((unsigned char)s[j]) && !sep_len(s, n, j))
                j++;
            size_t wl = j < n && s[j] == '.' ? j + 1 - i : j - i;
            if (ws_date_month(s + i, wl)) {
                size_t e = j;
                for (int w = 0; e < n && w < 3; w++) {
                    while (e < n && (s[e] == ' ' || s[e] == '.' || s[e] == ','))
                        e++;
                    while (e < n && (is_word_byte((unsigned char)s[e]) || is_digit((unsigned char)s[e])))
                        e++;
                }
                dtok t[6];
                size_t k = tokenize(s + i, e - i, t, 6);
                int y, m, d;
                size_t used;
                if (k >= 3 && t[0].num < 0 && t[1].num >= 0 && words_date(s + i, t, k, &y, &m, &d, &used)) {
                    if (pos) *pos = i;
                    return fmt_date(y, m, d);
                }
            }
            i = j - 1;
        }
    }
    return NULL;
}

/* Date in a URL: /2020/12/30/, 2020-12-30, _20201230. */
char *ws_date_from_url(const char *url)
{
    if (!url)
        return NULL;
    size_t n = strlen(url);
    for (size_t i = 0; i + 8 <= n; i++) {
        if (i > 0 && is_digit((unsigned char)url[i - 1]))
            continue;
        size_t j = i;
        int y = read_num(url, n, &j, 4, 4);
        if (y < WS_YEAR_MIN || y > WS_YEAR_MAX)
            continue;
        if (j < n && (url[j] == '/' || url[j] == '-' || url[j] == '_' || url[j] == '.')) {
            char sep = url[j++];
            int m = read_num(url, n, &j, 1, 2);
            if (m < 1 || j >= n || url[j] != sep)
                continue;
            j++;
            int d = read_num(url, n, &j, 1, 2);
            if (d > 0 && (j == n || !is_digit((unsigned char)url[j])) && ws_date_valid(y, m, d))
                return fmt_date(y, m, d);
        } else if (j + 4 <= n) {
            int m = read_num(url, n, &j, 2, 2);
            int d = read_num(url, n, &j, 2, 2);
            if (m > 0 && d > 0 && (j == n || !is_digit((unsigned char)url[j])) && ws_date_valid(y, m, d))
                return fmt_date(y, m, d);
        }
    }
    return NULL;
}
