#!/usr/bin/env python3
"""make_inputs.py OUTDIR - writes the inputs of tests/web/run.sh.

Every page and record here is written for this test (no third-party text).
Pages in legacy charsets are encoded from the UTF-8 strings below, and the
WARC files are assembled byte by byte, so each edge case is exact:
good records, a truncated one, a corrupt gzip member, a damaged member
header, non-HTML payloads, 3xx/4xx/5xx, request/metadata records,
WARC/1.0 and 1.1, gzip multi-member and plain.
"""
import gzip
import json
import os
import sys
import zlib

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

RU_BODY = ("МОСКВА, 30 декабря. /ТАСС/. Министр иностранных дел России Сергей "
           "Лавров заявил, что Москва не примет новых условий по зерновой сделке. "
           "«Мы не согласимся на такие требования», — сказал Лавров журналистам.")
EN_BODY = ("WASHINGTON (Reuters) - The senator said on Tuesday that the bill would "
           "pass. \u201cWe have the votes,\u201d Senator Jane Miller told reporters.")


def page(title, body, meta=None, lang="en"):
    m = f'<meta charset="{meta}">' if meta else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{m}<title>{title}</title></head>'
            f'<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
            f'{paras}</article><footer>Copyright</footer></body></html>')


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


# ---- pages ------------------------------------------------------------------
pages = os.path.join(OUT, "pages")
os.makedirs(pages, exist_ok=True)


def wpage(name, data):
    write(os.path.join("pages", name), data)


wpage("en.html", page("Senator says bill will pass", EN_BODY).encode())
ru = page("Лавров о зерновой сделке", RU_BODY, None, "ru")
wpage("ru-1251-meta.html", ru.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251"))
wpage("ru-1251-detect.html", ru.encode("cp1251"))
# KOI8-R has no « » —: the KOI8 pages use " and -
ru_k = page("Лавров о зерновой сделке",
            RU_BODY.replace("«", '"').replace("»", '"').replace("—", "-"), None, "ru")
wpage("ru-koi8-meta.html", ru_k.replace(
    "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">').encode("koi8_r"))
wpage("ru-koi8-detect.html", ru_k.encode("koi8_r"))
# a BOM wins over a wrong <meta>
wpage("bom.html", b"\xef\xbb\xbf" + ru.replace("<head>", '<head><meta charset="windows-1251">').encode())
# UTF-16LE with a BOM
wpage("utf16.html", b"\xff\xfe" + page("UTF-16 page", EN_BODY).encode("utf-16-le"))
# latin-1 page, declared
fr = ("PARIS, 20 novembre - « Nous ne céderons pas », a déclaré Hélène Côté, "
      "ministre de l’Économie, devant les députés.").replace("’", "'")
wpage("fr-latin1.html", page("Hélène Côté répond", fr, "iso-8859-1", "fr").encode("latin-1"))
# declared UTF-8 with invalid bytes inside the text
bad = page("Broken bytes", "The mayor said \u201cit is fine\u201d. XX", "utf-8").encode()
bad = bad.replace(b"XX", b"caf\xe9 \xff\xfe end")
wpage("invalid-utf8.html", bad)
# gzip page with the AEB-style name: id is the part before .html.gz
with gzip.open(os.path.join(pages, "0123abcd.html.gz"), "wb") as f:
    f.write(page("Gzipped page", EN_BODY).encode())
# an HTML page without an .html name (detected from content)
wpage("noext-page", page("Detected page", EN_BODY).encode())
wpage("notes.txt", "Plain text. The minister said \"it is fine\".\n".encode())
wpage("skip.me", b"not taken by the directory walk")


# ---- WARC -------------------------------------------------------------------
def http(status, reason, ctype, body, extra=b""):
    h = f"HTTP/1.1 {status} {reason}\r\n".encode()
    if ctype:
        h += f"Content-Type: {ctype}\r\n".encode()
    h += f"Content-Length: {len(body)}\r\n".encode() + extra + b"\r\n"
    return h + body


def record(wtype, uid, uri, block, version="1.0", extra=b"", clen=None):
    h = (f"WARC/{version}\r\nWARC-Type: {wtype}\r\n"
         f"WARC-Record-ID: <urn:uuid:{uid}>\r\n"
         f"WARC-Date: 2026-01-02T03:04:05Z\r\n").encode()
    if uri:
        h += f"WARC-Target-URI: {uri}\r\n".encode()
    if wtype in ("response", "request"):
        h += b"Content-Type: application/http; msgtype=" + wtype.encode() + b"\r\n"
    h += extra
    h += f"Content-Length: {len(block) if clen is None else clen}\r\n\r\n".encode()
    return h + block + b"\r\n\r\n"


def uid(n):
    return f"00000000-0000-4000-8000-{n:012d}"


good = lambda t: page(t, EN_BODY).encode()
R = []  # (name, bytes, expectation)
R.append(("info", record("warcinfo", uid(1), None, b"software: test\r\n"), "not-response"))
R.append(("req", record("request", uid(2), "https://ex.com/a", b"GET /a HTTP/1.1\r\n\r\n"), "not-response"))
R.append(("good1", record("response", uid(3), "https://ex.com/a",
                          http(200, "OK", "text/html; charset=utf-8", good("Good one"))), "doc"))
R.append(("meta", record("metadata", uid(4), "https://ex.com/a", b"fetchTimeMs: 12\r\n"), "not-response"))
R.append(("good2", record("response", uid(5), "https://ex.com/b",
                          http(200, "OK", "application/xhtml+xml", good("Good two")), version="1.1"), "doc"))
R.append(("r301", record("response", uid(6), "http://ex.com/c",
                         http(301, "Moved", "text/html", b"<html>moved</html>",
                              b"Location: https://ex.com/c\r\n")), "http-status"))
R.append(("r404", record("response", uid(7), "https://ex.com/d", http(404, "Not Found", "text/html", good("404"))), "http-status"))
R.append(("r503", record("response", uid(8), "https://ex.com/e", http(503, "Unavailable", "text/html", b"<html></html>")), "http-status"))
R.append(("png", record("response", uid(9), "https://ex.com/i.png", http(200, "OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))), "not-html"))
R.append(("pdf", record("response", uid(10), "https://ex.com/f.pdf", http(200, "OK", "application/pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")), "not-html"))
R.append(("trunc", record("response", uid(11), "https://ex.com/g",
                          http(200, "OK", "text/html", good("Cut")[:200]), extra=b"WARC-Truncated: length\r\n"), "truncated"))
# header charset (windows-1251) beats the page's <meta charset=utf-8>
ru_meta_utf8 = page("Лавров о зерновой сделке", RU_BODY, "utf-8", "ru").encode("cp1251")
R.append(("hdrcs", record("response", uid(12), "https://ex.ru/h",
                          http(200, "OK", "text/html; charset=windows-1251", ru_meta_utf8)), "doc"))
R.append(("corrupt", record("response", uid(13), "https://ex.com/j",
                            http(200, "OK", "text/html", good("Corrupt") * 20)), "corrupt"))
R.append(("good3", record("response", uid(14), "https://ex.com/k",
                          http(200, "OK", "text/html", good("Good three"))), "doc"))
R.append(("badhdr", record("response", uid(15), "https://ex.com/l",
                           http(200, "OK", "text/html", good("Bad header"))), "corrupt"))
R.append(("good4", record("response", uid(16), "https://ex.com/m",
                          http(200, "OK", "text/html", good("Good four"))), "doc"))
R.append(("empty", record("response", uid(17), "https://ex.com/n", http(200, "OK", "text/html", b"")), "empty"))
# last: Content-Length larger than what the file holds (a cut download)
R.append(("short", record("response", uid(18), "https://ex.com/o",
                          http(200, "OK", "text/html", good("Short")), clen=100000)[:3000], "truncated"))


def member(data):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


gz = b""
for name, data, _ in R:
    m = member(data)
    if name == "corrupt":  # damage the deflate data in the middle
        m = bytearray(m)
        for i in range(len(m) // 2, len(m) // 2 + 16):
            m[i] ^= 0x5A
        m = bytes(m)
    if name == "badhdr":  # damage the gzip magic: the member is garbage
        m = b"\x1f\x8c" + m[2:]
    gz += m
write("test.warc.gz", gz)
# plain: the same records minus the gzip-only damage cases
write("test.warc", b"".join(d for n, d, _ in R if n not in ("corrupt", "badhdr")))
exp = {}
for n, d, e in R:
    exp[e] = exp.get(e, 0) + 1
exp_plain = {}
for n, d, e in R:
    if n in ("corrupt", "badhdr"):
        continue
    exp_plain[e] = exp_plain.get(e, 0) + 1
json.dump({"gz": exp, "plain": exp_plain,
           "docs": [uid(i) for i in (3, 5, 12, 14, 16)]},
          open(os.path.join(OUT, "expect.json"), "w"))

# a record far over max_record_bytes (200 MB of zeros, about 200 KB gzipped)
big = bytearray()
big += member(record("warcinfo", uid(20), None, b"x: y\r\n"))
body = b"<html><body>" + b"\0" * (200 << 20) + b"</body></html>"
big += member(record("response", uid(21), "https://ex.com/big", http(200, "OK", "text/html", body)))
del body
big += member(record("response", uid(22), "https://ex.com/after", http(200, "OK", "text/html", good("After the big one"))))
write("big.warc.gz", bytes(big))

# ---- JSONL ------------------------------------------------------------------
lines = [
    {"title": "First", "maintext": EN_BODY, "url": "https://ex.com/1",
     "date_publish": "2026-01-02 10:00:00", "authors": ["Ann Lee", "Bo Kim"]},
    {"title": "Second", "text": "Lavrov said \"no\" to the plan.", "date": "2026-01-03"},
    "BROKEN",
    {"title": "No text"},
    {"id": "custom-7", "maintext": "Officials said the talks would go on.", "authors": "Cy Dee"},
]
with open(os.path.join(OUT, "news.jsonl"), "w", encoding="utf-8") as f:
    for l in lines:
        f.write(("{bad json line\n" if l == "BROKEN" else json.dumps(l, ensure_ascii=False) + "\n"))
    f.write("\n")
with open(os.path.join(OUT, "custom.jsonl"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"headline": "Custom", "content": EN_BODY, "published": "2026-02-03",
                        "byline": "Dee Fox", "link": "https://ex.com/c"}) + "\n")
