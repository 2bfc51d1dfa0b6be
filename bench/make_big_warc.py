#!/usr/bin/env python3
"""make_big_warc.py OUT.warc.gz [MB] [SOURCE.warc.gz] - a large WARC for
bench/bench_article.sh: the sample's gzip members (one record each) repeated
until the file holds at least MB megabytes (default 500). Each copy keeps
the records byte for byte, so the file is a valid multi-member gzip WARC.
Write it to /tmp: it is not committed."""
import os
import sys

out = sys.argv[1]
mb = int(sys.argv[2]) if len(sys.argv) > 2 else 500
src = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "warc", "aeb-dev.warc.gz")
data = open(src, "rb").read()
want = mb * 1000 * 1000
copies = -(-want // len(data))
with open(out + ".tmp", "wb") as f:
    for _ in range(copies):
        f.write(data)
os.replace(out + ".tmp", out)
print(f"{out}: {copies} copies of {os.path.basename(src)}, {copies * len(data) / 1e6:.1f} MB")
