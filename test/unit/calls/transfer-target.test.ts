// What a transfer's `to` names (calls/transfer-target.ts), and the *8N pickup code.
import t from 'tap';
import type { Channel } from '../../../hal/src/channel.js';
import { parseFeatureCode } from '../../../firmware/src/calls/feature-codes.js';
import { dialledTarget, menuCodes, resolveTarget, transferMenus } from '../../../firmware/src/calls/transfer-target.js';
import type { EngineConfig } from '../../../firmware/src/calls/engine-types.js';

const config = {
  lines: [],
  agents: [
    { id: 'a1', name: '一号', extension: 'fxs1' },
    { id: 'a2', name: '二号', extension: 'sip-102' },
  ],
  queues: [{ id: 'main', name: '主队列', strategy: 'longestIdle', members: ['a1'], ringTimeoutS: 15 }],
  menus: { main: {} },
  ringCadence: [1000, 4000],
} as unknown as EngineConfig;
const channels = new Map(['fxs1', 'sip-102'].map((id) => [id, { id, phone: id.startsWith('sip') } as unknown as Channel]));
const resolve = (to: unknown) => resolveTarget(to, config, (id) => channels.get(id));

t.test('agents by id, extension channel and extension number', (t) => {
  const cases: [string, string][] = [
    ['a1', 'a1'],
    ['fxs1', 'a1'],
    ['1', 'a1'],
    ['a2', 'a2'],
    ['sip-102', 'a2'],
    ['102', 'a2'],
  ];
  for (const [to, agent] of cases) {
    t.match(resolve(to), { kind: 'agent', agent: { id: agent } }, to);
  }
  t.end();
});

t.test('queues, the IVR, the survey, numbers', (t) => {
  t.match(resolve('queue:main'), { kind: 'queue', queue: { id: 'main' } });
  t.match(resolve('ivr:main'), { kind: 'ivr', menu: 'main' });
  t.match(resolve('ivr:survey'), { kind: 'survey' });
  t.match(resolve('13900001111'), { kind: 'external', number: '13900001111' });
  t.match(resolve('+8613900001111'), { kind: 'external' });
  t.end();
});

t.test('anything else is a 400 naming `to`', (t) => {
  for (const bad of ['queue:nope', 'ivr:nope', 'a9', '12', 'abc', '', 42, null, 'x'.repeat(65), '1390000111122223333344']) {
    t.throws(() => resolve(bad), { code: 'VALIDATION_FAILED', details: { field: 'to' } }, JSON.stringify(bad));
  }
  t.end();
});

t.test('*8N picks up slot 7N', (t) => {
  t.same(parseFeatureCode('*81'), { kind: 'pickup', slot: 71 });
  t.same(parseFeatureCode('*89#'), { kind: 'pickup', slot: 79 });
  t.equal(parseFeatureCode('*80'), null);
  t.equal(parseFeatureCode('*8'), null);
  t.end();
});

t.test('what a phone dials to transfer (FXS after a flash, a SIP REFER): the same codes', (t) => {
  const dialled = (code: string) => dialledTarget(code, config, (id) => channels.get(id));
  t.match(dialled('*61'), { kind: 'queue', label: 'queue:main' }, '*61: the first queue');
  t.match(dialled('*0'), { kind: 'ivr', menu: 'main', label: 'ivr:main' }, "*0: the IVR's main menu");
  t.match(dialled('*9'), { kind: 'survey', label: 'ivr:survey' }, '*9: the CSAT survey');
  t.match(dialled('102'), { kind: 'agent', label: 'a2' }, 'an extension');
  t.match(dialled('13800138000'), { kind: 'external', number: '13800138000' }, 'an outside number');
  t.throws(() => dialled('*62'), { code: 'VALIDATION_FAILED' }, 'no second queue');
  t.throws(() => dialled('*5'), { code: 'VALIDATION_FAILED' }, 'an unknown code');
  t.end();
});

t.test('*0N: the Nth IVR menu, main first then the others by id (the console lists them in that order)', (t) => {
  const menus = { zixun: {}, main: {}, shouhou: {} };
  const three = { ...config, menus } as unknown as EngineConfig;
  const dialled = (code: string) => dialledTarget(code, three, (id) => channels.get(id));
  t.same(transferMenus(menus), ['main', 'shouhou', 'zixun']);
  t.same(menuCodes(menus), { main: '*01', shouhou: '*02', zixun: '*03' });
  t.match(dialled('*01'), { kind: 'ivr', menu: 'main', label: 'ivr:main' }, '*01: main');
  t.match(dialled('*02'), { kind: 'ivr', menu: 'shouhou', label: 'ivr:shouhou' }, '*02: the after-sales menu');
  t.match(dialled('*03'), { kind: 'ivr', menu: 'zixun' }, '*03');
  t.match(dialled('*0'), { kind: 'ivr', menu: 'main' }, '*0 is still main');
  for (const bad of ['*04', '*00', '*099', '*0100', '*0x'])
    t.throws(() => dialled(bad), { code: 'VALIDATION_FAILED', details: { field: 'to' } }, `${bad}: no such menu`);
  t.same(transferMenus({ b: {}, a: {} }), ['a', 'b'], 'without main: by id');
  t.end();
});
