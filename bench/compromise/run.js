// bench/compromise/run.js - the peer of bench/bench_speed.sh: runs
// compromise's .quotations() and .people() on each text file named on the
// command line (or listed, one path per line, in the file given with
// --list FILE), the way whosaid extract runs on them, and prints one line:
//   docs=N bytes=B seconds=S quotations=Q people=P
// seconds covers parsing and both calls, not node's start nor module load
// (reported apart as load_seconds); cpu_seconds is the CPU time (user +
// system) of the same span, which other load on the machine barely changes.
'use strict';
const fs = require('fs');
const t0 = process.hrtime.bigint();
const nlp = require('compromise');
const loaded = process.hrtime.bigint();

let files = process.argv.slice(2);
if (files[0] === '--list') files = fs.readFileSync(files[1], 'utf8').split('\n').filter(Boolean);
let bytes = 0, quotations = 0, people = 0;
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  bytes += Buffer.byteLength(text);
  const doc = nlp(text);
  quotations += doc.quotations().out('array').length;
  people += doc.people().out('array').length;
}
const end = process.hrtime.bigint();
const cpu = process.cpuUsage(cpu0);
const s = (a, b) => (Number(b - a) / 1e9).toFixed(3);
console.log(`docs=${files.length} bytes=${bytes} seconds=${s(start, end)} ` +
  `cpu_seconds=${((cpu.user + cpu.system) / 1e6).toFixed(3)} ` +
  `quotations=${quotations} people=${people} load_seconds=${s(t0, loaded)}`);
