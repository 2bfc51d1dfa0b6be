/* models.h - the built-in models and lexicons held by an engine. */
#ifndef WS_MODELS_H
#define WS_MODELS_H
#include "../internal.h"

struct ws_pos_model;    /* model/pos.c */
struct ws_attrib_model; /* attrib/model.c */

typedef struct ws_models {
    struct ws_pos_model *pos;
    struct ws_attrib_model *attrib;
} ws_models;

ws_status ws_models_load(const ws_mem *m, ws_models **out);
void ws_models_free(const ws_mem *m, ws_models *models);

/* Per-model loaders (each in its own file). A missing blob is not an error
 * for a model that is optional; the stage then does nothing. */
ws_status ws_pos_load(const ws_mem *m, struct ws_pos_model **out);
void ws_pos_free(const ws_mem *m, struct ws_pos_model *p);
ws_status ws_attrib_load(const ws_mem *m, struct ws_attrib_model **out);
void ws_attrib_free(const ws_mem *m, struct ws_attrib_model *p);

#endif
