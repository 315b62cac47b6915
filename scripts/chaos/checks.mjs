// The checks after a restart: database intact, acknowledged records present (GET by id), no call
// left active, recordings finalized or repaired with valid WAV headers, config intact, outbox
// holding a row for every acknowledged change. Each returns a list of problems (empty = fine).
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const PATHS = {
  customer: (id) => `/api/v1/customers/${id}`,
  ticket: (id) => `/api/v1/tickets/${id}`,
  order: (id) => `/api/v1/orders/${id}`,
  product: (id) => `/api/v1/products/${id}`,
  call: (id) => `/api/v1/calls/${encodeURIComponent(id)}`,
  smsOut: (id) => `/api/v1/sms/${id}`,
};
const STREAMS = { customer: 'customers', ticket: 'tickets', order: 'orders', product: 'products' };

/**
 * One GET, tried again once when the connection drops: a pooled keep-alive connection the server
 * closes just as it is reused ("other side closed") is not the box going away.
 */
export async function get(box, path, retry = true) {
  let r;
  try {
    r = await fetch(`${box.url}${path}`, { headers: { authorization: `Bearer ${box.token}` } });
  } catch (e) {
    if (!retry) throw e;
    return get(box, path, false);
  }
  const text = await r.text();
  return { status: r.status, body: r.status === 200 ? JSON.parse(text) : text };
}

/** GET every acknowledged record by id, 8 at a time. Returns { found, lost } (records { kind, id }). */
export async function checkRecords(box, acked) {
  const found = [];
  const lost = [];
  for (let i = 0; i < acked.length; i += 8) {
    const batch = acked.slice(i, i + 8);
    const res = await Promise.all(batch.map((a) => get(box, PATHS[a.kind](a.id))));
    for (const [j, r] of res.entries()) (r.status === 200 ? found : lost).push(batch[j]);
  }
  return { found, lost };
}

/** Opens the box's database read-only next to the running box (WAL allows it). */
export function openReadOnly(dir) {
  return new Database(join(dir, 'callbox.db'), { readonly: true, fileMustExist: true });
}

export function checkDatabase(db) {
  const r = db.pragma('quick_check', { simple: true });
  return r === 'ok' ? [] : [`database quick_check: ${r}`];
}

/** No call in a state other than ended, in the database and in the API's calls list. */
export async function checkCalls(box, db) {
  const problems = [];
  const open = db.prepare("SELECT id, state FROM calls WHERE state <> 'ended'").all();
  for (const c of open) problems.push(`call ${c.id} stuck in state ${c.state}`);
  const list = await get(box, '/api/v1/calls?limit=100');
  if (list.status !== 200) problems.push(`GET /api/v1/calls: ${list.status}`);
  else for (const c of list.body.calls) if (c.state !== 'ended') problems.push(`calls list: ${c.id} is ${c.state}`);
  return problems;
}

/** Problems of one WAV file: RIFF/WAVE, the RIFF size and the data chunk size match the file. */
export function wavProblems(path) {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const h = Buffer.alloc(Math.min(size, 128));
  readSync(fd, h, 0, h.length, 0);
  closeSync(fd);
  if (h.length < 44 || h.toString('ascii', 0, 4) !== 'RIFF' || h.toString('ascii', 8, 12) !== 'WAVE') return ['not a RIFF/WAVE file'];
  const problems = [];
  if (h.readUInt32LE(4) !== size - 8) problems.push(`RIFF size ${h.readUInt32LE(4)} for a file of ${size} bytes`);
  let at = 12;
  let align = 0;
  while (at + 8 <= h.length) {
    const id = h.toString('ascii', at, at + 4);
    const len = h.readUInt32LE(at + 4);
    if (id === 'fmt ') align = h.readUInt16LE(at + 20);
    if (id === 'data') {
      const data = size - at - 8;
      if (len !== data) problems.push(`data chunk says ${len} bytes, the file holds ${data}`);
      if (align > 0 && len % align !== 0) problems.push(`data size ${len} not a whole number of ${align}-byte frames`);
      return problems;
    }
    at += 8 + len + (len & 1);
  }
  return [...problems, 'no data chunk'];
}

/**
 * Every recording row is finished (complete or repaired; 'missing' only without audio) and each
 * WAV file not checked before has a valid header. `seen` holds the ids already checked.
 */
export function checkRecordings(dir, db, seen, stats) {
  const problems = [];
  const rows = db.prepare('SELECT id, path, format, state, bytes FROM recordings').all();
  for (const row of rows) {
    if (row.state === 'recording') problems.push(`recording ${row.id} still open after the restart`);
    if (seen.has(row.id) || row.state === 'recording') continue;
    seen.add(row.id);
    stats[row.state] = (stats[row.state] ?? 0) + 1;
    if (row.state === 'missing') continue;
    const file = join(dir, 'recordings', row.path);
    if (!existsSync(file)) problems.push(`recording ${row.id} (${row.state}) has no file ${row.path}`);
    else if (row.format !== 'opus') for (const p of wavProblems(file)) problems.push(`recording ${row.id} (${row.state}): ${p}`);
  }
  return problems;
}

/** config.json parses and the shop name is one the harness sent, no older than the last acknowledged. */
export async function checkConfig(box, dir, config) {
  const problems = [];
  try {
    JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch (e) {
    problems.push(`config.json: ${e.message}`);
  }
  const r = await get(box, '/api/v1/config');
  if (r.status !== 200) return [...problems, `GET /api/v1/config: ${r.status}`];
  const n = Number(/^chaos-(\d+)$/.exec(r.body.config.shop.name)?.[1] ?? Number.NaN);
  if (!(n >= config.acked && n <= config.sent)) {
    problems.push(`config shop.name ${r.body.config.shop.name}: expected chaos-${config.acked}..chaos-${config.sent}`);
  }
  return problems;
}

/** An outbox row for every acknowledged back-office record and for every ended call. */
export function checkOutbox(db, acked) {
  const problems = [];
  const has = db.prepare('SELECT 1 FROM outbox WHERE stream = ? AND record_id = ? LIMIT 1');
  for (const a of acked) {
    const stream = STREAMS[a.kind];
    if (stream && !has.get(stream, a.id)) problems.push(`outbox: no ${stream} row for ${a.id}`);
  }
  const calls = db
    .prepare("SELECT id FROM calls WHERE state = 'ended' AND id NOT IN (SELECT record_id FROM outbox WHERE stream = 'calls')")
    .all();
  for (const c of calls) problems.push(`outbox: no calls row for ended call ${c.id}`);
  return problems;
}
