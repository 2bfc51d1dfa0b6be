// html_readability.cjs - Mozilla Readability (jsdom) on a folder of .html.gz
// pages, the peer of bench/bench_html.sh. Prints {id: {"articleBody"}} on
// stdout (the scorers read it) and "readability: N pages, X ms/page" on
// stderr (wall and process CPU time): parse (jsdom) + Readability.parse(),
// file reading excluded.
// Usage: node bench/html_readability.cjs DIR [REPEAT]
// Needs @mozilla/readability and jsdom from npm (bench/node/node_modules).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const mods = path.resolve(__dirname, 'node', 'node_modules');
const { JSDOM, VirtualConsole } = require(path.join(mods, 'jsdom'));
const { Readability } = require(path.join(mods, '@mozilla', 'readability'));

const dir = process.argv[2];
const repeat = Math.max(1, parseInt(process.argv[3] || '1', 10));
const files = fs.readdirSync(dir).filter((f) => /\.html?(\.gz)?$/i.test(f)).sort();
const out = {};
let ns = 0n, cpu = 0, pages = 0;
for (const f of files) {
  let buf = fs.readFileSync(path.join(dir, f));
  if (f.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  const html = buf.toString('utf8');
  const id = f.replace(/\.gz$/, '').replace(/\.html?$/i, '');
  let text = '';
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const vc = new VirtualConsole(); // silence CSS/script errors
    const dom = new JSDOM(html, { virtualConsole: vc });
    const art = new Readability(dom.window.document).parse();
    ns += process.hrtime.bigint() - t0;
    const c1 = process.cpuUsage(c0);
    cpu += (c1.user + c1.system) / 1e3;
    pages++;
    text = art && art.textContent ? art.textContent : '';
    dom.window.close();
  }
  out[id] = { articleBody: text };
}
process.stdout.write(JSON.stringify(out) + '\n');
process.stderr.write(`readability: ${pages} pages, wall ${(Number(ns) / 1e6 / pages).toFixed(3)} ms/page, ` +
                     `cpu ${(cpu / pages).toFixed(3)} ms/page\n`);
