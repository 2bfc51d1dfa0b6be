/*
 * test_coref.c - speaker resolution (src/attrib/coref.c) on statements
 * filled in by hand: the source is given as a substring of the text, the
 * test checks the resolved entity's name and the resolution string.
 * Last line: "N passed, M failed".
 */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>

static int passed, failed;

typedef struct src {
    const char *text; /* the source's text */
    int nth;          /* its occurrence (0 = first) */
    const char *name; /* expected speaker name, NULL: none */
    const char *how;  /* expected resolution */
} src;

typedef struct tcase {
    const char *name;
    const char *text;
    src s[8];
} tcase;

static const tcase cases[] = {
    {"titled name and surname",
     "Russian Foreign Minister Sergey Lavrov told TASS that talks are over. "
     "Lavrov noted that nothing changed.",
     {{"Russian Foreign Minister Sergey Lavrov", 0, "Sergey Lavrov", "name"},
      {"Lavrov", 1, "Sergey Lavrov", "surname"}}},
    {"headline surname before full name",
     "Talks are over, Lavrov says\n\nMOSCOW, December 30. /TASS/. Talks are "
     "over, Russian Foreign Minister Sergey Lavrov said.",
     {{"Lavrov", 0, "Sergey Lavrov", "name"},
      {"Russian Foreign Minister Sergey Lavrov", 0, "Sergey Lavrov", "name"}}},
    {"title alone",
     "Foreign Minister Sergey Lavrov arrived on Monday. The Minister said "
     "the talks failed.",
     {{"The Minister", 0, "Sergey Lavrov", "title"}}},
    {"pronoun with two genders",
     "Mary Jones met John Smith on Monday. He said the deal was done.",
     {{"He", 0, "John Smith", "pronoun"}}},
    {"pronoun she",
     "John Smith met Mary Jones on Monday. She said the deal was done.",
     {{"She", 0, "Mary Jones", "pronoun"}}},
    {"who",
     "The plan was backed by Hugh Hill, who said it would work.",
     {{"who", 0, "Hugh Hill", "relative-pronoun"}}},
    {"appositive title",
     "Hugh Hill, a doctor, said the clinic was full. The doctor said more "
     "beds were needed.",
     {{"Hugh Hill", 0, "Hugh Hill", "name"},
      {"The doctor", 0, "Hugh Hill", "title"}}},
    {"organisation noun",
     "The Foreign Ministry issued a statement. The ministry said the "
     "embassy was open.",
     {{"The ministry", 0, "Foreign Ministry", "organisation"}}},
    {"anonymous",
     "A senior official said the talks failed. Sources said otherwise. "
     "A spokesperson for the ministry said no.",
     {{"A senior official", 0, NULL, "anonymous"},
      {"A spokesperson for the ministry", 0, NULL, "anonymous"},
      {"Sources", 0, NULL, "anonymous"}}},
    {"unresolved",
     "The weather was bad. The man said it would rain.",
     {{"The man", 0, NULL, "unresolved"}}},
    {"mr surname",
     "Mr. Hill said the clinic was full. Hill added that beds were needed.",
     {{"Mr. Hill", 0, "Hill", "name"}, {"Hill", 1, "Hill", "name"}}},
    {"two titled people",
     "U.S. Secretary of State Antony Blinken met Russian Foreign Minister "
     "Sergey Lavrov in Geneva. The Secretary of State said the talks were "
     "frank. The Foreign Minister said they were useful.",
     {{"The Secretary of State", 0, "Antony Blinken", "title"},
      {"The Foreign Minister", 0, "Sergey Lavrov", "title"}}},
    {"capitalised description",
     "Rep. Trey Gowdy spoke on Monday. The South Carolina Republican said "
     "the report was damning.",
     {{"The South Carolina Republican", 0, "Trey Gowdy", "nominal"}}},
    {"then-title is a title, a lone modifier is not",
     "Hillary Clinton spoke. He criticised then-Secretary of State Clinton. "
     "The secretary said nothing.",
     {{"The secretary", 0, "Hillary Clinton", "title"}}},
    {"gender keeps two people with one surname apart",
     "Mr. Obama spoke first. Michelle Obama said the vote mattered. "
     "Mr. Obama said he agreed.",
     {{"Michelle Obama", 0, "Michelle Obama", "name"},
      {"Mr. Obama", 1, "Obama", "name"}}},
    {"organisation named by a noun phrase",
     "The Trump campaign said it would appeal. The campaign said more "
     "later.",
     {{"The Trump campaign", 0, "Trump campaign", "organisation"},
      {"The campaign", 0, "Trump campaign", "organisation"}}},
    {"acronym source, dateline skipped",
     "MOSCOW, May 1. The NAACP said the vote was unfair.",
     {{"The NAACP", 0, "NAACP", "organisation"}}},
    {"gendered title beats first name",
     "Company spokeswoman Alex Kim met John Brown on Monday. She said the "
     "plant would reopen.",
     {{"She", 0, "Alex Kim", "pronoun"}}},
    {"unique first name",
     "Maria Zakharova said a note had been sent. Maria added that no reply "
     "had come.",
     {{"Maria", 1, "Maria Zakharova", "first-name"}}},
    {"source keeps its appositive, speaker is the name",
     "Hugh Hill, a doctor, said the clinic was full. Sergey Lavrov, the "
     "foreign minister, said the visit was useful. The minister said talks "
     "would go on. The doctor said more beds were needed.",
     {{"Hugh Hill, a doctor", 0, "Hugh Hill", "name"},
      {"Sergey Lavrov, the foreign minister", 0, "Sergey Lavrov", "name"},
      {"The minister", 0, "Sergey Lavrov", "title"},
      {"The doctor", 0, "Hugh Hill", "title"}}},
    {"appositive with a possessive, pronoun skips her",
     "Sergey Lavrov said the talks were over. Maria Zakharova, the "
     "ministry's spokeswoman, said a note had been sent. He added that "
     "Moscow would wait.",
     {{"Maria Zakharova, the ministry's spokeswoman", 0, "Maria Zakharova",
       "name"},
      {"He", 0, "Sergey Lavrov", "pronoun"}}},
    {"particles inside a name",
     "Ursula von der Leyen said Europe would act. Von der Leyen added that "
     "talks would go on. Osama bin Laden was not mentioned.",
     {{"Ursula von der Leyen", 0, "Ursula von der Leyen", "name"},
      {"Von der Leyen", 0, "Ursula von der Leyen", "surname"}}},
    {"plural group is no name",
     "Lawyers for the family said the video would be released. Doctors "
     "said the ward was full.",
     {{"Lawyers for the family", 0, NULL, "anonymous"},
      {"Doctors", 0, NULL, "anonymous"}}},
};

/* Entity titles from appositives: the name, then its expected title. */
static const char *const titles[][3] = {
    {"Hugh Hill, a doctor, said the clinic was full.", "Hugh Hill",
     "doctor"},
    {"Sergey Lavrov, the foreign minister, said the visit was useful.",
     "Sergey Lavrov", "foreign minister"},
    {"Maria Zakharova, the ministry's spokeswoman, said a note was sent.",
     "Maria Zakharova", "spokeswoman"},
};

static ws_sp find_sp(const char *text, const char *what, int nth) {
    ws_sp s = {0, 0};
    const char *p = text;
    for (int k = 0; p; k++) {
        p = strstr(p, what);
        if (p && k == nth) {
            s.start = (uint32_t)(p - text);
            s.end = s.start + (uint32_t)strlen(what);
            return s;
        }
        if (p) p++;
    }
    return s;
}

static void run_case(const ws_engine *e, const tcase *tc) {
    ws_doc *d = calloc(1, sizeof *d);
    d->engine = e;
    ws_arena_init(&d->arena, &e->mem);
    size_t n = strlen(tc->text);
    if (ws_text_analyze(&d->arena, tc->text, n, &d->text) != WS_OK) abort();
    size_t k = 0;
    for (; k < 8 && tc->s[k].text; k++) {
        ws_stmt st;
        memset(&st, 0, sizeof st);
        st.source = find_sp(tc->text, tc->s[k].text, tc->s[k].nth);
        st.entity = -1;
        if (WS_VEC_PUSH(&d->arena, d->stmts, st)) abort();
    }
    ws_status rc = ws_resolve_speakers(e, d);
    for (size_t i = 0; i < k; i++) {
        const ws_stmt *st = &d->stmts.v[i];
        const src *want = &tc->s[i];
        const char *got = st->entity >= 0 ? d->ents.v[st->entity].name : NULL;
        int ok = rc == WS_OK &&
                 (got && want->name ? !strcmp(got, want->name)
                                    : got == want->name) &&
                 st->resolution && !strcmp(st->resolution, want->how);
        if (ok) {
            passed++;
            continue;
        }
        failed++;
        printf("FAIL %s: source \"%s\": got %s (%s), want %s (%s)\n",
               tc->name, want->text, got ? got : "-",
               st->resolution ? st->resolution : "?",
               want->name ? want->name : "-", want->how);
    }
    ws_arena_free(&d->arena);
    free(d);
}

/* The source is the whole sentence subject, appositive included; the
 * entity is named by the name and titled by the appositive. */
static void run_title(const ws_engine *e, const char *const *tc) {
    const char *text = tc[0];
    ws_doc *d = calloc(1, sizeof *d);
    d->engine = e;
    ws_arena_init(&d->arena, &e->mem);
    if (ws_text_analyze(&d->arena, text, strlen(text), &d->text)) abort();
    ws_stmt st;
    memset(&st, 0, sizeof st);
    st.entity = -1;
    st.source.start = 0;
    st.source.end = (uint32_t)(strstr(text, ", said") - text);
    if (WS_VEC_PUSH(&d->arena, d->stmts, st)) abort();
    const ws_ent *en = NULL;
    if (ws_resolve_speakers(e, d) == WS_OK && d->stmts.v[0].entity >= 0)
        en = &d->ents.v[d->stmts.v[0].entity];
    int ok = en && !strcmp(en->name, tc[1]) && en->title &&
             !strcmp(en->title, tc[2]);
    if (ok) passed++;
    else failed++, printf("FAIL title of %s: got %s / %s\n", tc[1],
                          en ? en->name : "-",
                          en && en->title ? en->title : "-");
    ws_arena_free(&d->arena);
    free(d);
}

/* "I" as a source inside a quote takes the enclosing speaker. */
static void run_self(const ws_engine *e) {
    const char *text = "\"I told them no,\" Lavrov said.";
    ws_doc *d = calloc(1, sizeof *d);
    d->engine = e;
    ws_arena_init(&d->arena, &e->mem);
    if (ws_text_analyze(&d->arena, text, strlen(text), &d->text)) abort();
    ws_stmt st;
    memset(&st, 0, sizeof st);
    st.entity = -1;
    st.source = find_sp(text, "I", 0);
    if (WS_VEC_PUSH(&d->arena, d->stmts, st)) abort();
    st.source = find_sp(text, "Lavrov", 0);
    st.content[0] = find_sp(text, "I told them no,", 0);
    st.n_content = 1;
    if (WS_VEC_PUSH(&d->arena, d->stmts, st)) abort();
    int ok = ws_resolve_speakers(e, d) == WS_OK &&
             d->stmts.v[0].entity == d->stmts.v[1].entity &&
             d->stmts.v[0].entity >= 0 &&
             !strcmp(d->stmts.v[0].resolution, "self");
    if (ok) passed++;
    else failed++, printf("FAIL self: got %s\n", d->stmts.v[0].resolution);
    ws_arena_free(&d->arena);
    free(d);
}

/* A large input: resolution stays fast and bounded. */
static void run_big(const ws_engine *e) {
    const char *unit = "Mary Jones met John Smith on Monday. He said the "
                       "deal was done. The Minister said no.\n\n";
    size_t ul = strlen(unit), reps = 20000;
    char *text = malloc(ul * reps + 1);
    for (size_t i = 0; i < reps; i++) memcpy(text + i * ul, unit, ul);
    text[ul * reps] = 0;
    ws_doc *d = calloc(1, sizeof *d);
    d->engine = e;
    ws_arena_init(&d->arena, &e->mem);
    if (ws_text_analyze(&d->arena, text, ul * reps, &d->text) != WS_OK) abort();
    for (size_t i = 0; i < reps; i++) {
        ws_stmt st;
        memset(&st, 0, sizeof st);
        st.source.start = (uint32_t)(i * ul + 37);
        st.source.end = st.source.start + 2;
        st.entity = -1;
        if (WS_VEC_PUSH(&d->arena, d->stmts, st)) abort();
    }
    int ok = ws_resolve_speakers(e, d) == WS_OK && d->ents.n >= 2 &&
             d->stmts.v[reps - 1].entity >= 0;
    if (ok) passed++;
    else failed++, printf("FAIL big document\n");
    ws_arena_free(&d->arena);
    free(d);
    free(text);
}

int main(void) {
    ws_engine eng, *e = &eng; /* no models needed: text and coref only */
    memset(&eng, 0, sizeof eng);
    ws_mem_init(&eng.mem, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(e, &cases[i]);
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        run_title(e, titles[i]);
    run_self(e);
    run_big(e);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
