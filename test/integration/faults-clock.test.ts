// Clock jump (issue 11's fault suite): the wall clock is stepped (NTP after a boot without an RTC,
// a technician fixing the time) back and forward in the middle of calls, on the whole box in
// virtual time. The box's timers run on their own (monotonic) time, like Node's setTimeout, so the
// test's clock keeps one virtual timeline for timers and shifts only what now() answers.
// Regression: the call record's durations followed the wall clock (the agent talked 60 s, the record
// said -59 min or 2 h 1 min); the engine now reads an AnchoredClock (hal/src/anchored-clock.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { VirtualClock } from '../../hal/src/clock.js';
import { Box } from '../../firmware/src/box.js';
import { silentLogger } from '../../firmware/src/log.js';
import { PROMPTS_DIR } from '../helpers/box.js';

/** Timers on the virtual (monotonic) timeline; now() = that timeline + a wall offset that can step. */
class SteppedClock extends VirtualClock {
  offsetMs = 0;
  override now(): number {
    return super.now() + this.offsetMs;
  }
  step(ms: number): void {
    this.offsetMs += ms;
  }
}

const HOUR = 3_600_000;

t.test('wall clock stepped back and forward mid-call: the box goes on, timers fire once, each call ends once', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-clock-'));
  const clock = new SteppedClock(Date.UTC(2026, 0, 5, 2, 10, 0)); // 10:10 in Shanghai, a Monday
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    clock,
  });
  await box.start();
  t.teardown(async () => {
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 2, talkS: 60 });

  const steps = [-HOUR, +2 * HOUR]; // NTP pulls the clock an hour back, then a technician sets it 2 h on
  const calls: string[] = [];
  const wallAtPlace: number[] = [];
  for (const step of steps) {
    wallAtPlace.push(clock.now());
    const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 600 });
    calls.push(callId);
    await clock.runUntil(() => box.service.calls.get(callId)?.state === 'talking', 60_000);
    await clock.run(20_000); // 20 s into the conversation
    clock.step(step);
    await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
    await clock.run(5_000);
  }

  const ms = (s: string | null | undefined) => (s ? Date.parse(s) : Number.NaN);
  for (const [i, id] of calls.entries()) {
    const cdr = box.service.calls.get(id);
    t.equal(cdr?.outcome, 'answered', `call ${i + 1} answered`);
    const agent = cdr?.legs.find((l) => l.role === 'agent');
    const talkMs = ms(cdr?.endedAt) - ms(agent?.answeredAt);
    // the call's times follow the monotonic clock while it is in progress; a step mid-call waits
    // for the next moment without a call
    const startedAt = ms(cdr?.startedAt);
    t.ok(
      startedAt >= (wallAtPlace[i] ?? 0) && startedAt < (wallAtPlace[i] ?? 0) + 60_000,
      `call ${i + 1}: started at the wall time (a step made before the call reaches its timestamps)`,
    );
    t.equal(talkMs, 60_000, `call ${i + 1}: the agent talked 60 s, and the record says so (stepped ${steps[i]} ms; it says ${talkMs} ms)`);
  }
  t.equal(box.engine.activeCount(), 0, 'no call left active');

  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  const ended = db.prepare("SELECT call_id, COUNT(*) AS n FROM events WHERE type = 'call.ended' GROUP BY call_id").all() as {
    call_id: string;
    n: number;
  }[];
  t.same(
    calls.map((id) => ended.find((e) => e.call_id === id)?.n ?? 0),
    [1, 1],
    'each call ended once: the hang-up timer fired once',
  );
});
