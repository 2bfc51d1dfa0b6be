/*
 * ckpt.c - a writer's checkpoints on a thread of their own (docs/store.md,
 * "Ingest").
 *
 * In WAL mode with synchronous = NORMAL a commit does not wait for the disk,
 * but a checkpoint does: it syncs the WAL, copies its pages into the store
 * and syncs the store. Run by the writer after each batch, those syncs held
 * it for about 6 s of a 32 s ingest of 125,000 articles. Here a second
 * connection to the same file runs them (PASSIVE) while the writer goes on
 * with its next batch.
 *
 * The WAL file starts again from its beginning only when a writer's
 * transaction begins after a checkpoint has copied every frame; a writer
 * that never waits would make it grow with the whole ingest. So the writer
 * asks for a checkpoint after each commit that adds CHECKPOINT_BYTES or more
 * (ws_ckpt_request), and waits for it (ws_ckpt_wait) only before a batch
 * that would start with WAL_BOUND_CHECKPOINTS x 40 MB (640 MB) or more in
 * the WAL (store.c): the WAL stays below that bound plus one batch, and the
 * writer waits once per several batches instead of every time.
 *
 * Nothing here is global: the thread and its connection belong to one
 * ws_store.
 */
#include "store.h"

#include <pthread.h>
#include <stdlib.h>

struct ws_ckpt {
    sqlite3 *db;
    pthread_t th;
    pthread_mutex_t m;
    pthread_cond_t cv;      /* a request, or stop */
    pthread_cond_t done_cv; /* done moved */
    uint64_t req, done;     /* requests made / finished */
    int truncate;           /* the pending request is a final one (TRUNCATE) */
    int busy_ms;            /* the connection's busy timeout */
    int stop;
};

void ws_store_empty_wal(sqlite3 *db, int busy_ms) {
    /* copies every frame and truncates the WAL to 0 bytes, so the close
     * has neither frames to copy nor a large file to delete (freeing its
     * cached pages cost 0.2-0.5 s at the end of a 125,000-article ingest);
     * a reader's snapshot makes it give up at once instead of waiting for
     * the busy timeout */
    sqlite3_busy_timeout(db, 0);
    sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(db, busy_ms);
}

static void *ckpt_main(void *arg) {
    ws_ckpt *c = arg;
    ws_store_helper_thread_start();
    pthread_mutex_lock(&c->m);
    for (;;) {
        while (c->done == c->req && !c->stop) pthread_cond_wait(&c->cv, &c->m);
        if (c->done == c->req) break; /* stopped, nothing pending */
        uint64_t r = c->req;
        int final = c->truncate;
        c->truncate = 0;
        pthread_mutex_unlock(&c->m);
        /* a failure (a reader holding old frames) is harmless: the next
         * request or the writer's close checkpoints again */
        if (final)
            ws_store_empty_wal(c->db, c->busy_ms);
        else
            sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->m);
        c->done = r;
        pthread_cond_broadcast(&c->done_cv);
    }
    pthread_mutex_unlock(&c->m);
    return NULL;
}

ws_ckpt *ws_ckpt_start(const char *path, int busy_ms) {
    ws_ckpt *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->busy_ms = busy_ms > 0 ? busy_ms : 5000;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_busy_timeout(c->db, c->busy_ms) != SQLITE_OK ||
        /* the checkpoint syncs as the writer's own did */
        sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->m, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->done_cv, NULL);
    if (pthread_create(&c->th, NULL, ckpt_main, c)) {
        pthread_cond_destroy(&c->done_cv);
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->m);
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

void ws_ckpt_request(ws_ckpt *c, int final) {
    pthread_mutex_lock(&c->m);
    if (final) c->truncate = 1;
    c->req++;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->m);
}

void ws_ckpt_wait(ws_ckpt *c) {
    pthread_mutex_lock(&c->m);
    while (c->done != c->req) pthread_cond_wait(&c->done_cv, &c->m);
    pthread_mutex_unlock(&c->m);
}

void ws_ckpt_stop(ws_ckpt *c) {
    if (!c) return;
    pthread_mutex_lock(&c->m);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->m);
    pthread_join(c->th, NULL);
    pthread_cond_destroy(&c->done_cv);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->m);
    sqlite3_close(c->db); /* not the last connection: no checkpoint here */
    free(c);
}
