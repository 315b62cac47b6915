// Follow-ups over HTTP: lists CRUD (201, 404, 409, 400 naming the field), items by hand and by tag,
// the item list, the agent's offer / accept / skip / outcome, and roles (agent works only as
// themselves, technicians nothing).
import t from 'tap';
import type { FollowupAttempt, FollowupItem, FollowupList, FollowupOffer } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';
import { ScriptedPort } from './fixtures/port.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const tokenOf = async (username: string, role: Role) => {
    s.fake.auth.users.set(username, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const port = new ScriptedPort();
  s.fake.followups.attachDialer(port);
  t.teardown(() => s.fake.followups.attachDialer(null));
  const json = async <T>(res: Response) => (await res.json()) as T;
  return { s, owner, tokenOf, port, json };
}

t.test('lists: create, read, patch with version, delete; bad input', async (t) => {
  const { s, owner, json } = await server(t);
  const res = await s.call('/api/v1/followups/lists', {
    method: 'POST',
    token: owner,
    json: {
      name: '售后回访',
      purpose: 'return_visit',
      callingHours: { mon: ['09:00-12:00'], sat: ['10:00-16:00'] },
      maxAttempts: 2,
      script: '您好，这里是…',
    },
  });
  t.equal(res.status, 201);
  const l = await json<FollowupList>(res);
  t.match(l, { name: '售后回访', purpose: 'return_visit', maxAttempts: 2, retryDelayMin: 60, active: true, version: 1 });
  t.same(l.callingHours.sat, ['10:00-16:00']);
  t.equal((await s.call(`/api/v1/followups/lists/${l.id}`, { token: owner })).status, 200);
  t.equal((await s.call('/api/v1/followups/lists/nope', { token: owner })).status, 404);
  const listAll = await json<{ items: FollowupList[]; total: number }>(await s.call('/api/v1/followups/lists', { token: owner }));
  t.equal(listAll.total, 1);
  const p = await s.call(`/api/v1/followups/lists/${l.id}`, { method: 'PATCH', token: owner, json: { active: false, version: 1 } });
  t.equal((await json<FollowupList>(p)).active, false);
  const stale = await s.call(`/api/v1/followups/lists/${l.id}`, { method: 'PATCH', token: owner, json: { name: 'x', version: 1 } });
  t.equal(stale.status, 409);
  const bad: [unknown, string][] = [
    [{ purpose: 'return_visit' }, 'name'],
    [{ name: 'x', purpose: 'party' }, 'purpose'],
    [{ name: 'x', purpose: 'other', maxAttempts: 0 }, 'maxAttempts'],
    [{ name: 'x', purpose: 'other', callingHours: { mon: ['9-5'] } }, 'callingHours.mon'],
    [{ name: 'x', purpose: 'other', color: 'red' }, 'color'],
  ];
  for (const [body, field] of bad) {
    const r = await s.call('/api/v1/followups/lists', { method: 'POST', token: owner, json: body });
    t.equal(r.status, 400, field);
    t.same((await errorOf(r)).details, { field });
  }
  t.equal((await s.call(`/api/v1/followups/lists/${l.id}`, { method: 'DELETE', token: owner })).status, 204);
  t.equal((await s.call(`/api/v1/followups/lists/${l.id}`, { token: owner })).status, 404);
});

t.test('items: add, import by tag, list with filters, patch, cancel', async (t) => {
  const { s, owner, json } = await server(t);
  const sys = { username: 'system', role: 'owner' } as const;
  s.fake.customers.create(sys, { name: '王女士', phones: ['13800000001'], tags: ['vip'] });
  const dnc = s.fake.customers.create(sys, { name: '李先生', phones: ['13900000002'], tags: ['vip'], doNotCall: true });
  const l = await json<FollowupList>(
    await s.call('/api/v1/followups/lists', { method: 'POST', token: owner, json: { name: '双十一', purpose: 'satisfaction' } }),
  );
  const add = await s.call(`/api/v1/followups/lists/${l.id}/items`, {
    method: 'POST',
    token: owner,
    json: { phone: '135 0000 0005', dueAt: '2026-11-27T10:00:00+08:00', note: '确认收货' },
  });
  t.equal(add.status, 201);
  const item = await json<FollowupItem>(add);
  t.match(item, { phone: '13500000005', state: 'pending', dueAt: '2026-11-27T02:00:00.000Z' });
  const badTime = await s.call(`/api/v1/followups/lists/${l.id}/items`, {
    method: 'POST',
    token: owner,
    json: { phone: '13500000005', dueAt: 'tomorrow' },
  });
  t.same((await errorOf(badTime)).details, { field: 'dueAt' });
  const badPhone = await s.call(`/api/v1/followups/lists/${l.id}/items`, { method: 'POST', token: owner, json: { phone: 'abc' } });
  t.same((await errorOf(badPhone)).details, { field: 'phone' });
  t.equal(
    (await s.call('/api/v1/followups/lists/nope/items', { method: 'POST', token: owner, json: { phone: '13500000005' } })).status,
    404,
  );
  const imp = await s.call(`/api/v1/followups/lists/${l.id}/import`, { method: 'POST', token: owner, json: { tag: 'vip' } });
  t.same(await imp.json(), { added: 1, skipped: [{ customerId: dnc.id, reason: 'do_not_call' }] });
  const all = await json<{ items: FollowupItem[]; total: number }>(
    await s.call(`/api/v1/followups/items?listId=${l.id}`, { token: owner }),
  );
  t.equal(all.total, 2);
  const due = await json<{ total: number }>(await s.call('/api/v1/followups/items?due=true', { token: owner }));
  t.equal(due.total, 1, 'only the imported one is due now');
  t.equal((await s.call('/api/v1/followups/items?state=open', { token: owner })).status, 400);
  const p = await s.call(`/api/v1/followups/items/${item.id}`, {
    method: 'PATCH',
    token: owner,
    json: { note: '改为电话确认', version: 1 },
  });
  t.equal((await json<FollowupItem>(p)).note, '改为电话确认');
  const c = await s.call(`/api/v1/followups/items/${item.id}/cancel`, { method: 'POST', token: owner });
  t.equal((await json<FollowupItem>(c)).state, 'cancelled');
  t.equal((await s.call(`/api/v1/followups/items/${item.id}/cancel`, { method: 'POST', token: owner })).status, 409);
  t.equal((await s.call('/api/v1/followups/items/nope', { token: owner })).status, 404);
});

t.test('the agent: own offer, accept (201 attempt), outcome; skip; roles', async (t) => {
  const { s, owner, tokenOf, port, json } = await server(t);
  const f = s.fake.followups;
  const sys = { username: 'system', role: 'owner' } as const;
  const a = f.schedule(sys, { purpose: 'return_visit', phone: '13600000006', dueAt: s.fake.boClock.now(), ticketId: 'T9' });
  const b = f.schedule(sys, { purpose: 'return_visit', phone: '13600000007', dueAt: s.fake.boClock.now() });
  port.agents = ['a1', 'a2'];
  t.equal(f.tick(), 2);
  const a1 = await tokenOf('a1', 'agent');
  const offer = await json<{ offer: FollowupOffer | null }>(await s.call('/api/v1/followups/offer', { token: a1 }));
  t.equal(offer.offer?.item.id, a.id);
  t.equal(offer.offer?.item.phone, '136****0006', 'masked for agents');
  t.equal((await s.call('/api/v1/followups/offer?agent=a2', { token: a1 })).status, 403, 'an agent works only as themselves');
  const sup = await tokenOf('lead', 'supervisor');
  const forA2 = await json<{ offer: FollowupOffer | null }>(await s.call('/api/v1/followups/offer?agent=a2', { token: sup }));
  t.equal(forA2.offer?.item.id, b.id, 'a supervisor may look at any agent');
  t.equal(forA2.offer?.item.phone, '13600000007');
  const none = await json<{ offer: null }>(await s.call('/api/v1/followups/offer', { token: sup }));
  t.equal(none.offer, null);

  t.equal((await s.call(`/api/v1/followups/items/${b.id}/accept`, { method: 'POST', token: a1 })).status, 409, "not a1's offer");
  const acc = await s.call(`/api/v1/followups/items/${a.id}/accept`, { method: 'POST', token: a1 });
  t.equal(acc.status, 201);
  t.match(await json<FollowupAttempt>(acc), { n: 1, agent: 'a1' });
  t.equal(port.requests[0]?.agentId, 'a1');
  const a2 = await tokenOf('a2', 'agent');
  const notYours = await s.call(`/api/v1/followups/items/${a.id}/outcome`, { method: 'POST', token: a2, json: { outcome: 'reached' } });
  t.equal(notYours.status, 403);
  const badOutcome = await s.call(`/api/v1/followups/items/${a.id}/outcome`, { method: 'POST', token: a1, json: { outcome: 'happy' } });
  t.same((await errorOf(badOutcome)).details, { field: 'outcome' });
  const later = await s.call(`/api/v1/followups/items/${a.id}/outcome`, {
    method: 'POST',
    token: a1,
    json: { outcome: 'callback_later', callbackAt: '2026-11-26T16:00:00+08:00', note: '客户在开车' },
  });
  t.equal(later.status, 200);
  t.match(await json<FollowupItem>(later), { state: 'pending', outcome: 'callback_later', nextAt: '2026-11-26T08:00:00.000Z' });
  const att = await json<{ items: FollowupAttempt[] }>(await s.call(`/api/v1/followups/items/${a.id}/attempts`, { token: a1 }));
  t.match(att.items, [{ outcome: 'callback_later', note: '客户在开车' }]);

  const skip = await s.call(`/api/v1/followups/items/${b.id}/skip`, { method: 'POST', token: a2, json: { note: '稍后' } });
  t.equal((await json<FollowupItem>(skip)).state, 'pending');

  const tech = await tokenOf('tech', 'technician');
  t.equal((await s.call('/api/v1/followups/offer', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/followups/lists', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/followups/lists', { method: 'POST', token: a1, json: { name: 'x', purpose: 'other' } })).status, 403);
  t.equal((await s.call('/api/v1/followups/lists', { token: a1 })).status, 200, 'agents read lists');
  t.equal((await s.call('/api/v1/followups/offer')).status, 401);
  t.ok(owner);
});
