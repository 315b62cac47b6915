// A generated day of events: computeKpis against an independent brute-force computation
// (SQL over the events table, call_id-linked wrap-ups, per-second sampling).
import t, { type Test } from 'tap';
import { computeKpis } from '../../../firmware/src/kpi/compute.js';
import type { CallKpis, KpiReport } from '../../../firmware/src/kpi/types.js';
import { openDatabase } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { type BruteCalls, bruteForce } from './fixtures/brute-force.js';
import { randomDay } from './fixtures/random-day.js';

const DAY = Date.UTC(2025, 2, 4); // a Tuesday
const H = 3_600_000;
const LINES = 3;

function expected(b: BruteCalls): Omit<CallKpis, 'offered'> & { offered: number } {
  const r = (a: number, d: number): number | null => (d > 0 ? a / d : null);
  const s = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
  return {
    offered: b.offered,
    answered: b.answered,
    abandoned: b.abandoned,
    shortAbandoned: b.short,
    timedOut: b.timedOut,
    overflowed: b.overflowed,
    answeredWithinThreshold: b.within,
    serviceLevel: r(b.within, b.answered),
    serviceLevelWithAbandons: r(b.within, b.answered + b.abandoned - b.short),
    answerRate: r(b.answered, b.offered),
    abandonRate: r(b.abandoned, b.offered),
    asaS: s(r(b.waitSumMs, b.answered)),
    longestWaitS: s(b.longestMs),
    handled: b.handled,
    attS: s(r(b.talkMs, b.handled)),
    acwS: s(r(b.wrapMs, b.handled)),
    ahtS: s(r(b.talkMs + b.wrapMs, b.handled)),
  };
}

function close(t: Test, found: Record<string, unknown>, wanted: Record<string, unknown>, what: string): void {
  for (const [k, w] of Object.entries(wanted)) {
    const f = found[k];
    if (typeof w === 'number' && typeof f === 'number')
      t.ok(Math.abs(f - w) <= 1e-9 * Math.max(1, Math.abs(w)), `${what} ${k}: ${f} ≈ ${w}`);
    else t.equal(f, w, `${what} ${k}`);
  }
}

for (const seed of [1, 7, 42]) {
  t.test(`random day (seed ${seed}) matches the brute-force computation`, (t) => {
    const events = randomDay({ seed, day: DAY, lines: LINES });
    const db = openDatabase(':memory:');
    t.teardown(() => db.close());
    const log = new EventLog(db);
    db.transaction(() => {
      for (const e of events) log.append(e.type, e.callId, e.data, e.ts);
    })();

    const whole = computeKpis(events, { from: DAY, to: DAY + 24 * H }, { lines: LINES });
    // The day must exercise what it is meant to check.
    t.ok(whole.offered > 100, `${whole.offered} calls offered`);
    t.ok(whole.overflowed > 0, `${whole.overflowed} overflows`);
    t.ok(whole.shortAbandoned > 0 && whole.abandoned > whole.shortAbandoned, 'short and long abandons');
    t.ok((whole.allLinesBusyMinutes ?? 0) > 1, `${whole.allLinesBusyMinutes} minutes all lines busy`);
    t.ok(
      whole.byAgent.some((a) => a.pausedS > 0 && a.missed > 0),
      'agents pause and miss offers',
    );
    t.ok(whole.handled > 50 && (whole.acwS ?? 0) > 0, 'calls with wrap-up');

    const ranges: [string, number, number][] = [
      ['whole day', DAY, DAY + 24 * H],
      ['09:30-13:15', DAY + 9.5 * H, DAY + 13.25 * H],
      ['one busy hour', DAY + 10 * H + 17_000, DAY + 11 * H + 17_000],
      ['16:45-24:00', DAY + 16.75 * H, DAY + 24 * H],
    ];
    for (const [name, from, to] of ranges) {
      const q = { from, to, slThresholdS: 20, shortAbandonS: 5 };
      const r: KpiReport = computeKpis(events, q, { lines: LINES });
      const b = bruteForce(db, events, { ...q, lines: LINES });
      close(t, r as unknown as Record<string, unknown>, expected(b.top), `${name} top`);
      t.same(
        r.byQueue.map((x) => x.queue),
        [...b.queues.keys()].sort(),
        `${name} queues`,
      );
      for (const qk of r.byQueue)
        close(
          t,
          qk as unknown as Record<string, unknown>,
          { queue: qk.queue, ...expected(b.queues.get(qk.queue) as BruteCalls) },
          `${name} ${qk.queue}`,
        );
      t.equal(r.allLinesBusyMinutes, b.allBusyS / 60, `${name} all lines busy`);
      let work = 0;
      let avail = 0;
      for (const a of r.byAgent) {
        const ba = b.agents.get(a.agent);
        if (!ba) {
          t.fail(`${name}: agent ${a.agent} unknown to brute force`);
          continue;
        }
        const sec = ba.seconds;
        const loggedIn = sec.available + sec.ringing + sec.onCall + sec.wrapUp + sec.paused;
        work += sec.onCall + sec.wrapUp;
        avail += loggedIn - sec.paused;
        close(
          t,
          a as unknown as Record<string, unknown>,
          {
            answered: ba.answered,
            missed: ba.missed,
            handled: ba.handled,
            talkS: ba.talkMs / 1000,
            acwS: ba.handled ? ba.wrapMs / ba.handled / 1000 : null,
            loggedInS: loggedIn,
            pausedS: sec.paused,
            onCallS: sec.onCall,
            wrapUpS: sec.wrapUp,
            occupancy: loggedIn - sec.paused > 0 ? (sec.onCall + sec.wrapUp) / (loggedIn - sec.paused) : null,
          },
          `${name} ${a.agent}`,
        );
      }
      close(t, { occupancy: r.occupancy }, { occupancy: avail > 0 ? work / avail : null }, name);
    }
    t.end();
  });
}
