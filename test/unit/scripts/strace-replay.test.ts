// The power-loss model (scripts/chaos/strace-replay.mjs) on hand-written strace lines: positional
// writes and truncations rebuilt, a write kept only when an fsync entered after it returned before
// the cut ('drop'), every write ('keep'), the control counting only the writer's own fsyncs, calls
// split by other threads (<unfinished ...> / resumed), answers found on TCP sockets only, and the
// config file replaced by rename only when its temp and the folder were synced.
import t from 'tap';
import { answeredAt, type Mode, parseTrace, rebuildFile, rebuildReplaced } from '../../../scripts/chaos/strace-replay.mjs';

const hex = (s: string | Buffer) => [...Buffer.from(s)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const fd = (n: number, path: string) => `${n}<${hex(path)}>`;
const DB = '/d/callbox.db';
const WAL = '/d/callbox.db-wal';
const CONFIG = '/d/config.json';
const TEMP = '/d/.config.json.7.tmp';
const watch = new Set([DB, WAL, CONFIG, '/d']);

const trace = [
  /* 0 */ `100 pwrite64(${fd(3, WAL)}, "${hex('AAAA')}", 4, 0) = 4`,
  /* 1 */ `100 pwrite64(${fd(3, WAL)}, "${hex('BB')}", 2, 4) = 2`,
  /* 2 */ `101 fsync(${fd(9, WAL)} <unfinished ...>`,
  /* 3 */ `100 pwrite64(${fd(3, WAL)}, "${hex('CC')}", 2, 6 <unfinished ...>`,
  /* 4 */ `101 <... fsync resumed>) = 0`,
  /* 5 */ `100 <... pwrite64 resumed>) = 2`,
  /* 6 */ `100 writev(21<TCP:[127.0.0.1:8080->127.0.0.1:5000]>, [{iov_base="${hex('HTTP/1.1 201 Created\r\n\r\n')}", iov_len=25}, {iov_base="${hex('{"id":"r1"}')}", iov_len=11}], 2) = 36`,
  /* 7 */ `100 write(1<UNIX-STREAM:[5->6]>, "${hex('{"msg":"made","id":"r2"}')}", 24) = 24`,
  /* 8 */ `101 fsync(${fd(9, WAL)}) = 0`,
  /* 9 */ `100 write(${fd(30, TEMP)}, "${hex('{"v":2}')}", 7) = 7`,
  /* 10 */ `100 fsync(${fd(30, TEMP)}) = 0`,
  /* 11 */ `100 rename("${hex(TEMP)}", "${hex(CONFIG)}") = 0`,
  /* 12 */ `100 fsync(${fd(31, '/d')}) = 0`,
  /* 13 */ `100 write(${fd(30, TEMP)}, "${hex('{"v":3}')}", 7) = 7`,
  /* 14 */ `100 rename("${hex(TEMP)}", "${hex(CONFIG)}") = 0`,
  /* 15 */ `100 fsync(${fd(31, '/d')}) = 0`,
  /* 16 */ `100 ftruncate(${fd(3, WAL)}, 2) = 0`,
  /* 17 */ `100 pwrite64(${fd(3, WAL)}, "${hex('X')}", 1, 0) = -1 EIO (Input/output error)`,
  /* 18 */ `100 fsync(${fd(3, WAL)}) = 0`,
].join('\n');

t.test('parse: operations in call order, with their entry and return lines', async (t) => {
  const ops = parseTrace(trace, watch);
  t.same(
    ops.map((o) => [o.kind, o.entry, o.done]),
    [
      ['write', 0, 0],
      ['write', 1, 1],
      ['sync', 2, 4],
      ['write', 3, 5],
      ['send', 6, 6],
      ['sync', 8, 8],
      ['write', 9, 9],
      ['sync', 10, 10],
      ['rename', 11, 11],
      ['sync', 12, 12],
      ['write', 13, 13],
      ['rename', 14, 14],
      ['sync', 15, 15],
      ['trunc', 16, 16],
      ['sync', 18, 18],
    ],
    'the log line on the UNIX socket and the failed write are not operations',
  );
  t.throws(() => parseTrace(`1 pwrite64(${fd(3, WAL)}, "${hex('A')}", 1) = 1`, watch), /without an offset/);
});

t.test('rebuild: what a cut keeps in each mode', async (t) => {
  const ops = parseTrace(trace, watch);
  const at = (cut: number, mode: Mode, own = false) => rebuildFile(ops, WAL, cut, mode, Math.random, own).toString();
  t.equal(at(2, 'drop'), '', 'nothing synced yet');
  t.equal(at(2, 'keep'), 'AAAABB', 'a process crash keeps what was written');
  t.equal(at(4, 'drop'), '', 'the fsync has not returned');
  t.equal(at(5, 'drop'), 'AAAABB', 'it returned: the writes before it are kept, not the one still running');
  t.equal(at(6, 'keep'), 'AAAABBCC');
  t.equal(at(9, 'drop'), 'AAAABBCC', 'the second fsync covers the third write');
  t.equal(at(9, 'drop', true), '', "control: fd 9 never wrote the WAL, so its fsyncs don't count");
  t.equal(at(17, 'keep'), 'AA', 'truncated');
  t.equal(at(17, 'drop'), 'AAAABBCC', 'the truncation is not synced yet');
  t.equal(at(19, 'drop', true), 'AA', "the writer's own fsync counts in the control");
  const random = rebuildFile(ops, WAL, 6, 'random', () => 0.9).toString();
  t.equal(random, 'AAAABB', 'random: the synced part always, the rest when the draw says so');
  t.equal(rebuildFile(ops, WAL, 6, 'random', () => 0.1).toString(), 'AAAABBCC');
  t.equal(rebuildFile(ops, DB, 19, 'keep').length, 0, 'a file never written is empty');
});

t.test('answers: on TCP sockets only, at the line of the first one naming the id', async (t) => {
  const at = answeredAt(parseTrace(trace, watch), ['r1', 'r2']);
  t.equal(at.get('r1'), 6);
  t.notOk(at.has('r2'), 'a log line is not an answer');
});

t.test('the replaced config: only a synced temp under a synced folder is durable', async (t) => {
  const ops = parseTrace(trace, watch);
  const initial = Buffer.from('{"v":1}');
  const cfg = (cut: number, mode: Mode) => rebuildReplaced(ops, CONFIG, '/d', cut, mode, initial, () => 0.1).toString();
  t.equal(cfg(12, 'drop'), '{"v":1}', 'renamed, the folder not synced yet');
  t.equal(cfg(12, 'keep'), '{"v":2}');
  t.equal(cfg(13, 'drop'), '{"v":2}', 'temp synced, renamed, folder synced');
  t.equal(cfg(19, 'drop'), '{"v":2}', 'v3 was renamed without syncing its temp: not durable');
  t.equal(cfg(19, 'keep'), '{"v":3}');
  t.equal(cfg(19, 'random'), '{"v":3}', 'random may keep the newer one');
});
