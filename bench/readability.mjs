// readability.mjs ROUNDS OUT.jsonl FILE... - Mozilla Readability (+ jsdom)
// on the same pages as bench_article: per page, new JSDOM(bytes, {url})
// and new Readability(document).parse() are timed (reading and gunzip
// are not). Writes {"id","body","title"} per page (first round) and prints
//   readability records=N rounds=R work_ms=W ms_per_record=X cpu_ms=C cpu_ms_per_record=Y
// (CPU time of the whole process, garbage-collector threads included)
// Run from bench/node (npm install @mozilla/readability jsdom there).
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

const [rounds, outPath, ...files] = process.argv.slice(2);
const pages = files.map((f) => {
  let buf = readFileSync(f);
  if (f.endsWith(".gz")) buf = gunzipSync(buf);
  const id = basename(f).replace(/\.gz$/, "").replace(/\.html?$/i, "");
  // Decoded as UTF-8 (what every AEB dev page is), as whosaid's side is
  // given: jsdom handed raw bytes without a charset falls back to
  // windows-1252 and would garble the peer's text.
  return { id, html: buf.toString("utf8") };
});
const vc = new VirtualConsole(); // silence CSS and script warnings
let work = 0, cpu = 0, n = 0;
const out = [];
for (let r = 0; r < Number(rounds); r++) {
  for (const p of pages) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let body = "", title = null;
    try {
      const dom = new JSDOM(p.html, { url: "https://example.com/", virtualConsole: vc });
      const art = new Readability(dom.window.document).parse();
      if (art) { body = art.textContent || ""; title = art.title || null; }
      dom.window.close();
    } catch (e) { body = ""; }
    work += Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1e3;
    n++;
    if (r === 0) out.push(JSON.stringify({ id: p.id, title, body }));
  }
}
writeFileSync(outPath, out.join("\n") + "\n");
console.log(`readability records=${n} rounds=${rounds} work_ms=${work.toFixed(1)} ms_per_record=${(work / n).toFixed(4)} ` +
  `cpu_ms=${cpu.toFixed(1)} cpu_ms_per_record=${(cpu / n).toFixed(4)}`);
