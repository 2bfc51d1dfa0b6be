/* model.c - STUB, to be replaced by the trained tagger. */
#include "../doc.h"
#include "../model/models.h"
ws_status ws_attrib_load(const ws_mem *m, struct ws_attrib_model **out) { (void)m; *out = NULL; return WS_OK; }
void ws_attrib_free(const ws_mem *m, struct ws_attrib_model *p) { (void)m; (void)p; }
ws_status ws_attrib_model(const ws_engine *e, ws_doc *d) { (void)e; (void)d; return WS_OK; }
