// Automatic tickets from the call engine's ended calls (emitted on the real back office's
// engineEvents): voicemail → ticket linked to voicemail and call; missed/abandoned/noAgent → one
// ticket per caller per local day; settings switch them off; listeners never throw.
import t from 'tap';
import type { CallOutcome, CallRecord } from '../../../firmware/src/service/types.js';
import { addCall, addVoicemail, world } from './fixtures/world.js';

const OWNER = { username: 'owner', role: 'owner' } as const;

function record(id: string, callerId: string | null, outcome: CallOutcome, direction: 'inbound' | 'outbound' = 'inbound'): CallRecord {
  return {
    id,
    direction,
    state: 'ended',
    callerId,
    callerName: null,
    startedAt: new Date(Date.UTC(2026, 10, 26, 1)).toISOString(),
    answeredAt: null,
    endedAt: new Date(Date.UTC(2026, 10, 26, 1, 1)).toISOString(),
    outcome,
    ivrPath: '',
    queue: null,
    agent: null,
    legs: [],
  };
}

function end(
  w: ReturnType<typeof world>,
  id: string,
  callerId: string | null,
  outcome: CallOutcome,
  direction: 'inbound' | 'outbound' = 'inbound',
) {
  addCall(w.db, id, callerId, outcome);
  w.events.emit('call', { call: record(id, callerId, outcome, direction), event: 'call.ended' });
}

t.test('a voicemail opens a ticket linked to the voicemail and the call', async (t) => {
  const w = world();
  addCall(w.db, 'CALL1', '013800000001', 'voicemail');
  addVoicemail(w.db, 'VM1', 'CALL1', '013800000001');
  w.events.emit('call', { call: record('CALL1', '013800000001', 'voicemail'), event: 'call.ended' });
  const page = w.bo.tickets.search(OWNER, { source: 'voicemail' });
  t.equal(page.total, 1);
  const tk = page.items[0];
  t.match(tk, { source: 'voicemail', customerId: 'C1', callId: 'CALL1', phone: '013800000001', status: 'new', createdBy: 'system' });
  t.match(tk?.subject, '留言 / Voicemail: 0138****0001');
  t.same(
    w.bo.tickets.detail(OWNER, tk?.id ?? '')?.links.map((l) => `${l.kind}:${l.refId}`),
    ['call:CALL1', 'voicemail:VM1'],
  );
  // the same end seen twice (e.g. a replay) does not make a second ticket
  w.events.emit('call', { call: record('CALL1', '013800000001', 'voicemail'), event: 'call.ended' });
  t.equal(w.bo.tickets.search(OWNER, {}).total, 1);
  t.equal(w.bo.outbox.pending('tickets', 10).length, 1, 'one outbox row');
});

t.test('missed calls: one ticket per caller per local day, later calls linked', async (t) => {
  const w = world();
  end(w, 'M1', '13800000001', 'missed');
  end(w, 'M2', '+8613800000001', 'abandoned');
  end(w, 'M3', '13800000001', 'noAgent');
  end(w, 'M4', '13900000009', 'missed');
  end(w, 'A1', '13800000001', 'answered');
  end(w, 'O1', '13800000001', 'notAccepted', 'outbound');
  end(w, 'X1', null, 'missed');
  end(w, 'X2', 'P', 'missed');
  const page = w.bo.tickets.search(OWNER, { source: 'missed_call' });
  t.equal(page.total, 2, 'two callers, two tickets; no caller ID: none');
  const first = page.items.find((x) => x.customerId === 'C1');
  t.match(first, { subject: '未接来电 / Missed call: 138****0001', callId: 'M1', version: 3 });
  t.same(
    w.bo.tickets.detail(OWNER, first?.id ?? '')?.links.map((l) => l.refId),
    ['M1', 'M2', 'M3'],
  );
  t.same(
    w.bo.tickets.detail(OWNER, first?.id ?? '')?.events.map((e) => e.type),
    ['created', 'auto_link', 'auto_link'],
  );
  // resolved: the next missed call opens a new one
  w.bo.tickets.transition(OWNER, first?.id ?? '', { to: 'resolved' });
  end(w, 'M5', '13800000001', 'missed');
  t.equal(w.bo.tickets.search(OWNER, { source: 'missed_call', customerId: 'C1' }).total, 2);
  // the next local day (Shanghai): a new ticket even though the other is open
  w.clock.advance(24 * 3_600_000);
  end(w, 'M6', '13800000001', 'missed');
  t.equal(w.bo.tickets.search(OWNER, { source: 'missed_call', customerId: 'C1' }).total, 3);
});

t.test('settings switch automatic tickets off', async (t) => {
  const w = world();
  w.bo.tickets.updateSettings(OWNER, { missedCallTickets: false, voicemailTickets: false });
  end(w, 'M1', '13800000001', 'missed');
  addCall(w.db, 'V1', '13800000001', 'voicemail');
  addVoicemail(w.db, 'VM1', 'V1', '13800000001');
  w.events.emit('call', { call: record('V1', '13800000001', 'voicemail'), event: 'call.ended' });
  t.equal(w.bo.tickets.search(OWNER, {}).total, 0);
});

t.test('a failure in the listener never reaches the engine', async (t) => {
  const w = world();
  let listenerErrors = 0;
  w.events.onListenerError = () => {
    listenerErrors++;
  };
  w.db.exec('DROP TABLE ticket_links');
  t.doesNotThrow(() => end(w, 'M1', '13800000001', 'missed'));
  addCall(w.db, 'V1', '13800000001', 'voicemail');
  // no voicemail row: logged, no ticket
  t.doesNotThrow(() => w.events.emit('call', { call: record('V1', '13800000001', 'voicemail'), event: 'call.ended' }));
  t.equal(listenerErrors, 0, 'nothing thrown into the emitter');
  t.equal(w.bo.tickets.search(OWNER, {}).total, 0, 'the failed ticket was rolled back whole');
});
