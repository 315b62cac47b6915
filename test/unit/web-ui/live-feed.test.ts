// service.live (firmware/src/service/live.ts) over a real event log and the engine's emitter:
// each recorded event reaches subscribers with its log seq, `since` resumes from the log, a
// throwing subscriber is contained, the engine is unhooked when nobody listens, and today starts
// at local midnight of the shop's time zone.
import { pino } from 'pino';
import t from 'tap';
import type { EngineEvents } from '../../../firmware/src/calls/engine-types.js';
import { LiveFeed } from '../../../firmware/src/service/live.js';
import { localMidnight } from '../../../firmware/src/tz/zone.js';
import type { LiveEvent } from '../../../firmware/src/service/types.js';
import { openDatabase } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { TypedEmitter } from '../../../hal/src/events.js';

function setup() {
  const db = openDatabase(':memory:');
  const log = new EventLog(db);
  const engineEvents = new TypedEmitter<EngineEvents>();
  const clock = new VirtualClock(Date.UTC(2026, 10, 26, 17, 30)); // 01:30 on the 27th in Shanghai
  const feed = new LiveFeed({ db, events: log, engineEvents, clock, log: pino({ level: 'silent' }), timeZone: () => 'Asia/Shanghai' });
  /** What the call journal does: write the row, then emit. */
  const record = (type: string, callId: string | null, data: unknown): void => {
    log.append(type, callId, data, clock.now());
    engineEvents.emit('event', { type: type as never, callId, data, ts: clock.now() });
  };
  return { db, log, engineEvents, clock, feed, record };
}

t.test('subscribers get every recorded event with its seq; since() resumes', (t) => {
  const { feed, record, engineEvents } = setup();
  record('call.ringing', 'c0', { line: 'fxo1' }); // before anyone listens
  const got: LiveEvent[] = [];
  const off = feed.subscribe((e) => got.push(e));
  feed.subscribe(() => {
    throw new Error('a broken subscriber');
  });
  record('queue.enter', 'c0', { queue: 'main' });
  record('agent.state', null, { agent: 'a1', state: 'ringing', prev: 'available' });
  t.same(
    got.map((e) => [e.seq, e.type, e.callId]),
    [
      [2, 'queue.enter', 'c0'],
      [3, 'agent.state', null],
    ],
  );
  t.equal(feed.lastSeq(), 3);
  t.same(
    feed.since(1, 100).map((e) => e.seq),
    [2, 3],
  );
  t.same(feed.since(3, 100), []);
  off();
  record('call.ended', 'c0', {});
  t.equal(got.length, 2, 'unsubscribed');
  t.ok(engineEvents, 'the engine emitter kept working with a throwing subscriber');
  t.end();
});

t.test('the engine is listened to only while someone subscribes', (t) => {
  const { feed, engineEvents } = setup();
  const count = (): number => ((engineEvents as unknown as { listeners: { event?: unknown[] } }).listeners.event ?? []).length;
  t.equal(count(), 0);
  const a = feed.subscribe(() => undefined);
  const b = feed.subscribe(() => undefined);
  t.equal(count(), 1, 'one engine listener for all subscribers');
  a();
  b();
  t.equal(count(), 0);
  t.end();
});

t.test('today starts at local midnight in the shop time zone', (t) => {
  const { feed } = setup();
  t.equal(new Date(feed.todayStart()).toISOString(), '2026-11-26T16:00:00.000Z', 'Shanghai midnight of the 27th');
  t.equal(new Date(localMidnight(Date.UTC(2026, 2, 29, 12), 'Europe/Berlin')).toISOString(), '2026-03-28T23:00:00.000Z', 'DST day');
  t.equal(new Date(localMidnight(Date.UTC(2026, 5, 1, 3), 'UTC')).toISOString(), '2026-06-01T00:00:00.000Z');
  t.end();
});
