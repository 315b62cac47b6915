import t from 'tap';
import { openDatabase, SCHEMA_STEPS } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { EventWindow, HOUR_MS } from '../../../firmware/src/store/event-window.js';
import { STEP_EVENT_HOURS } from '../../../firmware/src/store/schema/18-event-hours.js';
import { mulberry32 as rng } from '../../../scripts/lib/rng.mjs';

const STEP_18 = SCHEMA_STEPS.indexOf(STEP_EVENT_HOURS);

t.test('the hour directory finds exactly the events of a range, late appends included (randomized)', (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const log = new EventLog(db);
  const rand = rng(5);
  const T0 = Date.UTC(2026, 9, 1);
  let ts = T0;
  const all: Array<{ seq: number; ts: number }> = [];
  for (let i = 0; i < 3000; i++) {
    ts += Math.floor(rand() * 5 * 60_000);
    // 3 % arrive late: stamped up to two days before the newest event.
    const at = rand() < 0.03 ? ts - Math.floor(rand() * 2 * 86_400_000) : ts;
    all.push({ seq: log.append('test.event', null, { i }, at), ts: at });
  }
  const w = new EventWindow(db);
  const inRange = db.prepare<[number, number, number, number], { seq: number }>(
    'SELECT seq FROM events WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? ORDER BY seq',
  );
  const end = ts;
  for (let k = 0; k < 300; k++) {
    const from = T0 - HOUR_MS + Math.floor(rand() * (end - T0 + 2 * HOUR_MS));
    const to = from + Math.floor(rand() * 3 * 86_400_000);
    const want = all.filter((e) => e.ts >= from && e.ts < to).map((e) => e.seq);
    const s = w.seqs(from, to);
    const got = s ? inRange.all(s[0], s[1], from, to).map((r) => r.seq) : [];
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      t.same(got, want, `range ${from}..${to}`);
      break;
    }
    const first = [...all].filter((e) => e.ts >= from).sort((a, b) => a.ts - b.ts || a.seq - b.seq)[0];
    if (w.firstAt(from) !== (first?.seq ?? null)) {
      t.equal(w.firstAt(from), first?.seq ?? null, `first at ${from}`);
      break;
    }
  }
  t.equal(w.seqs(end + 10 * HOUR_MS, end + 20 * HOUR_MS), null, 'no events: no window');
  t.equal(w.firstAt(end + 1), null);
  t.pass('300 random ranges');
  t.end();
});

t.test('step 18 on a database with data: the directory is filled, events_ts goes, call legs are all kept', (t) => {
  const file = `${t.testdir({})}/box.db`;
  const old = openDatabase(file, SCHEMA_STEPS.slice(0, STEP_18));
  // the event log as it was before step 27 (a table with the type's name and JSON text)
  const append = old.prepare("INSERT INTO events (ts, type, call_id, data) VALUES (?, 'call.ringing', ?, ?)");
  const T0 = Date.UTC(2026, 9, 1);
  for (let i = 0; i < 50; i++) append.run(T0 + i * 20 * 60_000, `c${i}`, JSON.stringify({ channel: 'fxo1', kind: 'fxo' }));
  for (let i = 0; i < 50; i++) {
    old
      .prepare("INSERT INTO calls (id, direction, state, started_at) VALUES (?, 'inbound', 'ended', ?)")
      .run(`c${i}`, T0 + i * 20 * 60_000);
    for (let idx = 0; idx < 2; idx++) {
      old
        .prepare(
          `INSERT INTO call_legs (call_id, idx, channel, kind, role, started_at, answered_at, ended_at)
           VALUES (?, ?, ?, 'fxo', 'caller', ?, NULL, ?)`,
        )
        .run(`c${i}`, idx, `fxo${idx}`, T0 + i, T0 + i + 5);
    }
  }
  const legsBefore = old.prepare('SELECT * FROM call_legs ORDER BY call_id, idx').all();
  old.close();
  const db = openDatabase(file);
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT * FROM call_legs ORDER BY call_id, idx').all(), legsBefore, 'every leg, every column');
  t.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'call_legs'").pluck().get(), /WITHOUT ROWID/);
  t.equal(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'events_ts'").pluck().get(), 0, 'events_ts dropped');
  const hours = db.prepare('SELECT hour, lo, hi FROM event_hours ORDER BY hour').all() as Array<{ hour: number; lo: number; hi: number }>;
  t.equal(hours.length, Math.floor((49 * 20) / 60) + 1, 'one row per hour with events');
  t.same(hours[0], { hour: T0 / HOUR_MS, lo: 1, hi: 3 });
  // The foreign key still holds and cascades.
  t.throws(() =>
    db.prepare("INSERT INTO call_legs (call_id, idx, channel, kind, role, started_at) VALUES ('nope', 0, 'x', 'fxo', 'caller', 1)").run(),
  );
  db.prepare("DELETE FROM calls WHERE id = 'c1'").run();
  t.equal(db.prepare("SELECT COUNT(*) FROM call_legs WHERE call_id = 'c1'").pluck().get(), 0, 'legs cascade with their call');
  // Appends keep the directory.
  new EventLog(db).append('call.ended', 'c0', {}, T0 + 100 * HOUR_MS);
  t.same(db.prepare('SELECT lo, hi FROM event_hours WHERE hour = ?').get(T0 / HOUR_MS + 100), { lo: 51, hi: 51 });
  t.end();
});
