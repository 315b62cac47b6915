/**
 * The bench test of a HAT (`callbox hw selftest`): walks a technician through each port and
 * checks what the driver sees. FXO: call the line (ring detected, cadence, caller ID), the box
 * answers, press digits (DTMF heard), hang up (polarity reversal or busy tone heard). FXS: the
 * phone rings with a test caller ID, lift it, dial tone, press digits, flash the hook, hang up.
 * Then the audio figures per device. Each step has a time limit; a step that fails says what the
 * driver saw. The technician's side is `prompt(action, text)`: a person reading the text, or the
 * bench simulator (`bench-sim.ts`) performing the action.
 */
import type { CallerIdInfo, ChannelEvents } from '../../channel.js';
import type { Clock } from '../../clock.js';
import { ToneGenerator } from '../../dsp/tone.js';
import { tonePreset } from '../../dsp/tone-presets.js';
import type { FxoPort } from './fxo-port.js';
import type { FxsPort } from './fxs-port.js';
import type { PiHatDriver } from './pihat-driver.js';

export type SelftestAction = 'callLine' | 'pressDigits' | 'hangUpCaller' | 'liftPhone' | 'pressDigitsOnPhone' | 'flashHook' | 'hangUpPhone';

export interface SelftestStep {
  port: string;
  step: string;
  ok: boolean;
  detail: string;
}

export interface SelftestIo {
  /** Ask the technician to do something on a port (digits: what to press). */
  prompt(action: SelftestAction, port: string, text: string, digits?: string): void;
  result(step: SelftestStep): void;
}

export interface SelftestOptions {
  clock: Clock;
  io: SelftestIo;
  /** Ports to test (default all). */
  ports?: string[];
  /** Digits the technician presses (default 159#). */
  digits?: string;
  /** Time limit per step (default 30 s). */
  stepTimeoutMs?: number;
  /** The caller ID the box sends to FXS phones. */
  callerId?: CallerIdInfo;
}

export const SELFTEST_CALLER_ID: CallerIdInfo = { number: '10086', name: '自检 TEST' };

export async function runSelftest(driver: PiHatDriver, o: SelftestOptions): Promise<SelftestStep[]> {
  const steps: SelftestStep[] = [];
  const record = (port: string, step: string, ok: boolean, detail: string) => {
    const s = { port, step, ok, detail };
    steps.push(s);
    o.io.result(s);
    return ok;
  };
  const digits = o.digits ?? '159#';
  const limit = o.stepTimeoutMs ?? 30_000;
  /** Resolves with the event's payload, or null after the time limit. */
  const wait = <K extends keyof ChannelEvents>(port: FxoPort | FxsPort, event: K, ms = limit): Promise<ChannelEvents[K] | null> =>
    new Promise((resolve) => {
      const timer = o.clock.setTimeout(() => {
        off();
        resolve(null);
      }, ms);
      const off = port.events.once(event, (p) => {
        timer.cancel();
        resolve(p);
      });
    });
  const collect = async (port: FxoPort | FxsPort): Promise<string> => {
    const got: string[] = [];
    const off = port.events.on('digit', (d) => got.push(d.digit));
    const until = o.clock.now() + limit;
    while (got.join('') !== digits && o.clock.now() < until && got.length < digits.length + 4) {
      await new Promise<void>((r) => o.clock.setTimeout(r, 100));
    }
    off();
    return got.join('');
  };

  for (const port of driver.ports) {
    if (o.ports && !o.ports.includes(port.id)) continue;
    if (port.kind === 'fxo') {
      const fxo = port as FxoPort;
      const t0 = o.clock.now();
      const cid = wait(fxo, 'callerId');
      const ring = wait(fxo, 'ring');
      o.io.prompt('callLine', fxo.id, `${fxo.id}: call the shop line on this port from any phone and let it ring`);
      const rang = await ring;
      const after = ((o.clock.now() - t0) / 1000).toFixed(1);
      if (
        !record(
          fxo.id,
          'ring',
          rang !== null,
          rang ? `ring detected after ${after} s` : 'no ring detected: check the ring-detect GPIO and the line',
        )
      )
        continue;
      const second = wait(fxo, 'ring', 12_000);
      const id = await Promise.race([cid, second]);
      await second; // the cadence needs the pause before the second ring
      const cadence = fxo.ringCadence();
      record(fxo.id, 'cadence', cadence.matches, `measured ${cadence.measured.join('/') || 'nothing'} ms`);
      const number = id && 'number' in id ? id.number : null;
      record(
        fxo.id,
        'callerId',
        number !== null,
        number !== null ? `caller ID ${number}` : 'no caller ID between the first two rings (the line may not send it)',
      );
      if (fxo.state !== 'ringing') {
        record(fxo.id, 'answer', false, `the line stopped ringing (${fxo.state})`);
        continue;
      }
      await fxo.answer();
      record(fxo.id, 'answer', true, 'hook relay on, line seized');
      o.io.prompt('pressDigits', fxo.id, `${fxo.id}: the box answered; press ${digits} on the calling phone`, digits);
      const got = await collect(fxo);
      record(fxo.id, 'digits', got === digits, `heard "${got}"`);
      const end = wait(fxo, 'hangup');
      o.io.prompt('hangUpCaller', fxo.id, `${fxo.id}: hang up the calling phone`);
      const why = await end;
      record(
        fxo.id,
        'disconnect',
        why !== null,
        why ? `far end gone (${why.reason})` : 'no polarity reversal or busy tone heard; the box hangs up',
      );
      await fxo.hangup(); // releases the line if the far end's leaving was not heard
    } else {
      const fxs = port as FxsPort;
      const lifted = wait(fxs, 'offHook');
      await fxs.ring({ cadence: driver.profile.ringCadence, callerId: o.callerId ?? SELFTEST_CALLER_ID });
      o.io.prompt('liftPhone', fxs.id, `${fxs.id}: the phone rings (caller ID ${(o.callerId ?? SELFTEST_CALLER_ID).number}); lift it`);
      if (
        !record(
          fxs.id,
          'offHook',
          (await lifted) !== null,
          fxs.state === 'active' ? 'lifted; ringing stopped' : 'not lifted: check the ring generator and the hook-detect GPIO',
        )
      ) {
        await fxs.hangup();
        continue;
      }
      fxs.play(new ToneGenerator(tonePreset(driver.profile.country, 'dial')));
      o.io.prompt('pressDigitsOnPhone', fxs.id, `${fxs.id}: you hear dial tone; press ${digits}`, digits);
      const got = await collect(fxs);
      fxs.play(null);
      record(fxs.id, 'digits', got === digits, `heard "${got}"`);
      const flash = wait(fxs, 'flash');
      o.io.prompt('flashHook', fxs.id, `${fxs.id}: press the hook (flash) briefly, about half a second`);
      record(fxs.id, 'flash', (await flash) !== null, 'hook flash');
      const down = wait(fxs, 'onHook');
      o.io.prompt('hangUpPhone', fxs.id, `${fxs.id}: hang up`);
      record(fxs.id, 'onHook', (await down) !== null, 'on hook');
    }
  }
  for (const a of driver.audioStats()) {
    record(
      a.device,
      'audio',
      a.frames > 0 && a.lastError === null,
      `${a.frames} frames, latency ~${Math.round(a.latencyMs)} ms, ${a.xruns} xruns, ${a.restarts} restarts${a.lastError ? `, ${a.lastError}` : ''}`,
    );
  }
  return steps;
}
