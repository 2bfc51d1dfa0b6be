#!/usr/bin/env python3
"""check_web.py WHOSAID INPUTS DATA - the checks of tests/web/run.sh.

INPUTS is the folder written by make_inputs.py, DATA is ../shared/data.
Prints one line per failed check and ends with "N passed, M failed".
"""
import csv
import json
import os
import re
import subprocess
import sys

W, IN, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
passed = failed = 0


def expect(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}" + (f" ({detail})" if detail else ""))


def run(args, stdin=None):
    p = subprocess.run([W] + args, input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def docs(out):
    res = []
    for line in out.splitlines():
        try:
            res.append(json.loads(line))
        except ValueError:
            res.append({"_bad": line[:80]})
    return res


def summary(err):
    """The skip counts of the summary line of stderr."""
    m = re.search(r"whosaid: (\d+) documents, (\d+) statements, (\d+) skipped(?: \(([^)]*)\))?, (\d+) errors", err)
    if not m:
        return None
    counts = {}
    if m.group(4):
        for part in m.group(4).split(", "):
            k, v = part.rsplit(" ", 1)
            counts[k] = int(v)
    return {"docs": int(m.group(1)), "skipped": counts, "errors": int(m.group(5))}


def spans_ok(o):
    """Every span's text is body[start:end] (bytes); the dateline too."""
    body = o.get("body")
    if body is None:
        return True
    b = body.encode("utf-8")

    def one(s):
        if not s:
            return True
        if not (0 <= s["start"] <= s["end"] <= len(b)):
            return False
        t = s.get("text")
        return t is None or t == b[s["start"]:s["end"]].decode("utf-8", "replace")

    for q in o.get("quotes", []):
        for role in ("content", "cue", "source", "addressee"):
            v = q.get(role)
            for s in (v if isinstance(v, list) else [v]):
                if not one(s):
                    return False
    for e in o.get("entities", []):
        for s in e.get("mentions", []):
            if not one(s):
                return False
    return one(o.get("dateline"))


P = os.path.join(IN, "pages")
RU = "Сергей Лавров заявил"

# ---- pages ------------------------------------------------------------------
rc, out, err = run(["extract", "--body", P])
d = docs(out)
ids = [o.get("id") for o in d]
expect("page dir exits 0", rc == 0, err[:200])
expect("a directory walk takes known extensions in byte order (.html.gz, .txt; not others)",
       ids == ["0123abcd", "bom", "en", "fr-latin1", "invalid-utf8", "notes", "ru-1251-detect",
               "ru-1251-meta", "ru-koi8-detect", "ru-koi8-meta", "utf16"], ids)
by = {o.get("id"): o for o in d}
expect("every page output is valid JSON", all("_bad" not in o for o in d))
expect("spans of every page point into its body", all(spans_ok(o) for o in d))
for pid in ("ru-1251-meta", "ru-1251-detect", "ru-koi8-meta", "ru-koi8-detect", "bom"):
    o = by.get(pid, {})
    expect(f"{pid}: Russian body decoded", RU in o.get("body", ""), o.get("body", "")[:60])
    expect(f"{pid}: Russian title decoded", o.get("title") == "Лавров о зерновой сделке", o.get("title"))
    expect(f"{pid}: no U+FFFD", "\ufffd" not in o.get("body", "x\ufffd"))
expect("windows-1251 keeps « » and —", "«Мы не согласимся" in by.get("ru-1251-meta", {}).get("body", "")
       and "— сказал" in by.get("ru-1251-detect", {}).get("body", ""))
expect("UTF-16 page with a BOM", by.get("utf16", {}).get("title") == "UTF-16 page")
fr = by.get("fr-latin1", {}).get("body", "")
expect("ISO-8859-1 page decoded", "Hélène Côté" in fr and "« Nous" in fr, fr[:80])
inv = by.get("invalid-utf8", {}).get("body", "")
expect("invalid bytes become U+FFFD, one each, valid text kept",
       "caf\ufffd \ufffd\ufffd end" in inv and "\u201cit is fine\u201d" in inv, inv)
expect("a .html.gz page is read through gzip", "senator" in by.get("0123abcd", {}).get("body", ""))
expect("a page has format html", by.get("en", {}).get("format") == "html")
expect("a text file keeps its exact bytes as body",
       by.get("notes", {}).get("body") == open(os.path.join(P, "notes.txt"), encoding="utf-8").read())
expect("a page has a title", by.get("en", {}).get("title") == "Senator says bill will pass")
dl = by.get("en", {}).get("dateline")
expect("the dateline field is null or points at the body's start",
       dl is None or (dl["start"] == 0 and dl["text"] == "WASHINGTON (Reuters) -"), dl)

rc, out, err = run(["extract", "--body", os.path.join(P, "noext-page")])
o = (docs(out) or [{}])[0]
expect("HTML detected from content (no extension)", o.get("format") == "html" and o.get("id") == "noext-page", o.get("id"))
rc, out, err = run(["extract", "--body", "-"], open(os.path.join(P, "en.html"), "rb").read())
o = (docs(out) or [{}])[0]
expect("HTML on stdin is detected", o.get("format") == "html" and o.get("id") == "-")
rc, out, err = run(["extract", "--format", "text", "--body", os.path.join(P, "en.html")])
o = (docs(out) or [{}])[0]
expect("--format text forces text (body = the raw page)",
       o.get("format") == "text" and o.get("body", "").startswith("<!DOCTYPE html>"))
rc, out, err = run(["extract", os.path.join(P, "notes.txt")])
o = (docs(out) or [{}])[0]
expect("a text file's output has the article fields, null when unknown",
       o.get("format") == "text" and "title" in o and o.get("title") is None
       and o.get("dateline") is None and "quotes" in o)
rc, out, err = run(["extract", "--no-analysis", "--body", os.path.join(P, "en.html"), os.path.join(P, "notes.txt")])
d = docs(out)
expect("--no-analysis: article fields and body, no statements",
       len(d) == 2 and all(o.get("quotes") == [] and o.get("entities") == [] and o.get("body") for o in d)
       and d[0].get("title") == "Senator says bill will pass" and d[1].get("format") == "text")
rc, out, err = run(["extract", "--format", "bogus", os.path.join(P, "en.html")])
expect("an unknown --format exits 2", rc == 2)

# ---- WARC built by make_inputs.py --------------------------------------------
exp = json.load(open(os.path.join(IN, "expect.json")))
for name, key in (("test.warc.gz", "gz"), ("test.warc", "plain")):
    rc, out, err = run(["extract", "--body", os.path.join(IN, name)])
    d = docs(out)
    s = summary(err)
    want = {k: v for k, v in exp[key].items() if k != "doc"}
    expect(f"{name}: exits 0", rc == 0, err[-300:])
    expect(f"{name}: the good records are extracted, in order",
           [o.get("id") for o in d] == exp["docs"], [o.get("id") for o in d])
    expect(f"{name}: skip counts by reason", s is not None and s["skipped"] == want, (s, want))
    expect(f"{name}: spans point into bodies", all(spans_ok(o) for o in d))
    by = {o.get("id"): o for o in d}
    first = by.get(exp["docs"][0], {})
    expect(f"{name}: WARC-Target-URI is the url", first.get("url") == "https://ex.com/a", first.get("url"))
    expect(f"{name}: WARC-Date is the fallback date", str(first.get("date", "")).startswith("2026-01-02"),
           first.get("date"))
    ru = by.get(exp["docs"][2], {})
    expect(f"{name}: the HTTP charset (windows-1251) beats <meta charset=utf-8>",
           RU in ru.get("body", ""), ru.get("body", "")[:60])
    xhtml = by.get(exp["docs"][1], {})
    expect(f"{name}: WARC/1.1 record with application/xhtml+xml", xhtml.get("title") == "Good two")

rc, out, err = run(["show", os.path.join(IN, "test.warc.gz")])
expect("show reads the first document of a WARC (its title first)",
       rc == 0 and out.startswith("Good one") and "statements" in out, out[:80])
rc, out, err = run(["show", os.path.join(P, "ru-koi8-detect.html")])
expect("show decodes a KOI8-R page", rc == 0 and "Лавров" in out, out[:80])

# forced format on a file whose name says nothing
with open(os.path.join(IN, "test.warc"), "rb") as f:
    raw = f.read()
with open(os.path.join(IN, "crawl.dat"), "wb") as f:
    f.write(raw)
rc, out, err = run(["extract", "--format", "warc", os.path.join(IN, "crawl.dat")])
expect("--format warc on any name", [o.get("id") for o in docs(out)] == exp["docs"])
rc, out, err = run(["extract", "-"], raw)
expect("WARC on stdin is detected", [o.get("id") for o in docs(out)] == exp["docs"])

# a 200 MB record over max_record_bytes: skipped without being held
p = subprocess.run(["/usr/bin/time", "-f", "%M", W, "extract", os.path.join(IN, "big.warc.gz")],
                   capture_output=True, timeout=300)
err = p.stderr.decode()
rss_mb = int(err.strip().splitlines()[-1]) // 1024 if err.strip() else 0
d = docs(p.stdout.decode())
s = summary(err)
expect("big record: exits 0, the record after it is extracted",
       p.returncode == 0 and [o.get("id") for o in d] == ["00000000-0000-4000-8000-000000000022"])
expect("big record: counted as too-large", s is not None and s["skipped"].get("too-large") == 1, s)
expect("big record: peak RSS stays far below the record's 200 MB", 0 < rss_mb < 100, f"{rss_mb} MB")

# ---- JSONL ------------------------------------------------------------------
rc, out, err = run(["extract", "--body", os.path.join(IN, "news.jsonl")])
d = docs(out)
expect("JSONL: a bad line exits 1 and names the file and line",
       rc == 1 and re.search(r"news\.jsonl: line 3: ", err) is not None, err[:200])
expect("JSONL: the other lines are output", [o.get("id") for o in d] == ["news:1", "news:2", "custom-7"],
       [o.get("id") for o in d])
o = d[0] if d else {}
expect("JSONL default mapping: maintext, title, url, date_publish, authors",
       o.get("title") == "First" and o.get("author") == ["Ann Lee", "Bo Kim"] and o.get("url") == "https://ex.com/1"
       and str(o.get("date")).startswith("2026-01-02") and o.get("body", "").startswith("WASHINGTON"), o)
o = d[1] if len(d) > 1 else {}
expect("JSONL: text and date are the fallbacks", o.get("body") == 'Lavrov said "no" to the plan.'
       and o.get("date") == "2026-01-03")
expect("JSONL: a string author", d[2].get("author") == ["Cy Dee"] if len(d) > 2 else False)
expect("JSONL: statements found in the body", len(d) > 1 and len(d[1].get("quotes", [])) >= 1)
expect("JSONL: spans point into the body", all(spans_ok(o) for o in d))
s = summary(err)
expect("JSONL: a line without text is skipped as empty", s is not None and s["skipped"].get("empty") == 1, s)
rc, out, err = run(["extract", "--fields", "body=content;title=headline;date=published;author=byline;url=link",
                    os.path.join(IN, "custom.jsonl")])
o = (docs(out) or [{}])[0]
expect("JSONL custom mapping (--fields)", rc == 0 and o.get("title") == "Custom" and o.get("author") == ["Dee Fox"]
       and o.get("url") == "https://ex.com/c" and o.get("date") == "2026-02-03", o.get("title"))
rc, out, err = run(["extract", "--fields", "nonsense", os.path.join(IN, "custom.jsonl")])
expect("a bad --fields mapping exits 2", rc == 2)

# ---- shared samples ----------------------------------------------------------
real = os.path.join(DATA, "warc", "real")
for sub in sorted(os.listdir(real)) if os.path.isdir(real) else []:
    for fn in sorted(os.listdir(os.path.join(real, sub))):
        if not fn.endswith(".gz"):
            continue
        rc, out, err = run(["extract", "--body", os.path.join(real, sub, fn)])
        d = docs(out)
        expect(f"real/{sub}/{fn}: read without a crash, valid JSON",
               rc in (0, 1) and all("_bad" not in o for o in d) and summary(err) is not None, err[-200:])
        expect(f"real/{sub}/{fn}: spans point into bodies", all(spans_ok(o) for o in d))
counts = {"warcinfo": 0, "request": 0}
want_ids, status = [], {}
idx = os.path.join(DATA, "warc", "aeb-dev.index.tsv")
if os.path.exists(idx):
    rows = list(csv.DictReader(open(idx), delimiter="\t"))
    want = {"not-response": sum(r["warc_type"] != "response" for r in rows),
            "http-status": sum(r["warc_type"] == "response" and not r["http_status"].startswith("2") for r in rows),
            "not-html": sum(r["kind"] == "pdf" and r["warc_type"] == "response" for r in rows),
            "truncated": sum(r["kind"] == "truncated" and r["warc_type"] == "response" for r in rows)}
    want_ids = [r["record_id"][len("<urn:uuid:"):-1] for r in rows
                if r["warc_type"] == "response" and r["kind"] in ("page", "latin1")]
    rc, out, err = run(["extract", "--body", "--no-text", os.path.join(DATA, "warc", "aeb-dev.warc.gz")])
    d = docs(out)
    s = summary(err)
    expect("aeb-dev.warc.gz: exits 0", rc == 0, err[-200:])
    expect("aeb-dev.warc.gz: every HTML record is extracted, in order",
           [o.get("id") for o in d] == want_ids, len(d))
    expect("aeb-dev.warc.gz: skip counts match the index", s is not None and s["skipped"] == want, (s, want))
    expect("aeb-dev.warc.gz: every page has a body and a title",
           all(len(o.get("body") or "") > 200 and o.get("title") for o in d))
    expect("aeb-dev.warc.gz: urls are the records' target URIs",
           all((o.get("url") or "").startswith("http") for o in d))
    lat = [o for o in d if "budget d'été" in (o.get("title") or "")]
    expect("aeb-dev.warc.gz: the ISO-8859-1 page is decoded",
           len(lat) == 1 and "\ufffd" not in lat[0].get("body", "") and "é" in lat[0].get("body", ""))
gt = os.path.join(DATA, "article", "aeb-dev", "ground-truth.json")
if os.path.exists(gt):
    rc, out, err = run(["extract", "--no-text", os.path.join(DATA, "article", "aeb-dev", "html")])
    keys = sorted(json.load(open(gt)))
    expect("aeb-dev/html: ids are the ground-truth keys (<sha256>.html.gz -> <sha256>)",
           sorted(o.get("id") for o in docs(out)) == keys)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
