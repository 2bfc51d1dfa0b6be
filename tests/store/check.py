#!/usr/bin/env python3
"""check.py - helpers of tests/store/run.sh that read a store directly
(read-only, Python's sqlite3) or check JSON output.

  check.py consistency DB            invariants of a store and of its text
                                     index DB-fts, which must have caught up
  check.py consistency-lag DB        the same, the text index may lag (after
                                     a kill: rows above its watermark missing)
  check.py dump DB                   a content dump for comparing two stores
  check.py ftsdump DB                a dump of the text index (every term
                                     instance of both FTS5 tables, the
                                     watermark) for comparing two stores
  check.py count DB TABLE            rows in TABLE (0 if the table is absent)
  check.py json FIELD < JSON         prints a field of a JSON object (a.b.c)
  check.py feed FILE N SECONDS       copies FILE to stdout, N lines at a time
                                     with a pause between (a slow producer, so
                                     that a fast writer is still running when
                                     the tests read or kill it)
"""
import hashlib
import re, json, sqlite3, sys


def ro(path):
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)


def attach_fts(db, path):
    db.execute("ATTACH ? AS fts", ("file:%s-fts?mode=ro" % path,))


def fts_consistency(path, db, lag_ok):
    """The text index (schema v5: DB-fts): every article and statement id up
    to its watermark indexed exactly once, none above it, the watermark at
    the store's last row unless lag_ok, and FTS5's own integrity-check."""
    bad = []
    q = lambda sql: db.execute(sql).fetchall()
    try:
        attach_fts(db, path)
        (store_id,), = q("SELECT value FROM store_info WHERE key = 'id'")
        (fid, wa, ws), = q("SELECT store, articles, statements FROM fts.fts_state")
    except (sqlite3.Error, ValueError) as e:
        return ["text index unreadable: %s" % e]
    if fid != store_id:
        bad.append("text index of another store")
    for table, w in (("articles", wa), ("statements", ws)):
        if table == "articles":
            # docsize has one row per indexed rowid (its primary key)
            n_idx = q("SELECT count(*) FROM fts.articles_fts_docsize")[0][0]
            n_rows = q("SELECT count(*) FROM articles WHERE id <= %d" % w)[0][0]
            n_both = q("SELECT count(*) FROM fts.articles_fts_docsize d JOIN articles t"
                       " ON t.id = d.id WHERE t.id <= %d" % w)[0][0]
        else:
            # statements_fts keeps no column sizes (FTS format 2): read the
            # rows from the index itself; a row indexed twice would repeat
            # its (term, offset) instances
            db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.stv"
                       " USING fts5vocab(fts, statements_fts, instance)")
            docs = {d for (d,) in q("SELECT DISTINCT doc FROM temp.stv")}
            dup = q("SELECT count(*) FROM (SELECT 1 FROM temp.stv"
                    " GROUP BY term, doc, col, offset HAVING count(*) > 1)")[0][0]
            if dup:
                bad.append("text index of statements: %d token instances indexed twice" % dup)
            # rows with a letter or digit have tokens (the corpora are ours)
            rows = {i for (i, c) in q("SELECT id, content FROM statements WHERE id <= %d" % w)
                    if re.search(r"[^\W_]", c or "")}
            n_idx, n_rows, n_both = len(docs), len(rows), len(docs & rows)
        if not (n_idx == n_rows == n_both):
            bad.append("text index of %s: %d indexed, %d rows up to the watermark %d, %d in both"
                       % (table, n_idx, n_rows, w, n_both))
        mx = q("SELECT coalesce(max(id), 0) FROM %s" % table)[0][0]
        if w > mx or (w < mx and not lag_ok):
            bad.append("text index watermark of %s %d, last row %d" % (table, w, mx))
    try:  # FTS5's own check (needs a write handle on the FTS file)
        rw = sqlite3.connect(path + "-fts", timeout=30)
        rw.execute("INSERT INTO statements_fts(statements_fts, rank) VALUES('integrity-check', 1)")
        rw.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
        rw.close()
    except sqlite3.Error as e:
        bad.append("FTS integrity: %s" % e)
    return bad


def ftsdump(path):
    db = ro(path)
    attach_fts(db, path)
    h = hashlib.sha256()
    h.update(repr(db.execute("SELECT articles, statements FROM fts.fts_state").fetchall()).encode())
    for t in ("statements_fts", "articles_fts"):
        db.execute("CREATE VIRTUAL TABLE temp.v_%s USING fts5vocab(fts, %s, instance)" % (t, t))
        for row in db.execute("SELECT term, doc, col, offset FROM temp.v_%s"
                              " ORDER BY term, doc, col, offset" % t):
            h.update(repr(row).encode())
    print(h.hexdigest())
    return 0


def cluster_keys_problems(q):
    """cluster_keys (docs/store.md, "Quote clusters"): little-endian u32
    columns; exact = n ids then n fingerprints, bands = m ids then 4 x m
    band fingerprints. Each cluster once, with the fingerprint of its hash
    (bits 31..62), and a band record exactly for the clusters with a
    signature."""
    import struct
    bad, ex, bd = [], {}, set()
    for first, last, e, b in q("SELECT first_id, last_id, exact, bands FROM cluster_keys"):
        if len(e) % 8 or len(b) % 20:
            return ["cluster_keys row %d: bad BLOB length" % first]
        n, m = len(e) // 8, len(b) // 20
        ids = struct.unpack_from("<%dI" % n, e, 0)
        fps = struct.unpack_from("<%dI" % n, e, 4 * n)
        for cid, fp in zip(ids, fps):
            if cid in ex or not first <= cid <= last:
                bad.append("cluster %d twice in cluster_keys or outside its row" % cid)
            ex[cid] = fp
        bd.update(struct.unpack_from("<%dI" % m, b, 0))
    rows = q("SELECT id, hash, sig IS NOT NULL AND length(sig) = 64 FROM clusters")
    for cid, h, has in rows:
        if ex.get(cid) != (h >> 31) & 0xFFFFFFFF:
            bad.append("cluster %d: exact fingerprint missing or wrong" % cid)
        if bool(has) != (cid in bd):
            bad.append("cluster %d: band record %s" % (cid, "missing" if has else "without a signature"))
    if len(ex) != len(rows):
        bad.append("cluster_keys has %d clusters, clusters %d" % (len(ex), len(rows)))
    return bad[:10]


def consistency(path, lag_ok=False):
    db = ro(path)
    q = lambda sql: db.execute(sql).fetchall()
    bad = []
    if q("PRAGMA integrity_check")[0][0] != "ok":
        bad.append("integrity_check failed")
    if q("PRAGMA foreign_key_check"):
        bad.append("foreign keys broken")
    if q("SELECT url FROM articles WHERE url IS NOT NULL GROUP BY url HAVING count(*) > 1"):
        bad.append("duplicate URLs")
    if q("SELECT hash FROM articles GROUP BY hash HAVING count(*) > 1"):
        bad.append("duplicate content hashes")
    # schema v2 keeps cluster hashes unique in the writer, not by an index
    if q("SELECT hash FROM clusters GROUP BY hash HAVING count(*) > 1"):
        bad.append("duplicate quote cluster hashes")
    n_st = q("SELECT count(*) FROM statements")[0][0]
    if q("SELECT sum(n_statements) FROM articles")[0][0] not in (n_st, None if n_st == 0 else -1):
        bad.append("article statement counts != statements")
    # every statement lies in its article's id range
    if q("SELECT count(*) FROM statements s JOIN articles a ON a.id = s.article_id"
         " WHERE s.id < a.first_statement OR s.id >= a.first_statement + a.n_statements")[0][0]:
        bad.append("statement outside its article's range")
    bad += fts_consistency(path, db, lag_ok)
    if q("PRAGMA user_version")[0][0] < 1:
        bad.append("no schema version")
    cl = q("SELECT coalesce(sum(n_statements), 0) FROM clusters")[0][0]
    inc = q("SELECT count(*) FROM statements WHERE cluster_id IS NOT NULL")[0][0]
    if cl != inc:
        bad.append("cluster sizes %d != clustered statements %d" % (cl, inc))
    # schema v6: every cluster's fingerprints are in cluster_keys, once
    if q("SELECT count(*) FROM sqlite_schema WHERE name = 'cluster_keys'")[0][0]:
        bad += cluster_keys_problems(q)
    sp = q("SELECT coalesce(sum(n_statements), 0) FROM speakers")[0][0]
    ws = q("SELECT count(*) FROM statements WHERE speaker_id IS NOT NULL")[0][0]
    if sp != ws:
        bad.append("speaker counts %d != statements with a speaker %d" % (sp, ws))
    for b in bad:
        print(b)
    return 1 if bad else 0


def dump(path):
    db = ro(path)
    h = hashlib.sha256()
    for t, cols in [("articles", "id, url, site, date, title, hash, first_statement, n_statements"),
                    ("statements", "id, article_id, ord, type, content, cue, source, spans, speaker_id, alias_id, entity_id, cluster_id"),
                    ("speakers", "id, name, key, title, n_statements, merged_into"),
                    ("aliases", "id, speaker_id, name, key, title_key, rule"),
                    ("entities", "id, article_id, ord, name, alias_id, mentions"),
                    ("clusters", "id, hash, first_statement, first_article, first_date, n_statements")]:
        for row in db.execute("SELECT %s FROM %s ORDER BY 1, 2" % (cols, t)):
            h.update(repr(row).encode())
    print(h.hexdigest())
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == "consistency":
        return consistency(sys.argv[2])
    if cmd == "consistency-lag":
        return consistency(sys.argv[2], lag_ok=True)
    if cmd == "ftsdump":
        return ftsdump(sys.argv[2])
    if cmd == "dump":
        return dump(sys.argv[2])
    if cmd == "count":
        try:
            print(ro(sys.argv[2]).execute("SELECT count(*) FROM %s" % sys.argv[3]).fetchone()[0])
        except sqlite3.Error:
            print(0)
        return 0
    if cmd == "feed":
        import time
        n, pause = int(sys.argv[3]), float(sys.argv[4])
        out = sys.stdout.buffer
        try:
            with open(sys.argv[2], "rb") as f:
                for i, line in enumerate(f, 1):
                    out.write(line)
                    if i % n == 0:
                        out.flush()
                        time.sleep(pause)
            out.flush()
        except BrokenPipeError:  # the reader was killed (the kill test)
            import os
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return 0
    if cmd == "json":
        v = json.load(sys.stdin)
        for k in sys.argv[2].split("."):
            v = v[int(k)] if isinstance(v, list) else v.get(k)
        print(v if not isinstance(v, (dict, list)) else json.dumps(v))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
