/* rules.c - STUB, to be replaced by the hand-written patterns. */
#include "../doc.h"
ws_status ws_attrib_rules(const ws_engine *e, ws_doc *d) { (void)e; (void)d; return WS_OK; }
