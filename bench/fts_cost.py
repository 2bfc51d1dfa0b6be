#!/usr/bin/env python3
"""bench/fts_cost.py - what FTS5 itself costs per article body (a benchmark,
not a test): inserts the title and body of every line of a whosaid JSONL
corpus (bench/make_corpus.py) into a contentless FTS5 table in a fresh
database, in transactions of 10,000 rows, once per FTS5 variant, and prints
the CPU seconds of each and the file size. The variants differ in the
`detail` option (full: positions, what whosaid uses; column; none) and the
tokenizer (unicode61 remove_diacritics 2, as whosaid; ascii).

Usage: python3 bench/fts_cost.py CORPUS.jsonl [LIMIT]   (default LIMIT 20000)
"""
import json
import os
import sqlite3
import sys
import tempfile
import time

VARIANTS = [
    ("unicode61 remove_diacritics 2", "full"),
    ("unicode61 remove_diacritics 2", "column"),
    ("unicode61 remove_diacritics 2", "none"),
    ("ascii", "full"),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if len(rows) == limit:
                break
            o = json.loads(line)
            rows.append((len(rows) + 1, o.get("title") or "", o.get("body") or ""))
    size = sum(len(r[2].encode()) for r in rows)
    print("sqlite %s; %d bodies, %.0f bytes each on average" %
          (sqlite3.sqlite_version, len(rows), size / max(len(rows), 1)))
    with tempfile.TemporaryDirectory() as d:
        for i, (tok, detail) in enumerate(VARIANTS):
            path = os.path.join(d, "v%d.db" % i)
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE VIRTUAL TABLE a USING fts5(title, body, content='',"
                       " tokenize='%s', detail=%s)" % (tok, detail))
            db.execute("INSERT INTO a(a, rank) VALUES('hashsize', 67108864)")
            t = time.process_time()
            for k in range(0, len(rows), 10000):
                db.execute("BEGIN")
                db.executemany("INSERT INTO a(rowid, title, body) VALUES(?, ?, ?)",
                               rows[k:k + 10000])
                db.execute("COMMIT")
            cpu = time.process_time() - t
            db.close()
            total = sum(os.path.getsize(path + s) for s in ("", "-wal")
                        if os.path.exists(path + s))
            print("%-32s detail=%-6s %6.2f s CPU  %7.1f us/article  %6.1f MB" %
                  (tok, detail, cpu, cpu / max(len(rows), 1) * 1e6, total / 1e6))


if __name__ == "__main__":
    main()
