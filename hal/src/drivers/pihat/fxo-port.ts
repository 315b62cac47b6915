/**
 * An FXO port of the HAT: a shop line. Ring detect (debounced, cadence measured) → `ring`
 * events and `ringStopped`; caller ID decoded by the DSP from the on-hook audio between rings;
 * the hook relay answers, hangs up and dials (after the dial tone: DTMF played on the line, or
 * pulses made and broken on the hook relay when the line's dial mode is 'pulse'); the
 * polarity detector signals far-end answer and disconnect; the call-progress detector hears busy
 * or congestion tone once the far end has gone.
 */
import type { Frame } from '../../audio.js';
import type { CallerIdInfo, RingCadence } from '../../channel.js';
import type { TimerHandle } from '../../clock.js';
import { CallerIdReceiver } from '../../dsp/cid-receive.js';
import { DtmfGenerator } from '../../dsp/dtmf-gen.js';
import { CallProgressDetector } from '../../dsp/progress-detect.js';
import type { GpioPin } from '../../gpio.js';
import type { HatFxoPort } from './hat-types.js';
import { Debouncer, RingDetector } from './line-signals.js';
import { HatPortChannel, type PortDeps } from './port-base.js';
import { PulseDialer } from './pulse-dial.js';

/** Wait for the dial tone this long after seizing the line before dialling. */
export const DIAL_TONE_WAIT_MS = 1000;

export class FxoPort extends HatPortChannel {
  private hook: GpioPin | null = null;
  private readonly rings: RingDetector;
  private polarity: Debouncer | null = null;
  private cid: CallerIdReceiver | null = null;
  private progress: CallProgressDetector | null = null;
  private dialTimer: TimerHandle | null = null;
  private readonly pulser: PulseDialer;
  private readonly unwatch: (() => void)[] = [];

  constructor(
    readonly fxo: HatFxoPort,
    d: PortDeps,
  ) {
    super(fxo, d);
    this.pulser = new PulseDialer(d.clock, (level) => this.set(this.hook, level));
    this.rings = new RingDetector(d.clock, d.profile, {
      ring: (count) => this.onRing(count),
      burst: () => {},
      stopped: () => {
        if (this.state !== 'ringing') return;
        this.cid = null;
        this.setState('idle');
        this.events.emit('ringStopped', {});
      },
    });
  }

  /** The ring cadence measured on this call so far ([on, off, on, …] ms) and whether it is the profile's. */
  ringCadence(): { measured: number[]; matches: boolean } {
    return { measured: [...this.rings.cadence], matches: this.rings.cadenceMatches() };
  }

  protected async openPins(): Promise<void> {
    this.hook = await this.output(this.fxo.hookRelay, 0);
    const ring = await this.input(this.fxo.ringDetect);
    this.unwatch.push(ring.watch('both', (v) => this.rings.input(v)));
    if ((await ring.read()) === 1) this.rings.input(1);
    if (this.fxo.polarity) {
      const pol = await this.input(this.fxo.polarity);
      const deb = new Debouncer(this.d.clock, this.d.profile.hookDebounceMs, await pol.read(), () => this.onPolarity());
      this.polarity = deb;
      this.unwatch.push(pol.watch('both', (v) => deb.input(v)));
    }
  }

  protected dispose(): void {
    for (const u of this.unwatch) u();
    this.unwatch.length = 0;
    this.rings.reset();
    this.polarity?.dispose();
    this.dialTimer?.cancel();
    this.pulser.cancel();
  }

  /** How this line dials out: the port's own mode, else the profile's. */
  get dialMode(): 'dtmf' | 'pulse' {
    return this.fxo.dialMode ?? this.d.profile.dialMode;
  }

  async answer(): Promise<void> {
    if (this.state !== 'ringing') throw new Error(`${this.id}: nothing to answer (state ${this.state})`);
    this.rings.reset();
    this.cid = null;
    this.set(this.hook, 1);
    this.startProgress();
    this.setState('active');
  }

  async hangup(): Promise<void> {
    this.release();
  }

  async dial(number: string): Promise<void> {
    if (this.state !== 'idle') throw new Error(`${this.id}: line busy (state ${this.state}${this.reason ? `: ${this.reason}` : ''})`);
    if (!/^[0-9*#]{1,32}$/.test(number)) throw new Error(`${this.id}: cannot dial "${number}" on an analog line`);
    const pulse = this.dialMode === 'pulse';
    if (pulse && !/^[0-9]+$/.test(number)) throw new Error(`${this.id}: a pulse-dialling line cannot dial * or # ("${number}")`);
    this.set(this.hook, 1);
    this.setState('dialing');
    this.startProgress();
    this.dialTimer = this.d.clock.setTimeout(() => {
      this.dialTimer = null;
      if (this.state !== 'dialing') return;
      if (pulse) this.pulser.dial(number, this.d.profile);
      else this.local = new DtmfGenerator(number, { onMs: 100, offMs: 100, levelDbm0: -8 });
    }, DIAL_TONE_WAIT_MS);
  }

  async ring(_opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void> {
    throw new Error(`${this.id}: only FXS ports ring a phone`);
  }

  async sendDigits(digits: string): Promise<void> {
    if (this.state !== 'active') throw new Error(`${this.id}: no call to send digits on`);
    if (!/^[0-9*#A-D]+$/i.test(digits)) throw new Error(`${this.id}: not DTMF digits: "${digits}"`);
    this.local = new DtmfGenerator(digits, { onMs: 100, offMs: 100, levelDbm0: -8 });
  }

  audioTick(rx: Frame, tx: Frame): void {
    if (this.state === 'ringing') {
      this.cid?.process(rx);
      return;
    }
    if (this.state !== 'active' && this.state !== 'dialing') return;
    this.progress?.process(rx);
    if (this.state === 'active') {
      this.deliverRx(rx);
      if (!this.playLocal(tx)) this.takeTx(tx);
    } else {
      this.playLocal(tx);
    }
  }

  private onRing(count: number): void {
    if (this.state === 'idle') {
      this.cid = new CallerIdReceiver({
        onMessage: (m) => {
          if (!m.checksumOk || this.state !== 'ringing') return;
          this.events.emit('callerId', { number: m.number, name: m.name ?? null, absence: m.absence ?? null });
        },
      });
      this.setState('ringing');
    }
    if (this.state === 'ringing') this.events.emit('ring', { count });
  }

  private onPolarity(): void {
    if (this.state === 'idle' || this.state === 'ringing' || this.state === 'error') return;
    this.events.emit('polarityReversal', {});
    if (this.state === 'dialing') {
      this.answered();
    } else if (this.state === 'active' && this.d.profile.polarityHangup) {
      this.release();
      this.events.emit('hangup', { reason: 'polarity' });
    }
  }

  private startProgress(): void {
    this.progress = new CallProgressDetector({
      profile: this.d.profile.country,
      onEvent: (e) => {
        if (e.tone === 'busy' || e.tone === 'congestion' || e.tone === 'reorder') {
          const wasActive = this.state === 'active';
          if (wasActive) this.events.emit('busyTone', {});
          this.release();
          this.events.emit('hangup', { reason: wasActive ? 'busyTone' : 'failed' });
        } else if (e.tone === 'voice' && this.state === 'dialing' && !this.local && !this.pulser.busy) {
          this.answered();
        }
      },
    });
  }

  private answered(): void {
    this.local = null;
    if (this.pulser.busy) {
      this.pulser.cancel();
      this.set(this.hook, 1);
    }
    this.setState('active');
    this.events.emit('answered', {});
  }

  private release(): void {
    this.dialTimer?.cancel();
    this.dialTimer = null;
    this.pulser.cancel();
    this.rings.reset();
    this.cid = null;
    this.progress = null;
    this.local = null;
    this.set(this.hook, 0);
    this.setState('idle');
  }
}
