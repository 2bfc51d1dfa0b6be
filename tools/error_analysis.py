#!/usr/bin/env python3
"""Error classes of whosaid output against PolNeAR brat gold.

usage: tools/error_analysis.py GOLD_DIR SYSTEM.jsonl [--examples N]

Counts, per gold statement, why it was not matched (missed cue, source
boundary, wrong source, content boundary, ...) and, per predicted statement,
why it is spurious. Matching: a predicted statement pairs with the gold
statement whose cue overlaps its cue. Spans are normalised like the scorer
(whitespace, quotation marks and , . ; : trimmed). Standard library only.
"""
import collections, json, os, sys, unicodedata

TRIM = set(' \t\r\n\f\v,.;:"\'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a')

def trim(b, s, e):
    while s < e and chr(b[s]) in TRIM: s += 1
    while e > s and chr(b[e - 1]) in TRIM: e -= 1
    return (s, e)

def read_gold(path, text):
    cp = []
    for i, ch in enumerate(text.decode('utf-8')):
        cp.append(len(ch.encode('utf-8')))
    off = [0]
    for n in cp: off.append(off[-1] + n)
    T, rels = {}, []
    for line in open(path, encoding='utf-8'):
        p = line.rstrip('\n').split('\t')
        if line.startswith('T') and len(p) >= 2:
            lab, sp = p[1].split(' ', 1)
            segs = []
            for seg in sp.split(';'):
                a, b = map(int, seg.split())
                segs.append((off[a], off[b]))
            T[p[0]] = (lab, segs)
        elif line.startswith('E') and len(p) >= 2 and p[1].startswith('Attribution'):
            r = {'source': [], 'cue': [], 'content': []}
            for x in p[1].split()[1:]:
                role, tid = x.split(':')
                for k in r:
                    if role.lower().startswith(k) and tid in T: r[k] += T[tid][1]
            if r['cue'] or r['content']: rels.append(r)
    return rels

def norm(b, segs):
    return sorted(set(trim(b, s, e) for s, e in segs if trim(b, s, e)[1] > trim(b, s, e)[0]))

def sys_segs(x):
    if x is None: return []
    if isinstance(x, dict): x = [x]
    return [(y['start'], y['end']) for y in x]

def overlap(a, b):
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)

def chars(segs):
    return set(i for s, e in segs for i in range(s, e))

def main():
    gold_dir, sysf = sys.argv[1], sys.argv[2]
    nex = int(sys.argv[sys.argv.index('--examples') + 1]) if '--examples' in sys.argv else 3
    out = {}
    for line in open(sysf, encoding='utf-8'):
        try: d = json.loads(line)
        except ValueError: continue
        out.setdefault(d['id'], d)
    cls, ex = collections.Counter(), collections.defaultdict(list)
    def note(c, b, segs):
        cls[c] += 1
        if len(ex[c]) < nex: ex[c].append(' | '.join(b[s:e].decode('utf-8', 'replace')[:70] for s, e in segs))
    for fn in sorted(os.listdir(gold_dir)):
        if not fn.endswith('.ann'): continue
        stem = fn[:-4]
        b = open(os.path.join(gold_dir, stem + '.txt'), 'rb').read()
        gold = read_gold(os.path.join(gold_dir, fn), b)
        pred = [{k: sys_segs(q.get(k)) for k in ('source', 'cue', 'content')} for q in out.get(stem, {}).get('quotes', [])]
        used = set()
        for g in gold:
            m = next((i for i, p in enumerate(pred) if i not in used and overlap(p['cue'], g['cue'])), None)
            if m is None:
                note('missed statement (cue not found)', b, g['cue'])
                continue
            used.add(m)
            p = pred[m]
            if norm(b, p['cue']) != norm(b, g['cue']): note('cue boundary', b, g['cue'] + [(0, 0)] + p['cue'])
            gs, ps = norm(b, g['source']), norm(b, p['source'])
            if gs != ps:
                if not gs: note('source predicted, gold has none', b, p['source'])
                elif not ps: note('source missed', b, g['source'])
                elif overlap(gs, ps): note('source boundary', b, g['source'] + [(0, 0)] + p['source'])
                else: note('wrong source', b, g['source'] + [(0, 0)] + p['source'])
            gc, pc = chars(norm(b, g['content'])), chars(norm(b, p['content']))
            if gc or pc:
                r = len(gc & pc) / max(1, len(gc | pc))
                if r < 0.5: note('content overlap < 0.5', b, g['content'][:1] + [(0, 0)] + p['content'][:1])
        for i, p in enumerate(pred):
            if i not in used: note('spurious statement', b, p['cue'] + [(0, 0)] + p['content'][:1])
    for c, n in cls.most_common():
        print(f'{n:6d}  {c}')
        for e in ex[c]: print('          e.g. ' + e.replace('\n', ' '))

if __name__ == '__main__':
    main()
