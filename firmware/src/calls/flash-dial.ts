/**
 * An analog (FXS) agent phone in a call: a hook flash (its timing comes from the line profile, in
 * the HAT driver) puts the caller on hold and gives the agent a second dial tone. The agent dials
 * (ending with # or a 2.5 s pause):
 *
 *   an extension (`2` for fxs2, `101` for sip-101) or a number (3..20 digits): a consultation
 *   (attended transfer; hang up = hand the caller over, even while it rings; flash = back to the caller)
 *   *6N   the caller to queue N (the Nth queue of the config), blind
 *   *0    the caller back to the IVR's main menu, blind;  *0N  the Nth IVR menu (*01 main, *02…), blind
 *   *9    the caller to the CSAT survey, blind
 *         (the same codes a SIP phone's REFER names: dialledTarget in transfer-target.ts)
 *   *7    park: the slot (71..79) is read out, then the phone is released
 *
 * A flash before dialling (or an unknown code) brings the caller back. Hanging up without dialling
 * ends the call as usual.
 */
import type { Channel } from '../../../hal/src/channel.js';
import { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import { type ControlHost, notLive } from './control-host.js';
import { controlOf } from './control-types.js';
import { INTER_DIGIT_MS } from './feature-codes.js';
import type { Ctx } from './engine-types.js';
import { putOnHold, takeOffHold } from './hold.js';
import { park } from './park.js';
import { blindTransfer } from './transfer.js';
import { startConsult } from './consult.js';
import { dialledTarget } from './transfer-target.js';

export function startFlashDial(h: ControlHost, ctx: Ctx, phone: Channel, by: string): void {
  const { c } = h;
  const st = controlOf(ctx);
  if (!ctx.media || ctx.call.state !== 'talking') throw notLive(ctx.call.id);
  putOnHold(c, ctx, by, 'hold');
  const media = new CallMedia(phone);
  media.play(c.o.dialTone());
  st.flash = { phone, digits: '', media, timer: null };
}

export function flashDigit(h: ControlHost, ctx: Ctx, digit: string, by: string): void {
  const f = ctx.control?.flash;
  if (!f) return;
  f.media.stopPlayback();
  f.digits += digit;
  f.timer?.cancel();
  if (digit === '#' || f.digits.length >= 21) dialled(h, ctx, by);
  else f.timer = h.c.o.clock.setTimeout(() => h.c.guard(f.phone, 'flash.dialled', () => dialled(h, ctx, by)), INTER_DIGIT_MS);
}

/** Back to the caller (a second flash, or nothing usable dialled). */
export function cancelFlash(h: ControlHost, ctx: Ctx, by: string): void {
  const f = ctx.control?.flash;
  if (!f || !ctx.control) return;
  f.timer?.cancel();
  f.media.detach();
  ctx.control.flash = null;
  takeOffHold(h.c, ctx, by, f.phone);
}

function dialled(h: ControlHost, ctx: Ctx, by: string): void {
  const st = ctx.control;
  const f = st?.flash;
  if (!st || !f || ctx.call.ended) return;
  f.timer = null;
  const code = f.digits.replace(/#$/, '');
  const { c } = h;
  try {
    if (code === '*7') {
      const slot = park(h, ctx, by, true);
      st.flash = null;
      const prompt = (n: string) => c.o.prompt(n, ctx.language);
      f.media.play(new SequenceSource([prompt('fc-parked'), prompt(`num-${Math.floor(slot / 10)}`), prompt(`num-${slot % 10}`)]), () => {
        f.media.detach();
        f.phone.hangup().catch(() => {});
      });
      return;
    }
    const target = dialledTarget(code, c.o.config, (id) => c.channels.get(id)); // throws (logged below) when it names nothing
    if (target.kind === 'agent' || target.kind === 'external') {
      st.flash = null;
      startConsult(h, ctx, target, by, f.media);
      return;
    }
    f.media.detach();
    st.flash = null;
    blindTransfer(h, ctx, target, by);
  } catch (err) {
    c.o.log.info({ call: ctx.call.id, dialled: code, err: String(err) }, 'flash dialling refused: back to the caller');
    if (st.flash === f) cancelFlash(h, ctx, by);
    else if (st.flash === null && !st.consult && !st.park && st.hold) {
      f.media.detach();
      takeOffHold(c, ctx, by, f.phone);
    }
  }
}
