// The IVR changed through the REST API on a running box (sim driver, virtual time): a technician reads
// the config, adds an after-sales menu and queue with a merge patch (If-Match the version), and the
// next simulated call that presses 2 then 1 walks the new menu into the new queue; no restart.
import { pino } from 'pino';
import t from 'tap';
import type { ConfigApplyResult, ConfigSnapshot } from '../../firmware/src/service/types.js';
import { startHttpServer } from '../../web-ui/server/app.js';
import { virtualBox } from '../helpers/box.js';

t.test('PATCH /api/v1/config: the next call follows the new menu', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const http = await startHttpServer({ service: vb.box.service, log: pino({ level: 'silent' }), port: 0 });
  t.teardown(() => http.close());
  const url = (p: string) => `http://127.0.0.1:${http.port}${p}`;
  await vb.box.service.auth.addUser({ username: 'tech', password: 'tech-password-1', role: 'technician' });
  const login = await fetch(url('/api/v1/auth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tech', password: 'tech-password-1' }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 3 });
  const call = async (digits: string) => {
    const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13900139000', digits, hangupAfterS: 90 });
    await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 180_000);
    return vb.box.service.calls.get(callId);
  };

  const before = await call('21');
  t.not(before?.queue, 'service', 'before: no after-sales queue');

  const got = await fetch(url('/api/v1/config'), { headers: auth });
  const snap = (await got.json()) as ConfigSnapshot;
  const patch = {
    queues: [
      ...snap.config.queues,
      { id: 'service', name: '售后 / After-sales', strategy: 'linear', members: ['a3'], ringTimeoutS: 15, maxWaitS: 120, wrapUpS: 0 },
    ],
    ivr: {
      menus: {
        main: { options: { '2': { action: 'menu', menu: 'aftersales' } } },
        aftersales: {
          prompt: 'welcome',
          timeoutS: 5,
          repeats: 1,
          options: { '1': { action: 'queue', queue: 'service' } },
          onTimeout: { action: 'hangup' },
          onInvalid: { action: 'menu', menu: 'aftersales' },
        },
      },
    },
  };
  const res = await fetch(url('/api/v1/config'), {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/merge-patch+json', 'if-match': got.headers.get('etag') ?? '' },
    body: JSON.stringify(patch),
  });
  t.equal(res.status, 200);
  t.same(((await res.json()) as ConfigApplyResult).applied, ['/ivr', '/queues']);

  const after = await call('21');
  t.match(after, { outcome: 'answered', queue: 'service', agent: 'a3', ivrPath: '21' }, 'the new menu, the new queue');
  t.same(
    vb.box.service.acd.queues().map((q) => q.id),
    ['main', 'service'],
  );
  const stale = await fetch(url('/api/v1/config'), {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': got.headers.get('etag') ?? '' },
    body: JSON.stringify({ shop: { name: 'x' } }),
  });
  t.equal(stale.status, 409, 'the old version is stale now');
});
