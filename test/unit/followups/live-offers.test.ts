// The dialer's offers pushed over the live stream (GET /api/v1/events/stream, `event: offer`): to
// the agent the offer is for and to supervisors and the owner, never to another agent; no SSE id
// (not in the event log: a reconnect's Last-Event-ID is untouched); an offer that expires is told too.
import t from 'tap';
import { OFFER_TTL_MS } from '../../../firmware/src/backoffice/followups/desk.js';
import type { OfferNotice } from '../../../firmware/src/service/types.js';
import { startTestServer } from '../web-ui/fixtures/helpers.js';
import { openSse, type SseReader } from '../web-ui/fixtures/sse.js';
import { ScriptedPort } from './fixtures/port.js';

t.test('an offer goes to its agent and the supervisors, not to the other agents', async (t) => {
  const s = await startTestServer(t);
  const owner = await s.login();
  const port = new ScriptedPort();
  port.agents = [];
  s.fake.followups.attachDialer(port);
  t.teardown(() => s.fake.followups.attachDialer(null));
  const streams: Record<string, SseReader> = {};
  const users = [
    ['xiaowang', 'agent', 'a1'],
    ['xiaoli', 'agent', 'a2'],
    ['laozhang', 'supervisor', null],
  ] as const;
  for (const [username, role, agentId] of users) {
    s.fake.auth.users.set(username, { password: 'pass-word-1', role, agentId });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username, password: 'pass-word-1' } });
    const token = ((await res.json()) as { token: string }).token;
    streams[username] = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${token}` });
  }
  streams.owner = await openSse(s.url('/api/v1/events/stream'), { authorization: `Bearer ${owner}` });
  t.teardown(() => {
    for (const r of Object.values(streams)) r.close();
  });
  for (const r of Object.values(streams)) await r.until('snapshot');
  const post = async (path: string, json: unknown) =>
    (await (await s.call(path, { method: 'POST', token: owner, json })).json()) as { id: string };
  const list = await post('/api/v1/followups/lists', { name: '回访', purpose: 'return_visit' });

  port.agents = ['a1'];
  const first = await post(`/api/v1/followups/lists/${list.id}/items`, { phone: '13800000001' });
  s.fake.boClock.advance(0); // the pass the new item kicked
  port.agents = ['a2'];
  const second = await post(`/api/v1/followups/lists/${list.id}/items`, { phone: '13800000002' });
  s.fake.boClock.advance(0);
  s.fake.boClock.advance(OFFER_TTL_MS + 1); // both expire

  const offers = async (who: string, n: number) => {
    const out: [string, string, string][] = [];
    for (let i = 0; i < n; i++) {
      const m = await (streams[who] as SseReader).until('offer');
      t.equal(m.id, null, 'no SSE id');
      const d = m.data as OfferNotice;
      out.push([d.agent, d.itemId, d.change]);
    }
    return out;
  };
  t.same(
    await offers('xiaowang', 2),
    [
      ['a1', first.id, 'offered'],
      ['a1', first.id, 'expired'],
    ],
    "a1 gets its own offer and its expiry, never a2's",
  );
  t.same(
    await offers('xiaoli', 2),
    [
      ['a2', second.id, 'offered'],
      ['a2', second.id, 'expired'],
    ],
    "a2 only a2's",
  );
  const all = [
    ['a1', first.id, 'offered'],
    ['a2', second.id, 'offered'],
  ];
  t.same((await offers('laozhang', 4)).slice(0, 2), all, 'the supervisor gets every offer');
  t.same((await offers('owner', 4)).slice(0, 2), all, 'the owner too');
});
