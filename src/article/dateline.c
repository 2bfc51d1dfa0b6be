/* dateline.c - news datelines at the start of a body (owned by "meta").
 *
 * Grammar, at the start of the first paragraph (leading space skipped):
 *   PLACE [", " QUALIFIER]{0,2} [","? DATE ["," YEAR]] ["."]
 *         [AGENCY] ["."] SEPARATOR
 *   PLACE     1-5 words of letters (and . ' -), all capitals ("NEW YORK",
 *             "МОСКВА") or capitalised ("Hayward");
 *   QUALIFIER a short capitalised word group ("Calif.", "N.Y.", "Ukraine");
 *   DATE      month name + day ("December 30", "Dec. 30") or day + month
 *             ("30 декабря", "30 December");
 *   AGENCY    "(Reuters)", "(AP)", "/TASS/", "/Interfax/", "(dpa)": 1-4
 *             words in parentheses or slashes;
 *   SEPARATOR "-", "--", "—", "–", or "." / ":" right after an agency.
 * Accepted when the separator is found and the place is all capitals, or an
 * agency or a date is present; the text after the separator must not be an
 * all-capitals headline. No global state; no allocation until a match. */
#include "article/dateline.h"
#include "article/meta.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define WS_DL_WINDOW 400 /* bytes of the first paragraph looked at */

typedef struct cur { const unsigned char *s; size_t n, i; } cur;

/* Code point at c->s[i] (0 at the end, 0xFFFD on bad bytes); *len its size. */
static int32_t peek(const cur *c, size_t i, size_t *len)
{
    if (i >= c->n) {
        *len = 0;
        return 0;
    }
    int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate(c->s + i, (utf8proc_ssize_t)(c->n - i), &cp);
    if (r <= 0) {
        *len = 1;
        return 0xFFFD;
    }
    *len = (size_t)r;
    return cp;
}

static int is_upper(int32_t cp) { return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU; }
static int is_lower(int32_t cp) { return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL; }
static int is_letter(int32_t cp)
{
    utf8proc_category_t k = utf8proc_category(cp);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static void skip_spaces(cur *c)
{
    for (;;) {
        size_t l;
        int32_t cp = peek(c, c->i, &l);
        if (cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x2009 || cp == 0x202F)
            c->i += l;
        else
            return;
    }
}

/* One word of letters with inner . ' - (and a final '.'); returns its end,
 * or c->i when no word starts here. *caps: no lower-case letter; *cap1: the
 * first letter is upper case; *letters: number of letters. */
static size_t word_end(const cur *c, size_t i, int *caps, int *cap1, int *letters)
{
    size_t j = i, l;
    int32_t cp = peek(c, j, &l);
    *caps = 1;
    *cap1 = is_upper(cp);
    *letters = 0;
    if (!is_letter(cp))
        return i;
    while (j < c->n) {
        cp = peek(c, j, &l);
        if (is_letter(cp)) {
            if (is_lower(cp)) *caps = 0;
            (*letters)++;
            j += l;
        } else if ((cp == '.' || cp == '\'' || cp == 0x2019 || cp == '-') && j + l < c->n) {
            size_t l2;
            int32_t nx = peek(c, j + l, &l2);
            if (is_letter(nx)) {
                j += l;
            } else {
                if (cp == '.')
                    j += l; /* "Calif." "N.Y." "ST." */
                break;
            }
        } else {
            break;
        }
    }
    return j;
}

/* Dash separators: "-", "--", "—", "–"; returns the length or 0. */
static size_t dash_len(const cur *c, size_t i)
{
    size_t l;
    int32_t cp = peek(c, i, &l);
    if (cp == '-') {
        size_t l2;
        if (peek(c, i + l, &l2) == '-')
            return l + l2;
        return l;
    }
    if (cp == 0x2014 || cp == 0x2013 || cp == 0x2012 || cp == 0x2015)
        return l;
    return 0;
}

static char *dup_range(const unsigned char *s, size_t b, size_t e)
{
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == ','))
        e--;
    char *r = malloc(e - b + 1);
    if (r) {
        memcpy(r, s + b, e - b);
        r[e - b] = 0;
    }
    return r;
}

/* Title case of an all-capitals place ("NEW YORK" -> "New York",
 * "МОСКВА" -> "Москва"); a word with lower case letters is kept. */
static char *title_case(const unsigned char *s, size_t b, size_t e)
{
    char *r = malloc((e - b) * 2 + 1);
    if (!r)
        return NULL;
    size_t o = 0;
    int start = 1;
    cur c = {s, e, b};
    while (c.i < e) {
        size_t l;
        int32_t cp = peek(&c, c.i, &l);
        int32_t out = cp;
        if (is_letter(cp)) {
            if (!start)
                out = utf8proc_tolower(cp);
            start = 0;
        } else {
            start = cp == ' ' || cp == '-';
        }
        if (cp == 0xFFFD) {
            r[o++] = (char)s[c.i];
        } else {
            utf8proc_ssize_t w = utf8proc_encode_char(out, (utf8proc_uint8_t *)r + o);
            o += (size_t)w;
        }
        c.i += l;
    }
    r[o] = 0;
    return r;
}

/* DATE at c->i: "December 30", "Dec. 30", "30 декабря", "30 December",
 * optionally followed by ", 2020" / " 2020". Returns the end or c->i. */
static size_t date_end(const cur *c, size_t i)
{
    int caps, cap1, letters;
    size_t j = i;
    size_t we = word_end(c, j, &caps, &cap1, &letters);
    size_t end = i;
    if (we > j && ws_date_month((const char *)c->s + j, we - j)) {
        size_t k = we;
        while (k < c->n && c->s[k] == ' ') k++;
        size_t d0 = k;
        while (k < c->n && c->s[k] >= '0' && c->s[k] <= '9' && k - d0 < 2) k++;
        if (k > d0 && !(k < c->n && c->s[k] >= '0' && c->s[k] <= '9'))
            end = k;
    } else if (j < c->n && c->s[j] >= '0' && c->s[j] <= '9') {
        size_t k = j;
        while (k < c->n && c->s[k] >= '0' && c->s[k] <= '9' && k - j < 2) k++;
        if (!(k < c->n && c->s[k] >= '0' && c->s[k] <= '9')) {
            size_t m = k;
            while (m < c->n && c->s[m] == ' ') m++;
            size_t me = word_end(c, m, &caps, &cap1, &letters);
            if (me > m && ws_date_month((const char *)c->s + m, me - m))
                end = me;
        }
    }
    if (end == i)
        return i;
    if (end > i && c->s[end - 1] == '.')
        end--; /* "Dec." keeps its dot only inside; a final dot is punctuation */
    /* optional year */
    size_t k = end;
    if (k < c->n && c->s[k] == ',') k++;
    while (k < c->n && c->s[k] == ' ') k++;
    size_t y0 = k;
    while (k < c->n && c->s[k] >= '0' && c->s[k] <= '9' && k - y0 < 4) k++;
    if (k - y0 == 4 && !(k < c->n && c->s[k] >= '0' && c->s[k] <= '9') &&
        (c->s[y0] == '1' || c->s[y0] == '2'))
        end = k;
    return end;
}

/* AGENCY at c->i: "(Reuters)", "/TASS/". Returns the end (after the closing
 * mark) or c->i; *ab, *ae: the agency name. */
static size_t agency_end(const cur *c, size_t i, size_t *ab, size_t *ae)
{
    if (i >= c->n || (c->s[i] != '(' && c->s[i] != '/'))
        return i;
    unsigned char close = c->s[i] == '(' ? ')' : '/';
    size_t j = i + 1, words = 0;
    while (j < c->n && c->s[j] == ' ') j++;
    size_t b = j;
    while (j < c->n && j - b <= 40 && c->s[j] != close) {
        int caps, cap1, letters;
        size_t we = word_end(c, j, &caps, &cap1, &letters);
        if (we == j)
            return i;
        words++;
        j = we;
        while (j < c->n && (c->s[j] == ' ' || c->s[j] == '-' || c->s[j] == '&' || c->s[j] == '/') &&
               c->s[j] != close)
            j++;
    }
    if (j >= c->n || c->s[j] != close || words == 0 || words > 4)
        return i;
    size_t e = j;
    while (e > b && c->s[e - 1] == ' ') e--;
    /* party and state of a politician, "(R-Fla.)", "(I-Vt.)", "(Ky.)", are
     * not agencies: no dots, no "X-" prefix */
    if (memchr(c->s + b, '.', e - b) || (e - b >= 2 && c->s[b + 1] == '-'))
        return i;
    *ab = b;
    *ae = e;
    return j + 1;
}

/* Does [b, e) hold an English function word ("FIX IS IN:", "WATCH THE")?
 * Places do not. */
static int function_word_in(const unsigned char *s, size_t b, size_t e)
{
    static const char *const fw[] = {"IS", "IN", "THE", "OF", "A", "TO", "AND", "FOR", "ON", "AT",
                                     "IT", "WE", "I", "YOU", "ARE", "WAS", "THIS", "WHAT", "HOW",
                                     "WHY", "NOT", "NO", "MY", "OUR", "BY", "WITH", "LIVE"};
    size_t i = b;
    while (i < e) {
        while (i < e && s[i] == ' ')
            i++;
        size_t w = i;
        while (w < e && s[w] != ' ')
            w++;
        for (size_t k = 0; k < sizeof fw / sizeof fw[0]; k++)
            if (strlen(fw[k]) == w - i && memcmp(fw[k], s + i, w - i) == 0)
                return 1;
        i = w;
    }
    return 0;
}

/* Agencies and broadcasters that end a dateline even without a dash. */
static int known_agency(const unsigned char *s, size_t n)
{
    static const char *const a[] = {"Reuters", "AP", "AFP", "CNN", "TASS", "Interfax", "Xinhua",
                                    "UPI", "dpa", "RIA", "Bloomberg", "BBC", "PTI", "IANS", "ANI",
                                    "EFE", "ANSA", "Kyodo", "Yonhap", "Sputnik", "AA", "APA",
                                    "\xD0\xA2\xD0\x90\xD0\xA1\xD0\xA1", /* ТАСС */
                                    "\xD0\xA0\xD0\x98\xD0\x90", /* РИА */
                                    ("\xD0\x98\xD0\xBD\xD1\x82\xD0\xB5\xD1\x80\xD1\x84"
                                     "\xD0\xB0\xD0\xBA\xD1\x81")}; /* Интерфакс */
    size_t w = 0;
    while (w < n && s[w] != ' ')
        w++; /* the first word: "CNN Business", "RIA Novosti" */
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++)
        if (strlen(a[k]) == w && memcmp(a[k], s, w) == 0)
            return 1;
    return 0;
}

/* Words that open all-capitals headlines or labels, not places. */
static int label_word(const unsigned char *s, size_t b, size_t e)
{
    static const char *const w[] = {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH",
                                    "VIDEO", "PHOTOS", "OPINION", "ANALYSIS", "EDITORIAL",
                                    "LIVE", "NEWS", "ALERT", "NOTE", "CORRECTION", "READ",
                                    "ADVERTISEMENT", "SPONSORED", "REVIEW", "FILE", "PHOTO",
                                    "DEAR", "EDITOR'S", "EDITORS", "WARNING", "LISTEN", "SPOILER",
                                    "CLAIM", "FACT", "TRANSCRIPT", "SUMMARY", "QUESTION",
                                    "ANSWER", "UPDATES", "BYLINE", "LOOK", "CLARIFICATION", "PROMOTED", "AD",
                                    "TOP", "MORE", "RELATED", "SEE", "CLICK", "SUBSCRIBE",
                                    "SIGN", "JUST", "URGENT", "FLASH", "DEVELOPING",
                                    "GRAPHIC", "MUST", "ICYMI", "OPINIONS",
                                    "ПОДРОБНЕЕ", "ВИДЕО", "ФОТО", "СРОЧНО", "МОЛНИЯ"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (strlen(w[k]) == e - b && memcmp(w[k], s + b, e - b) == 0)
            return 1;
    return 0;
}

int ws_dateline_find(const char *body, size_t len, ws_dateline_parse *out)
{
    if (!out)
        return 0;
    memset(out, 0, sizeof *out);
    if (!body || len == 0)
        return 0;
    size_t n = len < WS_DL_WINDOW ? len : WS_DL_WINDOW;
    /* the first paragraph only: skip leading blank lines, stop at a newline */
    size_t s0 = 0;
    while (s0 < n && (body[s0] == ' ' || body[s0] == '\n' || body[s0] == '\r' || body[s0] == '\t'))
        s0++;
    size_t lim = s0;
    while (lim < n && body[lim] != '\n')
        lim++;
    cur c = {(const unsigned char *)body, lim, s0};
    /* BOM */
    if (c.i + 3 <= lim && c.s[c.i] == 0xEF && c.s[c.i + 1] == 0xBB && c.s[c.i + 2] == 0xBF)
        c.i += 3;
    size_t start = c.i;

    /* PLACE */
    int place_caps = 1, nwords = 0, caps, cap1, letters, max_letters = 0;
    size_t pe = c.i;
    while (nwords < 5) {
        size_t we = word_end(&c, c.i, &caps, &cap1, &letters);
        if (we == c.i || !cap1)
            break;
        if (nwords == 0 && caps && label_word(c.s, c.i, we))
            return 0;
        /* a month name after the place ("Moscow December 30") ends it */
        if (nwords > 0 && !caps && ws_date_month(body + c.i, we - c.i))
            break;
        if (!caps)
            place_caps = 0;
        if (letters > max_letters)
            max_letters = letters;
        nwords++;
        c.i = we;
        pe = we;
        size_t save = c.i;
        skip_spaces(&c);
        size_t l;
        int32_t cp = peek(&c, c.i, &l);
        if (!is_letter(cp) || c.i == save) {
            c.i = save;
            break;
        }
    }
    if (nwords == 0 || max_letters < 2)
        return 0;
    if (place_caps && max_letters < 3 && nwords == 1)
        place_caps = 0; /* "A", "US" alone are weak */
    size_t place_b = start, place_e = pe;

    /* QUALIFIERs and DATE */
    size_t date_b = 0, date_e = 0;
    for (int q = 0; q < 3; q++) {
        size_t save = c.i;
        int comma = 0;
        if (c.i < lim && c.s[c.i] == ',') {
            c.i++;
            comma = 1;
        }
        skip_spaces(&c);
        size_t de = date_end(&c, c.i);
        if (de > c.i && !date_e) {
            date_b = c.i;
            date_e = de;
            c.i = de;
            break;
        }
        if (!comma) {
            c.i = save;
            break;
        }
        /* qualifier: 1-3 capitalised words, <= 24 bytes */
        size_t qb = c.i, qe = c.i;
        int qw = 0;
        while (qw < 3) {
            size_t we = word_end(&c, c.i, &caps, &cap1, &letters);
            if (we == c.i || !cap1)
                break;
            qw++;
            c.i = we;
            qe = we;
            size_t s2 = c.i;
            skip_spaces(&c);
            size_t l;
            if (!is_letter(peek(&c, c.i, &l)) || c.i == s2) {
                c.i = s2;
                break;
            }
        }
        if (qw == 0 || qe - qb > 24) {
            c.i = save;
            break;
        }
        place_e = qe;
    }
    /* "." after the date ("December 30. /TASS/.") */
    size_t after_date = c.i;
    if (date_e && c.i < lim && c.s[c.i] == '.')
        c.i++;
    skip_spaces(&c);

    /* AGENCY */
    size_t ab = 0, ae = 0;
    size_t ag = agency_end(&c, c.i, &ab, &ae);
    int has_agency = ag > c.i;
    if (has_agency)
        c.i = ag;
    else if (date_e)
        c.i = after_date; /* the dot after a date without agency is no separator */

    /* SEPARATOR */
    size_t sep_end = 0;
    size_t save = c.i;
    skip_spaces(&c);
    size_t dl = dash_len(&c, c.i);
    if (dl) {
        sep_end = c.i + dl;
    } else if (has_agency && save < lim && (c.s[save] == '.' || c.s[save] == ':' || c.s[save] == ',')) {
        sep_end = save + 1;
    } else if (!has_agency && place_caps && nwords >= 2 && save < lim && c.s[save] == ':' &&
               !function_word_in(c.s, place_b, pe)) {
        sep_end = save + 1; /* "NEW DELHI: Their ..." (one word is too often a label: "LOOK:") */
    } else if (has_agency && (place_caps || known_agency(c.s + ab, ae - ab))) {
        sep_end = save; /* "PARIS (AFP) The ..." : the agency ends it */
    } else if (has_agency && save >= lim) {
        sep_end = save;
    }
    if (!sep_end)
        return 0;
    if (!(place_caps || has_agency || date_e))
        return 0;

    /* the text after the separator must not be an all-capitals headline */
    cur t = {c.s, lim, sep_end};
    skip_spaces(&t);
    int lower_seen = 0, upper_words = 0;
    for (int w = 0; w < 4 && t.i < lim; w++) {
        size_t we = word_end(&t, t.i, &caps, &cap1, &letters);
        if (we == t.i) {
            size_t l;
            peek(&t, t.i, &l);
            t.i += l ? l : 1;
            continue;
        }
        if (!caps) lower_seen = 1;
        else if (letters > 1) upper_words++;
        t.i = we;
        skip_spaces(&t);
    }
    if (!lower_seen && upper_words >= 2 && !has_agency)
        return 0;

    /* the span */
    out->start = start;
    out->end = sep_end;
    out->place = place_caps ? title_case(c.s, place_b, pe) : dup_range(c.s, place_b, pe);
    if (out->place && place_e > pe) {
        /* append the qualifiers as written */
        char *q = dup_range(c.s, pe, place_e);
        if (q) {
            size_t a = strlen(out->place), b = strlen(q);
            char *m = malloc(a + b + 1);
            if (m) {
                memcpy(m, out->place, a);
                memcpy(m + a, q, b + 1);
                free(out->place);
                out->place = m;
            }
            free(q);
        }
    }
    if (date_e)
        out->date = dup_range(c.s, date_b, date_e);
    if (has_agency)
        out->agency = dup_range(c.s, ab, ae);
    if (!out->place || (date_e && !out->date) || (has_agency && !out->agency)) {
        ws_dateline_parse_free(out);
        return 0;
    }
    return 1;
}

void ws_dateline_parse_free(ws_dateline_parse *d)
{
    if (!d)
        return;
    free(d->place);
    free(d->date);
    free(d->agency);
    memset(d, 0, sizeof *d);
}
