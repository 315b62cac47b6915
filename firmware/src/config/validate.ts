/**
 * Validation of a config document: the TypeBox schema first, then the references between sections
 * that a JSON schema cannot express. Returns every problem with the JSON pointer of its field.
 */
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { CURRENT_CONFIG_VERSION } from './migrations.js';
import { type ConfigIssue, issuesFromErrors } from './schema-errors.js';
import { type Action, type Config, configSchemaFor } from './schema.js';
import { hardwareIssues } from './validate-hardware.js';
import { isKnownZone } from '../tz/zone.js';

export type { ConfigIssue } from './schema-errors.js';

export type ConfigValidation = { ok: true; config: Config } | { ok: false; errors: ConfigIssue[] };

type ConfigCheck = TypeCheck<ReturnType<typeof configSchemaFor<number>>>;
const checkers = new Map<number, ConfigCheck>();

function checkerFor(version: number): ConfigCheck {
  let c = checkers.get(version);
  if (!c) {
    c = TypeCompiler.Compile(configSchemaFor(version));
    checkers.set(version, c);
  }
  return c;
}

/**
 * Validate `value` as a complete config. `opts.version` exists for tests of future migrations: it
 * checks the document against the same shape with a different version literal.
 */
export function validateConfig(value: unknown, opts: { version?: number } = {}): ConfigValidation {
  const check = checkerFor(opts.version ?? CURRENT_CONFIG_VERSION);
  if (!check.Check(value)) return { ok: false, errors: issuesFromErrors(check.Errors(value)) };
  const config = value as Config;
  const errors = crossReferenceIssues(config);
  return errors.length ? { ok: false, errors } : { ok: true, config };
}

function ptr(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** References between sections, duplicate ids, and values only the runtime can judge (time zone). */
export function crossReferenceIssues(c: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const menus = c.ivr.menus;
  const hasMenu = (id: string): boolean => Object.hasOwn(menus, id);

  if (!isKnownZone(c.shop.timezone)) add('/shop/timezone', `is not a known time zone: "${c.shop.timezone}"`);

  // The sim driver names its channels fxo1..fxoN, fxs1..fxsM, gsm1..gsmK. With real hardware the
  // ports are probed at start, so only the sim's channels can be checked here.
  const sim = c.hardware.driver === 'sim' ? c.hardware.sim : null;
  // The HAT's ports are in its description (hardware.pihat): checked with the rest of the hardware.
  issues.push(...hardwareIssues(c));
  const simHas = (kinds: ('fxo' | 'fxs' | 'gsm')[], ch: string): boolean =>
    sim === null ||
    kinds.some((k) => {
      const m = new RegExp(`^${k}([1-9][0-9]*)$`).exec(ch);
      return m !== null && Number(m[1]) <= sim[k];
    });
  const simList = (kinds: ('fxo' | 'fxs' | 'gsm')[]): string =>
    sim === null ? '' : kinds.map((k) => (sim[k] === 0 ? `no ${k}` : sim[k] === 1 ? `${k}1` : `${k}1..${k}${sim[k]}`)).join(', ');

  const firstIndex = <T>(items: readonly T[], key: (t: T) => string, where: (i: number) => string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const prev = seen.get(k);
      if (prev !== undefined) add(where(i), `duplicate ${what} "${k}" (first at ${where(prev)})`);
      else seen.set(k, i);
    });
    return seen;
  };

  firstIndex(
    c.lines,
    (l) => l.channel,
    (i) => `/lines/${i}/channel`,
    'line channel',
  );
  c.lines.forEach((l, i) => {
    if (!simHas(['fxo', 'gsm'], l.channel)) {
      add(`/lines/${i}/channel`, `no such line channel "${l.channel}" (the sim has ${simList(['fxo', 'gsm'])})`);
    }
    if (!hasMenu(l.ivr)) add(`/lines/${i}/ivr`, `no such menu "${l.ivr}"`);
  });
  (c.sip?.dids ?? []).forEach((d, i) => {
    if (!hasMenu(d.ivr)) add(`/sip/dids/${i}/ivr`, `no such menu "${d.ivr}"`);
  });
  // one channel sip-<user> per phone, one route per called number
  firstIndex(
    c.sip?.extensions ?? [],
    (e) => e.user,
    (i) => `/sip/extensions/${i}/user`,
    'extension',
  );
  firstIndex(
    c.sip?.dids ?? [],
    (d) => d.did.replace(/^\+/, ''),
    (i) => `/sip/dids/${i}/did`,
    'DID',
  );

  const agentIds = firstIndex(
    c.agents,
    (a) => a.id,
    (i) => `/agents/${i}/id`,
    'agent id',
  );
  c.agents.forEach((a, i) => {
    const sipPhone = c.sip?.extensions.some((e) => `sip-${e.user}` === a.extension) ?? false;
    if (!sipPhone && !simHas(['fxs'], a.extension)) {
      add(`/agents/${i}/extension`, `no such extension "${a.extension}" (the sim has ${simList(['fxs'])})`);
    }
  });

  const queueIds = firstIndex(
    c.queues,
    (q) => q.id,
    (i) => `/queues/${i}/id`,
    'queue id',
  );
  c.queues.forEach((q, qi) => {
    const members = new Set<string>();
    q.members.forEach((m, mi) => {
      const path = `/queues/${qi}/members/${mi}`;
      if (!agentIds.has(m)) add(path, `no such agent "${m}"`);
      else if (members.has(m)) add(path, `duplicate member "${m}"`);
      members.add(m);
    });
    if (q.overflowQueue !== undefined) {
      if (!queueIds.has(q.overflowQueue)) add(`/queues/${qi}/overflowQueue`, `no such queue "${q.overflowQueue}"`);
      else if (q.overflowQueue === q.id) add(`/queues/${qi}/overflowQueue`, 'a queue cannot overflow into itself');
    }
    q.overflow?.forEach((r, ri) => {
      const path = `/queues/${qi}/overflow/${ri}`;
      if (r.action === 'queue' && !queueIds.has(r.queue)) add(`${path}/queue`, `no such queue "${r.queue}"`);
      else if (r.action === 'queue' && r.queue === q.id) add(`${path}/queue`, 'a queue cannot overflow into itself');
      if (r.action === 'voicemail' && !(r.box ?? q.voicemail?.box))
        add(path, "voicemail overflow needs a box (here or in the queue's voicemail)");
      if (r.action === 'voicemail' && r.box && !(c.voicemail?.boxes ?? []).some((b) => b.id === r.box)) {
        add(`${path}/box`, `no such voicemail box "${r.box}"`);
      }
    });
  });

  const boxIds = firstIndex(
    c.voicemail?.boxes ?? [],
    (b) => b.id,
    (i) => `/voicemail/boxes/${i}/id`,
    'voicemail box id',
  );

  const checkAction = (path: string, a: Action): void => {
    if (a.action === 'queue' && !queueIds.has(a.queue)) add(`${path}/queue`, `no such queue "${a.queue}"`);
    if ((a.action === 'menu' || a.action === 'language') && !hasMenu(a.menu)) add(`${path}/menu`, `no such menu "${a.menu}"`);
    if (a.action === 'extension' && !agentIds.has(a.agent)) add(`${path}/agent`, `no such agent "${a.agent}"`);
    if (a.action === 'voicemail' && !boxIds.has(a.box)) add(`${path}/box`, `no such voicemail box "${a.box}"`);
    if (a.action === 'callback' && !queueIds.has(a.queue)) add(`${path}/queue`, `no such queue "${a.queue}"`);
    if (a.action === 'lookup') {
      if (!queueIds.has(a.queue)) add(`${path}/queue`, `no such queue "${a.queue}"`);
      if (a.lookup === 'whereToBuy' && a.collect) add(`${path}/collect`, 'whereToBuy collects no digits: remove collect');
      if (a.collect && a.collect.minDigits > a.collect.maxDigits) {
        add(
          `${path}/collect/minDigits`,
          `is ${a.collect.minDigits} but maxDigits is ${a.collect.maxDigits}: minDigits must not exceed maxDigits`,
        );
      }
    }
  };
  for (const [id, menu] of Object.entries(menus)) {
    const base = `/ivr/menus/${ptr(id)}`;
    for (const [key, action] of Object.entries(menu.options)) checkAction(`${base}/options/${ptr(key)}`, action);
    checkAction(`${base}/onTimeout`, menu.onTimeout);
    checkAction(`${base}/onInvalid`, menu.onInvalid);
  }
  firstIndex(
    c.dispositions ?? [],
    (d) => d.code,
    (i) => `/dispositions/${i}/code`,
    'disposition code',
  );
  if (c.hours) {
    checkAction('/hours/afterHours', c.hours.afterHours);
    for (const [day, intervals] of Object.entries(c.hours.weekly)) {
      (intervals ?? []).forEach((iv, i) => {
        if (iv.open >= iv.close) add(`/hours/weekly/${day}/${i}`, `opens at ${iv.open} but closes at ${iv.close}: close must be later`);
      });
    }
  }
  return issues;
}
