// The power-loss model of `make powerloss` (scripts/powerloss.mjs): the box's file writes, fsyncs
// and answers, as recorded by `strace -f -qq -yy -xx -s <big> -e trace=<SYSCALLS>`, parsed into
// operations in the order they happened, and the database and config files rebuilt as a power cut
// at any moment would leave them on a storage that keeps only what was fsynced ("drop"), some of
// the rest in any order ("random"), or all of it (a process crash: "keep").
//
// A write is covered by an fsync of its file (any descriptor: the page cache is the inode's) that
// was entered after the write returned; a power cut at operation c keeps the writes covered by an
// fsync that returned before c. The config file is replaced by rename (temp file, fsync, rename,
// fsync of the folder): after a cut it is the newest replacement whose temp was synced before the
// rename and whose folder fsync returned before c ("drop"); "keep"/"random" may also take newer ones.

export const SYSCALLS = 'pwrite64,pwritev,write,writev,fsync,fdatasync,ftruncate,rename,renameat,renameat2';

const LINE = /^(\d+)\s+(?:<\.\.\. (\w+) resumed>(.*)|(\w+)\((.*))$/;
const STR = /"((?:\\x[0-9a-f]{2})*)"/g;

/** Bytes of strace's -xx string body (`\x41\x42` → AB). */
export function unhex(s) {
  return Buffer.from(s.replace(/\\x/g, ''), 'hex');
}

/**
 * The first argument's descriptor and what -yy says it is: a path (`23<\x2f…>` → '/…', escaped
 * by -xx) or a socket (`21<TCP:[127.0.0.1:8080->127.0.0.1:5555]>`, not escaped).
 */
function fdArg(args) {
  const m = /^(\d+)<([^>]*)>/.exec(args);
  if (!m) return null;
  const raw = m[2].replace(/\\x([0-9a-f]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  return { fd: Number(m[1]), path: Buffer.from(raw, 'latin1').toString('utf8') };
}

const strings = (args) => [...args.matchAll(STR)].map((m) => unhex(m[1]));
const result = (text) => {
  const m = /\)\s*=\s*(-?\d+)/.exec(text);
  return m ? Number(m[1]) : null;
};

/**
 * Parse the trace into { ops, files } for the files in `watch` (absolute paths of the database,
 * its WAL, the config file and the data folder). ops are in trace order, each with `entry` and
 * `done` (line numbers of the call and its return):
 *  { kind: 'write', path, offset, data, fd } (offset null: a sequential write, e.g. a temp file)
 *  { kind: 'trunc', path, length, fd }   { kind: 'sync', path, fd }
 *  { kind: 'rename', from, to }          { kind: 'send', data } (a socket write: an answer)
 */
export function parseTrace(text, watch) {
  const pending = new Map(); // pid -> { name, args, entry }
  const ops = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const m = LINE.exec(lines[n]);
    if (!m) continue;
    const pid = m[1];
    let name;
    let args;
    let entry = n;
    if (m[2]) {
      const p = pending.get(pid);
      if (!p || p.name !== m[2]) continue;
      pending.delete(pid);
      name = p.name;
      args = p.args + m[3];
      entry = p.entry;
    } else {
      name = m[4];
      args = m[5];
      if (args.endsWith('<unfinished ...>')) {
        pending.set(pid, { name, args: args.slice(0, -'<unfinished ...>'.length).trimEnd(), entry: n });
        continue;
      }
    }
    const ret = result(args);
    if (ret === null || ret < 0) continue;
    const op = toOp(name, args, ret, watch);
    if (op) ops.push({ ...op, entry, done: n });
  }
  return ops.sort((a, b) => a.entry - b.entry);
}

function toOp(name, args, ret, watch) {
  if (name === 'rename' || name === 'renameat' || name === 'renameat2') {
    const [from, to] = strings(args).map((b) => b.toString('utf8'));
    return watch.has(to) ? { kind: 'rename', from, to } : null;
  }
  const f = fdArg(args);
  if (!f) return null;
  // answers to HTTP clients: TCP only (the box's stdout to its parent is a UNIX socket: log lines)
  if (/^TCP6?:/.test(f.path)) {
    return name === 'write' || name === 'writev' ? { kind: 'send', data: Buffer.concat(strings(args)).subarray(0, ret) } : null;
  }
  const temp = [...watch].some((w) => f.path.startsWith(`${w.replace(/[^/]+$/, '')}.${w.replace(/^.*\//, '')}.`));
  if (!watch.has(f.path) && !temp) return null;
  if (name === 'fsync' || name === 'fdatasync') return { kind: 'sync', path: f.path, fd: f.fd };
  if (name === 'ftruncate') return { kind: 'trunc', path: f.path, length: Number(/,\s*(\d+)\)/.exec(args)?.[1] ?? 0), fd: f.fd };
  const data = Buffer.concat(strings(args)).subarray(0, ret);
  if (name === 'pwrite64' || name === 'pwritev') {
    // pwrite64(fd, buf, count, offset) / pwritev(fd, iov, iovcnt, offset): the last two numbers
    const offset = Number(/,\s*\d+\s*,\s*(\d+)\s*\)\s*=/.exec(args)?.[1]);
    if (!Number.isInteger(offset)) throw new Error(`${name} without an offset: ${args.slice(0, 80)}…${args.slice(-80)}`);
    return { kind: 'write', path: f.path, offset, data, fd: f.fd };
  }
  return { kind: 'write', path: f.path, offset: null, data, fd: f.fd };
}

/**
 * Which writes of `path` a power cut before line `cut` keeps: 'drop' only those covered by a
 * returned fsync, 'keep' every one entered, 'random' the covered ones and each other with p = 0.5.
 * `ownSyncsOnly`: count only fsyncs on a descriptor that wrote the file (the control run: what
 * the box would keep without its extra fsync before answering).
 */
function kept(ops, path, cut, mode, random, ownSyncsOnly) {
  const writers = new Set();
  let covered = -1; // writes done before this line are on the storage
  for (const op of ops) {
    if (op.entry >= cut) break;
    if (op.path !== path) continue;
    if (op.kind === 'write' || op.kind === 'trunc') writers.add(op.fd);
    if (op.kind === 'sync' && op.done < cut && (!ownSyncsOnly || writers.has(op.fd))) covered = Math.max(covered, op.entry);
  }
  return ops.filter(
    (op) =>
      op.path === path &&
      (op.kind === 'write' || op.kind === 'trunc') &&
      op.entry < cut &&
      (op.done < covered || mode === 'keep' || (mode === 'random' && random() < 0.5)),
  );
}

/** The bytes of a file made of positional writes and truncations (the database, its WAL). */
export function rebuildFile(ops, path, cut, mode, random = Math.random, ownSyncsOnly = false) {
  const ops_ = kept(ops, path, cut, mode, random, ownSyncsOnly);
  // one buffer as large as the file ever gets; `size` is the file's length as the ops leave it
  const buf = Buffer.alloc(Math.max(0, ...ops_.map((op) => (op.kind === 'trunc' ? op.length : op.offset + op.data.length))));
  let size = 0;
  for (const op of ops_) {
    if (op.kind === 'trunc') {
      if (op.length > size) buf.fill(0, size, op.length);
      size = op.length;
      continue;
    }
    if (op.offset > size) buf.fill(0, size, op.offset); // a hole reads as zeros
    op.data.copy(buf, op.offset);
    size = Math.max(size, op.offset + op.data.length);
  }
  return buf.subarray(0, size);
}

/**
 * The config file after a cut before `cut`: the newest replacement that is durable (its temp file
 * synced before the rename, the folder synced after it, before the cut), else `initial`; with
 * 'keep' the newest rename at all, with 'random' a durable one or any newer one.
 */
export function rebuildReplaced(ops, target, folder, cut, mode, initial, random = Math.random) {
  const temps = new Map(); // temp path -> { data, syncedAt }
  const candidates = []; // { data, durable }
  for (const op of ops) {
    if (op.entry >= cut) break;
    if (op.kind === 'write' && op.offset === null && op.path !== target) {
      const t = temps.get(op.path) ?? { data: Buffer.alloc(0), syncedAt: null };
      temps.set(op.path, { data: Buffer.concat([t.data, op.data]), syncedAt: null });
    } else if (op.kind === 'sync' && temps.has(op.path) && op.done < cut) {
      temps.get(op.path).syncedAt = op.done;
    } else if (op.kind === 'rename' && op.to === target) {
      const t = temps.get(op.from);
      temps.delete(op.from);
      if (!t) continue;
      const folderSynced = ops.some((s) => s.kind === 'sync' && s.path === folder && s.entry > op.done && s.done < cut);
      candidates.push({ data: t.data, durable: t.syncedAt !== null && t.syncedAt < op.entry && folderSynced });
    }
  }
  let out = initial;
  let lastDurable = -1;
  candidates.forEach((c, i) => {
    if (c.durable) lastDurable = i;
  });
  if (lastDurable >= 0) out = candidates[lastDurable].data;
  if (mode === 'keep' && candidates.length) return candidates.at(-1).data;
  if (mode === 'random') for (const c of candidates.slice(lastDurable + 1)) if (random() < 0.5) out = c.data;
  return out;
}

/** Line of the first answer (socket write) that names each id in `ids`: when the client could know it. */
export function answeredAt(ops, ids) {
  const want = new Set(ids);
  const at = new Map();
  for (const op of ops) {
    if (op.kind !== 'send' || !want.size) continue;
    const text = op.data.toString('utf8');
    for (const id of want) {
      if (text.includes(`"${id}"`)) {
        at.set(id, op.entry);
        want.delete(id);
      }
    }
  }
  return at;
}
