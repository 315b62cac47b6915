/**
 * What an agent's SIP phone starts itself (the HAL's `dial` and `transfer` events):
 *
 * - Dialling out: a number that is not an extension goes out on a free shop line (FXO first, then
 *   SIP trunk channels, the GSM modem last) through the preview dialler's agent-first path — an
 *   ordinary outbound call record with the agent's phone as its agent leg, bridged from the start
 *   so the phone hears the line's early media. Only agents' phones dial (the HAL lets only
 *   authenticated extensions' INVITEs through: no open relay). An extension dialled rings that
 *   colleague's phone (internal-calls.ts); a busy one refuses the phone's call.
 * - Blind transfer: an agent in a call hands the caller to another agent (`target`: the other's SIP
 *   extension or agent id). The caller's call keeps its record and recording: the first agent's
 *   talk is completed in the ACD, their leg ends, the caller hears hold music while the ACD rings
 *   the target agent alone (a direct entry, as the IVR's "extension" action), and the target's
 *   answer bridges them. Refused (the call goes on) unless the target is logged in, available and
 *   its phone idle (and registered, for a SIP phone). Nobody answering within the direct entry's
 *   60 s ends the call as a queue timeout (no way back to the first agent yet).
 *   A REFER naming no agent's SIP phone goes to call control (call-control.ts `referred`, its own listener), with the
 *   FXS flash-dial codes: `*6N` queue N, `*0` the IVR's main menu, `*0N` IVR menu N, `*9` the CSAT survey, an FXS
 *   extension, or an outside number over a free shop line (transfer.ts, blind).
 */
import type { Channel } from '../../../hal/src/channel.js';
import { phoneActor, phoneFree, releaseAgent } from './control-host.js';
import type { EngineCore } from './engine-hosts.js';
import { takeOffHold } from './hold.js';
import { callExtension, extensionOf } from './internal-calls.js';
import type { PreviewDial } from './preview-dial.js';
import { ringAgentFor } from './transfer.js';

/** Subscribe to every agent phone's own calls; returns the unsubscribers. */
export function watchPhoneCalls(c: EngineCore, preview: PreviewDial): (() => void)[] {
  const offs: (() => void)[] = [];
  for (const ch of c.channels.values()) {
    if (!ch.phone) continue;
    offs.push(ch.events.on('dial', (d) => c.guard(ch, 'dial', () => phoneDialled(c, preview, ch, d.number, d.extensionOnly))));
    // an attended REFER (replacing the phone's second call) is call-control.ts's
    offs.push(
      ch.events.on('transfer', (d) =>
        c.guard(ch, 'transfer', () => !d.replacesSecond && phoneOf(c, d.target) && transferCall(c, ch, d.target)),
      ),
    );
  }
  return offs;
}

/** The phone channel an extension number or agent id names (SIP extension `101` → `sip-101`). */
export function phoneOf(c: EngineCore, target: string): Channel | undefined {
  const direct = c.channels.get(`sip-${target}`);
  if (direct?.phone) return direct;
  const agent = c.o.config.agents.find((a) => a.id === target);
  return agent ? c.channels.get(agent.extension) : undefined;
}

/** `extensionOnly`: dialled without the outside-line prefix (the HAL's `dial` event): never dialled out. */
function phoneDialled(c: EngineCore, preview: PreviewDial, phone: Channel, number: string, extensionOnly = false): void {
  const agent = c.acd.agentByExtension(phone.id);
  const extension = !!extensionOf(c, number);
  const why = !agent
    ? 'not an agent phone'
    : c.byChannel.has(phone.id)
      ? 'phone in a call'
      : extension
        ? callExtension(c, phone, agent, number)
        : extensionOnly
          ? 'no such extension (an outside number needs the prefix)'
          : !/^\+?[0-9*#]{2,32}$/.test(number)
            ? 'not a dialable number'
            : preview.fromPhone(phone, agent, number);
  if (!why) return;
  c.o.log.info({ channel: phone.id, why }, 'call from an agent phone refused');
  // a busy colleague: 486 Busy Here to the SIP phone
  phone.hangup(extension ? 'busy' : undefined).catch(() => {});
}

/** Blind transfer of `from`'s call to `target`; returns whether it was taken. */
export function transferCall(c: EngineCore, from: Channel, target: string): boolean {
  const ctx = c.byChannel.get(from.id);
  const to = phoneOf(c, target);
  const agent = to ? c.acd.agentByExtension(to.id) : undefined;
  const media = ctx?.media;
  if (!ctx || !media || ctx.call.state !== 'talking' || ctx.line === from || ctx.call.leg('agent')?.channel !== from) return false;
  // phoneFree: idle, in no call, registered (a SIP phone), its agent available
  if (!to || !agent || to === from || !phoneFree(c, to, agent)) {
    c.o.log.info({ call: ctx.call.id, target }, 'transfer refused: the target is not free');
    return false;
  }
  c.save(ctx, 'call.transferred', { from: from.id, to: to.id, agent: agent.id });
  // desk phones hold the call before they REFER: the hold ends here (as in blindTransfer), not with the call
  if (ctx.control?.hold) takeOffHold(c, ctx, phoneActor(c, from), null);
  releaseAgent(c, ctx, from);
  ringAgentFor(c, ctx, media, agent);
  return true;
}
