/*
 * cli.h - what the commands of the whosaid CLI share (programs/ only).
 *
 * Each command lives in programs/cmd_NAME.c and is listed in the command
 * table of programs/whosaid.c. The CLI sees only the public API.
 */
#ifndef WS_CLI_H
#define WS_CLI_H

#include "whosaid.h"

#include <stddef.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* "whosaid: PATH: CAUSE" on stderr. */
void report(const char *path, const char *cause);
/* "whosaid: MSG[: ARG]" plus a hint on stderr; returns EXIT_USAGE. */
int usage_error(const char *msg, const char *arg);

/* A growable list of strings (paths, arguments). */
typedef struct pathlist {
    char **v;
    size_t n, cap;
} pathlist;

/* Creates the engine with default options; reports and returns -1 on failure. */
int open_engine(ws_engine **e);

/* The commands: argv[1] is the command name. Each returns an exit status. */
int cmd_extract(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_speakers(int argc, char **argv);
int cmd_quote(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Store commands (cmd_index.c, cmd_search.c, cmd_speakers.c, cmd_quote.c,
 * cmd_stats.c; helpers in cmd_stats.c). */
struct ws_store;
/* Opens the store (write: create if missing; else read-only, never
 * creating); reports "whosaid: MESSAGE" and returns -1 on failure. */
int store_open_cli(const char *db, int write, ws_store **out);
/* Reports "whosaid: WHAT: the store's message"; returns EXIT_INPUT. */
int store_fail(ws_store *s, const char *what);
/* --db FILE / --db=FILE at argv[*i]: 1 consumed, 0 not it, -1 no value. */
int store_db_option(int argc, char **argv, int *i, const char **db);
/* One line of s cut to maxcols characters, padded to pad columns. */
void store_print_cut(FILE *f, const char *s, size_t maxcols, size_t pad);
/* An RFC 4180 CSV field followed by ',' or (last) a newline. */
void store_csv_field(FILE *f, const char *s, int last);

#endif
