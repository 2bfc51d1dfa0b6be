/* json.c - STUB, to be replaced by the JSON writer. */
#include "../doc.h"
#include <stdio.h>
ws_status ws_json_write(const ws_doc *d, unsigned flags, char **out, size_t *out_len) {
    (void)flags;
    const char *s = "{}";
    *out = ws_mem_alloc(&d->engine->mem, 3);
    if (!*out) return WS_ERR_NOMEM;
    memcpy(*out, s, 3);
    if (out_len) *out_len = 2;
    return WS_OK;
}
