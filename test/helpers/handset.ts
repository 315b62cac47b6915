/** The agent at an analog phone (a SimParty on an FXS channel): keys DTMF when told, keeps what the earpiece plays. */
import type { Frame } from '../../hal/src/audio.js';
import type { SimParty } from '../../hal/src/drivers/sim/sim-channel.js';
import { DtmfGenerator } from '../../hal/src/dsp/dtmf-gen.js';
import type { SimHat } from '../../hal/src/drivers/sim/sim-hat.js';
import { Collector } from './tone-meter.js';

export class Handset implements SimParty {
  readonly heard = new Collector();
  private dtmf: DtmfGenerator | null = null;
  /** Key `digits` (80 ms on, 80 ms off each); returns how long that takes. */
  press(digits: string): number {
    this.dtmf = new DtmfGenerator(digits, { onMs: 80, offMs: 80 });
    return digits.length * 160;
  }
  hear(frame: Frame): void {
    this.heard.add(frame);
  }
  speak(out: Frame): void {
    if (this.dtmf?.read(out)) return;
    this.dtmf = null;
    out.fill(0);
  }
  dispose(): void {}
}

/** A new Handset on the sim HAT's analog phone `id`, lifted (off hook). */
export function liftHandset(hat: SimHat, id: string): Handset {
  const h = new Handset();
  const ch = hat.channel(id);
  if (!ch) throw new Error(`no channel ${id}`);
  ch.party = h;
  ch.partyLifts();
  return h;
}
