/** What the call engine takes from the box's config: lines, queues, menus, the country's ring cadence and tones. */
import type { Driver } from '../../hal/src/channel.js';
import type { SipPhonesStatus } from '../../hal/src/drivers/sip/phone-status.js';
import { MultiDriver } from '../../hal/src/drivers/sip/multi-driver.js';
import type { ToneRegion } from '../../hal/src/dsp/tone-presets.js';
import type { EngineConfig } from './calls/engine-types.js';
import type { Config } from './config/schema.js';
import { dispositionsOf } from './config/schema-dispositions.js';

export const RING_CADENCE: Record<Config['shop']['country'], number[]> = {
  CN: [1000, 4000],
  US: [2000, 4000],
  EU: [1000, 4000],
};

export const TONE_REGION: Record<Config['shop']['country'], ToneRegion> = { CN: 'cn', US: 'us', EU: 'etsi' };

/** The SIP driver's address and agent phones (registrations), when SIP runs; null otherwise. */
export function sipPhonesOf(driver: Driver): SipPhonesStatus | null {
  const sip = (driver instanceof MultiDriver ? driver.drivers : [driver]).find((d) => d.name === 'sip') as
    | (Driver & { phoneStatus?: () => SipPhonesStatus })
    | undefined;
  return sip?.phoneStatus?.() ?? null;
}

/** SIP channels are lines into the IVR their route names (a DID's, or the trunk's default). */
export function sipLines(driver: Driver): Config['lines'] {
  return driver
    .channels()
    .flatMap((ch) =>
      ch.kind === 'sip' && ch.route !== undefined ? [{ channel: ch.id, name: `SIP ${ch.id}`, ivr: ch.route, answerAfterRings: 1 }] : [],
    );
}

export function engineConfig(c: Config): EngineConfig {
  return {
    lines: c.lines,
    agents: c.agents,
    queues: c.queues,
    menus: c.ivr.menus,
    ringCadence: RING_CADENCE[c.shop.country],
    pauseReasons: c.pauseReasons ?? [],
    timezone: c.shop.timezone,
    language: c.shop.language,
    ...(c.hours ? { hours: c.hours } : {}),
    ...(c.fax ? { fax: c.fax } : {}),
    toneRegion: TONE_REGION[c.shop.country],
    dispositions: dispositionsOf(c),
    ...(c.dialPlan ? { dialPlan: c.dialPlan } : {}),
    ...(c.callControl ? { callControl: c.callControl } : {}),
  };
}
