// What a config change touches: changed sections, restart-only paths, the version hash, JSON merge
// patch (RFC 7386 examples), and secrets redacted for reading and restored when sent back.
import t from 'tap';
import {
  changedPaths,
  configVersion,
  mergePatch,
  REDACTED,
  redactSecrets,
  restartRequired,
  restoreSecrets,
  valueAt,
} from '../../../firmware/src/config/config-changes.js';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';

const base = (): Config => structuredClone(defaultConfig()) as Config;

t.test('changed sections: top level, and the fields of shop', async (t) => {
  const a = base();
  const b = base();
  t.same(changedPaths(a, b), []);
  b.shop.name = '李记';
  b.shop.country = 'US';
  (b.ivr.menus.main as Config['ivr']['menus'][string]).timeoutS = 5;
  b.hours = { weekly: {}, holidays: ['2026-02-17'], afterHours: { action: 'hangup' } };
  t.same(changedPaths(a, b), ['/hours', '/ivr', '/shop/country', '/shop/name']);
});

t.test('restart-only paths: hardware, country, time zone, SIP, cloud, provisioning; the rest is live', async (t) => {
  const booted = base();
  const next = base();
  next.queues[0]!.strategy = 'ringAll';
  next.agents[0]!.skills = { zh: 10 };
  next.recording = { ...next.recording!, retentionDays: 30 };
  next.ivr.menus.other = { ...(next.ivr.menus.main as Config['ivr']['menus'][string]) };
  next.lines[0]!.answerAfterRings = 3;
  t.same(restartRequired(booted, next), [], 'queues, agents, recording, IVR, lines: live');
  next.hardware.sim.fxo = 3;
  next.shop.timezone = 'Europe/Berlin';
  next.cloud = { enabled: true, url: 'mqtt://127.0.0.1:1883', deviceId: 'shop1' };
  next.sip = { extensions: [] };
  t.same(restartRequired(booted, next), ['/hardware', '/shop/timezone', '/sip', '/cloud']);
  const back = structuredClone(next) as Config;
  back.hardware.sim.fxo = 2;
  t.notOk(restartRequired(booted, back).includes('/hardware'), 'changed back: nothing to restart for');
});

t.test('version: a content hash that ignores key order', async (t) => {
  const a = base();
  const { ivr, ...rest } = a;
  const reordered = JSON.parse(JSON.stringify({ ivr, ...rest })) as Config;
  t.match(configVersion(a), /^[0-9a-f]{16}$/);
  t.equal(configVersion(reordered), configVersion(a));
  const b = base();
  b.shop.name = 'x';
  t.not(configVersion(b), configVersion(a));
});

t.test('JSON merge patch: the RFC 7386 examples', async (t) => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) t.same(mergePatch(target, patch), want, JSON.stringify(patch));
  const target = { a: { b: 1 } };
  mergePatch(target, { a: { b: 2 } });
  t.same(target, { a: { b: 1 } }, 'the target is not changed');
});

t.test('secrets: redacted for reading, restored when the placeholder comes back', async (t) => {
  const c = base();
  c.cloud = { enabled: true, url: 'mqtt://127.0.0.1:1883', deviceId: 'shop1', password: 'cloud-secret' };
  c.sip = { extensions: [{ user: '101', password: 'phone-secret-101' }] };
  const shown = redactSecrets(c);
  t.equal(shown.cloud?.password, REDACTED);
  t.equal(shown.sip?.extensions[0]?.password, REDACTED);
  t.equal(c.cloud.password, 'cloud-secret', 'the original is untouched');
  t.notOk(JSON.stringify(shown).includes('secret'), 'no secret in the redacted copy');

  const back = structuredClone(shown) as Config;
  back.sip?.extensions.push({ user: '102', password: REDACTED });
  const missing = restoreSecrets(back, c);
  t.equal(back.cloud?.password, 'cloud-secret');
  t.equal(back.sip?.extensions[0]?.password, 'phone-secret-101');
  t.same(missing, ['/sip/extensions/1/password'], 'a new phone cannot keep a secret it never had');
  t.equal(valueAt(back, '/sip/extensions/0/user'), '101');
  t.equal(valueAt(back, '/nope/x'), undefined);
});
