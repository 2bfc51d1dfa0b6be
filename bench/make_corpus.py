#!/usr/bin/env python3
"""make_corpus.py - a synthetic corpus of whosaid output for the store
benchmark (bench/bench_store.sh). Writes JSON Lines, one whosaid output
object per article (docs/output.md, with the article fields url, site,
date, title, lang, body), deterministic for a given seed.

Usage: make_corpus.py [--articles N] [--statements-per-article K] [--seed S] > corpus.jsonl

Each article has a body of about 1.5 KB built from its statements and filler
sentences; statement spans point into the body. Speakers come from a pool of
generated names with titles (some written with a transliteration variant or
the surname only); about 10% of the quotes are reused from earlier articles
(exactly or with a changed word) so that quote clusters form. Words follow a
Zipf law over a generated vocabulary plus a list of news words, so that
queries such as 'sanctions', 'vaccine AND moscow' hit realistic shares."""
import argparse, json, random, sys

NEWS = ("sanctions vaccine covid election border talks ceasefire economy inflation "
        "budget parliament minister ministry president government police court "
        "energy gas oil pipeline grain exports market bank crisis protest strike "
        "virus hospital masks lockdown climate summit treaty nuclear missile army "
        "refugees migration trade tariffs deal agreement investigation report").split()
SYL = "ka lo mi ne ra to su vi de pa ri no ta le mo shi ko be ga zu an el or un is at".split()
FIRST = ("Sergey Sergei Maria Anna Dmitry Dmitri Yuri Yury Alexei Aleksei Olga Ivan "
         "John Mary Peter Laura Ahmed Fatima Chen Li Carlos Ana Pierre Marie Hans Greta").split()
TITLES = ["Foreign Minister", "Prime Minister", "Health Minister", "spokeswoman",
          "spokesman", "President", "Senator", "chief executive", "Finance Minister",
          "mayor", "governor", "ambassador", None, None]
SITES = ["tass.com", "reuters.com", "rt.com", "bbc.co.uk", "nytimes.com", "lemonde.fr",
         "aljazeera.com", "dw.com", "apnews.com", "theguardian.com", "interfax.ru",
         "kyivindependent.com", "scmp.com", "spiegel.de", "elpais.com", "ansa.it",
         "yonhap.co.kr", "abc.net.au", "cbc.ca", "japantimes.co.jp"]
CUES = ["said", "told reporters", "added", "noted", "stressed", "warned", "claimed"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=125000)
    ap.add_argument("--statements-per-article", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    vocab = sorted({"".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 4)))
                    for _ in range(30000)})
    rnd.shuffle(vocab)
    vocab = NEWS + vocab
    weights = [1.0 / (i + 1) ** 1.05 for i in range(len(vocab))]
    cum, t = [], 0.0
    for w in weights:
        t += w
        cum.append(t)
    import bisect

    def word():
        return vocab[bisect.bisect_left(cum, rnd.random() * t)]

    def phrase(n):
        return " ".join(word() for _ in range(n))

    surnames = sorted({"".join(rnd.choice(SYL) for _ in range(3)).capitalize() + rnd.choice(["ov", "ova", "son", "er", "ez", "i", ""])
                       for _ in range(6000)})
    people = [(rnd.choice(FIRST), s, rnd.choice(TITLES)) for s in surnames]
    pool = []  # quotes for reuse
    out = sys.stdout
    for art in range(a.articles):
        site = SITES[art % len(SITES)]
        day = art * 1096 // a.articles
        y, rest = 2019 + day // 365, day % 365
        date = "%04d-%02d-%02d" % (y, 1 + rest // 31 % 12, 1 + rest % 28)
        title = phrase(rnd.randint(5, 9)).capitalize()
        body = title + "\n\n"
        nspk = rnd.randint(1, 3)
        spk = [people[int(rnd.paretovariate(1.2) * 40) % len(people)] for _ in range(nspk)]
        ents, mentions = [], []
        for i, (first, last, ttl) in enumerate(spk):
            form = rnd.random()
            name = last if form < 0.1 and ttl else (first + " " + last)
            ents.append({"id": "e%d" % (i + 1), "type": "PERSON", "name": name,
                         "title": ttl, "gender": rnd.choice(["male", "female", None]),
                         "mentions": []})
        quotes = []
        for q in range(a.statements_per_article):
            if rnd.random() < 0.3:
                body += phrase(rnd.randint(8, 20)).capitalize() + ". "
            ei = rnd.randrange(nspk)
            e = ents[ei]
            if pool and rnd.random() < 0.1:
                text = rnd.choice(pool)
                if rnd.random() < 0.5:
                    w = text.split()
                    w[rnd.randrange(len(w))] = word()
                    text = " ".join(w)
            else:
                text = phrase(rnd.randint(6, 24)).capitalize()
                if rnd.random() < 0.05:
                    pool.append(text)
            direct = rnd.random() < 0.5
            cue = rnd.choice(CUES)
            src = (e["title"] + " " if e["title"] and rnd.random() < 0.5 else "") + e["name"]
            if direct:
                cs = len(body.encode()) + 1
                body += '"' + text + ',"'
                ce = cs + len(text.encode()) + 1
                body += " "
                ss = len(body.encode()); body += src; se = len(body.encode())
                body += " "
                us = len(body.encode()); body += cue; ue = len(body.encode())
                body += ".\n"
                typ = "direct"
            else:
                ss = len(body.encode()); body += src; se = len(body.encode())
                body += " "
                us = len(body.encode()); body += cue; ue = len(body.encode())
                body += " that "
                cs = len(body.encode()); body += text[0].lower() + text[1:]; ce = len(body.encode())
                body += ".\n"
                typ = "indirect"
            b = body.encode()
            e["mentions"].append({"start": ss, "end": se, "text": src})
            quotes.append({"id": "q%d" % (q + 1), "type": typ,
                           "content": [{"start": cs, "end": ce, "text": b[cs:ce].decode()}],
                           "cue": {"start": us, "end": ue, "text": cue},
                           "source": {"start": ss, "end": se, "text": src},
                           "speaker": {"entity": e["id"], "name": e["name"]},
                           "addressee": None,
                           "evidence": {"pattern": "quote+src+cue" if direct else "clause+src+cue",
                                        "resolution": "name", "confidence": 0.8}})
        counts = {}
        for qq in quotes:
            counts[qq["speaker"]["entity"]] = counts.get(qq["speaker"]["entity"], 0) + 1
        speakers = [{"entity": e["id"], "name": e["name"], "title": e["title"],
                     "statements": counts[e["id"]]} for e in ents if e["id"] in counts]
        doc = {"version": 1, "id": "a%07d" % art, "generator": "make_corpus.py",
               "quotes": quotes, "entities": ents, "speakers": speakers,
               "url": "https://%s/news/%07d" % (site, art), "site": site, "date": date,
               "title": title, "lang": "en", "body": body}
        out.write(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
