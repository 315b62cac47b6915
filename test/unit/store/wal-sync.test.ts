// WalSync (firmware/src/store/wal-sync.ts): the WAL fsynced off the event loop, concurrent callers
// sharing one fsync, a missing or re-created WAL handled. That an fsync really reaches the storage
// is what the power-loss harness shows (make powerloss, docs/RELIABILITY.md).
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openDatabase } from '../../../firmware/src/store/db.js';
import { WalSync } from '../../../firmware/src/store/wal-sync.js';

/** What this process's descriptors point at that names `file` (Linux /proc). */
const openAs = (file: string): string[] =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((l) => l.startsWith(file));

const fresh = (t: { teardown(fn: () => void): void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-walsync-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'callbox.db');
  const db = openDatabase(path);
  db.exec('CREATE TABLE t (x INTEGER) STRICT');
  return { path, db };
};

t.test('one caller: one fsync of the WAL', async (t) => {
  const { path, db } = fresh(t);
  const w = new WalSync(path);
  db.prepare('INSERT INTO t VALUES (1)').run();
  await w.sync();
  t.same(w.stats, { syncs: 1, requests: 1 });
  await w.sync();
  t.same(w.stats, { syncs: 2, requests: 2 }, 'each later call syncs again (a commit may have come between)');
  w.close();
  db.close();
});

t.test('callers during a running sync share the next one (group commit)', async (t) => {
  const { path, db } = fresh(t);
  const w = new WalSync(path);
  db.prepare('INSERT INTO t VALUES (1)').run();
  const all = Array.from({ length: 20 }, () => w.sync());
  await Promise.all(all);
  t.equal(w.stats.requests, 20);
  t.equal(w.stats.syncs, 2, 'the first caller runs one; the other 19 share the one after it');
  w.close();
  db.close();
});

t.test('no WAL file: resolves without syncing; a WAL made again later is found', async (t) => {
  const { path, db } = fresh(t);
  db.close(); // the last connection's close checkpoints and removes the WAL
  const w = new WalSync(path);
  await w.sync();
  t.equal(w.stats.syncs, 0, 'nothing to sync');
  const db2 = openDatabase(path);
  db2.prepare('INSERT INTO t VALUES (2)').run();
  await w.sync();
  t.equal(w.stats.syncs, 1, 'the new WAL is opened and synced');
  db2.close(); // removes it again: the descriptor now points at a deleted file
  const db3 = openDatabase(path);
  db3.prepare('INSERT INTO t VALUES (3)').run();
  await w.sync();
  t.equal(w.stats.syncs, 2);
  t.same(
    openAs(`${path}-wal`).filter((l) => l.endsWith('(deleted)')),
    [],
    'the WAL made again is opened again: no descriptor left on the deleted one',
  );
  w.close();
  await w.sync();
  t.equal(w.stats.syncs, 2, 'closed: resolves at once');
  db3.close();
});

t.test('closed while an fsync runs: that fsync still answers its callers, then the descriptor closes', async (t) => {
  const { path, db } = fresh(t);
  const w = new WalSync(path);
  db.prepare('INSERT INTO t VALUES (1)').run();
  await w.sync(); // the descriptor is open
  const before = openAs(`${path}-wal`).length; // SQLite's own and ours
  const running = w.sync();
  const queued = w.sync();
  w.close();
  await t.resolves(running, 'no EBADF for the fsync in flight');
  await t.resolves(queued);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(openAs(`${path}-wal`).length, before - 1, 'our WAL descriptor is closed (SQLite keeps its own)');
  db.close();
});
