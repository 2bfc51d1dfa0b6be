/*
 * train_pos - trains the part-of-speech tagger (src/model/pos.c): an
 * averaged perceptron over the features of ws_pos_features, greedy left to
 * right with predicted tag history, on the XPOS column of CoNLL-U files.
 *
 * usage: train_pos TRAIN.conllu DEV.conllu OUT.bin [EPOCHS]
 * (EPOCHS = 0: only evaluate an existing OUT.bin on DEV.)
 *
 * Each epoch shuffles the training sentences with a fixed-seed PRNG (the
 * run is deterministic), prints the dev accuracy of the averaged weights,
 * and when dev improves writes OUT.bin: weights quantised to int16 and
 * pruned so the file stays under MAX_BYTES. At the end the written model
 * is loaded through the library (ws_pos_load_blob) and its dev accuracy
 * and speed are printed.
 */
#include "model/models.h"
#include "model/pos.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_BYTES ((size_t)4000000)
#define DEFAULT_EPOCHS 10
#define SEED 0x5EED5EEDCAFEULL
/* Tag dictionary: words seen >= DICT_MIN times with one tag >= DICT_RATIO
 * of the time are tagged without features. */
#ifndef DICT_MIN
#define DICT_MIN 20
#endif
#ifndef DICT_RATIO
#define DICT_RATIO 0.99
#endif
/* Vocabulary: words seen >= VOCAB_MIN times are "known" (a feature); the
 * rarer ones stand for the unknown words met at run time. */
#define VOCAB_MIN 2

/* ---- Corpus ---- */

typedef struct sent {
    size_t first, n;
} sent;

typedef struct corpus {
    char *text;          /* the file, with forms NUL-terminated in place */
    const char **forms;  /* per token */
    size_t *lens;
    uint8_t *gold;
    ws_pos_tok *toks;
    size_t ntok, cap;
    sent *sents;
    size_t nsent, scap;
} corpus;

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "train_pos: out of memory\n");
        exit(1);
    }
    return q;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t n = 0, cap = 1 << 20;
    char *buf = xrealloc(NULL, cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n - 1 == 0) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* Splits a line into up to 10 tab-separated fields (in place). */
static int split_tabs(char *line, char **col) {
    int n = 0;
    col[n++] = line;
    for (char *p = line; *p && n < 10; p++)
        if (*p == '\t') *p = 0, col[n++] = p + 1;
    return n;
}

static void add_token(corpus *c, const char *form, unsigned tag) {
    if (c->ntok == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->forms = xrealloc(c->forms, c->cap * sizeof *c->forms);
        c->lens = xrealloc(c->lens, c->cap * sizeof *c->lens);
        c->gold = xrealloc(c->gold, c->cap);
    }
    /* Quote marks: the model sees `` and '' (what paired marks map to). */
    if (tag == WS_POS_LQUOTE || tag == WS_POS_RQUOTE) form = ws_pos_name(tag);
    c->forms[c->ntok] = form;
    c->lens[c->ntok] = strlen(form);
    c->gold[c->ntok++] = (uint8_t)tag;
}

static void end_sentence(corpus *c, size_t *first) {
    if (c->ntok == *first) return;
    if (c->nsent == c->scap) {
        c->scap = c->scap ? c->scap * 2 : 1024;
        c->sents = xrealloc(c->sents, c->scap * sizeof *c->sents);
    }
    c->sents[c->nsent].first = *first;
    c->sents[c->nsent++].n = c->ntok - *first;
    *first = c->ntok;
}

static void load_corpus(const char *path, corpus *c) {
    memset(c, 0, sizeof *c);
    c->text = read_file(path);
    size_t first = 0, unknown = 0;
    for (char *line = c->text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *col[10];
        if (!*line || *line == '\r') end_sentence(c, &first);
        else if (*line != '#' && split_tabs(line, col) == 10 &&
                 !strpbrk(col[0], "-.")) {
            unsigned tag = ws_pos_id(col[4]);
            if (!tag) unknown++;
            add_token(c, col[1], tag ? tag : WS_POS_XX);
        }
        line = nl ? nl + 1 : NULL;
    }
    end_sentence(c, &first);
    c->toks = xrealloc(NULL, c->ntok * sizeof *c->toks);
    for (size_t i = 0; i < c->ntok; i++)
        ws_pos_tok_init(&c->toks[i], c->forms[i], c->lens[i]);
    printf("%s: %zu sentences, %zu tokens, %zu unknown tags\n", path,
           c->nsent, c->ntok, unknown);
}

/* ---- Weights: feature hash -> list of (tag, weight) nodes ---- */

typedef struct node {
    uint32_t next; /* 0 = end of list */
    uint8_t tag;
    int32_t w;
    int64_t tot; /* sum of w over time, up to ts */
    uint64_t ts;
    double avg;
} node;

/* Word hash -> WS_POS_KNOWN | tag (0 if not in the tag dictionary), open
 * addressing (tags[i] == 0: empty). */
typedef struct dict {
    uint64_t *keys;
    uint8_t *tags;
    size_t cap, n;
} dict;

typedef struct weights {
    dict dict;
    uint64_t *keys;
    uint32_t *head; /* 0 = empty slot */
    size_t cap, nfeat;
    node *nodes; /* nodes[0] unused */
    size_t nnodes, ncap;
    uint64_t now;
} weights;

static size_t slot_of(const weights *W, uint64_t h) {
    size_t i = (size_t)h & (W->cap - 1);
    while (W->head[i] && W->keys[i] != h) i = (i + 1) & (W->cap - 1);
    return i;
}

static void grow_map(weights *W) {
    weights old = *W;
    W->cap = old.cap ? old.cap * 2 : (1u << 20);
    W->keys = xrealloc(NULL, W->cap * sizeof *W->keys);
    W->head = calloc(W->cap, sizeof *W->head);
    if (!W->head) exit(1);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.head[i]) continue;
        size_t j = slot_of(W, old.keys[i]);
        W->keys[j] = old.keys[i];
        W->head[j] = old.head[i];
    }
    free(old.keys);
    free(old.head);
}

static node *find_node(weights *W, uint64_t h, unsigned tag) {
    if ((W->nfeat + 1) * 2 > W->cap) grow_map(W);
    size_t i = slot_of(W, h);
    uint32_t *link = &W->head[i];
    if (!*link) W->keys[i] = h, W->nfeat++;
    for (uint32_t k = *link; k; k = W->nodes[k].next)
        if (W->nodes[k].tag == tag) return &W->nodes[k];
    if (W->nnodes + 1 >= W->ncap) {
        W->ncap = W->ncap ? W->ncap * 2 : (1u << 20);
        W->nodes = xrealloc(W->nodes, W->ncap * sizeof *W->nodes);
        if (!W->nnodes) W->nnodes = 1;
    }
    uint32_t k = (uint32_t)W->nnodes++;
    node *nd = &W->nodes[k];
    memset(nd, 0, sizeof *nd);
    nd->tag = (uint8_t)tag;
    nd->ts = W->now;
    nd->next = *link;
    *link = k;
    return nd;
}

static void update(weights *W, uint64_t h, unsigned tag, int d) {
    node *nd = find_node(W, h, tag);
    nd->tot += (int64_t)nd->w * (int64_t)(W->now - nd->ts);
    nd->ts = W->now;
    nd->w += d;
}

static void average(weights *W) {
    for (size_t k = 1; k < W->nnodes; k++) {
        node *nd = &W->nodes[k];
        double tot = (double)nd->tot + (double)nd->w * (double)(W->now - nd->ts);
        nd->avg = W->now ? tot / (double)W->now : 0;
    }
}

static size_t dict_slot(const dict *d, uint64_t h) {
    size_t i = (size_t)h & (d->cap - 1);
    while (d->tags[i] && d->keys[i] != h) i = (i + 1) & (d->cap - 1);
    return i;
}

/* Counts the tags of every word of the training corpus in a word -> row
 * map, then keeps the frequent unambiguous words. */
static void build_dict(const corpus *c, dict *d) {
    size_t cap = 16, rows = 0, ndict = 0;
    while (cap < c->ntok * 2) cap *= 2;
    uint64_t *keys = xrealloc(NULL, cap * sizeof *keys);
    uint32_t *row = calloc(cap, sizeof *row); /* 0 = empty, else row + 1 */
    uint32_t(*cnt)[WS_POS_NTAGS] = calloc(c->ntok + 1, sizeof *cnt);
    if (!row || !cnt) exit(1);
    for (size_t t = 0; t < c->ntok; t++) {
        uint64_t h = c->toks[t].word;
        size_t i = (size_t)h & (cap - 1);
        while (row[i] && keys[i] != h) i = (i + 1) & (cap - 1);
        if (!row[i]) keys[i] = h, row[i] = (uint32_t)++rows;
        cnt[row[i] - 1][c->gold[t]]++;
    }
    d->cap = cap;
    d->keys = xrealloc(NULL, cap * sizeof *d->keys);
    d->tags = calloc(cap, 1);
    d->n = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!row[i]) continue;
        const uint32_t *k = cnt[row[i] - 1];
        unsigned best = 1, total = 0;
        for (unsigned t = 1; t < WS_POS_NTAGS; t++) {
            total += k[t];
            if (k[t] > k[best]) best = t;
        }
        if (total < VOCAB_MIN) continue;
        int in_dict = total >= DICT_MIN && k[best] >= DICT_RATIO * total;
        size_t j = dict_slot(d, keys[i]);
        d->keys[j] = keys[i];
        d->tags[j] = (uint8_t)(WS_POS_KNOWN | (in_dict ? best : 0));
        d->n++;
        ndict += in_dict;
    }
    printf("vocabulary: %zu words, tag dictionary: %zu words\n", d->n, ndict);
    free(keys);
    free(row);
    free(cnt);
}

static unsigned dict_get(const dict *d, uint64_t h) {
    return d->tags[dict_slot(d, h)];
}

/* use_avg: score with averaged weights (evaluation) or current ones. */
static unsigned score(const weights *W, const uint64_t *f, size_t nf,
                      int use_avg) {
    double sc[WS_POS_NTAGS] = {0};
    for (size_t j = 0; j < nf; j++) {
        size_t i = slot_of(W, f[j]);
        for (uint32_t k = W->head[i]; k; k = W->nodes[k].next)
            sc[W->nodes[k].tag] += use_avg ? W->nodes[k].avg : W->nodes[k].w;
    }
    unsigned best = 1;
    for (unsigned t = 2; t < WS_POS_NTAGS; t++)
        if (sc[t] > sc[best]) best = t;
    return best;
}

/* Tags one sentence; trains on it when `learn`. Returns correct count. */
static size_t run_sentence(weights *W, const corpus *c, const sent *s,
                           int learn) {
    uint64_t f[WS_POS_MAX_FEATS];
    unsigned p1 = 0, p2 = 0;
    size_t ok = 0;
    const ws_pos_tok *toks = c->toks + s->first;
    for (size_t i = 0; i < s->n; i++) {
        unsigned gold = c->gold[s->first + i];
        unsigned known = dict_get(&W->dict, toks[i].word);
        unsigned pred = known & ~WS_POS_KNOWN;
        if (pred) {
            ok += pred == gold;
            p2 = p1;
            p1 = pred;
            continue;
        }
        size_t nf = ws_pos_features(toks, s->n, i, known != 0, p1, p2, f);
        pred = score(W, f, nf, !learn);
        if (learn) {
            W->now++;
            if (pred != gold)
                for (size_t j = 0; j < nf; j++) {
                    update(W, f[j], gold, 1);
                    update(W, f[j], pred, -1);
                }
        }
        ok += pred == gold;
        p2 = p1;
        p1 = pred;
    }
    return ok;
}

static double evaluate(weights *W, const corpus *c) {
    size_t ok = 0;
    for (size_t s = 0; s < c->nsent; s++) ok += run_sentence(W, c, &c->sents[s], 0);
    return c->ntok ? (double)ok / (double)c->ntok : 0;
}

/* ---- PRNG and shuffle ---- */

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void shuffle(size_t *order, size_t n, uint64_t *rng) {
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(rng) % i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

/* ---- Export ---- */

static void put32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static double max_abs_avg(const weights *W) {
    double m = 0;
    for (size_t k = 1; k < W->nnodes; k++) m = fmax(m, fabs(W->nodes[k].avg));
    return m;
}

/* Writes the records of pairs with |q| >= thr into out (if not NULL);
 * returns the file size and the counts. */
static size_t emit(const weights *W, double scale, long thr, unsigned char *out,
                   uint32_t *nfeat, uint32_t *npairs) {
    size_t at = WS_POS_HEADER;
    *nfeat = *npairs = 0;
    for (size_t i = 0; i < W->cap; i++) {
        unsigned c = 0;
        size_t rec = at;
        for (uint32_t k = W->head[i]; k; k = W->nodes[k].next) {
            long q = lround(W->nodes[k].avg * scale);
            if (labs(q) < thr) continue;
            if (out) {
                out[rec + 9 + 3 * c] = W->nodes[k].tag;
                out[rec + 10 + 3 * c] = (unsigned char)((uint16_t)(int16_t)q & 0xFF);
                out[rec + 11 + 3 * c] = (unsigned char)((uint16_t)(int16_t)q >> 8);
            }
            c++;
        }
        if (!c) continue;
        if (out) {
            put32(out + rec, (uint32_t)W->keys[i]);
            put32(out + rec + 4, (uint32_t)(W->keys[i] >> 32));
            out[rec + 8] = (unsigned char)c;
        }
        at += 9 + 3 * (size_t)c;
        (*nfeat)++;
        *npairs += c;
    }
    return at;
}

/* Writes the dictionary records at out + at; returns the end offset. */
static size_t emit_dict(const dict *d, unsigned char *out, size_t at) {
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->tags[i]) continue;
        if (out) {
            put32(out + at, (uint32_t)d->keys[i]);
            put32(out + at + 4, (uint32_t)(d->keys[i] >> 32));
            out[at + 8] = (unsigned char)(d->tags[i] & ~WS_POS_KNOWN);
        }
        at += 9;
    }
    return at;
}

static void export_model(const weights *W, const char *path) {
    double scale = 32000.0 / fmax(max_abs_avg(W), 1e-9);
    uint32_t nf, np;
    long thr = 1;
    size_t dbytes = 9 * W->dict.n;
    while (emit(W, scale, thr, NULL, &nf, &np) + dbytes > MAX_BYTES)
        thr += thr / 4 + 1;
    size_t size = emit(W, scale, thr, NULL, &nf, &np) + dbytes;
    unsigned char *out = xrealloc(NULL, size);
    emit_dict(&W->dict, out, emit(W, scale, thr, out, &nf, &np));
    memcpy(out, WS_POS_MAGIC, 8);
    put32(out + 8, WS_POS_VERSION);
    put32(out + 12, WS_POS_NTAGS);
    put32(out + 16, nf);
    put32(out + 20, np);
    put32(out + 24, (uint32_t)lround(scale * 1000));
    put32(out + 28, (uint32_t)W->dict.n);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(out, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    printf("  wrote %s: %zu bytes, %u features, %u pairs, prune |q| < %ld\n",
           path, size, nf, np, thr);
    free(out);
}

/* ---- Final check through the library ---- */

/* CPU time: the machine is shared, wall time is not ours. */
static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check_model(const char *path, const corpus *dev) {
    size_t size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    unsigned char *buf = xrealloc(NULL, MAX_BYTES * 2);
    size = fread(buf, 1, MAX_BYTES * 2, f);
    fclose(f);
    ws_mem mem;
    ws_mem_init(&mem, NULL);
    struct ws_pos_model *pm;
    if (ws_pos_load_blob(&mem, buf, size, &pm) != WS_OK) {
        fprintf(stderr, "train_pos: %s does not load\n", path);
        exit(1);
    }
    ws_pos_tok *scratch = xrealloc(NULL, dev->ntok * sizeof *scratch);
    uint8_t *tags = xrealloc(NULL, dev->ntok);
    size_t ok = 0, reps = 20;
    double t0 = now_sec();
    for (size_t r = 0; r < reps; r++)
        for (size_t s = 0; s < dev->nsent; s++) {
            const sent *se = &dev->sents[s];
            ws_pos_tag_words(pm, dev->forms + se->first, dev->lens + se->first,
                             se->n, scratch, tags + se->first);
        }
    double dt = now_sec() - t0;
    for (size_t i = 0; i < dev->ntok; i++) ok += tags[i] == dev->gold[i];
    printf("final %s: dev accuracy %.4f (%zu/%zu), %.2f M tokens/s\n", path,
           (double)ok / (double)dev->ntok, ok, dev->ntok,
           (double)(dev->ntok * reps) / dt / 1e6);
    ws_pos_free(&mem, pm);
    free(scratch);
    free(tags);
    free(buf);
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: train_pos TRAIN.conllu DEV.conllu OUT.bin [EPOCHS]\n");
        return 2;
    }
    int epochs = argc == 5 ? atoi(argv[4]) : DEFAULT_EPOCHS;
    corpus train, dev;
    load_corpus(argv[1], &train);
    load_corpus(argv[2], &dev);
    weights W;
    memset(&W, 0, sizeof W);
    grow_map(&W);
    build_dict(&train, &W.dict);
    size_t *order = xrealloc(NULL, train.nsent * sizeof *order);
    for (size_t i = 0; i < train.nsent; i++) order[i] = i;
    uint64_t rng = SEED;
    double best = -1;
    for (int ep = 1; ep <= epochs; ep++) {
        shuffle(order, train.nsent, &rng);
        size_t ok = 0;
        for (size_t i = 0; i < train.nsent; i++)
            ok += run_sentence(&W, &train, &train.sents[order[i]], 1);
        average(&W);
        double acc = evaluate(&W, &dev);
        printf("epoch %d: train %.4f dev %.4f (%zu features, %zu nodes)\n", ep,
               (double)ok / (double)train.ntok, acc, W.nfeat, W.nnodes);
        fflush(stdout);
        if (acc > best) best = acc, export_model(&W, argv[3]);
    }
    check_model(argv[3], &dev);
    return 0;
}
