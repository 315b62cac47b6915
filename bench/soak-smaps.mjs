// Debug-only sampler beside a soak (docs/RELIABILITY.md, Soak): reads /proc/<pid>/smaps of a running
// box every INTERVAL seconds and appends one JSON line per sample to OUT: the anonymous RSS by holder
// (glibc's main arena `brk`, its thread arenas, V8 and other anonymous pages; soak-lib.mjs
// classifySmaps) and the box's load average. It only reads /proc, so it does not disturb the box.
//   node bench/soak-smaps.mjs <pid> <out.jsonl> [intervalS=60]
import { appendFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { classifySmaps } from './soak-lib.mjs';

const [pid, out, intervalS = '60'] = process.argv.slice(2);
if (!pid || !out) {
  console.error('usage: node bench/soak-smaps.mjs <pid> <out.jsonl> [intervalS]');
  process.exit(2);
}
const t0 = Date.now();
const sample = () => {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    process.exit(0); // the box has ended
  }
  const row = { t: Math.round((Date.now() - t0) / 1000), at: new Date().toISOString(), ...classifySmaps(text), load1: loadavg()[0] };
  appendFileSync(out, `${JSON.stringify(row)}\n`);
};
sample();
setInterval(sample, Number(intervalS) * 1000);
