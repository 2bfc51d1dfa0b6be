/* models.c - loads every built-in model once per engine. */
#include "models.h"
#include "blobs.h"

#include <string.h>

const ws_blob *ws_blob_find(const char *name) {
    for (const ws_blob *b = ws_blobs; b->name; b++)
        if (strcmp(b->name, name) == 0) return b;
    return NULL;
}

ws_status ws_models_load(const ws_mem *m, ws_models **out) {
    ws_models *ms = ws_mem_alloc(m, sizeof *ms);
    WS_RETURN_IF(!ms, WS_ERR_NOMEM);
    memset(ms, 0, sizeof *ms);
    ws_status st = ws_pos_load(m, &ms->pos);
    if (st == WS_OK) st = ws_attrib_load(m, &ms->attrib);
    if (st != WS_OK) {
        ws_models_free(m, ms);
        return st;
    }
    *out = ms;
    return WS_OK;
}

void ws_models_free(const ws_mem *m, ws_models *ms) {
    if (!ms) return;
    ws_pos_free(m, ms->pos);
    ws_attrib_free(m, ms->attrib);
    ws_mem_free(m, ms, sizeof *ms);
}
