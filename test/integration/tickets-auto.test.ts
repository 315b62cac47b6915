// Automatic tickets (自动工单) from real simulated calls through the whole box in virtual time: a
// caller leaves a voicemail in the IVR → a ticket linked to the voicemail and the call, with the
// customer found by phone; resolving it schedules a return visit (回访) in the real follow-ups
// area; callers who give up while ringing → one missed-call ticket per caller per day.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import type { Actor } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';

const OWNER: Actor = { username: 'owner', role: 'owner' };

t.test('a voicemail left in the IVR opens a ticket; resolving it books a return visit', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-tk-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.voicemail = { boxes: [{ id: 'shop', name: '店铺留言 / Shop', maxLengthS: 60, silenceStopS: 5 }] };
  (c.ivr.menus.main as Config['ivr']['menus'][string]).options['9'] = { action: 'voicemail', box: 'shop' };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box, clock } = vb;
  // a known customer, written into the customers contract tables
  const db = new Database(join(dataDir, 'callbox.db'));
  const now = clock.now();
  db.prepare("INSERT INTO customers (id, name, source, created_at, updated_at) VALUES ('CUST1', '王女士', 'manual', ?, ?)").run(now, now);
  db.prepare("INSERT INTO customer_phones (phone, customer_id, added_at) VALUES ('+8613800138000', 'CUST1', ?)").run(now);
  db.close();
  box.service.tickets.updateSettings(OWNER, { returnVisitOnResolve: true, returnVisitAfterDays: 2 });

  const { callId } = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '9', hangupAfterS: 40 });
  await clock.runUntil(() => box.channels().find((ch) => ch.id === 'fxo1')?.state === 'idle', 120_000);
  await box.voicemail.drain();
  await clock.run(1000);
  t.equal(box.service.calls.get(callId)?.outcome, 'voicemail');
  const vm = box.service.voicemail.list({ state: 'new' })[0];
  t.ok(vm, 'the voicemail was saved');

  const page = box.service.tickets.search(OWNER, { source: 'voicemail' });
  t.equal(page.total, 1, 'one voicemail ticket');
  const ticket = page.items[0];
  if (!ticket) throw new Error('no ticket');
  t.match(ticket, { status: 'new', callId, customerId: 'CUST1', phone: '13800138000', createdBy: 'system', category: 'inquiry' });
  const detail = box.service.tickets.detail(OWNER, ticket.id);
  t.same(detail?.links.map((l) => `${l.kind}:${l.refId}`).sort(), [`call:${callId}`, `voicemail:${vm?.id}`].sort());
  t.equal(box.service.tickets.search(OWNER, { source: 'missed_call' }).total, 0, 'a voicemail is not a missed call');

  box.service.tickets.transition({ username: 'xiaoli', role: 'agent' }, ticket.id, { to: 'in_progress' });
  const resolved = box.service.tickets.transition({ username: 'xiaoli', role: 'agent' }, ticket.id, { to: 'resolved', note: '已回电解答' });
  t.equal(resolved.status, 'resolved');
  const items = box.service.followups.items(OWNER, { ticketId: ticket.id });
  t.equal(items.total, 1, 'a return visit was booked in the follow-ups area');
  t.match(items.items[0], { customerId: 'CUST1', state: 'pending' });
  t.equal(Date.parse(items.items[0]?.dueAt ?? ''), clock.now() + 2 * 86_400_000);
});

t.test('missed and abandoned calls: one missed-call ticket per caller per day', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-tk-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  // the box answers on the 5th ring, so a caller hanging up after 10 s is missed, with caller ID
  // (sent between the 1st and 2nd ring) known
  for (const line of c.lines) line.answerAfterRings = 5;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim!;
  // agents let it ring: a queued caller gives up (abandoned)
  sim.setAgentSettings({ answerAfterS: 600 });
  const ring = async (callerId: string, hangupAfterS = 10) => {
    const { callId } = await sim.placeCall({ channel: 'fxo1', callerId, digits: '1', hangupAfterS });
    await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
    await clock.run(2000);
    return callId;
  };
  const c1 = await ring('13900000001');
  t.match(box.service.calls.get(c1), { outcome: 'missed', callerId: '13900000001' });
  const c2 = await ring('13900000001', 45);
  t.equal(box.service.calls.get(c2)?.outcome, 'abandoned', 'gave up in the queue');
  const c3 = await ring('13700000003');
  const page = box.service.tickets.search(OWNER, { source: 'missed_call' });
  t.equal(page.total, 2, 'two callers, two tickets');
  const first = page.items.find((x) => x.phone === '13900000001');
  t.match(first, { callId: c1, status: 'new', subject: /139\*\*\*\*0001/ });
  t.same(
    box.service.tickets
      .detail(OWNER, first?.id ?? '')
      ?.links.map((l) => l.refId)
      .sort(),
    [c1, c2].sort(),
  );
  t.ok(page.items.find((x) => x.callId === c3));

  box.service.tickets.updateSettings(OWNER, { missedCallTickets: false });
  await ring('13600000006');
  t.equal(box.service.tickets.search(OWNER, { source: 'missed_call' }).total, 2, 'switched off: no ticket');
});
