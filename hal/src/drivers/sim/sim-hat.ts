/**
 * The sim driver: a deterministic, scriptable simulated telephony HAT (N FXO lines, M FXS phone
 * ports) and GSM modem. One 20 ms media tick on the injected clock moves audio for every active
 * channel; it runs only while some channel is active, so an idle box costs nothing.
 */
import type { Channel, Driver, RingCadence } from '../../channel.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { FRAME_MS } from '../../audio.js';
import { SimAgent, type SimAgentSettings } from './sim-agent.js';
import { SimCaller } from './sim-caller.js';
import { SimChannel } from './sim-channel.js';

export interface SimHatOptions {
  fxo: number;
  fxs: number;
  gsm: number;
  clock: Clock;
  /** Ring cadence of the lines (China: 1 s on, 4 s off). */
  lineCadence?: RingCadence;
  /** When caller ID arrives after the first ring starts (China/Bell 202: between 1st and 2nd ring). */
  callerIdDelayMs?: number;
  agents: SimAgentSettings;
  /** 8 kHz speech clips for callers and agents; synthetic voice when absent. */
  callerSpeech?: Int16Array | null;
  agentSpeech?: Int16Array | null;
}

export interface SimInboundCall {
  channel: string;
  callerId: string | null;
  callerName?: string | null;
  digits?: string;
  hangupAfterS?: number;
  /** A fax machine instead of a person (sends CNG). */
  fax?: boolean;
}

/** How a simulated customer reached by an outbound call behaves. */
export interface SimCustomer {
  /** Seconds before answering; null: never answers. */
  answerAfterS: number | null;
  /** Digits pressed once the box's prompt has played (e.g. "1" to accept a callback); "" for none (a voicemail). */
  digits: string;
  /** Hangs up this long after answering. */
  hangupAfterS: number;
}

const DEFAULT_CUSTOMER: SimCustomer = { answerAfterS: 4, digits: '1', hangupAfterS: 120 };

export class SimHat implements Driver {
  readonly name = 'sim';
  private readonly list: SimChannel[] = [];
  private readonly byId = new Map<string, SimChannel>();
  private ticker: TimerHandle | null = null;
  private agentSettings: SimAgentSettings;
  private seed = 1;
  private running = false;
  private readonly customers = new Map<string, SimCustomer>();
  /** Every number dialled, in order (for tests and the demo log). */
  readonly dialled: { channel: string; number: string }[] = [];

  constructor(private readonly opts: SimHatOptions) {
    this.agentSettings = { ...opts.agents };
  }

  channels(): Channel[] {
    return this.list;
  }

  channel(id: string): SimChannel | undefined {
    return this.byId.get(id);
  }

  async start(): Promise<void> {
    const add = (kind: 'fxo' | 'fxs' | 'gsm', n: number) => {
      for (let i = 1; i <= n; i++) {
        const ch = new SimChannel(
          `${kind}${i}`,
          kind,
          this.opts.clock,
          () => this.ensureTicker(),
          (c, number) => this.dialOut(c, number),
        );
        this.list.push(ch);
        this.byId.set(ch.id, ch);
        if (kind === 'fxs') {
          ch.party = new SimAgent(ch, this.opts.clock, () => this.agentSettings, this.opts.agentSpeech ?? null, i * 7919);
        }
      }
    };
    add('fxo', this.opts.fxo);
    add('fxs', this.opts.fxs);
    add('gsm', this.opts.gsm);
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const ch of this.list) {
      ch.party?.dispose();
    }
    this.ticker?.cancel();
    this.ticker = null;
  }

  getAgentSettings(): SimAgentSettings {
    return { ...this.agentSettings };
  }

  setAgentSettings(s: Partial<SimAgentSettings>): SimAgentSettings {
    this.agentSettings = { ...this.agentSettings, ...s };
    return this.getAgentSettings();
  }

  /** A simulated customer calls in on an FXO line or the GSM modem. */
  placeInboundCall(call: SimInboundCall): void {
    if (!this.running) throw new Error('sim driver is not running');
    const ch = this.byId.get(call.channel);
    if (!ch) throw new Error(`no such channel: ${call.channel}`);
    if (ch.kind === 'fxs') throw new Error(`${call.channel} is an agent extension, not a line`);
    if (ch.state !== 'idle') throw new Error(`${call.channel} is busy`);
    const cadence = this.opts.lineCadence ?? { pattern: [1000, 4000] };
    ch.party = new SimCaller(ch, this.opts.clock, {
      digits: call.fax ? '' : (call.digits ?? ''),
      hangupAfterS: call.hangupAfterS ?? 60,
      speech: this.opts.callerSpeech ?? null,
      seed: this.seed++,
      fax: call.fax === true,
    });
    // GSM: +CLIP arrives with the first RING; analog lines carry it after the first ring.
    const delay = ch.kind === 'gsm' ? 0 : (this.opts.callerIdDelayMs ?? 1500);
    ch.partyCalls(cadence, { number: call.callerId, name: call.callerName ?? null, absence: call.callerId ? null : 'unavailable' }, delay);
  }

  /** How the customer at `number` behaves when the box calls (default: answers after 4 s, presses 1). */
  setCustomer(number: string, behaviour: Partial<SimCustomer>): void {
    this.customers.set(number, { ...DEFAULT_CUSTOMER, ...this.customers.get(number), ...behaviour });
  }

  private dialOut(ch: SimChannel, number: string): void {
    this.dialled.push({ channel: ch.id, number });
    const who = this.customers.get(number) ?? DEFAULT_CUSTOMER;
    if (who.answerAfterS === null) return; // rings out until the box gives up
    const timer = this.opts.clock.setTimeout(() => {
      if (ch.state !== 'dialing') return;
      ch.party = new SimCaller(ch, this.opts.clock, {
        digits: who.digits,
        hangupAfterS: who.hangupAfterS,
        speech: this.opts.callerSpeech ?? null,
        seed: this.seed++,
      });
      ch.partyAnswers();
    }, who.answerAfterS * 1000);
    const off = ch.events.on('state', (s) => {
      if (s.state === 'idle') {
        timer.cancel();
        off();
      } else if (s.state === 'active') off();
    });
  }

  /** The agent at an FXS phone lifts it and dials a feature code. */
  agentDials(channelId: string, digits: string): void {
    const ch = this.byId.get(channelId);
    if (!ch || !(ch.party instanceof SimAgent)) throw new Error(`no simulated agent on ${channelId}`);
    ch.party.dial(digits);
  }

  /** The agent at an FXS phone presses keys during a call (e.g. *41, a call result). */
  agentPresses(channelId: string, digits: string): void {
    const ch = this.byId.get(channelId);
    if (!ch || !(ch.party instanceof SimAgent) || ch.state !== 'active') throw new Error(`no simulated agent in a call on ${channelId}`);
    ch.party.press(digits);
  }

  /** The agent at an FXS phone in a call flashes the hook (the HAT's flash window passed). */
  agentFlashes(channelId: string): void {
    const ch = this.byId.get(channelId);
    if (ch?.kind !== 'fxs' || ch.state !== 'active') throw new Error(`no phone in a call on ${channelId}`);
    ch.partyFlashes();
  }

  /** The agent at an FXS phone puts it down now. */
  agentHangsUp(channelId: string): void {
    const ch = this.byId.get(channelId);
    if (ch?.kind !== 'fxs') throw new Error(`no phone on ${channelId}`);
    ch.partyHangsUp();
  }

  /** The caller on a line presses digits now (e.g. answering a survey). */
  callerPresses(channelId: string, digits: string): void {
    const ch = this.byId.get(channelId);
    if (!ch || !(ch.party instanceof SimCaller)) throw new Error(`no simulated caller on ${channelId}`);
    ch.party.press(digits);
  }

  private ensureTicker(): void {
    if (this.ticker) return;
    this.ticker = this.opts.clock.setInterval(() => this.tick(), FRAME_MS);
  }

  private tick(): void {
    let active = 0;
    for (const ch of this.list) {
      if (ch.state !== 'active') continue;
      active++;
      ch.tick();
    }
    if (active === 0) {
      this.ticker?.cancel();
      this.ticker = null;
    }
  }
}
