import path from 'node:path';
import t from 'tap';
import { migrateSchema, openDatabase, PAGE_CACHE_KIB, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';

t.test('the database opens in WAL mode with the pragmas set and the schema applied', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  const db = openDatabase(file);
  t.teardown(() => db.close());
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(db.pragma('synchronous', { simple: true }), 1, 'synchronous=NORMAL');
  t.equal(db.pragma('foreign_keys', { simple: true }), 1);
  t.equal(db.pragma('busy_timeout', { simple: true }), 5000);
  t.equal(db.pragma('cache_size', { simple: true }), -PAGE_CACHE_KIB, "page cache capped (2 MB), not better-sqlite3's 16 MB");
  t.equal(PAGE_CACHE_KIB, 2000);
  t.equal(db.pragma('user_version', { simple: true }), SCHEMA_STEPS.length);
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
  const core = [
    'audit',
    'call_legs',
    'callbacks',
    'calls',
    'customers',
    'event_log',
    'event_types',
    'orders',
    'outbox',
    'recordings',
    'settings',
  ];
  for (const name of [...core, 'tickets', 'tokens', 'users', 'voicemails']) t.ok(tables.includes(name), `table ${name}`);
  t.end();
});

t.test('a box whose callback store made its own table (before schema step 5) migrates cleanly', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, 4));
  old.exec(`CREATE TABLE callbacks (id TEXT PRIMARY KEY, call_id TEXT NOT NULL, queue TEXT NOT NULL, number TEXT NOT NULL,
    requested_at INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('waiting', 'dialing', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0, result_call_id TEXT, updated_at INTEGER NOT NULL) STRICT;
    INSERT INTO callbacks VALUES ('cb1', 'c1', 'main', '13800000000', 1, 'waiting', 0, NULL, 1);`);
  old.close();
  const db = openDatabase(file);
  t.teardown(() => db.close());
  t.equal(db.pragma('user_version', { simple: true }), SCHEMA_STEPS.length);
  t.equal(db.prepare('SELECT number FROM callbacks WHERE id = ?').pluck().get('cb1'), '13800000000', 'the waiting callback is kept');
  t.end();
});

t.test('reopening applies nothing twice; a newer database is refused', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  openDatabase(file).close();
  const db = openDatabase(file);
  t.equal(migrateSchema(db, SCHEMA_STEPS), SCHEMA_STEPS.length);
  db.pragma(`user_version = ${SCHEMA_STEPS.length + 1}`);
  db.close();
  t.throws(() => openDatabase(file), { code: 'UNAVAILABLE', message: /newer than this firmware/ });
  t.end();
});

t.test('a failing schema step rolls back entirely', (t) => {
  const file = path.join(t.testdir({}), 'box.db');
  openDatabase(file).close();
  const steps = [...SCHEMA_STEPS, 'CREATE TABLE extra (x INTEGER); INSERT INTO nope VALUES (1);'];
  t.throws(() => openDatabase(file, steps), /no such table: nope/);
  const db = openDatabase(file);
  t.teardown(() => db.close());
  t.equal(db.pragma('user_version', { simple: true }), SCHEMA_STEPS.length);
  t.equal(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'extra'").pluck().get(), 0);
  t.end();
});

t.test('the event log is append-only and reads in order', (t) => {
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  const log = new EventLog(db);
  const seqs = [1, 2, 3, 4, 5].map((n) => log.append(`t${n}`, n % 2 ? 'c1' : null, { n }, 1000 + n));
  t.same(seqs, [1, 2, 3, 4, 5]);
  t.same(log.since(3, 10), [
    { seq: 4, ts: 1004, type: 't4', callId: null, data: { n: 4 } },
    { seq: 5, ts: 1005, type: 't5', callId: 'c1', data: { n: 5 } },
  ]);
  t.same(
    log.since(0, 2).map((e) => e.seq),
    [1, 2],
  );
  t.same(
    log.tail(2).map((e) => e.seq),
    [4, 5],
  );
  t.throws(() => db.prepare("UPDATE events SET type = 'x' WHERE seq = 1").run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM events WHERE seq = 1').run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM events').run(), /append-only/);
  t.equal(log.tail(100).length, 5);
  t.equal(log.tail(1)[0]?.type, 't5');
  t.throws(() => log.append('bad', null, {}, 1.5), 'timestamps must be integers');
  t.end();
});
