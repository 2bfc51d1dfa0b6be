/*
 * thread.c - the priority of a store's helper threads.
 *
 * An ingest runs up to four threads: the writer (the caller's), the JSON
 * reader (ingest.c), the text indexer (fts.c) and the checkpointer
 * (ckpt.c). The writer is the critical path; the others have less work and
 * can wait for it. With equal priorities on two cores the scheduler shares
 * the cores among all runnable threads, and the writer lost about a fifth
 * of its core (docs/BENCHMARKS.md, "Store", session 5). So each helper
 * thread lowers its own priority by HELPER_NICE when it starts (on Linux a
 * thread's nice value is its own). Relative to what the thread inherited,
 * it never raises a priority; where the calls do not exist it does nothing.
 */
#define _DEFAULT_SOURCE /* syscall */
#include "store.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#define HELPER_NICE 5

void ws_store_helper_thread_start(void) {
#if defined(__linux__) && defined(SYS_gettid)
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int cur = getpriority(PRIO_PROCESS, tid);
    if (cur == -1 && errno) return;
    (void)setpriority(PRIO_PROCESS, tid, cur + HELPER_NICE);
#endif
}
