// The console's transfer target picker offers every IVR menu of the config (issue 12): GET
// /api/v1/transfer-targets lists them for any signed-in role with live.read, and an agent's blind
// transfer to a menu other than main (ivr:<menu>) sends the caller there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { startHttpServer } from '../../web-ui/server/app.js';
import { virtualBox } from '../helpers/box.js';
import { apiAs } from '../helpers/http-api.js';

t.test('every IVR menu is a transfer target', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-targets-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  const main = c.ivr.menus.main;
  if (!main) throw new Error('no main menu');
  c.ivr.menus.shouhou = structuredClone(main); // 售后 after-sales menu
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const http = await startHttpServer({ service: box.service, log: pino({ level: 'silent' }), port: 0 });
  t.teardown(() => http.close());
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 2, talkS: 3600 });
  const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 3600 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'talking', 60_000);
  const agentId = box.service.calls.get(callId)?.agent as string;
  await box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId });
  const { call, url } = await apiAs(http.port, { agent: ['xiaowang', 'agent-pass-1'] });

  const menus = Object.keys(c.ivr.menus).sort();
  t.ok(menus.length >= 2);
  t.match(await call('agent', 'GET', '/api/v1/transfer-targets'), { status: 200, body: { menus } }, 'the agent gets every menu');
  t.equal((await fetch(url('/api/v1/transfer-targets'))).status, 401, 'not without signing in');

  const events: { type: string; data: unknown }[] = [];
  box.engine.events.on('event', (e) => events.push({ type: e.type, data: e.data }));
  t.match(await call('agent', 'POST', `/api/v1/calls/${callId}/transfer`, { to: 'ivr:shouhou', mode: 'blind' }), { status: 200 });
  t.match(events.find((e) => e.type === 'call.transferred')?.data, { target: 'ivr:shouhou', mode: 'blind' });
  t.equal(box.service.calls.get(callId)?.state, 'ivr', 'the caller is in the after-sales menu');
});
