// The live stream: GET /api/v1/events/stream (SSE) — auth and roles, the snapshot on connect, an
// engine event delivered with its seq and a fresh snapshot after it, Last-Event-ID resume, phone
// masking for roles without customers.phones, and a slow client dropped without holding others.
import t from 'tap';
import { frame, LiveHub } from '../../../web-ui/server/live/hub.js';
import type { WallboardSnapshot } from '../../../web-ui/server/live/snapshot.js';
import { FakeService } from './fixtures/fake-service.js';
import { startTestServer } from './fixtures/helpers.js';
import { openSse } from './fixtures/sse.js';

async function tokenFor(s: Awaited<ReturnType<typeof startTestServer>>, role: 'agent' | 'technician'): Promise<string> {
  s.fake.auth.users.set(role, { password: 'role-password-1', role });
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'role-password-1' } });
  return ((await res.json()) as { token: string }).token;
}

t.test('the stream needs a sign-in and live.read', async (t) => {
  const s = await startTestServer(t);
  t.equal((await s.call('/api/v1/events/stream')).status, 401);
  const tech = await tokenFor(s, 'technician');
  const res = await s.call('/api/v1/events/stream', { token: tech });
  t.equal(res.status, 403);
  t.equal((await s.call('/api/v1/wallboard', { token: tech })).status, 403);
  const bad = await s.call('/api/v1/events/stream', { token: await s.login(), headers: { 'last-event-id': 'abc' } });
  t.equal(bad.status, 400);
});

t.test('snapshot on connect, then events with their seq and a fresh snapshot', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const sse = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${token}` });
  t.teardown(() => sse.close());
  t.equal(sse.status, 200);
  t.match(sse.headers.get('content-type'), /^text\/event-stream/);
  const first = await sse.next();
  t.equal(first.event, 'snapshot');
  const snap = first.data as WallboardSnapshot;
  t.same(
    snap.lines.map((l) => l.id),
    ['fxo1'],
    'shop lines',
  );
  t.same(
    snap.extensions.map((l) => l.id),
    ['fxs1'],
  );
  t.same(
    snap.agents.map((a) => a.id),
    ['a1', 'a2'],
  );
  t.equal(snap.waiting, 0);
  t.ok(snap.today, 'today figures');

  const sent = s.fake.live.publish('agent.state', null, { agent: 'a1', from: 'available', to: 'paused', reason: 'lunch' });
  const ev = await sse.next();
  t.equal(ev.event, 'event');
  t.equal(ev.id, String(sent.seq));
  t.match(ev.data, { seq: sent.seq, type: 'agent.state', data: { agent: 'a1', to: 'paused' } });
  const after = await sse.until('snapshot');
  t.equal(after.id, String(s.fake.live.lastSeq()));
  const wall = (await (await s.call('/api/v1/wallboard', { token })).json()) as WallboardSnapshot;
  t.equal(wall.seq, sent.seq, 'GET /api/v1/wallboard answers the same picture');
});

t.test('Last-Event-ID replays the missed events before the snapshot', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  for (let i = 1; i <= 3; i++) s.fake.live.publish('queue.enter', `c${i}`, { queue: 'main' });
  const sse = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${token}`, 'last-event-id': '1' });
  t.teardown(() => sse.close());
  const a = await sse.next();
  const b = await sse.next();
  const c = await sse.next();
  t.same([a.event, a.id, b.event, b.id, c.event], ['event', '2', 'event', '3', 'snapshot']);
});

t.test('phone numbers in events are masked for roles without customers.phones', async (t) => {
  const s = await startTestServer(t);
  const agentSse = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${await tokenFor(s, 'agent')}` });
  const ownerSse = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${await s.login()}` });
  t.teardown(() => {
    agentSse.close();
    ownerSse.close();
  });
  await agentSse.until('snapshot');
  await ownerSse.until('snapshot');
  s.fake.live.publish('call.ringing', 'c1', { callerId: '13812345678', line: 'fxo1' });
  t.match((await agentSse.until('event')).data, { data: { callerId: '138****5678', line: 'fxo1' } });
  t.match((await ownerSse.until('event')).data, { data: { callerId: '13812345678' } });
});

t.test('a slow client is dropped; the others keep receiving and the box never waits', (t) => {
  const fake = new FakeService();
  const hub = new LiveHub(fake, { maxBufferBytes: 1000, snapshotDelayMs: 5 });
  t.teardown(() => hub.close());
  const fast: string[] = [];
  let slowBuffered = 0;
  let dropped = '';
  hub.add(
    {
      phones: true,
      write: (c) => {
        fast.push(c);
        return 0;
      },
      drop: () => undefined,
    },
    null,
  );
  hub.add(
    {
      phones: true,
      write: (c) => {
        slowBuffered += c.length; // never drains
        return slowBuffered;
      },
      drop: (why) => {
        dropped = why;
      },
    },
    null,
  );
  t.equal(hub.size, 2);
  for (let i = 0; i < 20; i++) fake.live.publish('queue.enter', `c${i}`, { queue: 'main', pad: 'x'.repeat(100) });
  t.equal(dropped, 'too slow');
  t.equal(hub.size, 1);
  t.equal(hub.dropped, 1);
  t.equal(fast.filter((c) => c.includes('event: event')).length, 20, 'the fast client got every event');
  t.equal(frame('x', { a: 1 }, 7), 'id: 7\nevent: x\ndata: {"a":1}\n\n');
  t.end();
});

t.test('a gap longer than the replay limit gets the snapshot alone', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  for (let i = 1; i <= 250; i++) s.fake.live.publish('queue.enter', `c${i}`, { queue: 'main' });
  const sse = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${token}`, 'last-event-id': '10' });
  t.teardown(() => sse.close());
  const first = await sse.next();
  t.equal(first.event, 'snapshot');
  t.equal(first.id, '250');
});
