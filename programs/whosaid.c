/*
 * whosaid.c - the command-line interface.
 *
 *   whosaid extract [options] [FILE|DIR|-]...   JSON Lines, one per document
 *   whosaid show FILE|-                         a readable table
 *
 * Sees only the public API (whosaid.h). One engine is created per run and
 * shared by every document. Exit codes: 0 success, 1 some inputs failed (the
 * others were processed), 2 usage error, 3 internal error.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char *const usage_main =
    "Usage: whosaid COMMAND [options] [FILE|DIR|-]...\n"
    "\n"
    "Finds who said what in news text: every statement's content, cue and\n"
    "source, resolved to a speaker.\n"
    "\n"
    "Commands:\n"
    "  extract   JSON Lines on stdout, one object per input document\n"
    "  show      a readable table of the statements of one document\n"
    "  serve     the JSON API and the web page of a store over HTTP\n"
    "  index     add documents or extract output to a store (./whosaid.db)\n"
    "  search    find statements in a store (full text, speaker, dates, site);\n"
    "            --articles: find articles by title and text\n"
    "  speakers  who is quoted most in a store\n"
    "  quote     a quote cluster: where else a quote appeared, who printed it first\n"
    "  stats     counts of a store\n"
    "  merge     shards of extract output into one JSONL, deterministically\n"
    "\n"
    "Options:\n"
    "  -h, --help     this help (also: whosaid COMMAND --help)\n"
    "  --version      print the version\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  some inputs failed (the others were processed)\n"
    "  2  usage error\n"
    "  3  internal error (out of memory, engine failure, output not writable)\n"
    "\n"
    "Output format: docs/output.md. More: docs/cli.md.\n";

/* The commands. Add a command: write programs/cmd_NAME.c, declare it in
 * cli.h, add a row here and a line to usage_main. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"extract", cmd_extract},
    {"show", cmd_show},
    {"serve", cmd_serve},
    {"index", cmd_index},
    {"search", cmd_search},
    {"speakers", cmd_speakers},
    {"quote", cmd_quote},
    {"stats", cmd_stats},
    {"merge", cmd_merge},
};

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    ws_store_process_init(); /* before any thread: SQLite's allocations unlocked */
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("whosaid %s\n", ws_version());
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].run(argc, argv);
    return usage_error(cmd[0] == '-' ? "unknown option" : "unknown command", cmd);
}
