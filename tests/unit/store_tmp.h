/*
 * store_tmp.h - what the store's unit tests share: a temporary directory
 * for their databases (store_tmp_make at the start, store_tmp_remove at the
 * end), paths in it, and one counter of ws_store_stats.
 */
#ifndef WS_TEST_STORE_TMP_H
#define WS_TEST_STORE_TMP_H

#include "whosaid.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdir[256];

/* Makes the directory /tmp/ws_test_NAME_XXXXXX: 0, or -1. */
static inline int store_tmp_make(const char *name) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ws_test_%s_XXXXXX", name);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static inline void store_tmp_remove(void) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) printf("could not remove %s\n", tmpdir);
}

/* tmpdir/name, in one of four buffers taken in turn. */
static inline char *path_in_tmp(const char *name) {
    static char buf[4][512];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

/* The integer key of ws_store_stats; -1 when stats fail. */
static inline json_int_t stat_of(ws_store *s, const char *key) {
    char *js = NULL;
    if (ws_store_stats(s, &js) != WS_OK) return -1;
    json_t *o = json_loads(js, 0, NULL);
    json_int_t v = json_integer_value(json_object_get(o, key));
    json_decref(o);
    ws_store_json_free(js);
    return v;
}

#endif
