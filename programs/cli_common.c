/* cli_common.c - errors and the engine, shared by the CLI commands (inputs
 * are read by the library's readers, ws_reader_*). */
#include "cli.h"

#include <stdio.h>

/* ---- errors ---------------------------------------------------------- */

void report(const char *path, const char *cause) {
    fprintf(stderr, "whosaid: %s: %s\n", path, cause);
}

int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "whosaid: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'whosaid --help'.\n");
    return EXIT_USAGE;
}

/* ---- the engine ------------------------------------------------------ */

int open_engine(ws_engine **e) {
    ws_status st = ws_engine_new(NULL, e);
    if (st != WS_OK) {
        fprintf(stderr, "whosaid: cannot create the engine: %s\n", ws_strerror(st));
        return -1;
    }
    return 0;
}

