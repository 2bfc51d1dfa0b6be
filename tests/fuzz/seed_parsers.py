#!/usr/bin/env python3
"""seed_parsers.py - writes seed corpora for the parser fuzz targets.

  html:  the spec articles (tests/spec/*.md) as web pages of a few shapes
         (article/p, div soup, JSON-LD, bylines, dates, windows-1251 and
         UTF-16 pages, broken markup), each prefixed by fuzz_html's selector
         byte;
  warc:  WARC files of those pages (plain and gzip members; request,
         metadata, 404, PDF, truncated and corrupt records, bad lengths);
  jsonl: JSON Lines files in the news-please shape (good, bad, odd lines);
  date:  every C string literal of tests/unit/test_date.c and
         test_dateline.c (adjacent literals joined), plus hand-made forms;
  http:  requests for fuzz_http ("METHOD\\nPATH\\nQUERY\\nTYPE\\nBODY").

Files are named by the SHA-1 of their bytes, as libFuzzer names them. The
committed corpora are these seeds grown by fuzzing and minimised with
-merge=1 (docs/TESTING.md).

Usage: python3 tests/fuzz/seed_parsers.py OUT_ROOT   (writes OUT_ROOT/NAME/)
"""
import glob
import gzip
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FENCE = re.compile(r"^(`{3,})\s*(\S*)\s*$")


def articles():
    out = []
    for md in sorted(glob.glob(os.path.join(HERE, "..", "spec", "*.md"))):
        lines = open(md, encoding="utf-8").read().split("\n")
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
                out.append("\n".join(body) + "\n")
    return out


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pages(texts):
    res = []
    for k, t in enumerate(texts):
        paras = [p for p in t.split("\n") if p.strip()]
        title = esc(paras[0][:60]) if paras else "Untitled"
        ps = "".join("<p>%s</p>\n" % esc(p) for p in paras)
        shape = k % 5
        if shape == 0:
            html = ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>%s</title>"
                    "<meta property=\"article:published_time\" content=\"2020-12-30T10:00:00Z\">"
                    "<meta name=author content=\"Ivan Petrov\"></head><body><nav><a href=/>Home</a>"
                    "</nav><article><h1>%s</h1>%s</article><footer>(c) 2020</footer></body></html>"
                    % (title, title, ps))
        elif shape == 1:
            ld = json.dumps({"@type": "NewsArticle", "headline": title,
                             "datePublished": "2021-01-15", "articleBody": t,
                             "author": {"@type": "Person", "name": "Anna Smith"}})
            html = ("<html><head><script type=\"application/ld+json\">%s</script></head>"
                    "<body><div class=content>%s</div></body></html>" % (ld, ps))
        elif shape == 2:
            html = ("<html><body><div id=main><div class=byline>By John Doe</div>"
                    "<time datetime=2019-05-04>May 4</time>%s<div class=related><ul><li>"
                    "<a href=x>Other</a></li></ul></div></div>" % ps.replace("</p>", ""))
        elif shape == 3:
            html = "<table><tr><td>%s<br><br>%s" % (title, "<br>".join(esc(p) for p in paras))
        else:
            html = ("<html><head><title>%s</title></head><body><div><div><div><span>%s"
                    "</span></div></div></div><script>var x = '<p>not text</p>';</script>"
                    "<style>p{}</style><!-- c --></body></html>" % (title, ps))
        res.append(html.encode("utf-8"))
    return res


def html_seeds(texts):
    seeds = [b"\x00" + p for p in pages(texts)]
    cyr = "МОСКВА, 30 декабря. /ТАСС/. «Мы не согласны», — заявил Лавров."
    seeds += [
        b"\x02<html><head><meta charset=windows-1251></head><body><p>" +
        cyr.encode("cp1251", "replace") + b"</p></body></html>",
        b"\x00<html><head><meta http-equiv=Content-Type content='text/html; charset=koi8-r'>"
        b"</head><body><p>" + cyr.encode("koi8_r", "replace") + b"</p></body></html>",
        b"\x05" + "<html><body><p>\"We will win,\" Lavrov said.</p></body></html>"
        .encode("utf-16-le"),
        b"\x00\xff\xfe" + "<p>BOM \"x,\" he said.</p>".encode("utf-16-le"),
        b"\x00\xef\xbb\xbf<p>\xe2\x80\x9cYes,\xe2\x80\x9d she said.</p>",
        b"\x07<p>bogus charset \xe9\xe8 said Smith.</p>",
        b"\x01<p>bad utf-8 \xff\xfe\xc0\xaf said \"x\"</p>",
        b"\x00",
        b"\x00<",
        b"\x00<html><body><div>" * 20 + b"deep \"quote,\" he said.",
        b"\x00<p>unclosed <b><i><u>tags \"x,\" said Lavrov.<p>next",
        b"\x00<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\","
        b"\"articleBody\":\"\\\"Yes,\\\" he said.\",\"datePublished\":\"1609322400\"}]}</script>",
        b"\x08Plain text record \"We will win,\" Lavrov said.",
        b"\x0a" + cyr.encode("cp1251", "replace"),
        b"\x00<html><head><meta property=og:site_name content=TASS><meta property=og:locale "
        b"content=ru_RU><link rel=canonical href=https://tass.com/politics/1></head><body>"
        b"<p>" + cyr.encode() + b"</p></body></html>",
    ]
    return seeds


def warc_record(body, rtype="response", status="200 OK", ctype="text/html; charset=utf-8",
                extra=b"", clen=None, uri=b"https://example.com/news/1"):
    http = b"HTTP/1.1 " + status.encode() + b"\r\nContent-Type: " + ctype.encode() + \
        b"\r\n\r\n" + body if rtype == "response" else body
    n = len(http) if clen is None else clen
    return (b"WARC/1.0\r\nWARC-Type: " + rtype.encode() + b"\r\nWARC-Record-ID: <urn:uuid:" +
            hashlib.sha1(http).hexdigest()[:12].encode() + b">\r\nWARC-Target-URI: " + uri +
            b"\r\nWARC-Date: 2020-12-30T10:00:00Z\r\n" + extra + b"Content-Length: " +
            str(n).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")


def warc_seeds(texts):
    ps = pages(texts[:8])
    info = (b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 12\r\n\r\nsoftware: x\n\r\n\r\n")
    seeds = []
    for k, p in enumerate(ps):
        recs = [warc_record(p)]
        if k % 2 == 0:
            recs.insert(0, warc_record(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "request"))
        if k % 3 == 0:
            recs.append(warc_record(b"via: x\r\n", "metadata"))
        data = info + b"".join(recs)
        seeds.append(data)
        if k % 2 == 1:
            seeds.append(b"".join(gzip.compress(r, mtime=0) for r in [info] + recs))
    p = ps[0]
    seeds += [
        warc_record(b"Not found", status="404 Not Found"),
        warc_record(b"%PDF-1.4", ctype="application/pdf"),
        warc_record(p, extra=b"WARC-Truncated: length\r\n"),
        warc_record(p, clen=10 ** 10),
        warc_record(p, clen=5),
        warc_record(p)[:200],
        b"garbage line\r\n" + warc_record(p),
        warc_record(p, ctype="text/html; charset=windows-1251"),
        warc_record(b"<p>x</p>", status="301 Moved", ctype="text/html"),
        warc_record(p, uri=b"<https://example.com/\xff\xfe>"),
        gzip.compress(warc_record(p), mtime=0)[:-10] + gzip.compress(warc_record(p), mtime=0),
        gzip.compress(warc_record(p), mtime=0) + b"trailing junk",
        gzip.compress(b"\x00" * 100000, mtime=0),  # a small bomb: 100 KB from 130 bytes
        b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n"
        b"HTTP/1.0 200 OK\r\n\r\n<p>no headers</p>\r\n\r\n",
        b"WARC/1.0\r\nContent-Length: -1\r\n\r\n",
        b"",
    ]
    return seeds


def jsonl_seeds(texts):
    seeds = []
    for k in range(0, 12, 3):
        lines = []
        for j, t in enumerate(texts[k:k + 3]):
            o = {"url": "https://tass.com/politics/%d" % (k + j), "title": t[:40],
                 "maintext": t, "date_publish": "2020-12-%02d 10:00:00" % (1 + j),
                 "source_domain": "tass.com", "authors": ["Ivan Petrov"], "language": "en"}
            lines.append(json.dumps(o, ensure_ascii=(j == 1)))
        seeds.append(("\n".join(lines) + "\n").encode())
    seeds += [
        b'{"text": "\\"Yes,\\" he said."}\r\n{"body": "x"}\n',
        b'{"maintext": null, "text": "fallback"}\n{}\n[]\n"str"\n12\n',
        b'{"maintext": "a"\n{"maintext": "b"}\n',
        b'{"maintext": "\\ud800 lone surrogate", "title": "\\u0000nul"}\n',
        b'{"maintext": "\xff\xfe bad utf-8"}\n',
        b'\n\n   \n{"maintext": "after blanks"}',
        b'{"maintext": ' + json.dumps("x" * 300).encode() + b'}\n',
        b'{"maintext": "x", "authors": [1, null, {"name": "A"}], "date_publish": 1609322400}\n',
        b'{"maintext": "x", "maintext": "dup"}\n',
        b'\xef\xbb\xbf{"maintext": "BOM"}\n',
        gzip.compress(b'{"maintext": "gzipped \\"quote,\\" he said"}\n', mtime=0),
        b"",
    ]
    return seeds


def c_literals(path):
    """Every C string literal of a file, adjacent literals joined, decoded."""
    src = open(path, encoding="utf-8").read()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    out, cur, last_end = [], None, -1
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', src):
        raw = m.group(1)
        b = bytearray()
        i = 0
        while i < len(raw):
            c = raw[i]
            if c == "\\" and i + 1 < len(raw):
                n = raw[i + 1]
                if n == "x":
                    j = i + 2
                    while j < len(raw) and raw[j] in "0123456789abcdefABCDEF":
                        j += 1
                    b.append(int(raw[i + 2:j], 16) & 0xFF)
                    i = j
                    continue
                b += {"n": b"\n", "t": b"\t", "r": b"\r", "0": b"\0"}.get(n, n.encode())
                i += 2
                continue
            b += c.encode("utf-8")
            i += 1
        if cur is not None and src[last_end:m.start()].strip() == "":
            cur += b
        else:
            if cur is not None:
                out.append(bytes(cur))
            cur = bytearray(b)
        last_end = m.end()
    if cur is not None:
        out.append(bytes(cur))
    return [s for s in out if len(s) >= 4 and b"%" not in s and not s.endswith(b".h")]


def date_seeds():
    seeds = []
    for f in ("test_date.c", "test_dateline.c"):
        p = os.path.join(HERE, "..", "unit", f)
        if os.path.exists(p):
            seeds += c_literals(p)
    seeds += [b"2020-12-30T10:00:00+03:00", b"2020-02-30", b"2020-13-01", b"1609322400",
              b"1609322400123", b"Wed, 30 Dec 2020 10:00:00 GMT", b"30.12.20",
              b"https://x.com/2020/12/30/story", b"https://x.com/20201230-a",
              b"2020-12-30T25:61:61Z", b"2020-12-30T10:00:00+99:99", b"", b"\xff\xfe2020"]
    return seeds


def http_seeds():
    reqs = [
        "GET\n/api/search\nq=Lavrov\n", "GET\n/api/search\nq=%22will%20not%22&limit=5\n",
        "GET\n/api/search\nq=sanctions&speaker=Lavrov&since=2020-01-01&until=2021-12-31"
        "&site=tass.com&type=direct&offset=1\n",
        "GET\n/api/search\nq=%E2%80%9Cx%E2%80%9D+OR+NEAR(a+b)*\n",
        "GET\n/api/search\nq=%zz%&limit=-1&limit=99999999999999999999\n",
        "GET\n/api/speakers\ntop=3&site=tass.com\n", "GET\n/api/speakers/1\n\n",
        "GET\n/api/speakers/sergei-lavrov\n\n", "GET\n/api/articles/1\n\n",
        "GET\n/api/articles/99999999999999999999\n\n", "GET\n/api/quotes/1\n\n",
        "GET\n/api/quotes/-1\n\n", "GET\n/api/stats\n\n", "HEAD\n/api/stats\n\n",
        "GET\n/\n\n", "GET\n/index.html\n\n", "GET\n/app.js\n\n", "GET\n/style.css\n\n",
        "GET\n/favicon.ico\n\n", "GET\n/../etc/passwd\n\n", "GET\n/api\n\n",
        "GET\n/api/nothing\n\n", "DELETE\n/api/search\nq=x\n",
        "POST\n/api/extract\n\ntext/plain\n\"We will not accept this,\" Lavrov said.",
        "POST\n/api/extract\n\napplication/json\n{\"text\": \"\\\"Yes,\\\" he said.\"}",
        "POST\n/api/extract\n\napplication/json\n{\"text\": 1}",
        "POST\n/api/extract\n\napplication/x-www-form-urlencoded\ntext=%22Yes%22+he+said",
        "POST\n/api/extract\n\nimage/png\n\x89PNG",
        "GET\n/api/extract\n\n", "POST\n/api/search\n\n",
    ]
    return [r.encode("utf-8") for r in reqs] + [
        b"POST\n/api/extract\n\ntext/plain; charset=utf-8\n\xff\xfe\"bad\" he said",
        b"GET\n/api/search\nq=\x00\n"]


def write(out, name, seeds):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    for s in seeds:
        with open(os.path.join(d, hashlib.sha1(s).hexdigest()), "wb") as f:
            f.write(s)
    print(f"{name}: {len(seeds)} seeds written to {d}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed_parsers.py OUT_ROOT")
    texts = articles()
    write(sys.argv[1], "html", html_seeds(texts[:40]))
    write(sys.argv[1], "warc", warc_seeds(texts))
    write(sys.argv[1], "jsonl", jsonl_seeds(texts))
    write(sys.argv[1], "date", date_seeds())
    write(sys.argv[1], "http", http_seeds())


if __name__ == "__main__":
    main()
