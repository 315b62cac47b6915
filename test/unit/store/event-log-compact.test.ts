import t from 'tap';
import { openDatabase, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { EVENT_TYPE_SEED, eventTypeId } from '../../../firmware/src/store/schema/27-event-log-compact.js';

const STEP_27 = 26; // user_version before step 27
const T0 = Date.UTC(2026, 9, 1, 8);

interface Row {
  seq: number;
  ts: number;
  type: string;
  call_id: string | null;
  data: string;
}

t.test('step 27 keeps every event as it was: seq, ts, type, call id and the JSON', (t) => {
  const file = `${t.testdir({})}/box.db`;
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, STEP_27));
  const insert = old.prepare('INSERT INTO events (ts, type, call_id, data) VALUES (?, ?, ?, ?)');
  const datas = [
    { channel: 'fxo1', kind: 'fxo' },
    { number: '13800138000', name: '张三 "VIP"' },
    { agent: 'a1', state: 'available', prev: 'loggedOut' },
    { n: 1.5, big: 12345678901234, neg: -3, nested: { list: [1, 'two', null, true] }, emoji: '😀', esc: 'a\\b\n' },
    null,
  ];
  const types = ['call.ringing', 'call.callerId', 'agent.state', 'some.future.type', 'callback.requested'];
  for (let i = 0; i < 200; i++) {
    insert.run(T0 + i * 61_000, types[i % 5], i % 5 === 2 ? null : `c${i >> 2}`, JSON.stringify(datas[i % 5]));
  }
  const before = old.prepare('SELECT seq, ts, type, call_id, data FROM events ORDER BY seq').all() as Row[];
  old.close();

  const db = openDatabase(file);
  t.teardown(() => db.close());
  t.equal(db.pragma('user_version', { simple: true }), SCHEMA_STEPS.length);
  const after = db.prepare('SELECT seq, ts, type, call_id, data FROM events ORDER BY seq').all() as Row[];
  t.same(after, before, 'the view shows the same rows, the JSON text byte for byte');
  t.same(
    after.map((r) => JSON.parse(r.data)),
    before.map((r) => JSON.parse(r.data)),
  );
  const tableOf = (name: string) => db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck().get(name);
  t.equal(tableOf('events'), 'view');
  t.equal(tableOf('event_log'), 'table');
  t.equal(db.prepare("SELECT id FROM event_types WHERE name = 'agent.state'").pluck().get(), eventTypeId('agent.state'));
  t.ok(
    (db.prepare("SELECT id FROM event_types WHERE name = 'some.future.type'").pluck().get() as number) > EVENT_TYPE_SEED.length,
    'a type the seed does not know gets an id after the seeded ones',
  );

  // appends go on after the last seq, through the log and through the view
  const log = new EventLog(db);
  const seq = log.append('call.ended', 'c99', { outcome: 'answered' }, T0 + 300 * 61_000);
  t.equal(seq, before.at(-1)?.seq === undefined ? 1 : (before.at(-1)?.seq ?? 0) + 1);
  db.prepare('INSERT INTO events (ts, type, call_id, data) VALUES (?, ?, ?, ?)').run(T0, 'brand.new', null, '{"x":1}');
  const last = log.tail(2);
  t.same(
    last.map((e) => [e.type, e.data]),
    [
      ['call.ended', { outcome: 'answered' }],
      ['brand.new', { x: 1 }],
    ],
  );
  t.throws(() => db.prepare("UPDATE events SET type = 'x'").run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM events').run(), /append-only/);
  t.throws(() => db.prepare('DELETE FROM event_log').run(), /append-only/);
  t.throws(() => db.prepare('UPDATE event_log SET ts = 0').run(), /append-only/);

  // the hour directory still follows the appends (the late one widened its hour)
  const hour = db.prepare('SELECT lo, hi FROM event_hours WHERE hour = ?').get(Math.floor(T0 / 3_600_000)) as { lo: number; hi: number };
  t.equal(hour.hi, seq + 1, 'the event appended late is in its hour');
  t.end();
});

t.test('a new type appended in a transaction that is rolled back leaves no dangling id', (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const log = new EventLog(db);
  t.throws(() =>
    db.transaction(() => {
      log.append('experiment.one', null, { a: 1 }, T0);
      throw new Error('rolled back');
    })(),
  );
  t.equal(db.prepare("SELECT COUNT(*) FROM event_types WHERE name = 'experiment.one'").pluck().get(), 0);
  log.append('experiment.one', null, { a: 2 }, T0 + 1);
  t.same(
    log.tail(5).map((e) => [e.type, e.data]),
    [['experiment.one', { a: 2 }]],
    'appended again after the rollback, with its name',
  );
  t.end();
});

t.test('the readers of agent and callback events use the partial indexes on event_log', (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const indexes = db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'events_%'").all();
  t.same(indexes, [
    { name: 'events_callbacks', tbl_name: 'event_log' },
    { name: 'events_agent_state', tbl_name: 'event_log' },
  ]);
  t.end();
});
