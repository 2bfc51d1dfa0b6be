/*
 * fuzz_jsonl.c - fuzz target for the JSONL reader (src/io through the public API:
 * ws_reader_open_mem, ws_reader_open on a pipe, ws_reader_next, the stats)
 * and the article path of each record it returns.
 *
 * Input: the bytes of a JSONL file (plain or gzip). When the last byte's low
 * two bits are both set, max_record_bytes is 100 (the too-large path).
 *
 * Invariants (abort() on a violation; fuzz_reader.h, fuzz_common.h): the
 * same records, statuses, messages and counts whether the bytes come from
 * memory or through a pipe in small random chunks; payloads NUL-terminated,
 * strings UTF-8, errors with a message; at most FZ_MAX_RECORDS records
 * read; for the first records, the whole article path (spans inside the
 * body on character boundaries, JSON that parses, two identical runs).
 *
 * Builds: see fuzz_common.h (replay: `fuzz_jsonl DIR|FILE...`).
 */
#define FUZZ_NAME "fuzz_jsonl"
#define FUZZ_INIT() (void)fz_engine()
#define FUZZ_FINI() ws_engine_free(fz_engine())
#include "fuzz_common.h"
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t max = size && (data[size - 1] & 3) == 3 ? 100 : 0;
    fz_reader_check(data, size, WS_FORMAT_JSONL, max);
    return 0;
}
