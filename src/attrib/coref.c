/* coref.c - STUB, to be replaced by speaker resolution. */
#include "../doc.h"
ws_status ws_resolve_speakers(const ws_engine *e, ws_doc *d) { (void)e; (void)d; return WS_OK; }
