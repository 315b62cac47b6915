/**
 * What a transfer's `to` names: an agent (id, or the extension: `sip-101`, `101`, `fxs2`), a queue
 * (`queue:<id>`), the IVR (`ivr:<menu>`, `ivr:survey` for the CSAT survey) or an external number
 * (3..20 digits, optional leading +) dialled over a shop line (FXO first, SIP trunk, GSM last); and
 * the codes phones dial for them (dialledTarget, menuCodes).
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { AgentDef, QueueDef } from '../acd/types.js';
import { CallboxError } from '../errors.js';
import type { EngineConfig } from './engine-types.js';

export type TransferTarget =
  | { kind: 'agent'; agent: AgentDef; phone: Channel; label: string }
  | { kind: 'queue'; queue: QueueDef; label: string }
  | { kind: 'ivr'; menu: string; label: string }
  | { kind: 'survey'; label: string }
  | { kind: 'external'; number: string; label: string };

/** Resolve `to`; VALIDATION_FAILED naming `to` when it names nothing the box has. */
export function resolveTarget(to: unknown, config: EngineConfig, channel: (id: string) => Channel | undefined): TransferTarget {
  const bad = (why: string) => new CallboxError('VALIDATION_FAILED', `to: ${why}`, { field: 'to' });
  if (typeof to !== 'string' || to.length === 0 || to.length > 64)
    throw bad('must be an agent, an extension, queue:<id>, ivr:<menu> or a number');
  if (to.startsWith('queue:')) {
    const queue = config.queues.find((q) => q.id === to.slice(6));
    if (!queue) throw bad(`no queue ${JSON.stringify(to.slice(6))}`);
    return { kind: 'queue', queue, label: to };
  }
  if (to.startsWith('ivr:')) {
    const menu = to.slice(4);
    if (menu === 'survey') return { kind: 'survey', label: to };
    if (!config.menus[menu]) throw bad(`no IVR menu ${JSON.stringify(menu)}`);
    return { kind: 'ivr', menu, label: to };
  }
  const agent = agentFor(to, config, channel);
  if (agent) {
    const phone = channel(agent.extension);
    if (!phone) throw bad(`agent ${agent.id} has no phone`);
    return { kind: 'agent', agent, phone, label: agent.id };
  }
  if (/^\+?[0-9]{3,20}$/.test(to)) return { kind: 'external', number: to, label: to };
  throw bad(`no agent or extension ${JSON.stringify(to)}, and not a number of 3..20 digits`);
}

/**
 * The IVR menus in the order the phones number them (`*0N` is the Nth) and the console lists them:
 * `main` first, then the others by id.
 */
export function transferMenus(menus: Record<string, unknown>): string[] {
  const ids = Object.keys(menus).sort();
  return ids.includes('main') ? ['main', ...ids.filter((m) => m !== 'main')] : ids;
}

/** Each IVR menu's phone code (`*01` main, `*02` the next of transferMenus, …). */
export function menuCodes(menus: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(transferMenus(menus).map((m, i) => [m, `*0${i + 1}`]));
}

/**
 * What an agent phone dials to transfer, the same on both kinds of phone (an FXS phone after a hook
 * flash, flash-dial.ts; a SIP phone's blind REFER, its Refer-To user): `*6N` the Nth queue of the
 * config, `*0` the IVR's main menu, `*0N` the Nth IVR menu (menuCodes: `*01` main, `*02`…, up to
 * `*099`), `*9` the CSAT survey, else an agent, an extension or an outside number as in resolveTarget.
 */
export function dialledTarget(code: string, config: EngineConfig, channel: (id: string) => Channel | undefined): TransferTarget {
  const queue = /^\*6([1-9])$/.exec(code);
  if (queue) return resolveTarget(`queue:${config.queues[Number(queue[1]) - 1]?.id ?? ''}`, config, channel);
  if (code === '*0') return resolveTarget('ivr:main', config, channel);
  const menu = /^\*0([1-9][0-9]?)$/.exec(code);
  if (menu) {
    const id = transferMenus(config.menus)[Number(menu[1]) - 1];
    if (!id) throw new CallboxError('VALIDATION_FAILED', `to: no IVR menu number ${menu[1]} (${code})`, { field: 'to' });
    return resolveTarget(`ivr:${id}`, config, channel);
  }
  if (code === '*9') return resolveTarget('ivr:survey', config, channel);
  return resolveTarget(code, config, channel);
}

/** An agent by id, by extension channel (`fxs2`, `sip-101`) or by its extension's number (`101`, `2` for fxs2). */
export function agentFor(to: string, config: EngineConfig, channel: (id: string) => Channel | undefined): AgentDef | undefined {
  const byId = config.agents.find((a) => a.id === to || a.extension === to);
  if (byId) return byId;
  if (!/^[0-9]{1,6}$/.test(to)) return undefined;
  const sip = channel(`sip-${to}`);
  if (sip) return config.agents.find((a) => a.extension === sip.id);
  return config.agents.find((a) => /^fxs[0-9]+$/.test(a.extension) && a.extension.slice(3) === to);
}
