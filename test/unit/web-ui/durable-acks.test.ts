// A successful write is answered only after the box's commits are on the storage (durable-acks.ts):
// the response waits for durable(); reads and refused writes do not call it; a failed sync is a
// 500 STORAGE_FAILED, never a success.
import t from 'tap';
import { OWNER } from './fixtures/fake-service.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

const TOKEN_PATH = '/api/v1/auth/token';

t.test('a successful POST waits for durable(); a GET and a refused POST do not call it', async (t) => {
  let calls = 0;
  let release: () => void = () => {};
  const s = await startTestServer(t, {
    durable: () => {
      calls++;
      return new Promise<void>((r) => {
        release = r;
      });
    },
  });
  let answered = false;
  const pending = s.call(TOKEN_PATH, { method: 'POST', json: OWNER }).then((r) => {
    answered = true;
    return r;
  });
  for (let i = 0; i < 50 && calls === 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(calls, 1, 'the sign-in (a write: it makes a session) asked for durability');
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(answered, 'no answer while the sync runs');
  release();
  const res = await pending;
  t.equal(res.status, 200);
  const { token } = (await res.json()) as { token: string };

  const get = await s.call('/api/v1/calls', { token });
  t.equal(get.status, 200);
  await get.arrayBuffer();
  const bad = await s.call(TOKEN_PATH, { method: 'POST', json: { username: 'owner', password: 'wrong-password' } });
  t.equal(bad.status, 401);
  await bad.arrayBuffer();
  t.equal(calls, 1, 'neither a read nor a refused write waits for the storage');
});

t.test('a failed sync answers 500 STORAGE_FAILED, and the server keeps serving', async (t) => {
  let fail = true;
  const s = await startTestServer(t, {
    durable: async () => {
      if (fail) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    },
  });
  const res = await s.call(TOKEN_PATH, { method: 'POST', json: OWNER });
  t.equal(res.status, 500);
  t.match(await errorOf(res), { code: 'STORAGE_FAILED', message: /storage did not confirm it: EIO/ });
  fail = false;
  const ok = await s.call(TOKEN_PATH, { method: 'POST', json: OWNER });
  t.equal(ok.status, 200);
  await ok.arrayBuffer();
});
