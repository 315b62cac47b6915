// Clock.monotonic() and AnchoredClock (hal/src/anchored-clock.ts): a wall step does not bend
// durations measured while the clock may not resync; it is taken at the next quiet moment.
import t from 'tap';
import { AnchoredClock } from '../../../hal/src/anchored-clock.js';
import { SystemClock, VirtualClock } from '../../../hal/src/clock.js';

class SteppedClock extends VirtualClock {
  offsetMs = 0;
  override now(): number {
    return super.now() + this.offsetMs;
  }
}

t.test('monotonic(): a wall step does not move it', async (t) => {
  const base = new SteppedClock(1_000_000);
  const m0 = base.monotonic();
  base.offsetMs = -3_600_000;
  t.equal(base.monotonic(), m0, 'step back: monotonic unchanged');
  base.advance(500);
  t.equal(base.monotonic() - m0, 500, 'moves with the timers');
  const sys = new SystemClock();
  const a = sys.monotonic();
  await new Promise((r) => setTimeout(r, 20));
  const b = sys.monotonic();
  t.ok(b - a >= 15 && b - a < 1_000, `system monotonic moves forward (${b - a} ms)`);
});

t.test('AnchoredClock: durations follow the monotonic time while busy, the step arrives when idle', async (t) => {
  const base = new SteppedClock(Date.UTC(2026, 0, 5, 2, 0, 0));
  let busy = true;
  const clock = new AnchoredClock(base, () => !busy);
  const start = clock.now();
  t.equal(start, base.now(), 'starts on the wall time');
  base.advance(20_000);
  base.offsetMs = -3_600_000; // NTP steps back an hour mid-call
  base.advance(40_000);
  t.equal(clock.now() - start, 60_000, 'busy: 60 s measured, the step is not in it');
  t.equal(clock.drift(), 3_600_000, 'drift shows the pending step');
  let fired = 0;
  clock.setTimeout(() => fired++, 1_000);
  base.advance(1_000);
  t.equal(fired, 1, 'timers are the base clock’s');
  busy = false;
  t.equal(clock.now(), base.now(), 'idle: resynced to the wall time');
  t.equal(clock.drift(), 0, 'no drift after the resync');
  base.offsetMs += 7_200_000; // and forward two hours
  t.equal(clock.now(), base.now(), 'idle: a step shows at once');
});

t.test('AnchoredClock on the system clock: whole milliseconds (regression: fractional ts refused by SQLite INTEGER)', async (t) => {
  const clock = new AnchoredClock(new SystemClock(), () => false);
  await new Promise((r) => setTimeout(r, 3));
  const now = clock.now();
  t.ok(Number.isInteger(now), `an integer (${now})`);
  t.ok(Math.abs(now - Date.now()) < 1_000, 'close to Date.now()');
});
