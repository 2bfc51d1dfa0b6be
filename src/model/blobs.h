/* blobs.h - model files compiled into the library (see tools/bin2c.c). */
#ifndef WS_BLOBS_H
#define WS_BLOBS_H
#include <stddef.h>

typedef struct ws_blob {
    const char *name;
    const unsigned char *data;
    size_t size;
} ws_blob;

/* Terminated by an entry with name == NULL. */
extern const ws_blob ws_blobs[];

/* Finds a blob by name; NULL if absent. */
const ws_blob *ws_blob_find(const char *name);

#endif
