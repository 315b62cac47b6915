/**
 * What the first-run setup wizard (设置向导) changes in the box config: the shop's name, which shop
 * lines (FXO, GSM) are in use, and the agents (name + FXS extension). Pure: the current config and
 * the driver's channels in, the next config out (then checked and applied by service.config).
 * Bad input is a VALIDATION_FAILED naming the field (`lines[1]`, `agents[0].extension`).
 */
import type { ChannelStatus, Config } from '../../../firmware/src/service/types.js';
import { invalid, type JsonObject, objectBody, requiredString } from '../validate.js';

export interface WizardAgent {
  name: string;
  extension: string;
}

export interface WizardInput {
  shopName: string;
  /** Channel ids of the shop lines in use (FXO/GSM). */
  lines: string[];
  agents: WizardAgent[];
}

/** Line kinds the wizard offers (SIP trunk lines come from their DIDs, not from here). */
export const WIZARD_LINE_KINDS: readonly string[] = ['fxo', 'gsm'];
const NAME = { max: 80 } as const;
const MAX_AGENTS = 64;

/** The request body, checked field by field. */
export function parseWizardInput(body: unknown): WizardInput {
  const b = objectBody(body, ['shopName', 'lines', 'agents']);
  const shopName = requiredString(b, 'shopName', NAME).trim();
  if (shopName === '') throw invalid('shopName', 'must not be blank');
  if (!Array.isArray(b.lines) || b.lines.length > 64) throw invalid('lines', 'must be an array of up to 64 channel ids');
  const lines = b.lines.map((v, i) => {
    if (typeof v !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(v)) throw invalid(`lines[${i}]`, 'must be a channel id like fxo1');
    return v;
  });
  if (!Array.isArray(b.agents) || b.agents.length > MAX_AGENTS) throw invalid('agents', `must be an array of up to ${MAX_AGENTS} agents`);
  const agents = b.agents.map((v, i) => {
    const field = `agents[${i}]`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(field, 'must be an object { name, extension }');
    for (const key of Object.keys(v))
      if (key !== 'name' && key !== 'extension') throw invalid(`${field}.${key}`, 'is not a known field (expected: name, extension)');
    const o = v as JsonObject;
    const name = typeof o.name === 'string' ? o.name.trim() : o.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 80)
      throw invalid(`${field}.name`, 'must be a string of 1..80 characters');
    const extension = o.extension;
    if (typeof extension !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(extension)) {
      throw invalid(`${field}.extension`, 'must be an extension id like fxs1');
    }
    return { name, extension };
  });
  return { shopName, lines, agents };
}

/** The next config: shop name, lines, agents (ids kept per extension, new ones join the first queue). */
export function wizardConfig(current: Config, channels: readonly ChannelStatus[], input: WizardInput): Config {
  const next = structuredClone(current) as Config;
  next.shop.name = input.shopName;

  const kindOf = new Map(channels.map((c) => [c.id, c.kind]));
  const seenLines = new Set<string>();
  const defaultMenu = current.lines[0]?.ivr ?? Object.keys(current.ivr.menus)[0] ?? 'main';
  next.lines = input.lines.map((channel, i) => {
    const kind = kindOf.get(channel);
    if (kind === undefined || !WIZARD_LINE_KINDS.includes(kind))
      throw invalid(`lines[${i}]`, `"${channel}" is not a shop line of this box (FXO or GSM)`);
    if (seenLines.has(channel)) throw invalid(`lines[${i}]`, `"${channel}" is listed twice`);
    seenLines.add(channel);
    const kept = current.lines.find((l) => l.channel === channel);
    return kept
      ? { ...kept }
      : { channel, name: `${kind === 'gsm' ? '手机线路' : '固话线路'} ${channel}`, ivr: defaultMenu, answerAfterRings: 1 };
  });

  const usedIds = new Set<string>();
  const seenExt = new Set<string>();
  const fresh: string[] = [];
  const reusable = new Map(current.agents.map((a) => [a.extension, a]));
  const agents = input.agents.map((a, i) => {
    if (kindOf.get(a.extension) !== 'fxs')
      throw invalid(`agents[${i}].extension`, `"${a.extension}" is not an extension (FXS port) of this box`);
    if (seenExt.has(a.extension)) throw invalid(`agents[${i}].extension`, `"${a.extension}" already has an agent`);
    seenExt.add(a.extension);
    const before = reusable.get(a.extension);
    if (before) {
      usedIds.add(before.id);
      return { ...before, name: a.name };
    }
    return { name: a.name, extension: a.extension, id: '' };
  });
  let n = 1;
  for (const a of agents) {
    if (a.id !== '') continue;
    while (usedIds.has(`a${n}`)) n++;
    a.id = `a${n}`;
    usedIds.add(a.id);
    fresh.push(a.id);
  }
  next.agents = agents.map(({ id, name, extension, ...rest }) => ({ id, name, extension, ...rest }));
  next.queues = next.queues.map((q, i) => {
    const members = q.members.filter((m) => usedIds.has(m));
    return { ...q, members: i === 0 ? [...members, ...fresh] : members };
  });
  return next;
}
