/* merge.c - STUB. */
#include "../doc.h"
ws_status ws_attrib_finish(const ws_engine *e, ws_doc *d) { (void)e; (void)d; return WS_OK; }
