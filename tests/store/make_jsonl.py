#!/usr/bin/env python3
"""Builds whosaid-output JSON Lines for the store test corpus: runs
`whosaid extract` on each corpus/*.txt and adds the article fields of
corpus/meta.tsv (url, site, date, title) and the body.
Usage: make_jsonl.py WHOSAID CORPUS_DIR > out.jsonl"""
import json, subprocess, sys, os

whosaid, corpus = sys.argv[1], sys.argv[2]
for line in open(os.path.join(corpus, "meta.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    name, url, site, date, title = line.rstrip("\n").split("\t")
    path = os.path.join(corpus, name + ".txt")
    out = subprocess.run([whosaid, "extract", path], check=True, capture_output=True).stdout
    doc = json.loads(out)
    body = open(path, encoding="utf-8").read()
    doc.update({"url": url, "site": site, "date": date, "title": title, "lang": "en", "body": body})
    print(json.dumps(doc, ensure_ascii=False))
