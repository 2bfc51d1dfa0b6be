/*
 * test_json.c - the JSON writer (src/output/json.c) on hand-built documents:
 * exact output, ordering, escaping, invalid UTF-8, numbers, pretty mode.
 * Last line: "N passed, M failed".
 */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>

static int passed, failed;

static void check(int ok, const char *what) {
    if (ok) passed++;
    else failed++, printf("FAIL: %s\n", what);
}

static void check_eq(const char *got, const char *want, const char *what) {
    int ok = got && strcmp(got, want) == 0;
    check(ok, what);
    if (!ok) printf("  got:  %s\n  want: %s\n", got ? got : "(null)", want);
}

static ws_engine *engine;

/* A document over text with no statements and no entities. */
static ws_doc *new_doc(const char *text, size_t n, const char *id) {
    ws_doc *d = calloc(1, sizeof *d);
    d->engine = engine;
    ws_arena_init(&d->arena, &engine->mem);
    d->id = id;
    d->text.s = text;
    d->text.n = (uint32_t)n;
    return d;
}

static void free_doc(ws_doc *d) {
    ws_arena_free(&d->arena);
    free(d);
}

static ws_sp sp(uint32_t a, uint32_t b) {
    ws_sp s = {a, b};
    return s;
}

static ws_stmt stmt(ws_sp content, ws_sp cue, ws_sp source, int32_t ent, float score) {
    ws_stmt s;
    memset(&s, 0, sizeof s);
    s.content[0] = content;
    s.n_content = 1;
    s.cue = cue;
    s.source = source;
    s.entity = ent;
    s.score = score;
    s.pattern = "test";
    s.resolution = "name";
    return s;
}

static void add_ent(ws_doc *d, const char *name, const char *title, uint8_t type,
                    uint8_t gender, ws_sp m) {
    ws_ent e;
    memset(&e, 0, sizeof e);
    e.name = name;
    e.title = title;
    e.type = type;
    e.gender = gender;
    ws_mention mm;
    memset(&mm, 0, sizeof mm);
    mm.span = m;
    WS_VEC_PUSH(&d->arena, e.mentions, mm);
    WS_VEC_PUSH(&d->arena, d->ents, e);
}

static char *render(ws_doc *d, unsigned flags) {
    char *out = NULL;
    size_t n = 0;
    ws_status st = ws_json_write(d, flags, &out, &n);
    check(st == WS_OK, "ws_json_write returns WS_OK");
    check(out && strlen(out) == n, "length matches");
    return out;
}

static void test_empty(void) {
    ws_doc *d = new_doc("", 0, "empty");
    char *j = render(d, WS_JSON_TEXT);
    check_eq(j, "{\"version\":1,\"id\":\"empty\",\"generator\":\"whosaid 0.1.0\","
                "\"quotes\":[],\"entities\":[],\"speakers\":[]}", "empty document");
    ws_free(engine, j);
    j = render(d, WS_JSON_TEXT | WS_JSON_PRETTY);
    check_eq(j, "{\n  \"version\": 1,\n  \"id\": \"empty\",\n  \"generator\": "
                "\"whosaid 0.1.0\",\n  \"quotes\": [],\n  \"entities\": [],\n"
                "  \"speakers\": []\n}", "empty document, pretty");
    ws_free(engine, j);
    free_doc(d);
}

/*            0         1         2         3         4
 *            0123456789012345678901234567890123456789012345 */
static const char text1[] = "Lavrov said \"no\". Ann Lee told \"yes\". He said it.";

static void test_statements(void) {
    ws_doc *d = new_doc(text1, sizeof text1 - 1, "doc1");
    add_ent(d, "Sergey Lavrov", "Foreign Minister", WS_ENT_PERSON, WS_GENDER_MALE, sp(0, 6));
    add_ent(d, "Ann Lee", NULL, WS_ENT_PERSON, WS_GENDER_FEMALE, sp(18, 25));
    /* in document order, as ws_attrib_finish() leaves them (test_attrib
     * checks that order); the writer keeps it and numbers q1, q2, q3 */
    ws_stmt s2 = stmt(sp(32, 35), sp(26, 30), sp(18, 25), 1, 0.5f);
    ws_stmt s3 = stmt(sp(46, 48), sp(41, 45), sp(38, 40), 0, 0.8754f);
    ws_stmt s1 = stmt(sp(13, 15), sp(7, 11), sp(0, 6), 0, 1.0f);
    s1.type = WS_QUOTE_DIRECT;
    s3.type = WS_QUOTE_INDIRECT;
    s3.addressee = sp(0, 0);
    WS_VEC_PUSH(&d->arena, d->stmts, s1);
    WS_VEC_PUSH(&d->arena, d->stmts, s2);
    WS_VEC_PUSH(&d->arena, d->stmts, s3);
    char *j = render(d, WS_JSON_TEXT);
    const char *want =
        "{\"version\":1,\"id\":\"doc1\",\"generator\":\"whosaid 0.1.0\",\"quotes\":["
        "{\"id\":\"q1\",\"type\":\"direct\",\"content\":[{\"start\":13,\"end\":15,\"text\":\"no\"}],"
        "\"cue\":{\"start\":7,\"end\":11,\"text\":\"said\"},"
        "\"source\":{\"start\":0,\"end\":6,\"text\":\"Lavrov\"},"
        "\"speaker\":{\"entity\":\"e1\",\"name\":\"Sergey Lavrov\"},\"addressee\":null,"
        "\"evidence\":{\"pattern\":\"test\",\"resolution\":\"name\",\"confidence\":1.00}},"
        "{\"id\":\"q2\",\"type\":\"direct\",\"content\":[{\"start\":32,\"end\":35,\"text\":\"yes\"}],"
        "\"cue\":{\"start\":26,\"end\":30,\"text\":\"told\"},"
        "\"source\":{\"start\":18,\"end\":25,\"text\":\"Ann Lee\"},"
        "\"speaker\":{\"entity\":\"e2\",\"name\":\"Ann Lee\"},\"addressee\":null,"
        "\"evidence\":{\"pattern\":\"test\",\"resolution\":\"name\",\"confidence\":0.50}},"
        "{\"id\":\"q3\",\"type\":\"indirect\",\"content\":[{\"start\":46,\"end\":48,\"text\":\"it\"}],"
        "\"cue\":{\"start\":41,\"end\":45,\"text\":\"said\"},"
        "\"source\":{\"start\":38,\"end\":40,\"text\":\"He\"},"
        "\"speaker\":{\"entity\":\"e1\",\"name\":\"Sergey Lavrov\"},\"addressee\":null,"
        "\"evidence\":{\"pattern\":\"test\",\"resolution\":\"name\",\"confidence\":0.875}}],"
        "\"entities\":["
        "{\"id\":\"e1\",\"type\":\"PERSON\",\"name\":\"Sergey Lavrov\",\"title\":\"Foreign Minister\","
        "\"gender\":\"male\",\"mentions\":[{\"start\":0,\"end\":6,\"text\":\"Lavrov\"}]},"
        "{\"id\":\"e2\",\"type\":\"PERSON\",\"name\":\"Ann Lee\",\"title\":null,"
        "\"gender\":\"female\",\"mentions\":[{\"start\":18,\"end\":25,\"text\":\"Ann Lee\"}]}],"
        "\"speakers\":["
        "{\"entity\":\"e1\",\"name\":\"Sergey Lavrov\",\"title\":\"Foreign Minister\",\"statements\":2},"
        "{\"entity\":\"e2\",\"name\":\"Ann Lee\",\"title\":null,\"statements\":1}]}";
    check_eq(j, want, "three statements, two entities");
    ws_free(engine, j);
    j = render(d, 0);
    check(j && !strstr(j, "\"text\""), "no text without WS_JSON_TEXT");
    check(j && strstr(j, "\"content\":[{\"start\":13,\"end\":15}]"), "offsets-only span");
    ws_free(engine, j);
    j = render(d, WS_JSON_TEXT | WS_JSON_PRETTY);
    check(j && strstr(j, "\n      \"content\": [\n        {\"start\": 13, \"end\": 15, \"text\": \"no\"}\n      ],"),
          "pretty: spans on one line");
    ws_free(engine, j);
    free_doc(d);
}

static void test_escaping(void) {
    static const char t[] = "a\"b\\c\n\t\x01\0d\xff\xc3\xa9\xe2\x80\x9c\xed\xa0\x80\xc0\xaf\xf0\x9f\x98\x80\xe2\x80";
    size_t n = sizeof t - 1;
    ws_doc *d = new_doc(t, n, "we\"ird\n");
    WS_VEC_PUSH(&d->arena, d->stmts, stmt(sp(0, (uint32_t)n), sp(0, 0), sp(0, 0), -1, 0.0f));
    char *j = render(d, WS_JSON_TEXT);
    check(j && strstr(j, "\"id\":\"we\\\"ird\\n\""), "id escaped");
    check(j && strstr(j, "\"text\":\"a\\\"b\\\\c\\n\\t\\u0001\\u0000d\xef\xbf\xbd\xc3\xa9\xe2\x80\x9c"
                         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xf0\x9f\x98\x80"
                         "\xef\xbf\xbd\xef\xbf\xbd\"}"),
          "control chars, NUL, invalid bytes, surrogates, overlongs, truncated");
    check(j && strstr(j, "\"cue\":null,\"source\":null,\"speaker\":null"), "absent spans are null");
    check(j && strstr(j, "\"confidence\":0.00"), "zero confidence");
    ws_free(engine, j);
    free_doc(d);
}

static void test_clamp_and_tokens(void) {
    static const char t[] = "Hi there.";
    ws_doc *d = new_doc(t, sizeof t - 1, NULL);
    WS_VEC_PUSH(&d->arena, d->stmts, stmt(sp(3, 99), sp(0, 2), sp(0, 0), 7, 2.0f));
    char *j = render(d, WS_JSON_TEXT | WS_JSON_TOKENS);
    check(j && strstr(j, "\"id\":\"-\""), "NULL id is -");
    check(j && strstr(j, "{\"start\":3,\"end\":9,\"text\":\"there.\"}"), "span clamped to the text");
    check(j && strstr(j, "\"speaker\":null"), "unknown entity index gives null speaker");
    check(j && strstr(j, "\"confidence\":1.00"), "confidence clamped to 1");
    check(j && strstr(j, "\"paragraphs\":[],\"sentences\":[],\"tokens\":[]}"), "token arrays");
    ws_free(engine, j);
    free_doc(d);
}

int main(void) {
    if (ws_engine_new(NULL, &engine) != WS_OK) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    test_empty();
    test_statements();
    test_escaping();
    test_clamp_and_tokens();
    ws_engine_free(engine);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
