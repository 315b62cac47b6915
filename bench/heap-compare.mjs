// Compare two V8 .heapsnapshot files (taken by the soak with SOAK_HEAP_AT, or any): objects grouped
// by constructor/name and type, count and self size in each, sorted by the growth of self size.
// Usage: node bench/heap-compare.mjs before.heapsnapshot after.heapsnapshot [top=25]
import { readFileSync } from 'node:fs';

/** Map "type:name" -> {count, bytes} of one snapshot. */
function summarize(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const meta = snap.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const { nodes, strings } = snap;
  const groups = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]];
    // strings and code are grouped by type only (names are their contents)
    const name = type === 'object' || type === 'closure' || type === 'native' ? strings[nodes[i + iName]] : '';
    const key = `${type}:${name.slice(0, 80)}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += nodes[i + iSize];
    total += nodes[i + iSize];
    groups.set(key, g);
  }
  return { groups, total, nodes: nodes.length / width };
}

const [a, b, topArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/heap-compare.mjs before.heapsnapshot after.heapsnapshot [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const A = summarize(a);
const B = summarize(b);
console.log(`nodes ${A.nodes} -> ${B.nodes}; self size ${(A.total / 1048576).toFixed(2)} -> ${(B.total / 1048576).toFixed(2)} MB`);
const keys = new Set([...A.groups.keys(), ...B.groups.keys()]);
const rows = [...keys].map((k) => {
  const x = A.groups.get(k) ?? { count: 0, bytes: 0 };
  const y = B.groups.get(k) ?? { count: 0, bytes: 0 };
  return { k, dc: y.count - x.count, db: y.bytes - x.bytes, c: y.count, b: y.bytes };
});
rows.sort((p, q) => q.db - p.db);
for (const r of rows.slice(0, top)) {
  console.log(
    `${(r.db / 1024).toFixed(1).padStart(9)} KB ${String(r.dc).padStart(7)} objs  (now ${r.c}, ${(r.b / 1024).toFixed(0)} KB)  ${r.k}`,
  );
}
