import t from 'tap';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { exampleHat } from '../../../hal/src/drivers/pihat/example-hat.js';

function errorsOf(value: unknown): { path: string; message: string }[] {
  const r = validateConfig(value);
  return r.ok ? [] : r.errors;
}

function mutated(fn: (c: Config) => void): Config {
  const c = defaultConfig();
  fn(c);
  return c;
}

t.test('the default config is valid and matches the spec', (t) => {
  const r = validateConfig(defaultConfig());
  t.ok(r.ok, r.ok ? 'valid' : JSON.stringify(r.errors));
  const c = defaultConfig();
  t.same(
    c.lines.map((l) => [l.channel, l.ivr, l.answerAfterRings]),
    [
      ['fxo1', 'main', 1],
      ['fxo2', 'main', 1],
      ['gsm1', 'main', 1],
    ],
  );
  t.same(
    c.agents.map((a) => `${a.id}@${a.extension}`),
    ['a1@fxs1', 'a2@fxs2', 'a3@fxs3', 'a4@fxs4'],
  );
  t.same(c.hardware.sim, { fxo: 2, fxs: 4, gsm: 1, agentAnswerAfterS: 3, agentTalkS: 30 });
  t.match(c.queues[0], { id: 'main', strategy: 'longestIdle', members: ['a1', 'a2', 'a3', 'a4'], ringTimeoutS: 20 });
  t.same(c.ivr.menus.main?.onInvalid, { action: 'menu', menu: 'main' });
  t.same(c.recording, { enabled: true, format: 'pcm16', channels: 'mixed', retentionDays: 180, quotaMB: 4096, compress: 'none' });
  t.end();
});

t.test('schema errors name the field', (t) => {
  t.same(errorsOf(mutated((c) => ((c.queues[0] as { ringTimeoutS: unknown }).ringTimeoutS = 2))), [
    { path: '/queues/0/ringTimeoutS', message: 'must be an integer >= 5' },
  ]);
  t.same(errorsOf(mutated((c) => ((c.queues[0] as { ringTimeoutS: unknown }).ringTimeoutS = '20'))), [
    { path: '/queues/0/ringTimeoutS', message: 'must be an integer 5..120' },
  ]);
  t.same(errorsOf(mutated((c) => Object.assign(c.shop, { colour: 'red' }))), [{ path: '/shop/colour', message: 'is not a known field' }]);
  t.same(errorsOf(mutated((c) => ((c.shop as { country: string }).country = 'FR'))), [
    { path: '/shop/country', message: 'must be one of "CN", "US", "EU"' },
  ]);
  t.same(errorsOf(mutated((c) => ((c.agents[0] as { id: string }).id = 'Agent 1'))), [
    { path: '/agents/0/id', message: 'must match ^[a-z][a-z0-9_-]{0,31}$' },
  ]);
  t.same(errorsOf(mutated((c) => delete (c.http as { metricsRequireAuth?: boolean }).metricsRequireAuth)), [
    { path: '/http/metricsRequireAuth', message: 'is required (true or false)' },
  ]);
  t.end();
});

t.test('IVR action errors name the field inside the chosen action', (t) => {
  const menu = (c: Config) => c.ivr.menus.main as { options: Record<string, unknown>; onTimeout: unknown };
  t.same(errorsOf(mutated((c) => (menu(c).options['1'] = { action: 'queue' }))), [
    { path: '/ivr/menus/main/options/1/queue', message: 'is required (a string)' },
  ]);
  t.same(errorsOf(mutated((c) => (menu(c).onTimeout = { action: 'dance' }))), [
    {
      path: '/ivr/menus/main/onTimeout/action',
      message: 'must be one of "queue", "menu", "extension", "language", "hangup", "voicemail", "callback", "lookup"',
    },
  ]);
  t.same(errorsOf(mutated((c) => (menu(c).options.x = { action: 'hangup' }))), [
    { path: '/ivr/menus/main/options/x', message: 'is not an allowed key (keys must match ^[0-9*#]$)' },
  ]);
  t.same(errorsOf(mutated((c) => (menu(c).onTimeout = { action: 'hangup', queue: 'main' }))), [
    { path: '/ivr/menus/main/onTimeout/queue', message: 'is not a known field' },
  ]);
  t.end();
});

t.test('cross references are checked and named', (t) => {
  t.same(errorsOf(mutated((c) => c.queues[0]?.members.push('a9'))), [{ path: '/queues/0/members/4', message: 'no such agent "a9"' }]);
  t.same(errorsOf(mutated((c) => ((c.lines[1] as { ivr: string }).ivr = 'night'))), [
    { path: '/lines/1/ivr', message: 'no such menu "night"' },
  ]);
  t.same(errorsOf(mutated((c) => ((c.agents[3] as { extension: string }).extension = 'fxs5'))), [
    { path: '/agents/3/extension', message: 'no such extension "fxs5" (the sim has fxs1..fxs4)' },
  ]);
  t.same(errorsOf(mutated((c) => ((c.lines[0] as { channel: string }).channel = 'fxs1'))), [
    { path: '/lines/0/channel', message: 'no such line channel "fxs1" (the sim has fxo1..fxo2, gsm1)' },
  ]);
  t.same(
    errorsOf(
      mutated((c) => {
        const m = c.ivr.menus.main as { options: Record<string, unknown> };
        m.options['2'] = { action: 'menu', menu: 'sales' };
        m.options['3'] = { action: 'extension', agent: 'bob' };
        m.options['4'] = { action: 'queue', queue: 'vip' };
      }),
    ),
    [
      { path: '/ivr/menus/main/options/2/menu', message: 'no such menu "sales"' },
      { path: '/ivr/menus/main/options/3/agent', message: 'no such agent "bob"' },
      { path: '/ivr/menus/main/options/4/queue', message: 'no such queue "vip"' },
    ],
  );
  t.same(errorsOf(mutated((c) => ((c.shop as { timezone: string }).timezone = 'Mars/Olympus'))), [
    { path: '/shop/timezone', message: 'is not a known time zone: "Mars/Olympus"' },
  ]);
  t.end();
});

t.test('duplicate ids are refused', (t) => {
  t.same(errorsOf(mutated((c) => c.agents.push({ id: 'a1', name: 'again', extension: 'fxs4' }))), [
    { path: '/agents/4/id', message: 'duplicate agent id "a1" (first at /agents/0/id)' },
  ]);
  t.same(errorsOf(mutated((c) => c.queues.push({ ...(c.queues[0] as Config['queues'][number]) }))), [
    { path: '/queues/1/id', message: 'duplicate queue id "main" (first at /queues/0/id)' },
  ]);
  t.same(errorsOf(mutated((c) => c.lines.push({ ...(c.lines[0] as Config['lines'][number]) }))), [
    { path: '/lines/3/channel', message: 'duplicate line channel "fxo1" (first at /lines/0/channel)' },
  ]);
  t.same(errorsOf(mutated((c) => c.queues[0]?.members.push('a1'))), [{ path: '/queues/0/members/4', message: 'duplicate member "a1"' }]);
  t.end();
});

t.test('pihat channels are checked against the HAT description, not the sim', (t) => {
  const r = validateConfig(
    mutated((c) => {
      c.hardware.driver = 'pihat';
      const hat = exampleHat();
      (hat.ports[3] as { id: string }).id = 'fxs12';
      c.hardware.pihat = hat;
      c.agents = c.agents.slice(0, 2);
      (c.agents[0] as { extension: string }).extension = 'fxs12';
      (c.agents[1] as { extension: string }).extension = 'fxs1';
      (c.queues[0] as { members: string[] }).members = ['a1', 'a2'];
    }),
  );
  t.ok(r.ok, r.ok ? 'valid' : JSON.stringify(r.errors));
  t.end();
});

t.test('queue overflow must name another existing queue', (t) => {
  const base = defaultConfig();
  const bad = { ...base, queues: [{ ...(base.queues[0] as Config['queues'][number]), overflowQueue: 'nowhere' }] };
  const r = validateConfig(bad);
  t.notOk(r.ok);
  t.match(JSON.stringify(r.ok ? [] : r.errors), /\/queues\/0\/overflowQueue.*no such queue \\"nowhere\\"/);
  const self = { ...base, queues: [{ ...(base.queues[0] as Config['queues'][number]), overflowQueue: 'main' }] };
  const r2 = validateConfig(self);
  t.match(JSON.stringify(r2.ok ? [] : r2.errors), /cannot overflow into itself/);
  t.end();
});
