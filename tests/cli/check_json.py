#!/usr/bin/env python3
"""Checks whosaid JSON Lines read from stdin.

usage: check_json.py [--lines N] [--input FILE]... [--pretty]

Every line must be one JSON object with the fields of docs/output.md. With
--input (one per document, in order), every span must lie inside the file's
bytes, and its "text" must equal those bytes with each invalid UTF-8 byte
replaced by U+FFFD. For inputs that are valid UTF-8, spans must also start
and end on character boundaries. --pretty reads one (indented) object.
Exits 0 when everything holds, 1 otherwise (the problems go to stderr).
"""
import codecs
import json
import sys


def per_byte(err):
    return ("\ufffd", err.start + 1)


codecs.register_error("perbyte", per_byte)

TOP = ["version", "id", "generator", "quotes", "entities", "speakers"]
QUOTE = ["id", "type", "content", "cue", "source", "speaker", "addressee", "evidence"]


def spans(obj):
    """Yields every span object ({"start", "end"}) inside obj."""
    if isinstance(obj, dict):
        if "start" in obj and "end" in obj:
            yield obj
            return
        for v in obj.values():
            yield from spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from spans(v)


def check_doc(doc, data, problems):
    if not isinstance(doc, dict):
        problems.append("not an object")
        return
    for k in TOP:
        if k not in doc:
            problems.append("missing field %r" % k)
    if doc.get("version") != 1:
        problems.append("version is not 1")
    for i, q in enumerate(doc.get("quotes", [])):
        for k in QUOTE:
            if k not in q:
                problems.append("quote %d lacks %r" % (i, k))
        if q.get("id") != "q%d" % (i + 1):
            problems.append("quote %d has id %r" % (i, q.get("id")))
        if q.get("type") not in ("direct", "indirect", "mixed"):
            problems.append("quote %d has type %r" % (i, q.get("type")))
        conf = q.get("evidence", {}).get("confidence")
        if not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
            problems.append("quote %d has confidence %r" % (i, conf))
    if data is None:
        return
    valid = True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        valid = False
    for sp in spans(doc):
        s, e = sp["start"], sp["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(data)):
            problems.append("span out of bounds: %r (size %d)" % (sp, len(data)))
            continue
        if valid and any(p < len(data) and 0x80 <= data[p] < 0xC0 for p in (s, e)):
            problems.append("span not on a character boundary: %r" % sp)
        if "text" in sp and sp["text"] != data[s:e].decode("utf-8", "perbyte"):
            problems.append("span text differs from the input bytes: %r" % sp)


def main(argv):
    want_lines, inputs, pretty = None, [], False
    i = 1
    while i < len(argv):
        if argv[i] == "--lines":
            want_lines = int(argv[i + 1])
            i += 1
        elif argv[i] == "--input":
            inputs.append(argv[i + 1])
            i += 1
        elif argv[i] == "--pretty":
            pretty = True
        i += 1
    raw = sys.stdin.buffer.read()
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("output is not UTF-8: %s" % e, file=sys.stderr)
        return 1
    if pretty:
        lines = [text]
    else:
        if text and not text.endswith("\n"):
            problems.append("output does not end with a newline")
        lines = text.splitlines()
    if want_lines is not None and len(lines) != want_lines:
        problems.append("%d lines, expected %d" % (len(lines), want_lines))
    for n, line in enumerate(lines):
        try:
            doc = json.loads(line)
        except ValueError as e:
            problems.append("line %d is not JSON: %s" % (n + 1, e))
            continue
        data = None
        if n < len(inputs):
            with open(inputs[n], "rb") as f:
                data = f.read()
        check_doc(doc, data, problems)
    for p in problems[:20]:
        print("check_json: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
