/**
 * An agent dialling on an idle analog (FXS) phone something that is not a feature code: the digits
 * (DTMF, or pulse digits on the pihat driver) are collected until `#` or a pause (the dial plan's
 * `interDigitS`, 4 s by default), then
 *
 *   an extension (`2` for fxs2, `101` for sip-101, or an agent id)  → an internal call
 *     (internal-calls.ts; busy tone when the colleague's phone is busy)
 *   a number (the outside-line prefix stripped when the plan has one) → an outbound call on a free
 *     shop line through the preview dialler's agent-first path, the same as a SIP phone's dial-out:
 *     an ordinary outbound call record with this phone as its agent leg, recorded per the policy,
 *     the line's early media (ringback) heard at once.
 *
 * Busy tone when no line is free, the extension is busy, the number is refused by the plan, or nothing usable was dialled.
 * Emergency numbers (110/119/120/122 in China, 911 in the US, 112 in Europe, or the plan's own list)
 * are always dialled as they are, prefix or not.
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Channel } from '../../../hal/src/channel.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { type ToneRegion, tonePreset } from '../../../hal/src/dsp/tone-presets.js';
import type { EngineCore } from './engine-hosts.js';
import type { DialPlan } from './engine-types.js';
import { phoneOf } from './phone-calls.js';
import { callExtension } from './internal-calls.js';
import type { PreviewDial } from './preview-dial.js';
import { agentFor } from './transfer-target.js';

/** Wait after the last digit before a number counts as complete (absent `dialPlan.interDigitS`). */
export const DIAL_OUT_INTER_DIGIT_MS = 4000;
/** The most digits a number may have (longer: dialled at once). */
export const MAX_DIALLED = 24;

export const EMERGENCY: Record<ToneRegion, readonly string[]> = {
  cn: ['110', '119', '120', '122'],
  us: ['911'],
  etsi: ['112'],
};

export type DialTarget =
  | { kind: 'extension'; target: string }
  | { kind: 'number'; number: string; emergency: boolean }
  | { kind: 'refused'; why: string };

/** What `dialled` (without a trailing #) asks for under the plan. `isExtension` says whether a string names an agent's phone. */
export function classifyDialled(
  dialled: string,
  plan: DialPlan | undefined,
  region: ToneRegion,
  isExtension: (s: string) => boolean,
): DialTarget {
  const digits = dialled.replace(/#$/, '');
  if (!/^[0-9]+$/.test(digits)) return { kind: 'refused', why: 'not a dialable number' };
  const emergency = plan?.emergency ?? EMERGENCY[region];
  if (emergency.includes(digits)) return { kind: 'number', number: digits, emergency: true };
  const prefix = plan?.outsidePrefix;
  if (prefix && digits.startsWith(prefix) && digits.length > prefix.length) {
    const number = digits.slice(prefix.length);
    return emergency.includes(number) || number.length >= 3
      ? { kind: 'number', number, emergency: emergency.includes(number) }
      : { kind: 'refused', why: 'too short a number after the outside-line prefix' };
  }
  if (isExtension(digits)) return { kind: 'extension', target: digits };
  if (prefix) return { kind: 'refused', why: `an outside number needs the prefix ${prefix}` };
  if (digits.length < 3) return { kind: 'refused', why: 'not an extension, and too short a number' };
  return { kind: 'number', number: digits, emergency: false };
}

/** The inter-digit wait of the config's dial plan. */
export function interDigitMs(plan: DialPlan | undefined): number {
  return plan?.interDigitS ? plan.interDigitS * 1000 : DIAL_OUT_INTER_DIGIT_MS;
}

export function busyTone(c: EngineCore): FrameSource {
  return new ToneGenerator(tonePreset(c.o.config.toneRegion ?? 'cn', 'busy'));
}

/**
 * Dial what agent `agentId` dialled on `phone` (its dial tone already stopped, its audio free).
 * Null when a call was started, else why not (the phone then hears busy tone).
 */
export function dialFromAnalogPhone(c: EngineCore, preview: PreviewDial, phone: Channel, agentId: string, dialled: string): string | null {
  const agent = c.o.config.agents.find((a) => a.id === agentId);
  if (!agent) return 'not an agent phone';
  const plan = c.o.config.dialPlan;
  const isExtension = (s: string) => !!phoneOf(c, s) || !!agentFor(s, c.o.config, (id) => c.channels.get(id));
  const target = classifyDialled(dialled, plan, c.o.config.toneRegion ?? 'cn', isExtension);
  if (target.kind === 'refused') return target.why;
  if (target.kind === 'extension') return callExtension(c, phone, agent, target.target);
  const why = preview.fromPhone(phone, agent, target.number);
  if (why) return 'no shop line is free';
  c.o.log.info({ channel: phone.id, agent: agent.id, emergency: target.emergency }, 'agent dialled out from an analog phone');
  return null;
}
