/*
 * test_pipeline.c - ws_pipeline: results in input order whatever the number
 * of jobs, bounded records in flight, per-record errors delivered in order,
 * the writer stopping the pipeline, the byte budget, bad arguments.
 *
 * The work function here is synthetic (a transform of the record with a
 * record-dependent amount of busy work, so workers finish out of order);
 * the real work (ws_pipeline_work_json) is covered by tests/parallel/run.sh,
 * which compares `whosaid extract --jobs 1` and `--jobs 4` byte for byte.
 * Checks run on the main thread after ws_pipeline_finish(): the callbacks
 * only record what they see.
 */
#include "harness.h"
#include "whosaid.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_RECORDS 600

typedef struct sink {
    char *buf;
    size_t len, cap;
    uint64_t next_seq;   /* the seq expected next */
    int out_of_order;    /* results seen out of order */
    uint64_t calls;
    uint64_t stop_after; /* return 1 from this call on (0: never) */
    atomic_ullong *pushed; /* records the producer has pushed so far */
    uint64_t max_ahead;  /* max of pushed - seq seen by the writer */
    uint64_t errors;
    int bad_errmsg;      /* an error result without the expected message */
    uint64_t statements;
} sink;

static void sink_add(sink *s, const char *p, size_t n) {
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        if (!s->buf) abort();
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

static int write_cb(void *ud, const ws_pipeline_result *r) {
    sink *s = ud;
    s->calls++;
    if (r->seq != s->next_seq) s->out_of_order = 1;
    s->next_seq = r->seq + 1;
    if (s->pushed) {
        uint64_t pushed = atomic_load(s->pushed);
        if (pushed > r->seq && pushed - r->seq > s->max_ahead) s->max_ahead = pushed - r->seq;
    }
    char line[160];
    if (r->status == WS_OK) {
        sink_add(s, r->data, r->len);
        s->statements += r->statements;
    } else {
        s->errors++;
        if (!r->errmsg || !strstr(r->errmsg, "bad record")) s->bad_errmsg = 1;
        snprintf(line, sizeof line, "ERR %s %s", r->source ? r->source : "?", r->errmsg);
        sink_add(s, line, strlen(line));
    }
    sink_add(s, "\n", 1);
    return s->stop_after && s->calls >= s->stop_after;
}

/* Reverses the record's text and appends its id; record ids ending in 7
 * fail with a message. The spin makes finishing order differ from input
 * order. */
static ws_status work_cb(void *ud, const ws_engine *engine, const ws_record *rec,
                         ws_pipeline_output *out) {
    (void)ud;
    (void)engine;
    size_t idlen = strlen(rec->id);
    if (idlen && rec->id[idlen - 1] == '7') {
        snprintf(out->errmsg, sizeof out->errmsg, "bad record %s", rec->id);
        return WS_ERR_FORMAT;
    }
    volatile unsigned spin = 0;
    unsigned h = 2166136261u;
    for (size_t i = 0; i < rec->len; i++) h = (h ^ (unsigned char)rec->data[i]) * 16777619u;
    for (unsigned i = 0; i < (h % 20000u); i++) spin += i;
    (void)spin;
    /* The engine's allocator: ws_free() releases it. A plain malloc is the
     * default allocator, which the engine here uses. */
    out->data = malloc(rec->len + idlen + 2);
    if (!out->data) return WS_ERR_NOMEM;
    for (size_t i = 0; i < rec->len; i++) out->data[i] = rec->data[rec->len - 1 - i];
    out->data[rec->len] = ' ';
    memcpy(out->data + rec->len + 1, rec->id, idlen + 1);
    out->len = rec->len + 1 + idlen;
    out->statements = rec->len % 3;
    return WS_OK;
}

/* Runs N_RECORDS records (and a read error every 50) through a pipeline. */
static ws_status run(const ws_engine *e, unsigned jobs, size_t max_records,
                     size_t max_bytes, sink *s, ws_pipeline_stats *st) {
    static atomic_ullong pushed;
    atomic_store(&pushed, 0);
    memset(s, 0, sizeof *s);
    s->pushed = &pushed;
    ws_pipeline_options o;
    memset(&o, 0, sizeof o);
    o.jobs = jobs;
    o.max_records = max_records;
    o.max_bytes = max_bytes;
    o.work = work_cb;
    o.write = write_cb;
    o.write_ud = s;
    ws_pipeline *p = NULL;
    ws_status rc = ws_pipeline_new(e, &o, &p);
    if (rc != WS_OK) return rc;
    char text[300], id[32];
    for (int i = 0; i < N_RECORDS; i++) {
        if (i % 50 == 25) {
            snprintf(id, sizeof id, "in-%d", i);
            ws_pipeline_push_error(p, id, WS_ERR_FORMAT, "bad record (read)");
            atomic_fetch_add(&pushed, 1);
        }
        int n = snprintf(text, sizeof text, "record %d says %.*s", i, (i * 37) % 200,
                         "The minister said that the talks would go on, officials said."
                         "The minister said that the talks would go on, officials said."
                         "The minister said that the talks would go on, officials said."
                         "The minister said that the talks would go on, officials said.");
        snprintf(id, sizeof id, "doc%d", i);
        ws_record r;
        memset(&r, 0, sizeof r);
        r.format = WS_FORMAT_TEXT;
        r.id = id;
        r.source = "mem";
        r.data = text;
        r.len = (size_t)n;
        rc = ws_pipeline_push(p, &r);
        atomic_fetch_add(&pushed, 1);
        if (rc != WS_OK) break;
    }
    ws_status fin = ws_pipeline_finish(p, st);
    ws_pipeline_free(p);
    return rc != WS_OK ? rc : fin;
}

static void test_order(const ws_engine *e) {
    sink ref, s;
    ws_pipeline_stats st0, st;
    CHECK(run(e, 1, 0, 0, &ref, &st0) == WS_OK, "jobs 1");
    uint64_t n_err = N_RECORDS / 50 + N_RECORDS / 10; /* read errors + ids ending in 7 */
    CHECK(st0.records == N_RECORDS + N_RECORDS / 50, "records %llu", (unsigned long long)st0.records);
    CHECK(st0.written == st0.records, "written %llu", (unsigned long long)st0.written);
    CHECK(st0.errors == n_err, "errors %llu", (unsigned long long)st0.errors);
    CHECK(st0.documents == st0.records - n_err, "documents");
    CHECK(ref.errors == n_err && !ref.bad_errmsg, "error results carry their message");
    CHECK(!ref.out_of_order, "jobs 1 in order");
    CHECK(st0.statements == ref.statements, "statements counted");
    CHECK(strstr(ref.buf, "ERR in-25 bad record (read)\n") != NULL, "read error text");
    CHECK(strstr(ref.buf, "ERR mem bad record doc7\n") != NULL, "work error text");
    const unsigned jobs[] = {2, 3, 4, 8};
    const size_t slots[] = {0, 1, 2, 5};
    for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
        for (size_t k = 0; k < sizeof slots / sizeof slots[0]; k++) {
            ws_status rc = run(e, jobs[j], slots[k], 0, &s, &st);
            CHECK(rc == WS_OK, "jobs %u slots %zu: %s", jobs[j], slots[k], ws_strerror(rc));
            CHECK(!s.out_of_order, "jobs %u slots %zu: in order", jobs[j], slots[k]);
            CHECK(s.len == ref.len && memcmp(s.buf, ref.buf, ref.len) == 0,
                  "jobs %u slots %zu: same bytes as jobs 1", jobs[j], slots[k]);
            CHECK(st.documents == st0.documents && st.errors == st0.errors &&
                      st.statements == st0.statements && st.bytes_out == st0.bytes_out,
                  "jobs %u slots %zu: same stats", jobs[j], slots[k]);
            size_t limit = slots[k] ? slots[k] : 4 * jobs[j];
            /* the producer may have pushed one more after the writer's
             * slot freed, plus the counter lags push by one */
            CHECK(s.max_ahead <= limit + 1, "jobs %u slots %zu: %llu records ahead of the writer",
                  jobs[j], slots[k], (unsigned long long)s.max_ahead);
            free(s.buf);
        }
    }
    /* a byte budget smaller than one record: one record at a time */
    CHECK(run(e, 4, 0, 16, &s, &st) == WS_OK, "tiny byte budget");
    CHECK(s.len == ref.len && memcmp(s.buf, ref.buf, ref.len) == 0, "tiny budget: same bytes");
    CHECK(s.max_ahead <= 2, "tiny budget: %llu ahead", (unsigned long long)s.max_ahead);
    free(s.buf);
    /* jobs 0: the number of online cores */
    CHECK(run(e, 0, 0, 0, &s, &st) == WS_OK, "jobs 0");
    CHECK(s.len == ref.len && memcmp(s.buf, ref.buf, ref.len) == 0, "jobs 0: same bytes");
    free(s.buf);
    free(ref.buf);
}

/* The writer stops after 10 results: no more calls, WS_ERR_IO. */
static void stop_run(const ws_engine *e, unsigned jobs) {
    sink s;
    memset(&s, 0, sizeof s);
    s.stop_after = 10;
    ws_pipeline_options o;
    memset(&o, 0, sizeof o);
    o.jobs = jobs;
    o.work = work_cb;
    o.write = write_cb;
    o.write_ud = &s;
    ws_pipeline *p = NULL;
    CHECK(ws_pipeline_new(e, &o, &p) == WS_OK, "new");
    ws_status rc = WS_OK;
    int pushed = 0;
    for (int i = 0; i < 100000 && rc == WS_OK; i++, pushed++) {
        ws_record r;
        memset(&r, 0, sizeof r);
        r.id = "x";
        r.data = "some text";
        r.len = 9;
        rc = ws_pipeline_push(p, &r);
    }
    ws_pipeline_stats st;
    ws_status fin = ws_pipeline_finish(p, &st);
    CHECK(rc == WS_ERR_IO, "jobs %u: push after stop: %s", jobs, ws_strerror(rc));
    CHECK(fin == WS_ERR_IO && st.stopped, "jobs %u: finish after stop", jobs);
    CHECK(s.calls == 10, "jobs %u: writer called %llu times", jobs, (unsigned long long)s.calls);
    CHECK(pushed < 100, "jobs %u: producer stopped early (%d pushes)", jobs, pushed);
    CHECK(ws_pipeline_push(p, &(ws_record){0}) == WS_ERR_INVALID, "push after finish");
    ws_pipeline_free(p);
    free(s.buf);
}

static void test_args(const ws_engine *e) {
    ws_pipeline *p = (ws_pipeline *)1;
    ws_pipeline_options o;
    memset(&o, 0, sizeof o);
    CHECK(ws_pipeline_new(e, &o, &p) == WS_ERR_INVALID && p == NULL, "no writer");
    o.write = write_cb;
    CHECK(ws_pipeline_new(NULL, &o, &p) == WS_ERR_INVALID, "no engine");
    CHECK(ws_pipeline_new(e, NULL, &p) == WS_ERR_INVALID, "no options");
    CHECK(ws_pipeline_new(e, &o, NULL) == WS_ERR_INVALID, "no out");
    CHECK(ws_pipeline_push(NULL, &(ws_record){0}) == WS_ERR_INVALID, "push NULL");
    CHECK(ws_pipeline_finish(NULL, NULL) == WS_ERR_INVALID, "finish NULL");
    ws_pipeline_free(NULL);
    /* an empty run */
    sink s;
    memset(&s, 0, sizeof s);
    o.write_ud = &s;
    o.jobs = 3;
    CHECK(ws_pipeline_new(e, &o, &p) == WS_OK, "new");
    ws_pipeline_stats st;
    CHECK(ws_pipeline_finish(p, &st) == WS_OK && st.records == 0 && s.calls == 0, "empty run");
    ws_pipeline_free(p);
    /* freeing without finishing */
    CHECK(ws_pipeline_new(e, &o, &p) == WS_OK, "new");
    ws_pipeline_free(p);
}

/* The default work through a reader: a JSONL buffer with a bad line and an
 * empty article in the middle. Output equals ws_record_to_json per record,
 * the bad line arrives in order as an error, the skip is counted. */
static void test_reader(const ws_engine *e) {
    static const char jsonl[] =
        "{\"id\":\"a\",\"text\":\"\\\"We will win,\\\" the minister said.\"}\n"
        "{\"id\":\"b\",\"text\":\"Officials said the talks would go on.\"}\n"
        "this is not json\n"
        "{\"id\":\"c\"}\n"
        "{\"id\":\"d\",\"text\":\"Nobody spoke.\"}\n";
    /* the reference: one record at a time */
    sink ref;
    memset(&ref, 0, sizeof ref);
    ws_reader *rd = NULL;
    CHECK(ws_reader_open_mem(jsonl, sizeof jsonl - 1, "mem.jsonl", NULL, &rd) == WS_OK, "open");
    ws_record rec;
    ws_status st;
    int n_err = 0;
    uint64_t n_stmt = 0;
    while ((st = ws_reader_next(rd, &rec)) != WS_DONE) {
        if (st != WS_OK) {
            n_err++;
            sink_add(&ref, "E\n", 2);
            continue;
        }
        char *js = NULL;
        size_t n = 0;
        CHECK(ws_record_to_json(e, &rec, WS_JSON_TEXT, &js, &n) == WS_OK, "record_to_json");
        sink_add(&ref, js, n);
        sink_add(&ref, "\n", 1);
        ws_free(e, js);
        ws_article *a = NULL;
        ws_doc *d = NULL;
        if (ws_article_new(e, &rec, &a) == WS_OK && ws_article_analyze(e, a, &d) == WS_OK)
            n_stmt += ws_doc_statement_count(d);
        ws_doc_free(d);
        ws_article_free(a);
    }
    ws_reader_free(rd);
    CHECK(n_err == 1, "one bad line (%d)", n_err);
    for (unsigned jobs = 1; jobs <= 3; jobs += 2) {
        sink s;
        memset(&s, 0, sizeof s);
        ws_pipeline_options o;
        memset(&o, 0, sizeof o);
        o.jobs = jobs;
        o.json_flags = WS_JSON_TEXT;
        o.write = write_cb;
        o.write_ud = &s;
        ws_pipeline *p = NULL;
        CHECK(ws_pipeline_new(e, &o, &p) == WS_OK, "new");
        CHECK(ws_reader_open_mem(jsonl, sizeof jsonl - 1, "mem.jsonl", NULL, &rd) == WS_OK, "open");
        CHECK(ws_pipeline_read(p, rd) == WS_OK, "read");
        ws_reader_free(rd);
        ws_pipeline_stats ps;
        CHECK(ws_pipeline_finish(p, &ps) == WS_OK, "finish");
        ws_pipeline_free(p);
        /* the sink writes "ERR ? message" for errors: normalise to "E" */
        char *norm = malloc(s.len + 1), *w = norm;
        for (size_t i = 0; i < s.len;) {
            const char *nl = memchr(s.buf + i, '\n', s.len - i);
            size_t n = nl ? (size_t)(nl - (s.buf + i)) + 1 : s.len - i;
            if (n >= 4 && !memcmp(s.buf + i, "ERR ", 4)) {
                memcpy(w, "E\n", 2);
                w += 2;
            } else {
                memcpy(w, s.buf + i, n);
                w += n;
            }
            i += n;
        }
        CHECK((size_t)(w - norm) == ref.len && !memcmp(norm, ref.buf, ref.len),
              "jobs %u: same output as ws_record_to_json, error in place", jobs);
        CHECK(ps.documents == 3 && ps.errors == 1, "jobs %u: 3 documents, 1 error", jobs);
        CHECK(ps.skipped[WS_SKIP_EMPTY] == 1, "jobs %u: the empty article is skipped", jobs);
        CHECK(ps.statements == n_stmt, "jobs %u: statements %llu = %llu", jobs,
              (unsigned long long)ps.statements, (unsigned long long)n_stmt);
        CHECK(ps.bytes_read == sizeof jsonl - 1, "jobs %u: bytes read", jobs);
        free(norm);
        free(s.buf);
    }
    free(ref.buf);
}

int main(void) {
    ws_engine *e = NULL;
    if (ws_engine_new(NULL, &e) != WS_OK) {
        printf("FAIL: engine\n0 passed, 1 failed\n");
        return 1;
    }
    test_order(e);
    stop_run(e, 1);
    stop_run(e, 4);
    test_args(e);
    test_reader(e);
    ws_engine_free(e);
    return TEST_REPORT();
}
