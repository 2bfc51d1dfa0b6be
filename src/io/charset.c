/*
 * charset.c - bytes in any charset -> UTF-8 (glibc iconv, one descriptor
 * per call, no global state). Order: BOM, then the transport's charset
 * (HTTP Content-Type), then an HTML <meta> prescan, then detection by byte
 * statistics. Invalid or unmappable sequences become U+FFFD, one per bad
 * byte, so nothing is dropped silently and the output is valid UTF-8.
 */
#include "io.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char REPL[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t u8_valid(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else return 0;
    if (n < len) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

int ws_utf8_sanitize(const unsigned char *s, size_t n, ws_bytes *out) {
    if (ws_bytes_reserve(out, n + 16)) return -1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] < 0x80) j++; /* ASCII run */
        if (j > i && ws_bytes_add(out, s + i, j - i)) return -1;
        i = j;
        if (i >= n) break;
        size_t len = u8_valid(s + i, n - i);
        if (len) {
            if (ws_bytes_add(out, s + i, len)) return -1;
            i += len;
        } else {
            if (ws_bytes_add(out, REPL, 3)) return -1;
            i++;
        }
    }
    return ws_bytes_add(out, "", 0);
}

/* ---- names ----------------------------------------------------------- */

/* Canonical iconv name for a declared label, or NULL for UTF-8. Labels
 * follow the WHATWG mapping where it matters: latin1 and ASCII mean
 * windows-1252. */
static const char *canonical(const char *label, char *tmp, size_t tmpn) {
    size_t k = 0;
    while (*label == ' ' || *label == '"' || *label == '\'') label++;
    for (; *label && k + 1 < tmpn; label++) {
        char c = *label;
        if (c == '"' || c == '\'' || c == ' ' || c == ';') break;
        tmp[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    tmp[k] = 0;
    if (!k) return "";
    static const struct { const char *label, *name; } map[] = {
        {"utf-8", NULL}, {"utf8", NULL}, {"unicode-1-1-utf-8", NULL},
        {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
        {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
        {"latin1", "WINDOWS-1252"}, {"l1", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"},
        {"windows-1252", "WINDOWS-1252"}, {"x-cp1252", "WINDOWS-1252"},
        {"iso_8859-1", "WINDOWS-1252"}, {"cp819", "WINDOWS-1252"},
        {"windows-1251", "WINDOWS-1251"}, {"cp1251", "WINDOWS-1251"},
        {"x-cp1251", "WINDOWS-1251"}, {"win-1251", "WINDOWS-1251"},
        {"koi8-r", "KOI8-R"}, {"koi8r", "KOI8-R"}, {"koi8", "KOI8-R"},
        {"koi8-u", "KOI8-U"}, {"koi8-ru", "KOI8-U"},
        {"iso-8859-9", "WINDOWS-1254"}, {"latin5", "WINDOWS-1254"},
        {"tis-620", "WINDOWS-874"}, {"iso-8859-11", "WINDOWS-874"},
        {"shift_jis", "SHIFT_JIS"}, {"sjis", "SHIFT_JIS"}, {"x-sjis", "SHIFT_JIS"},
        {"gb2312", "GBK"}, {"gbk", "GBK"}, {"x-gbk", "GBK"},
        {"utf-16", "UTF-16LE"}, {"utf-16le", "UTF-16LE"}, {"utf-16be", "UTF-16BE"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(tmp, map[i].label)) return map[i].name;
    return tmp; /* let iconv try the label as written */
}

/* ---- detection -------------------------------------------------------- */

const char *ws_charset_detect(const unsigned char *s, size_t n) {
    size_t i = 0, high = 0, bad = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = u8_valid(s + i, n - i);
        if (len) {
            i += len;
            high++;
        } else {
            bad++;
            i++;
        }
    }
    if (!bad) return "UTF-8";
    if (high >= 4 * bad) return "UTF-8"; /* UTF-8 with a few stray bytes */
    /* single-byte: score Russian letter frequencies in both layouts.
     * Frequent lower-case letters o e a i n t s r v l (cp1251 / KOI8-R). */
    static const unsigned char cp1251[] = {0xEE, 0xE5, 0xE0, 0xE8, 0xED, 0xF2,
                                           0xF1, 0xF0, 0xE2, 0xEB};
    static const unsigned char koi8[] = {0xCF, 0xC5, 0xC1, 0xC9, 0xCE, 0xD4,
                                         0xD3, 0xD2, 0xD7, 0xCC};
    size_t sc_w = 0, sc_k = 0, cyr = 0, letters = 0;
    for (i = 0; i < n; i++) {
        unsigned c = s[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') letters++;
        if (c < 0xC0) continue;
        cyr++;
        for (size_t k = 0; k < sizeof cp1251; k++) {
            sc_w += c == cp1251[k];
            sc_k += c == koi8[k];
        }
    }
    /* Cyrillic text: bytes >= 0xC0 outnumber ASCII letters' share */
    if (cyr > 8 && cyr * 2 > letters) return sc_k > sc_w ? "KOI8-R" : "WINDOWS-1251";
    return "WINDOWS-1252";
}

/* ---- <meta> prescan --------------------------------------------------- */

static int ci_at(const unsigned char *s, size_t n, size_t i, const char *w) {
    size_t k = strlen(w);
    return i + k <= n && !strncasecmp((const char *)s + i, w, k);
}

int ws_charset_prescan(const unsigned char *s, size_t n, char *name) {
    if (n > 4096) n = 4096;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || !ci_at(s, n, i, "<meta")) continue;
        size_t end = i;
        while (end < n && s[end] != '>') end++;
        /* charset= anywhere in the tag: <meta charset=x> and
         * <meta http-equiv content="text/html; charset=x"> */
        for (size_t j = i + 5; j + 8 <= end; j++) {
            if (!ci_at(s, end, j, "charset")) continue;
            size_t k = j + 7;
            while (k < end && (s[k] == ' ' || s[k] == '\t')) k++;
            if (k >= end || s[k] != '=') continue;
            k++;
            while (k < end && (s[k] == ' ' || s[k] == '"' || s[k] == '\'')) k++;
            size_t m = 0;
            while (k < end && m < 31 && s[k] != '"' && s[k] != '\'' && s[k] != ' ' &&
                   s[k] != ';' && s[k] != '/' && s[k] != '>')
                name[m++] = (char)s[k++];
            name[m] = 0;
            if (m) return 1;
        }
        i = end;
    }
    return 0;
}

/* ---- conversion ------------------------------------------------------- */

/* Converts with iconv; each byte iconv rejects becomes U+FFFD. Returns 0,
 * -1 on out of memory, 1 if iconv does not know the charset. */
static int convert(const char *from, const unsigned char *s, size_t n, ws_bytes *out) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return 1;
    size_t room = n * 2 + 64;
    if (ws_bytes_reserve(out, room)) {
        iconv_close(cd);
        return -1;
    }
    char *in = (char *)(uintptr_t)s;
    size_t inleft = n;
    int rc = 0;
    while (inleft) {
        if (ws_bytes_reserve(out, 64 + inleft * 2)) {
            rc = -1;
            break;
        }
        char *o = out->p + out->n;
        size_t oleft = out->cap - out->n - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->n = (size_t)(o - out->p);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) continue;
        /* EILSEQ or EINVAL (cut at the end): one U+FFFD per bad byte */
        if (ws_bytes_add(out, REPL, 3)) {
            rc = -1;
            break;
        }
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    if (!rc && ws_bytes_add(out, "", 0)) rc = -1;
    return rc;
}

ws_status ws_charset_to_utf8(const char *data, size_t len, const char *declared, int html,
                             char **out, size_t *out_len, char *used) {
    const unsigned char *s = (const unsigned char *)data;
    ws_bytes b = {NULL, 0, 0};
    const char *cs = NULL; /* NULL: UTF-8 */
    char tmp[64], meta[32];
    int decided = 0;
    /* 1. BOM */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3, len -= 3, decided = 1;
    } else if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        s += 2, len -= 2, cs = "UTF-16LE", decided = 1;
    } else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        s += 2, len -= 2, cs = "UTF-16BE", decided = 1;
    }
    /* 2. the transport, 3. <meta> */
    if (!decided && declared && *declared) {
        const char *c = canonical(declared, tmp, sizeof tmp);
        if (!c || *c) cs = c, decided = 1;
    }
    if (!decided && html && ws_charset_prescan(s, len, meta)) {
        const char *c = canonical(meta, tmp, sizeof tmp);
        /* a page served as bytes cannot really be UTF-16: the meta lies */
        if (c && !strncmp(c, "UTF-16", 6)) c = NULL;
        if (!c || *c) cs = c, decided = 1;
    }
    if (decided && !cs) {
        /* declared UTF-8 that is not: a page with invalid bytes and (almost)
         * no valid multi-byte characters is in a legacy charset */
        size_t multi = 0, bad = 0;
        for (size_t i = 0; i < len;) {
            if (s[i] < 0x80) {
                i++;
                continue;
            }
            size_t k = u8_valid(s + i, len - i);
            if (k) multi++, i += k;
            else bad++, i++;
        }
        if (bad && bad >= 8 * multi) {
            const char *d = ws_charset_detect(s, len);
            if (strcmp(d, "UTF-8") != 0) cs = d;
        }
    }
    if (decided && cs && strncmp(cs, "UTF-16", 6) != 0) {
        /* declared single-byte, but strictly valid UTF-8 with non-ASCII
         * text: a mislabelled UTF-8 page (common in crawls) */
        size_t multi = 0, i = 0;
        while (i < len) {
            if (s[i] < 0x80) {
                i++;
                continue;
            }
            size_t k = u8_valid(s + i, len - i);
            if (!k) break;
            multi++;
            i += k;
        }
        if (i == len && multi) cs = NULL;
    }
    if (!decided) {
        const char *d = ws_charset_detect(s, len);
        cs = strcmp(d, "UTF-8") ? d : NULL;
    }
    int rc = 1;
    if (cs) rc = convert(cs, s, len, &b);
    if (rc == 1) { /* UTF-8, or a charset iconv does not know */
        if (cs) { /* unknown label: detect */
            const char *d = ws_charset_detect(s, len);
            cs = strcmp(d, "UTF-8") ? d : NULL;
            b.n = 0;
            rc = cs ? convert(cs, s, len, &b) : 1;
        }
        if (rc == 1) rc = ws_utf8_sanitize(s, len, &b);
    }
    if (rc < 0) {
        ws_bytes_free(&b);
        return WS_ERR_NOMEM;
    }
    if (used) {
        const char *u = cs ? cs : "UTF-8";
        size_t k = strlen(u) < 31 ? strlen(u) : 31;
        memcpy(used, u, k);
        used[k] = 0;
    }
    *out = b.p;
    *out_len = b.n;
    return WS_OK;
}
