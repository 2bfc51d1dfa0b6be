/*
 * coref.c - speaker resolution inside one article.
 *
 * 1. scan: one pass over the tokens finds name phrases: capitalised runs
 *    with the titles and honorifics before them ("Russian Foreign Minister
 *    Sergey Lavrov", "Mr. Hill", "the Foreign Ministry") and appositive
 *    titles after them ("Hugh Hill, a doctor,").
 * 2. link, in document order, interleaved with the statements sorted by
 *    source position: a name phrase creates or joins an entity (full name,
 *    surname, unique first name); a statement source resolves through the
 *    name phrase inside it, else as a pronoun, "who", a title ("the
 *    Minister"), an organisation noun ("the ministry"), an anonymous source
 *    ("a senior official") or stays unresolved.
 * 3. "I"/"we" sources inside quotes take the enclosing statement's speaker.
 *
 * Work is linear in the tokens: lookups go through hash tables, title and
 * pronoun searches through a fixed window of recently mentioned entities.
 * Everything lives in the document's arena.
 */
#include "attrib.h"
#include "lex_people.h"
#include "lex_index.h"
#include "../model/pos.h"

#include <stdlib.h>

#define RECENT_MAX 64 /* entities searched for titles, pronouns, nouns */
#define RUN_MAX 12    /* tokens in one capitalised run */
#define PART_MAX 3    /* particles in a row inside a name: "von der" */
#define BACK_MAX 6    /* lowercase title words looked at before a name */
#define APPOS_MAX 8   /* words of an appositive title */
#define NP_BACK 48    /* name phrases looked at backwards for pronouns */
#define SELF_WIN 32   /* statements looked at for an enclosing quote */
#define WORD_MAX 64   /* bytes of a lowercased word */
#define TEXT_MAX 256  /* bytes of a built name or title */

enum { HOW_NAME = 1, HOW_SURNAME, HOW_FIRST, HOW_ORG };

/* A name phrase found by the scan. */
typedef struct np {
    uint32_t start, end;     /* all its tokens, titles included */
    uint32_t name_s, name_e; /* the name tokens */
    uint32_t tit_s, tit_e;   /* title tokens before the name (may be empty) */
    uint32_t app_s, app_e;   /* appositive title tokens (may be empty) */
    uint32_t para;
    uint8_t type;    /* WS_ENT_PERSON or WS_ENT_ORG */
    uint8_t gender;  /* from honorifics, titles and the first name */
    uint8_t titled;  /* had a title or honorific: may create an entity */
    uint8_t subject; /* starts its sentence */
    uint8_t forced;  /* overlaps a statement source: always an entity */
    uint8_t how;     /* HOW_* once linked */
    int32_t ent;     /* linked entity, -1 */
} np;

/* Extra per-entity data, parallel to d->ents. */
typedef struct entx {
    uint64_t first_key, last_key;
    uint32_t nwords;
} entx;

typedef struct hent {
    uint64_t key;
    int32_t ent;
    int32_t n; /* distinct entities stored under the key */
} hent;

typedef struct htab {
    hent *v;
    uint32_t cap, n;
} htab;

typedef struct cx {
    ws_doc *d;
    const ws_text *t;
    ws_arena *a;
    uint16_t *fl; /* ws_lex_person_word() flags of each token */
    WS_VEC(np) nps;
    WS_VEC(entx) ex;
    htab full, last, first;
    htab capmid; /* words capitalised inside a sentence: names, not nouns */
    int32_t recent[RECENT_MAX];
    uint32_t n_recent;
    uint32_t linked;    /* nps[0..linked) are linked */
    int32_t prev_ent;   /* speaker of the previous resolved statement */
    ws_status st;       /* sticky error of a lazy link */
    uint32_t prev_para;
    uint32_t prev_end;  /* token after the previous statement's source */
} cx;

/* ---- tokens ---------------------------------------------------------- */

static size_t low(const cx *c, uint32_t i, char *buf) {
    return ws_tok_lower(c->t, i, buf, WORD_MAX);
}

/* The token's lowercase form without a copy when it fits (as low()). */
static const char *lowp(const cx *c, uint32_t i, char *buf, size_t *len) {
    return ws_tok_lowp(c->t, i, buf, WORD_MAX, len);
}

/* The token's entry in the word index (lex_index.h). */
static const ws_lexent *lex(const cx *c, uint32_t i) {
    return ws_lex_tok(c->t, i);
}

static unsigned wflags(const cx *c, uint32_t i) { return c->fl[i]; }

/* Looks up every word once: the scan asks for flags many times. */
static ws_status word_flags_all(cx *c) {
    uint32_t n = c->t->toks.n;
    c->fl = ws_arena_alloc(c->a, (size_t)n * sizeof *c->fl);
    WS_RETURN_IF(!c->fl, WS_ERR_NOMEM);
    for (uint32_t i = 0; i < n; i++) {
        char buf[WORD_MAX];
        if (i + 8 < n) WS_PREFETCH(lex(c, i + 8)); /* out of cache after the taggers */
        c->fl[i] = 0;
        if (c->t->toks.v[i].kind != WS_TOK_WORD) continue;
        size_t len, k = 0;
        const char *b = lowp(c, i, buf, &len);
        if (len > 5 && !memcmp(b, "then-", 5)) k = 5; /* then-Secretary */
        if (len > 3 && !memcmp(b, "ex-", 3)) k = 3;
        c->fl[i] = k ? ws_lexidx_find(c->t->lex, b + k, len - k)->person
                     : lex(c, i)->person;
    }
    return WS_OK;
}

static int is_word(const cx *c, uint32_t i) {
    return c->t->toks.v[i].kind == WS_TOK_WORD;
}

static int is_cap(const cx *c, uint32_t i) {
    return is_word(c, i) && (c->t->toks.v[i].flags & WS_TF_CAP);
}

static int same_sent(const cx *c, uint32_t i, uint32_t j) {
    return c->t->toks.v[i].sent == c->t->toks.v[j].sent;
}

static uint32_t tok_para(const cx *c, uint32_t i) {
    uint32_t s = c->t->toks.v[i].sent;
    return s < c->t->sents.n ? c->t->sents.v[s].para : 0;
}

/* Is the token, compared ASCII-case-insensitively (ws_tok_ieq), a word
 * of a list (WS_LC_*)? The index matches its lowercase form; the same
 * length as the raw bytes means those are ASCII, as ws_tok_ieq needs
 * (every other character changes length or stays non-ASCII). */
static int tok_in(const cx *c, uint32_t i, unsigned list) {
    const ws_lexent *e = lex(c, i);
    return (e->coref & list) && e->len == ws_tok_len(c->t, i);
}

static const char *const particles[] = {"de", "van", "von", "der", "den",
    "bin", "bint", "ibn", "al", "el", "ben", "da", "du", "dos", "das", "di",
    "del", "della", "des", "la", "le", "ter", "zu", "abu", NULL};
static const char *const dets[] = {"the", "a", "an", NULL};
static const char *const definite[] = {"the", "this", "that", NULL};
static const char *const indefinite[] = {"a", "an", "one", "some",
    "several", "two", "three", "four", "many", "other", "another", "most",
    "few", "various", "senior", "unnamed", "anonymous", NULL};
static const char *const head_stops[] = {"of", "at", "in", "with", "from",
    "for", "familiar", "close", "who", "on", "to", ",", "(", NULL};

/* The lists as bits of the engine's word index (lex_index.h). */
int ws_coref_lex_fill(ws_lexb *b) {
    static const struct {
        const char *const *list;
        unsigned bit;
    } lists[] = {{particles, WS_LC_PARTICLE}, {dets, WS_LC_DET},
                 {definite, WS_LC_DEFINITE}, {indefinite, WS_LC_INDEFINITE},
                 {head_stops, WS_LC_HEADSTOP}};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        for (size_t i = 0; lists[k].list[i]; i++) {
            ws_lexent *e = ws_lexb_get(b, lists[k].list[i]);
            if (!e) return -1;
            e->coref |= (uint8_t)lists[k].bit;
        }
    return 0;
}

/* A name-like word: capitalised, not a function word. */
static int name_word(const cx *c, uint32_t i) {
    return is_cap(c, i) && !(wflags(c, i) & WS_LP_STOP);
}

/* ---- hash tables ----------------------------------------------------- */

static hent *ht_slot(const htab *h, uint64_t key) {
    uint32_t m = h->cap - 1, i = (uint32_t)(key ^ (key >> 32)) & m;
    while (h->v[i].key && h->v[i].key != key) i = (i + 1) & m;
    return &h->v[i];
}

static const hent *ht_get(const htab *h, uint64_t key) {
    if (!h->cap) return NULL;
    const hent *e = ht_slot(h, key ? key : 1);
    return e->key ? e : NULL;
}

static int ht_grow(ws_arena *a, htab *h) {
    htab nh = {NULL, h->cap ? h->cap * 2 : 64, h->n};
    nh.v = ws_arena_calloc(a, (size_t)nh.cap * sizeof *nh.v);
    if (!nh.v) return -1;
    for (uint32_t i = 0; i < h->cap; i++)
        if (h->v[i].key) *ht_slot(&nh, h->v[i].key) = h->v[i];
    *h = nh;
    return 0;
}

/* Stores ent under key and counts distinct ents. The most recent wins,
 * unless keep(old) says the stored one should stay. */
static int ht_put_if(ws_arena *a, htab *h, uint64_t key, int32_t ent,
                     int (*keep)(const void *ctx, int32_t old, int32_t ent),
                     const void *ctx) {
    if (!key) key = 1;
    if ((h->n + 1) * 2 > h->cap && ht_grow(a, h)) return -1;
    hent *e = ht_slot(h, key);
    if (!e->key) {
        e->key = key, e->ent = ent, e->n = 1;
        h->n++;
    } else if (e->ent != ent) {
        if (!keep || !keep(ctx, e->ent, ent)) e->ent = ent;
        e->n++;
    }
    return 0;
}

static int ht_put(ws_arena *a, htab *h, uint64_t key, int32_t ent) {
    return ht_put_if(a, h, key, ent, NULL, NULL);
}

static uint64_t tok_key(const cx *c, uint32_t i, uint64_t h) {
    const ws_text *t = c->t;
    if (h == WS_HASH_SEED && t->low_hash &&
        t->low_off[i + 1] - t->low_off[i] - 1 < WORD_MAX)
        return t->low_hash[i]; /* the same hash, kept by the text layer */
    char buf[WORD_MAX];
    size_t n;
    const char *b = lowp(c, i, buf, &n);
    return ws_hash_bytes(h, b, n);
}

static uint64_t range_key(const cx *c, uint32_t s, uint32_t e) {
    uint64_t h = WS_HASH_SEED;
    for (uint32_t i = s; i < e; i++) {
        h = tok_key(c, i, h);
        h = ws_hash_bytes(h, " ", 1);
    }
    return h;
}

/* ---- strings --------------------------------------------------------- */

/* Appends token i to buf (a space before it when the text has one). */
static size_t put_tok(const cx *c, uint32_t i, char *buf, size_t n) {
    uint32_t len = ws_tok_len(c->t, i);
    if (n && n < TEXT_MAX - 1) buf[n++] = ' ';
    if (n + len >= TEXT_MAX) return n;
    memcpy(buf + n, ws_tok_ptr(c->t, i), len);
    return n + len;
}

static const char *range_str(cx *c, uint32_t s, uint32_t e) {
    char buf[TEXT_MAX];
    size_t n = 0;
    for (uint32_t i = s; i < e; i++) {
        int glue = i > s && !(c->t->toks.v[i].flags & WS_TF_SPACE_BEFORE);
        if (glue && n + ws_tok_len(c->t, i) < TEXT_MAX) {
            memcpy(buf + n, ws_tok_ptr(c->t, i), ws_tok_len(c->t, i));
            n += ws_tok_len(c->t, i);
        } else {
            n = put_tok(c, i, buf, n);
        }
    }
    return ws_arena_strndup(c->a, buf, n);
}

/* A title word kept in the entity's title string. */
static int title_keep(const cx *c, uint32_t i) {
    unsigned f = wflags(c, i);
    if (!is_word(c, i) || tok_in(c, i, WS_LC_DET)) return 0;
    if (f & WS_LP_NATION) return 0;
    if ((f & WS_LP_HONOR) && (f & (WS_LP_MALE | WS_LP_FEMALE))) return 0;
    if (i + 1 < c->t->toks.n && c->t->toks.v[i + 1].kind == WS_TOK_CLITIC)
        return 0; /* "Russia 's" */
    return 1;
}

/* Title text of tokens [s, e), nationalities and articles dropped. */
static const char *title_str(cx *c, uint32_t s, uint32_t e) {
    char buf[TEXT_MAX];
    size_t n = 0;
    for (uint32_t i = s; i < e; i++)
        if (title_keep(c, i)) n = put_tok(c, i, buf, n);
    return n ? ws_arena_strndup(c->a, buf, n) : NULL;
}

/* Does `title` contain the word w (ASCII case-insensitive; words split at
 * spaces and hyphens: "then-Secretary")? */
static int has_word(const char *title, const char *w, size_t wl) {
    for (const char *p = title; p && *p;) {
        while (*p == ' ' || *p == '-') p++;
        size_t n = strcspn(p, " -");
        if (n == wl) {
            size_t k = 0;
            while (k < n && (p[k] | 0x20) == (w[k] | 0x20)) k++;
            if (k == n) return 1;
        }
        p += n;
    }
    return 0;
}

/* ---- scan: name phrases ---------------------------------------------- */

/* End of the capitalised run starting at i. */
static uint32_t run_end(const cx *c, uint32_t i) {
    uint32_t n = c->t->toks.n, j = i + 1;
    int titled = (wflags(c, i) & (WS_LP_TITLE | WS_LP_ORGHEAD)) != 0;
    while (j < n && j - i < RUN_MAX && same_sent(c, i, j)) {
        if (name_word(c, j)) {
            titled |= (wflags(c, j) & (WS_LP_TITLE | WS_LP_ORGHEAD)) != 0;
            j++;
            continue;
        }
        /* "von der Leyen", "bin Abdul": up to PART_MAX particles in a
         * row, then a name word; "Secretary of State" once titled */
        uint32_t k = j;
        while (k < n && k - j < PART_MAX && same_sent(c, i, k) &&
               tok_in(c, k, WS_LC_PARTICLE))
            k++;
        if (k == j && titled && ws_tok_ieq(c->t, j, "of")) k = j + 1;
        if (k == j || k >= n || !same_sent(c, i, k) || !name_word(c, k))
            break;
        j = k + 1;
    }
    return j;
}

/* Last title head or honorific in [s, e) followed by a name, or UINT32_MAX. */
static uint32_t last_title(const cx *c, uint32_t s, uint32_t e) {
    uint32_t t = UINT32_MAX;
    for (uint32_t i = s; i + 1 < e; i++)
        if (wflags(c, i) & (WS_LP_TITLE | WS_LP_HONOR)) t = i;
    return t;
}

/* First name token after a title: skips "of State", "of Foreign Affairs". */
static uint32_t after_title(const cx *c, uint32_t t, uint32_t e) {
    uint32_t i = t + 1;
    while (i < e && (ws_tok_ieq(c->t, i, "of") || (wflags(c, i) & WS_LP_TMOD)))
        i++;
    return i;
}

/* "Miss Universe Alicia Machado": a name of three words or more whose
 * second word is a known first name (and the first is not) starts there. */
static uint32_t name_start(const cx *c, uint32_t ns, uint32_t e) {
    if (e - ns < 3 || lex(c, ns)->first) return ns;
    return lex(c, ns + 1)->first ? ns + 1 : ns;
}

static int run_is_org(const cx *c, uint32_t s, uint32_t e) {
    for (uint32_t i = s; i < e; i++)
        if (wflags(c, i) & (WS_LP_ORGHEAD | WS_LP_ORGNAME)) return 1;
    return 0;
}

/* Lowercase title words before token s: "former foreign minister". */
static uint32_t title_before(const cx *c, uint32_t s) {
    uint32_t k = s;
    while (k > 0 && s - k < BACK_MAX && same_sent(c, k - 1, s)) {
        unsigned f = wflags(c, k - 1);
        if (f & (WS_LP_TITLE | WS_LP_TMOD | WS_LP_NATION)) {
            k--;
        } else if (k >= 2 && k < s && ws_tok_ieq(c->t, k - 1, "of") &&
                   (wflags(c, k - 2) & WS_LP_TITLE) &&
                   (wflags(c, k) & WS_LP_TMOD)) {
            k -= 2; /* "Secretary of State" */
        } else if (k >= 2 && c->t->toks.v[k - 1].kind == WS_TOK_CLITIC &&
                   is_cap(c, k - 2)) {
            k -= 2; /* "Russia 's" */
        } else {
            break;
        }
    }
    return k;
}

static int any_flag(const cx *c, uint32_t s, uint32_t e, unsigned fl) {
    for (uint32_t i = s; i < e; i++)
        if (wflags(c, i) & fl) return 1;
    return 0;
}

/* Appositive title after a name: ", a doctor," ", the foreign minister,". */
static void appositive(const cx *c, np *p) {
    uint32_t n = c->t->toks.n, k = p->name_e;
    if (k + 2 >= n || !ws_tok_is(c->t, k, ",") || !same_sent(c, k, k + 1))
        return;
    k++;
    if (tok_in(c, k, WS_LC_DET)) k++;
    uint32_t s = k;
    /* a possessive inside: ", the ministry's spokeswoman," */
    while (k < n && k - s < APPOS_MAX && same_sent(c, s, k) &&
           (is_word(c, k) ||
            (k > s && c->t->toks.v[k].kind == WS_TOK_CLITIC)))
        k++;
    if (k > s && c->t->toks.v[k - 1].kind == WS_TOK_CLITIC) return;
    int closed = k >= n || !same_sent(c, s, k) || ws_tok_is(c->t, k, ",") ||
                 ws_tok_is(c->t, k, ".") || ws_tok_is(c->t, k, ";");
    if (!closed || k == s || !(wflags(c, k - 1) & WS_LP_TITLE)) return;
    p->app_s = s, p->app_e = k;
}

static uint8_t gender_of(const cx *c, const np *p) {
    for (uint32_t i = p->tit_s; i < p->tit_e; i++) {
        unsigned f = wflags(c, i);
        if (f & WS_LP_MALE) return WS_GENDER_MALE;
        if (f & WS_LP_FEMALE) return WS_GENDER_FEMALE;
    }
    if (p->app_e > p->app_s) {
        unsigned f = wflags(c, p->app_e - 1);
        if (f & WS_LP_MALE) return WS_GENDER_MALE;
        if (f & WS_LP_FEMALE) return WS_GENDER_FEMALE;
    }
    if (p->name_e - p->name_s < 2) return WS_GENDER_UNKNOWN;
    return lex(c, p->name_s)->first;
}

static int starts_sentence(const cx *c, uint32_t s) {
    const ws_token *tk = c->t->toks.v;
    if (tk[s].flags & WS_TF_SENT_START) return 1;
    return s > 0 && (tk[s - 1].flags & WS_TF_SENT_START) &&
           tok_in(c, s - 1, WS_LC_DET);
}

/* Person phrase: titles before [tit_s, name_s), name [name_s, e). */
static void person_np(cx *c, np *p, uint32_t a, uint32_t ns, uint32_t e) {
    uint32_t k = title_before(c, a);
    np *poss = c->nps.n ? &c->nps.v[c->nps.n - 1] : NULL;
    if (k < a && poss && poss->end > k && poss->type == WS_ENT_PERSON)
        c->nps.n--; /* "Russia" in "Russia's foreign minister X" */
    p->type = WS_ENT_PERSON;
    p->name_s = ns, p->name_e = e;
    p->tit_s = k, p->tit_e = ns;
    /* "Foreign Ministry spokeswoman Maria Zakharova": take the org too */
    np *prev = c->nps.n ? &c->nps.v[c->nps.n - 1] : NULL;
    if (k < a && prev && prev->type == WS_ENT_ORG && prev->end == k &&
        any_flag(c, k, a, WS_LP_TITLE))
        p->tit_s = prev->start;
    p->titled = any_flag(c, p->tit_s, ns, WS_LP_TITLE | WS_LP_HONOR);
    if (!p->titled) p->tit_s = ns; /* "State" alone is no title */
    p->start = k > 0 && tok_in(c, k - 1, WS_LC_DET) && same_sent(c, k - 1, k)
                   ? k - 1 : k;
    p->end = e;
    appositive(c, p);
    p->titled |= p->app_e > p->app_s;
    p->gender = gender_of(c, p);
}

/* Every word of [s, e) is a lexicon word (title, noun, function word). */
static int all_known(const cx *c, uint32_t s, uint32_t e) {
    for (uint32_t i = s; i < e; i++)
        if (!wflags(c, i)) return 0;
    return 1;
}

/* "NAACP": one all-capitals word, an organisation when a source names it
 * (titled stays 0: datelines such as "MOSCOW" make no entity). */
static int acronym(const cx *c, uint32_t a, uint32_t e) {
    const ws_token *tk = c->t->toks.v;
    if (e != a + 1 || !(tk[a].flags & WS_TF_ALLCAPS)) return 0;
    /* "WALLACE:" in a transcript labels a person */
    return !(e < c->t->toks.n && ws_tok_is(c->t, e, ":"));
}

/* "Senate Minority Whip Dick Durbin": a known first name after an org
 * word starts a person's name; UINT32_MAX when there is none. */
static uint32_t first_name_after_org(const cx *c, uint32_t a, uint32_t e) {
    int org = 0;
    for (uint32_t i = a; i + 1 < e; i++) {
        if (org && !wflags(c, i) && lex(c, i)->first) return i;
        org |= (wflags(c, i) & WS_LP_ORGHEAD) != 0;
    }
    return UINT32_MAX;
}

/* "The South Carolina Republican": a description after "the", no name. */
static int described(const cx *c, const np *p) {
    uint32_t s = p->name_s;
    if (p->titled || p->gender || p->tit_s != s) return 0;
    return s > 0 && ws_tok_ieq(c->t, s - 1, "the") && same_sent(c, s - 1, s);
}

/* "Lawyers for the family", "Residents": one capitalised word that opens
 * its sentence and is a plural common noun is a group of people, not a
 * name. Plural: the tagger says NNS, or (no tagger, or it is unsure) the
 * singular is a title or anonymous-source word ("lawyers", "doctors"). */
static int plural_group(const cx *c, uint32_t a, uint32_t e) {
    char b[WORD_MAX];
    const ws_token *tk = &c->t->toks.v[a];
    if (e != a + 1 || !(tk->flags & WS_TF_SENT_START)) return 0;
    size_t n = low(c, a, b);
    if (n < 3 || b[n - 1] != 's' || lex(c, a)->first) return 0;
    if (ht_get(&c->capmid, ws_hash_bytes(WS_HASH_SEED, b, n)))
        return 0; /* "Sanders" after "Bernie Sanders" */
    if (e < c->t->toks.n && same_sent(c, a, e) &&
        c->t->toks.v[e].pos == WS_POS_VBZ)
        return 0; /* "Wines believes": a singular subject */
    if (tk->pos == WS_POS_NNS) return 1;
    if (tk->pos == WS_POS_NNP || tk->pos == WS_POS_NNPS) return 0;
    unsigned want = WS_LP_TITLE | WS_LP_ANON;
    if (ws_lexidx_find(c->t->lex, b, n - 1)->person & want) return 1; /* lawyers */
    if (n > 4 && b[n - 2] == 'e' && b[n - 3] == 'i') { /* secretaries */
        b[n - 3] = 'y';
        return (ws_lexidx_find(c->t->lex, b, n - 2)->person & want) != 0;
    }
    return 0;
}

/* Parses the run [a, e); returns 1 when it is a name phrase. */
static int parse_run(cx *c, uint32_t a, uint32_t e, np *p) {
    memset(p, 0, sizeof *p);
    p->ent = -1;
    uint32_t t = last_title(c, a, e);
    if (t != UINT32_MAX) {
        uint32_t ns = name_start(c, after_title(c, t, e), e);
        if (ns < e && !run_is_org(c, ns, e)) {
            person_np(c, p, a, ns, e);
            goto done;
        }
    }
    while (a < e && (wflags(c, a) & WS_LP_NATION)) a++;
    uint32_t f = first_name_after_org(c, a, e);
    if (f != UINT32_MAX) {
        person_np(c, p, a, f, e);
        goto done;
    }
    if (a < e && (run_is_org(c, a, e) || acronym(c, a, e))) {
        p->type = WS_ENT_ORG;
        p->start = p->name_s = a, p->end = p->name_e = e;
        p->titled = (uint8_t)run_is_org(c, a, e);
        goto done;
    }
    while (a < e && (wflags(c, a) & WS_LP_TMOD)) a++;
    if (a >= e || all_known(c, a, e)) return 0; /* "Minister", "Sources" */
    if (t == UINT32_MAX) {
        if (plural_group(c, a, e)) return 0; /* "Lawyers for the family" */
        person_np(c, p, a, a, e);
        if (described(c, p)) return 0;
    } else {
        return 0; /* a title alone: "the Foreign Minister" */
    }
done:
    p->para = tok_para(c, p->start);
    p->subject = (uint8_t)starts_sentence(c, p->start);
    return 1;
}

/* Words capitalised where a sentence does not start: names. */
static ws_status cap_words(cx *c) {
    for (uint32_t i = 0; i < c->t->toks.n; i++) {
        const ws_token *tk = &c->t->toks.v[i];
        if (!is_cap(c, i) || (tk->flags & WS_TF_SENT_START) ||
            (i > 0 && c->t->toks.v[i - 1].qrole != WS_Q_NONE))
            continue;
        if (ht_put(c->a, &c->capmid, tok_key(c, i, WS_HASH_SEED), 0))
            return WS_ERR_NOMEM;
    }
    return WS_OK;
}

static ws_status scan(cx *c) {
    uint32_t n = c->t->toks.n, i = 0;
    WS_FORWARD_IF_ERROR(cap_words(c));
    while (i < n) {
        if (!name_word(c, i)) {
            i++;
            continue;
        }
        uint32_t j = run_end(c, i);
        np p;
        if (parse_run(c, i, j, &p) && WS_VEC_PUSH(c->a, c->nps, p))
            return WS_ERR_NOMEM;
        i = j;
    }
    return WS_OK;
}

/* ---- entities -------------------------------------------------------- */

static void touch(cx *c, int32_t e) {
    uint32_t i = 0;
    while (i < c->n_recent && c->recent[i] != e) i++;
    if (i == c->n_recent && i < RECENT_MAX) c->n_recent++;
    if (i >= RECENT_MAX) i = RECENT_MAX - 1;
    memmove(c->recent + 1, c->recent, i * sizeof *c->recent);
    c->recent[0] = e;
}

static ws_status add_mention(cx *c, int32_t e, uint32_t ts, uint32_t te,
                             uint8_t kind) {
    ws_mention m;
    memset(&m, 0, sizeof m);
    m.span.start = c->t->toks.v[ts].start;
    m.span.end = c->t->toks.v[te - 1].end;
    m.tok_start = ts, m.tok_end = te, m.kind = kind;
    ws_ent *en = &c->d->ents.v[e];
    WS_RETURN_IF(WS_VEC_PUSH(c->a, en->mentions, m), WS_ERR_NOMEM);
    touch(c, e);
    return WS_OK;
}

static int32_t new_entity(cx *c, const np *p) {
    ws_ent en;
    entx x;
    memset(&en, 0, sizeof en);
    memset(&x, 0, sizeof x);
    en.type = p->type;
    en.name = range_str(c, p->name_s, p->name_e);
    if (!en.name) return -1;
    if (WS_VEC_PUSH(c->a, c->d->ents, en) || WS_VEC_PUSH(c->a, c->ex, x))
        return -1;
    return (int32_t)c->d->ents.n - 1;
}

/* Full name, title and gender from a phrase that joins entity e. */
static ws_status enrich(cx *c, int32_t e, const np *p) {
    ws_ent *en = &c->d->ents.v[e];
    entx *x = &c->ex.v[e];
    uint32_t nw = p->name_e - p->name_s;
    if (nw > x->nwords) {
        en->name = range_str(c, p->name_s, p->name_e);
        WS_RETURN_IF(!en->name, WS_ERR_NOMEM);
        x->nwords = nw;
        x->first_key = tok_key(c, p->name_s, WS_HASH_SEED);
    }
    if (!x->last_key) x->last_key = tok_key(c, p->name_e - 1, WS_HASH_SEED);
    if (!en->title && p->tit_e > p->tit_s && p->type == WS_ENT_PERSON)
        en->title = title_str(c, p->tit_s, p->tit_e);
    if (!en->title && p->app_e > p->app_s)
        en->title = title_str(c, p->app_s, p->app_e);
    if (!en->gender) en->gender = p->gender;
    return WS_OK;
}

/* Two people share a surname: a lone surname means the one mentioned
 * more ("Clinton" after "Hillary Clinton" x5 and "Bill Clinton" x1). */
static int keep_busier(const void *ctx, int32_t old, int32_t ent) {
    const cx *c = ctx;
    return c->d->ents.v[old].mentions.n > c->d->ents.v[ent].mentions.n + 1;
}

static ws_status index_entity(cx *c, int32_t e, const np *p) {
    uint64_t full = range_key(c, p->name_s, p->name_e);
    WS_RETURN_IF(ht_put(c->a, &c->full, full, e), WS_ERR_NOMEM);
    if (p->type != WS_ENT_PERSON) return WS_OK;
    uint64_t last = tok_key(c, p->name_e - 1, WS_HASH_SEED);
    WS_RETURN_IF(ht_put_if(c->a, &c->last, last, e, keep_busier, c),
                 WS_ERR_NOMEM);
    if (p->name_e - p->name_s < 2) return WS_OK;
    uint64_t first = tok_key(c, p->name_s, WS_HASH_SEED);
    WS_RETURN_IF(ht_put(c->a, &c->first, first, e), WS_ERR_NOMEM);
    return WS_OK;
}

static int is_person(const cx *c, int32_t e) {
    return e >= 0 && c->d->ents.v[e].type == WS_ENT_PERSON;
}

/* Entity for a full name (two words or more), or -1. */
static int32_t find_full(const cx *c, const np *p) {
    const hent *h = ht_get(&c->full, range_key(c, p->name_s, p->name_e));
    if (h && c->d->ents.v[h->ent].type == p->type) return h->ent;
    if (p->type != WS_ENT_PERSON) return -1;
    h = ht_get(&c->last, tok_key(c, p->name_e - 1, WS_HASH_SEED));
    if (!h || !is_person(c, h->ent)) return -1;
    const entx *x = &c->ex.v[h->ent];
    uint8_t g = c->d->ents.v[h->ent].gender;
    if (g && p->gender && g != p->gender) return -1; /* Mr. / Michelle Obama */
    uint64_t first = tok_key(c, p->name_s, WS_HASH_SEED);
    if (x->nwords <= 1 || x->first_key == first) return h->ent;
    /* "Von der Leyen": a surname with its particles */
    return tok_in(c, p->name_s, WS_LC_PARTICLE) && x->nwords > p->name_e - p->name_s
               ? h->ent : -1;
}

/* Entity for a single name word: surname, unique first name, same name. */
static int32_t find_single(const cx *c, const np *p, uint8_t *how) {
    uint64_t k = tok_key(c, p->name_s, WS_HASH_SEED);
    const hent *h = ht_get(&c->last, k);
    if (p->type == WS_ENT_PERSON && h && is_person(c, h->ent) &&
        !(p->gender && c->d->ents.v[h->ent].gender &&
          p->gender != c->d->ents.v[h->ent].gender)) {
        *how = c->ex.v[h->ent].nwords > 1 ? HOW_SURNAME : HOW_NAME;
        return h->ent;
    }
    h = ht_get(&c->first, k);
    if (p->type == WS_ENT_PERSON && h && h->n == 1 && is_person(c, h->ent)) {
        *how = HOW_FIRST;
        return h->ent;
    }
    h = ht_get(&c->full, range_key(c, p->name_s, p->name_e));
    *how = HOW_NAME;
    return h ? h->ent : -1;
}

/* Links name phrase i to an entity (joining or creating one), or not. */
static ws_status link_np(cx *c, uint32_t i) {
    np *p = &c->nps.v[i];
    if (p->type == WS_ENT_ORG && !p->titled && p->name_e == p->name_s + 1) {
        const hent *h = ht_get(&c->last, tok_key(c, p->name_s, WS_HASH_SEED));
        if (h && is_person(c, h->ent)) p->type = WS_ENT_PERSON; /* PENCE */
    }
    uint8_t how = p->type == WS_ENT_ORG ? HOW_ORG : HOW_NAME;
    int32_t e = p->name_e - p->name_s >= 2 ? find_full(c, p)
                                            : find_single(c, p, &how);
    if (p->type == WS_ENT_ORG) how = HOW_ORG;
    else if (e >= 0 && tok_in(c, p->name_s, WS_LC_PARTICLE) &&
             c->ex.v[e].nwords > p->name_e - p->name_s)
        how = HOW_SURNAME; /* "Von der Leyen" */
    if (e < 0 && !p->titled && !p->forced &&
        (p->type == WS_ENT_ORG || p->name_e - p->name_s < 2 || !p->gender))
        return WS_OK; /* a capitalised word we know nothing about */
    if (e < 0) {
        e = new_entity(c, p);
        WS_RETURN_IF(e < 0, WS_ERR_NOMEM);
    }
    p->ent = e, p->how = how;
    WS_FORWARD_IF_ERROR(enrich(c, e, p));
    WS_FORWARD_IF_ERROR(index_entity(c, e, p));
    return add_mention(c, e, p->name_s, p->name_e, WS_MK_NAME);
}

/* Links every name phrase that starts before token `upto`. */
static ws_status link_upto(cx *c, uint32_t upto) {
    while (c->linked < c->nps.n && c->nps.v[c->linked].start < upto) {
        WS_FORWARD_IF_ERROR(link_np(c, c->linked));
        c->linked++;
    }
    return WS_OK;
}

/* ---- statements ------------------------------------------------------ */

static const char R_NONE[] = "none", R_UNRES[] = "unresolved",
                  R_ANON[] = "anonymous", R_NAME[] = "name",
                  R_SURNAME[] = "surname", R_FIRST[] = "first-name",
                  R_ORG[] = "organisation", R_TITLE[] = "title",
                  R_NOMINAL[] = "nominal", R_PRON[] = "pronoun",
                  R_REL[] = "relative-pronoun", R_SELF[] = "self";

/* Token range of a statement's source, derived from bytes when unset. */
static int src_range(const cx *c, const ws_stmt *s, uint32_t *a, uint32_t *b) {
    uint32_t n = c->t->toks.n;
    if (s->source.end <= s->source.start || !n) return 0;
    if (s->src_tok_end > s->src_tok_start && s->src_tok_end <= n) {
        *a = s->src_tok_start, *b = s->src_tok_end;
        return 1;
    }
    uint32_t lo = ws_tok_after(c->t, s->source.start);
    uint32_t e = lo;
    while (e < n && c->t->toks.v[e].start < s->source.end) e++;
    if (e == lo) return 0;
    *a = lo, *b = e;
    return 1;
}

/* First name phrase ending after token a (nps are ordered). */
static uint32_t np_lower_bound(const cx *c, uint32_t a) {
    uint32_t lo = 0, hi = c->linked;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (c->nps.v[m].end <= a) lo = m + 1;
        else hi = m;
    }
    return lo;
}

/* The linked name phrase inside source [a, b): a person first. */
static const np *np_in_source(const cx *c, uint32_t a, uint32_t b) {
    const np *org = NULL;
    for (uint32_t i = np_lower_bound(c, a); i < c->linked; i++) {
        const np *p = &c->nps.v[i];
        if (p->start >= b) break;
        if (p->ent < 0 || p->name_e <= a || p->name_s >= b) continue;
        if (p->type == WS_ENT_PERSON) return p;
        if (!org) org = p;
    }
    return org;
}

static void mark_forced(cx *c, uint32_t a, uint32_t b) {
    uint32_t lo = 0, hi = (uint32_t)c->nps.n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (c->nps.v[m].end <= a) lo = m + 1;
        else hi = m;
    }
    int first = 1; /* the head only: not "New York" in "X of New York" */
    for (; lo < c->nps.n && c->nps.v[lo].start < b; lo++) {
        np *p = &c->nps.v[lo];
        if (p->name_s >= b || p->name_e <= a) continue;
        if (first || p->type == WS_ENT_PERSON) p->forced = 1;
        if (p->type == WS_ENT_PERSON) return;
        first = 0;
    }
}

static int compat(const cx *c, int32_t e, int want) {
    const ws_ent *en = &c->d->ents.v[e];
    if (want == WS_PRON_IT || want == WS_PRON_THEY)
        return en->type == WS_ENT_ORG;
    if (en->type != WS_ENT_PERSON) return 0;
    if (want == WS_PRON_HE) return en->gender != WS_GENDER_FEMALE;
    if (want == WS_PRON_SHE) return en->gender != WS_GENDER_MALE;
    return 1;
}

/* Most recent name phrase before the cursor, same or previous paragraph. */
static int32_t recent_np(const cx *c, uint32_t para, int want, int subj,
                         uint32_t after) {
    uint32_t i = c->linked, steps = 0;
    while (i > 0 && steps++ < NP_BACK) {
        const np *p = &c->nps.v[--i];
        if (p->para + 1 < para || p->start < after) break;
        if (after && c->t->toks.v[p->start].qdepth) continue;
        if (p->ent >= 0 && (!subj || p->subject) && compat(c, p->ent, want))
            return p->ent;
    }
    return -1;
}

/* A two-word name nobody linked yet, starting a sentence nearby: made an
 * entity now that a pronoun needs it ("Kellyanne Conway ... she said"). */
static int32_t lazy_np(cx *c, uint32_t para, int want) {
    uint32_t i = c->linked, steps = 0;
    if (want != WS_PRON_HE && want != WS_PRON_SHE) return -1;
    while (i > 0 && steps++ < NP_BACK) {
        np *p = &c->nps.v[--i];
        if (p->para + 1 < para) break;
        if (p->ent >= 0 || !p->subject || p->type != WS_ENT_PERSON ||
            p->name_e - p->name_s < 2)
            continue;
        p->forced = 1;
        c->st = link_np(c, i);
        return c->st == WS_OK && p->ent >= 0 ? p->ent : -1;
    }
    return -1;
}

static int32_t recent_ent(const cx *c, int want) {
    for (uint32_t i = 0; i < c->n_recent; i++)
        if (compat(c, c->recent[i], want)) return c->recent[i];
    return -1;
}

/* he/she/it/they: previous speaker, subject, any phrase, any entity. */
static int32_t pronoun_ent(cx *c, int want, uint32_t para) {
    /* a subject named since the previous statement outranks its speaker */
    int32_t e = c->prev_end ? recent_np(c, para, want, 1, c->prev_end) : -1;
    if (e >= 0) return e;
    if (c->prev_ent >= 0 && c->prev_para + 1 >= para &&
        compat(c, c->prev_ent, want))
        return c->prev_ent;
    e = recent_np(c, para, want, 1, 0);
    if (e < 0) e = recent_np(c, para, want, 0, 0);
    if (e < 0) e = lazy_np(c, para, want);
    if (e < 0 && want != WS_PRON_THEY) e = recent_ent(c, want);
    return e;
}

/* "who": the name phrase right before it. */
static int32_t who_ent(const cx *c, uint32_t a) {
    uint32_t k = a;
    if (k > 0 && ws_tok_is(c->t, k - 1, ",")) k--;
    for (uint32_t i = c->linked, steps = 0; i > 0 && steps < 4; steps++) {
        const np *p = &c->nps.v[--i];
        if (p->ent >= 0 && p->end <= k && p->end + 8 >= k) return p->ent;
    }
    return -1;
}

/* Abbreviated titles: "the governor" finds "Indiana Gov.". */
static const char *const title_abbrevs[][2] = {
    {"governor", "gov."}, {"senator", "sen."}, {"representative", "rep."},
    {"general", "gen."}, {"president", "pres."}, {"professor", "prof."},
    {"doctor", "dr."}, {"colonel", "col."}, {"captain", "capt."},
    {"governor", "gov"}, {"senator", "sen"}, {"doctor", "dr"},
};

static const char *abbrev_of(const char *w, size_t wl) {
    for (size_t i = 0; i < sizeof title_abbrevs / sizeof *title_abbrevs; i++)
        if (strlen(title_abbrevs[i][0]) == wl &&
            !memcmp(title_abbrevs[i][0], w, wl))
            return title_abbrevs[i][1];
    return NULL;
}

/* Most recent entity whose title (person) or name (org) has word w. */
static int32_t word_ent(const cx *c, const char *w, size_t wl, int org) {
    const char *ab = org ? NULL : abbrev_of(w, wl);
    for (uint32_t i = 0; i < c->n_recent; i++) {
        const ws_ent *en = &c->d->ents.v[c->recent[i]];
        if (org != (en->type == WS_ENT_ORG)) continue;
        const char *text = org ? en->name : en->title;
        if (has_word(text, w, wl) || (ab && has_word(text, ab, strlen(ab))))
            return c->recent[i];
    }
    return -1;
}

/* Head word of a source: the last word before "of", "at", ",". */
static uint32_t head_tok(const cx *c, uint32_t a, uint32_t b) {
    uint32_t h = a;
    for (uint32_t i = a; i < b; i++) {
        if (i > a && tok_in(c, i, WS_LC_HEADSTOP)) break;
        if (is_word(c, i)) h = i;
    }
    return h;
}

static void set(ws_stmt *s, int32_t e, const char *how) {
    s->entity = e;
    s->resolution = e >= 0 || how == R_ANON || how == R_NONE ? how : R_UNRES;
}

static int32_t gender_want(unsigned f) {
    if (f & WS_LP_MALE) return WS_PRON_HE;
    if (f & WS_LP_FEMALE) return WS_PRON_SHE;
    return WS_PRON_NONE;
}

/* "The Trump campaign": an organisation named by capitalised modifiers
 * and an organisation noun; joins or creates an entity. */
static int32_t named_org(cx *c, uint32_t a, uint32_t e) {
    np p;
    memset(&p, 0, sizeof p);
    if (tok_in(c, a, WS_LC_DET)) a++;
    if (a >= e || !is_cap(c, a)) return -1;
    p.name_s = a, p.name_e = e, p.type = WS_ENT_ORG;
    const hent *h = ht_get(&c->full, range_key(c, a, e));
    int32_t ent = h ? h->ent : new_entity(c, &p);
    if (ent < 0) {
        c->st = WS_ERR_NOMEM;
        return -1;
    }
    c->st = enrich(c, ent, &p);
    if (c->st == WS_OK) c->st = index_entity(c, ent, &p);
    return c->st == WS_OK ? ent : -1;
}

/* A common-noun source: "the Minister", "the ministry", "a source". */
static void resolve_nominal(cx *c, ws_stmt *s, uint32_t a, uint32_t b,
                            uint32_t para) {
    char w[WORD_MAX];
    uint32_t h = head_tok(c, a, b);
    size_t wl = low(c, h, w);
    unsigned f = lex(c, h)->person;
    int def = tok_in(c, a, WS_LC_DEFINITE) || c->t->toks.v[a].kind == WS_TOK_CLITIC;
    if (!def && (tok_in(c, a, WS_LC_INDEFINITE) || (f & WS_LP_ANON) ||
                 (wl > 1 && w[wl - 1] == 's'))) {
        set(s, -1, R_ANON);
        return;
    }
    if (f & (WS_LP_ORGHEAD | WS_LP_GENORG)) {
        int32_t e = word_ent(c, w, wl, 1);
        if (e < 0) e = named_org(c, a, h + 1);
        if (e < 0 && (f & WS_LP_GENORG)) e = recent_ent(c, WS_PRON_IT);
        set(s, e, R_ORG);
        return;
    }
    int32_t e = (def || is_cap(c, h)) && (f & WS_LP_TITLE)
                    ? word_ent(c, w, wl, 0) : -1;
    if (e >= 0) {
        set(s, e, R_TITLE);
    } else if (def && (f & WS_LP_TITLE)) { /* not "the source" */
        set(s, pronoun_ent(c, (int)gender_want(f), para), R_NOMINAL);
    } else {
        set(s, -1, R_UNRES);
    }
}

static void resolve_pronoun(cx *c, ws_stmt *s, ws_pron pr, uint32_t a,
                            uint32_t para) {
    if (pr == WS_PRON_WHO) {
        set(s, who_ent(c, a), R_REL);
        return;
    }
    if (pr == WS_PRON_SELF) {
        set(s, -1, R_UNRES); /* the self pass may resolve it */
        return;
    }
    int32_t e = pronoun_ent(c, (int)pr, para);
    set(s, e, R_PRON);
    if (e < 0 || c->d->ents.v[e].gender) return;
    if (pr == WS_PRON_HE) c->d->ents.v[e].gender = WS_GENDER_MALE;
    if (pr == WS_PRON_SHE) c->d->ents.v[e].gender = WS_GENDER_FEMALE;
}

static const char *how_str(uint8_t how) {
    switch (how) {
    case HOW_SURNAME: return R_SURNAME;
    case HOW_FIRST: return R_FIRST;
    case HOW_ORG: return R_ORG;
    default: return R_NAME;
    }
}

static ws_status resolve_stmt(cx *c, ws_stmt *s) {
    uint32_t a, b;
    if (!src_range(c, s, &a, &b)) {
        set(s, -1, s->source.end > s->source.start ? R_UNRES : R_NONE);
        return WS_OK;
    }
    WS_FORWARD_IF_ERROR(link_upto(c, b));
    uint32_t para = tok_para(c, a);
    const np *p = np_in_source(c, a, b);
    uint32_t h = head_tok(c, a, b);
    if (p && (h < p->name_s || h >= p->name_e) && !is_cap(c, h))
        p = NULL; /* "a Homeland Security Department official" */
    if (p) {
        set(s, p->ent, how_str(p->how));
    } else {
        ws_pron pr = b - a == 1 ? (ws_pron)lex(c, a)->pron : WS_PRON_NONE;
        if (pr != WS_PRON_NONE) resolve_pronoun(c, s, pr, a, para);
        else resolve_nominal(c, s, a, b, para);
        WS_FORWARD_IF_ERROR(c->st);
        if (s->entity >= 0)
            WS_FORWARD_IF_ERROR(add_mention(c, s->entity, a, b,
                pr != WS_PRON_NONE ? WS_MK_PRONOUN : WS_MK_TITLE));
    }
    if (s->entity >= 0)
        c->prev_ent = s->entity, c->prev_para = para, c->prev_end = b;
    return WS_OK;
}

/* ---- order, the self pass -------------------------------------------- */

typedef struct okey {
    uint64_t key;
    uint32_t idx;
} okey;

static int okey_cmp(const void *x, const void *y) {
    const okey *p = x, *q = y;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Statements in order of their source (or cue) position. */
static okey *stmt_order(cx *c) {
    size_t n = c->d->stmts.n;
    okey *o = ws_arena_alloc(c->a, (n ? n : 1) * sizeof *o);
    if (!o) return NULL;
    for (size_t i = 0; i < n; i++) {
        const ws_stmt *s = &c->d->stmts.v[i];
        uint32_t pos = s->source.end > s->source.start ? s->source.start
                       : s->n_content ? s->content[0].start : 0;
        o[i].key = pos, o[i].idx = (uint32_t)i;
    }
    qsort(o, n, sizeof *o, okey_cmp);
    return o;
}

static int contains(const ws_stmt *t, ws_sp sp) {
    for (uint8_t k = 0; k < t->n_content && k < WS_MAX_SEGMENTS; k++)
        if (t->content[k].start <= sp.start && sp.end <= t->content[k].end)
            return 1;
    return 0;
}

/* "I"/"we" as a source inside a quote: the enclosing statement's speaker. */
static ws_status self_pass(cx *c, const okey *o) {
    size_t n = c->d->stmts.n;
    for (size_t r = 0; r < n; r++) {
        ws_stmt *s = &c->d->stmts.v[o[r].idx];
        uint32_t a, b;
        if (s->entity >= 0 || !src_range(c, s, &a, &b) || b - a != 1) continue;
        if (lex(c, a)->pron != WS_PRON_SELF) continue;
        size_t lo = r > SELF_WIN ? r - SELF_WIN : 0;
        for (size_t q = lo; q < n && q <= r + SELF_WIN; q++) {
            const ws_stmt *t = &c->d->stmts.v[o[q].idx];
            if (q == r || t->entity < 0 || !contains(t, s->source)) continue;
            set(s, t->entity, R_SELF);
            WS_FORWARD_IF_ERROR(add_mention(c, s->entity, a, b,
                                            WS_MK_PRONOUN));
            break;
        }
    }
    return WS_OK;
}

static int mention_cmp(const void *x, const void *y) {
    const ws_mention *p = x, *q = y;
    if (p->span.start != q->span.start)
        return p->span.start < q->span.start ? -1 : 1;
    return (p->span.end > q->span.end) - (p->span.end < q->span.end);
}

/* Document order; a span given twice (a reused source) is kept once. */
static void sort_mentions(cx *c) {
    for (size_t i = 0; i < c->d->ents.n; i++) {
        ws_ent *en = &c->d->ents.v[i];
        if (en->mentions.n < 2) continue;
        qsort(en->mentions.v, en->mentions.n, sizeof *en->mentions.v,
              mention_cmp);
        size_t k = 1;
        for (size_t j = 1; j < en->mentions.n; j++) {
            ws_sp a = en->mentions.v[k - 1].span, b = en->mentions.v[j].span;
            if (a.start != b.start || a.end != b.end)
                en->mentions.v[k++] = en->mentions.v[j];
        }
        en->mentions.n = k;
    }
}

static void unresolve_all(ws_doc *d) {
    for (size_t i = 0; i < d->stmts.n; i++) {
        ws_stmt *s = &d->stmts.v[i];
        s->entity = -1;
        s->resolution = s->source.end > s->source.start ? R_UNRES : R_NONE;
    }
}

ws_status ws_resolve_speakers(const ws_engine *e, ws_doc *d) {
    (void)e;
    if (!d->text.toks.n) {
        unresolve_all(d);
        return WS_OK;
    }
    cx c;
    memset(&c, 0, sizeof c);
    c.d = d, c.t = &d->text, c.a = &d->arena, c.prev_ent = -1;
    WS_FORWARD_IF_ERROR(ws_lex_doc(d)); /* every token's lexicon entry */
    WS_FORWARD_IF_ERROR(word_flags_all(&c));
    WS_FORWARD_IF_ERROR(scan(&c));
    okey *o = stmt_order(&c);
    WS_RETURN_IF(!o, WS_ERR_NOMEM);
    for (size_t r = 0; r < d->stmts.n; r++) {
        uint32_t a, b;
        if (src_range(&c, &d->stmts.v[o[r].idx], &a, &b))
            mark_forced(&c, a, b);
    }
    for (size_t r = 0; r < d->stmts.n; r++)
        WS_FORWARD_IF_ERROR(resolve_stmt(&c, &d->stmts.v[o[r].idx]));
    WS_FORWARD_IF_ERROR(link_upto(&c, UINT32_MAX));
    WS_FORWARD_IF_ERROR(self_pass(&c, o));
    sort_mentions(&c);
    return WS_OK;
}
