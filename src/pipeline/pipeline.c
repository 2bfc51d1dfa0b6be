/*
 * pipeline.c - worker threads over records, results written in input order.
 *
 * A ring of job slots (max_records of them) holds the records in flight.
 * The producer (the caller of ws_pipeline_push) copies a record into the
 * slot of its sequence number; workers take slots in sequence order, run
 * the work function on them and mark them done; whichever thread completes
 * the oldest unwritten slot becomes the writer and writes every done slot
 * from there on, in order, outside the lock. A slot is free again once it
 * is written, so the producer blocks when max_records are in flight or the
 * in-flight bytes (record + output) would pass max_bytes.
 *
 * With one job no thread is started: each push runs the work and the
 * writer inline, which is the reference the threaded path must match.
 */
#include "doc.h"
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WS_PIPE_DEFAULT_BYTES ((size_t)64 << 20)
#define WS_PIPE_MAX_JOBS 256u
/* A slot keeps its buffer for the next record up to this size. */
#define WS_PIPE_KEEP_BUF ((size_t)1 << 20)

enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

typedef struct ws_pipe_slot {
    int state;
    ws_record rec;   /* strings and data point into buf */
    char *buf;
    size_t cap;
    size_t bytes;    /* counted against max_bytes: record + output */
    ws_status status;
    ws_pipeline_output out;
} ws_pipe_slot;

struct ws_pipeline {
    const ws_engine *engine;
    ws_pipeline_options o;
    unsigned flags;           /* json flags, for the default work's ud */
    ws_pipe_slot *slots;
    size_t nslots;
    pthread_t *threads;
    unsigned nthreads;
    pthread_mutex_t m;
    pthread_cond_t cv_work;   /* a record was queued, or quit */
    pthread_cond_t cv_space;  /* a slot was written */
    uint64_t next_push, next_work, next_write;
    size_t bytes;             /* in-flight bytes */
    int writing, quit, finished;
    ws_pipeline_stats st;
    ws_reader_stats base;     /* folded stats of finished readers */
    ws_cache *cache;          /* the inline path's (jobs == 1), made at first use */
    int cache_tried;
};

/* ---- the default work: a record to its JSON, counting statements ------ */

ws_status ws_pipeline_work_json(void *ud, const ws_engine *engine,
                                const ws_record *rec, ws_pipeline_output *out) {
    unsigned flags = ud ? *(const unsigned *)ud : WS_JSON_TEXT;
    ws_article *a = NULL;
    ws_doc *doc = NULL;
    ws_status st = ws_article_new(engine, rec, &a);
    /* WS_JSON_NO_ANALYSIS: metadata and body only, so skip the analysis. */
    if (st == WS_OK && !(flags & WS_JSON_NO_ANALYSIS))
        st = ws_article_analyze_cached(engine, out->cache, a, &doc);
    if (st == WS_OK) {
        out->statements = doc ? ws_doc_statement_count(doc) : 0;
        st = ws_article_to_json(a, doc, flags, &out->data, &out->len);
    }
    if (st != WS_OK && doc && ws_doc_errmsg(doc)[0])
        snprintf(out->errmsg, sizeof out->errmsg, "%s", ws_doc_errmsg(doc));
    ws_doc_free_cached(out->cache, doc);
    ws_article_free(a);
    return st;
}

/* ---- slots ------------------------------------------------------------- */

static size_t str_size(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Bytes a record takes in a slot. */
static size_t rec_size(const ws_record *r) {
    return r->len + 1 + str_size(r->id) + str_size(r->url) + str_size(r->date) +
           str_size(r->charset) + str_size(r->source);
}

static const char *put_str(char **at, const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *r = *at;
    *at += n;
    return r;
}

/* Copies rec into s (owned by the caller: s is free). */
static ws_status slot_fill(ws_pipeline *p, ws_pipe_slot *s, const ws_record *rec) {
    size_t need = rec_size(rec);
    if (need > s->cap) {
        ws_mem_free(&p->engine->mem, s->buf, s->cap);
        s->cap = 0;
        s->buf = ws_mem_alloc(&p->engine->mem, need);
        if (!s->buf) return WS_ERR_NOMEM;
        s->cap = need;
    }
    char *at = s->buf;
    s->rec = *rec;
    if (rec->len) memcpy(at, rec->data, rec->len);
    at[rec->len] = '\0';
    s->rec.data = at;
    at += rec->len + 1;
    s->rec.id = put_str(&at, rec->id);
    s->rec.url = put_str(&at, rec->url);
    s->rec.date = put_str(&at, rec->date);
    s->rec.charset = put_str(&at, rec->charset);
    s->rec.source = put_str(&at, rec->source);
    return WS_OK;
}

static void slot_release(ws_pipeline *p, ws_pipe_slot *s) {
    ws_free(p->engine, s->out.data);
    memset(&s->out, 0, sizeof s->out);
    if (s->cap > WS_PIPE_KEEP_BUF) {
        ws_mem_free(&p->engine->mem, s->buf, s->cap);
        s->buf = NULL;
        s->cap = 0;
    }
    s->state = SLOT_FREE;
}

/* Runs the work on slot s with the calling thread's cache c (may be NULL). */
static void run_work(ws_pipeline *p, ws_pipe_slot *s, ws_cache *c) {
    memset(&s->out, 0, sizeof s->out);
    s->out.cache = c;
    void *ud = p->o.work ? p->o.work_ud : &p->flags;
    ws_pipeline_work_fn fn = p->o.work ? p->o.work : ws_pipeline_work_json;
    s->status = fn(ud, p->engine, &s->rec, &s->out);
    s->out.cache = NULL;
    if (s->status != WS_OK && s->out.data) {
        ws_free(p->engine, s->out.data);
        s->out.data = NULL;
        s->out.len = 0;
    }
    s->out.errmsg[sizeof s->out.errmsg - 1] = '\0';
}

/* Calls the writer on a done slot; returns its answer. */
static int write_slot(ws_pipeline *p, const ws_pipe_slot *s, uint64_t seq) {
    ws_pipeline_result r;
    r.seq = seq;
    r.format = s->rec.format;
    r.id = s->rec.id;
    r.url = s->rec.url;
    r.source = s->rec.source;
    r.offset = s->rec.offset;
    r.status = s->status;
    r.errmsg = s->out.errmsg[0] ? s->out.errmsg
                                : (s->status == WS_OK ? "" : ws_strerror(s->status));
    r.data = s->status == WS_OK ? s->out.data : NULL;
    r.len = s->status == WS_OK ? s->out.len : 0;
    r.statements = s->status == WS_OK ? s->out.statements : 0;
    return p->o.write(p->o.write_ud, &r);
}

/* Counts a written slot (lock held). */
static void count_written(ws_pipeline *p, const ws_pipe_slot *s, int rc) {
    p->st.written++;
    if (s->status == WS_OK) {
        p->st.documents++;
        p->st.statements += s->out.statements;
        p->st.bytes_out += s->out.len;
    } else {
        p->st.errors++;
    }
    if (rc) p->st.stopped = 1;
}

/* Writes every done slot from next_write on, unless another thread is
 * already doing so. Called and returns with the lock held. */
static void drain_locked(ws_pipeline *p) {
    if (p->writing) return;
    p->writing = 1;
    while (p->next_write < p->next_push) {
        ws_pipe_slot *s = &p->slots[p->next_write % p->nslots];
        if (s->state != SLOT_DONE) break;
        int stopped = p->st.stopped;
        pthread_mutex_unlock(&p->m);
        int rc = stopped ? 0 : write_slot(p, s, p->next_write);
        pthread_mutex_lock(&p->m);
        if (!stopped) count_written(p, s, rc);
        p->bytes -= s->bytes;
        slot_release(p, s);
        p->next_write++;
        pthread_cond_broadcast(&p->cv_space);
    }
    p->writing = 0;
}

/* A worker thread. Its cache (ws_cache) is made before its first record
 * and freed when it ends; without memory for it the work runs uncached. */
static void *worker(void *arg) {
    ws_pipeline *p = arg;
    ws_cache *cache = NULL;
    int cache_tried = 0;
    pthread_mutex_lock(&p->m);
    for (;;) {
        while (!p->quit && p->next_work == p->next_push)
            pthread_cond_wait(&p->cv_work, &p->m);
        if (p->next_work == p->next_push) break; /* quit, nothing left */
        ws_pipe_slot *s = &p->slots[p->next_work % p->nslots];
        p->next_work++;
        if (s->state != SLOT_QUEUED) continue; /* a read error: already done */
        s->state = SLOT_BUSY;
        int skip = p->st.stopped;
        pthread_mutex_unlock(&p->m);
        if (skip) {
            memset(&s->out, 0, sizeof s->out);
            s->status = WS_ERR_IO;
        } else {
            if (!cache_tried) cache_tried = 1, ws_cache_new(p->engine, &cache);
            run_work(p, s, cache);
        }
        pthread_mutex_lock(&p->m);
        s->state = SLOT_DONE;
        s->bytes += s->out.len;
        p->bytes += s->out.len;
        drain_locked(p);
    }
    pthread_mutex_unlock(&p->m);
    ws_cache_free(cache);
    return NULL;
}

/* ---- lifecycle --------------------------------------------------------- */

static unsigned online_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > (long)WS_PIPE_MAX_JOBS ? WS_PIPE_MAX_JOBS : (unsigned)n;
}

ws_status ws_pipeline_new(const ws_engine *engine, const ws_pipeline_options *opts,
                          ws_pipeline **out) {
    if (!out) return WS_ERR_INVALID;
    *out = NULL;
    if (!engine || !opts || !opts->write) return WS_ERR_INVALID;
    ws_pipeline *p = ws_mem_alloc(&engine->mem, sizeof *p);
    if (!p) return WS_ERR_NOMEM;
    memset(p, 0, sizeof *p);
    p->engine = engine;
    p->o = *opts;
    p->flags = opts->json_flags;
    unsigned jobs = opts->jobs ? opts->jobs : online_cores();
    if (jobs > WS_PIPE_MAX_JOBS) jobs = WS_PIPE_MAX_JOBS;
    p->o.jobs = jobs;
    if (!p->o.max_bytes) p->o.max_bytes = WS_PIPE_DEFAULT_BYTES;
    p->nslots = jobs == 1 ? 1 : (p->o.max_records ? p->o.max_records : 4 * (size_t)jobs);
    if (p->nslots < 1) p->nslots = 1;
    p->slots = ws_mem_alloc(&engine->mem, p->nslots * sizeof *p->slots);
    p->threads = jobs > 1 ? ws_mem_alloc(&engine->mem, jobs * sizeof *p->threads) : NULL;
    if (!p->slots || (jobs > 1 && !p->threads)) {
        ws_mem_free(&engine->mem, p->slots, 0);
        ws_mem_free(&engine->mem, p->threads, 0);
        ws_mem_free(&engine->mem, p, sizeof *p);
        return WS_ERR_NOMEM;
    }
    memset(p->slots, 0, p->nslots * sizeof *p->slots);
    if (pthread_mutex_init(&p->m, NULL) != 0) goto fail_m;
    if (pthread_cond_init(&p->cv_work, NULL) != 0) goto fail_w;
    if (pthread_cond_init(&p->cv_space, NULL) != 0) goto fail_s;
    for (unsigned i = 0; jobs > 1 && i < jobs; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) break;
        p->nthreads++;
    }
    *out = p;
    return WS_OK;
fail_s:
    pthread_cond_destroy(&p->cv_work);
fail_w:
    pthread_mutex_destroy(&p->m);
fail_m:
    ws_mem_free(&engine->mem, p->slots, 0);
    ws_mem_free(&engine->mem, p->threads, 0);
    ws_mem_free(&engine->mem, p, sizeof *p);
    return WS_ERR_NOMEM;
}

/* The inline path (no threads): work and write at once. */
static ws_status push_inline(ws_pipeline *p, const ws_record *rec, ws_status err,
                             const char *errmsg) {
    ws_pipe_slot *s = &p->slots[0];
    memset(&s->out, 0, sizeof s->out);
    s->rec = *rec;
    p->st.records++;
    if (err == WS_OK) {
        if (!p->cache_tried) p->cache_tried = 1, ws_cache_new(p->engine, &p->cache);
        run_work(p, s, p->cache);
    } else {
        s->status = err;
        snprintf(s->out.errmsg, sizeof s->out.errmsg, "%s", errmsg ? errmsg : "");
    }
    int rc = write_slot(p, s, p->next_push);
    count_written(p, s, rc);
    p->next_push++;
    p->next_write++;
    ws_free(p->engine, s->out.data);
    memset(&s->out, 0, sizeof s->out);
    memset(&s->rec, 0, sizeof s->rec);
    return rc ? WS_ERR_IO : WS_OK;
}

/* Waits for a free slot with room for need bytes (lock held). Returns the
 * slot, or NULL once the pipeline is stopped. */
static ws_pipe_slot *wait_slot(ws_pipeline *p, size_t need) {
    while (!p->st.stopped &&
           (p->next_push - p->next_write >= p->nslots ||
            (p->bytes > 0 && p->bytes + need > p->o.max_bytes)))
        pthread_cond_wait(&p->cv_space, &p->m);
    return p->st.stopped ? NULL : &p->slots[p->next_push % p->nslots];
}

static void report_progress(ws_pipeline *p) {
    if (!p->o.progress) return;
    ws_pipeline_stats st;
    ws_pipeline_stats_get(p, &st);
    p->o.progress(p->o.progress_ud, &st);
}

ws_status ws_pipeline_push(ws_pipeline *p, const ws_record *rec) {
    if (!p || !rec || (!rec->data && rec->len) || p->finished) return WS_ERR_INVALID;
    if (!p->nthreads) {
        if (p->st.stopped) return WS_ERR_IO;
        ws_status st = push_inline(p, rec, WS_OK, NULL);
        report_progress(p);
        return st;
    }
    size_t need = rec_size(rec);
    pthread_mutex_lock(&p->m);
    ws_pipe_slot *s = wait_slot(p, need);
    pthread_mutex_unlock(&p->m);
    if (!s) return WS_ERR_IO;
    ws_status fill = slot_fill(p, s, rec); /* s is free: the producer owns it */
    pthread_mutex_lock(&p->m);
    p->st.records++;
    if (fill != WS_OK) { /* deliver the failure in order */
        memset(&s->out, 0, sizeof s->out);
        memset(&s->rec, 0, sizeof s->rec);
        s->rec.source = NULL;
        s->status = fill;
        s->bytes = 0;
        s->state = SLOT_DONE;
        p->next_push++;
        drain_locked(p);
    } else {
        s->bytes = need;
        p->bytes += need;
        s->state = SLOT_QUEUED;
        p->next_push++;
        pthread_cond_signal(&p->cv_work);
    }
    pthread_mutex_unlock(&p->m);
    report_progress(p);
    return WS_OK;
}

ws_status ws_pipeline_push_error(ws_pipeline *p, const char *source,
                                 ws_status status, const char *errmsg) {
    if (!p || p->finished) return WS_ERR_INVALID;
    if (status == WS_OK) status = WS_ERR_FORMAT;
    ws_record rec;
    memset(&rec, 0, sizeof rec);
    rec.source = source;
    if (!p->nthreads) return p->st.stopped ? WS_ERR_IO : push_inline(p, &rec, status, errmsg);
    size_t need = str_size(source) + 1;
    pthread_mutex_lock(&p->m);
    ws_pipe_slot *s = wait_slot(p, need);
    if (!s) {
        pthread_mutex_unlock(&p->m);
        return WS_ERR_IO;
    }
    pthread_mutex_unlock(&p->m);
    ws_status fill = slot_fill(p, s, &rec);
    memset(&s->out, 0, sizeof s->out);
    snprintf(s->out.errmsg, sizeof s->out.errmsg, "%s", errmsg ? errmsg : "");
    pthread_mutex_lock(&p->m);
    p->st.records++;
    if (fill != WS_OK) s->rec.source = NULL;
    s->status = status;
    s->bytes = fill == WS_OK ? need : 0;
    p->bytes += s->bytes;
    s->state = SLOT_DONE;
    p->next_push++;
    drain_locked(p);
    pthread_mutex_unlock(&p->m);
    return WS_OK;
}

/* Folds a reader's counters into st (base + current). */
static void add_reader(ws_pipeline_stats *st, const ws_reader_stats *base,
                       const ws_reader_stats *cur) {
    for (int i = 0; i < WS_SKIP_COUNT; i++) st->skipped[i] = base->skipped[i] + cur->skipped[i];
    st->bytes_read = base->bytes_read + cur->bytes_read;
    st->bytes_total = base->bytes_total + cur->bytes_total;
}

ws_status ws_pipeline_read(ws_pipeline *p, ws_reader *reader) {
    if (!p || !reader || p->finished) return WS_ERR_INVALID;
    ws_status ret = WS_OK;
    ws_reader_stats rs;
    for (;;) {
        ws_record rec;
        ws_status st = ws_reader_next(reader, &rec);
        ws_reader_stats_get(reader, &rs);
        if (p->nthreads) pthread_mutex_lock(&p->m);
        add_reader(&p->st, &p->base, &rs);
        if (p->nthreads) pthread_mutex_unlock(&p->m);
        if (st == WS_DONE) break;
        if (st == WS_OK) st = ws_pipeline_push(p, &rec);
        else if (st == WS_ERR_NOMEM) {
            ret = st;
            break;
        } else {
            st = ws_pipeline_push_error(p, NULL, st, ws_reader_errmsg(reader));
            report_progress(p);
        }
        if (st == WS_ERR_IO) {
            ret = st;
            break;
        }
        if (st != WS_OK) {
            ret = st;
            break;
        }
    }
    if (p->nthreads) pthread_mutex_lock(&p->m);
    for (int i = 0; i < WS_SKIP_COUNT; i++) p->base.skipped[i] += rs.skipped[i];
    p->base.bytes_read += rs.bytes_read;
    p->base.bytes_total += rs.bytes_total;
    ws_reader_stats zero;
    memset(&zero, 0, sizeof zero);
    add_reader(&p->st, &p->base, &zero);
    if (p->nthreads) pthread_mutex_unlock(&p->m);
    return ret;
}

void ws_pipeline_stats_get(ws_pipeline *p, ws_pipeline_stats *out) {
    if (!out) return;
    if (!p) {
        memset(out, 0, sizeof *out);
        return;
    }
    if (p->nthreads) pthread_mutex_lock(&p->m);
    *out = p->st;
    if (p->nthreads) pthread_mutex_unlock(&p->m);
}

ws_status ws_pipeline_finish(ws_pipeline *p, ws_pipeline_stats *stats) {
    if (!p) return WS_ERR_INVALID;
    if (!p->finished && p->nthreads) {
        pthread_mutex_lock(&p->m);
        while (p->next_write < p->next_push) pthread_cond_wait(&p->cv_space, &p->m);
        p->quit = 1;
        pthread_cond_broadcast(&p->cv_work);
        pthread_mutex_unlock(&p->m);
        for (unsigned i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
        p->nthreads = 0;
    }
    p->finished = 1;
    if (stats) *stats = p->st;
    return p->st.stopped ? WS_ERR_IO : WS_OK;
}

void ws_pipeline_free(ws_pipeline *p) {
    if (!p) return;
    int threaded = p->threads != NULL;
    ws_pipeline_finish(p, NULL);
    const ws_mem *mem = &p->engine->mem;
    for (size_t i = 0; i < p->nslots; i++) {
        ws_free(p->engine, p->slots[i].out.data);
        ws_mem_free(mem, p->slots[i].buf, p->slots[i].cap);
    }
    ws_mem_free(mem, p->slots, p->nslots * sizeof *p->slots);
    if (threaded) ws_mem_free(mem, p->threads, p->o.jobs * sizeof *p->threads);
    ws_cache_free(p->cache);
    pthread_cond_destroy(&p->cv_space);
    pthread_cond_destroy(&p->cv_work);
    pthread_mutex_destroy(&p->m);
    ws_mem_free(mem, p, sizeof *p);
}
