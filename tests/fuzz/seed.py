#!/usr/bin/env python3
"""seed.py - writes a seed corpus for the text fuzz target.

Extracts every fenced `article` block of tests/spec/*.md (with the final
newline the spec runner adds) and adds hand-made edge cases: empty input,
a BOM, CRLF line ends, NUL bytes, invalid UTF-8, unbalanced and nested
quotation marks. Files are named by the SHA-1 of their bytes, as libFuzzer
names its corpus files.

Usage: python3 tests/fuzz/seed.py OUT_DIR
"""
import glob
import hashlib
import os
import re
import sys

FENCE = re.compile(r"^(`{3,})\s*(\S*)\s*$")

EDGE = [
    b"",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf\"We will win,\" Lavrov said.\n",
    b"Lavrov said:\r\n\r\n\"We will not accept these terms.\"\r\n",
    b"\"A,\" she said.\r\r\"B.\"\r",
    b"\x00",
    b"Smith said \x00 that \"it \x00 works\".",
    b"\xff\xfe\xfd said \"\xc0\xaf\xed\xa0\x80\" according to \xf4\x90\x80\x80.",
    b"\"\xe2\x80\x9c unterminated quotation, said Lavrov",
    b"\xe2\x80\x9c\xe2\x80\x9c\xe2\x80\x9d\" \" \xc2\xab\xc2\xbb\xe2\x80\x9e",
    b"\"" * 64,
    b"'\"'\"'\"' said he. \"'nested' \"deep\" end\" Smith said.",
    b"He said \xe2\x80\x9cthat\xe2\x80\x9d",
    b"\xe2\x80",  # truncated sequence at the end
    b"Mr. A. B. C. said, according to Dr. X.: \"...\"",
    b"\n\n\n\t \n",
    b"::: said said said according to according to",
    b"Lavrov: \"",
    b"\"" + b"word " * 300 + b"\" he said",
]


def articles(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        i += 1
        if not m:
            continue
        fence, info, body = m.group(1), m.group(2), []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        if info == "article":
            yield ("\n".join(body) + "\n").encode("utf-8")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec")
    seeds = []
    for md in sorted(glob.glob(os.path.join(root, "*.md"))):
        seeds.extend(articles(md))
    seeds.extend(EDGE)
    for data in seeds:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds written to {out}")


if __name__ == "__main__":
    main()
