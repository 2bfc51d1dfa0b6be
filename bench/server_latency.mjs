// bench/server_latency.mjs - latency of the HTTP API of `whosaid serve`
// (a benchmark, not a test). Sends GET requests over keep-alive connections
// and prints p50/p90/p99 per request kind, sequentially (one client) and
// with CLIENTS concurrent clients, and, as the floor measured in the same
// run, the same for GET /static/style.css (an embedded asset: HTTP and
// daemon overhead only).
// Usage: node bench/server_latency.mjs BASE_URL [N=100] [CLIENTS=4]
import http from "node:http";

const [base, nArg, cArg] = process.argv.slice(2);
const N = Number(nArg || 100), CLIENTS = Number(cArg || 4);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function get(path) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http.get(base.replace(/\/$/, "") + path, { agent }, (res) => {
      let n = 0;
      res.on("data", (c) => { n += c.length; });
      res.on("end", () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode, bytes: n }));
    }).on("error", reject);
  });
}
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const fmt = (x) => x.toFixed(2).padStart(7);

const sp = JSON.parse(await new Promise((resolve, reject) => http.get(base + "api/speakers?top=1", (r) => {
  let b = ""; r.on("data", (c) => { b += c; }); r.on("end", () => resolve(b)); }).on("error", reject)));
const top = sp.speakers[0];
const kinds = [
  ["static asset (floor)", "/static/style.css"],
  ["search q=sanctions", "/api/search?q=sanctions"],
  ["search q=vaccine AND moscow", "/api/search?q=vaccine%20AND%20moscow"],
  ["search phrase", "/api/search?q=%22new%20sanctions%22"],
  ["search no text, newest", "/api/search"],
  ["search speaker + since/until", `/api/search?speaker_id=${top.id}&since=2020-01&until=2020-12`],
  ["search q + site + type", "/api/search?q=sanctions&site=tass.com&type=direct"],
  ["speakers top 20", "/api/speakers"],
  [`speaker ${top.id} (timeline)`, `/api/speakers/${top.id}`],
  ["article 1000", "/api/articles/1000"],
];
console.log(`# ${base}  N=${N} per kind, sequential, keep-alive`);
console.log("kind                              p50 ms  p90 ms  p99 ms   bytes  status");
const seqP50 = {};
for (const [name, path] of kinds) {
  for (let i = 0; i < 10; i++) await get(path); // warm-up
  const ms = [];
  let last;
  for (let i = 0; i < N; i++) { last = await get(path); ms.push(last.ms); }
  seqP50[name] = pct(ms, 50);
  console.log(`${name.padEnd(32)} ${fmt(pct(ms, 50))} ${fmt(pct(ms, 90))} ${fmt(pct(ms, 99))} ${String(last.bytes).padStart(7)}  ${last.status}`);
}
// Concurrent: CLIENTS clients, each N requests cycling through the kinds.
const all = [];
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
  for (let i = 0; i < N; i++) {
    const [, path] = kinds[1 + ((i + c) % (kinds.length - 1))];
    all.push((await get(path)).ms);
  }
}));
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`# ${CLIENTS} concurrent clients, ${all.length} API requests (all kinds but the floor): ` +
  `p50 ${pct(all, 50).toFixed(2)} ms, p99 ${pct(all, 99).toFixed(2)} ms, ${(all.length / secs).toFixed(0)} requests/s`);
const floor = seqP50["static asset (floor)"];
console.log(`# ratio p50 search q=sanctions / static floor: ${(seqP50["search q=sanctions"] / floor).toFixed(1)}x; ` +
  `p50 search q=sanctions / 10 ms target: ${(seqP50["search q=sanctions"] / 10).toFixed(3)}`);
agent.destroy();
