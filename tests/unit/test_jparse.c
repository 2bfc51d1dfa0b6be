/*
 * test_jparse.c - the store's small JSON reader (src/store/jparse.c)
 * against jansson: strings made of pieces chosen to fall on every position
 * of an 8-byte word (plain ASCII, escapes, \u escapes and surrogate pairs,
 * raw multibyte UTF-8, invalid bytes, control characters, a raw quote, a
 * trailing backslash) must be accepted or rejected as jansson does and,
 * when accepted, decode to the same bytes. Plus a few fixed cases with the
 * reader's own error messages and offsets, and one arena reused for texts
 * of very different sizes (the reader parses a copy of the text in place:
 * the caller's buffer may change at once, the strings must not).
 */
#include "harness.h"
#include "store/jparse.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const pieces[] = {
    "a", "Hello", "0123456789abcdef", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b",
    "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\u0000", "\xc3\xa9", "\xe2\x82\xac",
    "\xf0\x9f\x98\x80",
    /* invalid in a JSON string: */
    "\\ud800", "\\udc00x", "\xff", "\xc0\x80", "\xed\xa0\x80", "\x01", "\x1f", "\"", "\\x",
    "\\u12G4", "\xe2\x82"};
#define NPIECES (sizeof pieces / sizeof pieces[0])
#define NVALID 17 /* the first NVALID pieces are valid anywhere in a string */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static int bad; /* disagreements in the generated cases (the first few printed) */

/* One generated case: counted in `bad`, printed when among the first 5. */
#define AGREE(cond, ...)                          \
    do {                                          \
        if (!(cond) && bad++ < 5) {               \
            printf("disagreement: " __VA_ARGS__); \
            printf("\n");                         \
        }                                         \
    } while (0)
static unsigned next_rand(unsigned n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Parses {"k":"<body>"} with both readers; compares. */
static void compare(const char *body, int trailing_backslash) {
    char doc[1024];
    int len = snprintf(doc, sizeof doc, "{\"k\":\"%s%s\"}", body, trailing_backslash ? "\\" : "");
    if (len <= 0 || (size_t)len >= sizeof doc) return;
    json_error_t jerr;
    json_t *ref = json_loadb(doc, (size_t)len, JSON_ALLOW_NUL, &jerr);
    ws_jarena *a = ws_jarena_new();
    const char *err = NULL;
    size_t off = 0;
    const ws_jv *v = a ? ws_jparse(a, doc, (size_t)len, &err, &off) : NULL;
    const ws_jv *k = v ? ws_jget(v, "k") : NULL;
    int ok_ref = ref != NULL, ok_ws = k != NULL && k->type == WS_JV_STRING;
    AGREE(ok_ref == ok_ws, "accepted by jansson %d, by jparse %d (%s): %s", ok_ref, ok_ws,
          err ? err : "", doc);
    if (ok_ref && ok_ws) {
        json_t *r = json_object_get(ref, "k");
        size_t n = json_string_length(r);
        AGREE(n == k->n && !memcmp(json_string_value(r), k->s, n) && k->s[n] == 0,
              "same string: %s", doc);
    }
    json_decref(ref);
    ws_jarena_free(a);
}

static void fixed_cases(void) {
    static const struct {
        const char *doc, *err; /* err NULL: valid */
        long off;              /* the error's offset, -1: not checked */
    } cases[] = {
        {"{\"k\":\"abcdefgh\"}", NULL, -1},
        {"{\"k\":\"abcdefg\\\"\"}", NULL, -1},
        {"{\"k\":\"abcdefghijklmnop\\\\\"}", NULL, -1},
        {"{\"k\":\"abc", "unterminated string", 6},
        {"{\"k\":\"abcdefghijk\\", "unterminated string", 6},
        {"{\"k\":\"abcdefgh\x01z\"}", "control character in a string", 6},
        {"{\"k\":\"abcdefgh\xffz\"}", "invalid UTF-8 in a string", 6},
        {"{\"k\":\"abcdefgh\\q\"}", "bad escape", 6},
        /* a string with an error inside and no closing quote: unterminated */
        {"{\"k\":\"ab\x01z", "unterminated string", 6},
        {"{\"k\":\"ab\\qz", "unterminated string", 6},
        {"{\"k\":\"ab\\ud800", "unterminated string", 6},
        {"{\"k\":\"ab\\u12", "unterminated string", 6},
        {"{\"k\":\"a\\n\\ud800\\\"", "unterminated string", 6},
        {"{\"k\":\"a\\n\\ud800 \"}", "lone surrogate", 6},
        {"{\"k\":\"a\\n\\u12G4\"}", "bad \\u escape", 6},
        {"{\"k\":\"a\\nb\xc3(\"}", "invalid UTF-8 in a string", 6},
        {"{\"a\":1,\"bcdefghijk\":\"x\\u00e9\\ty\",\"k\":\"z\x1f\"}", "control character in a string",
         38},
        /* outside strings (every message and offset here as before the in-place
         * parse: checked against the previous jparse.c) */
        {"", "unexpected end", 0},
        {"{\"k\":", "unexpected end", 5},
        {"{\"k\":1", "unexpected end", 6},
        {"{\"k\":1 x", "expected ',' or '}'", 7},
        {"[1,2", "unexpected end", 4},
        {"[1 2]", "expected ',' or ']'", 3},
        {"{\"k\" 1}", "expected ':'", 5},
        {"{1:2}", "expected a key", 1},
        {"{\"k\":-}", "bad value", 5},
        {"{\"k\":1.}", "bad number", 5},
        {"{\"k\":1e+}", "bad number", 5},
        {"{\"k\":tru}", "bad value", 5},
        {"{\"k\":1}x", "text after the value", 7},
        {"{\"k\":1}  ", NULL, -1},
        {"{\"k\":[01]}", "expected ',' or ']'", 7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ws_jarena *a = ws_jarena_new();
        const char *err = NULL;
        size_t off = 0;
        const ws_jv *v = ws_jparse(a, cases[i].doc, strlen(cases[i].doc), &err, &off);
        if (cases[i].err) {
            CHECK(!v && err && !strcmp(err, cases[i].err), "case %zu: want '%s', got '%s'", i,
                  cases[i].err, v ? "(valid)" : err ? err : "(null)");
            if (cases[i].off >= 0)
                CHECK(!v && off == (size_t)cases[i].off, "case %zu: want offset %ld, got %zu", i,
                      cases[i].off, off);
        } else
            CHECK(v != NULL, "case %zu valid: %s", i, err ? err : "");
        ws_jarena_free(a);
    }
    /* a NUL byte inside the text is no end */
    static const char nul_in_string[] = "{\"k\":\"a\0b\"}", nul_after[] = "{\"k\":1}\0";
    ws_jarena *a = ws_jarena_new();
    const char *err = NULL;
    size_t off = 0;
    CHECK(!ws_jparse(a, nul_in_string, sizeof nul_in_string - 1, &err, &off) && err &&
              !strcmp(err, "control character in a string"),
          "NUL in a string: %s", err ? err : "(valid)");
    err = NULL;
    CHECK(!ws_jparse(a, nul_after, sizeof nul_after - 1, &err, &off) && err &&
              !strcmp(err, "text after the value") && off == 7,
          "NUL after the value: %s at %zu", err ? err : "(valid)", off);
    ws_jarena_free(a);
}

/* One arena, texts of very different sizes in turn (a 2 MB string, then
 * short ones: the arena's copy of the text grows and is given back), each
 * parsed from a buffer that is overwritten right after the parse: the
 * strings live in the arena. */
static void reuse(void) {
    ws_jarena *a = ws_jarena_new();
    static const size_t sizes[] = {10, 70000, 3, 2100000, 5, 200000, 1, 4000000, 0, 17};
    for (size_t r = 0; r < 3 * sizeof sizes / sizeof sizes[0]; r++) {
        size_t n = sizes[r % (sizeof sizes / sizeof sizes[0])];
        char *doc = malloc(n + 64);
        if (!doc) break;
        int h = snprintf(doc, 64, "{\"id\":%zu,\"s\":\"", r);
        for (size_t i = 0; i < n; i++) doc[h + i] = (char)('a' + (i * 7 + r) % 26);
        if (n > 2) memcpy(doc + h + n / 2, "\\n", 2); /* one escape in the middle */
        size_t len = (size_t)h + n;
        len += (size_t)snprintf(doc + len, 64, "\",\"t\":[true,null,\"x\"]}");
        const char *err = NULL;
        size_t off = 0;
        const ws_jv *v = ws_jparse(a, doc, len, &err, &off);
        memset(doc, '#', len); /* the caller's buffer may be reused at once */
        const ws_jv *s = v ? ws_jget(v, "s") : NULL;
        int ok = s && s->type == WS_JV_STRING && s->n == (n > 2 ? n - 1 : n) && !s->s[s->n];
        for (size_t i = 0, k = 0; ok && i < n; i++, k++) {
            if (n > 2 && i == n / 2) {
                ok = s->s[k] == '\n';
                i++;
                continue;
            }
            ok = s->s[k] == (char)('a' + (i * 7 + r) % 26);
        }
        CHECK(ok, "round %zu: a string of %zu bytes read back (%s)", r, n, err ? err : "");
        CHECK(v && ws_jint(ws_jget(v, "id")) == (int64_t)r && ws_jcount(ws_jget(v, "t")) == 3 &&
                  ws_jstr(ws_jat(ws_jget(v, "t"), 2)) &&
                  !strcmp(ws_jstr(ws_jat(ws_jget(v, "t"), 2)), "x"),
              "round %zu: the other members", r);
        free(doc);
    }
    ws_jarena_free(a);
}

/* Numbers: the reader's value against strtod / strtoll on the same text
 * (bit for bit, so -0.0 too), for short and long, integer and decimal,
 * with and without exponents. */
static void numbers(void) {
    static const char *const fixed[] = {"0", "-0", "0.8", "-0.0", "0.1", "0.30000000000000004",
                                        "123456789012345", "1234567890123456",
                                        "9007199254740993", "-9223372036854775808",
                                        "99999999999999999999", "1e5", "2.5E-3", "0.000001",
                                        "123.456", "1.7976931348623157e308", "1e999"};
    char doc[128], num[64];
    for (int i = 0; i < 20000 + (int)(sizeof fixed / sizeof fixed[0]); i++) {
        if (i < (int)(sizeof fixed / sizeof fixed[0])) snprintf(num, sizeof num, "%s", fixed[i]);
        else { /* -?D+(.D+)? with 1-20 digits in all, sometimes an exponent */
            size_t n = 0;
            if (next_rand(3) == 0) num[n++] = '-';
            int lead = 1 + (int)next_rand(10), fr = (int)next_rand(11);
            for (int k = 0; k < lead; k++)
                num[n++] = (char)('0' + (k == 0 && lead > 1 ? 1 + next_rand(9) : next_rand(10)));
            if (fr) {
                num[n++] = '.';
                for (int k = 0; k < fr; k++) num[n++] = (char)('0' + next_rand(10));
            }
            if (next_rand(8) == 0) n += (size_t)snprintf(num + n, 8, "e%d", (int)next_rand(40) - 20);
            num[n] = 0;
        }
        snprintf(doc, sizeof doc, "{\"k\":%s}", num);
        ws_jarena *a = ws_jarena_new();
        const char *err = NULL;
        size_t off = 0;
        const ws_jv *v = ws_jparse(a, doc, strlen(doc), &err, &off);
        const ws_jv *k = v ? ws_jget(v, "k") : NULL;
        int isint = !strpbrk(num, ".eE");
        double want = strtod(num, NULL);
        AGREE(k && k->type == (isint ? WS_JV_INT : WS_JV_REAL) && !memcmp(&k->num, &want, sizeof want),
              "%s: got %.17g, want %.17g", num, k ? k->num : 0.0, want);
        if (k && isint)
            AGREE(k->inum == strtoll(num, NULL, 10), "%s: integer %lld", num, (long long)k->inum);
        ws_jarena_free(a);
    }
}

int main(void) {
    fixed_cases();
    reuse();
    numbers();
    CHECK(bad == 0, "%d of the generated numbers differ from strtod", bad);
    bad = 0;
    char body[700];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        int npieces = 1 + (int)next_rand(24);
        int invalid_ok = round % 4 == 0; /* a quarter may hold an invalid piece */
        body[0] = 0;
        for (int i = 0; i < npieces; i++) {
            const char *pc = pieces[next_rand(invalid_ok ? NPIECES : NVALID)];
            size_t m = strlen(pc);
            if (pc[0] == 0x01 || pc[0] == 0x1f) m = 1;
            if (n + m + 1 >= sizeof body) break;
            memcpy(body + n, pc, m);
            n += m;
            body[n] = 0;
        }
        compare(body, round % 97 == 0);
    }
    CHECK(bad == 0, "%d of 20,000 generated strings differ from jansson", bad);
    return TEST_REPORT();
}
