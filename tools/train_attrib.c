/*
 * train_attrib - trains the cue and role taggers of src/attrib/model.c on
 * PolNeAR-style brat data (.txt + .ann) and writes data/models/attrib.bin.
 *
 * usage: train_attrib TRAIN_DIR OUT.bin [--epochs N] [--dev DIR --dev-out F]
 *        [--cand-ratio R] [--cand-starts 0|1] [--keep-cue N] [--keep-role N]
 *        [--weights-from IN.bin]
 *
 * --weights-from IN.bin copies both taggers' weights from IN.bin instead of
 * training (the taggers are trained on every token, so the weights do not
 * depend on the cue candidates) and writes new cue candidate words for
 * --cand-ratio.
 *
 * Cue candidates: words that are part of a gold cue in at least R of their
 * uses (--cand-starts 0), or that start a gold cue (its first token, or the
 * first of a segment) in at least R of their uses (--cand-starts 1).
 *
 * The texts are read only to compute features; nothing of them is written
 * to the model but hashed feature weights.
 */
#include "attrib/model.h"
#include "doc.h"
#include "model/models.h"

#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small utilities -------------------------------------------------- */

static void *xmalloc(size_t n) {
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "train_attrib: out of memory\n");
        exit(3);
    }
    return p;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) exit(3);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of stems (file names without .txt) in dir. */
static char **list_stems(const char *dir, size_t *count) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "train_attrib: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    size_t n = 0, cap = 1024;
    char **v = xmalloc(cap * sizeof *v);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
        v[n++] = strndup(e->d_name, l - 4);
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *count = n;
    return v;
}

/* ---- gold ------------------------------------------------------------- */

#define MAXSEG 8
typedef struct gspan {
    int n;
    uint32_t s[MAXSEG], e[MAXSEG];
} gspan;

typedef struct grel {
    gspan src, cue, con;
} grel;

typedef struct gdoc {
    char *stem, *text;
    size_t len;
    ws_doc *doc;
    grel *rels;
    size_t nrels;
} gdoc;

/* Byte offset of each code point of a UTF-8 text. */
static uint32_t *cp_to_byte(const char *s, size_t n, size_t *ncp) {
    uint32_t *m = xmalloc((n + 2) * sizeof *m);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) m[k++] = (uint32_t)i;
    m[k] = (uint32_t)n;
    *ncp = k;
    return m;
}

typedef struct tspan {
    char id[16], label[32];
    gspan sp;
} tspan;

static void parse_segments(const char *p, const uint32_t *cp, size_t ncp,
                           gspan *g) {
    g->n = 0;
    while (*p && g->n < MAXSEG) {
        unsigned long a, b;
        int used = 0;
        if (sscanf(p, "%lu %lu%n", &a, &b, &used) != 2) break;
        if (a > ncp) a = ncp;
        if (b > ncp) b = ncp;
        g->s[g->n] = cp[a];
        g->e[g->n] = cp[b];
        g->n++;
        p += used;
        if (*p != ';') break;
        p++;
    }
}

static const tspan *find_t(const tspan *ts, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ts[i].id, id) == 0) return &ts[i];
    return NULL;
}

static void parse_relation(char *roles, const tspan *ts, size_t nts, grel *r) {
    memset(r, 0, sizeof *r);
    for (char *tok = strtok(roles, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
        char *colon = strchr(tok, ':');
        if (!colon) continue;
        *colon = 0;
        const tspan *t = find_t(ts, nts, colon + 1);
        if (!t) continue;
        gspan *dst = NULL;
        if (strncmp(tok, "Source", 6) == 0) dst = &r->src;
        else if (strncmp(tok, "Cue", 3) == 0) dst = &r->cue;
        else if (strncmp(tok, "Content", 7) == 0) dst = &r->con;
        for (int k = 0; dst && k < t->sp.n && dst->n < MAXSEG; k++) {
            dst->s[dst->n] = t->sp.s[k];
            dst->e[dst->n] = t->sp.e[k];
            dst->n++;
        }
    }
}

static void load_ann(gdoc *g, const char *path) {
    size_t alen, ncp;
    char *ann = read_file(path, &alen);
    if (!ann) return;
    uint32_t *cp = cp_to_byte(g->text, g->len, &ncp);
    size_t nts = 0, cap = 256, rcap = 64;
    tspan *ts = xmalloc(cap * sizeof *ts);
    g->rels = xmalloc(rcap * sizeof *g->rels);
    char *save = NULL;
    for (char *line = strtok_r(ann, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *t1 = strchr(line, '\t');
        if (!t1) continue;
        *t1 = 0;
        if (line[0] == 'T') {
            if (nts == cap) ts = realloc(ts, (cap *= 2) * sizeof *ts);
            tspan *t = &ts[nts];
            snprintf(t->id, sizeof t->id, "%s", line);
            char *sp = strchr(t1 + 1, ' ');
            if (!sp) continue;
            *sp = 0;
            snprintf(t->label, sizeof t->label, "%s", t1 + 1);
            parse_segments(sp + 1, cp, ncp, &t->sp);
            nts++;
        } else if (line[0] == 'E') {
            char *roles = t1 + 1;
            if (strncmp(roles, "Attribution", 11) != 0) continue;
            if (g->nrels == rcap) g->rels = realloc(g->rels, (rcap *= 2) * sizeof *g->rels);
            parse_relation(roles, ts, nts, &g->rels[g->nrels]);
            if (g->rels[g->nrels].cue.n && g->rels[g->nrels].con.n) g->nrels++;
        }
    }
    free(ts);
    free(cp);
    free(ann);
}

static int tok_in(const ws_token *t, const gspan *g) {
    for (int k = 0; k < g->n; k++)
        if (t->start < g->e[k] && t->end > g->s[k]) return 1;
    return 0;
}

/* ---- training instances ----------------------------------------------- */

typedef struct inst {
    uint32_t n;      /* positions */
    uint32_t *feats; /* n * WS_AM_MAXF, padded with nf */
    uint8_t *nf;
    uint8_t *gold;
} inst;

typedef struct ivec {
    inst *v;
    size_t n, cap;
} ivec;

static inst *ivec_add(ivec *iv, uint32_t n) {
    if (iv->n == iv->cap) {
        iv->cap = iv->cap ? iv->cap * 2 : 1024;
        iv->v = realloc(iv->v, iv->cap * sizeof *iv->v);
        if (!iv->v) exit(3);
    }
    inst *in = &iv->v[iv->n++];
    in->n = n;
    in->feats = xmalloc((size_t)n * WS_AM_MAXF * sizeof *in->feats);
    in->nf = xmalloc(n);
    in->gold = xmalloc(n);
    return in;
}

static void bio(uint8_t *gold, uint32_t n, const uint8_t *in, uint8_t b) {
    for (uint32_t i = 0; i < n; i++)
        gold[i] = in[i] ? (uint8_t)((i > 0 && in[i - 1] == in[i]) ? b + 1 : b) : gold[i];
}

static void cue_instances(const gdoc *g, const ws_am_toks *k, ivec *iv) {
    const ws_text *t = &g->doc->text;
    for (size_t si = 0; si < t->sents.n; si++) {
        const ws_sentence *s = &t->sents.v[si];
        uint32_t a = s->tok_start, b = s->tok_end;
        if (b - a > WS_AM_MAXSENT) b = a + WS_AM_MAXSENT;
        if (b <= a) continue;
        inst *in = ivec_add(iv, b - a);
        uint8_t *mark = xmalloc(b - a);
        for (size_t r = 0; r < g->nrels; r++)
            for (uint32_t i = a; i < b; i++)
                if (tok_in(&t->toks.v[i], &g->rels[r].cue)) mark[i - a] = (uint8_t)(r % 250 + 1);
        bio(in->gold, b - a, mark, WS_CUE_B);
        free(mark);
        int hq = 0;
        for (uint32_t i = a; i < b; i++) hq |= t->toks.v[i].qdepth > 0;
        for (uint32_t i = a; i < b; i++)
            in->nf[i - a] = (uint8_t)ws_am_cue_feats(k, a, b, i, hq,
                                                     in->feats + (size_t)(i - a) * WS_AM_MAXF);
    }
}

/* First contiguous token run of the gold cue. */
static int cue_tokens(const ws_text *t, const gspan *cue, uint32_t *cs, uint32_t *ce) {
    for (uint32_t i = 0; i < t->toks.n; i++) {
        if (!tok_in(&t->toks.v[i], cue)) continue;
        uint32_t j = i + 1;
        while (j < t->toks.n && tok_in(&t->toks.v[j], cue)) j++;
        *cs = i;
        *ce = j;
        return 1;
    }
    return 0;
}

static void role_instances(const gdoc *g, const ws_am_toks *k, ivec *iv) {
    const ws_text *t = &g->doc->text;
    uint32_t pre[3 * (WS_AM_RWIN + 1)];
    for (size_t r = 0; r < g->nrels; r++) {
        uint32_t cs, ce;
        if (!cue_tokens(t, &g->rels[r].cue, &cs, &ce)) continue;
        ws_am_rctx c;
        ws_am_rctx_init(t, k, cs, ce, pre, &c);
        uint32_t n = c.b - c.a;
        inst *in = ivec_add(iv, n);
        uint8_t *ms = xmalloc(n), *mc = xmalloc(n);
        for (uint32_t i = c.a; i < c.b; i++) {
            const ws_token *tk = &t->toks.v[i];
            if (i >= c.cs && i < c.ce) continue;
            ms[i - c.a] = (uint8_t)tok_in(tk, &g->rels[r].src);
            mc[i - c.a] = (uint8_t)(!ms[i - c.a] && tok_in(tk, &g->rels[r].con));
        }
        bio(in->gold, n, mc, WS_ROLE_BC);
        bio(in->gold, n, ms, WS_ROLE_BS);
        free(ms);
        free(mc);
        for (uint32_t i = c.a; i < c.b; i++)
            in->nf[i - c.a] = (uint8_t)ws_am_role_feats(t, k, &c, i,
                                                        in->feats + (size_t)(i - c.a) * WS_AM_MAXF);
    }
}

/* ---- averaged structured perceptron ----------------------------------- */

typedef struct perc {
    uint32_t nt;
    float *w, *acc;          /* WS_AM_BUCKETS * nt */
    float tw[WS_AM_MAXTAGS + 1][WS_AM_MAXTAGS], ta[WS_AM_MAXTAGS + 1][WS_AM_MAXTAGS];
    double c;
} perc;

static void perc_init(perc *p, uint32_t nt) {
    memset(p, 0, sizeof *p);
    p->nt = nt;
    p->w = xmalloc((size_t)WS_AM_BUCKETS * nt * sizeof *p->w);
    p->acc = xmalloc((size_t)WS_AM_BUCKETS * nt * sizeof *p->acc);
    p->c = 1;
}

static void upd_pos(perc *p, const inst *in, uint32_t i, int tag, float v) {
    const uint32_t *f = in->feats + (size_t)i * WS_AM_MAXF;
    for (int k = 0; k < in->nf[i]; k++) {
        size_t ix = (size_t)f[k] * p->nt + (size_t)tag;
        p->w[ix] += v;
        p->acc[ix] += v * (float)p->c;
    }
}

static void upd_trans(perc *p, int prev, int tag, float v) {
    p->tw[prev + 1][tag] += v;
    p->ta[prev + 1][tag] += v * (float)p->c;
}

static int train_one(perc *p, const inst *in, float *emit, float *sc, uint8_t *bp, uint8_t *pred) {
    ws_am_weights w = {p->nt, p->w, NULL, &p->tw[0][0]};
    for (uint32_t i = 0; i < in->n; i++)
        ws_am_score(&w, in->feats + (size_t)i * WS_AM_MAXF, in->nf[i], emit + (size_t)i * p->nt);
    ws_am_viterbi(&w, emit, in->n, sc, bp, pred);
    int err = 0;
    for (uint32_t i = 0; i < in->n; i++) {
        int g = in->gold[i], q = pred[i];
        int gp = i ? in->gold[i - 1] : -1, qp = i ? pred[i - 1] : -1;
        if (g != q) {
            upd_pos(p, in, i, g, 1);
            upd_pos(p, in, i, q, -1);
            err++;
        }
        if (g != q || gp != qp) {
            upd_trans(p, gp, g, 1);
            upd_trans(p, qp, q, -1);
        }
    }
    p->c += 1;
    return err;
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint32_t rng(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

static void train(perc *p, ivec *iv, int epochs, const char *name) {
    size_t maxn = 1;
    for (size_t i = 0; i < iv->n; i++)
        if (iv->v[i].n > maxn) maxn = iv->v[i].n;
    float *emit = xmalloc(maxn * p->nt * sizeof *emit), *sc = xmalloc(maxn * p->nt * sizeof *sc);
    uint8_t *bp = xmalloc(maxn * p->nt), *pred = xmalloc(maxn);
    size_t *order = xmalloc(iv->n * sizeof *order);
    for (size_t i = 0; i < iv->n; i++) order[i] = i;
    for (int ep = 0; ep < epochs; ep++) {
        for (size_t i = iv->n; i > 1; i--) {
            size_t j = rng() % i, t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        long errs = 0, tot = 0;
        for (size_t i = 0; i < iv->n; i++) {
            errs += train_one(p, &iv->v[order[i]], emit, sc, bp, pred);
            tot += iv->v[order[i]].n;
        }
        fprintf(stderr, "%s epoch %d: token errors %ld / %ld\n", name, ep + 1, errs, tot);
    }
    /* average: w - acc / c */
    for (size_t i = 0; i < (size_t)WS_AM_BUCKETS * p->nt; i++) p->w[i] -= p->acc[i] / (float)p->c;
    for (int a = 0; a <= WS_AM_MAXTAGS; a++)
        for (int b = 0; b < WS_AM_MAXTAGS; b++) p->tw[a][b] -= p->ta[a][b] / (float)p->c;
    free(emit), free(sc), free(bp), free(pred), free(order);
}

/* ---- writing the model ------------------------------------------------ */

static void put_u32(FILE *f, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}
static void put_f32(FILE *f, float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    put_u32(f, u);
}

static int cmp_float_desc(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

/* Spread of a row's weights: only differences between tags matter. */
static float row_range(const float *row, uint32_t nt) {
    float lo = row[0], hi = row[0];
    for (uint32_t t = 1; t < nt; t++) lo = row[t] < lo ? row[t] : lo, hi = row[t] > hi ? row[t] : hi;
    return hi - lo;
}

/* The smallest range kept when only the `keep` widest rows stay (0: all). */
static float prune_threshold(const perc *p, long keep) {
    if (keep <= 0) return 0;
    float *r = xmalloc((size_t)WS_AM_BUCKETS * sizeof *r);
    size_t m = 0;
    for (uint32_t b = 0; b < WS_AM_BUCKETS; b++) {
        float x = row_range(p->w + (size_t)b * p->nt, p->nt);
        if (x > 0) r[m++] = x;
    }
    float th = 0;
    if ((size_t)keep < m) {
        qsort(r, m, sizeof *r, cmp_float_desc);
        th = r[keep - 1];
    }
    free(r);
    return th;
}

static int row_kept(const float *row, uint32_t nt, float scale, float th) {
    if (row_range(row, nt) < th) return 0;
    for (uint32_t t = 0; t < nt; t++)
        if (lrintf(row[t] / scale) != 0) return 1;
    return 0;
}

static long write_table(FILE *f, const perc *p, long keep) {
    float mx = 0;
    size_t tot = (size_t)WS_AM_BUCKETS * p->nt;
    for (size_t i = 0; i < tot; i++) mx = fabsf(p->w[i]) > mx ? fabsf(p->w[i]) : mx;
    float scale = mx > 0 ? mx / 32000.0f : 1.0f, th = prune_threshold(p, keep);
    uint32_t ne = 0;
    for (uint32_t b = 0; b < WS_AM_BUCKETS; b++) ne += (uint32_t)row_kept(p->w + (size_t)b * p->nt, p->nt, scale, th);
    put_u32(f, p->nt);
    put_u32(f, ne);
    put_f32(f, scale);
    for (uint32_t a = 0; a <= p->nt; a++)
        for (uint32_t b = 0; b < p->nt; b++) put_f32(f, p->tw[a][b]);
    for (uint32_t b = 0; b < WS_AM_BUCKETS; b++) {
        const float *row = p->w + (size_t)b * p->nt;
        if (!row_kept(row, p->nt, scale, th)) continue;
        put_u32(f, b);
        for (uint32_t t = 0; t < p->nt; t++) {
            long q = lrintf(row[t] / scale);
            uint16_t u = (uint16_t)(int16_t)(q > 32767 ? 32767 : (q < -32767 ? -32767 : q));
            unsigned char by[2] = {(unsigned char)u, (unsigned char)(u >> 8)};
            fwrite(by, 1, 2, f);
        }
    }
    return ne;
}

/* ---- cue candidate words -------------------------------------------- */

typedef struct wcount {
    uint32_t key, total, cue;
} wcount;

static int cmp_wc(const void *a, const void *b) {
    uint32_t x = ((const wcount *)a)->key, y = ((const wcount *)b)->key;
    return x < y ? -1 : x > y;
}

/* Does token j start a segment of a gold cue (its first token, or one
 * whose token before is not in that cue)? Those are the B-CUE tokens the
 * cue tagger is trained on. */
static int starts_cue(const ws_text *t, uint32_t j, const gspan *cue) {
    return tok_in(&t->toks.v[j], cue) && (j == 0 || !tok_in(&t->toks.v[j - 1], cue));
}

/* Words that are part of a gold cue in at least `ratio` of their uses (and
 * at least twice); with `starts`, words that start a gold cue (segment) in
 * at least `ratio` of their uses (and at least twice). */
static long write_cands(FILE *f, const gdoc *docs, size_t n, double ratio, int starts) {
    size_t cap = 1 << 20, m = 0;
    wcount *v = xmalloc(cap * sizeof *v);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        const ws_text *t = &docs[i].doc->text;
        for (uint32_t j = 0; j < t->toks.n; j++) {
            if (m == cap) v = realloc(v, (cap *= 2) * sizeof *v);
            size_t len = ws_tok_lower(t, j, buf, sizeof buf);
            v[m].key = ws_am_word_key(ws_hash_bytes(WS_HASH_SEED, buf, len));
            v[m].total = 1;
            v[m].cue = 0;
            for (size_t r = 0; r < docs[i].nrels && !v[m].cue; r++)
                v[m].cue = (uint32_t)(starts ? starts_cue(t, j, &docs[i].rels[r].cue)
                                             : tok_in(&t->toks.v[j], &docs[i].rels[r].cue));
            m++;
        }
    }
    qsort(v, m, sizeof *v, cmp_wc);
    uint32_t *keep = xmalloc((m + 1) * sizeof *keep);
    long nk = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        uint32_t tot = 0, cue = 0;
        for (; j < m && v[j].key == v[i].key; j++) tot += v[j].total, cue += v[j].cue;
        if (cue >= 2 && cue >= ratio * tot) keep[nk++] = v[i].key;
        i = j;
    }
    put_u32(f, (uint32_t)nk);
    for (long i = 0; i < nk; i++) put_u32(f, keep[i]);
    free(v);
    free(keep);
    return nk;
}

/* ---- dev output ------------------------------------------------------- */

static void put_span(FILE *f, const char *key, ws_sp s) {
    if (s.start == s.end) fprintf(f, "\"%s\":null", key);
    else fprintf(f, "\"%s\":{\"start\":%u,\"end\":%u}", key, s.start, s.end);
}

static void write_dev(FILE *f, const char *stem, const ws_doc *d) {
    fprintf(f, "{\"id\":\"%s\",\"quotes\":[", stem);
    for (size_t i = 0; i < d->stmts.n; i++) {
        const ws_stmt *s = &d->stmts.v[i];
        fprintf(f, "%s{", i ? "," : "");
        put_span(f, "source", s->source);
        fputc(',', f);
        put_span(f, "cue", s->cue);
        fprintf(f, ",\"content\":[");
        for (int k = 0; k < s->n_content; k++)
            fprintf(f, "%s{\"start\":%u,\"end\":%u}", k ? "," : "", s->content[k].start,
                    s->content[k].end);
        fprintf(f, "]}");
    }
    fprintf(f, "]}\n");
}

static gdoc *load_dir(const ws_engine *e, const char *dir, size_t *n) {
    char **stems = list_stems(dir, n);
    gdoc *docs = xmalloc(*n * sizeof *docs);
    char path[4096];
    for (size_t i = 0; i < *n; i++) {
        gdoc *g = &docs[i];
        g->stem = stems[i];
        snprintf(path, sizeof path, "%s/%s.txt", dir, g->stem);
        g->text = read_file(path, &g->len);
        if (!g->text) {
            fprintf(stderr, "train_attrib: %s: cannot read\n", path);
            exit(1);
        }
        snprintf(path, sizeof path, "%s/%s.ann", dir, g->stem);
        load_ann(g, path);
        if (ws_doc_new_text(e, g->text, g->len, g->stem, &g->doc) != WS_OK) exit(3);
    }
    free(stems);
    return docs;
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Length of the two tagger sections of a model blob (everything before the
 * candidate words), or 0 if the blob is not a version 2 model. */
static size_t tagger_bytes(const unsigned char *p, size_t n) {
    size_t off = 8;
    if (n < 8 || memcmp(p, "WSAM", 4) != 0 || get_u32(p + 4) != 2) return 0;
    for (int k = 0; k < 2; k++) {
        if (n - off < 12) return 0;
        uint64_t nt = get_u32(p + off), ne = get_u32(p + off + 4);
        if (nt < 2 || nt > WS_AM_MAXTAGS) return 0;
        uint64_t len = 12 + (nt + 1) * nt * 4 + ne * (4 + 2 * nt);
        if (len > n - off) return 0;
        off += (size_t)len;
    }
    return off;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: train_attrib TRAIN_DIR OUT.bin [--epochs N] [--dev DIR --dev-out F]\n");
        return 2;
    }
    int epochs = 8;
    double cand_ratio = 0.01;
    int cand_starts = 0;
    long keep_cue = 0, keep_role = 0;
    const char *dev = NULL, *dev_out = NULL, *weights_from = NULL;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--weights-from")) weights_from = argv[i + 1];
        else if (!strcmp(argv[i], "--epochs")) epochs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--dev")) dev = argv[i + 1];
        else if (!strcmp(argv[i], "--dev-out")) dev_out = argv[i + 1];
        else if (!strcmp(argv[i], "--cand-ratio")) cand_ratio = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--cand-starts")) cand_starts = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--keep-cue")) keep_cue = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--keep-role")) keep_role = atol(argv[i + 1]);
    }
    /* An engine with the POS tagger only: the built-in attribution model
     * may be stale or absent while a new one is trained. */
    ws_engine eng;
    ws_models models;
    memset(&eng, 0, sizeof eng);
    memset(&models, 0, sizeof models);
    ws_mem_init(&eng.mem, NULL);
    eng.max_doc_bytes = (size_t)1 << 30;
    eng.models = &models;
    if (ws_pos_load(&eng.mem, &models.pos) != WS_OK) return 3;
    const ws_engine *e = &eng;
    size_t n;
    gdoc *docs = load_dir(e, argv[1], &n);
    if (weights_from) {
        size_t wlen;
        unsigned char *w = (unsigned char *)read_file(weights_from, &wlen);
        size_t keep = w ? tagger_bytes(w, wlen) : 0;
        if (!keep) {
            fprintf(stderr, "train_attrib: %s: not a version 2 model\n", weights_from);
            return 1;
        }
        FILE *f = fopen(argv[2], "wb");
        if (!f) {
            fprintf(stderr, "train_attrib: %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        fwrite(w, 1, keep, f);
        long nc = write_cands(f, docs, n, cand_ratio, cand_starts);
        if (fclose(f) != 0) return 1;
        fprintf(stderr, "wrote %s: weights of %s, %ld cue words\n", argv[2], weights_from, nc);
        free(w);
        return 0;
    }
    ivec cues = {0}, roles = {0};
    for (size_t i = 0; i < n; i++) {
        ws_am_toks k;
        if (ws_am_toks_build(&docs[i].doc->arena, &docs[i].doc->text, &k) != WS_OK) return 3;
        cue_instances(&docs[i], &k, &cues);
        role_instances(&docs[i], &k, &roles);
    }
    fprintf(stderr, "%zu docs, %zu sentences, %zu role instances\n", n, cues.n, roles.n);
    perc pc, pr;
    perc_init(&pc, WS_CUE_NTAGS);
    train(&pc, &cues, epochs, "cue");
    perc_init(&pr, WS_ROLE_NTAGS);
    train(&pr, &roles, epochs, "role");
    FILE *f = fopen(argv[2], "wb");
    if (!f) {
        fprintf(stderr, "train_attrib: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    fwrite("WSAM", 1, 4, f);
    put_u32(f, 2);
    long n1 = write_table(f, &pc, keep_cue), n2 = write_table(f, &pr, keep_role);
    long n3 = write_cands(f, docs, n, cand_ratio, cand_starts);
    if (fclose(f) != 0) return 1;
    fprintf(stderr, "wrote %s: %ld cue + %ld role feature rows, %ld cue words\n", argv[2], n1, n2, n3);
    if (!dev || !dev_out) return 0;
    size_t blen;
    char *blob = read_file(argv[2], &blen);
    struct ws_attrib_model *am;
    ws_mem mem;
    ws_mem_init(&mem, NULL);
    if (ws_attrib_load_bytes(&mem, (const unsigned char *)blob, blen, &am) != WS_OK) {
        fprintf(stderr, "train_attrib: the model just written does not load\n");
        return 3;
    }
    size_t nd;
    gdoc *dd = load_dir(e, dev, &nd);
    FILE *o = fopen(dev_out, "w");
    if (!o) return 1;
    for (size_t i = 0; i < nd; i++) {
        if (ws_attrib_model_run(am, dd[i].doc) != WS_OK) return 3;
        write_dev(o, dd[i].stem, dd[i].doc);
    }
    fclose(o);
    ws_attrib_free(&mem, am);
    return 0;
}
