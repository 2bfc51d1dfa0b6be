/* cmd_serve.c - whosaid serve: the JSON API and the web page over HTTP. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage_serve =
    "Usage: whosaid serve [--db FILE] [--listen HOST:PORT] [options]\n"
    "\n"
    "Serves a store (made by 'whosaid index') over HTTP: the JSON API under\n"
    "/api/ and the web page at /. The store is opened read-only. Stops\n"
    "cleanly on Ctrl-C (SIGINT) or SIGTERM.\n"
    "\n"
    "Options:\n"
    "  --db FILE              the store (default ./whosaid.db)\n"
    "  --listen HOST:PORT     address to listen on (default 127.0.0.1:8080);\n"
    "                         port 0 picks a free port; the URL is printed\n"
    "                         on stderr\n"
    "  --public               allow an address that is not loopback\n"
    "                         (e.g. 0.0.0.0:8080); off by default\n"
    "  --threads N            request threads (default 2, at most 64)\n"
    "  --max-connections N    open connections (default 64)\n"
    "  --timeout S            idle connection timeout in seconds (default 30)\n"
    "  --max-body BYTES       request body limit (default 4194304); larger\n"
    "                         requests get 413\n"
    "  -h, --help             this help\n"
    "\n"
    "API: docs/server.md. Exit status: 0 stopped by a signal, 1 the store\n"
    "or the address could not be opened, 2 usage, 3 internal.\n";

/* Parses a positive integer option value; -1 if bad. */
static int num_arg(const char *opt, const char *v, unsigned long max, unsigned long *out) {
    char *end = NULL;
    errno = 0;
    unsigned long n = v ? strtoul(v, &end, 10) : 0;
    if (!v || !*v || *end || errno || n == 0 || n > max || v[0] == '-') {
        usage_error("bad value for", opt);
        return -1;
    }
    *out = n;
    return 0;
}

/* Fills opts from argv; returns -1 after a usage error, 1 for --help. */
static int parse_args(int argc, char **argv, ws_server_options *o) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return 1;
        if (!strcmp(a, "--public")) {
            o->flags |= WS_SERVER_PUBLIC;
            continue;
        }
        if (!strcmp(a, "--db") || !strcmp(a, "--listen")) {
            if (!v) return usage_error("missing value for", a), -1;
            if (a[2] == 'd') o->db_path = v;
            else o->listen = v;
        } else if (!strcmp(a, "--threads")) {
            if (num_arg(a, v, 64, &n)) return -1;
            o->threads = (unsigned)n;
        } else if (!strcmp(a, "--max-connections")) {
            if (num_arg(a, v, 100000, &n)) return -1;
            o->max_connections = (unsigned)n;
        } else if (!strcmp(a, "--timeout")) {
            if (num_arg(a, v, 86400, &n)) return -1;
            o->timeout_s = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (num_arg(a, v, 1ul << 30, &n)) return -1;
            o->max_body_bytes = n;
        } else {
            usage_error(a[0] == '-' ? "unknown option" : "unexpected argument", a);
            return -1;
        }
        i++;
    }
    return 0;
}

int cmd_serve(int argc, char **argv) {
    ws_server_options o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(argc, argv, &o);
    if (rc > 0) {
        fputs(usage_serve, stdout);
        return EXIT_OK;
    }
    if (rc < 0) return EXIT_USAGE;
    /* Block the stop signals in every thread (the daemon's threads inherit
     * the mask); this thread waits for them with sigwait(). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &stop, NULL)) {
        report("serve", "cannot block signals");
        return EXIT_INTERNAL;
    }
    signal(SIGPIPE, SIG_IGN);
    ws_engine *e = NULL;
    if (open_engine(&e)) return EXIT_INTERNAL;
    ws_server *srv = NULL;
    char err[512];
    ws_status s = ws_server_new(e, &o, &srv, err, sizeof err);
    if (s != WS_OK) {
        report("serve", *err ? err : ws_strerror(s));
        ws_engine_free(e);
        return s == WS_ERR_INVALID ? EXIT_USAGE : s == WS_ERR_IO ? EXIT_INPUT : EXIT_INTERNAL;
    }
    fprintf(stderr, "whosaid: serving %s on %s (Ctrl-C stops)\n",
            o.db_path ? o.db_path : "whosaid.db", ws_server_url(srv));
    fflush(stderr);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "whosaid: stopping (signal %d)\n", sig);
    ws_server_free(srv);
    ws_engine_free(e);
    return EXIT_OK;
}
