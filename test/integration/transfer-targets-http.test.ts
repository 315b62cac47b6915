// The console's transfer target picker offers every IVR menu of the config (issue 12): GET
// /api/v1/transfer-targets lists them (with the *0N code a phone dials for each) for any signed-in role with live.read, and an agent's blind
// transfer to a menu other than main (ivr:<menu>) sends the caller there.
import t from 'tap';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { talkingCall } from './fixtures/talking-call.js';

t.test('every IVR menu is a transfer target', async (t) => {
  const { box, callId, events } = await talkingCall(t, {
    hangupAfterS: 3600,
    talkS: 3600,
    config: (c) => {
      const main = c.ivr.menus.main;
      if (!main) throw new Error('no main menu');
      c.ivr.menus.shouhou = structuredClone(main); // 售后 after-sales menu
    },
  });
  const http = await serveApi(t, box.service);
  const agentId = box.service.calls.get(callId)?.agent as string;
  await box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId });
  const { call, url } = await apiAs(http.port, { agent: ['xiaowang', 'agent-pass-1'] });

  const menus = [...Object.keys(defaultConfig().ivr.menus), 'shouhou'].sort();
  t.same(Object.keys(box.config.ivr.menus).sort(), menus, 'the box runs with main and the after-sales menu');
  const codes = Object.fromEntries(['main', ...menus.filter((m) => m !== 'main')].map((m, i) => [m, `*0${i + 1}`]));
  t.same(codes.shouhou, '*02', 'main is *01, the after-sales menu *02');
  t.same(
    (await call('agent', 'GET', '/api/v1/transfer-targets')).body,
    { menus, codes },
    'the agent gets every menu and the code a phone dials for it',
  );
  t.equal((await fetch(url('/api/v1/transfer-targets'))).status, 401, 'not without signing in');

  t.match(await call('agent', 'POST', `/api/v1/calls/${callId}/transfer`, { to: 'ivr:shouhou', mode: 'blind' }), { status: 200 });
  t.match(events.find((e) => e.type === 'call.transferred')?.data, { target: 'ivr:shouhou', mode: 'blind' });
  t.equal(box.service.calls.get(callId)?.state, 'ivr', 'the caller is in the after-sales menu');
});
