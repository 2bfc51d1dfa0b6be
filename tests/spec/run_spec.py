#!/usr/bin/env python3
"""Runs the readable spec files (tests/spec/*.md) against the whosaid CLI.

A case is a level-3 heading `### name`, a fenced block with info string
`article` (the input text; a final newline is added), and a fenced block
with info string `statements`, one expected statement per line:

    TYPE | SOURCE | CUE | CONTENT | SPEAKER | ADDRESSEE

CONTENT joins segments with ` ... `. `-` means absent. ADDRESSEE may be
omitted. An empty block means "no statement"; a first line `# partial`
only requires the listed statements to be present.

Usage: run_spec.py [--cli build/whosaid] [--ignore-speaker] [--filter TEXT]
                   [-v] [FILES...]
All cases go through ONE `whosaid extract DIR` run. Prints `FAIL name`
with expected and actual statements for each failing case, then exactly
one line `N passed, M failed`; exits 1 if any failed.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Quotation marks and punctuation trimmed at segment edges, as the scorer.
QUOTE_CHARS = "\"'«»‘’‚‛“”„‟‹›⹂「」『』〝〞〟﹁﹂﹃﹄＂＇｢｣`"
TRIM = QUOTE_CHARS + ",.;:"
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\S*)\s*$")


def norm(text):
    """Strips whitespace, quotation marks and , . ; : at both ends."""
    if text is None:
        return "-"
    out = text
    while True:
        s = out.strip().strip(TRIM)
        if s == out:
            break
        out = s
    out = re.sub(r"\s+", " ", out)
    return out if out else (text.strip() or "-")


class Case:
    def __init__(self, name, path, line):
        self.name, self.path, self.line = name, path, line
        self.article = None
        self.expected = None
        self.partial = False


def slug(name, used):
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "case"
    s, k = base, 2
    while s in used:
        s, k = "%s-%d" % (base, k), k + 1
    used.add(s)
    return s


def parse_file(path):
    """Yields the cases of one spec file."""
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("### "):
            cur = Case(line[4:].strip(), path, i + 1)
            cases.append(cur)
            i += 1
            continue
        m = FENCE.match(line)
        if m and cur is not None and m.group(2) in ("article", "statements"):
            fence, body = m.group(1), []
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                body.append(lines[i])
                i += 1
            if m.group(2) == "article":
                cur.article = "\n".join(body) + "\n"
            else:
                cur.expected, cur.partial = parse_statements(body)
        elif m:
            fence = m.group(1)  # skip any other fenced block whole
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                i += 1
        i += 1
    return [c for c in cases if c.article is not None and c.expected is not None]


def parse_statements(body):
    out, partial = [], False
    for raw in body:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            partial = partial or line.lstrip("#").strip() == "partial"
            continue
        cols = [c.strip() for c in line.split("|")]
        while len(cols) < 6:
            cols.append("-")
        out.append(tuple(cols[:6]))
    return out, partial


def expected_key(cols, ignore_speaker):
    typ, src, cue, content, spk, addr = cols
    segs = " ... ".join(norm(s) for s in content.split(" ... ")) if content != "-" else "-"
    return (typ, norm(src) if src != "-" else "-", norm(cue) if cue != "-" else "-",
            segs, "*" if ignore_speaker else spk, norm(addr) if addr not in ("", "-") else "-")


def span_text(data, sp):
    if not isinstance(sp, dict):
        return None
    try:
        return data[sp["start"]:sp["end"]].decode("utf-8", "replace")
    except (KeyError, TypeError):
        return None


def got_key(q, data, ignore_speaker):
    content = q.get("content") or []
    if isinstance(content, dict):
        content = [content]
    segs = " ... ".join(norm(span_text(data, s)) for s in content) or "-"
    src, cue, addr = (span_text(data, q.get(k)) for k in ("source", "cue", "addressee"))
    spk = q.get("speaker")
    name = spk.get("name") if isinstance(spk, dict) else None
    return (q.get("type", "?"), norm(src) if src is not None else "-",
            norm(cue) if cue is not None else "-", segs,
            "*" if ignore_speaker else (name or "-"),
            norm(addr) if addr is not None else "-")


def fmt(key):
    return " | ".join(key)


def compare(case, got, ignore_speaker):
    """Returns (ok, missing, extra) as lists of keys."""
    want = [expected_key(c, ignore_speaker) for c in case.expected]
    rest = list(got)
    missing = []
    for w in want:
        if w in rest:
            rest.remove(w)
        else:
            missing.append(w)
    extra = [] if case.partial else rest
    return not missing and not extra, missing, extra


def run_cli(cli, cases, tmp):
    for c in cases:
        with open(os.path.join(tmp, c.id + ".txt"), "wb") as f:
            f.write(c.article.encode("utf-8"))
    proc = subprocess.run([cli, "extract", tmp], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300)
    if proc.stderr:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    docs = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("id") not in docs:
            docs[obj.get("id")] = obj
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "whosaid"))
    ap.add_argument("--ignore-speaker", action="store_true")
    ap.add_argument("--filter", default=None, help="only cases whose name contains TEXT")
    ap.add_argument("-v", "--verbose", action="store_true", help="also show passing cases")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".md"))
    cases, used = [], set()
    for p in files:
        for c in parse_file(p):
            if a.filter and a.filter.lower() not in c.name.lower():
                continue
            c.id = slug(c.name, used)
            cases.append(c)
    if not os.access(a.cli, os.X_OK):
        print("run_spec: no executable CLI at %s" % a.cli, file=sys.stderr)
        print("0 passed, %d failed" % len(cases))
        return 1
    with tempfile.TemporaryDirectory(prefix="whosaid-spec-") as tmp:
        docs = run_cli(a.cli, cases, tmp)
    passed = failed = 0
    for c in cases:
        doc = docs.get(c.id)
        data = c.article.encode("utf-8")
        got = [got_key(q, data, a.ignore_speaker) for q in (doc or {}).get("quotes", [])]
        ok, missing, extra = compare(c, got, a.ignore_speaker)
        if doc is None:
            ok, missing = False, [("(no output for this document)",)]
        if ok:
            passed += 1
            if a.verbose:
                print("ok   %s" % c.name)
            continue
        failed += 1
        print("FAIL %s  (%s:%d)" % (c.name, os.path.relpath(c.path), c.line))
        for k in missing:
            print("  - expected: %s" % fmt(k))
        for k in extra:
            print("  + got:      %s" % fmt(k))
        if missing and not a.verbose:
            for k in got:
                if k not in extra:
                    print("    also got: %s" % fmt(k))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
