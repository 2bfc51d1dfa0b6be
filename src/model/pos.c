/* pos.c - STUB, to be replaced by the part-of-speech tagger. */
#include "../doc.h"
#include "models.h"
ws_status ws_pos_load(const ws_mem *m, struct ws_pos_model **out) { (void)m; *out = NULL; return WS_OK; }
void ws_pos_free(const ws_mem *m, struct ws_pos_model *p) { (void)m; (void)p; }
ws_status ws_pos_tag(const ws_engine *e, ws_doc *d) { (void)e; (void)d; return WS_OK; }
