#!/usr/bin/env python3
"""warc_to_aeb.py INDEX.tsv < extract.jsonl > pages.jsonl

Renames the documents of `whosaid extract aeb-dev.warc.gz` (ids = WARC
record uuids) to their AEB page ids with ../shared/data/warc/aeb-dev.index.tsv,
so that ../shared/eval/score_article.py --aeb can score the WARC path.
Documents of the synthetic edge records (no AEB page) are dropped and
counted on stderr."""
import csv
import json
import sys

page = {}
for row in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    if row["warc_type"] == "response" and row["kind"] == "page":
        page[row["record_id"].strip("<>").split(":")[-1]] = row["page_id"]
kept = dropped = 0
for line in sys.stdin:
    o = json.loads(line)
    if o.get("id") in page:
        o["id"] = page[o["id"]]
        print(json.dumps(o, ensure_ascii=False))
        kept += 1
    else:
        dropped += 1
print(f"warc_to_aeb: {kept} pages, {dropped} other documents dropped", file=sys.stderr)
